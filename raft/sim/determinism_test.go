package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/trace_digests.txt")

// traceDigests runs a fixed set of random schedules and returns one line per
// run: the seed and the SHA-256 of its whole readable trace.
func traceDigests(t *testing.T) string {
	var b strings.Builder
	for seed := int64(1); seed <= 12; seed++ {
		opt := RandomOptions{Nodes: 3 + int(seed%5), Seed: seed, Actions: 300}
		c, err := RandomRun(opt)
		require.NoError(t, err)
		sum := sha256.Sum256([]byte(English.Trace(c.Events(0))))
		b.WriteString("seed " + strconv.FormatInt(seed, 10) + " nodes " + strconv.Itoa(opt.Nodes) +
			" events " + strconv.Itoa(c.EventCount()) + " sha256 " + hex.EncodeToString(sum[:]) + "\n")
	}
	return b.String()
}

// TestTraceIsDeterministic: the same scenario, seed and actions give a
// byte-identical trace twice in one process, and the same digests as the
// committed file. The test also runs under GOOS=js GOARCH=wasm (make test
// does so with node), where it compares against the same file: native and
// WebAssembly runs give identical traces.
func TestTraceIsDeterministic(t *testing.T) {
	matchesGolden(t, "testdata/trace_digests.txt", "TestTraceIsDeterministic", traceDigests)
}

// matchesGolden requires digests to give the same text twice in one
// process, and the text of the golden file (which -update rewrites): run
// natively and in WebAssembly, both match it.
func matchesGolden(t *testing.T, golden, test string, digests func(*testing.T) string) {
	t.Helper()
	first := digests(t)
	require.Equal(t, first, digests(t), "two runs in one process differ")
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(first), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test ./raft/sim -run "+test+" -update to create it")
	require.Equal(t, string(want), first, "the digests differ from the recorded ones")
}

// TestReplayGivesTheSameRun: replaying (scenario, actions) of a random run
// gives the identical event stream and state.
func TestReplayGivesTheSameRun(t *testing.T) {
	for seed := int64(1); seed <= 20; seed++ {
		opt := RandomOptions{Nodes: 5, Seed: seed, Actions: 300}
		c, err := RandomRun(opt)
		require.NoError(t, err)
		r, err := New(RandomScenario(opt))
		require.NoError(t, err)
		require.NoError(t, r.DoAll(c.History()))
		require.Equal(t, English.Trace(c.Events(0)), English.Trace(r.Events(0)), "seed %d", seed)
		require.Equal(t, c.State(), r.State(), "seed %d", seed)
	}
}

// TestSeekMatchesFreshReplay seeks back and forth over a random run and
// compares each state with a fresh replay of that many actions.
func TestSeekMatchesFreshReplay(t *testing.T) {
	opt := RandomOptions{Nodes: 5, Seed: 42, Actions: 200}
	c, err := RandomRun(opt)
	require.NoError(t, err)
	actions := c.History()
	r := newRNG(7)
	for i := 0; i < 40; i++ {
		k := r.Intn(len(actions) + 1)
		c.Seek(k)
		fresh, err := New(RandomScenario(opt))
		require.NoError(t, err)
		require.NoError(t, fresh.DoAll(actions[:k]))
		got, want := c.State(), fresh.State()
		want.Recorded = got.Recorded // the sought cluster still remembers its future
		require.Equal(t, want, got, "after seeking to %d", k)
		require.Equal(t, English.Trace(fresh.Events(0)), English.Trace(c.Events(0)), "after seeking to %d", k)
	}
	// Undo, then a new action discards the future.
	c.Seek(len(actions))
	require.True(t, c.Undo())
	require.Equal(t, len(actions)-1, c.Position())
	require.True(t, c.Redo())
	require.Equal(t, len(actions), c.Position())
	c.Seek(10)
	require.NoError(t, c.Do(Action{Op: OpHeal}))
	require.Equal(t, 11, c.Position())
	require.Len(t, c.History(), 11)
	require.False(t, c.Redo())
}

// TestInvalidActionChangesNothing: a rejected action leaves no trace.
func TestInvalidActionChangesNothing(t *testing.T) {
	c, err := New(DefaultScenario())
	require.NoError(t, err)
	before := c.State()
	events := c.EventCount()
	for _, a := range []Action{
		{Op: OpTimeout, Node: 9},
		{Op: OpDeliver, Msg: MsgSelector{ID: 99}},
		{Op: OpPropose, Node: 1, Command: "launch rockets"},
		{Op: OpCut, From: 1, To: 1},
		{Op: OpAdvance, Millis: -5},
		{Op: OpRestart, Node: 1, Amnesia: AmnesiaLogTail, LoseTail: 3},
	} {
		require.Error(t, c.Do(a), FormatAction(a))
	}
	require.Equal(t, before, c.State())
	require.Equal(t, events, c.EventCount())
}

