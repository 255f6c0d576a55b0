package raft_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// snapReq is an InstallSnapshot from a leader.
func snapReq(from, to raft.NodeID, term raft.Term, index raft.Index, snapTerm raft.Term) raft.Message {
	return raft.Message{Type: raft.MsgSnap, From: from, To: to, Term: term,
		Snapshot: &raft.Snapshot{Index: index, Term: snapTerm, Config: raft.Membership{Voters: ids(3)}, Data: fmt.Sprintf("image@%d", index)}}
}

// TestInstallSnapshotReceiver checks the InstallSnapshot receiver of
// Figure 13 on a follower S1 whose leader is S2, one rule per case.
func TestInstallSnapshotReceiver(t *testing.T) {
	cases := []struct {
		name   string
		hs     raft.HardState
		log    []raft.Term
		commit raft.Index // reached first through a matching heartbeat
		req    raft.Message

		success   bool
		why       raft.Reason
		match     raft.Index
		installed bool        // the snapshot is saved and restored
		after     []raft.Term // the retained log afterwards
		offset    raft.Index  // SnapshotIndex afterwards
		saved     []raft.Term // Ready.Entries' terms
	}{
		{
			name: "InstallSnapshot receiver 1: reply immediately if term < currentTerm",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 2},
			req:   snapReq(2, 1, 2, 5, 2),
			why:   raft.Reason{Code: raft.SnapshotDeniedStaleTerm, Peer: 2, Term: 3, Got: 2, Want: 3},
			after: []raft.Term{1, 2},
		},
		{
			name: "a snapshot not beyond commitIndex is ignored (late, duplicated or overtaken)",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 1, 3, 3},
			commit:  3,
			req:     snapReq(2, 1, 3, 2, 1),
			success: true, match: 3,
			why:   raft.Reason{Code: raft.SnapshotIgnoredOld, Peer: 2, Term: 3, Index: 2, Got: 3},
			after: []raft.Term{1, 1, 3, 3},
		},
		{
			name: "InstallSnapshot receiver 6: an entry with the last included index and term: retain the entries after it",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 1, 2, 3, 3},
			req:     snapReq(2, 1, 3, 3, 2),
			success: true, match: 3, installed: true,
			why:    raft.Reason{Code: raft.SnapshotInstalledKeptLog, Peer: 2, Term: 3, Index: 3, Got: 5},
			after:  []raft.Term{3, 3},
			offset: 3,
		},
		{
			name: "InstallSnapshot receiver 6: the matching entry is the last: the log becomes empty after it",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 2},
			req:     snapReq(2, 1, 3, 2, 2),
			success: true, match: 2, installed: true,
			why:    raft.Reason{Code: raft.SnapshotInstalledKeptLog, Peer: 2, Term: 3, Index: 2, Got: 2},
			offset: 2,
		},
		{
			name: "InstallSnapshot receiver 7: the log is shorter than the snapshot: discard it",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 1},
			req:     snapReq(2, 1, 3, 5, 2),
			success: true, match: 5, installed: true,
			why:    raft.Reason{Code: raft.SnapshotInstalled, Peer: 2, Term: 3, Index: 5, Got: 2},
			offset: 5,
		},
		{
			name: "InstallSnapshot receiver 7: a different term at the last included index: discard the whole log",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 1, 1, 1, 1, 1},
			req:     snapReq(2, 1, 3, 4, 2),
			success: true, match: 4, installed: true,
			why:    raft.Reason{Code: raft.SnapshotInstalled, Peer: 2, Term: 3, Index: 4, Got: 6},
			offset: 4,
		},
		{
			name:    "InstallSnapshot receiver 7: an empty log",
			hs:      raft.HardState{Term: 3},
			req:     snapReq(2, 1, 3, 5, 3),
			success: true, match: 5, installed: true,
			why:    raft.Reason{Code: raft.SnapshotInstalled, Peer: 2, Term: 3, Index: 5, Got: 0},
			offset: 5,
		},
		{
			name: "All Servers 2: a snapshot of a higher term is installed after adopting the term",
			hs:   raft.HardState{Term: 2, VotedFor: 3}, log: []raft.Term{1},
			req:     snapReq(2, 1, 4, 5, 4),
			success: true, match: 5, installed: true,
			why:    raft.Reason{Code: raft.SnapshotInstalled, Peer: 2, Term: 4, Index: 5, Got: 1},
			offset: 5,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := restartNode(t, config(1, 3), tc.hs, mkLog(tc.log...))
			if tc.commit > 0 {
				st := n.Status()
				step(n, appendReq(2, 1, tc.hs.Term, st.LastIndex, st.LastTerm, tc.commit))
				require.Equal(t, tc.commit, n.CommitIndex())
			}
			rd := step(n, tc.req)

			reply := rd.only(t)
			assert.Equal(t, raft.MsgSnapResp, reply.Type)
			assert.Equal(t, raft.NodeID(2), reply.To)
			assert.Equal(t, max(tc.hs.Term, tc.req.Term), reply.Term, "the reply carries currentTerm")
			assert.Equal(t, tc.req.Term, reply.RequestTerm)
			assert.Equal(t, tc.success, reply.Success)
			assert.Equal(t, tc.match, reply.MatchIndex)
			why, ok := rd.note(tc.why.Code)
			require.True(t, ok, "notes: %v", rd.codes())
			assert.Equal(t, tc.why, why)

			assert.Equal(t, tc.installed, rd.SaveSnapshot, "SaveSnapshot")
			assert.Equal(t, tc.installed, rd.RestoreSnapshot, "RestoreSnapshot")
			if tc.installed {
				require.NotNil(t, rd.Snapshot)
				assert.Equal(t, tc.req.Snapshot, rd.Snapshot)
				assert.Equal(t, tc.req.Snapshot.Index, n.CommitIndex(), "everything in a snapshot is committed")
				assert.Equal(t, tc.req.Snapshot.Index, n.AppliedIndex(), "and applied, once restored")
				assert.Empty(t, rd.CommittedEntries, "the snapshot replaces applying its entries")
				assert.Equal(t, raft.NodeID(2), n.Leader())
				assert.Equal(t, raft.Follower, n.Role())
				assert.Equal(t, tc.req.Snapshot.Term, n.Status().SnapshotTerm)
			} else {
				assert.Nil(t, rd.Snapshot)
			}
			assert.Equal(t, tc.after, termsOf(n.Entries()), "retained log")
			assert.Equal(t, tc.offset, n.SnapshotIndex())
			assert.Equal(t, tc.saved, termsOf(rd.Entries))
			for i, e := range n.Entries() {
				assert.Equal(t, n.SnapshotIndex()+raft.Index(i+1), e.Index)
			}
		})
	}
	t.Run("Candidates 3: InstallSnapshot from the new leader of the term makes a candidate follow it", func(t *testing.T) {
		n, _ := candidate(t, config(1, 3), raft.HardState{Term: 1}, mkLog(1))
		rd := step(n, snapReq(2, 1, 2, 4, 2))
		assert.Equal(t, raft.Follower, n.Role())
		assert.Equal(t, raft.NodeID(2), n.Leader())
		assert.Equal(t, raft.FollowedLeader, rd.Notes[0].Code)
		assert.True(t, rd.only(t).Success)
		assert.Equal(t, raft.Index(4), n.SnapshotIndex())
	})
	t.Run("Followers 2: InstallSnapshot from the current leader resets the election timer", func(t *testing.T) {
		n := restartNode(t, config(1, 3), raft.HardState{Term: 2}, nil)
		for range 6 {
			n.Tick()
		}
		step(n, snapReq(2, 1, 2, 3, 2))
		assert.Equal(t, 0, n.Status().ElectionElapsed)
	})
	t.Run("a duplicated snapshot changes nothing the second time", func(t *testing.T) {
		n := restartNode(t, config(1, 3), raft.HardState{Term: 2}, nil)
		req := snapReq(2, 1, 2, 3, 2)
		step(n, req)
		step(n, appendReq(2, 1, 2, 3, 2, 4, ents(4, 2)...))
		require.Equal(t, raft.Index(4), n.CommitIndex())
		rd := step(n, req)
		assert.False(t, rd.SaveSnapshot)
		assert.False(t, rd.RestoreSnapshot)
		assert.Equal(t, raft.Index(4), rd.only(t).MatchIndex)
		assert.Equal(t, []raft.Term{2}, termsOf(n.Entries()))
		assert.Equal(t, raft.Index(4), n.CommitIndex())
	})
}

