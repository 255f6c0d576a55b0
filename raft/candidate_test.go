package raft_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// TestCandidateStartsElection checks Rules for Servers, Candidates 1: on
// conversion to candidate, increment currentTerm, vote for self, reset the
// election timer, send RequestVote to all other servers.
func TestCandidateStartsElection(t *testing.T) {
	n := restartNode(t, config(3, 5), raft.HardState{Term: 4, VotedFor: 2}, mkLog(1, 4, 4))
	for range 3 {
		n.Tick()
	}
	n.FireTimeout()
	rd := drain(n)
	st := n.Status()
	assert.Equal(t, raft.Candidate, st.Role)
	assert.Equal(t, raft.Term(5), st.Term)
	assert.Equal(t, raft.NodeID(3), st.VotedFor)
	assert.Equal(t, []raft.NodeID{3}, st.Votes)
	assert.Equal(t, raft.None, st.Leader)
	assert.Equal(t, 0, st.ElectionElapsed)

	require.True(t, rd.SaveHardState)
	assert.Equal(t, raft.HardState{Term: 5, VotedFor: 3}, rd.HardState)
	assert.Equal(t, []raft.Reason{{Code: raft.ElectionStarted, Term: 5}}, rd.Notes)
	var to []raft.NodeID
	for _, m := range rd.Messages {
		assert.Equal(t, raft.MsgVote, m.Type)
		assert.Equal(t, raft.Term(5), m.Term)
		assert.Equal(t, raft.NodeID(3), m.From)
		assert.Equal(t, raft.Index(3), m.LastLogIndex)
		assert.Equal(t, raft.Term(4), m.LastLogTerm)
		to = append(to, m.To)
	}
	assert.ElementsMatch(t, []raft.NodeID{1, 2, 4, 5}, to)
}

// TestCandidateWinsWithMajority checks Candidates 2 (votes from a majority:
// become leader), that a duplicated vote reply is counted once, and that the
// new leader appends a no-op of its term (§8) and sends it to every server
// at once (Leaders 1).
func TestCandidateWinsWithMajority(t *testing.T) {
	n, _ := candidate(t, config(1, 5), raft.HardState{Term: 2}, mkLog(1, 2))
	require.Equal(t, raft.Term(3), n.Term())

	rd := step(n, voteResp(2, 1, 3, true))
	assert.Equal(t, []raft.Reason{{Code: raft.VoteReceived, Peer: 2, Term: 3, Got: 2, Want: 3}}, rd.Notes)
	assert.Equal(t, raft.Candidate, n.Role())

	t.Run("Candidates 2: a duplicated vote reply is counted once", func(t *testing.T) {
		rd := step(n, voteResp(2, 1, 3, true))
		assert.Empty(t, rd.Notes)
		assert.Equal(t, raft.Candidate, n.Role())
		assert.Equal(t, []raft.NodeID{1, 2}, n.Status().Votes)
	})
	t.Run("Candidates 2: a refusal is noted and not counted", func(t *testing.T) {
		rd := step(n, voteResp(3, 1, 3, false))
		assert.Equal(t, []raft.Reason{{Code: raft.VoteRefused, Peer: 3, Term: 3}}, rd.Notes)
		assert.Equal(t, raft.Candidate, n.Role())
		// A later grant from the same server (a reordered duplicate) does not flip it.
		rd = step(n, voteResp(3, 1, 3, true))
		assert.Empty(t, rd.Notes)
		assert.Equal(t, raft.Candidate, n.Role())
	})
	t.Run("Candidates 2: a vote from a non-member is not counted", func(t *testing.T) {
		step(n, voteResp(7, 1, 3, true))
		assert.Equal(t, []raft.NodeID{1, 2}, n.Status().Votes)
		assert.Equal(t, raft.Candidate, n.Role())
	})

	rd = step(n, voteResp(4, 1, 3, true))
	require.Equal(t, raft.Leader, n.Role(), "3 of 5 votes")
	assert.Equal(t, []raft.ReasonCode{raft.VoteReceived, raft.BecameLeader}, rd.codes())
	assert.Equal(t, raft.Reason{Code: raft.BecameLeader, Term: 3, Got: 3, Want: 5}, rd.Notes[1])
	st := n.Status()
	assert.Equal(t, raft.NodeID(1), st.Leader)
	assert.Nil(t, st.Votes)

	// §8: a no-op entry of the leader's term at the end of the log.
	log := n.Entries()
	require.Len(t, log, 3)
	assert.Equal(t, raft.Entry{Term: 3, Index: 3, Kind: raft.EntryNoop}, log[2])
	assert.Equal(t, []raft.Entry{log[2]}, rd.Entries, "the no-op is handed out for persistence")

	// Leaders 1: AppendEntries to every other server, carrying the no-op.
	apps := rd.msgs(raft.MsgAppend)
	require.Len(t, apps, 4)
	var to []raft.NodeID
	for _, m := range apps {
		to = append(to, m.To)
		assert.Equal(t, raft.Term(3), m.Term)
		assert.Equal(t, raft.Index(2), m.PrevLogIndex)
		assert.Equal(t, raft.Term(2), m.PrevLogTerm)
		assert.Equal(t, []raft.Entry{log[2]}, m.Entries)
		assert.Equal(t, raft.Index(0), m.LeaderCommit)
	}
	assert.ElementsMatch(t, []raft.NodeID{2, 3, 4, 5}, to)

	t.Run("a vote reply after winning is ignored", func(t *testing.T) {
		rd := step(n, voteResp(5, 1, 3, true))
		assert.Equal(t, []raft.Reason{{Code: raft.ReplyIgnoredRole, Peer: 5, Term: 3}}, rd.Notes)
		assert.Empty(t, rd.Messages)
	})
}

