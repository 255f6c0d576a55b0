//go:build js && wasm

package main

// raftlab.search(options): a search for a run that breaks what a
// switched-off rule protects, found, shrunk and explained by the simulator
// (sim.Hunt), run in slices the caller asks for. It needs no page: the
// search worker (site/static/raftlab-search-worker.js) runs the module in
// a Web Worker and calls run(units) in a loop, so the page never freezes.
//
//	raftlab.search({unsafe, seed, nodes, maxSchedules, proofStates, scenario, property, lang})
//	    -> {run(units) -> progress, progress(), result(), destroy()}
//
// progress: {phase, schedules, steps, found, bfsStates, bfsDepth,
//            shrink: null | {before, after, replays, proved, depth, states}}
// result:   null, or what was found (see resultObject).

import (
	"errors"
	"strings"
	"syscall/js"

	"raftlab/raft/sim"
	"raftlab/raft/words"
)

// maxUnitsPerCall bounds one run(units) call, so that one call's work stays
// bounded (a unit of the breadth-first search explores one state).
const maxUnitsPerCall = 10000

func search(c *Call) (any, error) {
	o := c.Options(0, "options")
	rule := o.String("unsafe", "")
	if _, ok := sim.SwitchNamed(rule); !ok {
		o.fail("unsafe", "the name of a rule switch ("+strings.Join(sim.SwitchNames(), ", ")+")", o.get("unsafe"))
	}
	opt := sim.SearchOptions{Switch: rule, Seed: int64(o.Int("seed", 1, -(1<<53 - 1), 1<<53-1)),
		Nodes: o.Int("nodes", 0, 0, 9), MaxSchedules: o.Int("maxSchedules", 0, 0, 1<<30)}
	if text := o.String("scenario", ""); text != "" {
		sc, err := sim.ParseScenario("", text)
		if err != nil {
			return nil, errors.New("options.scenario: " + err.Error())
		}
		opt.Scenario = &sc
	}
	if key := o.String("property", ""); key != "" {
		p, ok := sim.PropertyByKey(key)
		if !ok {
			o.fail("property", "a property ("+strings.Join(sim.PropertyKeys(), ", ")+")", o.get("property"))
		}
		opt.Property = p
	}
	lang := o.String("lang", "en")
	if _, ok := words.For(lang); !ok {
		o.fail("lang", "one of the languages there are words for ("+strings.Join(words.Languages(), ", ")+")", o.get("lang"))
	}
	h, err := sim.NewHunt(opt, o.Int("proofStates", 2000, 0, 100000))
	if err != nil {
		return nil, err
	}
	wd := sim.WordsFor(lang)
	handle := newObject()
	ex := newExports(handle, "search")
	ex.fn("run", func(c *Call) (any, error) {
		h.Run(c.Int(0, "units", 1, maxUnitsPerCall))
		return progressObject(h.Progress()), nil
	})
	ex.fn("progress", func(c *Call) (any, error) { return progressObject(h.Progress()), nil })
	ex.fn("result", func(c *Call) (any, error) {
		r, ok := h.Result()
		if !ok {
			return nil, nil
		}
		return resultObject(wd, r), nil
	})
	ex.fn("destroy", func(c *Call) (any, error) {
		ex.release()
		return nil, nil
	})
	return handle, nil
}

func progressObject(p sim.HuntProgress) js.Value {
	o := newObject()
	o.Set("phase", p.Phase.String())
	o.Set("schedules", p.Search.Schedules)
	o.Set("steps", p.Search.Steps)
	o.Set("found", p.Search.Found)
	o.Set("bfsStates", p.Search.BFSStates)
	o.Set("bfsDepth", p.Search.BFSDepth)
	o.Set("done", p.Phase == sim.HuntDone || p.Phase == sim.HuntNotFound)
	if r := p.Shrunk; r != nil {
		o.Set("shrink", shrunkObject(r))
	} else {
		o.Set("shrink", nil)
	}
	return o
}

func shrunkObject(r *sim.Shrunk) js.Value {
	s := newObject()
	s.Set("before", r.Before)
	s.Set("after", r.After)
	s.Set("replays", r.Replays)
	s.Set("proved", r.Shortest.Proved)
	s.Set("depth", r.Shortest.Depth)
	s.Set("states", r.Shortest.States)
	return s
}

// resultObject is what a hunt found:
//
//	{rule, section, ruleText, property, propertyName, violation, schedules,
//	 steps, bfs, scenario, actions, actionList, shrink, explanation}
//
// scenario is scenario text and actions the encoded run (as link() writes
// them), so raftlab.create(el, {scenario, actions, explain: true}) opens it
// in a view; actionList holds the actions one per line. They are the
// shrunk run as the explanation counts its steps: shrink.after actions,
// an action in which the rule decided split into the deliveries it made.
// explanation is explanationObject's, or null before the hunt got that
// far.
func resultObject(wd *sim.Words, r sim.HuntResult) js.Value {
	o := newObject()
	o.Set("rule", r.Switch.Name)
	o.Set("section", r.Switch.Section)
	o.Set("ruleText", wd.SwitchRule(r.Switch))
	o.Set("property", r.Shrunk.Violation.Property.Key())
	o.Set("propertyName", wd.Property(r.Shrunk.Violation.Property))
	o.Set("violation", wd.ViolationText(r.Shrunk.Violation))
	o.Set("schedules", r.Found.Schedules)
	o.Set("steps", r.Found.Steps)
	o.Set("bfs", r.Found.BFS)
	o.Set("scenario", sim.FormatScenario(r.Shrunk.Scenario))
	o.Set("actions", sim.EncodeActions(r.Run))
	list := newArray(len(r.Run))
	for i, a := range r.Run {
		list.SetIndex(i, sim.FormatAction(a))
	}
	o.Set("actionList", list)
	o.Set("shrink", shrunkObject(&r.Shrunk))
	if r.Explanation != nil {
		o.Set("explanation", explanationObject(wd, r.Explanation))
	} else {
		o.Set("explanation", nil)
	}
	return o
}

// explanationObject is an explanation for a page:
//
//	{property, broke, noReturn, noReturnText, brokeText,
//	 uses: [{action, node, decisive, lines}]}
//
// Positions count actions of the run: broke is the index of the action
// that breaks the property, noReturn the position (actions in effect) from
// which every future tried breaks it; a use's action is an index.
func explanationObject(wd *sim.Words, ex *sim.Explanation) js.Value {
	o := newObject()
	o.Set("property", ex.Property.Key())
	o.Set("broke", ex.Broke)
	o.Set("noReturn", ex.NoReturn)
	o.Set("noReturnText", wd.NoReturnText(ex.Property))
	o.Set("brokeText", wd.ViolationText(ex.Violation))
	uses := newArray(len(ex.Uses))
	for i, u := range ex.Uses {
		uo := newObject()
		uo.Set("action", u.Action)
		uo.Set("node", nodeValue(u.Node))
		uo.Set("decisive", u.Decisive)
		lines := wd.RuleUseText(u)
		la := newArray(len(lines))
		for k, l := range lines {
			la.SetIndex(k, l)
		}
		uo.Set("lines", la)
		uses.SetIndex(i, uo)
	}
	o.Set("uses", uses)
	return o
}
