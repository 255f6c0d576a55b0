package sim

import (
	"testing"

	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// A server's clock that drifts ticks more or less often than once a
// millisecond: with election timeouts of exactly 200 ticks, a clock twice
// as fast times out after 100 ms, a right one after 200, one at 70% after
// 286 (the 200th tick falls in the 286th millisecond).
func TestDriftScalesTicks(t *testing.T) {
	for _, tc := range []struct {
		drift string
		at    int64
	}{{"+100%", 100}, {"+0%", 200}, {"-30%", 286}, {"-90%", 2000}} {
		t.Run(tc.drift, func(t *testing.T) {
			c, err := NewFromText("clock", 1, "nodes: 1\nelection-timeout: 200\nheartbeat: 50\nserver S1: drift "+tc.drift)
			require.NoError(t, err)
			require.NoError(t, c.Do(Action{Op: OpNext}))
			evs := c.Events(0)
			require.NotEmpty(t, evs)
			require.Equal(t, tc.at, evs[0].Time)
			require.Equal(t, raft.ElectionStarted, evs[0].Reason.Code)
		})
	}
}

// ticks and msUntil agree: after msUntil(k) milliseconds the clock has
// ticked at least k times, and one millisecond earlier fewer.
func TestTicksAndMsUntilAgree(t *testing.T) {
	for _, drift := range []int{MinDrift, -333, -1, 0, 7, 250, MaxDrift} {
		for frac := int64(0); frac < 1000; frac += 97 {
			s := &server{drift: drift, tickFrac: frac}
			for k := int64(1); k < 40; k++ {
				ms := s.msUntil(k)
				n, _ := s.ticks(ms)
				require.GreaterOrEqual(t, n, k, "drift %d frac %d k %d", drift, frac, k)
				if ms > 0 {
					n, _ = s.ticks(ms - 1)
					require.Less(t, n, k, "drift %d frac %d k %d", drift, frac, k)
				}
			}
		}
	}
}
