package sim

import (
	"slices"
	"strconv"
	"strings"

	"raftlab/raft"
	"raftlab/raft/sim/lex"
)

// The action text: one action per line, or several separated by ';'; '#'
// starts a comment. An action is its word and its arguments, as its entry
// in actionTable gives them (tutorials/AUTHORING.md lists every action):
//
//	deliver S2>S3 RequestVote    deliver *>S1 append-reply    deliver 7
//	restart S1 lose-tail 2       partition S1 S2 | S3 S4 S5   cut S1>S2
//	propose S1 set x 3           drop-rate 2.5                latency 10 30
//
// Words are case-insensitive; spaces around '>' and '|' are optional.
// Message types are the core's names (RequestVote, AppendEntriesReply, ...)
// or their short forms (vote, append-reply, ...; msgTypeShort). Servers
// are S1 to S9: whether one exists in a cluster is checked when the action
// runs. Each argument is read, and its errors worded, by its Kind.

// msgTypeShort are the short names of the message types, by raft.MsgType;
// the full names are the core's (MsgType.String).
var msgTypeShort = [...]string{
	raft.MsgVote: "vote", raft.MsgVoteResp: "vote-reply", raft.MsgAppend: "append", raft.MsgAppendResp: "append-reply",
	raft.MsgSnap: "snapshot", raft.MsgSnapResp: "snapshot-reply", raft.MsgPreVote: "pre-vote",
	raft.MsgPreVoteResp: "pre-vote-reply", raft.MsgTimeoutNow: "timeout-now", raft.MsgReadIndex: "read-index",
	raft.MsgReadIndexResp: "read-index-reply",
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

// ParseAction parses one action. An error is a *ParseError without a line;
// its message starts with the action word and says what was expected, e.g.
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
	c := &lex.Cursor{Words: lex.Words(s, ">|")}
	word := c.Next()
	if word == "" {
		return Action{}, "expected an action, got nothing"
	}
	for op, sp := range actionTable {
		if sp == nil || !strings.EqualFold(word, sp.word) && !(sp.alias != "" && strings.EqualFold(word, sp.alias)) {
			continue
		}
		vals := make([]Value, len(sp.params))
		for i, p := range sp.params {
			var msg string
			if vals[i], msg = readParam(c, p); msg != "" {
				return Action{}, sp.word + ": " + msg
			}
		}
		if c.Raw() != "" {
			read := strings.Join(append([]string{sp.word}, c.Words[1:c.I]...), " ")
			return Action{}, sp.word + ": " + c.Expected("nothing after "+lex.Quote(read))
		}
		a := sp.build(vals)
		a.Op = Op(op)
		return a, ""
	}
	return Action{}, "unknown action " + lex.Quote(word) + "; expected one of: " + ActionNames()
}

// readParam reads one argument from c; it returns what is wrong.
func readParam(c *lex.Cursor, p Param) (v Value, msg string) {
	rest := c.Words[c.I:]
	switch p.Kind {
	case KindCount:
		if c.Raw() != "" {
			v.N, msg = c.Number(p.Min, p.Max, false)
		}
		return v, msg
	case KindMillis:
		v.N, msg = c.Number(p.Min, p.Max, true)
		return v, msg
	case KindPercent:
		v.N, msg = lex.PerMille(c.Next())
		return v, msg
	case KindServer:
		v.Node, msg = c.Server()
		return v, msg
	case KindKey:
		if v.Text = c.Next(); v.Text == "" {
			return v, "expected a key, got nothing"
		}
		return v, kvCheckWord("key", v.Text)
	case KindReadPath:
		if w := c.Raw(); w != "" {
			var ok bool
			if v.Path, ok = ReadPathByName(c.Next()); !ok || v.Path == ReadDefault {
				return v, "expected nothing or how to read: " + readPathList() + ", got " + lex.Got(w)
			}
		}
		return v, ""
	case KindRange:
		v.N, v.M, msg = lex.Range(rest, p.Min, p.Max, "10 30")
	case KindMessage:
		v.Msg, msg = readSelector(rest)
	case KindCommand:
		var cmd Command
		cmd, msg = parseCommand(strings.Join(rest, " "))
		v.Text = cmd.String()
	case KindAmnesia:
		v.Amnesia, v.N, msg = readAmnesia(rest, p)
	case KindLink:
		v.Link, msg = readLink(rest)
	case KindGroups:
		v.Groups, msg = readGroups(rest)
	case KindServers:
		v.Servers, msg = readServers(rest)
	}
	c.I = len(c.Words) // these kinds read the rest
	return v, msg
}

