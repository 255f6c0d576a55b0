//go:build js && wasm

package main

// The ring: servers on a circle, cut links, and the messages in flight on
// the lanes of their links, at the part of their trip already done. The
// geometry and the drawings come from raftlab/wasm/draw, which also draws
// the static first frame the site build writes into the pages.
//
// Every server is a <g class="rl-node" data-node="ID" data-role="ROLE">
// holding a focusable <g class="rl-hit" tabindex="0" role="button"
// aria-label="S2, Leader, term 3, voted for S2"> and its words; its role
// shows by shape and word as well as colour (CSS): a leader has a double
// ring, a candidate a dashed one, a crashed server is grey, dashed, struck
// through and says "down". The arc around it drains as its timer runs down.
//
// Every message is a <g class="rl-msg" data-msg-id="ID" data-type="TYPE">:
// a circle for RequestVote, a rounded rectangle for AppendEntries, hollow
// for replies, labelled RV, RV✓/RV✗, AE n, AE✓/AE✗. Messages never cover
// one another or a server (draw.Ring.Place).

import (
	"math"
	"strconv"
	"strings"
	"syscall/js"

	"honnef.co/go/js/dom/v2"

	"raftlab/raft"
	"raftlab/raft/sim"
	"raftlab/wasm/draw"
)

type nodeView struct {
	id                  int
	g, hit              dom.Element
	arc                 js.Value
	tRole, tTerm, tVote dom.Element

	role, label, term, vote, class string
	roleWord, member               string
	arcOff                         float64 // stroke-dashoffset drawn
	// reads marks the client reads the server is serving ("1 R"), made
	// the first time it has one.
	reads  dom.Element
	nReads int
}

// msgView is the drawing of one message in flight. While playing, the
// drawings of messages that arrived are kept (detached) and reused for new
// ones of the same shape: at top speed several messages come and go on
// every draw, and a reused drawing needs a few writes where a new one
// needs some twenty calls into JS.
type msgView struct {
	id     int
	g      js.Value // data-msg-id, moved by its style's transform
	hit    js.Value // the focusable shape, with the aria-label
	style  js.Value // g.style
	text   js.Value // the label's <text>
	shape  draw.Shape
	typ    string // data-type
	label  string
	aria   string
	x, y   float64 // translation drawn, in half units
	placed bool
	class  string
	gen    int
}

// spareMax is how many unused message drawings of each shape are kept.
const spareMax = 24

type ringView struct {
	geo     draw.Ring
	svg     dom.Element
	linksG  dom.Element
	msgsG   dom.Element
	nodes   []*nodeView
	msgs    map[int]*msgView
	order   []int                   // ids of the messages drawn, in drawing (and tab) order: rising
	spare   [draw.Shapes][]*msgView // detached drawings to reuse, by shape
	gen     int
	linkSig string
	frozen  int // -1 unknown, 0, 1
	// scratch for renderMessages
	places []draw.Msg
}

// dom makes the DOM elements of a drawing (in the SVG namespace), noting
// each in made.
func (v *view) dom(e *draw.El, made map[*draw.El]js.Value) js.Value {
	el := v.docJS.Call("createElementNS", svgNS, e.Tag)
	for i := 0; i+1 < len(e.Attrs); i += 2 {
		el.Call("setAttribute", e.Attrs[i], e.Attrs[i+1])
	}
	if e.Text != "" {
		el.Set("textContent", e.Text)
	}
	for _, k := range e.Kids {
		el.Call("appendChild", v.dom(k, made))
	}
	if made != nil {
		made[e] = el
	}
	return el
}

func (rv *ringView) build(v *view, parent dom.Element, title, caption string) {
	n := v.w.sc.Nodes
	rv.frozen = -1
	rv.msgs = map[int]*msgView{}
	rv.geo = draw.NewRing(n)
	label := v.word("cluster.label", "n", itoa(n))
	if title != "" {
		label = title
	}
	rv.svg = wrap(v.dom(rv.geo.SVG(label), nil))
	parent.AppendChild(rv.svg)
	if caption != "" {
		parent.AppendChild(v.text("p", caption, "class", "rl-caption"))
	}
	rv.linksG = v.svg("g", "class", "rl-links")
	nodesG := v.svg("g", "class", "rl-nodes")
	rv.msgsG = v.svg("g", "class", "rl-msgs")
	rv.svg.AppendChild(rv.linksG)
	rv.svg.AppendChild(nodesG)
	rv.svg.AppendChild(rv.msgsG)

	for i := 1; i <= n; i++ {
		d := rv.geo.Node(i, "Follower", draw.NodeLabels{Name: raft.NodeID(i).String()}, true)
		made := map[*draw.El]js.Value{}
		nodesG.Underlying().Call("appendChild", v.dom(d.G, made))
		nv := &nodeView{id: i, g: wrap(made[d.G]), hit: wrap(made[d.Hit]), arc: made[d.Arc], arcOff: 100,
			tRole: wrap(made[d.Role]), tTerm: wrap(made[d.Term]), tVote: wrap(made[d.Vote])}
		nv.hit.SetAttribute("aria-label", raft.NodeID(i).String())
		rv.nodes = append(rv.nodes, nv)
	}
}

