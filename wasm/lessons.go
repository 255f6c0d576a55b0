//go:build js && wasm

package main

// Lessons: what tutorial pages and lecture decks need of a cluster beyond
// the simulator's actions — the goals a chapter checks and the pause marks a
// presenter walks through. Goals are parsed and evaluated by raft/sim/goal,
// the same code the site builder uses to check chapters.

import (
	"raftlab/raft/sim/goal"
)

// goalWatch is one goal list being watched on a widget.
type goalWatch struct {
	text    string
	goals   []goal.Goal
	watcher *goal.Watcher
}

func (w *widget) publishLessons() {
	fn := w.ex.fn
	// marks() returns the scenario's pause marks: sorted action counts.
	fn("marks", func(c *Call) (any, error) {
		a := newArray(len(w.sc.Marks))
		for i, m := range w.sc.Marks {
			a.SetIndex(i, m)
		}
		return a, nil
	})
	// goals(text) parses the goals (once per text) and returns, for each,
	// {text, comment, met, broken} for the cluster's state and history now.
	fn("goals", func(c *Call) (any, error) {
		text := c.String(0, "goals")
		gw := w.goalWatch(text)
		if gw == nil {
			goals, err := goal.Parse("", 1, text)
			if err != nil {
				return nil, err
			}
			gw = &goalWatch{text: text, goals: goals, watcher: goal.NewWatcher(goals)}
			w.goalWatches = append(w.goalWatches, gw)
		}
		met := gw.watcher.Update(w.c)
		broken := gw.watcher.Broken()
		a := newArray(len(gw.goals))
		for i, g := range gw.goals {
			o := newObject()
			o.Set("text", g.Text)
			o.Set("comment", g.Comment)
			o.Set("met", met[i])
			o.Set("broken", broken[i])
			a.SetIndex(i, o)
		}
		return a, nil
	})
}

func (w *widget) goalWatch(text string) *goalWatch {
	for _, gw := range w.goalWatches {
		if gw.text == text {
			return gw
		}
	}
	return nil
}
