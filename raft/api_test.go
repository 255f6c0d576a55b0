package raft_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// TestReasonsDoNotSteer runs random schedules three times in lockstep: as
// is, with every message's Reason stripped in transit, and with
// explanations switched off (Config.Quiet). A Reason explains and never
// steers, so the three runs must reach the same states step by step.
func TestReasonsDoNotSteer(t *testing.T) {
	variants := []struct {
		name     string
		opt      func(*raft.Config)
		features bool // membership changes, compaction, transfers and reads
	}{
		{"defaults", func(*raft.Config) {}, false},
		{"one entry per append", func(c *raft.Config) { c.MaxEntriesPerAppend = 1 }, false},
		{"fast elections", func(c *raft.Config) {
			c.ElectionTimeoutMin, c.ElectionTimeoutMax, c.HeartbeatTicks = 4, 8, 2
		}, false},
		{"announce and coalesce", func(c *raft.Config) {
			c.AnnounceCommit, c.CoalesceAppends, c.MaxEntriesPerAppend = true, true, 2
		}, false},
		{"every switch, with changes, snapshots, transfers and reads", func(c *raft.Config) {
			c.ElectionTimeoutMin, c.ElectionTimeoutMax, c.HeartbeatTicks = 5, 10, 2
			c.PreVote, c.CheckQuorum, c.StickyLeader, c.AnnounceCommit = true, true, true, true
			c.Peers = ids(3)
		}, true},
	}
	seeds := 16
	if testing.Short() {
		seeds = 3
	}
	for _, v := range variants {
		for seed := range uint64(seeds) {
			t.Run(fmt.Sprintf("%s/seed=%d", v.name, seed), func(t *testing.T) {
				n := 3 + int(seed%3)
				plain := newRandNet(t, seed, n, v.opt)
				stripped := newRandNet(t, seed, n, v.opt)
				stripped.strip = true
				quiet := newRandNet(t, seed, n, v.opt, func(c *raft.Config) { c.Quiet = true })
				for i := range 600 {
					plain.step(features(plain, v.features))
					stripped.step(features(stripped, v.features))
					quiet.step(features(quiet, v.features))
					want := plain.state()
					require.Equal(t, want, stripped.state(), "step %d: stripped reasons changed a decision", i)
					require.Equal(t, want, quiet.state(), "step %d: Quiet changed a decision", i)
					if i%100 == 99 {
						require.Equal(t, plain.logs(), stripped.logs())
						require.Equal(t, plain.logs(), quiet.logs())
					}
				}
				require.Empty(t, plain.violations)
				plain.heal(60)
				require.Empty(t, plain.violations)
				require.NotEqual(t, raft.None, plain.leader(), "a leader after healing")
			})
		}
	}
}

// features is a random step's extra actions on net when on: membership
// changes, compaction, leadership transfers, ReadIndex and lease reads.
func features(net *randNet, on bool) func(raft.NodeID, int) bool {
	if !on {
		return nil
	}
	return func(id raft.NodeID, k int) bool {
		r, nd := net.rng, net.nodes[id]
		n := len(net.nodes) - 1
		switch {
		case k < 30:
			net.read(id, r.IntN(2) == 0)
		case k < 45:
			net.compact(id)
		case k < 60 && nd != nil:
			nd.TransferLeadership(raft.NodeID(1 + r.IntN(n)))
			net.handle(id)
		case k < 80 && nd != nil:
			nd.AddServer(raft.NodeID(1 + r.IntN(n)))
			net.handle(id)
		case k < 90 && nd != nil:
			nd.RemoveServer(raft.NodeID(1 + r.IntN(n)))
			net.handle(id)
		default:
			return false
		}
		return true
	}
}

// TestQuiet checks Config.Quiet: no notes, no reasons in messages, and
// HasReady is false when a call only decided something to explain.
func TestQuiet(t *testing.T) {
	c := config(1, 3)
	c.Quiet = true
	n := restartNode(t, c, raft.HardState{Term: 3}, mkLog(1))
	_, _, ok := n.Propose("x")
	require.False(t, ok)
	assert.False(t, n.HasReady(), "a refused proposal only has a note to hand out, and notes are off")

	n.Step(voteResp(2, 1, 2, true)) // a stale reply: ignored, with a note when notes are on
	assert.False(t, n.HasReady())

	rd := step(n, appendReq(2, 1, 2, 1, 1, 0)) // stale term: rejected
	reply := rd.only(t)
	assert.False(t, reply.Success)
	assert.Equal(t, raft.Reason{}, reply.Reason, "no explanation travels")
	assert.Empty(t, rd.Notes)

	loud := restartNode(t, config(1, 3), raft.HardState{Term: 3}, mkLog(1))
	loud.Propose("x")
	assert.True(t, loud.HasReady(), "with notes on, the note is handed out")
}

