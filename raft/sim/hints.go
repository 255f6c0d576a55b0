package sim

import (
	"slices"
	"strconv"

	"raftlab/raft"
)

// Hints for an adversary level, coarse to fine, read off a run that wins
// it (a level's shortest known solution) and its explanation: which
// servers crash, which messages are lost, the decision the switched-off
// rule changes, and the point of no return. Each hint is one sentence of
// the words table; none gives the whole run away.
func (wd *Words) Hints(sc Scenario, run []Action, prop Property) []string {
	ex, ok := Explain(sc, run, prop)
	if !ok {
		return nil
	}
	run = run[:ex.Broke+1]
	var out []string

	// Crashes: a crash, or a restart of a running server.
	var crashed []raft.NodeID
	w, err := newWorldOf(&sc, true)
	if err != nil || w.setup() != nil {
		return nil
	}
	var lost []string
	for _, a := range run {
		switch a.Op {
		case OpCrash:
			crashed = append(crashed, a.Node)
		case OpRestart:
			if w.servers[a.Node-1].node != nil {
				crashed = append(crashed, a.Node)
			}
		case OpDrop:
			if i := w.net.find(a.Msg); i >= 0 {
				lost = append(lost, wd.messageName(w.net.at(i)))
			}
		case OpDropAll:
			w.net.each(func(_ int, m *Message) bool { lost = append(lost, wd.messageName(*m)); return true })
		}
		_ = w.apply(a)
	}
	if names := wd.list(serverNames(crashed)); names != "" {
		out = append(out, wd.t.Say("hint.crash", "servers", names))
	} else {
		out = append(out, wd.t.Get("hint.no-crash"))
	}
	if len(lost) > 0 {
		out = append(out, wd.t.Say("hint.drops", "messages", wd.list(compact(lost))))
	} else {
		out = append(out, wd.t.Get("hint.no-drops"))
	}
	for _, u := range ex.Uses {
		if u.Decisive && u.Event.Seq >= 0 && u.Safe.Seq >= 0 {
			out = append(out, wd.t.Say("hint.decides", "got", wd.Text(u.Event), "safe", wd.Text(u.Safe)))
			break
		}
	}
	out = append(out, wd.t.Say("hint.no-return", "n", strconv.Itoa(ex.NoReturn), "of", strconv.Itoa(len(run)),
		"property", wd.Property(prop)))
	return out
}

// messageName names a message for a hint: "S1 → S3 AppendEntries".
func (wd *Words) messageName(m Message) string {
	return wd.t.Say("hint.message", "from", m.From.String(), "to", m.To.String(), "type", wd.msgType(m.Type))
}

// serverNames names servers once each, in the order they first come.
func serverNames(ids []raft.NodeID) []string {
	var names []string
	for _, id := range ids {
		if n := id.String(); !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

// list joins names the way the language lists them ("S1, S3"; "S1、S3").
func (wd *Words) list(names []string) string {
	if len(names) == 0 {
		return ""
	}
	out := names[0]
	for _, n := range names[1:] {
		out = wd.t.Say("hint.list", "list", out, "next", n)
	}
	return out
}

// compact leaves out repeated names, keeping the first of each.
func compact(names []string) []string {
	var out []string
	for _, n := range names {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}
