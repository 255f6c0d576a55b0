package sim

import (
	"math"
	"slices"

	"github.com/anishathalye/porcupine"

	"raftlab/raft"
)

// The history of client operations must be linearizable: every operation
// appears to take effect at one moment between its request and its answer,
// in an order a single key/value store could have run them in
// (dissertation §6.4). The checker is porcupine, given the operations on
// one key at a time — a key/value store is linearizable when the history
// of each key is.
//
// Once the history is full (MaxClientOps) no read is checked: a read
// answered after that may have seen a write the history does not hold.
//
// Only a read's answer can make a history stop being linearizable: a
// write's answer constrains only the operations requested after it, which
// are not answered yet. So the key's history is checked each time a read
// of it is answered, and that read is the offending operation; the
// checker then names, where it can, the operation it contradicts.

// kvState is one key's value in the model: its value, or not set.
type kvState struct {
	value string
	set   bool
}

// kvInput is an operation's request, and kvState its answer (a read's).
type kvInput struct {
	write bool
	kvState
}

// kvModel is a key/value store, one key per partition.
var kvModel = porcupine.Model{
	Init: func() any { return kvState{} },
	Step: func(state, input, output any) (bool, any) {
		in := input.(kvInput)
		if in.write {
			return true, in.kvState
		}
		return output.(kvState) == state.(kvState), state
	},
}

// checkRead checks the history of the key of read op, just answered.
func (w *world) checkRead(op int) {
	h := &w.clients
	r, ok := h.get(op)
	if !ok || h.full() || slices.Contains(h.broken, r.Key) || len(w.violations) >= MaxViolations {
		return
	}
	ops := keyHistory(h, r.Key)
	if porcupine.CheckOperations(kvModel, ops) {
		return
	}
	h.broken = append(h.broken, r.Key)
	v := Violation{Property: Linearizability, Nodes: []raft.NodeID{r.Node}, Key: r.Key,
		Ops: []int{r.ID}, Seen: r.Value, SeenSet: r.Found}
	if other, ok := contradicted(h, r); ok {
		v.Ops = append(v.Ops, other.ID)
		v.OtherWrite = other.Write
		if other.Write {
			v.Other = other.Command
		} else {
			v.Other, v.OtherSet = other.Value, other.Found
		}
	}
	w.reportViolation(v)
}

// keyHistory is the operations on key that the checker reads: the writes
// that may have taken effect (pending, done or unknown; those without an
// answer may take effect at any time after their request) and the reads
// answered.
func keyHistory(h *clientHistory, key string) []porcupine.Operation {
	var ops []porcupine.Operation
	for i := 0; i < h.ops.len(); i++ {
		op := h.ops.at(i)
		if op.Key != key || op.Status == OpFailed || !op.Write && op.Status != OpDone {
			continue
		}
		in := kvInput{write: op.Write}
		if op.Write {
			in.value, in.set = op.effect()
		}
		ret := int64(op.ReturnEvent)
		if op.ReturnEvent < 0 {
			ret = math.MaxInt64
		}
		ops = append(ops, porcupine.Operation{ClientId: i, Input: in, Call: int64(op.CallEvent),
			Output: kvState{value: op.Value, set: op.Found}, Return: ret})
	}
	return ops
}

// contradicted names the operation a read that no order explains
// contradicts, when one stands out: the write answered last before the
// read was requested, if the read did not see it and no other write could
// have given what it saw; or a read answered before it that saw a value
// written only after every write of what this read saw had been answered
// (a later read went back in time).
func contradicted(h *clientHistory, r ClientOp) (ClientOp, bool) {
	var last ClientOp
	for i := 0; i < h.ops.len(); i++ {
		op := h.ops.at(i)
		if op.Write && op.Key == r.Key && op.Status == OpDone && op.ReturnEvent < r.CallEvent &&
			(last.ID == 0 || op.ReturnEvent > last.ReturnEvent) {
			last = op
		}
	}
	if last.ID != 0 && !sameEffect(last, r.Value, r.Found) {
		explained := false // by a write that may have followed last
		for i := 0; i < h.ops.len() && !explained; i++ {
			op := h.ops.at(i)
			explained = op.Write && op.Key == r.Key && op.ID != last.ID && op.Status != OpFailed &&
				op.CallEvent <= r.ReturnEvent && (op.ReturnEvent < 0 || op.ReturnEvent >= last.CallEvent) &&
				sameEffect(op, r.Value, r.Found)
		}
		if !explained {
			return last, true
		}
	}
	// The earliest moment what r saw was written (0: never, the key
	// unset at the start) and the latest it can have stayed so.
	for i := h.ops.len() - 1; i >= 0; i-- {
		earlier := h.ops.at(i)
		if earlier.Write || earlier.Key != r.Key || earlier.Status != OpDone || earlier.ReturnEvent >= r.CallEvent ||
			earlier.Value == r.Value && earlier.Found == r.Found {
			continue
		}
		if writtenBefore(h, r, earlier) {
			return earlier, true
		}
	}
	return ClientOp{}, false
}

// writtenBefore reports whether every write that could have given what r
// saw was answered before every write that could have given what earlier
// saw was requested: earlier saw the newer state.
func writtenBefore(h *clientHistory, r, earlier ClientOp) bool {
	latestOld, earliestNew := -1, -1
	for i := 0; i < h.ops.len(); i++ {
		op := h.ops.at(i)
		if !op.Write || op.Key != r.Key || op.Status == OpFailed {
			continue
		}
		if sameEffect(op, r.Value, r.Found) {
			if op.ReturnEvent < 0 {
				return false
			}
			latestOld = max(latestOld, op.ReturnEvent)
		}
		if sameEffect(op, earlier.Value, earlier.Found) && (earliestNew < 0 || op.CallEvent < earliestNew) {
			earliestNew = op.CallEvent
		}
	}
	return earliestNew >= 0 && latestOld < earliestNew && (latestOld >= 0 || !r.Found)
}

func sameEffect(w ClientOp, value string, found bool) bool {
	v, set := w.effect()
	return set == found && (!set || v == value)
}
