//go:build js && wasm

package main

// The controls: play/pause, step back, next event, speed (a log-scale
// slider), the history slider (seek 0..recorded), freeze timers, the
// cut-links tool (click two servers), heal, reset, copy link, and the
// keyboard help. Buttons carry data-act; one delegated click handler runs
// them (view.onButton).

import (
	"math"
	"strconv"
	"strings"
	"syscall/js"

	"honnef.co/go/js/dom/v2"

	"raftlab/raft"
	"raftlab/raft/sim"
)

type controlsView struct {
	play, freeze, cut dom.Element
	speed, speedOut   js.Value
	history, histOut  js.Value
	help              dom.Element
	helpReturn        js.Value // focus to give back when help closes
	linkBox           dom.Element
	marks             dom.Element // the explanation's marks under the history (view_explain.go)

	pos, rec int
	time     int64
	frozen   int // -1 unknown
}

// The speed slider runs 0..1000 over minSpeed..maxSpeed, log-scale.
func sliderToSpeed(x float64) float64 {
	return minSpeed * math.Pow(maxSpeed/minSpeed, x/1000)
}

func speedToSlider(s float64) float64 {
	return math.Round(1000 * math.Log(s/minSpeed) / math.Log(maxSpeed/minSpeed))
}

func speedText(s float64) string {
	digits := 2
	if s < 0.1 {
		digits = 3
	}
	return strconv.FormatFloat(s, 'g', digits, 64)
}

func (cv *controlsView) build(v *view, parent dom.Element) {
	cv.frozen, cv.pos = -1, -1
	bar := v.el("div", "class", "rl-toolbar", "role", "toolbar", "aria-label", v.word("ctl.label"))
	cv.play = v.button("play", v.word("ctl.play"), "class", "rl-play", "title", v.word("ctl.playTitle"), "aria-pressed", "false")
	bar.AppendChild(cv.play)
	bar.AppendChild(v.button("back", v.word("ctl.back"), "title", v.word("ctl.backTitle")))
	bar.AppendChild(v.button("next", v.word("ctl.next"), "title", v.word("ctl.nextTitle")))

	sp := v.el("label", "class", "rl-speed rl-more")
	sp.AppendChild(v.text("span", v.word("ctl.speed")))
	in := v.el("input", "type", "range", "min", "0", "max", "1000", "step", "1",
		"value", strconv.FormatFloat(speedToSlider(v.w.speed), 'f', 0, 64))
	sp.AppendChild(in)
	out := v.text("output", v.word("ctl.speedValue", "x", speedText(v.w.speed)), "aria-live", "off")
	sp.AppendChild(out)
	bar.AppendChild(sp)
	cv.speed, cv.speedOut = in.Underlying(), out.Underlying()
	v.listen(cv.speed, "input", func(js.Value) {
		x, _ := strconv.ParseFloat(cv.speed.Get("value").String(), 64)
		v.w.speed = sliderToSpeed(x)
		cv.speedOut.Set("textContent", v.word("ctl.speedValue", "x", speedText(v.w.speed)))
	})

	// The buttons of class rl-more give way first in a small frame.
	cv.freeze = v.button("freeze", v.word("ctl.freeze"), "aria-pressed", "false", "class", "rl-more")
	bar.AppendChild(cv.freeze)
	cv.cut = v.button("cut", v.word("ctl.cut"), "aria-pressed", "false", "title", v.word("ctl.cutTitle"), "class", "rl-more")
	bar.AppendChild(cv.cut)
	bar.AppendChild(v.button("heal", v.word("ctl.heal"), "title", v.word("ctl.healTitle"), "class", "rl-more"))
	bar.AppendChild(v.button("reset", v.word("ctl.reset"), "title", v.word("ctl.resetTitle"), "class", "rl-more"))
	bar.AppendChild(v.button("copy", v.word("ctl.copy"), "title", v.word("ctl.copyTitle"), "class", "rl-more"))
	bar.AppendChild(v.button("help", v.word("ctl.help"), "title", v.word("ctl.helpTitle"), "aria-label", v.word("ctl.helpTitle")))
	parent.AppendChild(bar)

	hist := v.el("label", "class", "rl-history")
	hist.AppendChild(v.text("span", v.word("ctl.history")))
	hin := v.el("input", "type", "range", "min", "0", "max", "0", "step", "1", "value", "0")
	track := v.el("span", "class", "rl-histtrack")
	track.AppendChild(hin)
	hist.AppendChild(track)
	hout := v.el("output", "aria-live", "off")
	hist.AppendChild(hout)
	parent.AppendChild(hist)
	if v.w.explain != nil {
		cv.marks = v.el("span", "class", "rl-marks")
		track.AppendChild(cv.marks)
	}
	cv.history, cv.histOut = hin.Underlying(), hout.Underlying()
	v.listen(cv.history, "input", func(js.Value) {
		k, _ := strconv.Atoi(cv.history.Get("value").String())
		v.w.setPlaying(false)
		if k != v.w.c.Position() {
			v.w.c.Seek(k)
			v.w.changed()
		}
	})
	cv.linkBox = v.el("p", "class", "rl-linkbox", "hidden", "")
	parent.AppendChild(cv.linkBox)
}

