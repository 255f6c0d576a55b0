package sim

import (
	"errors"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// An hour of virtual time on a busy cluster is more events than one action
// may cause: the action is refused, names the limit and changes nothing,
// and the cluster goes on (issue 8: advance(3600000) twice killed the page).
func TestAnActionBeyondTheEventLimitIsRefused(t *testing.T) {
	c, err := New(DefaultScenario())
	require.NoError(t, err)
	require.NoError(t, c.Do(Action{Op: OpAdvance, Millis: 1000}))
	before, events := c.State(), c.EventCount()
	for range 2 {
		err := c.Do(Action{Op: OpAdvance, Millis: MaxAdvance})
		var le *LimitError
		require.True(t, errors.As(err, &le), "%v", err)
		assert.Equal(t, "MaxEventsPerAction", le.Limit)
		assert.Contains(t, err.Error(), "sim.MaxEventsPerAction")
		assert.Equal(t, before, c.State())
		assert.Equal(t, events, c.EventCount())
		assert.Len(t, c.Events(events), 0)
	}
	require.Error(t, c.DoAtomic(mustActions(t, "advance 3600000; advance 3600000")))
	assert.Equal(t, before, c.State())
	require.NoError(t, c.Do(Action{Op: OpAdvance, Millis: 1000}), "the cluster goes on")
}

// Playing the default cluster at the top speed (an advance of 83 ms per
// frame) for ten virtual minutes keeps a bounded number of events, actions
// and checkpoints, and little memory, while the run stays complete:
// counted, written out and replayable.
func TestPlayingKeepsMemoryBounded(t *testing.T) {
	c, err := New(DefaultScenario())
	require.NoError(t, err)
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	start := heap()
	for c.Now() < 10*60*1000 {
		require.NoError(t, c.Do(Action{Op: OpAdvance, Millis: 83}))
	}
	assert.LessOrEqual(t, len(c.Events(0)), 2*EventWindow)
	assert.Greater(t, c.FirstEvent(), 0, "old events were dropped")
	assert.Greater(t, c.EventCount(), 2*EventWindow, "and are still counted")
	assert.LessOrEqual(t, len(c.History()), MaxHistory)
	assert.LessOrEqual(t, len(c.cps), MaxHistory/CheckpointEvery+1)
	assert.Greater(t, c.Position(), MaxHistory)
	assert.Less(t, heap()-min(heap(), start), uint64(64<<20), "the cluster holds less than 64 MB")

	run, err := c.Run()
	require.NoError(t, err)
	assert.Less(t, len(run), 5, "consecutive advances are merged within the limits of an action")
	replayed := 0
	require.NoError(t, c.Replay(func(e *Event) { replayed++ }))
	assert.Equal(t, c.EventCount(), replayed)
	fresh, err := New(DefaultScenario())
	require.NoError(t, err)
	require.NoError(t, fresh.DoAll(run))
	assert.Equal(t, c.State().Nodes, fresh.State().Nodes, "the merged run rebuilds the state")
	assert.Equal(t, Summarize(c).Messages, Summarize(fresh).Messages)

	c.Seek(c.Oldest())
	assert.Equal(t, c.Oldest(), c.Position(), "the history goes back MaxHistory actions")
}

// longLog is a frozen scenario whose S1 holds n entries of term 1.
func longLog(n int) string {
	var b strings.Builder
	b.WriteString("nodes: 3\ntimers: frozen\nserver S1: term 1 log [")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('1')
	}
	b.WriteString("]\n")
	return b.String()
}

// A frozen scenario with a 40,000-entry log, then "timeout S1; flush":
// every Ready used to rescan whole logs and the key/value store shifted
// every key on each new one (seconds natively, a minute in a browser).
// BenchmarkLongLogFlush shows the cost now grows with the log, linearly.
func TestLongLogReplicates(t *testing.T) {
	c, err := NewFromText("long.txt", 1, longLog(40000))
	require.NoError(t, err)
	// The second heartbeat carries the commit index to the followers.
	require.NoError(t, c.DoAll(mustActions(t, "timeout S1; flush; timeout S1; flush")))
	for _, n := range c.State().Nodes {
		require.Len(t, n.Log, 40001, "S%d", n.ID)
		require.Equal(t, raft.Index(40001), n.LastApplied, "S%d", n.ID)
		require.Len(t, n.KV, 40000, "S%d", n.ID)
	}
	assert.Empty(t, c.Violations())
}

func BenchmarkLongLogFlush(b *testing.B) {
	for _, n := range []int{10000, 40000} {
		text := longLog(n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for range b.N {
				c, err := NewFromText("long.txt", 1, text)
				require.NoError(b, err)
				require.NoError(b, c.DoAll(mustActions(b, "timeout S1; flush")))
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/entry")
		})
	}
}

