package sim

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// persistedBytes is what Raft itself keeps on a server's disk, in the
// core's compact encoding (raft.MemoryStorage.AppendRaftState): the
// HardState, the snapshot's metadata and the log after it. The state
// machine image a snapshot carries is the application's, kept beside it.
func persistedBytes(d disk) int {
	st := raft.MemoryStorage{HardState: d.hs, Entries: d.log}
	if d.snap != nil {
		st.Snapshot = *d.snap
		st.Snapshot.Data = ""
	}
	return len(st.AppendRaftState(nil))
}

// commands plays n client commands through S1, the leader, delivering
// everything after each batch of ten, then one heartbeat round so that
// every server learns the last commit index. It returns the largest
// persisted state of any server seen along the way.
func commands(t testing.TB, c *Cluster, n int) (largest int) {
	for i := 0; i < n; i++ {
		require.NoError(t, c.Do(Action{Op: OpPropose, Node: 1, Command: "set k" + strconv.Itoa(i%10) + " " + strconv.Itoa(i)}))
		if i%10 == 9 {
			require.NoError(t, c.Do(Action{Op: OpFlush}))
			for _, s := range c.w.servers {
				largest = max(largest, persistedBytes(s.disk))
			}
		}
	}
	require.NoError(t, c.DoAll([]Action{{Op: OpFlush}, {Op: OpTimeout, Node: 1}, {Op: OpFlush}}))
	return largest
}

func compactionCluster(t testing.TB, every int) *Cluster {
	c, err := NewFromText("compaction", 1, "nodes: 3\ntimers: frozen\nlatency: 10\ncompact-every: "+strconv.Itoa(every)+
		"\nsetup:\n  timeout S1; flush\n")
	require.NoError(t, err)
	return c
}

// With a compaction every 10 applied entries, what Raft keeps on each
// server's disk stays proportional to the entries kept, not to the
// history: under 2,000 bytes however many commands have run (issue 11),
// while without compaction it grows with every command. The state machine
// is the same either way.
func TestPersistedStateStaysSmallWithCompaction(t *testing.T) {
	c := compactionCluster(t, 10)
	largest := commands(t, c, 1000)
	require.Less(t, largest, 2000, "persisted bytes of a server at any point")
	st := c.State()
	for _, n := range st.Nodes {
		require.Equal(t, raft.Index(1001), n.CommitIndex, "%v committed every command", n.ID)
		require.GreaterOrEqual(t, n.SnapshotIndex, raft.Index(990), "%v compacted", n.ID)
		require.LessOrEqual(t, len(n.Log), 10, "%v keeps at most the entries since its last compaction", n.ID)
	}
	require.Empty(t, c.Violations())

	plain, err := NewFromText("plain", 1, "nodes: 3\ntimers: frozen\nlatency: 10\nsetup:\n  timeout S1; flush\n")
	require.NoError(t, err)
	commands(t, plain, 1000)
	for i, s := range plain.w.servers {
		require.Greater(t, persistedBytes(s.disk), 10*persistedBytes(c.w.servers[i].disk), "without compaction the log keeps every command")
	}
	require.Equal(t, st.Nodes[0].KV, plain.State().Nodes[0].KV, "the same state machine")
}

// BenchmarkPersistedBytes plays 1,000 client commands through a
// three-server cluster that compacts every 10 applied entries and reports
// what Raft keeps on each server's disk at the end (the largest of the
// three), and the simulator's cost per command.
func BenchmarkPersistedBytes(b *testing.B) {
	bytes := 0
	for i := 0; i < b.N; i++ {
		c := compactionCluster(b, 10)
		commands(b, c, 1000)
		bytes = 0
		for _, s := range c.w.servers {
			bytes = max(bytes, persistedBytes(s.disk))
		}
	}
	b.ReportMetric(float64(bytes), "persisted-B/server")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1000), "ns/command")
}
