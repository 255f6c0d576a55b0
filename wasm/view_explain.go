//go:build js && wasm

package main

// A counterexample in the normal view (the explain option): the simulator
// explains how the run breaks a property (sim.Explain), and the view shows
// it — a box above the cluster that cites the switched-off rule and names
// the steps that matter (the rule used, the point of no return, the
// break), each a button that goes there; marks on the history slider at
// those positions; and, in the trace, the rule cited under the decision it
// changed and the point of no return under the last event of its step.

import (
	"syscall/js"

	"honnef.co/go/js/dom/v2"

	"raftlab/raft/sim"
)

// explained is the explanation of a widget's run, with the events the
// trace annotates.
type explained struct {
	ex       sim.Explanation
	switches []sim.Switch
	// byEvent maps an event's Seq to the uses whose decision it is;
	// noReturnEvent is the last event of the step after which the break
	// is certain, brokeEvent the last of the step that breaks.
	byEvent       map[int][]sim.RuleUse
	noReturnEvent int
	brokeEvent    int
}

// explainRun explains the run c was made with: the first violation of its
// history, with the rules its scenario switches off. It returns nil when
// the run breaks nothing, or is longer than the history keeps.
func explainRun(c *sim.Cluster) *explained {
	vs := c.Violations()
	if len(vs) == 0 || c.Oldest() != 0 {
		return nil
	}
	run := c.History()[:c.Position()]
	ex, ok := sim.Explain(c.Scenario(), run, vs[0].Property)
	if !ok {
		return nil
	}
	e := &explained{ex: ex, switches: sim.SwitchesIn(c.Scenario()), byEvent: map[int][]sim.RuleUse{}, noReturnEvent: -1, brokeEvent: -1}
	for _, u := range ex.Uses {
		if u.Event.Seq >= 0 {
			e.byEvent[u.Event.Seq] = append(e.byEvent[u.Event.Seq], u)
		}
	}
	for _, ev := range c.Events(c.FirstEvent()) {
		switch ev.Action {
		case ex.NoReturn - 1:
			e.noReturnEvent = ev.Seq
		case ex.Broke:
			e.brokeEvent = ev.Seq
		}
	}
	return e
}

// buildExplain draws the explanation's box; the history marks and trace
// lines follow the view's renders.
func (v *view) buildExplain(parent dom.Element) {
	e := v.w.explain
	box := v.el("section", "class", "rl-explain", "aria-label", v.word("explain.title", "property", v.w.words.Property(e.ex.Property)))
	box.AppendChild(v.text("strong", v.word("explain.title", "property", v.w.words.Property(e.ex.Property))))
	for _, sw := range e.switches {
		box.AppendChild(v.text("p", v.word("explain.switched", "rule", v.w.words.SwitchRule(sw)), "class", "rl-explain-rule"))
	}
	ol := v.el("ol", "class", "rl-explain-steps")
	step := func(pos int, kind, text string, lines []string) {
		li := v.el("li", "data-explain", kind)
		li.AppendChild(v.button("seek", v.word("explain.goto", "n", itoa(pos)), "data-pos", itoa(pos), "class", "rl-explain-goto"))
		li.AppendChild(v.textNode(" " + text))
		for _, l := range lines {
			li.AppendChild(v.text("span", l, "class", "rl-explain-line"))
		}
		ol.AppendChild(li)
	}
	for _, u := range e.ex.Uses {
		step(u.Action+1, "use", v.word("explain.used-at", "n", itoa(u.Action+1)), v.w.words.RuleUseText(u))
	}
	if e.ex.NoReturn > 0 {
		step(e.ex.NoReturn, "no-return", v.word("explain.no-return-at", "n", itoa(e.ex.NoReturn)), []string{v.w.words.NoReturnText(e.ex.Property)})
	}
	step(e.ex.Broke+1, "broke", v.word("explain.broke-at", "n", itoa(e.ex.Broke+1)), []string{v.w.words.ViolationText(e.ex.Violation)})
	box.AppendChild(ol)
	parent.AppendChild(box)
}

// explainMarks puts the explanation's positions on the history slider,
// as marks under it: positions out of recorded are left out.
func (v *view) explainMarks(strip dom.Element, recorded int) {
	e := v.w.explain
	strip.SetTextContent("")
	if recorded == 0 {
		return
	}
	mark := func(pos int, kind, what string) {
		if pos > recorded {
			return
		}
		label := v.word("explain.mark", "n", itoa(pos), "what", what)
		m := v.button("seek", "", "data-pos", itoa(pos), "data-explain", kind, "class", "rl-mark",
			"title", label, "aria-label", label, "style", "left: "+num(100*float64(pos)/float64(recorded))+"%")
		strip.AppendChild(m)
	}
	for _, u := range e.ex.Uses {
		mark(u.Action+1, "use", v.word("explain.used-at", "n", itoa(u.Action+1)))
	}
	if e.ex.NoReturn > 0 {
		mark(e.ex.NoReturn, "no-return", v.word("explain.no-return-at", "n", itoa(e.ex.NoReturn)))
	}
	mark(e.ex.Broke+1, "broke", v.word("explain.broke-at", "n", itoa(e.ex.Broke+1)))
}

// explainLines adds the explanation's lines under a trace line.
func (v *view) explainLines(li dom.Element, ev *sim.Event) {
	e := v.w.explain
	if e == nil {
		return
	}
	note := func(kind string, lines []string) {
		for _, l := range lines {
			li.AppendChild(v.text("span", l, "class", "rl-explain-line", "data-explain", kind))
		}
	}
	for _, u := range e.byEvent[ev.Seq] {
		note("use", v.w.words.RuleUseText(u))
	}
	if ev.Seq == e.noReturnEvent {
		note("no-return", []string{v.w.words.NoReturnText(e.ex.Property)})
	}
}

// seekTo goes to a position the explanation names.
func (v *view) seekTo(el js.Value) {
	k := dataInt(el, "data-pos")
	v.w.setPlaying(false)
	if k >= v.w.c.Oldest() && k <= v.w.c.Recorded() && k != v.w.c.Position() {
		v.w.c.Seek(k)
		v.w.changed()
	}
}

// explanationValue is the handle's explanation(): null, or the
// explanation as search results give it (explanationObject).
func (w *widget) explanationValue() any {
	if w.explain == nil {
		return nil
	}
	return explanationObject(w.words, &w.explain.ex)
}
