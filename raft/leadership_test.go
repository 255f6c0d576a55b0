package raft_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// TestCheckQuorum checks Config.CheckQuorum (dissertation §6.2): a leader
// that has not heard from a majority within an election timeout steps
// down; one that has, stays.
func TestCheckQuorum(t *testing.T) {
	cases := []struct {
		name        string
		checkQuorum bool
		answering   []raft.NodeID // followers whose replies arrive
		leads       bool
	}{
		{"§6.2: no follower answers: step down", true, nil, false},
		{"§6.2: one of four answers: 2 of 5 is no majority", true, []raft.NodeID{2}, false},
		{"§6.2: two of four answer: 3 of 5 is a majority", true, []raft.NodeID{2, 3}, true},
		{"off: a leader nobody answers leads on", false, nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			net := newScriptedNet(t, 5, func(c *raft.Config) { c.CheckQuorum = tc.checkQuorum })
			notes := watchNotes(net, 1)
			elect(t, net, 1)
			l := net.nodes[1]
			for range 3 * 10 {
				l.Tick()
				net.handle(1)
				net.deliverWhere(func(m raft.Message) bool {
					return m.From == 1 || containsID(tc.answering, m.From)
				})
				net.dropWhere(all)
			}
			assert.Equal(t, tc.leads, l.Role() == raft.Leader)
			why, stepped := noteOf(*notes, raft.CheckQuorumSteppedDown)
			assert.Equal(t, !tc.leads, stepped)
			if stepped {
				assert.Equal(t, raft.Reason{Code: raft.CheckQuorumSteppedDown, Term: 1, Got: uint64(1 + len(tc.answering)), Want: 3}, why)
				assert.Equal(t, raft.Term(1), l.Term(), "it steps down in its term")
			}
		})
	}
}

func containsID(ids []raft.NodeID, id raft.NodeID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// TestStickyLeader checks Config.StickyLeader (dissertation §4.2.3): a
// server that heard from a leader within the minimum election timeout
// ignores vote requests — no new term, no vote — unless a leader asked for
// the election (TimeoutNow).
func TestStickyLeader(t *testing.T) {
	cases := []struct {
		name    string
		sticky  bool
		ticks   int // since the leader was last heard
		msg     raft.Message
		ignored bool
	}{
		{"§4.2.3: a RequestVote right after the leader was heard: ignored", true, 3, voteReq(3, 1, 5, 9, 2), true},
		{"§4.2.3: a pre-vote too", true, 3, preVoteReq(3, 1, 5, 9, 2), true},
		{"§4.2.3: once the minimum election timeout has passed: answered", true, 10, voteReq(3, 1, 5, 9, 2), false},
		{"§4.2.3: a campaign a leader asked for (TimeoutNow): answered", true, 3,
			raft.Message{Type: raft.MsgVote, From: 3, To: 1, Term: 5, LastLogIndex: 9, LastLogTerm: 2, Transfer: true}, false},
		{"off: answered", false, 3, voteReq(3, 1, 5, 9, 2), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := config(1, 3)
			c.StickyLeader = tc.sticky
			c.ElectionTimeoutMax = 20
			c.Rand = &fakeRand{vals: []int{10}} // this follower's timeout: 20 ticks
			n := restartNode(t, c, raft.HardState{Term: 2}, mkLog(1, 2))
			step(n, appendReq(2, 1, 2, 2, 2, 0))
			for range tc.ticks {
				n.Tick()
			}
			require.Equal(t, raft.Follower, n.Role())
			rd := step(n, tc.msg)
			if tc.ignored {
				assert.Empty(t, rd.Messages)
				assert.Equal(t, raft.Term(2), n.Term(), "no new term")
				assert.Equal(t, raft.None, n.Status().VotedFor)
				assert.Equal(t, []raft.Reason{{Code: raft.VoteIgnoredLeaderAlive, Peer: 3, Term: 5, Got: uint64(tc.ticks), Want: 10}}, rd.Notes)
				return
			}
			require.Len(t, rd.Messages, 1)
			assert.True(t, rd.Messages[0].Success)
		})
	}
	t.Run("§4.2.3: a leader ignores them too", func(t *testing.T) {
		c := config(1, 3)
		c.StickyLeader = true
		l, _ := leader(t, c, raft.HardState{Term: 1}, mkLog(1))
		rd := step(l, voteReq(3, 1, 9, 9, 9))
		assert.Empty(t, rd.Messages)
		assert.Equal(t, raft.Leader, l.Role())
		assert.Equal(t, raft.VoteIgnoredLeaderAlive, rd.Notes[0].Code)
	})
}