// render draws st; extra is virtual time (under 1 ms) past st.Time, for
// motion while playing slowly.
func (rv *ringView) render(v *view, st *sim.State, extra float64) {
	frozen := 0
	if st.Frozen {
		frozen = 1
	}
	if frozen != rv.frozen {
		rv.frozen = frozen
		if st.Frozen {
			rv.svg.Class().Add("rl-frozen")
		} else {
			rv.svg.Class().Remove("rl-frozen")
		}
	}
	for i := range st.Nodes {
		rv.renderNode(v, rv.nodes[i], &st.Nodes[i], extra)
	}
	rv.renderLinks(v, st)
	rv.renderMessages(v, st, extra)
}

// motion redraws only what moves with time: timers and messages.
func (rv *ringView) motion(v *view, st *sim.State, extra float64) {
	for i := range st.Nodes {
		rv.nodes[i].timer(&st.Nodes[i], extra)
	}
	rv.renderMessages(v, st, extra)
}

// timer draws the arc of the time left, to a fifth of a hundredth of the
// circle (about half a pixel): a frame in which it moved less writes
// nothing.
func (nv *nodeView) timer(ns *sim.NodeState, extra float64) {
	off := 100.0
	if ns.Up && ns.TimerLength > 0 {
		f := math.Max(0, math.Min(1, (float64(ns.TimerRemaining)-extra)/float64(ns.TimerLength)))
		off = math.Round((1-f)*500) / 5
	}
	if off != nv.arcOff {
		nv.arcOff = off
		setAttr(nv.arc, jsDashOffset, off)
	}
}

func (rv *ringView) renderNode(v *view, nv *nodeView, ns *sim.NodeState, extra float64) {
	role := roleName(ns)
	words := draw.NodeWords(v.word, ns) // the same words as the static first frame
	if role != nv.role {
		nv.role = role
		nv.g.SetAttribute("data-role", role)
	}
	if words.Role != nv.roleWord {
		nv.roleWord = words.Role
		nv.tRole.SetTextContent(words.Role)
	}
	if words.Member != nv.member {
		nv.member = words.Member
		if words.Member == "" {
			nv.g.RemoveAttribute("data-member")
		} else {
			nv.g.SetAttribute("data-member", words.Member)
		}
	}
	if words.Term != nv.term {
		nv.term = words.Term
		nv.tTerm.SetTextContent(words.Term)
	}
	if words.Vote != nv.vote {
		nv.vote = words.Vote
		nv.tVote.SetTextContent(words.Vote)
	}
	voted := v.word("node.novote")
	if ns.Vote != raft.None {
		voted = v.word("node.voted", "id", ns.Vote.String())
	}
	roleWord := v.word("role." + role)
	if ns.Up && ns.Role == raft.Follower && words.Member != "" {
		roleWord = words.Role // learner, outside
	}
	label := v.word("node.label", "id", ns.ID.String(), "role", roleWord,
		"term", strconv.FormatUint(uint64(ns.Term), 10), "vote", voted)
	if label != nv.label {
		nv.label = label
		nv.hit.SetAttribute("aria-label", label)
	}
	if v.last.Frozen {
		extra = 0
	}
	nv.timer(ns, extra)
	if len(ns.Reads) != nv.nReads {
		nv.nReads = len(ns.Reads)
		rv.markReads(v, nv, ns)
	}
	class := "rl-node"
	if v.selNode == nv.id {
		class += " rl-sel"
	}
	if v.cutting && v.cutFirst == nv.id {
		class += " rl-picked"
	}
	if class != nv.class {
		nv.class = class
		nv.g.SetAttribute("class", class)
	}
}

