package sim

import (
	"strconv"
	"strings"
	"sync"

	"raftlab/raft"
	"raftlab/raft/words"
)

// Words renders the simulator's values — trace lines, reasons, rules,
// violations — in one language, from that language's words table
// (raftlab/raft/words). Code never assembles a sentence: it fills a table's
// placeholders with values.
type Words struct {
	t       *words.Table
	events  [eventKindCount]string
	reasons [raft.ReasonCodes]string
	rules   [raft.ReasonCodes]string
	roles   []string // by raft.Role
	types   []string // by raft.MsgType
	none    string
	at      string // a line's time: "{ms}ms"
}

// English is the trace in English.
var English = WordsFor("en")

var (
	wordsMu  sync.Mutex
	wordsFor = map[string]*Words{}
)

// WordsFor returns the words of a language; a language without a table
// gets English (see words.Languages).
func WordsFor(lang string) *Words {
	// An unknown language shares English's entry, so that the cache holds
	// one entry per table, whatever names callers pass.
	t, _ := words.For(lang)
	lang = t.Lang
	wordsMu.Lock()
	defer wordsMu.Unlock()
	if wd := wordsFor[lang]; wd != nil {
		return wd
	}
	wd := &Words{t: t, none: t.Get("node.none"), at: t.Get("trace.at")}
	for k := range wd.events {
		wd.events[k] = t.Get("event." + EventKind(k).String())
	}
	for c := range wd.reasons {
		name := raft.ReasonCode(c).String()
		wd.reasons[c], wd.rules[c] = t.Get("reason."+name), t.Get("rule."+name)
	}
	wd.reasons[raft.ReasonNone], wd.rules[raft.ReasonNone] = "", ""
	// Every role and message type the core names has words, keyed by its
	// name ("role.Leader", "type.AppendEntries").
	for r := raft.Role(0); !strings.HasPrefix(r.String(), "Role("); r++ {
		wd.roles = append(wd.roles, t.Get("role."+r.String()))
	}
	for m := raft.MsgType(0); !strings.HasPrefix(m.String(), "MsgType("); m++ {
		wd.types = append(wd.types, t.Get("type."+m.String()))
	}
	wordsFor[lang] = wd
	return wd
}

// Lang is the language's code.
func (wd *Words) Lang() string { return wd.t.Lang }

// Say returns the words of any key of the table, placeholders filled from
// name, value pairs (see words.Table.Say).
func (wd *Words) Say(key string, kv ...string) string { return wd.t.Say(key, kv...) }

func u(v uint64) string { return strconv.FormatUint(v, 10) }

// node names a server: S1, or the table's word for nobody.
func (wd *Words) node(id raft.NodeID) string {
	if id == raft.None {
		return wd.none
	}
	return id.String()
}

// Role names a role.
func (wd *Words) Role(r raft.Role) string {
	if int(r) < len(wd.roles) {
		return wd.roles[r]
	}
	return r.String()
}

func (wd *Words) msgType(t raft.MsgType) string {
	if int(t) < len(wd.types) {
		return wd.types[t]
	}
	return t.String()
}

// Reason renders why a server decided something.
func (wd *Words) Reason(r raft.Reason) string {
	if int(r.Code) >= len(wd.reasons) {
		return r.Code.String()
	}
	return words.Fill(wd.reasons[r.Code], func(name string) (string, bool) {
		switch name {
		case "peer":
			return wd.node(r.Peer), true
		case "term":
			return u(uint64(r.Term)), true
		case "index":
			return u(uint64(r.Index)), true
		case "got":
			return u(r.Got), true
		case "want":
			return u(r.Want), true
		}
		return "", false
	})
}

// Rule names the Figure 2 rule behind a decision.
func (wd *Words) Rule(c raft.ReasonCode) string {
	if int(c) < len(wd.rules) {
		return wd.rules[c]
	}
	return ""
}

// Line renders e as one readable trace line, prefixed by the virtual time.
func (wd *Words) Line(e Event) string {
	ms := strconv.FormatInt(e.Time, 10)
	return words.Fill(wd.at, func(string) (string, bool) { return ms, true }) + " " + wd.Text(e)
}