// TestAnnounceCommit checks Config.AnnounceCommit: when the leader's
// commitIndex advances it sends AppendEntries carrying the new
// leaderCommit at once to every follower not waiting on a probe; without
// it, followers learn it from the next AppendEntries (Figure 2).
func TestAnnounceCommit(t *testing.T) {
	cases := []struct {
		name     string
		announce bool
		wantTo   []raft.NodeID
	}{
		{"off: followers wait for the next AppendEntries", false, nil},
		{"on: an AppendEntries with the new leaderCommit to each follower", true, []raft.NodeID{2, 3}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := config(1, 3)
			c.AnnounceCommit = tc.announce
			l, rd := leader(t, c, raft.HardState{Term: 1}, nil)
			f2 := restartNode(t, config(2, 3), raft.HardState{Term: 1}, nil)
			f3 := restartNode(t, config(3, 3), raft.HardState{Term: 1}, nil)
			step(l, step(f3, appendTo(t, rd, 3)).only(t)) // commits the no-op
			step(l, step(f2, appendTo(t, rd, 2)).only(t))
			require.Equal(t, raft.Index(1), l.CommitIndex())
			l.Propose("x")
			rd = drain(l)
			r2 := step(f2, appendTo(t, rd, 2)).only(t)

			rd = step(l, r2) // "x" is on a majority: committed
			require.Equal(t, raft.Index(2), l.CommitIndex())
			var to []raft.NodeID
			for _, m := range rd.msgs(raft.MsgAppend) {
				to = append(to, m.To)
				assert.Equal(t, raft.Index(2), m.LeaderCommit)
				assert.Empty(t, m.Entries)
			}
			assert.Equal(t, tc.wantTo, to)
			assert.Equal(t, tc.announce, rd.hasNote(raft.CommitAnnounced))
			if tc.announce {
				why, _ := rd.note(raft.CommitAnnounced)
				assert.Equal(t, raft.Reason{Code: raft.CommitAnnounced, Term: 2, Index: 2}, why)
				step(f2, appendTo(t, rd, 2))
				assert.Equal(t, raft.Index(2), f2.CommitIndex(), "the follower applies at once")
			}
		})
	}
	t.Run("on: a follower still being probed is not sent a second request", func(t *testing.T) {
		c := config(1, 3)
		c.AnnounceCommit = true
		l, rd := leader(t, c, raft.HardState{Term: 1}, nil)
		f2 := restartNode(t, config(2, 3), raft.HardState{Term: 1}, nil)
		rd = step(l, step(f2, appendTo(t, rd, 2)).only(t))
		require.Equal(t, raft.Index(1), l.CommitIndex())
		apps := rd.msgs(raft.MsgAppend)
		require.Len(t, apps, 1, "only S2; S3's probe is outstanding")
		assert.Equal(t, raft.NodeID(2), apps[0].To)
	})
}

// TestProposeBatch checks that several commands proposed at once are
// appended in order in the leader's term and sent to a pipelined follower
// in as few AppendEntries as MaxEntriesPerAppend allows.
func TestProposeBatch(t *testing.T) {
	cases := []struct {
		name   string
		cap    int
		probed bool  // S2 still being probed
		sizes  []int // entries per AppendEntries to S2
	}{
		{"Leaders 2-3: a pipelined follower gets the batch in one AppendEntries", 0, false, []int{5}},
		{"Leaders 2-3: MaxEntriesPerAppend splits the batch", 2, false, []int{2, 2, 1}},
		{"Leaders 3: a follower being probed waits for the probe's reply", 0, true, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := config(1, 3)
			c.MaxEntriesPerAppend = tc.cap
			l, rd := leader(t, c, raft.HardState{Term: 1}, mkLog(1))
			if !tc.probed {
				f := restartNode(t, config(2, 3), raft.HardState{Term: 1}, mkLog(1))
				step(l, step(f, appendTo(t, rd, 2)).only(t))
			}
			first, term, ok := l.ProposeBatch([]string{"a", "b", "c", "d", "e"})
			require.True(t, ok)
			assert.Equal(t, raft.Index(3), first)
			assert.Equal(t, raft.Term(2), term)
			rd = drain(l)
			require.Len(t, rd.Entries, 5)
			for i, e := range rd.Entries {
				assert.Equal(t, raft.Entry{Term: 2, Index: 3 + raft.Index(i), Kind: raft.EntryCommand, Data: string(rune('a' + i))}, e)
			}
			var sizes []int
			next := raft.Index(3)
			for _, m := range rd.msgs(raft.MsgAppend) {
				if m.To == 2 {
					assert.Equal(t, next-1, m.PrevLogIndex)
					next += raft.Index(len(m.Entries))
					sizes = append(sizes, len(m.Entries))
				}
			}
			assert.Equal(t, tc.sizes, sizes)
		})
	}
	t.Run("§5.1: a follower refuses a batch", func(t *testing.T) {
		n := restartNode(t, config(1, 3), raft.HardState{Term: 2}, nil)
		_, _, ok := n.ProposeBatch([]string{"a", "b"})
		assert.False(t, ok)
		assert.Empty(t, n.Entries())
		assert.Equal(t, []raft.ReasonCode{raft.ProposalRejected}, drain(n).codes())
	})
	t.Run("an empty batch appends nothing", func(t *testing.T) {
		l, _ := leader(t, config(1, 3), raft.HardState{Term: 1}, nil)
		idx, _, ok := l.ProposeBatch(nil)
		assert.True(t, ok)
		assert.Equal(t, raft.Index(2), idx)
		assert.Equal(t, raft.Index(1), l.LastIndex())
		assert.Empty(t, drain(l).Messages)
	})
}

