package sim

import (
	"strconv"
	"strings"

	"raftlab/raft"
	"raftlab/raft/sim/lex"
)

// The action text, one action per line or several separated by ';':
//
//	next                         run to the next event (OpNext)
//	next 5                       five times ("next 1" is "next")
//	advance 100                  advance virtual time 100 ms ("100ms" too)
//	deliver 7                    deliver the in-flight message with id 7
//	deliver S2>S3                the earliest message from S2 to S3
//	deliver S2>S3 RequestVote    ... of that type
//	deliver *>S1 append-reply    ... from any server
//	drop ..., dup ...            the same selectors (OpDrop, OpDuplicate)
//	flush                        deliver everything in flight
//	drop-all                     drop everything in flight
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
//	drop-rate 2.5                lose 2.5% of messages (PerMille 25)
//	latency 10 30                latency between 10 and 30 ms
//	freeze, unfreeze             stop and restart every timer
//
// Words are case-insensitive ("S1" or "s1", "Deliver"); spaces around '>'
// and '|' are optional. Message types are the core's names (RequestVote,
// RequestVoteReply, AppendEntries, AppendEntriesReply, ...) or their short
// forms (vote, vote-reply, append, append-reply, ...; msgTypeShort). Server names are S1 to S9: whether a server exists in a
// given cluster is checked when the action runs, not here. Each action's
// words and arguments are its entry in actionTable; this file reads and
// writes them.

// msgTypeShort are the short names of the message types, by raft.MsgType;
// the full names are the core's (MsgType.String).
var msgTypeShort = [...]string{
	raft.MsgVote: "vote", raft.MsgVoteResp: "vote-reply", raft.MsgAppend: "append", raft.MsgAppendResp: "append-reply",
	raft.MsgSnap: "snapshot", raft.MsgSnapResp: "snapshot-reply", raft.MsgPreVote: "pre-vote",
	raft.MsgPreVoteResp: "pre-vote-reply", raft.MsgTimeoutNow: "timeout-now", raft.MsgReadIndex: "read-index",
	raft.MsgReadIndexResp: "read-index-reply",
}

func lookupWord(word string) (Op, *actionSpec) {
	for op, s := range actionTable {
		if s != nil && (strings.EqualFold(word, s.word) || s.alias != "" && strings.EqualFold(word, s.alias)) {
			return Op(op), s
		}
	}
	return OpNone, nil
}

// ActionNames lists the action words in the order error messages give them.
func ActionNames() string {
	var names []string
	for _, s := range actionTable {
		if s != nil {
			names = append(names, s.word)
		}
	}
	return strings.Join(names, ", ")
}

// ParseAction parses one action (the grammar is above). An error is a
// *ParseError without a line; its message starts with the action word and
// says what was expected, e.g.
//
//	deliver: expected a message id or FROM>TO, got "S2-S3"
func ParseAction(s string) (Action, error) {
	if t := strings.TrimSpace(s); strings.ContainsAny(t, ";\n") {
		return Action{}, lex.Errorf("expected one action, got several: " + lex.Quote(t))
	}
	a, msg := parseAction(s)
	if msg != "" {
		return Action{}, lex.Errorf(msg)
	}
	return a, nil
}

// parseAction parses one action; on failure it returns the error message.
func parseAction(s string) (Action, string) {
	words := lex.Words(s, ">|")
	if len(words) == 0 {
		return Action{}, "expected an action, got nothing"
	}
	op, sp := lookupWord(words[0])
	if sp == nil {
		return Action{}, "unknown action " + lex.Quote(words[0]) + "; expected one of: " + ActionNames()
	}
	args := words[1:]
	vals := make([]Value, len(sp.params))
	rest := args
	for i, p := range sp.params {
		v, used, msg := readParam(p, rest)
		if msg == usageMsg {
			msg = "expected " + sp.usage + ", got " + lex.Got(strings.Join(args, " "))
		}
		if msg != "" {
			return Action{}, sp.word + ": " + msg
		}
		vals[i], rest = v, rest[used:]
	}
	if len(rest) > 0 {
		return Action{}, sp.word + ": expected " + sp.usage + ", got " + lex.Got(strings.Join(args, " "))
	}
	a := sp.build(vals)
	a.Op = op
	return a, ""
}

// usageMsg asks parseAction to say what the action's arguments must be.
const usageMsg = "\x00usage"

