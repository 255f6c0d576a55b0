package raft_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// TestRequestVoteReceiver checks the RequestVote receiver of Figure 2 on a
// follower S1 of a five-server cluster, one rule per case.
func TestRequestVoteReceiver(t *testing.T) {
	cases := []struct {
		name   string
		hs     raft.HardState
		log    []raft.Term
		unsafe raft.UnsafeRules
		req    raft.Message

		granted  bool
		why      raft.Reason // the reply's Reason, From/To filled by the test
		term     raft.Term   // currentTerm afterwards (and the reply's term)
		votedFor raft.NodeID // votedFor afterwards
	}{
		{
			name: "RequestVote receiver 1: stale term denied",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 3},
			req:  voteReq(2, 1, 2, 9, 2),
			why:  raft.Reason{Code: raft.VoteDeniedStaleTerm, Peer: 2, Term: 3, Got: 2, Want: 3},
			term: 3, votedFor: raft.None,
		},
		{
			name: "RequestVote receiver 1: stale term denied even though votedFor is that candidate",
			hs:   raft.HardState{Term: 3, VotedFor: 2}, log: []raft.Term{1},
			req:  voteReq(2, 1, 2, 1, 1),
			why:  raft.Reason{Code: raft.VoteDeniedStaleTerm, Peer: 2, Term: 3, Got: 2, Want: 3},
			term: 3, votedFor: 2,
		},
		{
			name: "RequestVote receiver 2: votedFor null, log up to date: granted",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 3},
			req:     voteReq(2, 1, 3, 2, 3),
			granted: true,
			why:     raft.Reason{Code: raft.VoteGranted, Peer: 2, Term: 3},
			term:    3, votedFor: 2,
		},
		{
			name: "RequestVote receiver 2: already voted for another candidate in this term: denied",
			hs:   raft.HardState{Term: 3, VotedFor: 3}, log: []raft.Term{1},
			req:  voteReq(2, 1, 3, 5, 3),
			why:  raft.Reason{Code: raft.VoteDeniedAlreadyVoted, Peer: 2, Term: 3, Got: 3},
			term: 3, votedFor: 3,
		},
		{
			name: "RequestVote receiver 2: same candidate asks again: granted again",
			hs:   raft.HardState{Term: 3, VotedFor: 2}, log: []raft.Term{1},
			req:     voteReq(2, 1, 3, 1, 1),
			granted: true,
			why:     raft.Reason{Code: raft.VoteGranted, Peer: 2, Term: 3},
			term:    3, votedFor: 2,
		},
		{
			name: "All Servers 2 + RequestVote receiver 2: a higher term clears votedFor: granted",
			hs:   raft.HardState{Term: 3, VotedFor: 3}, log: []raft.Term{1},
			req:     voteReq(2, 1, 4, 1, 1),
			granted: true,
			why:     raft.Reason{Code: raft.VoteGranted, Peer: 2, Term: 4},
			term:    4, votedFor: 2,
		},
		{
			name: "§5.4.1 up-to-date: lower last log term denied, however long the log",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 2},
			req:  voteReq(2, 1, 3, 9, 1),
			why:  raft.Reason{Code: raft.VoteDeniedLogTerm, Peer: 2, Term: 3, Got: 1, Want: 2},
			term: 3, votedFor: raft.None,
		},
		{
			name: "§5.4.1 up-to-date: equal last term, shorter log denied",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 2, 2},
			req:  voteReq(2, 1, 3, 2, 2),
			why:  raft.Reason{Code: raft.VoteDeniedLogIndex, Peer: 2, Term: 2, Got: 2, Want: 3},
			term: 3, votedFor: raft.None,
		},
		{
			name: "§5.4.1 up-to-date: equal last term, equal length granted",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 2, 2},
			req:     voteReq(2, 1, 3, 3, 2),
			granted: true,
			why:     raft.Reason{Code: raft.VoteGranted, Peer: 2, Term: 3},
			term:    3, votedFor: 2,
		},
		{
			name: "§5.4.1 up-to-date: equal last term, longer log granted",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 2, 2},
			req:     voteReq(2, 1, 3, 7, 2),
			granted: true,
			why:     raft.Reason{Code: raft.VoteGranted, Peer: 2, Term: 3},
			term:    3, votedFor: 2,
		},
		{
			name: "§5.4.1 up-to-date: higher last term, shorter log granted",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 1, 1, 1},
			req:     voteReq(2, 1, 3, 2, 2),
			granted: true,
			why:     raft.Reason{Code: raft.VoteGranted, Peer: 2, Term: 3},
			term:    3, votedFor: 2,
		},
		{
			name: "§5.4.1 up-to-date: empty candidate log against a non-empty one denied",
			hs:   raft.HardState{Term: 1}, log: []raft.Term{1},
			req:  voteReq(2, 1, 2, 0, 0),
			why:  raft.Reason{Code: raft.VoteDeniedLogTerm, Peer: 2, Term: 2, Got: 0, Want: 1},
			term: 2, votedFor: raft.None,
		},
		{
			name: "§5.4.1 up-to-date with a higher term: denied, but the term is adopted",
			hs:   raft.HardState{Term: 3, VotedFor: 1}, log: []raft.Term{1, 3},
			req:  voteReq(2, 1, 5, 4, 2),
			why:  raft.Reason{Code: raft.VoteDeniedLogTerm, Peer: 2, Term: 5, Got: 2, Want: 3},
			term: 5, votedFor: raft.None,
		},
		{
			name: "UnsafeRules.SkipUpToDateCheck: a less up-to-date log is granted",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 2, 2},
			unsafe:  raft.UnsafeRules{SkipUpToDateCheck: true},
			req:     voteReq(2, 1, 3, 1, 1),
			granted: true,
			why:     raft.Reason{Code: raft.VoteGranted, Peer: 2, Term: 3},
			term:    3, votedFor: 2,
		},
		{
			name: "UnsafeRules.SkipUpToDateCheck: receiver rule 2's votedFor check still holds",
			hs:   raft.HardState{Term: 3, VotedFor: 4}, log: []raft.Term{1, 2, 2},
			unsafe: raft.UnsafeRules{SkipUpToDateCheck: true},
			req:    voteReq(2, 1, 3, 1, 1),
			why:    raft.Reason{Code: raft.VoteDeniedAlreadyVoted, Peer: 2, Term: 3, Got: 4},
			term:   3, votedFor: 4,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := config(1, 5)
			c.Unsafe = tc.unsafe
			n := restartNode(t, c, tc.hs, mkLog(tc.log...))
			rd := step(n, tc.req)

			reply := rd.only(t)
			assert.Equal(t, raft.MsgVoteResp, reply.Type)
			assert.Equal(t, raft.NodeID(1), reply.From)
			assert.Equal(t, tc.req.From, reply.To)
			assert.Equal(t, tc.term, reply.Term, "the reply carries currentTerm")
			assert.Equal(t, tc.granted, reply.Success)
			assert.Equal(t, tc.why, reply.Reason)
			assert.Equal(t, !tc.granted, tc.why.Code.IsRejection())

			note, ok := rd.note(tc.why.Code)
			require.True(t, ok, "the decision is explained in Notes: %v", rd.codes())
			assert.Equal(t, tc.why, note)

			st := n.Status()
			assert.Equal(t, tc.term, st.Term)
			assert.Equal(t, tc.votedFor, st.VotedFor)
			assert.Equal(t, raft.Follower, st.Role)
			assert.Equal(t, mkLog(tc.log...), n.Entries(), "voting never changes the log")
		})
	}
}