// markReads writes how many client reads the server is serving, at the top
// right of its circle, outside it; none, nothing.
func (rv *ringView) markReads(v *view, nv *nodeView, ns *sim.NodeState) {
	if nv.reads == nil {
		c := rv.geo.Centers[nv.id-1]
		r := rv.geo.Reach()
		nv.reads = v.svg("text", "class", "rl-reads", "x", num(c.X+r*0.72), "y", num(c.Y-r*0.78))
		nv.g.AppendChild(nv.reads)
	}
	n := len(ns.Reads)
	if n == 0 {
		nv.reads.SetTextContent("")
		return
	}
	nv.reads.SetTextContent(v.word("node.reads", "n", itoa(n)))
	title := v.svg("title")
	title.SetTextContent(v.word("node.readsTitle", "n", itoa(n), "id", ns.ID.String()))
	nv.reads.AppendChild(title)
}

// glideMs is how long (in real milliseconds) a message's trip must last
// for it to be drawn at 60 frames a second: a shorter one crosses in a
// few frames, too fast to follow.
const glideMs = 100

// gliding reports whether a message of st that is still on its way takes
// glideMs or more to cross at this speed.
func (rv *ringView) gliding(st *sim.State, speed float64) bool {
	for i := range st.Messages {
		m := &st.Messages[i]
		if mv := rv.msgs[m.ID]; mv != nil && float64(m.ArriveAt-m.SentAt) >= glideMs*speed {
			return true
		}
	}
	return false
}

func (rv *ringView) renderLinks(v *view, st *sim.State) {
	var sig strings.Builder
	for _, l := range st.Blocked {
		sig.WriteString(itoa(int(l.From)))
		sig.WriteByte('>')
		sig.WriteString(itoa(int(l.To)))
		sig.WriteByte(' ')
	}
	if sig.String() == rv.linkSig {
		return
	}
	rv.linkSig = sig.String()
	rv.linksG.SetTextContent("")
	for _, l := range st.Blocked {
		if int(l.From) > len(rv.nodes) || int(l.To) > len(rv.nodes) {
			continue
		}
		// The cross sits beside the lane of that direction, its line from
		// server edge to server edge.
		lane := rv.geo.Lane(int(l.From), int(l.To), 0, 0)
		start, end := rv.geo.Reach(), lane.End+lane.Start-rv.geo.Reach()
		const off = 7
		p1, p2 := lane.At(start, off), lane.At(end, off)
		x1, y1, x2, y2 := p1.X, p1.Y, p2.X, p2.Y
		g := v.svg("g", "class", "rl-cut", "data-from", itoa(int(l.From)), "data-to", itoa(int(l.To)))
		title := v.svg("title")
		title.SetTextContent(v.word("link.cut", "from", l.From.String(), "to", l.To.String()))
		g.AppendChild(title)
		g.AppendChild(v.svg("line", "x1", num(x1), "y1", num(y1), "x2", num(x2), "y2", num(y2)))
		mark := v.svg("text", "x", num((x1+x2)/2), "y", num((y1+y2)/2), "aria-hidden", "true")
		mark.SetTextContent("✕")
		g.AppendChild(mark)
		rv.linksG.AppendChild(g)
	}
}

// msgLabel is the short label of a message: RV, RV✓, RV✗, AE n, AE✓, AE✗.
func msgLabel(m *sim.Message, say draw.Words) string {
	switch m.Type {
	case raft.MsgAppend:
		if len(m.Entries) > 0 {
			return say("msg.AppendEntries.n", "n", itoa(len(m.Entries)))
		}
		return say("msg.AppendEntries")
	case raft.MsgVote, raft.MsgSnap, raft.MsgPreVote, raft.MsgTimeoutNow, raft.MsgReadIndex:
		return say("msg." + m.Type.String())
	}
	yes := ".no"
	if m.Success {
		yes = ".yes"
	}
	return say("msg." + m.Type.String() + yes)
}

// roundBadge reports whether a message is about votes (RequestVote,
// PreVote and their replies): those are drawn round.
func roundBadge(t raft.MsgType) bool {
	switch t {
	case raft.MsgVote, raft.MsgVoteResp, raft.MsgPreVote, raft.MsgPreVoteResp:
		return true
	}
	return false
}

// msgShape is the shape of a message's badge.
func msgShape(t raft.MsgType) draw.Shape {
	switch {
	case roundBadge(t):
		return draw.ShapeRound
	case t == raft.MsgSnap || t == raft.MsgSnapResp:
		return draw.ShapeSnapshot
	}
	return draw.ShapeSquare
}

func msgClass(m *sim.Message, selected bool) string {
	c := "rl-msg"
	switch msgShape(m.Type) {
	case draw.ShapeRound:
		c += " rl-vote"
	case draw.ShapeSnapshot:
		c += " rl-snap"
	default:
		c += " rl-append"
	}
	if m.Type.IsResponse() {
		c += " rl-reply"
		if !m.Success {
			c += " rl-no"
		}
	}
	if selected {
		c += " rl-sel"
	}
	return c
}