// TestAdvancesMergeWithinTheTextLimit: consecutive advances become one
// action, up to the longest advance the action text can carry, so every
// recorded run can be written out and read back.
func TestAdvancesMergeWithinTheTextLimit(t *testing.T) {
	sc := DefaultScenario()
	sc.FrozenTimers = true // an hour of heartbeats would only slow the test
	c, err := New(sc)
	require.NoError(t, err)
	require.NoError(t, c.Do(Action{Op: OpAdvance, Millis: 100}))
	require.NoError(t, c.Do(Action{Op: OpAdvance, Millis: 50}))
	require.Equal(t, []Action{{Op: OpAdvance, Millis: 150}}, c.History())
	require.NoError(t, c.Do(Action{Op: OpAdvance, Millis: MaxAdvance}))
	require.Len(t, c.History(), 2)
	back, err := ParseActions(FormatAction(c.History()[0]) + "\n" + FormatAction(c.History()[1]))
	require.NoError(t, err)
	require.Equal(t, c.History(), back)
}

// TestAdvancesThatCauseEventsStaySteps: while the cluster plays, an advance
// in which something happened stays its own step of history, so a step
// back undoes one frame's events, not the whole time played.
func TestAdvancesThatCauseEventsStaySteps(t *testing.T) {
	c, err := New(DefaultScenario())
	require.NoError(t, err)
	for c.EventCount() == 0 {
		require.NoError(t, c.Do(Action{Op: OpAdvance, Millis: 16}))
	}
	require.Len(t, c.History(), 1, "quiet frames and the first eventful one merge")
	require.NoError(t, c.Do(Action{Op: OpAdvance, Millis: 16}))
	require.Len(t, c.History(), 2, "a frame after an eventful one is a new step")
	events := c.EventCount()
	require.True(t, c.Undo())
	require.Less(t, c.EventCount(), events)
	require.Positive(t, c.EventCount(), "one step back keeps the first frame's events")
}

func TestDropAllEmptiesTheNetwork(t *testing.T) {
	sc := DefaultScenario()
	sc.FrozenTimers = true
	c, err := New(sc)
	require.NoError(t, err)
	require.NoError(t, c.Do(Action{Op: OpTimeout, Node: 1}))
	inFlight := len(c.State().Messages)
	require.Equal(t, 4, inFlight)
	before := c.EventCount()
	require.NoError(t, c.Do(Action{Op: OpDropAll}))
	require.Empty(t, c.State().Messages)
	for _, e := range c.Events(before) {
		require.Equal(t, EvDrop, e.Kind)
	}
	require.Len(t, c.Events(before), inFlight)
}

// A run is written as few actions as can say it: consecutive nexts and
// advances merge while one action could cause their events.
func TestMergedRuns(t *testing.T) {
	tests := []struct {
		name, in string
		events   []int
		want     string
	}{
		{"next runs merge, counts add", "next; next 3; next 1; flush; next", []int{1, 3, 1, 9, 1}, "next 5; flush; next"},
		{"advance sums, broken by other ops", "advance 10; advance 20; next; advance 5", []int{0, 4, 1, 2}, "advance 30; next; advance 5"},
		{"next and advance do not merge together", "next; advance 10; next", []int{1, 1, 1}, "next; advance 10; next"},
		{"next merge capped", "next 99999; next 2", []int{99999, 2}, "next 99999; next 2"},
		{"advance merge capped", "advance 3600000; advance 1", []int{0, 0}, "advance 3600000; advance 1"},
		{"at most an action's events", "advance 10; advance 10; advance 10", []int{MaxEventsPerAction - 5, 5, 1}, "advance 20; advance 10"},
	}
	total := func(ns []int) (sum int) {
		for _, n := range ns {
			sum += n
		}
		return sum
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := mustActions(t, tt.in)
			got, counts := merged(nil, nil, run, tt.events)
			require.Equal(t, mustActions(t, tt.want), got)
			require.Equal(t, total(tt.events), total(counts), "every event is counted once")
			require.Equal(t, mustActions(t, tt.in), run, "the actions given are not changed")
		})
	}
}