// readParam reads one argument from words; it returns how many words it
// used, or what is wrong.
func readParam(p Param, words []string) (Value, int, string) {
	var v Value
	first := ""
	if len(words) > 0 {
		first = words[0]
	}
	var msg string
	switch p.Kind {
	case KindCount:
		if first == "" {
			return v, 0, ""
		}
		n, ok := lex.Nat(first, p.Min, p.Max)
		if !ok {
			return v, 0, usageMsg
		}
		v.N = n
	case KindMillis:
		n, ok := lex.Millis(first, p.Min, p.Max)
		if !ok {
			return v, 0, usageMsg
		}
		v.N = n
	case KindPercent:
		if first == "" {
			return v, 0, usageMsg
		}
		v.N, msg = lex.PerMille(first)
	case KindServer:
		v.Node, msg = lex.Server(first)
	case KindKey:
		if first == "" {
			return v, 0, usageMsg
		}
		v.Text, msg = first, kvCheckWord("key", first)
	case KindRange:
		v.N, v.M, msg = lex.Range(words, p.Min, p.Max, "10 30")
		return v, len(words), msg
	case KindMessage:
		v.Msg, msg = readSelector(words)
		return v, len(words), msg
	case KindCommand:
		c, msg := parseCommand(strings.Join(words, " "))
		v.Text = c.String()
		return v, len(words), msg
	case KindAmnesia:
		v.Amnesia, v.N, msg = readAmnesia(words, p)
		return v, len(words), msg
	case KindLink:
		v.Link, msg = readLink(words)
		return v, len(words), msg
	case KindGroups:
		v.Groups, msg = readGroups(words)
		return v, len(words), msg
	}
	return v, 1, msg
}

// readSelector reads "ID", "FROM>TO" or "FROM>TO TYPE".
func readSelector(words []string) (MsgSelector, string) {
	got := strings.Join(words, " ")
	if len(words) >= 3 && words[1] == ">" {
		// Show "S2>S3" rather than "S2 > S3" when that is what was typed.
		got = words[0] + ">" + strings.Join(words[2:], " ")
	}
	if len(words) == 1 {
		if id, ok := lex.Nat(words[0], 1, MaxMessageID); ok {
			return MsgSelector{ID: int(id)}, ""
		}
	}
	if len(words) < 3 || words[1] != ">" {
		return MsgSelector{}, "expected a message id or FROM>TO, got " + lex.Got(got)
	}
	from, msg := lex.ServerOrAny(words[0])
	if msg != "" {
		return MsgSelector{}, "from: " + msg
	}
	to, msg := lex.ServerOrAny(words[2])
	if msg != "" {
		return MsgSelector{}, "to: " + msg
	}
	if from != raft.None && from == to {
		return MsgSelector{}, "a server sends no messages to itself: " + lex.Quote(words[0]+">"+words[2])
	}
	sel := MsgSelector{From: from, To: to, AnyType: true}
	switch len(words) {
	case 3:
	case 4:
		t, ok := msgTypeByName(words[3])
		if !ok {
			return MsgSelector{}, "unknown message type " + lex.Quote(words[3]) + "; expected " + msgTypeList()
		}
		sel.Type, sel.AnyType = t, false
	default:
		return MsgSelector{}, "expected FROM>TO and at most a message type, got " + lex.Got(got)
	}
	return sel, ""
}

// ParseSelector reads a message selector as the action text writes it after
// "deliver": "7", "S2>S3", "*>S1 append-reply".
func ParseSelector(s string) (MsgSelector, error) {
	sel, msg := readSelector(lex.Words(s, ">|"))
	if msg != "" {
		return MsgSelector{}, lex.Errorf(msg)
	}
	return sel, nil
}

func msgTypeByName(tok string) (raft.MsgType, bool) {
	for t, short := range msgTypeShort {
		if strings.EqualFold(tok, raft.MsgType(t).String()) || strings.EqualFold(tok, short) {
			return raft.MsgType(t), true
		}
	}
	return 0, false
}

// msgTypeList names the message types for an error: "RequestVote, ...
// (or vote, ...)".
func msgTypeList() string {
	var full, short []string
	for t, s := range msgTypeShort {
		full, short = append(full, raft.MsgType(t).String()), append(short, s)
	}
	return strings.Join(full, ", ") + " (or " + strings.Join(short, ", ") + ")"
}

func readAmnesia(words []string, p Param) (Amnesia, int64, string) {
	switch {
	case len(words) == 0:
		return AmnesiaNone, 0, ""
	case len(words) == 1 && strings.EqualFold(words[0], "forget-vote"):
		return AmnesiaVote, 0, ""
	case strings.EqualFold(words[0], "lose-tail"):
		if len(words) == 2 {
			if n, ok := lex.Nat(words[1], p.Min, p.Max); ok {
				return AmnesiaLogTail, n, ""
			}
		}
		return 0, 0, `expected how many entries to lose, like "lose-tail 2", got ` + lex.Quote(strings.Join(words, " "))
	}
	return 0, 0, `expected nothing, "forget-vote" or "lose-tail N" after the server, got ` + lex.Quote(strings.Join(words, " "))
}

