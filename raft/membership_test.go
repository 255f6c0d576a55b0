package raft_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// withPeers starts the cluster with S1..Sk as its voters; servers above k
// are spares outside the configuration.
func withPeers(k int) func(*raft.Config) {
	return func(c *raft.Config) { c.Peers = ids(k) }
}

func withJoint(c *raft.Config) { c.JointConsensus = true }

func all(raft.Message) bool { return true }

// elect makes id campaign and delivers everything until the network is
// quiet, so that id leads and its no-op is committed everywhere.
func elect(t testing.TB, net *randNet, id raft.NodeID) {
	t.Helper()
	net.nodes[id].FireTimeout()
	net.handle(id)
	net.deliverWhere(all)
	require.Equal(t, raft.Leader, net.nodes[id].Role())
	net.nodes[id].FireTimeout() // a heartbeat carries the commit index
	net.handle(id)
	net.deliverWhere(all)
}

// watchNotes collects the notes server id hands out from now on.
func watchNotes(net *randNet, id raft.NodeID) *[]raft.Reason {
	var seen []raft.Reason
	net.onNotes = func(from raft.NodeID, rs []raft.Reason) {
		if from == id {
			seen = append(seen, rs...)
		}
	}
	return &seen
}

func codesOf(rs []raft.Reason) []raft.ReasonCode {
	out := make([]raft.ReasonCode, len(rs))
	for i, r := range rs {
		out[i] = r.Code
	}
	return out
}

// TestConfigEntryTakesEffectWhenAppended checks dissertation §4.1: a
// server uses the latest configuration in its log as soon as the entry is
// appended, committed or not; a truncation that removes it restores the one
// before.
func TestConfigEntryTakesEffectWhenAppended(t *testing.T) {
	cfgEntry := func(i raft.Index, term raft.Term, m raft.Membership) raft.Entry {
		return raft.Entry{Term: term, Index: i, Kind: raft.EntryConfig, Data: m.String()}
	}
	cases := []struct {
		name string
		m    raft.Membership
		why  raft.Reason
	}{
		{"§4.2.1: a new server joins as a learner", raft.Membership{Voters: ids(3), Learners: []raft.NodeID{4}},
			raft.Reason{Code: raft.ConfigLearnerAdded, Peer: 4, Term: 2, Index: 2, Got: 3}},
		{"§4.1: a learner becomes a voter", raft.Membership{Voters: ids(4)},
			raft.Reason{Code: raft.ConfigVoterAdded, Peer: 4, Term: 2, Index: 2, Got: 4}},
		{"§4.1: a voter is removed", raft.Membership{Voters: []raft.NodeID{1, 2}},
			raft.Reason{Code: raft.ConfigServerRemoved, Peer: 3, Term: 2, Index: 2, Got: 2}},
		{"§6: a joint configuration C_old,new", raft.Membership{Voters: []raft.NodeID{1, 2, 4}, Outgoing: ids(3)},
			raft.Reason{Code: raft.ConfigJointEntered, Term: 2, Index: 2, Got: 3, Want: 3}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := restartNode(t, config(2, 3), raft.HardState{Term: 2}, mkLog(1))
			rd := step(n, appendReq(1, 2, 2, 1, 1, 1, cfgEntry(2, 2, tc.m)))
			require.True(t, rd.only(t).Success)
			assert.Equal(t, raft.Index(1), n.CommitIndex(), "not committed")
			assert.Equal(t, tc.m, n.Membership(), "in use at once")
			assert.Equal(t, raft.Index(2), n.ConfigIndex())
			why, ok := rd.note(tc.why.Code)
			require.True(t, ok, "notes: %v", rd.codes())
			assert.Equal(t, tc.why, why)

			// A new leader of term 3 without the entry overwrites it.
			rd = step(n, appendReq(3, 2, 3, 1, 1, 1, ents(2, 3)...))
			assert.Equal(t, raft.Membership{Voters: ids(3)}, n.Membership(), "back to the configuration before")
			assert.Equal(t, raft.Index(0), n.ConfigIndex())
			why, ok = rd.note(raft.ConfigRolledBack)
			require.True(t, ok, "notes: %v", rd.codes())
			assert.Equal(t, raft.Reason{Code: raft.ConfigRolledBack, Term: 3, Index: 2, Got: 0}, why)
		})
	}
	t.Run("§4.1: after a restart the configuration comes from the log", func(t *testing.T) {
		m := raft.Membership{Voters: ids(4)}
		n := restartNode(t, config(2, 3), raft.HardState{Term: 2}, append(mkLog(1), cfgEntry(2, 2, m), raft.Entry{Term: 2, Index: 3}))
		assert.Equal(t, m, n.Membership())
		assert.Equal(t, raft.Index(2), n.ConfigIndex())
	})
	t.Run("§7: after a restart from a snapshot the configuration comes from it", func(t *testing.T) {
		m := raft.Membership{Voters: []raft.NodeID{2, 3, 4}}
		n, err := raft.RestartFromSnapshot(config(2, 3), raft.HardState{Term: 2}, raft.Snapshot{Index: 5, Term: 2, Config: m}, nil)
		require.NoError(t, err)
		assert.Equal(t, m, n.Membership())
		assert.Equal(t, raft.Index(5), n.ConfigIndex())
	})
	t.Run("§7: an installed snapshot brings its configuration", func(t *testing.T) {
		n := restartNode(t, config(2, 3), raft.HardState{Term: 2}, nil)
		req := snapReq(1, 2, 2, 5, 2)
		req.Snapshot.Config = raft.Membership{Voters: []raft.NodeID{1, 2, 4}}
		rd := step(n, req)
		assert.Equal(t, req.Snapshot.Config, n.Membership())
		assert.True(t, rd.hasNote(raft.ConfigFromSnapshot))
	})
}