// Text renders e without the time.
func (wd *Words) Text(e Event) string {
	t := wd.events[e.Kind]
	switch {
	case e.Kind == EvNote && e.Reason.Code.IsRejection():
		t = wd.t.Get("event.rejection")
	case e.Kind == EvRestart:
		key := "event.restart"
		if e.Snapshot > 0 {
			key += ".snapshot"
		}
		t = wd.t.Get(key + [...]string{"", ".forget-vote", ".lose-tail"}[e.Amnesia%3])
	case e.Kind == EvPersist && !e.Saved:
		t = wd.t.Get("event.persist.entries")
	case e.Kind == EvPersist && len(e.Entries) == 0:
		t = wd.t.Get("event.persist.state")
	case e.Kind == EvRedirect && e.Role == raft.Leader:
		t = wd.t.Get("event.redirect.transfer")
	case e.Kind == EvNoAnswer && e.Path != ReadDefault:
		t = wd.t.Get("event.no-answer.read")
	case e.Kind == EvNoAnswer && e.Op == 0:
		t = wd.t.Get("event.no-answer.request")
	case e.Kind == EvRead && e.Path > ReadLocal:
		t = wd.t.Get("event.read." + e.Path.String())
	case e.Kind == EvAnswer && !e.Found:
		t = wd.t.Get("event.answer.failed")
	case e.Kind == EvLostRequest && e.Path != ReadDefault:
		t = wd.t.Get("event.lost-request.read")
	case e.Kind == EvLostRequest && e.Index > 0:
		t = wd.t.Get("event.lost-request.snapshot")
	case e.Kind == EvViolation && e.Violation != nil && e.Violation.Property == Linearizability:
		t = wd.t.Get("event.violation.linearizability")
	case e.Kind == EvViolation && e.Violation != nil && e.Violation.Property.Check():
		t = wd.t.Get("event.check-failed")
	case e.Kind == EvLostWrite && !e.Saved:
		t = wd.t.Get("event.lost-write.entries")
	case e.Kind == EvLostWrite && len(e.Entries) == 0:
		t = wd.t.Get("event.lost-write.state")
	case e.Kind == EvApply && e.EntryKind == raft.EntryConfig:
		t = wd.t.Get("event.apply.config")
	}
	return words.Fill(t, func(name string) (string, bool) {
		switch name {
		case "node":
			return wd.node(e.Node), true
		case "peer":
			return wd.node(e.Peer), true
		case "role":
			if e.Kind == EvNote {
				return wd.Role(e.DecidedAs), true
			}
			return wd.Role(e.Role), true
		case "term":
			return u(uint64(e.Term)), true
		case "vote":
			return wd.node(e.Vote), true
		case "index":
			return u(uint64(e.Index)), true
		case "snapshot":
			return u(uint64(e.Snapshot)), true
		case "msg":
			return strconv.Itoa(e.Msg), true
		case "dup":
			return strconv.Itoa(e.Dup), true
		case "type":
			return wd.msgType(e.MsgType), true
		case "summary":
			return wd.Summary(e.MsgType, e.Summary), true
		case "reason":
			return wd.Reason(e.Reason), true
		case "rejected":
			return wd.msgType(e.MsgType), true
		case "loss":
			return wd.t.Get("loss." + [...]string{"", "link-cut", "random", "receiver-down", "network-full"}[e.Loss%5]), true
		case "text":
			return e.Text, true
		case "op":
			return strconv.Itoa(e.Op), true
		case "path":
			return wd.t.Get("path." + e.Path.String()), true
		case "found":
			if e.Found {
				return e.Value, true
			}
			return wd.t.Get("read.missing"), true
		case "network":
			if e.Network != nil {
				return wd.NetworkText(*e.Network), true
			}
		case "timers":
			if e.Found {
				return wd.t.Get("timers.frozen"), true
			}
			return wd.t.Get("timers.running"), true
		case "violation":
			if e.Violation != nil {
				return wd.ViolationText(*e.Violation), true
			}
		case "entries":
			return wd.entries(e.Entries), true
		case "config":
			m, _ := raft.ParseMembership(e.Text)
			return wd.Configuration(m), true
		}
		return "", true
	})
}

// entries names a run of entries: "entry 3", "entries 3–5".
func (wd *Words) entries(es []raft.Entry) string {
	if len(es) == 0 {
		return ""
	}
	from, to := u(uint64(es[0].Index)), u(uint64(es[len(es)-1].Index))
	if len(es) == 1 {
		return wd.t.Say("entries.one", "from", from)
	}
	return wd.t.Say("entries.many", "from", from, "to", to)
}

