//go:build js && wasm

package main

// The trace: the simulator's readable lines, newest at the bottom, the
// latest traceMax of them, filterable by server. A rejection also says why:
// the rule of Figure 2 and the section of the paper.
//
// The list sits in a column-reverse scroll box, so it stays scrolled to the
// newest line without the view reading layout on every frame.

import (
	"strconv"
	"syscall/js"

	"honnef.co/go/js/dom/v2"

	"raftlab/raft"
	"raftlab/raft/sim"
)

const traceMax = 200

type traceView struct {
	list   dom.Element
	filter js.Value // the <select>
	node   raft.NodeID
	seen   int // events looked at so far
	shown  int // lines in the list
	dirty  bool
	gapped bool // lines were skipped while playing
}

func (tv *traceView) build(v *view, parent dom.Element) {
	box := v.el("div", "class", "rl-tracebox", "role", "group", "aria-label", v.word("trace.label"))
	head := v.el("div", "class", "rl-tracehead")
	head.AppendChild(v.text("p", v.word("trace.label"), "class", "rl-tracetitle"))
	label := v.text("label", v.word("trace.filter")+" ")
	sel := v.el("select", "class", "rl-filter")
	sel.AppendChild(v.text("option", v.word("trace.all"), "value", "0"))
	for i := 1; i <= v.w.sc.Nodes; i++ {
		sel.AppendChild(v.text("option", raft.NodeID(i).String(), "value", itoa(i)))
	}
	label.AppendChild(sel)
	head.AppendChild(label)
	box.AppendChild(head)
	scroll := v.el("div", "class", "rl-tracescroll", "tabindex", "0")
	tv.list = v.el("ol", "class", "rl-trace", "aria-live", "off")
	scroll.AppendChild(tv.list)
	box.AppendChild(scroll)
	parent.AppendChild(box)
	tv.filter = sel.Underlying()
	v.listen(tv.filter, "change", func(js.Value) {
		n, _ := strconv.Atoi(tv.filter.Get("value").String())
		tv.node = raft.NodeID(n)
		tv.dirty = true
		v.rendered = -1
		v.render()
	})
}

func (tv *traceView) match(e *sim.Event) bool {
	return tv.node == raft.None || e.Node == tv.node || e.Peer == tv.node
}

// playCap is how many lines one redraw adds at most while playing; older
// ones are skipped (a gap line says so) and come back when paused. The box
// shows some 14 lines (15rem): lines beyond that would be out of sight the
// moment they are added, and each costs layout and paint.
const playCap = 20

func (tv *traceView) render(v *view) {
	n := v.w.c.EventCount()
	playing := v.w.playing
	if !playing && tv.gapped {
		tv.dirty = true
	}
	from := tv.seen
	if tv.dirty || n < tv.seen {
		// Rebuild: the filter changed, the history went back, or lines
		// were skipped while playing.
		tv.dirty, tv.gapped = false, false
		tv.list.SetTextContent("")
		tv.shown = 0
		base := v.w.c.FirstEvent() // the oldest event the cluster keeps
		evs := v.w.c.Events(base)
		from = base + len(evs)
		for k := 0; from > base && k < traceMax; from-- {
			if tv.match(&evs[from-base-1]) {
				k++
			}
		}
	}
	tv.seen = n
	if from >= n {
		return
	}
	evs := v.w.c.Events(from)
	frag := wrap(v.docJS.Call("createDocumentFragment"))
	added := 0
	limit := traceMax
	if playing && len(evs) > playCap {
		// Lines come faster than they can be read: the list keeps
		// only a screenful or two (the whole trace comes back on
		// pause), which keeps its layout and paint small.
		limit = 2 * playCap
		evs = evs[len(evs)-playCap:]
		gap := v.el("li", "class", "rl-gap")
		gap.SetTextContent(v.word("trace.gap"))
		frag.AppendChild(gap)
		added++
		tv.gapped = true
	}
	for i := range evs {
		e := &evs[i]
		if !tv.match(e) {
			continue
		}
		frag.AppendChild(tv.line(v, e))
		added++
	}
	list := tv.list.Underlying()
	list.Call("append", frag.Underlying())
	tv.shown += added
	if excess := tv.shown - limit; excess > 0 {
		// The oldest lines go in one call, not one each.
		r := v.docJS.Call("createRange")
		r.Call("setStart", list, 0)
		r.Call("setEnd", list, excess)
		r.Call("deleteContents")
		tv.shown = limit
	}
}

func (tv *traceView) line(v *view, e *sim.Event) dom.Element {
	li := v.el("li", "data-kind", e.Kind.String())
	li.SetTextContent(v.w.words.Line(*e))
	if e.Kind == sim.EvNote && e.Reason.Code.IsRejection() {
		li.SetAttribute("class", "rl-reject")
		li.AppendChild(v.textNode(" "))
		li.AppendChild(v.text("span", v.word("trace.why", "rule", v.w.words.Rule(e.Reason.Code), "section", e.Reason.Code.Section()), "class", "rl-why"))
	}
	v.explainLines(li, e)
	return li
}
