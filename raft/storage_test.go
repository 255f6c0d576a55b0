package raft_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// TestMemoryStorageSnapshot checks that storage follows Ready's snapshot
// contract: keep the snapshot, drop the log through its index, and keep
// the entries after it only if the entry there has the snapshot's term
// (Figure 13, receiver rules 6-7).
func TestMemoryStorageSnapshot(t *testing.T) {
	cases := []struct {
		name      string
		have      raft.Snapshot
		entries   []raft.Entry
		save      raft.Snapshot
		wantSnap  raft.Index
		wantTerms []raft.Term
		wantFirst raft.Index
	}{
		{"Figure 13 rule 6: a matching entry: keep the entries after it", raft.Snapshot{}, mkLog(1, 1, 2, 2),
			raft.Snapshot{Index: 2, Term: 1}, 2, []raft.Term{2, 2}, 3},
		{"Figure 13 rule 7: a different term there: drop the log", raft.Snapshot{}, mkLog(1, 1, 2, 2),
			raft.Snapshot{Index: 3, Term: 3}, 3, nil, 0},
		{"Figure 13 rule 7: a log shorter than the snapshot: drop it", raft.Snapshot{}, mkLog(1, 1),
			raft.Snapshot{Index: 5, Term: 2}, 5, nil, 0},
		{"on top of an earlier snapshot", raft.Snapshot{Index: 2, Term: 1}, ents(3, 2, 2, 2),
			raft.Snapshot{Index: 4, Term: 2}, 4, []raft.Term{2}, 5},
		{"the same snapshot again keeps everything", raft.Snapshot{Index: 2, Term: 1}, ents(3, 2, 2),
			raft.Snapshot{Index: 2, Term: 1}, 2, []raft.Term{2, 2}, 3},
		{"an older snapshot is not saved over a newer one", raft.Snapshot{Index: 4, Term: 2}, ents(5, 2),
			raft.Snapshot{Index: 3, Term: 2}, 4, []raft.Term{2}, 5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &raft.MemoryStorage{HardState: raft.HardState{Term: 3}, Snapshot: tc.have, Entries: tc.entries}
			snap := tc.save
			s.Save(raft.Ready{Snapshot: &snap, SaveSnapshot: true})
			assert.Equal(t, tc.wantSnap, s.Snapshot.Index)
			assert.Equal(t, tc.wantTerms, termsOf(s.Entries))
			if len(s.Entries) > 0 {
				assert.Equal(t, tc.wantFirst, s.Entries[0].Index)
			}
		})
	}
	t.Run("entries saved after a snapshot are placed after it", func(t *testing.T) {
		s := &raft.MemoryStorage{Snapshot: raft.Snapshot{Index: 4, Term: 2}, Entries: ents(5, 2, 2, 2)}
		s.Save(raft.Ready{Entries: ents(6, 3)})
		assert.Equal(t, []raft.Term{2, 3}, termsOf(s.Entries))
		s.Save(raft.Ready{Entries: ents(5, 4, 4)})
		assert.Equal(t, []raft.Term{4, 4}, termsOf(s.Entries), "a truncation right after the snapshot")
		assert.Equal(t, raft.Index(5), s.Entries[0].Index)
	})
	t.Run("a restart from storage hands the snapshot back", func(t *testing.T) {
		s := &raft.MemoryStorage{HardState: raft.HardState{Term: 2}, Snapshot: raft.Snapshot{Index: 4, Term: 2, Data: "image"},
			Entries: ents(5, 2)}
		n, err := s.Restart(config(1, 3))
		require.NoError(t, err)
		rd := drain(n)
		assert.True(t, rd.RestoreSnapshot)
		assert.Equal(t, "image", rd.Snapshot.Data)
		assert.Equal(t, raft.Index(5), n.LastIndex())
	})
}

// TestRaftStateEncoding checks AppendRaftState and UnmarshalRaftState: a
// round trip keeps everything but the snapshot's data, and malformed input
// is refused.
func TestRaftStateEncoding(t *testing.T) {
	full := raft.MemoryStorage{
		HardState: raft.HardState{Term: 300, VotedFor: 7},
		Snapshot: raft.Snapshot{Index: 1000, Term: 290, Data: "not persisted here",
			Config: raft.Membership{Voters: []raft.NodeID{1, 2, 3}, Learners: []raft.NodeID{9}, Outgoing: []raft.NodeID{1, 2, 4}}},
		Entries: []raft.Entry{{Term: 290, Index: 1001, Kind: raft.EntryNoop}, {Term: 300, Index: 1002, Data: "set x 1"},
			{Term: 300, Index: 1003, Kind: raft.EntryConfig, Data: "voters S1 S2 S3"}},
	}
	cases := []struct {
		name string
		s    raft.MemoryStorage
	}{
		{"empty", raft.MemoryStorage{}},
		{"a log without a snapshot", raft.MemoryStorage{HardState: raft.HardState{Term: 2, VotedFor: 1}, Entries: mkLog(1, 2, 2)}},
		{"a snapshot and a log", full},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.s.AppendRaftState(nil)
			var got raft.MemoryStorage
			require.NoError(t, got.UnmarshalRaftState(b))
			want := tc.s
			want.Snapshot.Data = ""
			assert.Equal(t, want.HardState, got.HardState)
			assert.Equal(t, want.Snapshot, got.Snapshot)
			assert.Equal(t, termsOf(want.Entries), termsOf(got.Entries))
			assert.Equal(t, want.Entries, got.Entries)
			n, err := got.Restart(config(1, 3))
			require.NoError(t, err, "what comes back restarts a server")
			assert.Equal(t, tc.s.Snapshot.Index+raft.Index(len(tc.s.Entries)), n.LastIndex())
		})
	}
	t.Run("malformed input is refused and leaves storage as it was", func(t *testing.T) {
		good := full.AppendRaftState(nil)
		for cut := range len(good) {
			s := raft.MemoryStorage{HardState: raft.HardState{Term: 5}}
			assert.Error(t, s.UnmarshalRaftState(good[:cut]), "cut at %d", cut)
			assert.Equal(t, raft.Term(5), s.HardState.Term)
		}
		var s raft.MemoryStorage
		assert.Error(t, s.UnmarshalRaftState(append(good, 0)), "trailing bytes")
		assert.Error(t, s.UnmarshalRaftState([]byte{9}), "unknown version")
		huge := []byte{1, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f}
		assert.Error(t, s.UnmarshalRaftState(huge), "a count the input cannot hold")
	})
}

