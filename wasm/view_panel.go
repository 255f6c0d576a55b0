//go:build js && wasm

package main

// The inspector: the selected server's state and actions (time out, crash
// or restart, restart forgetting its vote, isolate, propose, read), or the
// selected message's fields, why it was refused, and deliver / drop /
// duplicate. Its buttons are built once per selection, so the focus stays
// on them while the cluster plays; only the details are redrawn.

import (
	"strconv"
	"strings"
	"syscall/js"

	"honnef.co/go/js/dom/v2"

	"raftlab/raft"
	"raftlab/raft/sim"
)

type panelView struct {
	box      dom.Element
	title    dom.Element
	details  dom.Element
	why      dom.Element
	said     dom.Element // what the last action from the panel gave: next to its buttons
	crashBtn dom.Element
	// memberBtn asks the leader to add the selected server to its
	// configuration, or to remove it (data-act add-server, remove-server);
	// hidden while no leader is up.
	memberBtn dom.Element
	memberAct string
	actions   dom.Element
	upOnly    []dom.Element // what a crashed server cannot do: hidden while it is down
	downOnly  dom.Element   // and what only a crashed server can: restart forgetting its vote
	up        int           // -1 unknown, 0 down, 1 up: what upOnly shows
	propose   js.Value      // the command <input>
	readKey   js.Value      // the key <input>
	readPath  js.Value      // the read path <select>
	// leaderOnly is what only a leader can do (hand leadership over),
	// shown while the server leads; transferTo is its <select>.
	leaderOnly dom.Element
	leading    int // -1 unknown, 0 no, 1 yes: what leaderOnly shows
	transferTo js.Value
	sig        string
	// what the details show: the title, the pairs, and the <dd> of each
	shownTitle string
	shown      pairs
	dds        []js.Value
	crashAct   string
	proposed   int // proposals made from the panel, for the next "set x N"
}

func (pv *panelView) build(v *view, parent dom.Element) {
	pv.box = v.el("div", "class", "rl-panel", "role", "group", "aria-label", v.word("panel.label"))
	parent.AppendChild(pv.box)
	v.listen(pv.box.Underlying(), "submit", func(ev js.Value) {
		ev.Call("preventDefault")
		form := ev.Get("target")
		v.onButton(form.Call("getAttribute", "data-act").String(), form)
	})
	pv.rebuild(v)
}

