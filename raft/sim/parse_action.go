package sim

import (
	"strconv"
	"strings"

	"raftlab/raft"
)

// The action text, one action per line or several separated by ';':
//
//	next                         run to the next event (OpNext)
//	next 5                       five times (Amount 5; "next 1" is "next")
//	advance 100                  advance virtual time 100 ms ("100ms" too)
//	deliver 7                    deliver the in-flight message with id 7
//	deliver S2>S3                the earliest message from S2 to S3
//	deliver S2>S3 RequestVote    ... of that type
//	deliver *>S1 append-reply    ... from any server
//	drop ..., dup ...            the same selectors (OpDrop, OpDuplicate)
//	flush                        deliver everything in flight
//	timeout S2                   fire S2's election timer
//	propose S1 set x 3           a client asks S1 to run "set x 3"
//	propose S1 del x
//	read S2 x                    a client reads x at S2
//	crash S1
//	restart S1                   from S1's persisted state
//	restart S1 forget-vote       ... forgetting votedFor (AmnesiaVote)
//	restart S1 lose-tail 2       ... losing the last 2 entries (AmnesiaLogTail)
//	partition S1 S2 | S3 S4 S5   servers in no group are each alone
//	cut S1 S2                    cut both ways; "cut S1>S2" one way
//	restore S1 S2                restore both ways; "restore S1>S2" one way
//	heal                         restore every link
//	drop-rate 2.5                lose 2.5% of messages (Amount 25 per mille)
//	latency 10 30                latency between 10 and 30 ms
//	freeze, unfreeze             stop and restart every timer
//
// Words are case-insensitive ("S1" or "s1", "Deliver"); spaces around '>'
// and '|' are optional. Message types are RequestVote, RequestVoteReply,
// AppendEntries, AppendEntriesReply, or vote, vote-reply, append,
// append-reply. Server names are S1 to S9: whether a server exists in a
// given cluster is checked when the action runs, not here.

// Limits of the action text.
const (
	paMaxNext    = 100000  // next N
	paMaxAdvance = 3600000 // advance, ms: one hour of virtual time
	paMaxLatency = 10000   // ms
	paMaxTail    = 1000000 // restart ... lose-tail N
	paMaxMsgID   = 1<<31 - 1
)

// paOpWords are the canonical action words, by Op.
var paOpWords = [opCount]string{
	OpNext: "next", OpAdvance: "advance", OpDeliver: "deliver", OpDrop: "drop",
	OpDuplicate: "dup", OpFlush: "flush", OpTimeout: "timeout", OpPropose: "propose",
	OpRead: "read", OpCrash: "crash", OpRestart: "restart", OpPartition: "partition",
	OpCut: "cut", OpRestore: "restore", OpHeal: "heal", OpDropRate: "drop-rate",
	OpLatency: "latency", OpFreeze: "freeze", OpUnfreeze: "unfreeze", OpDropAll: "drop-all",
}

// paMsgTypes are the message type names: full, then short.
var paMsgTypes = [...]struct {
	full, short string
	t           raft.MsgType
}{
	{"RequestVote", "vote", raft.MsgVote},
	{"RequestVoteReply", "vote-reply", raft.MsgVoteResp},
	{"AppendEntries", "append", raft.MsgAppend},
	{"AppendEntriesReply", "append-reply", raft.MsgAppendResp},
}

func paLookupOp(word string) Op {
	w := strings.ToLower(word)
	if w == "duplicate" {
		return OpDuplicate
	}
	for op, name := range paOpWords {
		if name != "" && name == w {
			return Op(op)
		}
	}
	return OpNone
}

// ActionNames lists the action words in the order error messages give them.
func ActionNames() string { return paOpList() }

func paOpList() string {
	var b strings.Builder
	for _, name := range paOpWords {
		if name == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(name)
	}
	return b.String()
}

// paTokens splits s into words at spaces and tabs; '>' and '|' are words of
// their own wherever they are.
func paTokens(s string) []string {
	var out []string
	start := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case ' ', '\t', '\r', '\n', '\v', '\f', '>', '|':
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
			if c == '>' || c == '|' {
				out = append(out, s[i:i+1])
			}
		default:
			if start < 0 {
				start = i
			}
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// paNat parses a decimal number of plain digits (no sign) in [lo, hi].
func paNat(s string, lo, hi int64) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, false
	}
	return n, true
}