func (cv *controlsView) buildHelp(v *view, parent dom.Element) {
	cv.help = v.el("div", "class", "rl-help", "role", "dialog", "aria-label", v.word("help.title"), "hidden", "")
	cv.help.AppendChild(v.text("p", v.word("help.title"), "class", "rl-helptitle"))
	dl := v.el("dl")
	for _, k := range [][2]string{
		{v.word("help.key.space"), "help.space"}, {"→", "help.right"}, {"←", "help.left"}, {"1–9", "help.digits"},
		{v.word("help.key.enter"), "help.enter"}, {v.word("help.key.escape"), "help.escape"}, {"?", "help.help"},
	} {
		dt := v.el("dt")
		dt.AppendChild(v.text("kbd", k[0]))
		dl.AppendChild(dt)
		dl.AppendChild(v.text("dd", v.word(k[1])))
	}
	cv.help.AppendChild(dl)
	cv.help.AppendChild(v.button("help-close", v.word("act.close")))
	parent.AppendChild(cv.help)
}

func (cv *controlsView) helpOpen() bool {
	return cv.help != nil && !cv.help.HasAttribute("hidden")
}

func (cv *controlsView) toggleHelp(v *view) {
	if cv.help == nil {
		return
	}
	if cv.helpOpen() {
		cv.help.SetAttribute("hidden", "")
		if cv.helpReturn.Type() == js.TypeObject && cv.helpReturn.Get("focus").Type() == js.TypeFunction {
			cv.helpReturn.Call("focus")
		}
		return
	}
	cv.helpReturn = js.Global().Get("document").Get("activeElement")
	cv.help.RemoveAttribute("hidden")
	cv.help.Underlying().Call("querySelector", "button").Call("focus")
}

func (cv *controlsView) playingChanged(v *view) {
	if v.w.playing {
		cv.play.SetTextContent(v.word("ctl.pause"))
		cv.play.SetAttribute("aria-pressed", "true")
	} else {
		cv.play.SetTextContent(v.word("ctl.play"))
		cv.play.SetAttribute("aria-pressed", "false")
	}
}

func (cv *controlsView) speedChanged(v *view) {
	cv.speed.Set("value", strconv.FormatFloat(speedToSlider(v.w.speed), 'f', 0, 64))
	cv.speedOut.Set("textContent", v.word("ctl.speedValue", "x", speedText(v.w.speed)))
}

func (cv *controlsView) render(v *view, st *sim.State) {
	if st.Position != cv.pos || st.Recorded != cv.rec || st.Time != cv.time {
		if st.Recorded != cv.rec {
			cv.history.Set("max", st.Recorded)
			if cv.marks != nil {
				v.explainMarks(cv.marks, st.Recorded)
			}
		}
		if st.Position != cv.pos {
			cv.history.Set("value", st.Position)
		}
		cv.pos, cv.rec, cv.time = st.Position, st.Recorded, st.Time
		cv.histOut.Set("textContent", v.word("ctl.historyValue", "pos", itoa(st.Position), "rec", itoa(st.Recorded),
			"time", strconv.FormatInt(st.Time, 10)))
	}
	frozen := 0
	if st.Frozen {
		frozen = 1
	}
	if frozen != cv.frozen {
		cv.frozen = frozen
		cv.freeze.SetAttribute("aria-pressed", strconv.FormatBool(st.Frozen))
	}
}