// TestNonVoterDoesNotCampaign checks that a server whose vote does not
// count in its configuration — a spare outside it, a learner, a removed
// server — never stands for election (dissertation §4.2.1).
func TestNonVoterDoesNotCampaign(t *testing.T) {
	for _, how := range []string{"Tick", "FireTimeout"} {
		t.Run("a spare outside the configuration, via "+how, func(t *testing.T) {
			n := restartNode(t, config(4, 3), raft.HardState{Term: 2}, nil)
			if how == "Tick" {
				for range 10 {
					n.Tick()
				}
			} else {
				n.FireTimeout()
			}
			rd := drain(n)
			assert.Equal(t, raft.Follower, n.Role())
			assert.Equal(t, raft.Term(2), n.Term())
			assert.Empty(t, rd.Messages)
			assert.Equal(t, []raft.Reason{{Code: raft.CampaignSkippedNotVoter, Term: 2}}, rd.Notes)
			assert.Equal(t, 0, n.Status().ElectionElapsed, "the timer starts over")
		})
	}
	cfgLog := func(m raft.Membership) []raft.Entry {
		return []raft.Entry{{Term: 1, Index: 1}, {Term: 1, Index: 2, Kind: raft.EntryConfig, Data: m.String()}}
	}
	t.Run("§4.2.1: a learner does not campaign", func(t *testing.T) {
		n := restartNode(t, config(4, 3), raft.HardState{Term: 1}, cfgLog(raft.Membership{Voters: ids(3), Learners: []raft.NodeID{4}}))
		n.FireTimeout()
		assert.Equal(t, []raft.ReasonCode{raft.CampaignSkippedNotVoter}, drain(n).codes())
	})
	t.Run("§4.2.2: a server removed by a configuration not known committed still campaigns", func(t *testing.T) {
		n := restartNode(t, config(1, 3), raft.HardState{Term: 1}, cfgLog(raft.Membership{Voters: []raft.NodeID{2, 3}}))
		n.FireTimeout()
		rd := drain(n)
		assert.Equal(t, raft.Candidate, n.Role(), "it may hold entries the others need")
		assert.Len(t, rd.msgs(raft.MsgVote), 2)
		assert.Empty(t, n.Status().Votes, "its own vote does not count")
		step(n, voteResp(2, 1, 2, true))
		assert.Equal(t, raft.Candidate, n.Role(), "1 of {S2, S3}")
		step(n, voteResp(3, 1, 2, true))
		assert.Equal(t, raft.Leader, n.Role(), "2 of {S2, S3}")
	})
	t.Run("§4.2.2: a server that knows its removal committed does not campaign", func(t *testing.T) {
		n := restartNode(t, config(1, 3), raft.HardState{Term: 1}, cfgLog(raft.Membership{Voters: []raft.NodeID{2, 3}}))
		step(n, appendReq(2, 1, 1, 2, 1, 2))
		require.Equal(t, raft.Index(2), n.CommitIndex())
		n.FireTimeout()
		assert.Equal(t, []raft.ReasonCode{raft.CampaignSkippedNotVoter}, drain(n).codes())
		assert.Equal(t, raft.Follower, n.Role())
	})
	t.Run("a spare still votes when asked (servers answer RPCs whatever their configuration)", func(t *testing.T) {
		n := restartNode(t, config(4, 3), raft.HardState{Term: 2}, nil)
		assert.True(t, step(n, voteReq(1, 4, 3, 0, 0)).only(t).Success)
	})
}

