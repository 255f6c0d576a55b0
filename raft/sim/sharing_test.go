package sim

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// Checkpoints share the servers' logs with the live world instead of
// copying them (see limits.go). That is safe only if no two of them ever
// write into the same array. The argument, which this file tests:
//
//   - A clone holds every log with its capacity clipped to its length
//     (raft.Node.Clone, disk.shared), so its first append moves to an array
//     of its own. Only the world or node that allocated an array may append
//     into it, and it appends past its own length, which is at least the
//     length of every clone taken from it.
//   - No log is ever shortened in place: a truncation (AppendEntries
//     receiver rule 3, a write that replaces entries, disk.save), a
//     compaction or an installed snapshot (raftLog.compact, reset,
//     disk.save) copies the entries it keeps to a new array, and a lost tail
//     (disk.loseTail) clips the capacity. So no index a clone can read is
//     written again.
//   - Snapshots are never changed once made, so clones and messages share
//     them.
//
// The test plays random schedules with compactions, snapshots sent to
// lagging servers, restarts that lose entries, checkpoints, and runs
// continued from restored checkpoints (as Cluster.seek does), and checks
// that no checkpoint ever changes.
func TestCheckpointsShareNoWrites(t *testing.T) {
	seen := map[string]int{}
	for seed := int64(1); seed <= 12; seed++ {
		t.Run("seed "+strconv.FormatInt(seed, 10), func(t *testing.T) {
			sc := DefaultScenario()
			sc.Nodes, sc.Seed, sc.MaxEntries = 3+int(seed%3), seed, 4
			live, err := newWorld(&sc)
			require.NoError(t, err)
			violations := 0
			count := func(e *Event) {
				seen[e.Kind.String()]++
				if e.Kind == EvViolation && e.Violation.Property.Safety() {
					violations++
				}
				if e.Kind == EvNote {
					seen[e.Reason.Code.String()]++
				}
			}
			live.out.observe = count
			r := newRNG(seed * 7919)
			type checkpoint struct {
				w    *world
				seen string // everything readable in w when it was taken
			}
			var cps []checkpoint
			compactions, loseTail := 0, seed%2 == 1
			mix := randomMix(&RandomOptions{Switches: seed%3 == 0})
			for step := 0; step < 1500; step++ {
				switch k := r.Intn(20); {
				case k == 0:
					cp := live.clone()
					requireClipped(t, cp)
					cps = append(cps, checkpoint{cp, worldText(cp)})
				case k == 1 && len(cps) > 0:
					// Go on from a restored checkpoint, as a seek back does.
					live = cps[r.Intn(len(cps))].w.clone()
					live.out = &eventLog{observe: count}
				case k <= 4:
					compactions += compactSome(t, live, &r)
				case k <= 7:
					// Client load, so there are logs to compact.
					for _, s := range live.servers {
						if s.node != nil && s.node.Role() == raft.Leader {
							require.NoError(t, live.apply(Action{Op: OpPropose, Node: s.id, Command: "set k" + strconv.Itoa(step%5) + " " + strconv.Itoa(step)}))
						}
					}
				case k == 8 && loseTail:
					// Losing persisted entries is unsafe (the checker may
					// then report violations), but it shortens disk logs.
					s := live.servers[r.Intn(len(live.servers))]
					if s.disk.lastIndex() > s.disk.snapIndex() {
						require.NoError(t, live.apply(Action{Op: OpRestart, Node: s.id, Amnesia: AmnesiaLogTail, LoseTail: 1}))
					}
				default:
					s := mix[r.Intn(len(mix))]
					if a, ok := s.random(live, &r); ok {
						_ = live.apply(a) // some find nothing to do
					}
				}
			}
			require.Positive(t, compactions, "the schedule compacts logs")
			if !loseTail {
				require.Zero(t, violations, "a safe run breaks no property: the checker reads compacted logs right")
			}
			for i, cp := range cps {
				require.Equal(t, cp.seen, worldText(cp.w), "checkpoint %d changed after it was taken", i)
			}
			requireSameStateMachines(t, live)
		})
	}
	// The schedules reach every case of the argument (a snapshot that
	// keeps the log after it: TestSnapshotKeepsTheLogAfterIt).
	for _, what := range []string{"snapshot", "restore", "entries-truncated", "snapshot-installed", "log-compacted"} {
		require.Positive(t, seen[what], what)
	}
}

// compactSome compacts a running server's log through its applied index,
// with its state machine's image, and reports how many it did.
func compactSome(t *testing.T, w *world, r *rng) int {
	s := w.servers[r.Intn(len(w.servers))]
	if s.node == nil || s.node.AppliedIndex() <= s.node.SnapshotIndex() {
		return 0
	}
	require.NoError(t, s.node.Compact(s.node.AppliedIndex(), s.kv.Snapshot()))
	w.handle(s)
	return 1
}

// requireClipped checks the structural half of the argument: a clone can
// append into no array it shares.
func requireClipped(t *testing.T, w *world) {
	for _, s := range w.servers {
		require.Equal(t, len(s.disk.log), cap(s.disk.log), "%v's disk log in a clone", s.id)
		if s.node != nil {
			require.Equal(t, len(s.node.Entries()), cap(s.node.Entries()), "%v's log in a clone", s.id)
		}
	}
}