// rebuild makes the panel's structure for the current selection.
func (pv *panelView) rebuild(v *view) {
	pv.box.SetTextContent("")
	pv.sig, pv.crashAct = "", ""
	pv.shownTitle, pv.shown, pv.dds = "", nil, nil
	pv.crashBtn, pv.why, pv.said = nil, nil, nil
	pv.memberBtn, pv.memberAct = nil, ""
	pv.upOnly, pv.downOnly, pv.up = nil, nil, -1
	pv.propose, pv.readKey, pv.readPath, pv.transferTo = js.Undefined(), js.Undefined(), js.Undefined(), js.Undefined()
	pv.leaderOnly, pv.leading = nil, -1
	if v.selNode == 0 && v.selMsg == 0 {
		pv.title, pv.details = nil, nil
		pv.box.AppendChild(v.text("p", v.word("panel.hint"), "class", "rl-hint"))
		return
	}
	pv.title = v.el("p", "class", "rl-paneltitle")
	pv.box.AppendChild(pv.title)
	pv.details = v.el("dl", "class", "rl-details")
	pv.box.AppendChild(pv.details)
	pv.actions = v.el("div", "class", "rl-actions")
	if v.selNode != 0 {
		pv.actions.SetAttribute("role", "group")
		pv.actions.SetAttribute("aria-label", v.word("node.menu", "id", raft.NodeID(v.selNode).String()))
		timeout := v.button("timeout", v.word("act.timeout"))
		pv.actions.AppendChild(timeout)
		pv.crashBtn = v.button("crash", v.word("act.crash"))
		pv.actions.AppendChild(pv.crashBtn)
		forget := v.button("restart-forget", v.word("act.restartForget"))
		pv.actions.AppendChild(forget)
		pv.actions.AppendChild(v.button("isolate", v.word("act.isolate")))
		compact := v.button("compact", v.word("act.compact"))
		pv.actions.AppendChild(compact)
		pv.memberBtn = v.button("add-server", v.word("act.addServer", "leader", ""), "hidden", "")
		pv.actions.AppendChild(pv.memberBtn)
		pv.box.AppendChild(pv.actions)
		pv.said = v.el("p", "class", "rl-said", "role", "status")
		pv.box.AppendChild(pv.said)

		form := v.el("form", "class", "rl-form", "data-act", "propose")
		in := v.el("input", "type", "text", "value", "set x "+itoa(pv.proposed+1), "aria-label", v.word("act.proposeLabel"),
			"autocomplete", "off", "spellcheck", "false", "maxlength", "80")
		form.AppendChild(in)
		form.AppendChild(v.text("button", v.word("act.propose"), "type", "submit"))
		pv.box.AppendChild(form)
		pv.propose = in.Underlying()
		pv.upOnly = append(pv.upOnly, timeout, compact, form)
		pv.downOnly = forget

		form = v.el("form", "class", "rl-form", "data-act", "read")
		in = v.el("input", "type", "text", "value", "x", "aria-label", v.word("act.readLabel"),
			"autocomplete", "off", "spellcheck", "false", "maxlength", "40")
		form.AppendChild(in)
		// How to read: as the scenario says, or a path of its own.
		sel := v.el("select", "aria-label", v.word("act.readPath"))
		for _, p := range []sim.ReadPath{sim.ReadDefault, sim.ReadLocal, sim.ReadByIndex, sim.ReadByLease} {
			name := p.String()
			if p == sim.ReadDefault {
				name = "default"
			}
			sel.AppendChild(v.text("option", v.word("path."+name), "value", p.String()))
		}
		form.AppendChild(sel)
		form.AppendChild(v.text("button", v.word("act.read"), "type", "submit"))
		pv.box.AppendChild(form)
		pv.readKey, pv.readPath = in.Underlying(), sel.Underlying()
		pv.upOnly = append(pv.upOnly, form)

		// A leader hands leadership over (dissertation §3.10).
		form = v.el("form", "class", "rl-form", "data-act", "transfer", "hidden", "")
		sel = v.el("select", "aria-label", v.word("act.transferLabel"))
		for i := 1; i <= v.w.sc.Nodes; i++ {
			if i != v.selNode {
				sel.AppendChild(v.text("option", raft.NodeID(i).String(), "value", itoa(i)))
			}
		}
		form.AppendChild(v.text("button", v.word("act.transfer"), "type", "submit"))
		form.AppendChild(sel)
		pv.box.AppendChild(form)
		pv.leaderOnly, pv.transferTo = form, sel.Underlying()
	} else {
		pv.why = v.el("p", "class", "rl-whybox", "hidden", "")
		pv.box.AppendChild(pv.why)
		pv.actions.AppendChild(v.button("deliver", v.word("act.deliver")))
		pv.actions.AppendChild(v.button("drop", v.word("act.drop")))
		pv.actions.AppendChild(v.button("duplicate", v.word("act.duplicate")))
		pv.box.AppendChild(pv.actions)
		pv.said = v.el("p", "class", "rl-said", "role", "status")
		pv.box.AppendChild(pv.said)
	}
	pv.box.AppendChild(v.button("close", v.word("act.close"), "class", "rl-close"))
}

// focusFirst moves the focus to the panel's first button.
func (pv *panelView) focusFirst() {
	if b := pv.box.Underlying().Call("querySelector", "button"); !b.IsNull() {
		b.Call("focus")
	}
}

func (pv *panelView) render(v *view, st *sim.State) {
	switch {
	case v.selNode != 0 && v.selNode <= len(st.Nodes):
		pv.renderNode(v, st, &st.Nodes[v.selNode-1])
	case v.selMsg != 0:
		for i := range st.Messages {
			if st.Messages[i].ID == v.selMsg {
				pv.renderMsg(v, &st.Messages[i])
				return
			}
		}
		pv.renderGone(v)
	}
}

