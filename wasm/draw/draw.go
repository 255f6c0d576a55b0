// Package draw is the geometry of raftlab's cluster drawing: where the
// servers sit on the ring, how each server is drawn, and where the messages
// in flight go on their lanes. It is plain Go, so the same code draws the
// live view (the wasm module turns an El tree into DOM elements) and the
// static first frame that the site build writes into each page (the El
// tree written as SVG text), which the module then replaces.
//
// Sizes are in the units of the drawing's 420×420 viewBox. Text sizes are
// chosen so that a ring drawn 345 CSS px wide or more shows no text under
// 11 px (see RingMinWidth); the page's CSS keeps the ring that wide.
package draw

import (
	"math"
	"strconv"
	"strings"

	"raftlab/raft"
	"raftlab/raft/sim"
)

// Size is the width and height of the drawing, in its own units.
const Size = 420.0

// RingMinWidth is the width in CSS px under which the ring's smallest text
// (MinText units) would be drawn smaller than 11 CSS px.
const RingMinWidth = 11 * Size / MinText

// MinText is the smallest text size in the drawing, in its units.
const MinText = 13.5

// Ring is the geometry of the ring of n servers.
type Ring struct {
	N       int
	R       float64 // the circle the servers sit on
	NodeR   float64 // a server's radius
	Many    bool    // more than 6 servers: smaller text (class rl-many)
	Centers []Point // of server i+1
	// Text sizes (the CSS sets the same ones; they are here for layout).
	IDSize, TextSize float64
}

// Point is a position in the drawing.
type Point struct{ X, Y float64 }

// NewRing returns the geometry for n servers (1 to raft.MaxNodes).
func NewRing(n int) Ring {
	r := Ring{N: n, R: 148, NodeR: 46, IDSize: 17, TextSize: MinText}
	if n > 6 {
		r.R, r.NodeR, r.Many, r.IDSize, r.TextSize = 164, 36, true, 14, 11
	}
	mid := Size / 2
	for i := 0; i < n; i++ {
		p := Point{mid, mid}
		if n > 1 {
			a := -math.Pi/2 + 2*math.Pi*float64(i)/float64(n)
			p = Point{mid + r.R*math.Cos(a), mid + r.R*math.Sin(a)}
		}
		r.Centers = append(r.Centers, p)
	}
	return r
}

// TimerR is the radius of a server's timer arc and its track.
func (r Ring) TimerR() float64 { return r.NodeR + 6 }

// Reach is how far from a server's centre anything of it is drawn.
func (r Ring) Reach() float64 { return r.NodeR + 8 }

// Text lines of a server, as offsets of their centres from the server's
// centre, in units of NodeR: its name, role, term and vote.
var lineY = [4]float64{-0.5, -0.14, 0.2, 0.54}

// NodeLabels are the words written on a server (empty ones are left out
// of a static drawing and filled in by the view).
type NodeLabels struct {
	Name, Role, Term, Vote string
	// Member is the server's place in the configuration it uses itself:
	// "" (a voter), "learner" or "outside" (data-member: drawn dotted,
	// and faded when outside; its role line says so too).
	Member string
}

// NodeDrawing is the drawing of one server and the parts the view updates:
// G (data-node, data-role) holds Hit, the shapes that take the focus and
// the clicks (role=button; its accessible name is an aria-label), and the
// words, which are beside Hit rather than in it, so that the name a
// screen reader hears is the label alone.
type NodeDrawing struct {
	G, Hit, Arc, Role, Term, Vote *El
}

// Node draws server id (1-based) with role (Follower, PreCandidate,
// Candidate, Leader, Down) and labels. interactive adds what the live view needs (focus,
// role=button); a static drawing has neither.
func (r Ring) Node(id int, role string, l NodeLabels, interactive bool) NodeDrawing {
	c := r.Centers[id-1]
	x, y := Num(c.X), Num(c.Y)
	g := E("g", "class", "rl-node", "data-node", strconv.Itoa(id), "data-role", role)
	if l.Member != "" {
		g.Set("data-member", l.Member)
	}
	hit := E("g", "class", "rl-hit")
	if interactive {
		hit.Set("tabindex", "0")
		hit.Set("role", "button")
	}
	g.Add(hit)
	tr := Num(r.TimerR())
	hit.Add(E("circle", "class", "rl-track", "cx", x, "cy", y, "r", tr))
	// The arc is one dash as long as the circle, shifted back by the time
	// gone: only stroke-dashoffset (a number) changes over time.
	arc := E("circle", "class", "rl-timer", "cx", x, "cy", y, "r", tr,
		"pathLength", "100", "stroke-dasharray", "100 100", "stroke-dashoffset", "100",
		"transform", "rotate(-90 "+x+" "+y+")")
	hit.Add(arc)
	hit.Add(E("circle", "class", "rl-body", "cx", x, "cy", y, "r", Num(r.NodeR)))
	hit.Add(E("circle", "class", "rl-inner", "cx", x, "cy", y, "r", Num(r.NodeR-5)))
	d := r.NodeR * 0.62
	hit.Add(E("line", "class", "rl-strike", "x1", Num(c.X-d), "y1", Num(c.Y+d), "x2", Num(c.X+d), "y2", Num(c.Y-d)))
	text := func(class, s string, line int) *El {
		t := E("text", "class", class, "x", x, "y", Num(c.Y+lineY[line]*r.NodeR), "aria-hidden", "true")
		t.Text = s
		g.Add(t)
		return t
	}
	text("rl-id", l.Name, 0)
	return NodeDrawing{G: g, Hit: hit, Arc: arc,
		Role: text("rl-role", l.Role, 1), Term: text("rl-term", l.Term, 2), Vote: text("rl-vote", l.Vote, 3)}
}

