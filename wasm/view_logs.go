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
	lv.box.AppendChild(v.text("p", v.word("log.label"), "class", "rl-logtitle", "aria-hidden", "true"))
	lv.scroll = v.el("div", "class", "rl-logs", "role", "group", "aria-label", v.word("log.label"), "tabindex", "0")
	lv.box.AppendChild(lv.scroll)
	parent.AppendChild(lv.box)
}

// signature is everything the table shows, so that it is rebuilt only when
// that changes.
func logSignature(st *sim.State, configs bool) string {
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
		b.WriteByte('s')
		b.WriteString(strconv.FormatUint(uint64(n.SnapshotIndex), 10))
		b.WriteByte('/')
		b.WriteString(strconv.FormatUint(uint64(n.SnapshotTerm), 10))
		b.WriteByte(':')
		for _, e := range n.Log {
			b.WriteString(strconv.FormatUint(uint64(e.Term), 10))
			if e.Kind == raft.EntryConfig {
				b.WriteByte('c')
			}
			b.WriteByte(',')
		}
		for _, p := range n.KV {
			b.WriteString(p.Key)
			b.WriteByte('=')
			b.WriteString(p.Value)
			b.WriteByte(';')
		}
		if configs {
			b.WriteString(n.Membership.String())
		}
		b.WriteByte('|')
	}
	return b.String()
}

// configsMatter reports whether the table shows each server's
// configuration: when some server does not use the configuration in which
// every server votes (a cluster with spares, or one whose membership
// changed). A fixed cluster's table stays as narrow as before.
func configsMatter(st *sim.State) bool {
	for i := range st.Nodes {
		m := st.Nodes[i].Membership
		if len(m.Voters) != len(st.Nodes) || len(m.Learners) > 0 || m.Joint() {
			return true
		}
	}
	return false
}

func (lv *logsView) render(v *view, st *sim.State) {
	configs := configsMatter(st)
	sig := logSignature(st, configs)
	if sig == lv.sig {
		return
	}
	lv.sig = sig
	// Columns are log indexes; a log's entries start after its snapshot.
	longest := 0
	for i := range st.Nodes {
		longest = max(longest, int(st.Nodes[i].SnapshotIndex)+len(st.Nodes[i].Log))
	}
	first := 1
	if longest > logColumns {
		first = longest - logColumns + 1
	}

	table := v.el("table", "class", "rl-log")
	cap := v.text("caption", v.word("log.label"))
	table.AppendChild(cap)
	head := v.el("tr")
	head.AppendChild(v.text("th", v.word("log.server"), "scope", "col"))
	if first > 1 {
		head.AppendChild(v.text("th", v.word("log.more"), "scope", "col"))
	}
	for i := first; i <= longest; i++ {
		head.AppendChild(v.text("th", itoa(i), "scope", "col", "class", "rl-idx"))
	}
	head.AppendChild(v.text("th", v.word("log.state"), "scope", "col"))
	if configs {
		head.AppendChild(v.text("th", v.word("log.config"), "scope", "col"))
	}
	thead := v.el("thead")
	thead.AppendChild(head)
	table.AppendChild(thead)

	body := v.el("tbody")
	for i := range st.Nodes {
		n := &st.Nodes[i]
		tr := v.el("tr", "data-server", itoa(int(n.ID)), "data-state", roleName(n))
		th := v.el("th", "scope", "row")
		th.AppendChild(v.text("span", n.ID.String(), "class", "rl-who"))
		th.AppendChild(v.text("span", v.word("log.marks", "commit", u64(uint64(n.CommitIndex)), "applied", u64(uint64(n.LastApplied))), "class", "rl-marks"))
		tr.AppendChild(th)
		snap := int(n.SnapshotIndex)
		// The compacted prefix is one block, labelled with the snapshot's
		// last included index and term (§7): in the "…" column when it
		// lies before the columns shown, else over the columns it covers.
		block := func(span int) dom.Element {
			td := v.text("td", v.word("log.snapshot", "index", itoa(snap), "term", u64(uint64(n.SnapshotTerm))),
				"class", "rl-entry rl-snapblock", "data-snapshot", itoa(snap),
				"title", v.word("log.snapshotTitle", "index", itoa(snap), "term", u64(uint64(n.SnapshotTerm))))
			if span > 1 {
				td.SetAttribute("colspan", itoa(span))
			}
			return td
		}
		if first > 1 {
			if snap > 0 && snap < first {
				tr.AppendChild(block(1))
			} else {
				tr.AppendChild(v.el("td"))
			}
		}
		idx := first
		if snap >= first {
			end := min(snap, longest)
			tr.AppendChild(block(end - first + 1))
			idx = end + 1
		}
		for ; idx <= longest; idx++ {
			pos := idx - snap - 1
			if pos >= len(n.Log) {
				tr.AppendChild(v.el("td", "class", "rl-empty"))
				continue
			}
			tr.AppendChild(lv.cell(v, n, n.Log[pos]))
		}
		kv := make([]string, 0, len(n.KV))
		for _, p := range n.KV {
			kv = append(kv, p.Key+"="+p.Value)
		}
		tr.AppendChild(v.text("td", strings.Join(kv, " "), "class", "rl-kv"))
		if configs {
			// The configuration this server uses (dissertation §4.1: the
			// latest in its log): servers may disagree.
			tr.AppendChild(v.text("td", v.w.words.Configuration(n.Membership), "class", "rl-config-col"))
		}
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

// cell is one entry of n's log: its term, coloured by it; solid once n
// knows it is committed. A configuration entry is marked and says its
// configuration.
func (lv *logsView) cell(v *view, n *sim.NodeState, e raft.Entry) dom.Element {
	idx, term := itoa(int(e.Index)), u64(uint64(e.Term))
	committed := e.Index <= n.CommitIndex
	key := "log.cell"
	class := "rl-entry rl-t" + itoa(int(e.Term%8))
	if committed {
		key = "log.cellCommitted"
		class += " rl-committed"
	}
	if e.Index <= n.LastApplied {
		class += " rl-applied"
	}
	if e.Index == n.CommitIndex {
		class += " rl-commit-mark"
	}
	title := ""
	switch e.Kind {
	case raft.EntryConfig:
		class += " rl-config"
		m, _ := raft.ParseMembership(e.Data)
		ckey := "log.cellConfig"
		if committed {
			ckey = "log.cellConfigCommitted"
		}
		title = v.word(ckey, "index", idx, "term", term, "config", v.w.words.Configuration(m))
	case raft.EntryNoop:
		title = v.word(key, "index", idx, "term", term, "data", v.word("log.noop"))
	default:
		title = v.word(key, "index", idx, "term", term, "data", e.Data)
	}
	return v.text("td", term, "class", class, "data-index", idx, "title", title)
}

func u64(n uint64) string { return strconv.FormatUint(n, 10) }
