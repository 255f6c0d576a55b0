package sim

import "testing"

func TestDoAtomicLeavesNothingOnError(t *testing.T) {
	sc := DefaultScenario()
	sc.FrozenTimers = true
	c, err := New(sc)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.DoAtomic([]Action{{Op: OpTimeout, Node: 1}, {Op: OpAdvance, Millis: 5}}); err != nil {
		t.Fatal(err)
	}
	before := c.State()
	beforeTrace := English.Trace(c.Events(0))
	beforeActions := EncodeActions(c.History())
	// An advance that would merge with the last one, then a failing action.
	err = c.DoAtomic([]Action{{Op: OpAdvance, Millis: 7}, {Op: OpDeliver, Msg: MsgSelector{ID: 999}}})
	if err == nil {
		t.Fatal("no error for a message that is not in flight")
	}
	after := c.State()
	if after.Time != before.Time || after.Position != before.Position || after.Recorded != before.Recorded ||
		len(after.Messages) != len(before.Messages) || after.Events != before.Events {
		t.Errorf("state changed: before %+v\nafter %+v", before, after)
	}
	if got := English.Trace(c.Events(0)); got != beforeTrace {
		t.Errorf("trace changed:\n%s\nwant\n%s", got, beforeTrace)
	}
	if got := EncodeActions(c.History()); got != beforeActions {
		t.Errorf("actions %q, want %q", got, beforeActions)
	}
	// The cluster still works, and undo still reaches the start.
	if err := c.Do(Action{Op: OpNext}); err != nil {
		t.Fatal(err)
	}
	for c.Undo() {
	}
	if c.Position() != 0 || c.Now() != 0 {
		t.Errorf("after undoing everything: position %d, time %d", c.Position(), c.Now())
	}
}