func (rv *ringView) renderMessages(v *view, st *sim.State, extra float64) {
	rv.gen++
	rv.places = rv.places[:0]
	for i := range st.Messages {
		m := &st.Messages[i]
		f := 1.0
		if m.ArriveAt > m.SentAt {
			f = (float64(st.Time-m.SentAt) + extra) / float64(m.ArriveAt-m.SentAt)
		}
		rv.places = append(rv.places, draw.Msg{ID: m.ID, From: int(m.From), To: int(m.To), F: f,
			Vote: roundBadge(m.Type)})
	}
	at := rv.geo.Place(rv.places)
	for i := range st.Messages {
		m := &st.Messages[i]
		if int(m.From) > len(rv.nodes) || int(m.To) > len(rv.nodes) || m.From == m.To {
			continue
		}
		mv := rv.msgs[m.ID]
		fresh := mv == nil
		if fresh {
			mv = rv.newMsg(v, m)
		}
		mv.gen = rv.gen
		x, y := half(at[i].X), half(at[i].Y)
		if !mv.placed || x != mv.x || y != mv.y {
			mv.placed, mv.x, mv.y = true, x, y
			mv.style.Set("transform", "translate("+num(x)+"px, "+num(y)+"px)")
		}
		if c := msgClass(m, v.selMsg == m.ID); c != mv.class {
			mv.class = c
			setAttr(mv.g, jsClass, c)
		}
		if fresh {
			// Placed before it enters the document: nothing moves to its
			// first position. Kept in id order, which is the tab order.
			rv.insert(mv)
		}
	}
	// Remove the messages no longer in flight, keeping the drawing order.
	// While playing, their drawings are kept for reuse.
	kept := rv.order[:0]
	for _, id := range rv.order {
		mv := rv.msgs[id]
		if mv.gen == rv.gen {
			kept = append(kept, id)
			continue
		}
		mv.g.Call("remove")
		delete(rv.msgs, id)
		if k := mv.shape; v.w.playing && len(rv.spare[k]) < spareMax {
			rv.spare[k] = append(rv.spare[k], mv)
		}
	}
	rv.order = kept
}

// insert puts a new message's drawing into the document and the order, by
// id (a message back after an undo has a lower id than those drawn).
func (rv *ringView) insert(mv *msgView) {
	i := len(rv.order)
	for i > 0 && rv.order[i-1] > mv.id {
		i--
	}
	if i == len(rv.order) {
		rv.msgsG.Underlying().Call("append", mv.g)
		rv.order = append(rv.order, mv.id)
		return
	}
	rv.msgsG.Underlying().Call("insertBefore", mv.g, rv.msgs[rv.order[i]].g)
	rv.order = append(rv.order, 0)
	copy(rv.order[i+1:], rv.order[i:])
	rv.order[i] = mv.id
}

// newMsg draws a message that just appeared, at the end of the drawing
// order: with a spare drawing of the same shape while playing (no
// transition runs then), else a new one.
func (rv *ringView) newMsg(v *view, m *sim.Message) *msgView {
	shape := msgShape(m.Type)
	typ := m.Type.String()
	label := msgLabel(m, v.word)
	aria := v.word("msg.label", "type", v.word("type."+typ), "id", itoa(m.ID), "from", m.From.String(),
		"to", m.To.String(), "term", strconv.FormatUint(uint64(m.Term), 10))
	var mv *msgView
	if k := shape; v.w.playing && len(rv.spare[k]) > 0 {
		n := len(rv.spare[k])
		mv = rv.spare[k][n-1]
		rv.spare[k] = rv.spare[k][:n-1]
		mv.id, mv.gen = m.ID, 0
		setAttr(mv.g, jsDataMsgID, m.ID)
		if typ != mv.typ {
			mv.typ = typ
			setAttr(mv.g, jsDataType, typ)
		}
		if aria != mv.aria {
			mv.aria = aria
			setAttr(mv.hit, jsAriaLabel, aria)
		}
		if label != mv.label {
			mv.label = label
			mv.text.Set("textContent", label)
		}
	} else {
		mv = &msgView{id: m.ID, shape: shape, typ: typ, label: label, aria: aria}
		g, hit, text := draw.Badge(shape, label)
		g.Set("data-msg-id", itoa(m.ID))
		g.Set("data-type", typ)
		hit.Set("aria-label", aria)
		made := map[*draw.El]js.Value{}
		mv.g = v.dom(g, made)
		mv.hit, mv.text = made[hit], made[text]
		mv.style = mv.g.Get("style")
	}
	rv.msgs[m.ID] = mv
	return mv
}