// TestCompact checks Compact (§7): the application hands over its state up
// to an applied index; the log drops that prefix and keeps the last
// included index and term; the next Ready carries the snapshot to save.
func TestCompact(t *testing.T) {
	// S1 of three servers with five entries, three of them committed and
	// applied.
	mk := func(t *testing.T) *raft.Node {
		n := restartNode(t, config(1, 3), raft.HardState{Term: 2}, mkLog(1, 1, 2, 2, 2))
		step(n, appendReq(2, 1, 2, 5, 2, 3))
		require.Equal(t, raft.Index(3), n.AppliedIndex())
		return n
	}
	cases := []struct {
		name  string
		index raft.Index
		err   string
		after []raft.Term
	}{
		{"§7: compact through the last applied entry", 3, "", []raft.Term{2, 2}},
		{"§7: compact through an earlier applied entry", 1, "", []raft.Term{1, 2, 2, 2}},
		{"an entry not yet applied cannot be compacted", 4, "not applied yet", []raft.Term{1, 1, 2, 2, 2}},
		{"index 0 is already compacted", 0, "already compacted", []raft.Term{1, 1, 2, 2, 2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := mk(t)
			err := n.Compact(tc.index, "image")
			assert.Equal(t, tc.after, termsOf(n.Entries()))
			rd := drain(n)
			if tc.err != "" {
				assert.ErrorContains(t, err, tc.err)
				assert.False(t, rd.SaveSnapshot)
				assert.Equal(t, raft.Index(0), n.SnapshotIndex())
				return
			}
			require.NoError(t, err)
			term := raft.Term(1)
			if tc.index == 3 {
				term = 2
			}
			want := &raft.Snapshot{Index: tc.index, Term: term, Config: raft.Membership{Voters: ids(3)}, Data: "image"}
			assert.True(t, rd.SaveSnapshot)
			assert.False(t, rd.RestoreSnapshot, "the state machine is where the snapshot came from")
			assert.Equal(t, want, rd.Snapshot)
			assert.Equal(t, want, n.Snapshot())
			assert.Equal(t, []raft.Reason{{Code: raft.LogCompacted, Term: 2, Index: tc.index, Got: uint64(tc.index)}}, rd.Notes)
			assert.Equal(t, tc.index, n.SnapshotIndex())
			assert.Equal(t, raft.Index(5), n.LastIndex())
			assert.Equal(t, raft.Term(2), n.Status().LastTerm)
			assert.Empty(t, rd.Messages)

			err = n.Compact(tc.index, "again")
			assert.ErrorContains(t, err, "already compacted")
		})
	}
	t.Run("§7: a compacted follower still checks consistency at the last included entry", func(t *testing.T) {
		n := mk(t)
		require.NoError(t, n.Compact(3, "image"))
		drain(n)
		ok := step(n, appendReq(2, 1, 2, 3, 2, 3, ents(4, 2, 2, 2)...)).only(t)
		assert.True(t, ok.Success)
		assert.Equal(t, raft.Index(6), ok.MatchIndex)
		bad := step(n, appendReq(2, 1, 2, 3, 1, 3)).only(t)
		assert.False(t, bad.Success, "prevLogTerm 1 ≠ the snapshot's last term 2")
		old := step(n, appendReq(2, 1, 2, 1, 1, 3, ents(2, 1, 2, 2)...)).only(t)
		assert.True(t, old.Success, "a request starting inside the compacted prefix matches what it covers")
		assert.Equal(t, []raft.Term{2, 2, 2}, termsOf(n.Entries()))
	})
	t.Run("§5.4.1: votes compare the last entry, which may be the snapshot's", func(t *testing.T) {
		n := mk(t)
		step(n, appendReq(2, 1, 2, 5, 2, 5))
		require.NoError(t, n.Compact(5, "image"))
		drain(n)
		assert.Empty(t, n.Entries())
		deny := step(n, voteReq(3, 1, 3, 4, 2)).only(t)
		assert.False(t, deny.Success)
		assert.Equal(t, raft.VoteDeniedLogIndex, deny.Reason.Code)
		grant := step(n, voteReq(3, 1, 4, 5, 2)).only(t)
		assert.True(t, grant.Success)
	})
}