// readSelector reads "ID", "FROM>TO" or "FROM>TO TYPE".
func readSelector(words []string) (MsgSelector, string) {
	got := strings.Join(words, " ")
	if len(words) >= 3 && words[1] == ">" {
		got = words[0] + ">" + strings.Join(words[2:], " ") // as typed, "S2>S3"
	}
	if len(words) == 1 {
		if id, ok := lex.Nat(words[0], 1, MaxMessageID); ok {
			return MsgSelector{ID: int(id)}, ""
		}
	}
	switch {
	case len(words) < 3 || words[1] != ">":
		return MsgSelector{}, "expected a message id or FROM>TO, got " + lex.Got(got)
	case len(words) > 4:
		return MsgSelector{}, "expected FROM>TO and at most a message type, got " + lex.Got(got)
	}
	sel := MsgSelector{AnyType: len(words) == 3}
	var msg string
	if sel.From, msg = lex.ServerOrAny(words[0]); msg != "" {
		return sel, "from: " + msg
	}
	if sel.To, msg = lex.ServerOrAny(words[2]); msg != "" {
		return sel, "to: " + msg
	}
	if sel.From != raft.None && sel.From == sel.To {
		return sel, "a server sends no messages to itself: " + lex.Quote(words[0]+">"+words[2])
	}
	if !sel.AnyType {
		var full, short []string
		for t, s := range msgTypeShort {
			if strings.EqualFold(words[3], raft.MsgType(t).String()) || strings.EqualFold(words[3], s) {
				sel.Type = raft.MsgType(t)
				return sel, ""
			}
			full, short = append(full, raft.MsgType(t).String()), append(short, s)
		}
		return sel, "unknown message type " + lex.Quote(words[3]) + "; expected " + strings.Join(full, ", ") +
			" (or " + strings.Join(short, ", ") + ")"
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

func readAmnesia(words []string, p Param) (Amnesia, int64, string) {
	text := strings.Join(words, " ")
	switch first := strings.ToLower(text); {
	case text == "":
		return AmnesiaNone, 0, ""
	case first == "forget-vote":
		return AmnesiaVote, 0, ""
	case strings.EqualFold(words[0], "lose-tail"):
		if len(words) == 2 {
			if n, ok := lex.Nat(words[1], p.Min, p.Max); ok {
				return AmnesiaLogTail, n, ""
			}
		}
		return 0, 0, `expected how many entries to lose, like "lose-tail 2", got ` + lex.Quote(text)
	}
	return 0, 0, `expected nothing, "forget-vote" or "lose-tail N" after the server, got ` + lex.Quote(text)
}

// readGroups reads "S1 S2 | S3 S4 S5": every group non-empty, no server
// twice.
func readGroups(words []string) ([][]raft.NodeID, string) {
	const like = `separated by |, like "S1 S2 | S3"`
	if len(words) == 0 {
		return nil, "expected groups of servers " + like + ", got nothing"
	}
	var seen [raft.MaxNodes + 1]bool
	groups := [][]raft.NodeID{nil}
	for i, w := range slices.Concat(words, []string{"|"}) { // the last "|" closes the last group
		last := &groups[len(groups)-1]
		if w != "|" {
			id, msg := lex.Server(w)
			switch {
			case msg != "":
				return nil, msg
			case seen[id]:
				return nil, id.String() + " is listed twice; a server is in one group only"
			}
			seen[id], *last = true, append(*last, id)
		} else if len(*last) == 0 {
			return nil, "group " + strconv.Itoa(len(groups)) + " is empty; expected servers " + like
		} else if i < len(words) {
			groups = append(groups, nil)
		}
	}
	return groups, ""
}

// readServers reads "S3 S1 S2": at least one server, each once; it
// returns them sorted.
func readServers(words []string) ([]raft.NodeID, string) {
	if len(words) == 0 {
		return nil, `expected servers, like "S1 S2 S3", got nothing`
	}
	var ids []raft.NodeID
	for _, w := range words {
		id, msg := lex.Server(w)
		switch {
		case msg != "":
			return nil, msg
		case slices.Contains(ids, id):
			return nil, id.String() + " is listed twice"
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, ""
}

// readLink reads "S1 S2" (both ways) or "S1>S2" (one way).
func readLink(words []string) (l Link, msg string) {
	a, b := "", ""
	switch {
	case len(words) == 2 && words[0] != ">" && words[1] != ">":
		a, b = words[0], words[1]
	case len(words) == 3 && words[1] == ">":
		a, b, l.OneWay = words[0], words[2], true
	default:
		return l, `expected two servers, like "S1 S2" (both ways) or "S1>S2" (one way), got ` + lex.Got(strings.Join(words, " "))
	}
	if l.From, msg = lex.Server(a); msg == "" {
		l.To, msg = lex.Server(b)
	}
	if msg == "" && l.From == l.To {
		msg = "expected two different servers, got " + l.From.String() + " twice"
	}
	return l, msg
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
	scenarioText = textStyle{sep: " ", arrow: " > ", bar: " | "}
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
	words := []string{sp.word}
	for i, v := range sp.values(a) {
		words = append(words, paramText(sp.params[i].Kind, v, t)...)
	}
	return strings.Join(words, t.sep)
}

// paramText writes one argument as words.
func paramText(k Kind, v Value, t textStyle) []string {
	n := strconv.FormatInt(v.N, 10)
	switch k {
	case KindCount:
		if v.N > 1 {
			return []string{n}
		}
	case KindMillis:
		return []string{n}
	case KindRange:
		return []string{n, strconv.FormatInt(v.M, 10)}
	case KindPercent:
		return []string{lex.FormatPerMille(v.N)}
	case KindServer:
		return []string{v.Node.String()}
	case KindKey, KindCommand:
		return []string{strings.ReplaceAll(v.Text, " ", t.sep)}
	case KindReadPath:
		if v.Path != ReadDefault {
			return []string{v.Path.String()}
		}
	case KindMessage:
		m := v.Msg
		if m.ID != 0 {
			return []string{strconv.Itoa(m.ID)}
		}
		words := []string{anyServer(m.From) + t.arrow + anyServer(m.To)}
		if !m.AnyType && t.short && int(m.Type) < len(msgTypeShort) {
			words = append(words, msgTypeShort[m.Type])
		} else if !m.AnyType {
			words = append(words, m.Type.String())
		}
		return words
	case KindAmnesia:
		switch v.Amnesia {
		case AmnesiaVote:
			return []string{"forget-vote"}
		case AmnesiaLogTail:
			return []string{"lose-tail", n}
		}
	case KindLink:
		return []string{formatLink(v.Link, t)}
	case KindGroups:
		return []string{formatGroups(v.Groups, t)}
	case KindServers:
		return []string{formatGroups([][]raft.NodeID{v.Servers}, t)}
	}
	return nil
}

func anyServer(id raft.NodeID) string {
	if id == raft.None {
		return "*"
	}
	return id.String()
}

func formatGroups(groups [][]raft.NodeID, t textStyle) string {
	texts := make([]string, len(groups))
	for i, g := range groups {
		ids := make([]string, len(g))
		for j, id := range g {
			ids[j] = id.String()
		}
		texts[i] = strings.Join(ids, t.sep)
	}
	return strings.Join(texts, t.bar)
}

func formatLink(l Link, t textStyle) string {
	if l.OneWay {
		return l.From.String() + t.arrow + l.To.String()
	}
	return l.From.String() + t.sep + l.To.String()
}

// readActions parses the actions of text, whose first line is line first:
// one per line or several separated by ';', '#' starting a comment. It
// returns them with their lines; at the first that fails, also its line
// and what is wrong.
func readActions(text string, first int) (as []Action, lines []int, bad int, msg string) {
	for _, l := range lex.Lines(text, first) {
		body, _, _ := strings.Cut(l.Text, "#")
		for _, piece := range strings.Split(body, ";") {
			if strings.TrimSpace(piece) == "" {
				continue
			}
			a, msg := parseAction(piece)
			if msg != "" {
				return as, lines, l.N, msg
			}
			as, lines = append(as, a), append(lines, l.N)
		}
	}
	return as, lines, 0, ""
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
	as, lines, bad, msg := readActions(text, first)
	if msg != "" {
		return nil, nil, &ParseError{File: file, Line: bad, Msg: msg}
	}
	return as, lines, nil
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
func EncodeActions(as []Action) string {
	texts := make([]string, len(as))
	for i, a := range as {
		texts[i] = formatAction(a, compactText)
	}
	return strings.Join(texts, ";")
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
	as, _, _, msg := readActions(strings.NewReplacer("+", " ", "~", ">", "/", "|").Replace(s), 1)
	if msg != "" {
		return nil, lex.Errorf("action " + strconv.Itoa(len(as)+1) + ": " + msg)
	}
	return as, nil
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