// TestAddServerCatchesUpFirst checks dissertation §4.2.1: a new server
// joins as a learner, is replicated to in rounds, and becomes a voter once
// a round takes less than an election timeout.
func TestAddServerCatchesUpFirst(t *testing.T) {
	net := newScriptedNet(t, 4, withPeers(3))
	notes := watchNotes(net, 1)
	elect(t, net, 1)
	l := net.nodes[1]
	for i := range 5 {
		l.Propose(fmt.Sprint("c", i))
		net.handle(1)
	}
	net.deliverWhere(between(1, 2, 3))
	*notes = nil

	idx, err := l.AddServer(4)
	require.NoError(t, err)
	net.handle(1)
	assert.Equal(t, raft.Index(7), idx, "after the no-op and five commands")
	assert.Equal(t, raft.Membership{Voters: ids(3), Learners: []raft.NodeID{4}}, l.Membership(), "the leader uses it at once")
	pr := progressOf(t, l, 4)
	assert.Equal(t, 1, pr.Round)
	assert.Equal(t, raft.Index(7), pr.RoundEnd, "the first round must reach the leader's log as it is now")

	// A slow first round: the new server hears nothing for longer than an
	// election timeout.
	for range 12 {
		l.Tick()
		net.handle(1)
		net.deliverWhere(between(1, 2, 3))
	}
	net.deliverWhere(all)
	assert.Equal(t, raft.Membership{Voters: ids(4)}, l.Membership(), "promoted after a second, fast round")
	var about4 []raft.Reason
	for _, r := range *notes {
		if r.Peer == 4 && r.Code != raft.NextIndexBackedOff && r.Code != raft.ReplyIgnoredOld {
			about4 = append(about4, r)
		}
	}
	assert.Equal(t, []raft.Reason{
		{Code: raft.ConfigLearnerAdded, Peer: 4, Term: 1, Index: 7, Got: 3},
		{Code: raft.CatchUpRound, Peer: 4, Term: 1, Index: 7, Got: 2, Want: 12},
		{Code: raft.LearnerCaughtUp, Peer: 4, Term: 1, Index: 7, Got: 2, Want: 0},
		{Code: raft.ConfigVoterAdded, Peer: 4, Term: 1, Index: 8, Got: 4},
	}, about4, "round 1 took 12 ticks; round 2 had nothing to send")
	for _, id := range ids(4) {
		assert.Equal(t, raft.Membership{Voters: ids(4)}, net.nodes[id].Membership(), "%v", id)
		assert.Equal(t, l.LastIndex(), net.nodes[id].LastIndex(), "%v", id)
	}
	require.Empty(t, net.violations)

	// S4's vote now counts: S1 and S4 hold the commit without S2 and S3.
	l.Propose("after")
	net.handle(1)
	net.deliverWhere(between(1, 4))
	assert.Equal(t, l.CommitIndex(), l.LastIndex()-0-1, "2 of 4 is not a majority")
	net.deliverWhere(between(1, 2))
	assert.Equal(t, l.LastIndex(), l.CommitIndex(), "3 of 4 is")
}