// TestLeadershipTransfer checks dissertation §3.10: the leader stops taking
// requests, brings the target up to date, and sends it TimeoutNow; the
// target campaigns at once and wins.
func TestLeadershipTransfer(t *testing.T) {
	for _, lagging := range []bool{false, true} {
		t.Run(fmt.Sprintf("target lagging=%v", lagging), func(t *testing.T) {
			net := newScriptedNet(t, 3, func(c *raft.Config) { c.StickyLeader, c.PreVote = true, true })
			notes := watchNotes(net, 1)
			elect(t, net, 1)
			l := net.nodes[1]
			if lagging {
				net.cut[1][3] = true
				l.Propose("x")
				net.handle(1)
				net.deliverWhere(all)
				net.cut[1][3] = false
			}
			require.NoError(t, l.TransferLeadership(3))
			net.handle(1)
			assert.Equal(t, raft.NodeID(3), l.Transferee())
			why, _ := noteOf(*notes, raft.TransferStarted)
			assert.Equal(t, raft.TransferStarted, why.Code)
			assert.Equal(t, raft.NodeID(3), why.Peer)
			_, _, ok := l.Propose("refused")
			assert.False(t, ok, "§3.10: no new requests during a transfer")
			net.handle(1)
			_, ok = noteOf(*notes, raft.ProposalRefusedTransfer)
			assert.True(t, ok)
			_, sentAtOnce := noteOf(*notes, raft.TimeoutNowSent)
			assert.Equal(t, !lagging, sentAtOnce, "TimeoutNow goes at once only to an up-to-date target")

			// A heartbeat brings the lagging target up to date first.
			if lagging {
				l.FireTimeout()
				net.handle(1)
			}
			net.deliverWhere(all)
			assert.Equal(t, raft.Leader, net.nodes[3].Role(), "S3 won at once, although S2 had just heard from a leader")
			assert.Equal(t, raft.Term(2), net.nodes[3].Term())
			assert.Equal(t, raft.Follower, l.Role())
			assert.Equal(t, raft.None, l.Transferee())
			require.Empty(t, net.violations)
		})
	}
	t.Run("§3.10: a transfer that does not complete within an election timeout is aborted", func(t *testing.T) {
		net := newScriptedNet(t, 3)
		notes := watchNotes(net, 1)
		elect(t, net, 1)
		l := net.nodes[1]
		net.crash(3)
		require.NoError(t, l.TransferLeadership(3))
		net.handle(1)
		for range 10 {
			l.Tick()
			net.handle(1)
			net.deliverWhere(between(1, 2))
		}
		why, ok := noteOf(*notes, raft.TransferAborted)
		require.True(t, ok)
		assert.Equal(t, raft.Reason{Code: raft.TransferAborted, Peer: 3, Term: 1, Got: 10}, why)
		assert.Equal(t, raft.None, l.Transferee())
		_, _, ok = l.Propose("after")
		assert.True(t, ok, "requests are taken again")
	})
	t.Run("refused: not the leader, not a voter, itself", func(t *testing.T) {
		net := newScriptedNet(t, 4, withPeers(3))
		elect(t, net, 1)
		assert.ErrorIs(t, net.nodes[2].TransferLeadership(3), raft.ErrNotLeader)
		assert.ErrorContains(t, net.nodes[1].TransferLeadership(4), "not a voter")
		assert.ErrorContains(t, net.nodes[1].TransferLeadership(1), "leads already")
		assert.Equal(t, raft.None, net.nodes[1].Transferee())
	})
	t.Run("§3.10: TimeoutNow to a server that cannot lead is ignored", func(t *testing.T) {
		n := restartNode(t, config(4, 3), raft.HardState{Term: 2}, nil)
		rd := step(n, raft.Message{Type: raft.MsgTimeoutNow, From: 1, To: 4, Term: 2})
		assert.Equal(t, []raft.ReasonCode{raft.TimeoutNowIgnored}, rd.codes())
		assert.Equal(t, raft.Follower, n.Role())
	})
}