// next steps forward (pausing first): it redoes the next recorded action
// after a step back, and otherwise runs to the next event.
func (cv *controlsView) next(v *view) {
	v.w.setPlaying(false)
	if st := v.w.c.State(); st.Position < st.Recorded {
		if v.w.c.Redo() {
			v.w.changed()
		}
		return
	}
	v.act(sim.Action{Op: sim.OpNext})
}

// back undoes the last action (pausing first).
func (cv *controlsView) back(v *view) {
	v.w.setPlaying(false)
	if v.w.c.Undo() {
		v.w.changed()
	}
}

func (cv *controlsView) setCutting(v *view, on bool) {
	v.cutting, v.cutFirst = on, 0
	cv.cut.SetAttribute("aria-pressed", strconv.FormatBool(on))
	if on {
		v.say(v.word("ctl.cutFirst"))
	} else {
		v.say("")
	}
	v.rendered = -1
	v.render()
}

// pickForCut takes a server clicked in cut-links mode: the second one cuts
// the link between the two both ways, or restores it if it is cut.
func (cv *controlsView) pickForCut(v *view, id int) {
	if v.cutFirst == 0 || v.cutFirst == id {
		v.cutFirst = id
		v.say(v.word("ctl.cutPick"))
		v.rendered = -1
		v.render()
		return
	}
	a, b := raft.NodeID(v.cutFirst), raft.NodeID(id)
	op := sim.OpCut
	for _, l := range v.w.c.State().Blocked {
		if (l.From == a && l.To == b) || (l.From == b && l.To == a) {
			op = sim.OpRestore
		}
	}
	v.cutFirst = 0
	if v.act(sim.Action{Op: op, From: a, To: b}) {
		v.say(v.word("ctl.cutFirst"))
	}
}

// onButton runs the button (or form) whose data-act is act.
func (v *view) onButton(act string, el js.Value) {
	sel := raft.NodeID(v.selNode)
	switch act {
	case "play":
		v.w.setPlaying(!v.w.playing)
	case "back":
		v.ctl.back(v)
	case "next":
		v.ctl.next(v)
	case "freeze":
		op := sim.OpFreeze
		if v.w.c.State().Frozen {
			op = sim.OpUnfreeze
		}
		v.act(sim.Action{Op: op})
	case "cut":
		v.ctl.setCutting(v, !v.cutting)
	case "heal":
		v.act(sim.Action{Op: sim.OpHeal})
	case "reset":
		v.w.setPlaying(false)
		v.w.c.Reset()
		v.w.changed()
	case "copy":
		v.copyLink()
	case "seek":
		v.seekTo(el)
	case "help", "help-close":
		v.ctl.toggleHelp(v)
	case "close":
		v.clearSelection()
	case "timeout":
		v.actPanel(sim.Action{Op: sim.OpTimeout, Node: sel}, v.word("act.timeout"))
	case "crash":
		v.actPanel(sim.Action{Op: sim.OpCrash, Node: sel}, v.word("act.crash"))
	case "restart":
		v.actPanel(sim.Action{Op: sim.OpRestart, Node: sel}, v.word("act.restart"))
	case "restart-forget":
		v.actPanel(sim.Action{Op: sim.OpRestart, Node: sel, Amnesia: sim.AmnesiaVote}, v.word("act.restartForget"))
	case "compact":
		v.actPanel(sim.Action{Op: sim.OpCompact, Node: sel}, v.word("act.compact"))
	case "add-server", "remove-server":
		st := v.w.c.State()
		lead := leaderOf(&st)
		if lead == nil {
			return
		}
		a := sim.Action{Op: sim.OpAddServer, Node: lead.ID, Peer: sel}
		what := v.word("act.addServer", "leader", lead.ID.String())
		if act == "remove-server" {
			a.Op, what = sim.OpRemoveServer, v.word("act.removeServer", "leader", lead.ID.String())
		}
		v.actPanel(a, what)
	case "isolate":
		var rest []raft.NodeID
		for i := 1; i <= v.w.sc.Nodes; i++ {
			if raft.NodeID(i) != sel {
				rest = append(rest, raft.NodeID(i))
			}
		}
		v.actPanel(sim.Action{Op: sim.OpPartition, Groups: [][]raft.NodeID{rest, {sel}}}, v.word("act.isolate"))
	case "propose":
		cmd, err := sim.ParseCommand(v.panel.propose.Get("value").String())
		if err != nil {
			v.panel.tell(v.word("status.error", "error", v.errorWords(err)), "error")
			return
		}
		if v.actPanel(sim.Action{Op: sim.OpPropose, Node: sel, Command: cmd.String()}, v.word("act.propose")+" "+cmd.String()) {
			v.panel.proposed++
			if cmd.Op == "set" && cmd.Key == "x" {
				v.panel.propose.Set("value", "set x "+itoa(v.panel.proposed+1))
			}
		}
	case "read":
		key := strings.TrimSpace(v.panel.readKey.Get("value").String())
		if err := sim.CheckKey(key); err != nil {
			v.panel.tell(v.word("status.error", "error", v.errorWords(err)), "error")
			return
		}
		path, _ := sim.ReadPathByName(v.panel.readPath.Get("value").String())
		before := v.w.c.EventCount()
		if !v.actPanel(sim.Action{Op: sim.OpRead, Node: sel, Key: key, Path: path}, v.word("act.read")) {
			return
		}
		v.panel.tell(readAnswer(v, v.w.c.Events(before), sel, key), "")
	case "transfer":
		to, _ := strconv.Atoi(v.panel.transferTo.Get("value").String())
		v.actPanel(sim.Action{Op: sim.OpTransfer, Node: sel, To: raft.NodeID(to)}, v.word("act.transfer")+" "+raft.NodeID(to).String())
	case "deliver":
		v.actPanel(sim.Action{Op: sim.OpDeliver, Msg: sim.MsgSelector{ID: v.selMsg}}, v.word("act.deliver"))
	case "drop":
		v.actPanel(sim.Action{Op: sim.OpDrop, Msg: sim.MsgSelector{ID: v.selMsg}}, v.word("act.drop"))
	case "duplicate":
		v.actPanel(sim.Action{Op: sim.OpDuplicate, Msg: sim.MsgSelector{ID: v.selMsg}}, v.word("act.duplicate"))
	}
}