func paItoa(n int64) string { return strconv.FormatInt(n, 10) }

// paServer parses "S1" to "S9" (any case); with star, "*" gives None.
// It returns "" or what is wrong, for an error message.
func paServer(tok string, star bool) (raft.NodeID, string) {
	if star && tok == "*" {
		return raft.None, ""
	}
	what := "a server like S2"
	if star {
		what = "a server like S2 or *"
	}
	if len(tok) < 2 || (tok[0] != 'S' && tok[0] != 's') {
		if tok == "" {
			return 0, "expected " + what + ", got nothing"
		}
		return 0, "expected " + what + ", got " + peGot(tok)
	}
	n, ok := paNat(tok[1:], 0, 1<<40)
	if !ok {
		return 0, "expected " + what + ", got " + peGot(tok)
	}
	if n < 1 || n > raft.MaxNodes {
		return 0, "no server " + peQuote(tok) + "; servers are S1 to S" + strconv.Itoa(raft.MaxNodes)
	}
	return raft.NodeID(n), ""
}

func paMsgType(tok string) (raft.MsgType, bool) {
	for _, m := range paMsgTypes {
		if strings.EqualFold(tok, m.full) || strings.EqualFold(tok, m.short) {
			return m.t, true
		}
	}
	return 0, false
}

func paMsgTypeName(t raft.MsgType, short bool) string {
	for _, m := range paMsgTypes {
		if m.t == t {
			if short {
				return m.short
			}
			return m.full
		}
	}
	return t.String()
}

// paPermille parses a percentage with at most one decimal ("2.5", "2.5%",
// "100") into per mille.
func paPermille(s string) (int64, string) {
	v := strings.TrimSuffix(s, "%")
	whole, frac, dot := strings.Cut(v, ".")
	w, ok := paNat(whole, 0, 100)
	if !ok || (dot && len(frac) != 1) {
		if dot && len(frac) > 1 {
			if _, fok := paNat(frac, 0, 1<<40); fok {
				return 0, "expected a percentage with at most one decimal, got " + peGot(s)
			}
		}
		return 0, "expected a percentage from 0 to 100 like 2.5, got " + peGot(s)
	}
	p := w * 10
	if dot {
		f, ok := paNat(frac, 0, 9)
		if !ok {
			return 0, "expected a percentage from 0 to 100 like 2.5, got " + peGot(s)
		}
		p += f
	}
	if p > 1000 {
		return 0, "expected a percentage from 0 to 100, got " + peGot(s)
	}
	return p, ""
}

func paFormatPermille(p int64) string {
	s := paItoa(p / 10)
	if p%10 != 0 {
		s += "." + paItoa(p%10)
	}
	return s
}

// ParseAction parses one action (the grammar is above). An error is a
// *ParseError without a line; its message starts with the action word and
// says what was expected, e.g.
//
//	deliver: expected a message id or FROM>TO, got "S2-S3"
func ParseAction(s string) (Action, error) {
	if strings.ContainsAny(strings.TrimSpace(s), ";\n") {
		return Action{}, peErr("expected one action, got several: " + peQuote(strings.TrimSpace(s)))
	}
	a, msg := paParse(s)
	if msg != "" {
		return Action{}, peErr(msg)
	}
	return a, nil
}