// TestCatchUpAborted checks dissertation §4.2.1: a new server that is
// unavailable never catches up, and the leader gives up and removes it.
func TestCatchUpAborted(t *testing.T) {
	net := newScriptedNet(t, 4, withPeers(3), func(c *raft.Config) { c.CatchUpRounds = 2 })
	elect(t, net, 1)
	l := net.nodes[1]
	net.crash(4)
	_, err := l.AddServer(4)
	require.NoError(t, err)
	net.handle(1)
	net.deliverWhere(between(1, 2, 3))
	var aborted bool
	for range 2*20 + 5 {
		l.Tick()
		net.handle(1)
		net.deliverWhere(between(1, 2, 3))
		aborted = aborted || !l.Membership().IsLearner(4)
	}
	assert.True(t, aborted)
	assert.Equal(t, raft.Membership{Voters: ids(3)}, l.Membership(), "the learner is removed")
	assert.Equal(t, l.LastIndex(), l.CommitIndex())
}

// TestCatchUpAbortedEndsTheChange: when every server a change was to make
// a voter is given up on, the change ends there; the leader does not go on
// to a configuration without voters (a swarm schedule found that a joint
// change to {S2} from {S1} led to "outgoing S1", then to no voters at all).
func TestCatchUpAbortedEndsTheChange(t *testing.T) {
	for _, joint := range []bool{true, false} {
		t.Run(fmt.Sprintf("joint=%v", joint), func(t *testing.T) {
			c := config(1, 3)
			c.Peers, c.JointConsensus, c.CatchUpRounds = ids(1), joint, 1
			l := restartNode(t, c, raft.HardState{}, nil)
			l.FireTimeout()
			drain(l)
			require.Equal(t, raft.Leader, l.Role())
			target := []raft.NodeID{2}
			if !joint {
				target = []raft.NodeID{1, 2}
			}
			_, err := l.ChangeVoters(target)
			require.NoError(t, err)
			for range 4 * c.ElectionTimeoutMax { // S2 never answers
				l.Tick()
				drain(l)
			}
			assert.Equal(t, raft.Membership{Voters: ids(1)}, l.Membership(), "S2 was given up on, and the change with it")
			for _, e := range l.Entries() {
				if e.Kind == raft.EntryConfig {
					_, err := raft.ParseMembership(e.Data)
					assert.NoError(t, err, "entry %d", e.Index)
				}
			}
		})
	}
}