// readAnswer says what a read asked from the panel gave: its value, that it
// waits to be confirmed, that it was refused, or that the server is down.
func readAnswer(v *view, evs []sim.Event, id raft.NodeID, key string) string {
	if len(evs) == 0 {
		return ""
	}
	op := evs[0].Op // the read's first event is its request
	for _, e := range evs {
		if e.Op != op {
			continue
		}
		switch {
		case e.Kind == sim.EvRead && e.Found:
			return v.word("act.readResult", "id", id.String(), "key", key, "value", e.Value)
		case e.Kind == sim.EvRead:
			return v.word("act.readNone", "id", id.String(), "key", key)
		case e.Kind == sim.EvReadFailed:
			return v.word("act.readRefused", "id", id.String(), "op", itoa(e.Op), "key", key)
		case e.Kind == sim.EvNoAnswer:
			return v.word("act.readDown", "id", id.String())
		}
	}
	for _, e := range evs {
		if e.Kind == sim.EvReadAsk {
			return v.word("act.readAsked", "id", id.String(), "op", itoa(e.Op), "key", key, "path", v.word("path."+e.Path.String()))
		}
	}
	return ""
}

// copyLink puts the link that reproduces this state on the clipboard, and
// shows it in the page (where the clipboard is not available, it can be
// copied by hand).
func (v *view) copyLink() {
	link, err := v.w.link()
	if err != nil {
		v.say(v.word("status.error", "error", v.errorWords(err)))
		return
	}
	box := v.ctl.linkBox
	box.SetTextContent("")
	box.AppendChild(v.text("span", v.word("ctl.copyManual")+" "))
	in := v.el("input", "type", "text", "readonly", "", "class", "rl-link", "aria-label", v.word("ctl.copy"))
	in.Underlying().Set("value", link)
	box.AppendChild(in)
	box.RemoveAttribute("hidden")
	in.Underlying().Call("select")
	clip := js.Global().Get("navigator").Get("clipboard")
	if clip.Type() != js.TypeObject {
		return
	}
	var ok, fail guarded
	done := func() { ok.fn.Release(); fail.fn.Release() }
	ok = guardFunc("copy", func(js.Value, []js.Value) any { v.say(v.word("ctl.copied")); done(); return nil })
	fail = guardFunc("copy", func(js.Value, []js.Value) any { done(); return nil })
	clip.Call("writeText", link).Call("then", ok.js, fail.js)
}