// TestRestartFromSnapshot checks a restart from a snapshot and the log
// after it (§7): commitIndex and lastApplied start at the snapshot's index,
// and the first Ready hands the snapshot out to reset the state machine.
func TestRestartFromSnapshot(t *testing.T) {
	snap := raft.Snapshot{Index: 4, Term: 2, Config: raft.Membership{Voters: ids(3)}, Data: "image@4"}
	n, err := raft.RestartFromSnapshot(config(1, 3), raft.HardState{Term: 3, VotedFor: 2}, snap, ents(5, 2, 3))
	require.NoError(t, err)
	st := n.Status()
	assert.Equal(t, raft.Index(4), st.CommitIndex)
	assert.Equal(t, raft.Index(4), st.LastApplied)
	assert.Equal(t, raft.Index(4), st.SnapshotIndex)
	assert.Equal(t, raft.Term(2), st.SnapshotTerm)
	assert.Equal(t, raft.Index(6), st.LastIndex)
	assert.Equal(t, raft.Term(3), st.Term)
	require.True(t, n.HasReady())
	rd := drain(n)
	assert.True(t, rd.RestoreSnapshot)
	assert.False(t, rd.SaveSnapshot, "it is on stable storage already")
	assert.Equal(t, &snap, rd.Snapshot)
	assert.Empty(t, rd.CommittedEntries)
	assert.False(t, rd.SaveHardState)
	assert.Empty(t, rd.Entries)
	assert.False(t, n.HasReady())

	// The leader's commit brings the entries after the snapshot.
	rd = step(n, appendReq(2, 1, 3, 6, 3, 6))
	assert.Equal(t, ents(5, 2, 3), rd.CommittedEntries)

	t.Run("the caller's snapshot is not shared", func(t *testing.T) {
		s := raft.Snapshot{Index: 2, Term: 1, Config: raft.Membership{Voters: ids(3)}}
		n, err := raft.RestartFromSnapshot(config(1, 3), raft.HardState{Term: 1}, s, nil)
		require.NoError(t, err)
		s.Config.Voters[0] = 9
		assert.Equal(t, ids(3), n.Snapshot().Config.Voters)
	})
	invalid := []struct {
		name    string
		hs      raft.HardState
		snap    raft.Snapshot
		entries []raft.Entry
	}{
		{"the log does not follow the snapshot", raft.HardState{Term: 3}, snap, ents(6, 2)},
		{"an entry's term below the snapshot's", raft.HardState{Term: 3}, snap, ents(5, 1)},
		{"the snapshot's term above the hard state's", raft.HardState{Term: 1}, snap, nil},
		{"a snapshot index without a term", raft.HardState{Term: 3}, raft.Snapshot{Index: 3}, nil},
	}
	for _, tc := range invalid {
		t.Run("refused: "+tc.name, func(t *testing.T) {
			n, err := raft.RestartFromSnapshot(config(1, 3), tc.hs, tc.snap, tc.entries)
			assert.Error(t, err)
			assert.Nil(t, n)
		})
	}
}

