package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// TestRandomSchedulesWithCompactionAndMembershipAreSafe runs seeded fault
// schedules in which servers compact their logs (on their own and when
// told), lagging servers get snapshots, spares start outside the
// configuration, and leaders are asked to add and remove servers — one at
// a time, or (every other seed) by joint consensus, which also replaces
// several voters at once — among crashes, restarts, partitions and lost,
// duplicated and reordered messages, with 3 to 9 servers. The checker,
// which also checks each decision against the configuration it was made
// in, must find nothing, and the schedules must exercise every part.
func TestRandomSchedulesWithCompactionAndMembershipAreSafe(t *testing.T) {
	const actions = 500
	n := schedules(t, 2000)
	decided := map[raft.ReasonCode]int{}
	for i := 0; i < n; i++ {
		opt := RandomOptions{Nodes: 3 + i%7, Seed: int64(i + 1), Actions: actions, Compaction: true, Membership: true, Joint: i%2 == 1}
		opt.Observe = func(e *Event) {
			if e.Kind == EvNote {
				decided[e.Reason.Code]++
			}
		}
		c, err := RandomRun(opt)
		require.NoError(t, err)
		if v := safetyViolations(c); len(v) > 0 { // a stale local read is no failure of Raft
			t.Fatalf("seed %d: %s\nreplay: %s", opt.Seed, English.ViolationText(v[0]), ReplayCommand(opt))
		}
		require.Equal(t, actions, c.Position())
	}
	t.Logf("%d schedules of %d actions: %d compactions, %d snapshots installed, %d servers added as learners, "+
		"%d promoted, %d removed, %d joint changes", n, actions, decided[raft.LogCompacted],
		decided[raft.SnapshotInstalled]+decided[raft.SnapshotInstalledKeptLog], decided[raft.ConfigLearnerAdded],
		decided[raft.LearnerCaughtUp], decided[raft.ConfigServerRemoved], decided[raft.ConfigJointEntered])
	for _, code := range []raft.ReasonCode{raft.LogCompacted, raft.SnapshotSent, raft.SnapshotInstalled,
		raft.SnapshotInstalledKeptLog, raft.SnapshotIgnoredOld, raft.SnapshotAcked, raft.ConfigLearnerAdded,
		raft.LearnerCaughtUp, raft.ConfigVoterAdded, raft.ConfigServerRemoved, raft.ConfigJointEntered,
		raft.ConfigJointLeft, raft.ConfigRolledBack, raft.ConfigFromSnapshot, raft.LeaderRemovedSteppedDown,
		raft.CampaignSkippedNotVoter} {
		assert.Greater(t, decided[code], n/100, "too few %v", code)
	}
}

// Once the faults stop — every server restarted, every link healed, and
// the servers the committed configuration left out shut down (a removed
// server that never learned of its removal would keep starting elections:
// dissertation §4.2.3) — the members of the leader's configuration
// converge: the same configuration, log end, commit index and state
// machine.
func TestRandomMembershipSchedulesConverge(t *testing.T) {
	for seed := int64(1); seed <= int64(schedules(t, 60)); seed++ {
		opt := RandomOptions{Nodes: 3 + int(seed%7), Seed: seed, Actions: 600, Compaction: true, Membership: true, Joint: seed%2 == 0}
		c, err := RandomRun(opt)
		require.NoError(t, err)
		where := ReplayCommand(opt)
		_, down := c.w.upDown()
		for _, id := range down {
			require.NoError(t, c.Do(Action{Op: OpRestart, Node: id}))
		}
		require.NoError(t, c.DoAll([]Action{{Op: OpHeal}, {Op: OpDropRate}, {Op: OpUnfreeze}, {Op: OpAdvance, Millis: 1000}}))
		committed := c.w.check.config.conf
		for _, s := range c.w.servers {
			if !committed.IsVoter(s.id) && !committed.IsLearner(s.id) {
				require.NoError(t, c.Do(Action{Op: OpCrash, Node: s.id}))
			}
		}
		require.NoError(t, c.Do(Action{Op: OpAdvance, Millis: 5000}))
		require.Empty(t, safetyViolations(c), where)
		st := c.State()
		var lead *NodeState
		for i := range st.Nodes {
			if n := &st.Nodes[i]; n.Role == raft.Leader && (lead == nil || n.Term > lead.Term) {
				lead = n
			}
		}
		require.NotNil(t, lead, "a leader after healing: %s", where)
		for _, id := range lead.Membership.Members() {
			n := st.Nodes[id-1]
			last := func(n NodeState) raft.Index { return n.SnapshotIndex + raft.Index(len(n.Log)) }
			require.Equal(t, last(*lead), last(n), "%v's log end: %s", id, where)
			require.Equal(t, lead.CommitIndex, n.CommitIndex, "%v's commit: %s", id, where)
			require.Equal(t, lead.KV, n.KV, "%v's state machine: %s", id, where)
			require.True(t, lead.Membership.Equal(n.Membership), "%v uses %v, the leader %v: %s", id, n.Membership, lead.Membership, where)
		}
	}
}
