package raft_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// preVoteReq is a pre-vote for the term the candidate would stand in.
func preVoteReq(from, to raft.NodeID, term raft.Term, lastIndex raft.Index, lastTerm raft.Term) raft.Message {
	return raft.Message{Type: raft.MsgPreVote, From: from, To: to, Term: term, LastLogIndex: lastIndex, LastLogTerm: lastTerm}
}

func preVoteResp(from, to raft.NodeID, term raft.Term, granted bool) raft.Message {
	return raft.Message{Type: raft.MsgPreVoteResp, From: from, To: to, Term: term, Success: granted}
}

// TestPreVoteReceiver checks the pre-vote receiver (dissertation §9.6) on
// S1: it grants a pre-vote to a candidate that could win a real election —
// a later term and a log at least as up to date — and changes neither its
// term, nor its vote, nor its election timer.
func TestPreVoteReceiver(t *testing.T) {
	cases := []struct {
		name    string
		hs      raft.HardState
		log     []raft.Term
		req     raft.Message
		granted bool
		term    raft.Term // the reply's term
		why     raft.Reason
	}{
		{"§9.6: a later term and an up-to-date log: granted, in the proposed term", raft.HardState{Term: 2, VotedFor: 3}, []raft.Term{1, 2},
			preVoteReq(2, 1, 3, 2, 2), true, 3, raft.Reason{Code: raft.PreVoteGranted, Peer: 2, Term: 3}},
		{"§9.6: a proposed term no later than ours: refused, with our term", raft.HardState{Term: 3}, []raft.Term{1, 2},
			preVoteReq(2, 1, 3, 5, 3), false, 3, raft.Reason{Code: raft.PreVoteDeniedStaleTerm, Peer: 2, Term: 3, Got: 3, Want: 3}},
		{"§9.6 with §5.4.1: a log less up to date: refused", raft.HardState{Term: 2}, []raft.Term{1, 2, 2},
			preVoteReq(2, 1, 3, 2, 2), false, 2, raft.Reason{Code: raft.PreVoteDeniedLog, Peer: 2, Term: 3, Index: 3, Got: 2, Want: 2}},
		{"§9.6 with §5.4.1: a lower last term: refused", raft.HardState{Term: 2}, []raft.Term{1, 2},
			preVoteReq(2, 1, 5, 9, 1), false, 2, raft.Reason{Code: raft.PreVoteDeniedLog, Peer: 2, Term: 5, Index: 2, Got: 1, Want: 2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := restartNode(t, config(1, 3), tc.hs, mkLog(tc.log...))
			for range 4 {
				n.Tick()
			}
			rd := step(n, tc.req)
			reply := rd.only(t)
			assert.Equal(t, raft.MsgPreVoteResp, reply.Type)
			assert.Equal(t, tc.granted, reply.Success)
			assert.Equal(t, tc.term, reply.Term)
			assert.Equal(t, tc.why, reply.Reason)
			assert.Equal(t, []raft.Reason{tc.why}, rd.Notes)
			st := n.Status()
			assert.Equal(t, tc.hs.Term, st.Term, "the term stays")
			assert.Equal(t, tc.hs.VotedFor, st.VotedFor, "the vote stays")
			assert.Equal(t, 4, st.ElectionElapsed, "the timer runs on")
			assert.False(t, rd.SaveHardState)
		})
	}
	t.Run("§9.6: a leader answers pre-votes too, and keeps leading", func(t *testing.T) {
		l, _ := leader(t, config(1, 3), raft.HardState{Term: 1}, mkLog(1))
		rd := step(l, preVoteReq(2, 1, 3, 2, 2))
		assert.True(t, rd.only(t).Success)
		assert.Equal(t, raft.Leader, l.Role())
		assert.Equal(t, raft.Term(2), l.Term())
	})
}