// TestConfigChangeRules checks when a leader may start a configuration
// change (dissertation §4.1): only a leader, one change at a time, and only
// after an entry of its own term has committed — the fix for the bug
// published in 2015, which UnsafeRules.ConfigChangeBeforeTermCommit
// switches off.
func TestConfigChangeRules(t *testing.T) {
	t.Run("§5.1: a follower refuses", func(t *testing.T) {
		n := restartNode(t, config(2, 3), raft.HardState{Term: 2}, nil)
		_, err := n.AddServer(4)
		assert.ErrorIs(t, err, raft.ErrNotLeader)
		assert.Equal(t, []raft.ReasonCode{raft.ProposalRejected}, drain(n).codes())
	})
	for _, unsafe := range []bool{false, true} {
		t.Run(fmt.Sprintf("the own-term rule, ConfigChangeBeforeTermCommit=%v", unsafe), func(t *testing.T) {
			c := config(1, 3)
			c.Unsafe.ConfigChangeBeforeTermCommit = unsafe
			l, _ := leader(t, c, raft.HardState{Term: 1}, mkLog(1))
			require.Equal(t, raft.Index(0), l.CommitIndex(), "the no-op of term 2 is not committed")
			_, err := l.AddServer(4)
			rd := drain(l)
			if unsafe {
				assert.NoError(t, err)
				assert.True(t, l.Membership().IsLearner(4))
				return
			}
			assert.ErrorContains(t, err, "no entry of the leader's term has committed")
			assert.Equal(t, []raft.Reason{{Code: raft.ConfigChangeRefusedTermUncommitted, Term: 2, Got: 0}}, rd.Notes)
			assert.False(t, l.Membership().IsLearner(4))
		})
	}
	t.Run("§4.1: one change at a time", func(t *testing.T) {
		net := newScriptedNet(t, 5, withPeers(3))
		elect(t, net, 1)
		l := net.nodes[1]
		idx, err := l.AddServer(4)
		require.NoError(t, err)
		_, err = l.AddServer(5)
		assert.ErrorIs(t, err, raft.ErrChangePending)
		rd := drain(l)
		why, ok := rd.note(raft.ConfigChangeRefusedPending)
		require.True(t, ok)
		assert.Equal(t, raft.Reason{Code: raft.ConfigChangeRefusedPending, Term: 1, Index: idx, Got: uint64(idx - 1)}, why)
		for _, m := range rd.Messages {
			net.net = append(net.net, m)
		}
		net.deliverWhere(between(1, 2, 3))
		_, err = l.AddServer(5)
		assert.NoError(t, err, "once the first has committed")
	})
	t.Run("invalid requests", func(t *testing.T) {
		net := newScriptedNet(t, 3)
		elect(t, net, 1)
		l := net.nodes[1]
		_, err := l.AddServer(2)
		assert.ErrorContains(t, err, "already in the configuration")
		_, err = l.RemoveServer(7)
		assert.ErrorContains(t, err, "not in the configuration")
		_, err = l.ChangeVoters([]raft.NodeID{1, 4, 5})
		assert.ErrorContains(t, err, "one server at a time")
		_, err = l.ChangeVoters(ids(3))
		assert.ErrorContains(t, err, "already")
		_, err = l.ChangeVoters(ids(10))
		assert.Error(t, err)
	})
}

// TestRemoveLeader checks dissertation §4.2.2: a leader that removes
// itself keeps managing the cluster without counting itself in majorities,
// steps down once the change commits, and never campaigns again.
func TestRemoveLeader(t *testing.T) {
	net := newScriptedNet(t, 3)
	elect(t, net, 1)
	l := net.nodes[1]
	idx, err := l.RemoveServer(1)
	require.NoError(t, err)
	net.handle(1)
	assert.Equal(t, raft.Leader, l.Role(), "still leading while the change is uncommitted")
	assert.Equal(t, []raft.NodeID{2, 3}, l.Peers())
	net.deliverWhere(between(1, 2))
	assert.Less(t, l.CommitIndex(), idx, "S1 and S2 are not a majority of {S2, S3}")
	assert.Equal(t, raft.Leader, l.Role())
	net.deliverWhere(all)
	assert.GreaterOrEqual(t, l.CommitIndex(), idx)
	assert.Equal(t, raft.Follower, l.Role(), "steps down once committed")
	l.FireTimeout()
	net.handle(1)
	assert.Equal(t, raft.Follower, l.Role(), "and does not campaign")
	elect(t, net, 2)
	net.nodes[2].Propose("x")
	net.handle(2)
	net.deliverWhere(all)
	assert.Equal(t, net.nodes[2].LastIndex(), net.nodes[2].CommitIndex(), "S2 and S3 are the cluster now")
	require.Empty(t, net.violations)
}