// worldText writes out everything a world's servers and network hold that
// a checkpoint restores: logs in memory and on disk, snapshots, state
// machines, and the entries of messages in flight.
func worldText(w *world) string {
	var b strings.Builder
	for _, s := range w.servers {
		fmt.Fprintf(&b, "%v disk %+v %v %v kv %v\n", s.id, s.disk.hs, snapText(s.disk.snap), s.disk.log, s.kv.Pairs())
		if s.node != nil {
			fmt.Fprintf(&b, "  node %v %v\n", snapText(s.node.Snapshot()), s.node.Entries())
		}
	}
	for i := range w.clients.ops.len() {
		fmt.Fprintf(&b, "op %+v\n", w.clients.ops.at(i))
	}
	for i := range w.net.len() {
		m := w.net.at(i)
		fmt.Fprintf(&b, "msg %d %v %v %v\n", m.ID, m.Type, m.Entries, snapText(m.Snapshot))
	}
	return b.String()
}

func snapText(s *raft.Snapshot) string {
	if s == nil {
		return "no snapshot"
	}
	return fmt.Sprintf("snapshot %d/%d %q", s.Index, s.Term, s.Data)
}

// requireSameStateMachines: servers that applied the same entries hold the
// same state, whether they applied every entry or restored a snapshot.
func requireSameStateMachines(t *testing.T, w *world) {
	byApplied := map[raft.Index]string{}
	for _, s := range w.servers {
		if s.node == nil || s.node.AppliedIndex() == 0 {
			continue
		}
		kv := fmt.Sprint(s.kv.Pairs())
		if other, ok := byApplied[s.node.AppliedIndex()]; ok {
			require.Equal(t, other, kv, "%v's state machine at index %d", s.id, s.node.AppliedIndex())
		}
		byApplied[s.node.AppliedIndex()] = kv
	}
}

// A snapshot whose last entry a follower holds keeps the follower's log
// after it (Figure 13, receiver rule 6), on disk as in memory; then the
// conflicting entries after it are replaced, and a restart starts from the
// snapshot. Checkpoints taken on the way do not change.
func TestSnapshotKeepsTheLogAfterIt(t *testing.T) {
	c, err := NewFromText("kept.txt", 1, `nodes: 3
timers: frozen
server S1: term 3 log [1,1,1,2,3]
server S2: term 3 log [1,1,1,2,3]
server S3: term 2 log [1,1,1,2,2,2]
`)
	require.NoError(t, err)
	w := c.w
	do := func(text string) {
		as, err := ParseActions(text)
		require.NoError(t, err)
		for _, a := range as {
			require.NoError(t, w.apply(a), FormatAction(a))
		}
	}
	// S1 wins term 4 and commits its no-op with S2; its AppendEntries to
	// S3 is refused (S3's entry 5 has term 2), and S3's hint sends S1 back
	// to index 4, which S1 has compacted by then.
	do("timeout S1; deliver S1>S2 vote; deliver S2>S1; deliver S1>S3 vote; deliver S3>S1; deliver S1>S2 append; deliver S2>S1")
	before := w.clone()
	beforeText := worldText(before)
	var image KV
	for _, cmd := range []string{"set x1 1", "set x2 2", "set x3 3", "set x4 4"} {
		image.Apply(cmd)
	}
	s1, s3 := w.servers[0], w.servers[2]
	require.NoError(t, s1.node.Compact(4, image.Snapshot()))
	w.handle(s1)
	do("deliver S1>S3 append; deliver S3>S1")
	do("deliver S1>S3 snapshot")
	require.Equal(t, raft.SnapshotInstalledKeptLog, lastNote(w, 3))
	require.Equal(t, raft.Index(4), s3.disk.snapIndex())
	require.Equal(t, []raft.Term{2, 2}, terms(s3.disk.log), "S3's entries 5 and 6 stay on disk")
	require.Equal(t, raft.Index(5), s3.disk.log[0].Index)
	installed := w.clone()
	installedText := worldText(installed)

	do("flush")
	require.Equal(t, []raft.Term{3, 4}, terms(s3.disk.log), "the conflicting entries are replaced")
	do("crash S3; restart S3")
	st := w.state()
	require.Equal(t, raft.Index(4), st.Nodes[2].SnapshotIndex)
	require.Equal(t, raft.Term(2), st.Nodes[2].SnapshotTerm)
	require.Equal(t, []raft.Term{3, 4}, terms(st.Nodes[2].Log))
	require.Equal(t, image.Pairs(), st.Nodes[2].KV, "the restarted state machine is the snapshot's")
	require.Empty(t, w.violations)

	require.Equal(t, beforeText, worldText(before))
	require.Equal(t, installedText, worldText(installed))
}

func lastNote(w *world, id raft.NodeID) raft.ReasonCode {
	evs := w.out.from(0)
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].Kind == EvNote && evs[i].Node == id && evs[i].Reason.Code != raft.ReasonNone {
			return evs[i].Reason.Code
		}
	}
	return raft.ReasonNone
}

func terms(log []raft.Entry) []raft.Term {
	out := make([]raft.Term, len(log))
	for i, e := range log {
		out[i] = e.Term
	}
	return out
}
