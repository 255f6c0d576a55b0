//go:build js && wasm

package main

// The view of one cluster, drawn with dom/v2: a ring of servers with the
// messages in flight (view_ring.go), the logs (view_logs.go), the trace
// (view_trace.go), an inspector for the selected server or message
// (view_panel.go) and the controls (view_controls.go).
//
// It re-renders from a state snapshot only when the cluster changed: after
// an action (in a microtask, so a script's burst of calls draws once) or,
// while playing, some 30 times a second (see frame). While paused,
// off-screen or in a hidden page it requests no animation frame at all.
//
// Text from options, the URL, a scenario or a command only ever reaches the
// page through text nodes and setAttribute, never as HTML.
//
// The view sits in pages whose heading levels and landmarks it cannot know,
// often several times: it names its parts (inspector, logs, trace) as
// groups, with no heading and no landmark of its own.

import (
	"math"
	"strconv"
	"syscall/js"

	"honnef.co/go/js/dom/v2"

	"raftlab/raft/sim"
)

const svgNS = "http://www.w3.org/2000/svg"

type listener struct {
	target js.Value
	typ    string
	fn     guarded
}

type view struct {
	w        *widget
	docJS    js.Value // document
	host     js.Value
	root     js.Value // the <figure> this view owns
	controls bool

	listeners []listener
	funcs     []guarded // other callbacks to release

	// rendering
	rendered    int // widget version last drawn
	renderQueue bool
	renderFn    guarded
	frameFn     guarded
	frameID     int // 0: no frame requested
	lastTS      float64
	lastFull    float64 // frame time of the last full draw while playing
	traceAt     float64 // frame time of the last trace redraw
	acc         float64 // virtual ms not yet advanced
	visible     bool    // the view intersects the viewport
	last        sim.State
	reduced     js.Value // matchMedia("(prefers-reduced-motion: reduce)")
	observer    js.Value

	ring    ringView
	logs    logsView
	clients clientsView
	trace   traceView
	panel   panelView
	ctl     controlsView
	notice  dom.Element
	viol    dom.Element
	violN   int // violations shown
	status  dom.Element

	// selection: a server (selNode) or a message (selMsg), or neither
	selNode int
	selMsg  int
	// cut-links mode: cutting is on; cutFirst is the first server picked
	cutting  bool
	cutFirst int
}

// views lists the live views, in creation order: page-wide keys go to the
// first one with controls when the focus is on no widget.
var views []*view

func newView(w *widget, host js.Value, opt options, notice string) *view {
	v := &view{w: w, docJS: js.Global().Get("document"), host: host, controls: opt.controls, rendered: -1, visible: true, lastTS: -1}

	host.Set("textContent", "") // the view owns the host (drops the loading text)
	// The figure says its words' language, which may not be the page's
	// (?lang=, <raft-cluster lang>): screen readers and fonts follow it.
	root := v.el("figure", "class", "rl-cluster", "lang", w.words.Lang())
	v.root = root.Underlying()
	if opt.large {
		root.Class().Add("rl-large")
	}
	if !opt.controls {
		root.Class().Add("rl-nocontrols")
	}

	v.notice = v.el("p", "class", "rl-notice", "role", "alert")
	if notice == "" {
		v.notice.SetAttribute("hidden", "")
	} else {
		v.notice.SetTextContent(notice)
	}
	root.AppendChild(v.notice)
	v.viol = v.el("div", "class", "rl-violations", "role", "alert", "hidden", "")
	root.AppendChild(v.viol)
	if w.explain != nil {
		v.buildExplain(root)
	}

	if opt.controls {
		v.ctl.build(v, root)
		v.status = v.el("p", "class", "rl-status", "role", "status")
		root.AppendChild(v.status)
	}
	main := v.el("div", "class", "rl-main")
	root.AppendChild(main)
	stage := v.el("div", "class", "rl-stage")
	main.AppendChild(stage)
	caption := opt.title
	if caption == "" && w.sc.Name != sim.DefaultScenario().Name {
		caption = w.sc.Name // a scenario's name, shown as text
	}
	v.ring.build(v, stage, opt.title, caption)
	side := v.el("div", "class", "rl-side")
	main.AppendChild(side)
	if opt.controls {
		v.panel.build(v, side)
	}
	v.logs.build(v, side)
	v.clients.build(v, v.logs.box)
	if opt.controls {
		v.buildLegend(root)
		v.trace.build(v, root)
		v.ctl.buildHelp(v, root)
	}
	host.Call("appendChild", v.root)

	v.renderFn = guardFunc("render", func(js.Value, []js.Value) any {
		v.renderQueue = false
		v.render()
		return nil
	})
	v.frameFn = guardFunc("frame", func(_ js.Value, args []js.Value) any {
		v.frame(args[0].Float())
		return nil
	})

	v.listen(v.root, "click", v.onClick)
	v.listen(js.Global().Get("document"), "keydown", v.onKey)
	v.listen(js.Global().Get("document"), "visibilitychange", func(js.Value) { v.requestFrame() })
	if io := js.Global().Get("IntersectionObserver"); io.Type() == js.TypeFunction {
		cb := guardFunc("intersection", func(_ js.Value, args []js.Value) any {
			entries := args[0]
			for i := 0; i < entries.Length(); i++ {
				v.visible = entries.Index(i).Get("isIntersecting").Bool()
			}
			if v.visible {
				v.lastTS = -1
				v.requestFrame()
			}
			return nil
		})
		v.funcs = append(v.funcs, cb)
		v.observer = io.New(cb.js)
		v.observer.Call("observe", v.root)
	}
	views = append(views, v)
	v.render()
	return v
}