// TestPreCandidate checks the pre-candidate (dissertation §9.6): on an
// election timeout it asks for pre-votes for term+1 without raising its
// term; with a majority it starts a real election, without one it stays a
// follower in its term.
func TestPreCandidate(t *testing.T) {
	mk := func(t *testing.T) (*raft.Node, ready) {
		c := config(1, 5)
		c.PreVote = true
		n := restartNode(t, c, raft.HardState{Term: 2, VotedFor: 3}, mkLog(1, 2))
		n.FireTimeout()
		return n, drain(n)
	}
	t.Run("§9.6: the pre-vote asks about term+1 and changes nothing persistent", func(t *testing.T) {
		n, rd := mk(t)
		assert.Equal(t, raft.PreCandidate, n.Role())
		assert.Equal(t, raft.Term(2), n.Term())
		assert.Equal(t, raft.NodeID(3), n.Status().VotedFor)
		assert.False(t, rd.SaveHardState)
		assert.Equal(t, []raft.Reason{{Code: raft.PreVoteStarted, Term: 3}}, rd.Notes)
		require.Len(t, rd.Messages, 4)
		for _, m := range rd.Messages {
			assert.Equal(t, raft.MsgPreVote, m.Type)
			assert.Equal(t, raft.Term(3), m.Term)
			assert.Equal(t, raft.Index(2), m.LastLogIndex)
			assert.Equal(t, raft.Term(2), m.LastLogTerm)
		}
	})
	t.Run("§9.6: a majority would vote: the real election starts", func(t *testing.T) {
		n, _ := mk(t)
		rd := step(n, preVoteResp(2, 1, 3, true))
		assert.Equal(t, []raft.Reason{{Code: raft.PreVoteReceived, Peer: 2, Term: 3, Got: 2, Want: 3}}, rd.Notes)
		step(n, preVoteResp(2, 1, 3, true)) // a duplicate counts once
		assert.Equal(t, raft.PreCandidate, n.Role())
		rd = step(n, preVoteResp(4, 1, 3, true))
		assert.Equal(t, raft.Candidate, n.Role())
		assert.Equal(t, raft.Term(3), n.Term())
		assert.Equal(t, raft.HardState{Term: 3, VotedFor: 1}, rd.HardState)
		assert.Len(t, rd.msgs(raft.MsgVote), 4)
		assert.Contains(t, rd.codes(), raft.ElectionStarted)
	})
	t.Run("§9.6: a majority would not: no election, the term stays", func(t *testing.T) {
		n, _ := mk(t)
		step(n, preVoteResp(2, 1, 2, false))
		step(n, preVoteResp(3, 1, 2, false))
		rd := step(n, preVoteResp(4, 1, 2, false))
		assert.Equal(t, []raft.ReasonCode{raft.PreVoteRefused, raft.PreVoteLost}, rd.codes())
		assert.Equal(t, raft.Follower, n.Role())
		assert.Equal(t, raft.Term(2), n.Term())
	})
	t.Run("All Servers 2: a refusal carrying a higher term is adopted", func(t *testing.T) {
		n, _ := mk(t)
		step(n, preVoteResp(2, 1, 7, false))
		assert.Equal(t, raft.Follower, n.Role())
		assert.Equal(t, raft.Term(7), n.Term())
	})
	t.Run("a grant from an older round does not count", func(t *testing.T) {
		n, _ := mk(t)
		rd := step(n, preVoteResp(2, 1, 2, true))
		assert.Empty(t, rd.Notes)
		assert.Equal(t, raft.PreCandidate, n.Role())
	})
	t.Run("Candidates 3, for a pre-candidate: AppendEntries of its term: follow the leader", func(t *testing.T) {
		n, _ := mk(t)
		rd := step(n, appendReq(3, 1, 2, 2, 2, 0))
		assert.Equal(t, raft.Follower, n.Role())
		assert.Equal(t, raft.NodeID(3), n.Leader())
		assert.Equal(t, raft.FollowedLeader, rd.Notes[0].Code)
	})
	t.Run("a single voter wins its pre-vote at once", func(t *testing.T) {
		c := config(1, 1)
		c.PreVote = true
		n := restartNode(t, c, raft.HardState{Term: 2}, nil)
		n.FireTimeout()
		assert.Equal(t, raft.Leader, n.Role())
		assert.Equal(t, raft.Term(3), n.Term())
	})
}

// TestPreVotePreventsDisruption: a server cut off from the others times out
// again and again. Without pre-vote it raises its term each time, and when
// it comes back its term deposes the working leader although its log is
// behind; with pre-vote its term never moves, and the leader stays.
func TestPreVotePreventsDisruption(t *testing.T) {
	for _, preVote := range []bool{false, true} {
		t.Run(fmt.Sprintf("PreVote=%v", preVote), func(t *testing.T) {
			net := newScriptedNet(t, 3, func(c *raft.Config) { c.PreVote = preVote })
			elect(t, net, 1)
			net.nodes[1].Propose("x")
			net.handle(1)
			net.cut[1][3], net.cut[3][1], net.cut[2][3], net.cut[3][2] = true, true, true, true
			net.deliverWhere(all)
			for range 3 {
				net.nodes[3].FireTimeout()
				net.handle(3)
				net.deliverWhere(all)
			}
			net.cut = [raft.MaxNodes + 1][raft.MaxNodes + 1]bool{}
			net.nodes[3].FireTimeout()
			net.handle(3)
			net.deliverWhere(all)
			if preVote {
				assert.Equal(t, raft.Term(1), net.nodes[3].Term(), "S3's term never moved")
				assert.Equal(t, raft.Leader, net.nodes[1].Role(), "the leader stays")
				assert.Equal(t, raft.Term(1), net.nodes[1].Term())
			} else {
				assert.Equal(t, raft.Term(5), net.nodes[3].Term())
				assert.NotEqual(t, raft.Leader, net.nodes[1].Role(), "S3's term deposed the leader")
				assert.Equal(t, raft.Term(5), net.nodes[1].Term())
			}
			require.Empty(t, net.violations)
		})
	}
}