// paParse parses one action; on failure it returns the error message.
func paParse(s string) (Action, string) {
	toks := paTokens(s)
	if len(toks) == 0 {
		return Action{}, "expected an action, got nothing"
	}
	op := paLookupOp(toks[0])
	if op == OpNone {
		return Action{}, "unknown action " + peQuote(toks[0]) + "; expected one of: " + paOpList()
	}
	name := paOpWords[op]
	args := toks[1:]
	rest := strings.Join(args, " ")
	fail := func(msg string) (Action, string) { return Action{}, name + ": " + msg }
	noArgs := func() (Action, string) {
		if len(args) > 0 {
			return fail("expected nothing after " + peQuote(name) + ", got " + peGot(rest))
		}
		return Action{Op: op}, ""
	}
	oneServer := func() (raft.NodeID, string) {
		if len(args) == 0 {
			return 0, "expected a server like S2, got nothing"
		}
		id, msg := paServer(args[0], false)
		if msg != "" {
			return 0, msg
		}
		return id, ""
	}
	a := Action{Op: op}
	switch op {
	case OpNext:
		if len(args) == 0 {
			return a, ""
		}
		n, ok := paNat(args[0], 1, paMaxNext)
		if len(args) > 1 || !ok {
			return fail("expected a count from 1 to " + paItoa(paMaxNext) + ", got " + peGot(rest))
		}
		if n > 1 {
			a.Amount = n
		}
		return a, ""

	case OpAdvance:
		if len(args) == 1 {
			if n, ok := paNat(strings.TrimSuffix(strings.ToLower(args[0]), "ms"), 1, paMaxAdvance); ok {
				a.Amount = n
				return a, ""
			}
		}
		return fail("expected milliseconds from 1 to " + paItoa(paMaxAdvance) + ", got " + peGot(rest))

	case OpDeliver, OpDrop, OpDuplicate:
		sel, msg := paSelector(args)
		if msg != "" {
			return fail(msg)
		}
		a.Msg = sel
		return a, ""

	case OpFlush, OpHeal, OpFreeze, OpUnfreeze, OpDropAll:
		return noArgs()

	case OpTimeout, OpCrash:
		id, msg := oneServer()
		if msg != "" {
			return fail(msg)
		}
		if len(args) > 1 {
			return fail("expected only a server, got " + peGot(rest))
		}
		a.Node = id
		return a, ""

	case OpRestart:
		id, msg := oneServer()
		if msg != "" {
			return fail(msg)
		}
		a.Node = id
		opt := args[1:]
		switch {
		case len(opt) == 0:
		case len(opt) == 1 && strings.EqualFold(opt[0], "forget-vote"):
			a.Amnesia = AmnesiaVote
		case len(opt) >= 1 && strings.EqualFold(opt[0], "lose-tail"):
			var n int64
			ok := len(opt) == 2
			if ok {
				n, ok = paNat(opt[1], 1, paMaxTail)
			}
			if !ok {
				return fail("expected how many entries to lose, like \"lose-tail 2\", got " +
					peQuote(strings.Join(opt, " ")))
			}
			a.Amnesia, a.Amount = AmnesiaLogTail, n
		default:
			return fail(`expected nothing, "forget-vote" or "lose-tail N" after the server, got ` +
				peQuote(strings.Join(opt, " ")))
		}
		return a, ""

	case OpPropose:
		id, msg := oneServer()
		if msg != "" {
			return fail(msg)
		}
		cmd, err := ParseCommand(strings.Join(args[1:], " "))
		if err != nil {
			return fail(err.(*ParseError).Msg)
		}
		a.Node, a.Command = id, cmd.String()
		return a, ""

	case OpRead:
		id, msg := oneServer()
		if msg != "" {
			return fail(msg)
		}
		if len(args) != 2 {
			return fail("expected a server and a key, like \"read S2 x\", got " + peGot(rest))
		}
		if msg := kvCheckWord("key", args[1]); msg != "" {
			return fail(msg)
		}
		a.Node, a.Key = id, args[1]
		return a, ""

	case OpPartition:
		groups, msg := paGroups(args)
		if msg != "" {
			return fail(msg)
		}
		a.Groups = groups
		return a, ""

	case OpCut, OpRestore:
		l, msg := paLink(args)
		if msg != "" {
			return fail(msg)
		}
		a.From, a.To, a.OneWay = l.From, l.To, l.OneWay
		return a, ""

	case OpDropRate:
		if len(args) != 1 {
			return fail("expected a percentage from 0 to 100 like 2.5, got " + peGot(rest))
		}
		p, msg := paPermille(args[0])
		if msg != "" {
			return fail(msg)
		}
		a.Amount = p
		return a, ""

	case OpLatency:
		lo, hi, msg := paRange(args, 0, paMaxLatency, "10 30")
		if msg != "" {
			return fail(msg)
		}
		a.Amount, a.Amount2 = lo, hi
		return a, ""
	}
	return Action{}, "unknown action " + peQuote(toks[0])
}