// --- element helpers -------------------------------------------------------

// wrap makes a dom.Element of an element. dom/v2's own wrapping (behind
// Document.CreateElement and WrapElement) compares the element's
// constructor with every HTML element class: some 70 calls into JS per
// element (the view makes elements on every frame while playing), and it
// links every element type of dom/v2 into the module (1.2 MB raw, 60 KB
// brotli). So elements are made with syscall/js and wrapped here.
func wrap(e js.Value) dom.Element {
	return &dom.BasicElement{BasicNode: &dom.BasicNode{Value: e}}
}

// el makes an HTML element with attributes given as name, value pairs.
func (v *view) el(tag string, attrs ...string) dom.Element {
	e := wrap(v.docJS.Call("createElement", tag))
	for i := 0; i+1 < len(attrs); i += 2 {
		e.SetAttribute(attrs[i], attrs[i+1])
	}
	return e
}

// svg makes an SVG element with attributes.
func (v *view) svg(tag string, attrs ...string) dom.Element {
	e := wrap(v.docJS.Call("createElementNS", svgNS, tag))
	for i := 0; i+1 < len(attrs); i += 2 {
		e.SetAttribute(attrs[i], attrs[i+1])
	}
	return e
}

// textNode makes a text node.
func (v *view) textNode(s string) dom.Node {
	return &dom.Text{BasicNode: &dom.BasicNode{Value: v.docJS.Call("createTextNode", s)}}
}

// text makes an element holding text.
func (v *view) text(tag, s string, attrs ...string) dom.Element {
	e := v.el(tag, attrs...)
	e.SetTextContent(s)
	return e
}

// button makes a <button type="button"> with a label and a data-act name.
func (v *view) button(act, label string, attrs ...string) dom.Element {
	return v.text("button", label, append([]string{"type", "button", "data-act", act}, attrs...)...)
}

// listen adds an event listener released by destroy; a panic in fn is
// reported on the console and the page keeps running.
func (v *view) listen(target js.Value, typ string, fn func(ev js.Value)) {
	f := guardFunc(typ, func(_ js.Value, args []js.Value) any {
		fn(args[0])
		return nil
	})
	target.Call("addEventListener", typ, f.js)
	v.listeners = append(v.listeners, listener{target, typ, f})
}

// num formats a coordinate with at most one decimal.
func num(f float64) string {
	return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64)
}

// Names written on every frame while playing, made JS strings once: each Go
// string handed to JS becomes a new JS string with a Go finalizer, and
// those add up at 60 frames a second. Numbers cost nothing of the kind, so
// the hot paths pass numbers where they can.
var (
	jsClass      = js.ValueOf("class")
	jsAriaLabel  = js.ValueOf("aria-label")
	jsDataMsgID  = js.ValueOf("data-msg-id")
	jsDataType   = js.ValueOf("data-type")
	jsDashOffset = js.ValueOf("stroke-dashoffset")
)

// setAttr sets an attribute named by a cached JS string; value is a string
// or a number.
func setAttr(e, name js.Value, value any) {
	e.Call("setAttribute", name, value)
}