// 20,000 setup lines of "timeout S1" used to take a minute: each message
// sent shifted every one in flight. Now sending costs no more than finding
// its arrival time, and the network holds at most MaxInFlight messages.
func TestManySetupTimeouts(t *testing.T) {
	text := "nodes: 3\ntimers: frozen\nsetup:\n" + strings.Repeat("  timeout S1\n", 20000)
	c, err := NewFromText("many.txt", 1, text)
	require.NoError(t, err)
	st := c.State()
	assert.Equal(t, raft.Term(20000), st.Nodes[0].Term)
	assert.Len(t, st.Messages, MaxInFlight)
	full := 0
	for _, e := range c.Events(0) {
		if e.Kind == EvLost && e.Loss == LostNetworkFull {
			full++
		}
	}
	assert.Positive(t, full, "messages beyond MaxInFlight are lost")
	assert.Contains(t, English.Trace(c.Events(c.EventCount()-1)), "the network is full")
}

// A message that arrives before all others in flight moves none of them.
func TestSendingMovesNoMessageInFlight(t *testing.T) {
	var n network
	for i := 1; i <= 1000; i++ {
		n.insert(Message{ID: i, ArriveAt: 100 + int64(i%7)})
	}
	first := &n.slots[0].msgs[n.slots[0].head]
	n.insert(Message{ID: 1001, ArriveAt: 50})
	assert.Same(t, first, &n.slots[1].msgs[n.slots[1].head], "the earlier slot's messages stay where they were")
	assert.Equal(t, 1001, n.at(0).ID)
	assert.Equal(t, 1001, n.take(0).ID)
	assert.Equal(t, 7, n.at(0).ID, "then arrival time 100, the earliest id first")
}

// markList is a scenario with marks 1, 2, ... up to size bytes.
func markList(size int) (string, int) {
	var b strings.Builder
	b.WriteString("nodes: 3\nmark: ")
	n := 0
	for b.Len() < size {
		if n > 0 {
			b.WriteString(", ")
		}
		n++
		b.WriteString(strconv.Itoa(n))
	}
	return b.String(), n
}

// A 470 KB mark list is read once, mark by mark (BenchmarkMarks: linear).
func TestLongMarkList(t *testing.T) {
	text, n := markList(470000)
	sc, err := ParseScenario("marks.txt", text)
	require.NoError(t, err)
	assert.Len(t, sc.Marks, n)
	_, err = ParseScenario("marks.txt", "mark: 5\nmark: 3, 5")
	assert.EqualError(t, err, "marks.txt:2: mark: 5 is already a mark on line 1")
}

func BenchmarkMarks(b *testing.B) {
	for _, size := range []int{100000, 470000} {
		text, n := markList(size)
		b.Run(strconv.Itoa(size), func(b *testing.B) {
			for range b.N {
				_, err := ParseScenario("marks.txt", text)
				require.NoError(b, err)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/mark")
		})
	}
}

func BenchmarkSetupTimeouts(b *testing.B) {
	for _, n := range []int{5000, 20000} {
		text := "nodes: 3\ntimers: frozen\nsetup:\n" + strings.Repeat("  timeout S1\n", n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for range b.N {
				_, err := NewFromText("many.txt", 1, text)
				require.NoError(b, err)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/line")
		})
	}
}

// A setup that would run for hours fails at its line, naming the limit
// (raftsim -scenario on "setup: advance 3600000; ..." exhausted memory).
func TestSetupBeyondTheLimitsFailsAtItsLine(t *testing.T) {
	_, err := NewFromText("s.txt", 1, "setup: advance 3600000; advance 3600000; advance 3600000\n")
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "s.txt:1: setup: advance 3600000: the action would cause more than 500000 events"), err.Error())
	assert.Contains(t, err.Error(), "sim.MaxEventsPerAction")
}

// A leader's log is full at MaxLogLength entries: a proposal is refused.
func TestFullLogRefusesProposals(t *testing.T) {
	terms := strings.TrimSuffix(strings.Repeat("1,", MaxLogLength-1), ",")
	c, err := NewFromText("full.txt", 1, "nodes: 1\ntimers: frozen\nserver S1: term 1 log ["+terms+"]\n")
	require.NoError(t, err)
	require.NoError(t, c.Do(Action{Op: OpTimeout, Node: 1}), "its no-op fills the log")
	err = c.Do(Action{Op: OpPropose, Node: 1, Command: "set x 1"})
	var le *LimitError
	require.True(t, errors.As(err, &le), "%v", err)
	assert.Equal(t, "MaxLogLength", le.Limit)
	_, err = ParseScenario("f.txt", "server S1: term 1 log ["+terms+",1,1]")
	assert.EqualError(t, err, "f.txt:1: server S1: log: more than 100000 entries (sim.MaxLogLength)")
}