// pairs are a definition list's terms and values, in order.
type pairs []string

// setDetails shows the title and the pairs. While playing, a selected
// server's timer changes every frame: when the terms are the same as
// shown, only the values that changed are written.
func (pv *panelView) setDetails(v *view, title string, p pairs) {
	sig := title + "\x00" + strings.Join(p, "\x00")
	if sig == pv.sig {
		return
	}
	pv.sig = sig
	if title != pv.shownTitle {
		pv.shownTitle = title
		pv.title.SetTextContent(title)
	}
	same := len(p) == len(pv.shown)
	for i := 0; same && i+1 < len(p); i += 2 {
		same = p[i] == pv.shown[i]
	}
	if same {
		for i := 1; i < len(p); i += 2 {
			if p[i] != pv.shown[i] {
				pv.dds[i/2].Set("textContent", p[i])
			}
		}
		pv.shown = p
		return
	}
	pv.details.SetTextContent("")
	pv.dds = pv.dds[:0]
	for i := 0; i+1 < len(p); i += 2 {
		pv.details.AppendChild(v.text("dt", p[i]))
		dd := v.text("dd", p[i+1])
		pv.details.AppendChild(dd)
		pv.dds = append(pv.dds, dd.Underlying())
	}
	pv.shown = p
}

func (v *view) idOrNone(id raft.NodeID) string {
	if id == raft.None {
		return v.word("field.none")
	}
	return id.String()
}

func (pv *panelView) renderNode(v *view, st *sim.State, n *sim.NodeState) {
	role := roleName(n)
	title := v.word("node.title", "id", n.ID.String(), "role", v.word("role."+role), "term", u64(uint64(n.Term)))
	p := pairs{v.word("field.vote"), v.idOrNone(n.Vote)}
	if n.Up {
		timer := "field.timerValue"
		if st.Frozen {
			timer = "field.timerFrozen"
		}
		p = append(p,
			v.word("field.leader"), v.idOrNone(n.Leader),
			v.word("field.commit"), u64(uint64(n.CommitIndex)),
			v.word("field.applied"), u64(uint64(n.LastApplied)),
			v.word("field.timer"), v.word(timer, "left", itoa(n.TimerRemaining), "length", itoa(n.TimerLength)))
	}
	p = append(p, v.word("field.log"), v.word("field.logValue", "n", itoa(len(n.Log))))
	if n.SnapshotIndex > 0 {
		p = append(p, v.word("field.snapshot"), v.word("field.snapshotValue", "index", u64(uint64(n.SnapshotIndex)), "term", u64(uint64(n.SnapshotTerm))))
	}
	// The configuration this server uses: the latest in its log, committed
	// or not (dissertation §4.1).
	p = append(p, v.word("field.config"), v.w.words.Configuration(n.Membership))
	if n.Drift != 0 {
		clock := v.word("field.clockFast", "pct", driftPct(n.Drift))
		if n.Drift < 0 {
			clock = v.word("field.clockSlow", "pct", driftPct(-n.Drift))
		}
		p = append(p, v.word("field.clock"), clock)
	}
	if n.Up && (n.Role == raft.Candidate || n.Role == raft.PreCandidate) {
		ids := make([]string, len(n.Votes))
		for i, id := range n.Votes {
			ids[i] = id.String()
		}
		p = append(p, v.word("field.votes"), strings.Join(ids, " "))
	}
	if n.Up && n.Role == raft.Leader {
		var prog []string
		for _, pr := range n.Progress {
			if pr.ID == n.ID {
				continue
			}
			prog = append(prog, v.word("field.progressValue", "id", pr.ID.String(), "next", u64(uint64(pr.Next)),
				"match", u64(uint64(pr.Match)), "state", v.word("progress."+pr.State.String())))
		}
		p = append(p, v.word("field.progress"), strings.Join(prog, ", "))
		if n.Transferee != raft.None {
			p = append(p, v.word("field.transferee"), n.Transferee.String())
		}
		if n.Lease > 0 {
			p = append(p, v.word("field.lease"), v.word("field.leaseValue", "left", itoa(n.Lease)))
		}
	}
	if len(n.Reads) > 0 {
		reads := make([]string, len(n.Reads))
		for i, r := range n.Reads {
			path := v.word("path." + r.Path.String())
			reads[i] = v.word("field.readWait", "op", itoa(r.Op), "key", r.Key, "path", path)
			if r.Ready {
				reads[i] = v.word("field.readReady", "op", itoa(r.Op), "key", r.Key, "path", path, "index", u64(uint64(r.Index)))
			}
		}
		p = append(p, v.word("field.reads"), strings.Join(reads, "; "))
	}
	kv := make([]string, 0, len(n.KV))
	for _, e := range n.KV {
		kv = append(kv, e.Key+"="+e.Value)
	}
	if len(kv) > 0 {
		p = append(p, v.word("field.kv"), strings.Join(kv, " "))
	}
	pv.setDetails(v, title, p)

	act, label := "crash", v.word("act.crash")
	if !n.Up {
		act, label = "restart", v.word("act.restart")
	}
	if act != pv.crashAct && pv.crashBtn != nil {
		pv.crashAct = act
		pv.crashBtn.SetAttribute("data-act", act)
		pv.crashBtn.SetTextContent(label)
	}
	pv.renderMember(v, st, n)
	up := 0
	if n.Up {
		up = 1
	}
	leading := 0
	if n.Up && n.Role == raft.Leader {
		leading = 1
	}
	if leading != pv.leading && pv.leaderOnly != nil {
		pv.leading = leading
		showIf(pv.leaderOnly, leading == 1)
	}
	if up != pv.up {
		pv.up = up
		for _, e := range pv.upOnly {
			showIf(e, n.Up)
		}
		if pv.downOnly != nil {
			showIf(pv.downOnly, !n.Up)
		}
	}
}