// readGroups reads "S1 S2 | S3 S4 S5": every group non-empty, no server
// twice.
func readGroups(words []string) ([][]raft.NodeID, string) {
	if len(words) == 0 {
		return nil, `expected groups of servers separated by |, like "S1 S2 | S3", got nothing`
	}
	var seen [raft.MaxNodes + 1]bool
	groups := [][]raft.NodeID{nil}
	empty := func() string {
		return "group " + strconv.Itoa(len(groups)) + ` is empty; expected servers separated by |, like "S1 S2 | S3"`
	}
	for _, w := range words {
		if w == "|" {
			if len(groups[len(groups)-1]) == 0 {
				return nil, empty()
			}
			groups = append(groups, nil)
			continue
		}
		id, msg := lex.Server(w)
		switch {
		case msg != "":
			return nil, msg
		case seen[id]:
			return nil, id.String() + " is listed twice; a server is in one group only"
		}
		seen[id] = true
		groups[len(groups)-1] = append(groups[len(groups)-1], id)
	}
	if len(groups[len(groups)-1]) == 0 {
		return nil, empty()
	}
	return groups, ""
}

// readLink reads "S1 S2" (both ways) or "S1>S2" (one way).
func readLink(words []string) (Link, string) {
	var l Link
	var a, b string
	switch {
	case len(words) == 2 && words[0] != ">" && words[1] != ">":
		a, b = words[0], words[1]
	case len(words) == 3 && words[1] == ">":
		a, b, l.OneWay = words[0], words[2], true
	default:
		return l, `expected two servers, like "S1 S2" (both ways) or "S1>S2" (one way), got ` + lex.Got(strings.Join(words, " "))
	}
	var msg string
	if l.From, msg = lex.Server(a); msg != "" {
		return l, msg
	}
	if l.To, msg = lex.Server(b); msg != "" {
		return l, msg
	}
	if l.From == l.To {
		return l, "expected two different servers, got " + l.From.String() + " twice"
	}
	return l, ""
}

// textStyle is how an action's words are joined: the readable form uses
// spaces, '>' and " | "; the compact URL form '+', '~' and '/'.
type textStyle struct {
	sep, arrow, bar string
	short           bool // short message type names
}

var (
	readableText = textStyle{sep: " ", arrow: ">", bar: " | "}
	compactText  = textStyle{sep: "+", arrow: "~", bar: "/", short: true}
)

// FormatAction returns the canonical text of a: ParseAction gives a back
// for every action ParseAction returns. (Fields an Op does not use are not
// written, and "next" with Steps 0 or 1 is written "next", which parses
// back as Steps 0.) An action no text describes, such as OpNone, is
// written as something ParseAction rejects.
func FormatAction(a Action) string { return formatAction(a, readableText) }

func formatAction(a Action, t textStyle) string {
	sp := spec(a.Op)
	if sp == nil {
		return "invalid-action-" + strconv.Itoa(int(a.Op))
	}
	var b strings.Builder
	b.WriteString(sp.word)
	for i, v := range sp.values(a) {
		writeParam(&b, sp.params[i].Kind, v, t)
	}
	return b.String()
}

func writeParam(b *strings.Builder, k Kind, v Value, t textStyle) {
	word := func(s string) {
		b.WriteString(t.sep)
		b.WriteString(s)
	}
	switch k {
	case KindCount:
		if v.N > 1 {
			word(strconv.FormatInt(v.N, 10))
		}
	case KindMillis:
		word(strconv.FormatInt(v.N, 10))
	case KindRange:
		word(strconv.FormatInt(v.N, 10))
		word(strconv.FormatInt(v.M, 10))
	case KindPercent:
		word(lex.FormatPerMille(v.N))
	case KindServer:
		word(v.Node.String())
	case KindKey:
		word(v.Text)
	case KindCommand:
		word(strings.ReplaceAll(v.Text, " ", t.sep))
	case KindMessage:
		m := v.Msg
		if m.ID != 0 {
			word(strconv.Itoa(m.ID))
			return
		}
		word(anyServer(m.From) + t.arrow + anyServer(m.To))
		if !m.AnyType {
			word(msgTypeName(m.Type, t.short))
		}
	case KindAmnesia:
		switch v.Amnesia {
		case AmnesiaVote:
			word("forget-vote")
		case AmnesiaLogTail:
			word("lose-tail")
			word(strconv.FormatInt(v.N, 10))
		}
	case KindLink:
		word(formatLink(v.Link, t))
	case KindGroups:
		word(formatGroups(v.Groups, t))
	}
}