// TestCoalesceAppends checks Config.CoalesceAppends: proposals made before
// the next Ready go to a pipelined follower in one AppendEntries (or one
// per MaxEntriesPerAppend entries); without it, one per proposal.
func TestCoalesceAppends(t *testing.T) {
	cases := []struct {
		name     string
		coalesce bool
		cap      int
		sizes    []int
	}{
		{"off: one AppendEntries per proposal", false, 0, []int{1, 1, 1, 1, 1}},
		{"on: one AppendEntries for the Ready", true, 0, []int{5}},
		{"on, capped: full messages, then a new one", true, 2, []int{2, 2, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := config(1, 3)
			c.CoalesceAppends, c.MaxEntriesPerAppend = tc.coalesce, tc.cap
			l, rd := leader(t, c, raft.HardState{Term: 1}, mkLog(1))
			f := restartNode(t, config(2, 3), raft.HardState{Term: 1}, mkLog(1))
			step(l, step(f, appendTo(t, rd, 2)).only(t))
			for _, cmd := range []string{"a", "b", "c", "d", "e"} {
				_, _, ok := l.Propose(cmd)
				require.True(t, ok)
			}
			rd = drain(l)
			var sizes []int
			for _, m := range rd.msgs(raft.MsgAppend) {
				if m.To == 2 {
					sizes = append(sizes, len(m.Entries))
				}
			}
			assert.Equal(t, tc.sizes, sizes)
			// Delivered in order, the follower ends with the leader's log.
			for _, m := range rd.msgs(raft.MsgAppend) {
				if m.To == 2 {
					step(l, step(f, m).only(t))
				}
			}
			assert.Equal(t, l.Entries(), f.Entries())
			assert.Equal(t, raft.Index(7), progressOf(t, l, 2).Match)
		})
	}
}

// TestCoalesceAfterCompact: a compaction between two calls of one Ready may
// drop the start of an AppendEntries the Ready holds; the next entries then
// go in a message of their own instead of extending it.
func TestCoalesceAfterCompact(t *testing.T) {
	c := config(1, 3)
	c.CoalesceAppends, c.MaxEntriesPerAppend = true, 3
	l, rd := leader(t, c, raft.HardState{Term: 1}, mkLog(1, 1, 1, 1, 1, 1))
	probe2 := appendTo(t, rd, 2)
	f3 := restartNode(t, config(3, 3), raft.HardState{Term: 1}, mkLog(1, 1, 1, 1, 1, 1))
	step(l, step(f3, appendTo(t, rd, 3)).only(t))
	require.Equal(t, raft.Index(7), l.AppliedIndex())
	f2 := restartNode(t, config(2, 3), raft.HardState{Term: 1}, mkLog(1, 1))
	rd = step(l, step(f2, probe2).only(t)) // the probe is refused: back off to 3
	ack := step(f2, appendTo(t, rd, 2)).only(t)
	require.Equal(t, raft.Index(5), ack.MatchIndex)

	l.Step(ack)                               // this Ready now holds entries 6-7 for S2
	require.NoError(t, l.Compact(6, "image")) // ... whose start is compacted away
	l.Propose("a")
	rd = drain(l)
	var got [][2]raft.Index
	for _, m := range rd.msgs(raft.MsgAppend) {
		if m.To == 2 {
			got = append(got, [2]raft.Index{m.PrevLogIndex, m.PrevLogIndex + raft.Index(len(m.Entries))})
		}
	}
	assert.Equal(t, [][2]raft.Index{{5, 7}, {7, 8}}, got)
}

// TestAccessorsDoNotAllocate checks that the cheap accessors a caller polls
// in a loop do not allocate, unlike Status.
func TestAccessorsDoNotAllocate(t *testing.T) {
	l, _ := leader(t, config(1, 3), raft.HardState{Term: 1}, mkLog(1))
	var sink uint64
	allocs := testing.AllocsPerRun(100, func() {
		sink += uint64(l.CommitIndex()) + uint64(l.AppliedIndex()) + uint64(l.Term()) +
			uint64(l.Role()) + uint64(l.LastIndex()) + uint64(l.Leader())
	})
	assert.Zero(t, allocs)
	assert.Equal(t, raft.Index(2), l.LastIndex())
	assert.Equal(t, raft.Index(0), l.CommitIndex())
	assert.Equal(t, raft.Index(0), l.AppliedIndex())
	_ = sink
}