// driftPct writes a drift in per mille as a percentage: 300 is "30".
func driftPct(pm int) string {
	s := itoa(pm / 10)
	if pm%10 != 0 {
		s += "." + itoa(pm%10)
	}
	return s
}

// renderMember sets the membership button: ask the leader (the running
// one of the highest term) to remove n if its configuration holds n, else
// to add n; hidden while no leader is up.
func (pv *panelView) renderMember(v *view, st *sim.State, n *sim.NodeState) {
	if pv.memberBtn == nil {
		return
	}
	act, label := "", ""
	if lead := leaderOf(st); lead != nil {
		act, label = "add-server", v.word("act.addServer", "leader", lead.ID.String())
		if m := lead.Membership; m.IsVoter(n.ID) || m.IsLearner(n.ID) {
			act, label = "remove-server", v.word("act.removeServer", "leader", lead.ID.String())
		}
	}
	if act+label == pv.memberAct {
		return
	}
	pv.memberAct = act + label
	showIf(pv.memberBtn, act != "")
	if act != "" {
		pv.memberBtn.SetAttribute("data-act", act)
		pv.memberBtn.SetTextContent(label)
	}
}

// leaderOf is the running leader of the highest term, or nil.
func leaderOf(st *sim.State) *sim.NodeState {
	var lead *sim.NodeState
	for i := range st.Nodes {
		if n := &st.Nodes[i]; n.Up && n.Role == raft.Leader && (lead == nil || n.Term > lead.Term) {
			lead = n
		}
	}
	return lead
}

// showIf shows e when on, else hides it.
func showIf(e dom.Element, on bool) {
	if on {
		e.RemoveAttribute("hidden")
	} else {
		e.SetAttribute("hidden", "")
	}
}

// tell shows what an action from the panel gave, next to its buttons;
// tone is "done", "error" or "" (a plain answer, such as a read).
func (pv *panelView) tell(s, tone string) bool {
	if pv.said == nil {
		return false
	}
	pv.said.SetTextContent(s)
	pv.said.SetAttribute("data-tone", tone)
	return true
}

