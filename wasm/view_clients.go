//go:build js && wasm

package main

// The clients: the latest requests of the history (sim.ClientOp), one row
// each, with a bar from the moment the request was made to the moment its
// answer came. Time runs to the right, in the order things happened (many
// happen in the same virtual millisecond while the timers are frozen), so
// two bars that do not overlap are two requests one of which ended before
// the other began: what linearizability is about. A request with no
// answer runs to the right edge. A read that is not linearizable is
// marked, and so is the operation it contradicts.

import (
	"slices"
	"strconv"
	"strings"

	"honnef.co/go/js/dom/v2"

	"raftlab/raft/sim"
)

// shownOps is how many of the latest requests the picture shows.
const shownOps = 12

type clientsView struct {
	box  dom.Element // hidden while there is no request
	list dom.Element
	more dom.Element
	sig  string
}

func (cv *clientsView) build(v *view, parent dom.Element) {
	cv.box = v.el("div", "class", "rl-clients", "role", "group", "aria-label", v.word("clients.title"), "hidden", "")
	cv.box.AppendChild(v.text("p", v.word("clients.title"), "class", "rl-logtitle", "aria-hidden", "true"))
	cv.box.AppendChild(v.text("p", v.word("clients.lead"), "class", "rl-hint"))
	cv.list = v.el("ol", "class", "rl-ops")
	cv.box.AppendChild(cv.list)
	cv.more = v.el("p", "class", "rl-hint", "hidden", "")
	cv.box.AppendChild(cv.more)
	parent.AppendChild(cv.box)
}

// opMarks are the operations a linearizability violation names: the read
// no order explains, and the operation it contradicts.
func opMarks(st *sim.State) (bad, missed []int) {
	for _, x := range st.Violations {
		if x.Property == sim.Linearizability && len(x.Ops) > 0 {
			bad = append(bad, x.Ops[0])
			missed = append(missed, x.Ops[1:]...)
		}
	}
	return bad, missed
}

func clientsSignature(ops []sim.ClientOp, bad, missed []int, leftOut int) string {
	var b strings.Builder
	for i := range ops {
		op := &ops[i]
		b.WriteString(strconv.Itoa(op.ID))
		b.WriteByte(op.Status.String()[0])
		b.WriteString(strconv.Itoa(op.ReturnEvent))
		b.WriteByte(' ')
	}
	for _, ids := range [][]int{bad, missed, {leftOut}} {
		for _, id := range ids {
			b.WriteString(strconv.Itoa(id))
			b.WriteByte(',')
		}
		b.WriteByte('|')
	}
	return b.String()
}

func (cv *clientsView) render(v *view, st *sim.State) {
	ops := st.Clients[max(0, len(st.Clients)-shownOps):]
	bad, missed := opMarks(st)
	sig := clientsSignature(ops, bad, missed, st.ClientsLeftOut)
	if sig == cv.sig {
		return
	}
	cv.sig = sig
	showIf(cv.box, len(ops) > 0)
	cv.list.SetTextContent("")
	if len(ops) == 0 {
		return
	}
	// The moments shown, in order: every request and answer of the rows.
	var at []int
	for i := range ops {
		at = append(at, ops[i].CallEvent)
		if ops[i].ReturnEvent >= 0 {
			at = append(at, ops[i].ReturnEvent)
		}
	}
	slices.Sort(at)
	at = slices.Compact(at)
	pos := func(event int) float64 {
		i, _ := slices.BinarySearch(at, event)
		return (float64(i) + 0.5) * 100 / float64(len(at))
	}
	for i := range ops {
		op := &ops[i]
		from, to := pos(op.CallEvent), 100.0
		if op.ReturnEvent >= 0 {
			to = pos(op.ReturnEvent)
		}
		class := "rl-op rl-op-" + op.Status.String()
		switch {
		case slices.Contains(bad, op.ID):
			class += " rl-op-bad"
		case slices.Contains(missed, op.ID):
			class += " rl-op-missed"
		}
		li := v.el("li", "class", class, "data-op", itoa(op.ID), "aria-label", opTitle(v, op, bad, missed))
		li.AppendChild(v.text("span", opLabel(v, op), "class", "rl-oplabel", "aria-hidden", "true"))
		track := v.el("span", "class", "rl-optrack", "aria-hidden", "true")
		bar := v.el("span", "class", "rl-opbar")
		style := bar.Underlying().Get("style")
		style.Set("left", num(from)+"%")
		style.Set("width", num(to-from)+"%")
		track.AppendChild(bar)
		li.AppendChild(track)
		cv.list.AppendChild(li)
	}
	var more []string
	if n := len(st.Clients) - len(ops); n > 0 {
		more = append(more, v.word("clients.more", "n", itoa(n)))
	}
	if st.ClientsLeftOut > 0 {
		more = append(more, v.word("clients.leftOut", "n", itoa(st.ClientsLeftOut)))
	}
	cv.more.SetTextContent(strings.Join(more, " "))
	showIf(cv.more, len(more) > 0)
}

// opLabel is a row's words: a mark for its status, then "#3 S1: set x
// 3" or "#4 S2: read x → 3".
func opLabel(v *view, op *sim.ClientOp) string {
	n, id := itoa(op.ID), op.Node.String()
	var s string
	switch {
	case op.Write:
		s = v.word("op.write", "op", n, "id", id, "command", op.Command)
	case op.Status == sim.OpDone:
		s = v.word("op.readValue", "op", n, "id", id, "key", op.Key, "value", readWords(v, op))
	default:
		s = v.word("op.read", "op", n, "id", id, "key", op.Key)
	}
	return [...]string{"…", "✓", "✗", "?"}[op.Status%4] + " " + s
}

// opTitle says all of a row in a sentence, for screen readers.
func opTitle(v *view, op *sim.ClientOp, bad, missed []int) string {
	status := v.word("op.status." + op.Status.String())
	var s string
	switch {
	case op.Write:
		s = v.word("op.titleWrite", "op", itoa(op.ID), "id", op.Node.String(), "command", op.Command, "status", status)
	case op.Status == sim.OpDone:
		s = v.word("op.titleReadValue", "op", itoa(op.ID), "id", op.Node.String(), "key", op.Key,
			"path", v.word("path."+op.Path.String()), "status", status, "value", readWords(v, op))
	default:
		s = v.word("op.titleRead", "op", itoa(op.ID), "id", op.Node.String(), "key", op.Key,
			"path", v.word("path."+op.Path.String()), "status", status)
	}
	switch {
	case slices.Contains(bad, op.ID):
		s += " — " + v.word("op.bad")
	case slices.Contains(missed, op.ID):
		s += " — " + v.word("op.missed")
	}
	return s
}

func readWords(v *view, op *sim.ClientOp) string {
	if op.Found {
		return op.Value
	}
	return v.word("read.missing")
}