// paRange parses "MIN MAX", "MIN-MAX" or a single "N" (MIN = MAX = N) of
// milliseconds within [lo, hi]; example shows the expected form.
func paRange(args []string, lo, hi int64, example string) (int64, int64, string) {
	joined := strings.Join(args, " ")
	parts := args
	if len(args) == 1 {
		if a, b, ok := strings.Cut(args[0], "-"); ok {
			parts = []string{a, b}
		}
	} else if len(args) == 3 && args[1] == "-" {
		parts = []string{args[0], args[2]}
	}
	form := "MIN MAX"
	if strings.Contains(example, "-") {
		form = "MIN-MAX"
	}
	bad := "expected " + form + " in milliseconds from " + paItoa(lo) + " to " + paItoa(hi) +
		", like " + peQuote(example) + ", got " + peGot(joined)
	if len(parts) == 0 || len(parts) > 2 {
		return 0, 0, bad
	}
	a, ok := paNat(strings.TrimSuffix(parts[0], "ms"), lo, hi)
	if !ok {
		return 0, 0, bad
	}
	b := a
	if len(parts) == 2 {
		if b, ok = paNat(strings.TrimSuffix(parts[1], "ms"), lo, hi); !ok {
			return 0, 0, bad
		}
	}
	if a > b {
		return 0, 0, "the minimum " + paItoa(a) + " is more than the maximum " + paItoa(b)
	}
	return a, b, ""
}

// paSelector parses "ID", "FROM>TO" or "FROM>TO TYPE".
func paSelector(args []string) (MsgSelector, string) {
	rest := strings.Join(args, "")
	if len(args) > 1 {
		rest = strings.Join(args, " ")
		// Show "S2>S3" rather than "S2 > S3" when that is what was typed.
		if len(args) >= 3 && args[1] == ">" {
			rest = args[0] + ">" + strings.Join(args[2:], " ")
		}
	}
	if len(args) == 1 {
		if id, ok := paNat(args[0], 1, paMaxMsgID); ok {
			return MsgSelector{ID: int(id)}, ""
		}
	}
	if len(args) < 3 || args[1] != ">" {
		if len(args) == 0 {
			return MsgSelector{}, "expected a message id or FROM>TO, got nothing"
		}
		return MsgSelector{}, "expected a message id or FROM>TO, got " + peGot(rest)
	}
	from, msg := paServer(args[0], true)
	if msg != "" {
		return MsgSelector{}, "from: " + msg
	}
	to, msg := paServer(args[2], true)
	if msg != "" {
		return MsgSelector{}, "to: " + msg
	}
	if from != raft.None && from == to {
		return MsgSelector{}, "a server sends no messages to itself: " + peQuote(args[0]+">"+args[2])
	}
	sel := MsgSelector{From: from, To: to, AnyType: true}
	switch len(args) {
	case 3:
	case 4:
		t, ok := paMsgType(args[3])
		if !ok {
			return MsgSelector{}, "unknown message type " + peQuote(args[3]) +
				"; expected RequestVote, RequestVoteReply, AppendEntries, AppendEntriesReply" +
				" (or vote, vote-reply, append, append-reply)"
		}
		sel.Type, sel.AnyType = t, false
	default:
		return MsgSelector{}, "expected FROM>TO and at most a message type, got " + peGot(rest)
	}
	return sel, ""
}

// paGroups parses "S1 S2 | S3 S4 S5": every group non-empty, no server
// twice.
func paGroups(args []string) ([][]raft.NodeID, string) {
	if len(args) == 0 {
		return nil, `expected groups of servers separated by |, like "S1 S2 | S3", got nothing`
	}
	var seen [raft.MaxNodes + 1]bool
	groups := [][]raft.NodeID{nil}
	for _, tok := range args {
		if tok == "|" {
			if len(groups[len(groups)-1]) == 0 {
				return nil, "group " + strconv.Itoa(len(groups)) + " is empty; expected servers separated by |, like \"S1 S2 | S3\""
			}
			groups = append(groups, nil)
			continue
		}
		id, msg := paServer(tok, false)
		if msg != "" {
			return nil, msg
		}
		if seen[id] {
			return nil, id.String() + " is listed twice; a server is in one group only"
		}
		seen[id] = true
		groups[len(groups)-1] = append(groups[len(groups)-1], id)
	}
	if len(groups[len(groups)-1]) == 0 {
		return nil, "group " + strconv.Itoa(len(groups)) + " is empty; expected servers separated by |, like \"S1 S2 | S3\""
	}
	return groups, ""
}

