//go:build js && wasm

package main

// The logs: one row per server, one column per log index, so entries line
// up by index. A cell prints its term and is coloured by it; committed
// entries are solid, uncommitted ones hatched. The row head says the commit
// and applied indexes; the last column shows the key/value state.

import (
	"strconv"
	"strings"

	"honnef.co/go/js/dom/v2"

	"raftlab/raft"
	"raftlab/raft/sim"
)

// logColumns is how many indexes the table shows at most: the latest ones
// (the first column then says "…"). The table scrolls sideways in its own
// box, kept at the newest entries.
const logColumns = 60

type logsView struct {
	box    dom.Element // the title and the scroll box
	scroll dom.Element // the scroll box: the table scrolls sideways in it
	table  dom.Element
	sig    string
}

// build makes the logs' part of the view: a title, and under it the box
// the table scrolls in (the table's own caption is for screen readers:
// in the scroll box it would scroll away).
func (lv *logsView) build(v *view, parent dom.Element) {
	lv.box = v.el("div", "class", "rl-logsbox")
	lv.box.AppendChild(v.text("p", say("log.label"), "class", "rl-logtitle", "aria-hidden", "true"))
	lv.scroll = v.el("div", "class", "rl-logs", "role", "group", "aria-label", say("log.label"), "tabindex", "0")
	lv.box.AppendChild(lv.scroll)
	parent.AppendChild(lv.box)
}

// signature is everything the table shows, so that it is rebuilt only when
// that changes.
func logSignature(st *sim.State) string {
	var b strings.Builder
	for i := range st.Nodes {
		n := &st.Nodes[i]
		b.WriteString(roleName(n)) // the leader's crown follows the role
		if n.Up {
			b.WriteByte('u')
		}
		b.WriteString(strconv.FormatUint(uint64(n.CommitIndex), 10))
		b.WriteByte('/')
		b.WriteString(strconv.FormatUint(uint64(n.LastApplied), 10))
		b.WriteByte(':')
		for _, e := range n.Log {
			b.WriteString(strconv.FormatUint(uint64(e.Term), 10))
			b.WriteByte(',')
		}
		for _, p := range n.KV {
			b.WriteString(p.Key)
			b.WriteByte('=')
			b.WriteString(p.Value)
			b.WriteByte(';')
		}
		b.WriteByte('|')
	}
	return b.String()
}

func (lv *logsView) render(v *view, st *sim.State) {
	sig := logSignature(st)
	if sig == lv.sig {
		return
	}
	lv.sig = sig
	longest := 0
	for i := range st.Nodes {
		longest = max(longest, len(st.Nodes[i].Log))
	}
	first := 1
	if longest > logColumns {
		first = longest - logColumns + 1
	}

	table := v.el("table", "class", "rl-log")
	cap := v.text("caption", say("log.label"))
	table.AppendChild(cap)
	head := v.el("tr")
	head.AppendChild(v.text("th", say("log.server"), "scope", "col"))
	if first > 1 {
		head.AppendChild(v.text("th", say("log.more"), "scope", "col"))
	}
	for i := first; i <= longest; i++ {
		head.AppendChild(v.text("th", itoa(i), "scope", "col", "class", "rl-idx"))
	}
	head.AppendChild(v.text("th", say("log.state"), "scope", "col"))
	thead := v.el("thead")
	thead.AppendChild(head)
	table.AppendChild(thead)

	body := v.el("tbody")
	for i := range st.Nodes {
		n := &st.Nodes[i]
		tr := v.el("tr", "data-server", itoa(int(n.ID)), "data-state", roleName(n))
		th := v.el("th", "scope", "row")
		th.AppendChild(v.text("span", n.ID.String(), "class", "rl-who"))
		th.AppendChild(v.text("span", say("log.marks", "commit", u64(uint64(n.CommitIndex)), "applied", u64(uint64(n.LastApplied))), "class", "rl-marks"))
		tr.AppendChild(th)
		if first > 1 {
			tr.AppendChild(v.el("td"))
		}
		for idx := first; idx <= longest; idx++ {
			if idx > len(n.Log) {
				tr.AppendChild(v.el("td", "class", "rl-empty"))
				continue
			}
			e := n.Log[idx-1]
			data := e.Data
			if e.Kind == raft.EntryNoop {
				data = say("log.noop")
			}
			committed := raft.Index(idx) <= n.CommitIndex
			key := "log.cell"
			class := "rl-entry rl-t" + itoa(int(e.Term%8))
			if committed {
				key = "log.cellCommitted"
				class += " rl-committed"
			}
			if raft.Index(idx) <= n.LastApplied {
				class += " rl-applied"
			}
			if raft.Index(idx) == n.CommitIndex {
				class += " rl-commit-mark"
			}
			td := v.text("td", u64(uint64(e.Term)), "class", class, "data-index", itoa(idx),
				"title", say(key, "index", itoa(idx), "term", u64(uint64(e.Term)), "data", data))
			tr.AppendChild(td)
		}
		kv := make([]string, 0, len(n.KV))
		for _, p := range n.KV {
			kv = append(kv, p.Key+"="+p.Value)
		}
		tr.AppendChild(v.text("td", strings.Join(kv, " "), "class", "rl-kv"))
		body.AppendChild(tr)
	}
	table.AppendChild(body)
	// Keep the newest entries in sight: a box scrolled to its end (or not
	// scrollable yet) stays at its end; one the reader scrolled back stays.
	box := lv.scroll.Underlying()
	atEnd := lv.table == nil || box.Get("scrollLeft").Float()+box.Get("clientWidth").Float() >= box.Get("scrollWidth").Float()-2
	if lv.table != nil {
		lv.table.Underlying().Call("replaceWith", table.Underlying())
	} else {
		lv.scroll.AppendChild(table)
	}
	lv.table = table
	if atEnd {
		box.Set("scrollLeft", box.Get("scrollWidth"))
	}
}

func u64(n uint64) string { return strconv.FormatUint(n, 10) }
