package sim

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Figure 2's empty heartbeats are safe with every rule on: random fault
// schedules with them break no property of the log (their reads are
// local, stale by nature), entries are committed; and a scenario says
// "heartbeats: empty".
func TestEmptyHeartbeatsAreSafe(t *testing.T) {
	committed := 0
	for seed := int64(1); seed <= int64(schedules(t, 300)); seed++ {
		opt := RandomOptions{Nodes: 3 + 2*int(seed%2), Seed: seed, Actions: 400, MaxEntries: []int{1, 0}[seed%2]}
		sc := RandomScenario(opt)
		sc.EmptyHeartbeats = true
		c, err := New(sc)
		require.NoError(t, err)
		c.playRandom(opt)
		for _, v := range c.Violations() {
			// Local reads are stale by nature: only the log's properties count.
			require.Equal(t, Linearizability, v.Property, "%s with empty heartbeats: %s", ReplayCommand(opt), English.ViolationText(v))
		}
		committed += Summarize(c).Committed
	}
	require.Positive(t, committed)

	sc, err := ParseScenario("t", "nodes: 3\nheartbeats: empty\n")
	require.NoError(t, err)
	require.True(t, sc.EmptyHeartbeats)
	require.Contains(t, FormatScenario(sc), "heartbeats: empty\n")
	_, err = ParseScenario("t", "heartbeats: none\n")
	require.EqualError(t, err, `t:1: heartbeats: expected "empty" (Figure 2's heartbeats, without entries) or "entries", got "none"`)
}