// Summary renders what a trace line shows of a message. A refusing reply
// has words of its own when the table gives summary.TYPE.refused: the
// index an AppendEntries refusal carries is the prevLogIndex it refused,
// not a match.
func (wd *Words) Summary(t raft.MsgType, s MsgSummary) string {
	key := "summary." + t.String()
	if t.IsResponse() && !s.Success && wd.t.Has(key+".refused") {
		key += ".refused"
	}
	return words.Fill(wd.t.Get(key), func(name string) (string, bool) {
		switch name {
		case "term":
			return u(uint64(s.Term)), true
		case "lastIndex":
			return u(uint64(s.LastLogIndex)), true
		case "lastTerm":
			return u(uint64(s.LastLogTerm)), true
		case "prevIndex":
			return u(uint64(s.PrevLogIndex)), true
		case "prevTerm":
			return u(uint64(s.PrevLogTerm)), true
		case "entries":
			return strconv.Itoa(s.Entries), true
		case "commit":
			return u(uint64(s.LeaderCommit)), true
		case "match":
			return u(uint64(s.MatchIndex)), true
		case "snapIndex":
			return u(uint64(s.SnapshotIndex)), true
		case "snapTerm":
			return u(uint64(s.SnapshotTerm)), true
		case "read":
			return u(s.Read), true
		case "reply":
			if s.Success {
				return wd.t.Get("reply.yes"), true
			}
			return wd.t.Get("reply.no"), true
		}
		return "", false
	})
}

// NetworkText renders a network action.
func (wd *Words) NetworkText(a Action) string {
	key := map[Op]string{OpPartition: "partition", OpCut: "cut", OpRestore: "restore", OpHeal: "heal",
		OpDropRate: "drop-rate", OpLatency: "latency"}[a.Op]
	return words.Fill(wd.t.Get("network."+key), func(name string) (string, bool) {
		switch name {
		case "groups":
			return formatGroups(a.Groups, readableText), true
		case "link":
			key := "network.link.both"
			if a.OneWay {
				key = "network.link.one"
			}
			return wd.t.Say(key, "from", a.From.String(), "to", a.To.String()), true
		case "permille":
			return strconv.Itoa(a.PerMille), true
		case "min":
			return strconv.FormatInt(a.LatencyMin, 10), true
		case "max":
			return strconv.FormatInt(a.LatencyMax, 10), true
		}
		return "", false
	})
}

// Property names a safety property.
func (wd *Words) Property(p Property) string {
	if p < propertyCount && p > 0 {
		return wd.t.Get("property." + p.Key())
	}
	return p.String()
}

// ViolationText renders a violation in one sentence.
func (wd *Words) ViolationText(v Violation) string {
	if v.Property >= propertyCount || v.Property == 0 {
		return v.Property.String()
	}
	key := "violation." + v.Property.Key()
	switch {
	case v.Property == Linearizability && len(v.Ops) > 1 && v.OtherWrite:
		key += ".write"
	case v.Property == Linearizability && len(v.Ops) > 1:
		key += ".read"
	}
	return words.Fill(wd.t.Get(key), func(name string) (string, bool) {
		switch name {
		case "op", "other":
			if k := map[string]int{"op": 0, "other": 1}[name]; k < len(v.Ops) {
				return strconv.Itoa(v.Ops[k]), true
			}
			return "", true
		case "key":
			return v.Key, true
		case "seen":
			return wd.value(v.Seen, v.SeenSet), true
		case "saw":
			return wd.value(v.Other, v.OtherSet), true
		case "write":
			return v.Other, true
		case "a":
			return v.Nodes[0].String(), true
		case "b":
			if len(v.Nodes) > 1 {
				return v.Nodes[1].String(), true
			}
			return "", true
		case "term":
			return u(uint64(v.Term)), true
		case "index":
			return u(uint64(v.Index)), true
		case "got":
			return u(uint64(v.Got)), true
		case "want":
			return u(uint64(v.Want)), true
		case "last":
			return u(uint64(v.Last)), true
		case "next":
			return u(uint64(v.Last + 1)), true
		case "count":
			return strconv.Itoa(v.Count), true
		case "config":
			return wd.Configuration(v.Config), true
		case "committed":
			return wd.Configuration(v.Committed), true
		}
		return "", false
	})
}

// value is a value read, or the words for a key not set.
func (wd *Words) value(v string, set bool) string {
	if set {
		return v
	}
	return wd.t.Get("read.missing")
}

// Configuration renders a configuration: its voters, its learners and,
// during a joint change, the old voters ("voters S1 S2 S3; learners S4").
func (wd *Words) Configuration(m raft.Membership) string {
	var b strings.Builder
	for _, part := range [...]struct {
		key string
		ids []raft.NodeID
	}{{"config.voters", m.Voters}, {"config.learners", m.Learners}, {"config.outgoing", m.Outgoing}} {
		if len(part.ids) > 0 {
			b.WriteString(wd.t.Say(part.key, "ids", formatGroups([][]raft.NodeID{part.ids}, readableText)))
		}
	}
	return b.String()
}

// Trace renders events as lines, one per event.
func (wd *Words) Trace(events []Event) string {
	var b strings.Builder
	for _, e := range events {
		b.WriteString(wd.Line(e))
		b.WriteByte('\n')
	}
	return b.String()
}
