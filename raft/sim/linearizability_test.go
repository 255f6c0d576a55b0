package sim

import (
	"testing"

	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// run starts a cluster from scenario text and applies actions.
func run(t *testing.T, scenario, actions string) *Cluster {
	t.Helper()
	c, err := NewFromText("test", 1, scenario)
	require.NoError(t, err)
	as, err := ParseActions(actions)
	require.NoError(t, err)
	require.NoError(t, c.DoAll(as))
	return c
}

func linearizabilityViolations(c *Cluster) []Violation {
	var out []Violation
	for _, v := range c.Violations() {
		if v.Property == Linearizability {
			out = append(out, v)
		}
	}
	return out
}

const elected = `nodes: 3
timers: frozen
latency: 10
setup:
  timeout S1; flush
`

// A local read at a follower that has not applied a write the leader has
// answered is stale: the checker names the read and the write it missed.
func TestStaleLocalReadIsNamed(t *testing.T) {
	c := run(t, elected, "propose S1 set x 3; deliver S1>S2 append; deliver S2>S1 append-reply; read S2 x")
	vs := linearizabilityViolations(c)
	require.Len(t, vs, 1)
	v := vs[0]
	require.Equal(t, []int{2, 1}, v.Ops, "read #2 contradicts write #1")
	require.Equal(t, "x", v.Key)
	require.Equal(t, []raft.NodeID{2}, v.Nodes)
	require.False(t, v.SeenSet)
	require.True(t, v.OtherWrite)
	require.Equal(t, "set x 3", v.Other)
	require.Equal(t, `read #2 of x at S2 gave not set, but write #1 "set x 3" was done before the read began`, English.ViolationText(v))
	require.Empty(t, safetyViolations(c), "a stale read breaks no safety property")

	// The same read after the follower applied the entry is not stale.
	c = run(t, elected, "propose S1 set x 3; flush; timeout S1; flush; read S2 x")
	require.Empty(t, c.Violations())
	ops := c.ClientOps()
	require.Len(t, ops, 2)
	require.Equal(t, OpDone, ops[1].Status)
	require.Equal(t, "3", ops[1].Value)
}

// A lease read at a leader whose clock runs slower than the lease allows
// for is stale once the others have elected a new leader that answered a
// write; a drift bound that covers the clock makes the lease end in time.
func TestDriftedLeaseIsNamed(t *testing.T) {
	const scenario = `nodes: 3
timers: frozen
latency: 10
sticky-leader: on
reads: lease
server S1: drift -40%
setup:
  timeout S1; flush
  propose S1 set x 1; flush
  read S1 x; flush
`
	const actions = "partition S1 | S2 S3; unfreeze; advance 160; timeout S2; flush; propose S2 set x 2; flush; read S1 x"
	c := run(t, scenario, actions)
	vs := linearizabilityViolations(c)
	require.Len(t, vs, 1)
	require.Equal(t, []int{4, 3}, vs[0].Ops)
	require.Equal(t, `read #4 of x at S1 gave 1, but write #3 "set x 2" was done before the read began`, English.ViolationText(vs[0]))
	ops := c.ClientOps()
	require.Equal(t, ReadByLease, ops[3].Path, "served under the lease")

	c = run(t, scenario+"drift-bound: 70%\n", actions)
	require.Empty(t, c.Violations())
	require.Equal(t, OpPending, c.ClientOps()[3].Status, "the lease is over: the read waits for a round nobody answers")
}

// The checker names a read that went back in time: an earlier read saw a
// value that was written only after every write of what this read saw had
// been answered.
func TestContradictedNamesAnEarlierRead(t *testing.T) {
	var h clientHistory
	push := func(op ClientOp) {
		op.ID = h.ops.len() + 1
		h.ops.push(op)
	}
	push(ClientOp{Write: true, Command: "set x 1", Key: "x", Status: OpDone, CallEvent: 1, ReturnEvent: 2})
	push(ClientOp{Write: true, Command: "set x 2", Key: "x", Status: OpPending, CallEvent: 3, ReturnEvent: -1})
	push(ClientOp{Key: "x", Status: OpDone, CallEvent: 4, ReturnEvent: 5, Value: "2", Found: true})
	push(ClientOp{Key: "x", Status: OpDone, CallEvent: 6, ReturnEvent: 6, Value: "1", Found: true})
	other, ok := contradicted(&h, h.ops.at(3))
	require.True(t, ok)
	require.Equal(t, 3, other.ID)
	v := Violation{Property: Linearizability, Nodes: []raft.NodeID{1}, Ops: []int{4, 3}, Key: "x", Seen: "1", SeenSet: true, Other: "2", OtherSet: true}
	require.Equal(t, "read #4 of x at S1 gave 1, but read #3 had already seen 2 before it began", English.ViolationText(v))

	// Without the write of 2 known pending, nothing stands out: the
	// generic sentence.
	v.Ops = v.Ops[:1]
	require.Equal(t, "read #4 of x at S1 gave 1, which no order of the operations on x explains", English.ViolationText(v))
}

// Writes the leader did not answer may or may not take effect: a read
// that sees one, or does not, is linearizable either way.
func TestUnansweredWritesMayTakeEffect(t *testing.T) {
	// S1 appends x=3, reaches S2 and crashes before hearing back: the
	// write gets no answer. S2 wins the next term and commits it.
	c := run(t, elected, "propose S1 set x 3; deliver S1>S2 append; crash S1; timeout S2; flush; timeout S2; flush; read S2 x; read S3 x")
	require.Empty(t, c.Violations())
	ops := c.ClientOps()
	require.Equal(t, OpUnknown, ops[0].Status)
	require.Equal(t, "3", ops[1].Value)
}

// The history holds at most MaxClientOps operations; later requests run,
// are counted, and are not checked.
func TestHistoryIsBounded(t *testing.T) {
	c := run(t, elected, "")
	for i := 0; i < MaxClientOps+5; i++ {
		require.NoError(t, c.Do(Action{Op: OpRead, Node: 2, Key: "x"}))
	}
	require.Len(t, c.ClientOps(), MaxClientOps)
	require.Equal(t, 5, c.ClientOpsLeftOut())
	last, _ := c.Event(c.EventCount() - 1)
	require.Equal(t, MaxClientOps+5, last.Op, "a request beyond the history still has its number in the trace")
	// A stale read now goes unchecked: it may have seen a write the
	// history does not hold.
	as, err := ParseActions("propose S1 set x 3; deliver S1>S2 append; deliver S2>S1 append-reply; read S2 x")
	require.NoError(t, err)
	require.NoError(t, c.DoAll(as))
	require.Empty(t, c.Violations())
}

// Seeking back restores the history as it was.
func TestSeekRestoresTheHistory(t *testing.T) {
	c := run(t, elected, "propose S1 set x 3; flush; read S2 x; propose S1 set x 4; read S3 x")
	full := c.ClientOps()
	c.Seek(2)
	require.Len(t, c.ClientOps(), 1)
	require.Equal(t, OpDone, c.ClientOps()[0].Status)
	c.Seek(c.Recorded())
	require.Equal(t, full, c.ClientOps())
}