// TestLeaderSendsSnapshot: a leader whose follower needs an entry it has
// compacted sends the snapshot instead of AppendEntries (§7), and
// replication continues after it. This is the case that livelocked before
// InstallSnapshot existed: with the leader's log compacted through 5 and an
// empty follower, the leader probed prevLogIndex 5 forever.
func TestLeaderSendsSnapshot(t *testing.T) {
	cases := []struct {
		name        string
		followerLog []raft.Term
	}{
		{"§7: an empty follower", nil},
		{"§7: a follower that lacks part of the compacted prefix", []raft.Term{1, 1}},
		{"§7: a follower with a conflicting entry inside the compacted prefix", []raft.Term{1, 1, 1, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// S1 applied and compacted five entries, then won term 3.
			snap := raft.Snapshot{Index: 5, Term: 2, Config: raft.Membership{Voters: ids(3)}, Data: "image@5"}
			l0, err := raft.RestartFromSnapshot(config(1, 3), raft.HardState{Term: 2}, snap, nil)
			require.NoError(t, err)
			drain(l0)
			l0.FireTimeout()
			drain(l0)
			rd := step(l0, voteResp(3, 1, 3, true))
			require.Equal(t, raft.Leader, l0.Role())
			f := restartNode(t, config(2, 3), raft.HardState{Term: 2}, mkLog(tc.followerLog...))

			// The probe at prevLogIndex 5 is refused; the leader backs
			// off below its log's start and sends the snapshot.
			probe := appendTo(t, rd, 2)
			require.Equal(t, raft.Index(5), probe.PrevLogIndex)
			rej := step(f, probe).only(t)
			require.False(t, rej.Success)
			rd = step(l0, rej)
			require.Len(t, rd.Messages, 1, "notes: %v", rd.codes())
			m := rd.Messages[0]
			assert.Equal(t, raft.MsgSnap, m.Type)
			assert.Equal(t, &snap, m.Snapshot)
			why, ok := rd.note(raft.SnapshotSent)
			require.True(t, ok)
			assert.Equal(t, raft.Reason{Code: raft.SnapshotSent, Peer: 2, Term: 3, Index: 5, Got: uint64(progressOf(t, l0, 2).Next - 1)}, why)
			pr := progressOf(t, l0, 2)
			assert.Equal(t, raft.ProgressSnapshot, pr.State)
			assert.True(t, pr.Paused)

			// Proposals wait while the snapshot is on its way.
			l0.Propose("x")
			assert.Empty(t, drain(l0).msgs(raft.MsgAppend), "no AppendEntries to S2 while its snapshot is outstanding")

			frd := step(f, m)
			ack := frd.only(t)
			require.True(t, frd.RestoreSnapshot)
			assert.Equal(t, raft.Index(5), ack.MatchIndex)
			rd = step(l0, ack)
			pr = progressOf(t, l0, 2)
			assert.Equal(t, raft.Index(5), pr.Match)
			assert.Equal(t, raft.ProgressReplicate, pr.State)
			why, ok = rd.note(raft.SnapshotAcked)
			require.True(t, ok)
			assert.Equal(t, raft.Reason{Code: raft.SnapshotAcked, Peer: 2, Term: 3, Index: 5, Got: 6}, why)

			// The rest follows as AppendEntries, and the logs converge.
			app := appendTo(t, rd, 2)
			assert.Equal(t, raft.Index(5), app.PrevLogIndex)
			assert.Len(t, app.Entries, 2, "the no-op and x")
			rd = step(l0, step(f, app).only(t))
			assert.Equal(t, raft.Index(7), progressOf(t, l0, 2).Match)
			assert.Equal(t, raft.Index(7), l0.CommitIndex())
			assert.Equal(t, l0.Entries(), f.Entries())
		})
	}
	t.Run("§7: a lost snapshot is sent again with the next heartbeat", func(t *testing.T) {
		l, f := compactedLeader(t)
		snapshotTo(t, l, f) // and lost
		l.FireTimeout()
		rd := drain(l)
		var resent []raft.Message
		for _, m := range rd.Messages {
			if m.To == 2 {
				resent = append(resent, m)
			}
		}
		require.Len(t, resent, 1)
		assert.Equal(t, raft.MsgSnap, resent[0].Type)
	})
	t.Run("§7: late, duplicated and reordered snapshot replies are harmless", func(t *testing.T) {
		l, f := compactedLeader(t)
		m := snapshotTo(t, l, f)
		ack1 := step(f, m).only(t)
		ack2 := step(f, m).only(t) // duplicated: ignored by the follower
		require.Equal(t, raft.SnapshotIgnoredOld, ack2.Reason.Code)
		rd := step(l, ack1)
		step(l, step(f, appendTo(t, rd, 2)).only(t))
		before := progressOf(t, l, 2)
		require.Equal(t, l.LastIndex(), before.Match)
		rd = step(l, ack2)
		rd2 := step(l, ack1)
		assert.Equal(t, before, progressOf(t, l, 2), "a late reply never moves matchIndex back")
		assert.Empty(t, rd.Messages)
		assert.Empty(t, rd2.Messages)
	})
	t.Run("a snapshot reply to an older term's request is ignored", func(t *testing.T) {
		l, _ := compactedLeader(t)
		before := progressOf(t, l, 2)
		rd := step(l, raft.Message{Type: raft.MsgSnapResp, From: 2, To: 1, Term: l.Term(), RequestTerm: l.Term() - 1, Success: true, MatchIndex: 9})
		assert.Equal(t, before, progressOf(t, l, 2))
		assert.Equal(t, raft.ReplyIgnoredStale, rd.Notes[0].Code)
	})
}