// paLink parses "S1 S2" (both ways) or "S1>S2" (one way).
func paLink(args []string) (Link, string) {
	var l Link
	var a, b string
	switch {
	case len(args) == 2 && args[0] != ">" && args[1] != ">":
		a, b = args[0], args[1]
	case len(args) == 3 && args[1] == ">":
		a, b, l.OneWay = args[0], args[2], true
	default:
		rest := strings.Join(args, " ")
		if len(args) == 0 {
			return l, "expected two servers, like \"S1 S2\" (both ways) or \"S1>S2\" (one way), got nothing"
		}
		return l, "expected two servers, like \"S1 S2\" (both ways) or \"S1>S2\" (one way), got " + peGot(rest)
	}
	var msg string
	if l.From, msg = paServer(a, false); msg != "" {
		return l, msg
	}
	if l.To, msg = paServer(b, false); msg != "" {
		return l, msg
	}
	if l.From == l.To {
		return l, "expected two different servers, got " + l.From.String() + " twice"
	}
	return l, ""
}

// paText is how an action's words are joined: the readable form uses
// spaces, '>' and " | "; the compact URL form '+', '~' and '/'.
type paText struct {
	sep, arrow, bar string
	short           bool // short message type names
}

var (
	paReadable = paText{sep: " ", arrow: ">", bar: " | "}
	paCompact  = paText{sep: "+", arrow: "~", bar: "/", short: true}
)

// FormatAction returns the canonical text of a: ParseAction gives a back
// for every action ParseAction returns. (Fields an Op does not use are not
// written, and "next" with Amount 0 or 1 is written "next", which parses
// back as Amount 0.) An action no text describes, such as OpNone, is
// written as something ParseAction rejects.
func FormatAction(a Action) string { return paFormat(a, paReadable) }

func paFormat(a Action, t paText) string {
	if int(a.Op) >= len(paOpWords) || paOpWords[a.Op] == "" {
		return "invalid-action-" + strconv.Itoa(int(a.Op))
	}
	b := paOpWords[a.Op]
	switch a.Op {
	case OpNext:
		if a.Amount > 1 {
			b += t.sep + paItoa(a.Amount)
		}
	case OpAdvance:
		b += t.sep + paItoa(a.Amount)
	case OpDeliver, OpDrop, OpDuplicate:
		m := a.Msg
		if m.ID != 0 {
			return b + t.sep + strconv.Itoa(m.ID)
		}
		b += t.sep + paStar(m.From) + t.arrow + paStar(m.To)
		if !m.AnyType {
			b += t.sep + paMsgTypeName(m.Type, t.short)
		}
	case OpTimeout, OpCrash:
		b += t.sep + a.Node.String()
	case OpRestart:
		b += t.sep + a.Node.String()
		switch a.Amnesia {
		case AmnesiaVote:
			b += t.sep + "forget-vote"
		case AmnesiaLogTail:
			b += t.sep + "lose-tail" + t.sep + paItoa(a.Amount)
		}
	case OpPropose:
		b += t.sep + a.Node.String() + t.sep + strings.ReplaceAll(a.Command, " ", t.sep)
	case OpRead:
		b += t.sep + a.Node.String() + t.sep + a.Key
	case OpPartition:
		b += t.sep + paFormatGroups(a.Groups, t)
	case OpCut, OpRestore:
		b += t.sep + paFormatLink(Link{From: a.From, To: a.To, OneWay: a.OneWay}, t)
	case OpDropRate:
		b += t.sep + paFormatPermille(a.Amount)
	case OpLatency:
		b += t.sep + paItoa(a.Amount) + t.sep + paItoa(a.Amount2)
	}
	return b
}

func paStar(id raft.NodeID) string {
	if id == raft.None {
		return "*"
	}
	return id.String()
}

func paFormatGroups(groups [][]raft.NodeID, t paText) string {
	var b strings.Builder
	for i, g := range groups {
		if i > 0 {
			b.WriteString(t.bar)
		}
		for j, id := range g {
			if j > 0 {
				b.WriteString(t.sep)
			}
			b.WriteString(id.String())
		}
	}
	return b.String()
}