// TestJointConsensus checks §6: the voters change through C_old,new,
// during which every decision needs both majorities, then C_new, appended
// by the leader once C_old,new has committed.
func TestJointConsensus(t *testing.T) {
	joint := raft.Membership{Voters: []raft.NodeID{1, 4, 5}, Outgoing: ids(3)}
	net := newScriptedNet(t, 5, withPeers(3), withJoint)
	notes := watchNotes(net, 1)
	elect(t, net, 1)
	l := net.nodes[1]
	_, err := l.ChangeVoters([]raft.NodeID{1, 4, 5})
	require.NoError(t, err)
	net.handle(1)
	assert.Equal(t, raft.Membership{Voters: ids(3), Learners: []raft.NodeID{4, 5}}, l.Membership(),
		"dissertation §4.2.1: new servers catch up first, as learners")

	// The learner entry commits with S2 (a majority of C_old); the learners
	// catch up and the leader enters C_old,new, which only S4 and S5 hear.
	net.deliverWhere(between(1, 2))
	net.deliverWhere(between(1, 4, 5))
	require.Equal(t, joint, l.Membership())
	jointIdx := l.ConfigIndex()
	why, ok := noteOf(*notes, raft.ConfigJointEntered)
	require.True(t, ok)
	assert.Equal(t, raft.Reason{Code: raft.ConfigJointEntered, Term: 1, Index: jointIdx, Got: 3, Want: 3}, why)
	net.dropWhere(func(m raft.Message) bool { return m.To == 2 || m.To == 3 })
	net.cut[1][2], net.cut[1][3] = true, true
	l.Propose("x")
	net.handle(1)
	net.deliverWhere(all)
	assert.Less(t, l.CommitIndex(), jointIdx, "S1, S4, S5 are a majority of C_new but only one of C_old")

	// S2 hears again: C_old,new commits, and the leader appends C_new.
	net.cut[1][2] = false
	l.FireTimeout()
	net.handle(1)
	net.deliverWhere(all)
	assert.Equal(t, raft.Membership{Voters: []raft.NodeID{1, 4, 5}}, l.Membership(), "C_old,new committed, C_new appended")
	_, ok = noteOf(*notes, raft.ConfigJointLeft)
	assert.True(t, ok)
	net.cut[1][2] = true // C_new needs no server of C_old but S1
	l.FireTimeout()
	net.handle(1)
	net.deliverWhere(all)
	assert.Equal(t, l.LastIndex(), l.CommitIndex(), "C_new commits with its own majority")
	require.Empty(t, net.violations)

	t.Run("§6: a leader not in C_new steps down once C_new commits", func(t *testing.T) {
		net := newScriptedNet(t, 5, withPeers(3), withJoint)
		elect(t, net, 1)
		l := net.nodes[1]
		_, err := l.ChangeVoters([]raft.NodeID{2, 4, 5})
		require.NoError(t, err)
		net.handle(1)
		for range 4 {
			net.deliverWhere(all)
			if l.Role() == raft.Leader {
				l.FireTimeout()
				net.handle(1)
			}
		}
		assert.Equal(t, raft.Follower, l.Role())
		assert.Equal(t, raft.Membership{Voters: []raft.NodeID{2, 4, 5}}, net.nodes[2].Membership())
		require.Empty(t, net.violations)
	})
	t.Run("§6: an election during the joint phase needs both majorities", func(t *testing.T) {
		n := restartNode(t, config(4, 5), raft.HardState{Term: 1},
			[]raft.Entry{{Term: 1, Index: 1, Kind: raft.EntryConfig, Data: joint.String()}})
		n.FireTimeout()
		drain(n)
		step(n, voteResp(1, 4, 2, true))
		step(n, voteResp(5, 4, 2, true))
		assert.Equal(t, raft.Candidate, n.Role(), "all of C_new, but one of C_old")
		step(n, voteResp(2, 4, 2, true))
		assert.Equal(t, raft.Leader, n.Role())
	})
}

