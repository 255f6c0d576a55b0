package sim

import "errors"

// Actions on time: run to the next event, advance the clock, freeze and
// unfreeze the timers.

var nextAction = actionSpec{
	word: "next", js: "next",
	params: []Param{{Name: "count", Kind: KindCount, Min: 1, Max: MaxNext}},
	build: func(v []Value) Action {
		if v[0].N > 1 {
			return Action{Steps: int(v[0].N)}
		}
		return Action{}
	},
	values: func(a Action) []Value { return []Value{{N: int64(a.Steps)}} },
	apply: func(w *world, a Action) error {
		if a.Steps < 0 || a.Steps > MaxNext {
			return errors.New("next takes a count from 1 to " + itoa(MaxNext))
		}
		for k := 0; k < max(a.Steps, 1) && !w.stopped(); k++ {
			if err := w.next(); err != nil {
				if k > 0 {
					return nil // ran out of events after some: not an error
				}
				return err
			}
		}
		return nil
	},
	weight: 40, rank: 1,
	random: func(w *world, r *rng) (Action, bool) { return Action{Op: OpNext}, true },
}

var advanceAction = actionSpec{
	word: "advance", js: "advance",
	params: []Param{{Name: "ms", Kind: KindMillis, Min: 1, Max: MaxAdvance}},
	build:  func(v []Value) Action { return Action{Millis: v[0].N} },
	values: func(a Action) []Value { return []Value{{N: a.Millis}} },
	apply: func(w *world, a Action) error {
		if a.Millis <= 0 || a.Millis > MaxAdvance {
			return errors.New("advance takes a positive number of milliseconds up to " + itoa(MaxAdvance))
		}
		w.advance(a.Millis)
		return nil
	},
	weight: 6, rank: 2,
	random: func(w *world, r *rng) (Action, bool) {
		return Action{Op: OpAdvance, Millis: int64(1 + r.Intn(200))}, true
	},
}

var freezeAction = actionSpec{
	word: "freeze", js: "freeze",
	build: func([]Value) Action { return Action{} }, values: func(Action) []Value { return nil },
	apply: func(w *world, a Action) error { w.setFrozen(true); return nil },
}

var unfreezeAction = actionSpec{
	word: "unfreeze", js: "unfreeze",
	build: func([]Value) Action { return Action{} }, values: func(Action) []Value { return nil },
	apply: func(w *world, a Action) error { w.setFrozen(false); return nil },
}