// half rounds to the nearest half unit: positions are written only when
// they move by that much.
func half(f float64) float64 { return math.Round(f*2) / 2 }

// --- rendering -------------------------------------------------------------

// invalidate notes that the cluster changed. While playing, the next frame
// draws; otherwise a microtask does, once for a burst of calls.
func (v *view) invalidate() {
	if v.w.playing || v.renderQueue {
		return
	}
	v.renderQueue = true
	js.Global().Call("queueMicrotask", v.renderFn.js)
}

func (v *view) render() {
	if v.rendered == v.w.version {
		return
	}
	v.rendered = v.w.version
	st := v.w.c.State()
	v.last = st
	v.ring.render(v, &st, v.glide())
	v.logs.render(v, &st)
	v.clients.render(v, &st)
	if v.controls {
		// While playing, the trace is redrawn at most every 100 ms, adding
		// at most playCap lines: they scroll by too fast to read, and it
		// is the costliest part. Pausing redraws it whole.
		if !v.w.playing || v.lastTS-v.traceAt >= 100 || v.lastTS < v.traceAt {
			v.traceAt = v.lastTS
			v.trace.render(v)
		}
		v.panel.render(v, &st)
		v.ctl.render(v, &st)
	}
	v.renderViolations(&st)
}

func (v *view) renderViolations(st *sim.State) {
	if len(st.Violations) == v.violN {
		return
	}
	v.violN = len(st.Violations)
	v.viol.SetTextContent("")
	if v.violN == 0 {
		v.viol.SetAttribute("hidden", "")
		return
	}
	v.viol.RemoveAttribute("hidden")
	// Safety violations (Figure 3) first, then the reads that are not
	// linearizable, each under its own title.
	for _, safety := range []bool{true, false} {
		ul := v.el("ul")
		for _, x := range st.Violations {
			if x.Property.Safety() == safety {
				ul.AppendChild(v.text("li", v.w.words.ViolationText(x)))
			}
		}
		if ul.Underlying().Get("childElementCount").Int() == 0 {
			continue
		}
		title, class := v.word("violations.title"), "rl-safety"
		if !safety {
			title, class = v.word("violations.linearizability"), "rl-linearizability"
		}
		ul.SetAttribute("class", class)
		v.viol.AppendChild(v.text("strong", title, "class", class))
		v.viol.AppendChild(ul)
	}
}

// --- playing ---------------------------------------------------------------

func (v *view) playingChanged() {
	if v.w.playing {
		v.root.Get("classList").Call("add", "rl-playing")
		v.lastTS, v.acc = -1, 0
		v.requestFrame()
	} else {
		v.root.Get("classList").Call("remove", "rl-playing")
		if v.frameID != 0 {
			js.Global().Call("cancelAnimationFrame", v.frameID)
			v.frameID = 0
		}
		v.rendered = -1 // the trace may be behind
		v.invalidate()
	}
	if v.controls {
		v.ctl.playingChanged(v)
	}
}

func (v *view) speedChanged() {
	if v.controls {
		v.ctl.speedChanged(v)
	}
}

// requestFrame asks for the next animation frame when one is due: playing,
// on screen, in a visible page, and none requested yet.
func (v *view) requestFrame() {
	if !v.visible || v.docJS.Get("hidden").Bool() {
		v.lastTS = -1
		return
	}
	if v.frameID != 0 || !v.w.playing {
		return
	}
	v.frameID = js.Global().Call("requestAnimationFrame", v.frameFn.js).Int()
}

