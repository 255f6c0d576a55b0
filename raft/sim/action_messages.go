package sim

import "errors"

// Actions on the messages in flight: deliver, drop or duplicate one,
// deliver or drop them all.

var msgParams = []Param{{Name: "message", Kind: KindMessage}}

func msgBuild(v []Value) Action  { return Action{Msg: v[0].Msg} }
func msgValues(a Action) []Value { return []Value{{Msg: a.Msg}} }
func noArgs([]Value) Action      { return Action{} }
func noValues(Action) []Value    { return nil }

// randomMessage picks a message in flight by id.
func randomMessage(op Op) func(w *world, r *rng) (Action, bool) {
	return func(w *world, r *rng) (Action, bool) {
		if w.net.len() == 0 {
			return Action{}, false
		}
		m := w.net.at(r.Intn(w.net.len()))
		return Action{Op: op, Msg: MsgSelector{ID: m.ID}}, true
	}
}

// inFlight finds the message a selects.
func (w *world) inFlight(sel MsgSelector) (int, error) {
	i := w.net.find(sel)
	if i < 0 {
		return -1, errors.New("no such message in flight")
	}
	return i, nil
}

var deliverAction = actionSpec{
	word: "deliver", js: "deliver", params: msgParams, build: msgBuild, values: msgValues,
	apply: func(w *world, a Action) error {
		i, err := w.inFlight(a.Msg)
		if err == nil {
			w.deliver(i)
		}
		return err
	},
	weight: 8, rank: 3, random: randomMessage(OpDeliver), // out of order: reordering
}

var dropAction = actionSpec{
	word: "drop", js: "drop", params: msgParams, build: msgBuild, values: msgValues,
	apply: func(w *world, a Action) error {
		i, err := w.inFlight(a.Msg)
		if err == nil {
			w.drop(i)
		}
		return err
	},
	weight: 5, rank: 4, random: randomMessage(OpDrop),
}

var duplicateAction = actionSpec{
	word: "dup", alias: "duplicate", js: "duplicate", params: msgParams, build: msgBuild, values: msgValues,
	apply: func(w *world, a Action) error {
		i, err := w.inFlight(a.Msg)
		if err != nil {
			return err
		}
		return w.duplicate(i)
	},
	weight: 4, rank: 5, random: randomMessage(OpDuplicate),
}

var flushAction = actionSpec{
	word: "flush", js: "flush", build: noArgs, values: noValues,
	apply: func(w *world, a Action) error {
		for k := 0; k < maxFlush && w.net.len() > 0 && !w.stopped(); k++ {
			w.deliver(0)
		}
		return nil
	},
}

var dropAllAction = actionSpec{
	word: "drop-all", js: "dropAll", build: noArgs, values: noValues,
	apply: func(w *world, a Action) error {
		for w.net.len() > 0 && !w.stopped() {
			w.drop(0)
		}
		return nil
	},
}