func noteOf(rs []raft.Reason, c raft.ReasonCode) (raft.Reason, bool) {
	for _, r := range rs {
		if r.Code == c {
			return r, true
		}
	}
	return raft.Reason{}, false
}

// TestSingleServerBug2015 replays the bug in single-server membership
// changes that Ongaro published in 2015. S1 leads term 1 of {S1..S4} with
// spares S5 and S6 as learners; it promotes S5, but only S5 hears of it.
// S2 wins term 2 with S3 and S4, and promotes S6 before any entry of term 2
// has committed; {S1..S4, S6} commits that and an entry X with S2, S3, S6.
// S1 then wins term 3 with S4 and S5, a majority of its own configuration
// {S1..S5} that shares no majority with S2's, and overwrites X. With the
// fix, S2 must first commit its no-op, which S4 then holds, and S4 refuses
// S1 its vote.
func TestSingleServerBug2015(t *testing.T) {
	for _, fixOff := range []bool{true, false} {
		t.Run(fmt.Sprintf("fix off=%v", fixOff), func(t *testing.T) {
			net := newScriptedNet(t, 6, withPeers(4), func(c *raft.Config) { c.Unsafe.ConfigChangeBeforeTermCommit = fixOff })
			elect(t, net, 1)
			s1, s2 := net.nodes[1], net.nodes[2]
			notS56 := func(m raft.Message) bool { return m.From <= 4 && m.To <= 4 }

			// S5 and S6 join as learners; S2..S4 learn both entries are
			// committed.
			for _, id := range []raft.NodeID{5, 6} {
				_, err := s1.AddServer(id)
				require.NoError(t, err)
				net.handle(1)
				net.deliverWhere(notS56)
			}
			s1.FireTimeout()
			net.handle(1)
			net.deliverWhere(notS56)
			require.Equal(t, raft.Membership{Voters: ids(4), Learners: []raft.NodeID{5, 6}}, s2.Membership())
			require.Equal(t, s1.LastIndex(), s2.CommitIndex())

			// S5 catches up and S1 promotes it; only S5 hears of that.
			net.deliverWhere(between(1, 5))
			require.Equal(t, []raft.NodeID{1, 2, 3, 4, 5}, s1.Peers(), "S1 promoted S5")
			require.Equal(t, []raft.NodeID{1, 2, 3, 4, 5}, net.nodes[5].Peers())
			net.dropWhere(all)
			net.crash(1)

			// S2 wins term 2 with S3 and S4 (its configuration is {S1..S4});
			// S4 gets none of term 2's entries.
			s2.FireTimeout()
			net.handle(2)
			net.deliverWhere(func(m raft.Message) bool { return m.Type == raft.MsgVote || m.Type == raft.MsgVoteResp })
			require.Equal(t, raft.Leader, s2.Role())
			net.dropWhere(func(m raft.Message) bool { return m.To == 4 })
			// S6 catches up with S2.
			net.deliverWhere(between(2, 6))
			if fixOff {
				require.Equal(t, []raft.NodeID{1, 2, 3, 4, 6}, s2.Peers(), "S2 promoted S6 before committing an entry of term 2")
				s2.Propose("X")
				net.handle(2)
				net.deliverWhere(between(2, 3, 6))
				s2.FireTimeout()
				net.handle(2)
				net.deliverWhere(between(2, 3, 6))
				require.Equal(t, s2.LastIndex(), s2.CommitIndex(), "X is committed by S2, S3, S6")
			} else {
				assert.Equal(t, ids(4), s2.Peers(), "with the fix, S2 waits for an entry of term 2 to commit")
				s2.FireTimeout() // the heartbeat brings S3 and S4 the no-op
				net.handle(2)
				net.deliverWhere(between(2, 3, 4, 6))
				assert.Equal(t, []raft.NodeID{1, 2, 3, 4, 6}, s2.Peers(), "then it promotes S6")
				assert.Equal(t, raft.Term(2), net.nodes[4].Status().LastTerm, "S4 holds term 2's no-op")
			}
			require.Empty(t, net.violations)
			net.dropWhere(func(m raft.Message) bool { return m.To == 4 || m.To == 5 })

			// S1 comes back and campaigns in its configuration {S1..S5};
			// S4 already voted in term 2, so S1 needs term 3.
			net.restart(1)
			for range 2 {
				net.nodes[1].FireTimeout()
				net.handle(1)
				net.deliverWhere(between(1, 4, 5))
			}
			if fixOff {
				assert.Equal(t, raft.Leader, net.nodes[1].Role(), "S1, S4, S5: a majority of {S1..S5}")
				assert.Contains(t, fmt.Sprint(net.violations), "leader completeness", "S1 lacks X, which S2 committed")
				return
			}
			assert.NotEqual(t, raft.Leader, net.nodes[1].Role(), "S4 refuses: its log has term 2")
			assert.Empty(t, net.violations)
		})
	}
}