// persistedAfter runs 3 servers through commands proposals, each server's
// application compacting its log every `every` applied entries, and
// returns the encoded Raft state of each server's storage.
func persistedAfter(tb testing.TB, commands, every int) []int {
	net := newBenchNet(tb, 3)
	next := make([]raft.Index, 4)
	for i := range commands {
		if _, _, ok := net.nodes[1].Propose("set k" + strconv.Itoa(i%10) + " " + strconv.Itoa(i)); !ok {
			tb.Fatal("S1 lost leadership")
		}
		net.handle(1)
		net.deliverAll()
		for id := raft.NodeID(1); id <= 3; id++ {
			n := net.nodes[id]
			if a := net.applied[id]; a >= next[id]+raft.Index(every) {
				if err := n.Compact(a, "image@"+strconv.Itoa(int(a))); err != nil {
					tb.Fatal(err)
				}
				net.handle(id)
				next[id] = a
			}
		}
	}
	sizes := make([]int, 3)
	for id := 1; id <= 3; id++ {
		sizes[id-1] = len(net.stores[id].AppendRaftState(nil))
	}
	return sizes
}

// TestPersistedStateBounded checks that with compaction the persisted Raft
// state (term, vote, snapshot metadata, retained log; not the snapshot's
// bytes) stays proportional to the entries kept: after 1,000 commands (and
// each count up to the next compaction) with a compaction every 10 it is
// under 2,000 bytes per server — under 300 — and without compaction it
// grows with the log.
func TestPersistedStateBounded(t *testing.T) {
	// Every point of a compaction cycle: from just after one to just before
	// the next.
	for commands := 1000; commands < 1010; commands++ {
		for i, size := range persistedAfter(t, commands, 10) {
			assert.Less(t, size, 2000, "S%d after %d commands", i+1, commands)
			assert.Less(t, size, 300, "S%d after %d commands: at most 10 entries of about 14 bytes, and the metadata", i+1, commands)
		}
	}
	for i, size := range persistedAfter(t, 1000, 1<<30) {
		assert.Greater(t, size, 10000, "S%d without compaction", i+1)
	}
}

// BenchmarkPersistedBytes reports the persisted Raft state per server after
// 1,000 commands with a compaction every 10 (and, for comparison, without).
func BenchmarkPersistedBytes(b *testing.B) {
	for _, every := range []int{10, 1 << 30} {
		name := "compact=every10"
		if every > 1000 {
			name = "compact=never"
		}
		b.Run(name, func(b *testing.B) {
			var sizes []int
			for b.Loop() {
				sizes = persistedAfter(b, 1000, every)
			}
			total := 0
			for _, s := range sizes {
				total += s
			}
			b.ReportMetric(float64(total)/float64(len(sizes)), "bytes/server")
		})
	}
}

func ExampleNode_Compact() {
	// One server, so that every entry commits at once.
	n, _ := raft.New(raft.Config{ID: 1, Peers: []raft.NodeID{1}, ElectionTimeoutMin: 10, ElectionTimeoutMax: 10, HeartbeatTicks: 3})
	var disk raft.MemoryStorage
	state := map[string]string{} // the application's state machine
	handle := func() {
		rd := n.Ready()
		disk.Save(rd)
		if rd.RestoreSnapshot {
			state = map[string]string{"x": rd.Snapshot.Data} // a real application decodes its image
		}
		for _, e := range rd.CommittedEntries {
			if e.Kind == raft.EntryCommand {
				state["x"] = e.Data
			}
		}
		n.Advance()
	}
	n.FireTimeout()
	handle()
	for _, v := range []string{"1", "2", "3"} {
		n.Propose(v)
		handle()
	}
	// The application hands over its state as of the last applied entry;
	// the log keeps only what follows.
	if err := n.Compact(n.AppliedIndex(), state["x"]); err != nil {
		panic(err)
	}
	handle()
	fmt.Println("snapshot through", disk.Snapshot.Index, "holds x =", disk.Snapshot.Data, "; entries kept:", len(disk.Entries))

	// After a crash, the server restarts from the snapshot and the log
	// after it; its first Ready resets the state machine.
	n, _ = disk.Restart(raft.Config{ID: 1, Peers: []raft.NodeID{1}, ElectionTimeoutMin: 10, ElectionTimeoutMax: 10, HeartbeatTicks: 3})
	state = nil
	handle()
	fmt.Println("restarted at index", n.AppliedIndex(), "with x =", state["x"])
	// Output:
	// snapshot through 4 holds x = 3 ; entries kept: 0
	// restarted at index 4 with x = 3
}