// compactedLeader returns S1, leader of term 3 of three servers with its
// log compacted through 5, and an empty follower S2.
func compactedLeader(t *testing.T) (*raft.Node, *raft.Node) {
	t.Helper()
	snap := raft.Snapshot{Index: 5, Term: 2, Config: raft.Membership{Voters: ids(3)}, Data: "image@5"}
	l, err := raft.RestartFromSnapshot(config(1, 3), raft.HardState{Term: 2}, snap, nil)
	require.NoError(t, err)
	drain(l)
	l.FireTimeout()
	drain(l)
	step(l, voteResp(3, 1, 3, true))
	require.Equal(t, raft.Leader, l.Role())
	return l, restartNode(t, config(2, 3), raft.HardState{Term: 3}, nil)
}

// snapshotTo makes l send f its snapshot and returns the message.
func snapshotTo(t *testing.T, l, f *raft.Node) raft.Message {
	t.Helper()
	l.FireTimeout()
	probe := appendTo(t, drain(l), 2)
	rd := step(l, step(f, probe).only(t))
	require.Len(t, rd.Messages, 1)
	require.Equal(t, raft.MsgSnap, rd.Messages[0].Type)
	return rd.Messages[0]
}

// TestSnapshotRandom runs random schedules in which servers compact their
// logs at random moments, with messages lost, duplicated, reordered and
// delayed, crashes and restarts, and checks safety after every step; then
// heals the network and checks that every server converges, lagging ones
// through InstallSnapshot.
func TestSnapshotRandom(t *testing.T) {
	seeds := 400
	if testing.Short() {
		seeds = 40
	}
	installs := 0
	for seed := range uint64(seeds) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			n := 3 + int(seed%3)
			net := newRandNet(t, seed, n, func(c *raft.Config) { c.MaxEntriesPerAppend = int(seed % 3) })
			net.transform = func(m *raft.Message) {
				if m.Type == raft.MsgSnapResp && m.Reason.Code != raft.SnapshotIgnoredOld {
					installs++
				}
			}
			for range 1500 {
				net.step(func(id raft.NodeID, k int) bool {
					if k < 40 {
						net.compact(id)
						return true
					}
					return false
				})
				require.Empty(t, net.violations)
			}
			net.heal(80)
			require.Empty(t, net.violations)
			lead := net.leader()
			require.NotEqual(t, raft.None, lead, "a leader after healing")
			ln := net.nodes[lead]
			for _, id := range net.ids() {
				nd := net.nodes[id]
				assert.Equal(t, ln.LastIndex(), nd.LastIndex(), "%v converged", id)
				assert.Equal(t, ln.CommitIndex(), nd.CommitIndex(), "%v converged", id)
				assert.Equal(t, net.sms[lead], net.sms[id], "%v's state machine", id)
				assert.True(t, slices.Equal(net.stores[id].Entries, nd.Entries()), "%v's storage holds its log", id)
				assert.Equal(t, nd.SnapshotIndex(), net.stores[id].Snapshot.Index)
			}
		})
	}
	assert.Positive(t, installs, "some snapshots were installed")
}