// TestMembershipRandom runs random schedules with servers added (as
// learners, then promoted), removed, and (with joint consensus) replaced
// several at a time; compactions, crashes, restarts, lost, duplicated and
// delayed messages and cut links — up to 9 servers, some outside the
// configuration at the start — and checks safety after every step; then
// heals and checks that the members converge.
func TestMembershipRandom(t *testing.T) {
	seeds := 300
	if testing.Short() {
		seeds = 30
	}
	changes := 0
	for seed := range uint64(seeds) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			n := 3 + int(seed%7)
			opts := []func(*raft.Config){withPeers(max(1, n-2-int(seed%2)))}
			if seed%2 == 1 {
				opts = append(opts, withJoint)
			}
			net := newRandNet(t, seed, n, opts...)
			r := net.rng
			for range 1500 {
				net.step(func(id raft.NodeID, k int) bool {
					nd := net.nodes[id]
					switch {
					case k < 25:
						net.compact(id)
					case k < 45 && nd != nil && nd.Role() == raft.Leader:
						target := raft.NodeID(1 + r.IntN(n))
						if _, err := nd.AddServer(target); err == nil {
							changes++
						}
						net.handle(id)
					case k < 60 && nd != nil && nd.Role() == raft.Leader:
						m := nd.Membership()
						members := m.Members()
						if _, err := nd.RemoveServer(members[r.IntN(len(members))]); err == nil {
							changes++
						}
						net.handle(id)
					case k < 70 && nd != nil && nd.Role() == raft.Leader:
						var voters []raft.NodeID
						for _, v := range ids(n) {
							if r.IntN(2) == 0 {
								voters = append(voters, v)
							}
						}
						if _, err := nd.ChangeVoters(voters); err == nil {
							changes++
						}
						net.handle(id)
					case k < 85:
						a, b := 1+r.IntN(n), 1+r.IntN(n)
						net.cut[a][b] = !net.cut[a][b]
					case k < 90:
						net.cut = [raft.MaxNodes + 1][raft.MaxNodes + 1]bool{}
					default:
						return false
					}
					return true
				})
				require.Empty(t, net.violations)
			}
			net.cut = [raft.MaxNodes + 1][raft.MaxNodes + 1]bool{}
			net.healMembers(120)
			require.Empty(t, net.violations)
			lead := net.leader()
			require.NotEqual(t, raft.None, lead, "a leader after healing")
			ln := net.nodes[lead]
			for _, id := range ln.Membership().Members() {
				nd := net.nodes[id]
				assert.Equal(t, ln.LastIndex(), nd.LastIndex(), "%v converged", id)
				assert.Equal(t, ln.CommitIndex(), nd.CommitIndex(), "%v converged", id)
				assert.True(t, ln.Membership().Equal(nd.Membership()), "%v uses %v, the leader %v", id, nd.Membership(), ln.Membership())
			}
		})
	}
	assert.Greater(t, changes, seeds, "changes started")
}
