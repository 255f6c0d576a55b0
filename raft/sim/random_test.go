package sim

import (
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// schedules is how many random schedules TestRandomSchedulesAreSafe runs;
// RAFTLAB_SOAK multiplies it for a longer soak.
func schedules(t *testing.T, base int) int {
	if s := os.Getenv("RAFTLAB_SOAK"); s != "" {
		k, err := strconv.Atoi(s)
		require.NoError(t, err, "RAFTLAB_SOAK must be a whole number")
		return base * k
	}
	if testing.Short() {
		return base / 10
	}
	return base
}

// TestRandomSchedulesAreSafe runs many seeded fault schedules (drops,
// duplicates, reordering, partitions, crashes and restarts, client load) and
// requires the checker to find nothing, and the cluster to make progress.
func TestRandomSchedulesAreSafe(t *testing.T) {
	const actions = 500
	n := schedules(t, 2000)
	committed, leaders := 0, 0
	for i := 0; i < n; i++ {
		opt := RandomOptions{Nodes: 3 + 2*(i%3), Seed: int64(i + 1), Actions: actions}
		c, err := RandomRun(opt)
		require.NoError(t, err)
		if v := safetyViolations(c); len(v) > 0 {
			t.Fatalf("seed %d: %s\nreplay: %s", opt.Seed, English.ViolationText(v[0]), ReplayCommand(opt))
		}
		require.Equal(t, actions, c.Position())
		s := Summarize(c)
		committed += s.Committed
		leaders += s.Leaders
	}
	t.Logf("%d schedules of %d actions: %d leaders elected, %d entries committed (sum of highest indexes)", n, actions, leaders, committed)
	// The schedules must exercise the algorithm, not just idle.
	require.Greater(t, leaders, n, "too few elections")
	require.Greater(t, committed, 5*n, "too few commits")
}

// TestRandomSchedulesWithSwitchesAreLinearizable runs seeded fault
// schedules with every switch of Part 2 on — pre-vote, check-quorum,
// sticky leaders, commit announcements, leadership transfers — and every
// read served by ReadIndex, and requires no safety violation and a
// linearizable history: every read gave what some order of the
// operations explains. Check-quorum steps most deposed leaders down before
// a successor is elected, so schedules without it follow, where deposed
// leaders keep leading and reads go to them (TestUnsafeRulesAreCaught
// shows that these schedules catch a read rule switched off).
func TestRandomSchedulesWithSwitchesAreLinearizable(t *testing.T) {
	const actions = 500
	for _, tc := range []struct {
		name string
		n    int
		opt  RandomOptions
	}{
		{"every switch", 2000, RandomOptions{Switches: true}},
		{"without check-quorum", 1000, RandomOptions{Switches: true, NoCheckQuorum: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := schedules(t, tc.n)
			var reads, served, transfers, leaders int
			for i := 0; i < n; i++ {
				opt := tc.opt
				opt.Nodes, opt.Seed, opt.Actions = 3+2*(i%3), int64(i+1), actions
				c, err := RandomRun(opt)
				require.NoError(t, err)
				if v := c.Violations(); len(v) > 0 {
					t.Fatalf("seed %d: %s\nreplay: %s", opt.Seed, English.ViolationText(v[0]), ReplayCommand(opt))
				}
				require.Equal(t, actions, c.Position())
				for _, op := range c.ClientOps() {
					if !op.Write {
						reads++
						require.Equal(t, ReadByIndex, op.Path)
						if op.Status == OpDone {
							served++
						}
					}
				}
				for _, e := range c.Events(0) {
					if e.Kind == EvNote && e.Reason.Code == raft.TimeoutNowSent {
						transfers++
					}
				}
				leaders += Summarize(c).Leaders
			}
			t.Logf("%d schedules of %d actions: %d leaders, %d transfers, %d reads of which %d served, all linearizable",
				n, actions, leaders, transfers, reads, served)
			require.Greater(t, served, n, "too few reads served")
			require.Greater(t, transfers, n/10, "too few leadership transfers")
		})
	}
}

// TestRandomLeaseReadsAreLinearizable runs fault schedules with the
// switches on (check-quorum with and without) and reads served under the
// leader's lease, with clocks that agree and nothing that lets a server
// stand or vote early (no timer fired by hand, no restart): every read
// served is linearizable. TestDriftedLeaseIsNamed shows a clock that
// drifts past the bound, and TestUnsafeRulesAreCaught a lease not checked.
func TestRandomLeaseReadsAreLinearizable(t *testing.T) {
	const actions = 500
	n := schedules(t, 1000)
	lease := 0
	for i := 0; i < n; i++ {
		opt := RandomOptions{Nodes: 3 + 2*(i%3), Seed: int64(i + 1), Actions: actions, Leases: true, NoCheckQuorum: i%2 == 0}
		c, err := RandomRun(opt)
		require.NoError(t, err)
		if v := c.Violations(); len(v) > 0 {
			t.Fatalf("seed %d: %s\nreplay: %s", opt.Seed, English.ViolationText(v[0]), ReplayCommand(opt))
		}
		for _, op := range c.ClientOps() {
			if !op.Write && op.Status == OpDone && op.Path == ReadByLease {
				lease++
			}
		}
	}
	t.Logf("%d schedules of %d actions: %d reads served under a lease, all linearizable", n, actions, lease)
	require.Greater(t, lease, n, "too few lease reads served")
}

// TestUnsafeRulesAreCaught switches a safety rule off and requires the
// random search to find the violation that rule prevents within a bounded
// number of seeds. (The §5.4.2 rule needs the precise Figure 8 sequence,
// which random search rarely hits; TestFigure8 scripts it.)
func TestUnsafeRulesAreCaught(t *testing.T) {
	cases := []struct {
		name  string
		rules raft.UnsafeRules
		want  []Property
		opt   RandomOptions
	}{
		{"§5.4.1 vote only for an up-to-date log", raft.UnsafeRules{SkipUpToDateCheck: true},
			[]Property{StateMachineSafety, LeaderCompleteness}, RandomOptions{}},
		{"persist votedFor", raft.UnsafeRules{ForgetVote: true},
			[]Property{ElectionSafety}, RandomOptions{}},
		{"dissertation §6.4 confirm a ReadIndex read with a round of heartbeats", raft.UnsafeRules{ReadIndexWithoutRound: true},
			[]Property{Linearizability}, RandomOptions{Switches: true, NoCheckQuorum: true}},
		{"dissertation §6.4.1 serve under a lease only while it holds", raft.UnsafeRules{LeaseReadWithoutLease: true},
			[]Property{Linearizability}, RandomOptions{Leases: true, NoCheckQuorum: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for seed := int64(1); seed <= 2500; seed++ {
				opt := tc.opt
				opt.Nodes, opt.Seed, opt.Actions, opt.Unsafe, opt.StopAtViolation = 3+2*int(seed%2), seed, 400, tc.rules, true
				c, err := RandomRun(opt)
				require.NoError(t, err)
				for _, v := range c.Violations() {
					if containsProperty(tc.want, v.Property) {
						t.Logf("seed %d found: %s (replay: %s)", seed, English.ViolationText(v), ReplayCommand(opt))
						return
					}
				}
			}
			t.Fatalf("no seed in 1..2500 showed %v", tc.want)
		})
	}
}

func containsProperty(ps []Property, p Property) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

func BenchmarkRandomSchedule(b *testing.B) {
	events, actions := 0, 0
	for i := 0; i < b.N; i++ {
		c, err := RandomRun(RandomOptions{Nodes: 5, Seed: int64(i + 1), Actions: 500})
		if err != nil {
			b.Fatal(err)
		}
		events += c.EventCount()
		actions += c.Position()
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(actions)/b.Elapsed().Seconds(), "actions/s")
}

// Random schedules with one, two and unbounded entries per AppendEntries
// (the batching paths of the leader) are safe, and once the faults stop —
// every server restarted, every link healed — the cluster elects a leader
// and every log converges on its log.
func TestRandomSchedulesConverge(t *testing.T) {
	for seed := int64(1); seed <= int64(schedules(t, 60)); seed++ {
		opt := RandomOptions{Nodes: 3 + 2*int(seed%2), Seed: seed, Actions: 600, MaxEntries: []int{1, 2, 1000}[seed%3]}
		c, err := RandomRun(opt)
		require.NoError(t, err)
		require.Empty(t, safetyViolations(c), ReplayCommand(opt))
		_, down := c.w.upDown()
		for _, id := range down {
			require.NoError(t, c.Do(Action{Op: OpRestart, Node: id}))
		}
		require.NoError(t, c.DoAll([]Action{{Op: OpHeal}, {Op: OpDropRate}, {Op: OpUnfreeze}, {Op: OpAdvance, Millis: 3000}}))
		st := c.State()
		leader := -1
		for i, n := range st.Nodes {
			if n.Role == raft.Leader {
				leader = i
			}
		}
		require.GreaterOrEqual(t, leader, 0, "a leader after healing: %s", ReplayCommand(opt))
		for _, n := range st.Nodes {
			require.Equal(t, st.Nodes[leader].Log, n.Log, "S%d converged (seed %d)", n.ID, seed)
			require.Equal(t, st.Nodes[leader].CommitIndex, n.CommitIndex, "S%d commit (seed %d)", n.ID, seed)
		}
		require.Empty(t, safetyViolations(c))
	}
}