// frame advances virtual time by the real time since the last frame times
// the speed (at most 100 ms of real time, so a stall does not leap), then
// draws.
//
// The view is drawn in full some 30 times a second (every other frame at
// 60 Hz): any change of the page costs the browser a style, layout and
// paint pass and a commit, whatever its size, and at 60 a second those
// passes alone took most of the budget. Timer arcs drain smoothly at 30
// frames a second, and at higher speeds the state changes faster than 60
// frames could show anyway. Messages that glide slowly enough to be
// followed (slow speeds) move on the frames in between as well: only their
// positions are written then.
func (v *view) frame(ts float64) {
	v.frameID = 0
	if !v.w.playing {
		return
	}
	step := -1.0 // time since the last frame; none after a pause
	if v.lastTS >= 0 {
		step = ts - v.lastTS
		v.acc += math.Min(step, 100) * v.w.speed
	}
	v.lastTS = ts
	if n := math.Floor(v.acc); n >= 1 {
		v.acc -= n
		if err := v.w.c.Do(sim.Action{Op: sim.OpAdvance, Millis: int64(n)}); err == nil {
			v.w.changed()
		}
	}
	// Skip the full draw when the next frame still comes within fullGap
	// of the last one: never fewer than 30 full draws a second, whatever
	// the display's rate.
	if step >= 0 && v.last.Nodes != nil && ts-v.lastFull+step <= fullGap {
		if v.ring.gliding(&v.last, v.w.speed) {
			// Messages as drawn, moved on by the time passed since.
			v.ring.renderMessages(v, &v.last, float64(v.w.c.Now()-v.last.Time)+v.glide())
		}
		v.requestFrame()
		return
	}
	v.lastFull = ts
	if v.rendered == v.w.version && v.last.Nodes != nil {
		// No whole millisecond passed (a slow speed): glide the messages
		// and timers by the fraction.
		v.ring.motion(v, &v.last, v.glide())
	}
	v.render()
	v.requestFrame()
}

// fullGap is the longest time between two full draws while playing, in ms
// (33.3 at 30 a second, with room for the jitter of frame times).
const fullGap = 34

// glide is the fraction of a virtual millisecond that has passed but not
// been advanced yet, for drawing motion between two states; none when
// paused or when the reader asks for reduced motion.
func (v *view) glide() float64 {
	if !v.w.playing {
		return 0
	}
	if v.reduced.IsUndefined() {
		if mm := js.Global().Get("matchMedia"); mm.Type() == js.TypeFunction {
			v.reduced = mm.Invoke("(prefers-reduced-motion: reduce)")
		} else {
			v.reduced = js.Null()
		}
	}
	if v.reduced.Type() == js.TypeObject && v.reduced.Get("matches").Bool() {
		return 0
	}
	return v.acc
}

// act applies an action the learner asked for through the view; a refusal
// is shown in the status line, under the toolbar.
func (v *view) act(a sim.Action) bool {
	if err := v.w.do(a); err != nil {
		v.say(v.word("status.error", "error", v.errorWords(err)))
		return false
	}
	v.say("")
	return true
}

// actPanel applies an action asked for in the inspector and says how it
// went next to the inspector's buttons: done (with the button's words) or
// why not.
func (v *view) actPanel(a sim.Action, what string) bool {
	if err := v.w.do(a); err != nil {
		if !v.panel.tell(v.word("status.error", "error", v.errorWords(err)), "error") {
			v.say(v.word("status.error", "error", v.errorWords(err)))
		}
		return false
	}
	v.panel.tell(v.word("act.done", "action", what), "done")
	return true
}

// errorWords is why an action of the view was refused, in the cluster's
// language when the cluster refused it (a sim.Refusal).
func (v *view) errorWords(err error) string {
	if _, said, _ := v.w.refused(err); said != "" {
		return said
	}
	return err.Error()
}

// say puts a sentence in the status line.
func (v *view) say(s string) {
	if v.status != nil {
		v.status.SetTextContent(s)
	}
}

// --- selection -------------------------------------------------------------

func (v *view) selectNode(id int, focusPanel bool) {
	v.selNode, v.selMsg = id, 0
	v.selectionChanged(focusPanel)
}

func (v *view) selectMsg(id int, focusPanel bool) {
	v.selNode, v.selMsg = 0, id
	v.selectionChanged(focusPanel)
}

func (v *view) clearSelection() {
	v.selNode, v.selMsg = 0, 0
	v.selectionChanged(false)
}

func (v *view) selectionChanged(focusPanel bool) {
	if !v.controls {
		return
	}
	v.panel.rebuild(v)
	v.rendered = -1 // redraw the selection marks and the panel now
	v.render()
	if focusPanel {
		v.panel.focusFirst()
	}
}

// --- input -----------------------------------------------------------------

func closest(t js.Value, sel string) js.Value {
	if t.Type() != js.TypeObject || t.Get("closest").Type() != js.TypeFunction {
		return js.Null()
	}
	return t.Call("closest", sel)
}

func dataInt(e js.Value, name string) int {
	n, _ := strconv.Atoi(e.Call("getAttribute", name).String())
	return n
}