// TestCandidateFollowsLeaderOfSameTerm checks Candidates 3: AppendEntries
// received from a new leader (of the candidate's own term): convert to
// follower, and handle the request.
func TestCandidateFollowsLeaderOfSameTerm(t *testing.T) {
	n, _ := candidate(t, config(1, 3), raft.HardState{Term: 1}, mkLog(1))
	for range 4 {
		n.Tick()
	}
	rd := step(n, appendReq(2, 1, 2, 1, 1, 1, ents(2, 2)...))
	st := n.Status()
	assert.Equal(t, raft.Follower, st.Role)
	assert.Equal(t, raft.Term(2), st.Term, "same term")
	assert.Equal(t, raft.NodeID(1), st.VotedFor, "the vote for self stands")
	assert.Equal(t, raft.NodeID(2), st.Leader)
	assert.Equal(t, 0, st.ElectionElapsed)
	assert.Equal(t, raft.Index(1), st.CommitIndex)
	assert.Equal(t, raft.Reason{Code: raft.FollowedLeader, Peer: 2, Term: 2}, rd.Notes[0])
	assert.True(t, rd.hasNote(raft.AppendAccepted))
	reply := rd.only(t)
	assert.True(t, reply.Success)
	assert.Equal(t, raft.Index(2), reply.MatchIndex)
	assert.Equal(t, []raft.Term{1, 2}, termsOf(n.Entries()))
	assert.False(t, rd.SaveHardState, "term and vote unchanged")
}

// TestCandidateDeniesOtherCandidate checks RequestVote receiver 2 on a
// candidate: it voted for itself in this term.
func TestCandidateDeniesOtherCandidate(t *testing.T) {
	n, _ := candidate(t, config(1, 3), raft.HardState{Term: 1}, nil)
	rd := step(n, voteReq(2, 1, 2, 5, 2))
	reply := rd.only(t)
	assert.False(t, reply.Success)
	assert.Equal(t, raft.Reason{Code: raft.VoteDeniedAlreadyVoted, Peer: 2, Term: 2, Got: 1}, reply.Reason)
	assert.Equal(t, raft.Candidate, n.Role())
}

// TestSingleServerCluster checks that a one-server cluster elects itself at
// once (its own vote is a majority) and commits its entries on appending them.
func TestSingleServerCluster(t *testing.T) {
	for _, how := range []string{"FireTimeout", "Tick"} {
		t.Run("Candidates 2: single-server cluster becomes leader at once via "+how, func(t *testing.T) {
			n, err := raft.New(config(1, 1))
			require.NoError(t, err)
			if how == "Tick" {
				for range 10 {
					n.Tick()
				}
			} else {
				n.FireTimeout()
			}
			rd := drain(n)
			assert.Equal(t, raft.Leader, n.Role())
			assert.Equal(t, raft.Term(1), n.Term())
			assert.Equal(t, []raft.ReasonCode{raft.ElectionStarted, raft.BecameLeader, raft.CommitAdvanced}, rd.codes())
			assert.Empty(t, rd.Messages)
			assert.Equal(t, raft.HardState{Term: 1, VotedFor: 1}, rd.HardState)
			noop := raft.Entry{Term: 1, Index: 1, Kind: raft.EntryNoop}
			assert.Equal(t, []raft.Entry{noop}, rd.Entries)
			assert.Equal(t, []raft.Entry{noop}, rd.CommittedEntries)

			idx, term, ok := n.Propose("x")
			assert.True(t, ok)
			assert.Equal(t, raft.Index(2), idx)
			assert.Equal(t, raft.Term(1), term)
			rd = drain(n)
			cmd := raft.Entry{Term: 1, Index: 2, Kind: raft.EntryCommand, Data: "x"}
			assert.Equal(t, []raft.Entry{cmd}, rd.Entries)
			assert.Equal(t, []raft.Entry{cmd}, rd.CommittedEntries)
			assert.Equal(t, raft.Index(2), n.Status().LastApplied)
		})
	}
}