// SVG is the ring's <svg> element (without servers or messages).
func (r Ring) SVG(label string) *El {
	s := E("svg", "viewBox", "0 0 420 420", "class", "rl-ring")
	if label != "" {
		s.Set("role", "group")
		s.Set("aria-label", label)
	}
	if r.Many {
		s.Set("class", "rl-ring rl-many")
	}
	return s
}

// Static is the first frame of a cluster of n servers, all followers as
// every cluster starts, or in the roles given by server (Follower,
// Candidate, Leader, Down) with their words: the <svg> with its servers,
// not interactive. The view replaces it when the module runs.
func Static(n int, label string, roles []string, words []NodeLabels) *El {
	r := NewRing(n)
	svg := r.SVG(label)
	links := E("g", "class", "rl-links")
	nodes := E("g", "class", "rl-nodes")
	svg.Add(links)
	svg.Add(nodes)
	svg.Add(E("g", "class", "rl-msgs"))
	for i := 1; i <= n; i++ {
		role := "Follower"
		if i-1 < len(roles) {
			role = roles[i-1]
		}
		l := NodeLabels{Name: raft.NodeID(i).String()}
		if i-1 < len(words) {
			l = words[i-1]
		}
		nodes.Add(r.Node(i, role, l, false).G)
	}
	return svg
}

// Num formats a coordinate with at most one decimal.
func Num(f float64) string {
	return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64)
}

// El is an element of the drawing: a tag, attributes in order, text and
// children.
type El struct {
	Tag   string
	Attrs []string // name, value pairs
	Text  string
	Kids  []*El
}

// E makes an element with attributes given as name, value pairs.
func E(tag string, attrs ...string) *El {
	return &El{Tag: tag, Attrs: attrs}
}

// Set sets (or adds) an attribute.
func (e *El) Set(name, value string) {
	for i := 0; i+1 < len(e.Attrs); i += 2 {
		if e.Attrs[i] == name {
			e.Attrs[i+1] = value
			return
		}
	}
	e.Attrs = append(e.Attrs, name, value)
}

// Add appends a child.
func (e *El) Add(k *El) { e.Kids = append(e.Kids, k) }

// WriteSVG writes e as SVG markup, escaping text and attribute values.
func (e *El) WriteSVG(b *strings.Builder) {
	b.WriteByte('<')
	b.WriteString(e.Tag)
	if e.Tag == "svg" {
		b.WriteString(` xmlns="http://www.w3.org/2000/svg"`)
	}
	for i := 0; i+1 < len(e.Attrs); i += 2 {
		b.WriteByte(' ')
		b.WriteString(e.Attrs[i])
		b.WriteString(`="`)
		b.WriteString(escape(e.Attrs[i+1]))
		b.WriteByte('"')
	}
	if e.Text == "" && len(e.Kids) == 0 {
		b.WriteString("/>")
		return
	}
	b.WriteByte('>')
	b.WriteString(escape(e.Text))
	for _, k := range e.Kids {
		k.WriteSVG(b)
	}
	b.WriteString("</")
	b.WriteString(e.Tag)
	b.WriteByte('>')
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

func escape(s string) string { return escaper.Replace(s) }

// Words gives a drawing its words: a key of the words tables, with name,
// value pairs for its placeholders (raftlab/raft/words).
type Words func(key string, kv ...string) string

// Member is a server's place in the configuration it uses itself (§6;
// dissertation §4.1): "" for a voter (in C_new or C_old), "learner" for a
// member without a vote, "outside" for a server not in it.
func Member(ns *sim.NodeState) string {
	switch m := ns.Membership; {
	case m.IsVoter(ns.ID) || len(m.Voters) == 0:
		return ""
	case m.IsLearner(ns.ID):
		return "learner"
	}
	return "outside"
}

// NodeWords are the words written on a server in state ns: its role (or
// "down"; a follower without a vote says "learner" or "outside"; a
// pre-candidate "pre-vote", which a circle has no room to spell), its
// term, and its vote — or, for a candidate or a pre-candidate, the votes it
// has and the votes it needs: a majority of the voters of its
// configuration (of C_new during a joint change); for a leader handing
// leadership over, the server it hands it to.
func NodeWords(say Words, ns *sim.NodeState) NodeLabels {
	l := NodeLabels{Name: ns.ID.String(), Role: say("node.down"), Member: Member(ns)}
	switch {
	case !ns.Up:
	case ns.Role == raft.Follower && l.Member != "":
		l.Role = say("node." + l.Member)
	case ns.Role == raft.PreCandidate:
		l.Role = say("node.precandidate")
	default:
		l.Role = say("role." + ns.Role.String())
	}
	l.Term = say("node.term", "term", strconv.FormatUint(uint64(ns.Term), 10))
	l.Vote = say("node.vote0")
	if ns.Vote != raft.None {
		l.Vote = say("node.vote", "id", ns.Vote.String())
	}
	switch {
	case ns.Up && (ns.Role == raft.Candidate || ns.Role == raft.PreCandidate):
		need := len(ns.Membership.Voters)/2 + 1
		l.Vote = say("node.votes", "got", strconv.Itoa(len(ns.Votes)), "need", strconv.Itoa(need))
	case ns.Up && ns.Role == raft.Leader && ns.Transferee != raft.None:
		l.Vote = say("node.transfer", "id", ns.Transferee.String())
	}
	return l
}