func (v *view) onClick(ev js.Value) {
	if !v.controls {
		return
	}
	t := ev.Get("target")
	if b := closest(t, "button[data-act]"); !b.IsNull() {
		v.onButton(b.Call("getAttribute", "data-act").String(), b)
		return
	}
	if m := closest(t, "[data-msg-id]"); !m.IsNull() && v.ring.svg.Underlying().Call("contains", m).Bool() {
		v.selectMsg(dataInt(m, "data-msg-id"), false)
		return
	}
	if n := closest(t, "[data-node]"); !n.IsNull() && v.ring.svg.Underlying().Call("contains", n).Bool() {
		v.nodeClicked(dataInt(n, "data-node"), false)
		return
	}
}

func (v *view) nodeClicked(id int, byKey bool) {
	if v.cutting {
		v.ctl.pickForCut(v, id)
		return
	}
	v.selectNode(id, byKey)
}

// onKey handles the keys of the view: on the view itself, or on the page's
// body when this is the first view with controls.
func (v *view) onKey(ev js.Value) {
	if !v.controls || ev.Get("defaultPrevented").Bool() {
		return
	}
	if ev.Get("ctrlKey").Bool() || ev.Get("metaKey").Bool() || ev.Get("altKey").Bool() {
		return
	}
	t := ev.Get("target")
	inside := v.root.Call("contains", t).Bool()
	if !inside {
		doc := js.Global().Get("document")
		if !t.Equal(doc.Get("body")) && !t.Equal(doc.Get("documentElement")) && !t.Equal(doc) {
			return
		}
		for _, o := range views {
			if o.controls {
				if o != v {
					return
				}
				break
			}
		}
	}
	key := ev.Get("key").String()
	tag := ""
	if t.Type() == js.TypeObject && t.Get("tagName").Type() == js.TypeString {
		tag = t.Get("tagName").String()
	}
	typing := tag == "INPUT" || tag == "SELECT" || tag == "TEXTAREA"
	if key == "Escape" {
		switch {
		case v.ctl.helpOpen():
			v.ctl.toggleHelp(v)
		case v.cutting:
			v.ctl.setCutting(v, false)
		case v.selNode != 0 || v.selMsg != 0:
			v.clearSelection()
		default:
			return
		}
		ev.Call("preventDefault")
		return
	}
	if typing {
		return
	}
	// A server or a message with the focus: Enter or space opens it.
	if key == "Enter" || key == " " {
		if n := closest(t, "[data-node]"); !n.IsNull() {
			ev.Call("preventDefault")
			v.nodeClicked(dataInt(n, "data-node"), true)
			return
		}
		if m := closest(t, "[data-msg-id]"); !m.IsNull() {
			ev.Call("preventDefault")
			v.selectMsg(dataInt(m, "data-msg-id"), true)
			return
		}
	}
	switch key {
	case " ":
		if tag == "BUTTON" || tag == "A" {
			return // the button's own action
		}
		v.w.setPlaying(!v.w.playing)
	case "ArrowRight":
		v.ctl.next(v)
	case "ArrowLeft":
		v.ctl.back(v)
	case "?":
		v.ctl.toggleHelp(v)
	case "l", "L":
		v.root.Get("classList").Call("toggle", "rl-large")
	case "1", "2", "3", "4", "5", "6", "7", "8", "9":
		id := int(key[0] - '0')
		if id > len(v.ring.nodes) {
			return
		}
		v.ring.nodes[id-1].hit.Underlying().Call("focus")
	default:
		return
	}
	ev.Call("preventDefault")
}

// --- teardown --------------------------------------------------------------

func (v *view) destroy() {
	if v.frameID != 0 {
		js.Global().Call("cancelAnimationFrame", v.frameID)
		v.frameID = 0
	}
	if !v.observer.IsUndefined() {
		v.observer.Call("disconnect")
	}
	for _, l := range v.listeners {
		l.target.Call("removeEventListener", l.typ, l.fn.js)
		l.fn.fn.Release()
	}
	for _, f := range v.funcs {
		f.fn.Release()
	}
	v.listeners, v.funcs = nil, nil
	v.frameFn.fn.Release()
	// A queued render may still run: it must find nothing to do (and its
	// function stays, unreleased).
	if !v.renderQueue {
		v.renderFn.fn.Release()
	}
	v.rendered = v.w.version
	v.renderQueue = true
	v.root.Call("remove")
	for i, o := range views {
		if o == v {
			views = append(views[:i], views[i+1:]...)
			break
		}
	}
}