func paFormatLink(l Link, t paText) string {
	if l.OneWay {
		return l.From.String() + t.arrow + l.To.String()
	}
	return l.From.String() + t.sep + l.To.String()
}

// paLine is one action's text and where it was.
type paLine struct {
	line int // 1-based line in the text
	text string
}

// paSplit cuts text into actions: at newlines and ';', dropping '#'
// comments (to the end of the line) and blank pieces.
func paSplit(text string) []paLine {
	var out []paLine
	for n, line := range strings.Split(text, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		for _, piece := range strings.Split(line, ";") {
			if strings.TrimSpace(piece) != "" {
				out = append(out, paLine{line: n + 1, text: piece})
			}
		}
	}
	return out
}

// ParseActions parses actions separated by newlines and/or ';'. '#'
// starts a comment that runs to the end of the line; blank lines are
// ignored. An error is a *ParseError whose Line is the 1-based line of the
// action that failed.
func ParseActions(text string) ([]Action, error) {
	var out []Action
	for _, l := range paSplit(text) {
		a, msg := paParse(l.text)
		if msg != "" {
			return nil, &ParseError{Line: l.line, Msg: msg}
		}
		out = append(out, a)
	}
	return out, nil
}

// EncodeActions writes actions in a compact, single-line form for URLs:
//
//   - actions are joined by ';'
//   - words are joined by '+' instead of a space, '>' is written '~' and
//     the partition bar '|' is written '/', and message types use their
//     short names, so the text needs no percent-encoding in a URL's query
//     or fragment (none of '+', '~', '/' can occur in the readable form)
//   - a run of consecutive "next" becomes one "next N", and consecutive
//     "advance" are summed into one (up to the limits ParseAction accepts:
//     100000 steps, 3600000 ms; beyond that a new action starts).
//
// For example [timeout S1, deliver S1>S2 RequestVote, next, next, next,
// advance 100, advance 50, partition S1 S2 | S3] is encoded as
//
//	timeout+S1;deliver+S1~S2+vote;next+3;advance+150;partition+S1+S2/S3
//
// Merging changes the number of actions, so indexes into the list (such
// as Scenario.Marks and Event.Action) do not carry over, but not what a
// replay does to the cluster: "next N" runs "next" N times, and "advance
// a+b" runs every event due in the next a+b milliseconds in time order, as
// "advance a" then "advance b" do.
func EncodeActions(as []Action) string {
	var b strings.Builder
	for i := 0; i < len(as); i++ {
		a := as[i]
		switch a.Op {
		case OpNext:
			n := max(a.Amount, 1)
			for i+1 < len(as) && as[i+1].Op == OpNext && n+max(as[i+1].Amount, 1) <= paMaxNext {
				n += max(as[i+1].Amount, 1)
				i++
			}
			a = Action{Op: OpNext}
			if n > 1 {
				a.Amount = n
			}
		case OpAdvance:
			for i+1 < len(as) && as[i+1].Op == OpAdvance && as[i+1].Amount > 0 && a.Amount > 0 &&
				a.Amount+as[i+1].Amount <= paMaxAdvance {
				a.Amount += as[i+1].Amount
				i++
			}
		}
		if b.Len() > 0 {
			b.WriteByte(';')
		}
		b.WriteString(paFormat(a, paCompact))
	}
	return b.String()
}

// DecodeActions reads what EncodeActions writes. It also reads the
// readable form (spaces, '>', '|', long message type names, newlines or
// ';' between actions, '#' comments) and any mix of the two, so a hand-made
// URL works too; '+' read as a space by a form decoder does no harm. The
// text must already be percent-decoded. Merged actions ("next 3", one
// summed "advance") come back merged; replaying them is equivalent to
// replaying the originals (see EncodeActions). An error is a *ParseError
// without a line whose message names the action by its position:
//
//	action 2: deliver: expected a message id or FROM>TO, got "S2-S3"
func DecodeActions(s string) ([]Action, error) {
	r := strings.NewReplacer("+", " ", "~", ">", "/", "|")
	var out []Action
	for i, l := range paSplit(r.Replace(s)) {
		a, msg := paParse(l.text)
		if msg != "" {
			return nil, peErr("action " + strconv.Itoa(i+1) + ": " + msg)
		}
		out = append(out, a)
	}
	return out, nil
}