func (pv *panelView) renderMsg(v *view, m *sim.Message) {
	title := v.word("msg.title", "type", v.word("type."+m.Type.String()), "id", itoa(m.ID), "from", m.From.String(), "to", m.To.String())
	yesno := func(b bool) string {
		if b {
			return v.word("field.yes")
		}
		return v.word("field.no")
	}
	p := pairs{v.word("field.term"), u64(uint64(m.Term))}
	switch m.Type {
	case raft.MsgVote:
		p = append(p, v.word("field.lastLog"), u64(uint64(m.LastLogIndex))+"/"+u64(uint64(m.LastLogTerm)))
	case raft.MsgVoteResp:
		p = append(p, v.word("field.granted"), yesno(m.Success))
	case raft.MsgAppend:
		p = append(p, v.word("field.prev"), u64(uint64(m.PrevLogIndex))+"/"+u64(uint64(m.PrevLogTerm)),
			v.word("field.entries"), itoa(len(m.Entries)),
			v.word("field.leaderCommit"), u64(uint64(m.LeaderCommit)))
	case raft.MsgSnap:
		// Figure 13's arguments: the snapshot's last included index and
		// term, and its configuration (§7); it is sent whole.
		if snap := m.Snapshot; snap != nil {
			p = append(p, v.word("field.snapshot"), v.word("field.snapshotValue", "index", u64(uint64(snap.Index)), "term", u64(uint64(snap.Term))),
				v.word("field.config"), v.w.words.Configuration(snap.Config))
		}
		p = append(p, v.word("field.leaderCommit"), u64(uint64(m.LeaderCommit)))
	case raft.MsgSnapResp:
		p = append(p, v.word("field.success"), yesno(m.Success), v.word("field.match"), u64(uint64(m.MatchIndex)))
	case raft.MsgAppendResp:
		p = append(p, v.word("field.success"), yesno(m.Success))
		if m.Success {
			p = append(p, v.word("field.match"), u64(uint64(m.MatchIndex)))
		} else {
			// A refusal echoes the prevLogIndex it refused, and says
			// where the logs may start to differ (§5.3).
			p = append(p, v.word("field.refusedPrev"), u64(uint64(m.MatchIndex)))
			if m.ConflictTerm != 0 {
				p = append(p, v.word("field.conflictTerm"), u64(uint64(m.ConflictTerm)))
			}
			if m.ConflictIndex != 0 {
				p = append(p, v.word("field.conflictIndex"), u64(uint64(m.ConflictIndex)))
			}
		}
	}
	p = append(p, v.word("field.timing"), v.word("msg.timing", "sent", strconv.FormatInt(m.SentAt, 10), "arrive", strconv.FormatInt(m.ArriveAt, 10)))
	pv.setDetails(v, title, p)
	if pv.actions.HasAttribute("hidden") {
		pv.actions.RemoveAttribute("hidden") // back in flight after an undo
	}
	if pv.why != nil && pv.why.HasAttribute("hidden") && m.Reason.Code != raft.ReasonNone {
		pv.why.RemoveAttribute("hidden")
		pv.why.SetTextContent("")
		pv.why.AppendChild(v.text("strong", v.word("msg.why", "text", v.w.words.Reason(m.Reason))))
		pv.why.AppendChild(v.el("br"))
		pv.why.AppendChild(v.textNode(v.word("msg.rule", "rule", v.w.words.Rule(m.Reason.Code), "section", m.Reason.Code.Section())))
	}
}

func (pv *panelView) renderGone(v *view) {
	gone := v.word("msg.gone", "id", itoa(v.selMsg))
	if pv.sig == gone {
		return
	}
	pv.sig = gone
	pv.shown, pv.dds = nil, pv.dds[:0]
	pv.details.SetTextContent("")
	pv.details.AppendChild(v.text("dd", gone))
	if pv.actions != nil {
		pv.actions.SetAttribute("hidden", "")
	}
}