func msgTypeName(t raft.MsgType, short bool) string {
	if short && int(t) < len(msgTypeShort) {
		return msgTypeShort[t]
	}
	return t.String()
}

func anyServer(id raft.NodeID) string {
	if id == raft.None {
		return "*"
	}
	return id.String()
}

func formatGroups(groups [][]raft.NodeID, t textStyle) string {
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

func formatLink(l Link, t textStyle) string {
	if l.OneWay {
		return l.From.String() + t.arrow + l.To.String()
	}
	return l.From.String() + t.sep + l.To.String()
}

// ParseActions parses actions separated by newlines and/or ';'. '#'
// starts a comment that runs to the end of the line; blank lines are
// ignored. An error is a *ParseError whose Line is the 1-based line of the
// action that failed.
func ParseActions(text string) ([]Action, error) {
	as, _, err := ParseActionsAt("", 1, text)
	return as, err
}

// ParseActionsAt is ParseActions for text that starts on line first of
// file: it also returns the line of each action, and errors name file and
// line.
func ParseActionsAt(file string, first int, text string) ([]Action, []int, error) {
	var out []Action
	var lines []int
	for _, l := range lex.Lines(text, first) {
		body, _, _ := strings.Cut(l.Text, "#")
		for _, piece := range strings.Split(body, ";") {
			if strings.TrimSpace(piece) == "" {
				continue
			}
			a, msg := parseAction(piece)
			if msg != "" {
				return nil, nil, &ParseError{File: file, Line: l.N, Msg: msg}
			}
			out = append(out, a)
			lines = append(lines, l.N)
		}
	}
	return out, lines, nil
}

// EncodeActions writes actions in a compact, single-line form for URLs:
// actions are joined by ';', words by '+' instead of a space, '>' is
// written '~' and the partition bar '|' is written '/', and message types
// use their short names, so the text needs no percent-encoding in a URL's
// query or fragment (none of '+', '~', '/' can occur in the readable form).
// For example [timeout S1, deliver S1>S2 RequestVote, next 3, advance 150,
// partition S1 S2 | S3] is encoded as
//
//	timeout+S1;deliver+S1~S2+vote;next+3;advance+150;partition+S1+S2/S3
//
// The actions are written as given; a cluster's Run is already as short as
// its run can be written.
func EncodeActions(as []Action) string {
	var b strings.Builder
	for _, a := range as {
		if b.Len() > 0 {
			b.WriteByte(';')
		}
		b.WriteString(formatAction(a, compactText))
	}
	return b.String()
}

// DecodeActions reads what EncodeActions writes. It also reads the
// readable form (spaces, '>', '|', long message type names, newlines or
// ';' between actions, '#' comments) and any mix of the two, so a hand-made
// URL works too; '+' read as a space by a form decoder does no harm. The
// text must already be percent-decoded. An error is a *ParseError
// without a line whose message names the action by its position:
//
//	action 2: deliver: expected a message id or FROM>TO, got "S2-S3"
func DecodeActions(s string) ([]Action, error) {
	r := strings.NewReplacer("+", " ", "~", ">", "/", "|")
	var out []Action
	for _, l := range lex.Lines(r.Replace(s), 1) {
		body, _, _ := strings.Cut(l.Text, "#")
		for _, piece := range strings.Split(body, ";") {
			if strings.TrimSpace(piece) == "" {
				continue
			}
			a, msg := parseAction(piece)
			if msg != "" {
				return nil, lex.Errorf("action " + strconv.Itoa(len(out)+1) + ": " + msg)
			}
			out = append(out, a)
		}
	}
	return out, nil
}

// ActionError is an action of a list that the cluster refused: the Nth
// (from 1) of the list given to Cluster.DoAll, or of a scenario's setup.
type ActionError struct {
	N      int
	Action Action
	Err    error
	Setup  bool
}

// Error reads "action 2 (deliver 99): no such message in flight".
func (e *ActionError) Error() string {
	what := "action "
	if e.Setup {
		what = "setup action "
	}
	return what + strconv.Itoa(e.N) + " (" + FormatAction(e.Action) + "): " + e.Err.Error()
}

// Unwrap gives the cluster's reason.
func (e *ActionError) Unwrap() error { return e.Err }
