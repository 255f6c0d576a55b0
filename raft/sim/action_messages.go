package sim

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

// onMessage applies f to the in-flight message an action selects.
func onMessage(f func(w *world, i int) error) func(w *world, a Action) error {
	return func(w *world, a Action) error {
		i := w.net.find(a.Msg)
		if i < 0 {
			return refuse("no-message")
		}
		return f(w, i)
	}
}

var deliverAction = actionSpec{
	word: "deliver", js: "deliver", params: msgParams, build: msgBuild, values: msgValues,
	apply:  onMessage(func(w *world, i int) error { w.deliver(i); return nil }),
	weight: 8, rank: 3, random: randomMessage(OpDeliver), // out of order: reordering
}

var dropAction = actionSpec{
	word: "drop", js: "drop", params: msgParams, build: msgBuild, values: msgValues,
	apply:  onMessage(func(w *world, i int) error { w.drop(i); return nil }),
	weight: 5, rank: 4, random: randomMessage(OpDrop),
}

var duplicateAction = actionSpec{
	word: "dup", alias: "duplicate", js: "duplicate", params: msgParams, build: msgBuild, values: msgValues,
	apply:  onMessage((*world).duplicate),
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
