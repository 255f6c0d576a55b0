package goal

import (
	"slices"
	"strconv"
	"strings"

	"raftlab/raft"
	"raftlab/raft/sim"
	"raftlab/raft/sim/lex"
)

// Goal is one parsed goal.
type Goal struct {
	// Text is the goal as written, without its comment, spaces trimmed.
	Text string
	// Comment is the text after '#', trimmed; a chapter shows it as the
	// goal's words.
	Comment string
	// Line is the goal's line in its file.
	Line int

	mode  mode
	event bool   // an event condition (the goal has exactly one cond)
	conds []cond // all must hold at one moment
}

// Bound reports whether g is a "never" goal (see the package doc).
func (g Goal) Bound() bool { return g.mode == modeNever }

// Violation reports whether g is "ever violation [PROPERTY]", and which
// property it names (0: any).
func (g Goal) Violation() (sim.Property, bool) {
	if g.mode != modeEver || len(g.conds) != 1 || g.conds[0].pred.word != "violation" {
		return 0, false
	}
	return g.conds[0].prop, true
}

type mode uint8

const (
	modeNow mode = iota
	modeEver
	modeNever
)

// cmpOp is a comparison as written: "=" (or ""), ">=", "<=", ">", "<".
type cmpOp string

var cmpWords = []string{"=", ">=", "<=", ">", "<"}

func (c cmpOp) test(a, b uint64) bool {
	switch c {
	case ">=":
		return a >= b
	case "<=":
		return a <= b
	case ">":
		return a > b
	case "<":
		return a < b
	}
	return a == b
}

type subjKind uint8

const (
	subjNone subjKind = iota // events without a server
	subjServer
	subjAny
	subjAll
	subjNo
	subjMajority
	subjAtLeast
)

var subjWords = map[string]subjKind{"any": subjAny, "all": subjAll, "no": subjNo, "majority": subjMajority}

type subject struct {
	kind  subjKind
	id    raft.NodeID
	count int
}

// cond is one condition: a predicate and what the goal gives it. Which
// fields matter depends on the predicate.
type cond struct {
	pred *predicate
	subj subject

	role raft.Role
	cmp  cmpOp
	n    uint64 // compared with cmp

	hasTerm bool // a "term CMP N" qualifier (roles, stepped-down) or "term T" (entries)
	termCmp cmpOp
	term    uint64

	other      raft.NodeID // voted-for, log =
	voters     []raft.NodeID
	terms      []raft.Term
	index      raft.Index
	hasIndex   bool
	notApplied bool
	code       raft.ReasonCode
	key, value string
	missing    bool
	path       sim.ReadPath
	prop       sim.Property
}

// Words lists every word of the language, for documentation and its tests.
func Words() []string {
	w := []string{"ever", "never", "and", "any", "all", "no", "majority", "servers", "entry", "not-applied", "missing",
		"local", "read-index", "lease"}
	for _, p := range predicates {
		w = append(w, p.word)
	}
	return append(w, sim.PropertyKeys()...)
}

// Parse parses goals, one per line. text's first line is line firstLine of
// file, and errors are *sim.ParseError with file's line:
//
//	chapter.md:12: unknown goal "S2 leeder"; expected after S2 one of: leader, …
func Parse(file string, firstLine int, text string) ([]Goal, error) {
	var out []Goal
	for _, l := range lex.Lines(text, firstLine) {
		body, comment, _ := strings.Cut(l.Text, "#")
		body = strings.Join(strings.Fields(body), " ")
		if body == "" {
			continue
		}
		g, msg := parseGoal(body)
		if msg != "" {
			return nil, &sim.ParseError{File: file, Line: l.N, Msg: msg}
		}
		g.Text, g.Comment, g.Line = body, strings.TrimSpace(comment), l.N
		out = append(out, g)
	}
	return out, nil
}

// MustParse is Parse for goals known to be valid (tests); it panics on an
// error.
func MustParse(text string) []Goal {
	gs, err := Parse("", 1, text)
	if err != nil {
		panic(err)
	}
	return gs
}

func parseGoal(body string) (Goal, string) {
	var g Goal
	ws, msg := lex.Tokens(body, "")
	if msg != "" {
		return g, msg
	}
	if k := slices.Index([]string{"", "ever", "never"}, strings.ToLower(ws[0])); k > 0 {
		g.mode, ws = mode(k), ws[1:]
	}
	if len(ws) == 0 {
		return g, "unknown goal " + lex.Quote(body) + "; expected a condition after " + lex.Quote(strings.ToLower(body))
	}
	for len(ws) > 0 {
		end := slices.IndexFunc(ws, func(w string) bool { return strings.EqualFold(w, "and") })
		if end < 0 {
			end = len(ws)
		}
		if end == 0 || end == len(ws)-1 {
			return g, `"and" joins two conditions; one is missing in ` + lex.Quote(body)
		}
		c, msg := parseCond(&condParser{Cursor: lex.Cursor{Words: ws[:end]}, goal: body})
		if msg != "" {
			return g, msg
		}
		g.conds, ws = append(g.conds, c), ws[min(end+1, len(ws)):]
	}
	for _, c := range g.conds {
		switch {
		case !c.pred.event:
		case len(g.conds) > 1:
			return g, `"and" joins only conditions on the state; ` + lex.Quote(c.pred.word) +
				" is something that happens: give it a goal of its own"
		case g.mode == modeNow:
			return g, lex.Quote(body) + " is something that happens: write " + lex.Quote("ever "+body) +
				" or " + lex.Quote("never "+body)
		default:
			g.event = true
		}
	}
	return g, ""
}

// condParser walks the words of one condition.
type condParser struct {
	lex.Cursor
	goal string // the whole goal, for messages
}

// cmpNumber reads "[CMP] N".
func (p *condParser) cmpNumber(what string) (cmpOp, uint64, string) {
	op := cmpOp("=")
	if slices.Contains(cmpWords, p.Peek()) {
		op = cmpOp(p.Next())
	}
	n, ok := lex.Nat(p.Raw(), 0, maxNumber)
	if !ok {
		return op, 0, what + ": " + p.Expected("a number (after one of = >= <= > < if you like)")
	}
	p.Next()
	return op, uint64(n), ""
}

// number reads a plain N.
func (p *condParser) number(what string) (uint64, string) {
	n, msg := p.Number(0, maxNumber, false)
	if msg != "" {
		return 0, what + ": " + msg
	}
	return uint64(n), ""
}

const maxNumber = 1 << 53

// entryRef reads "I [term T]" after the word "entry"; what names the
// goal's words in a message.
func (p *condParser) entryRef(c *cond, what string) string {
	n, msg := p.number(what)
	if msg != "" {
		return msg
	}
	c.index, c.hasIndex = raft.Index(n), true
	if p.Skip("term") {
		c.hasTerm = true
		c.term, msg = p.number(what + " " + strconv.FormatUint(n, 10) + " term")
	}
	return msg
}

// termQualifier reads an optional "term CMP N".
func (p *condParser) termQualifier(c *cond, what string) (msg string) {
	if p.Skip("term") {
		c.hasTerm = true
		c.termCmp, c.term, msg = p.cmpNumber(what + " term")
	}
	return msg
}

func parseCond(p *condParser) (cond, string) {
	var c cond
	first := p.Peek()
	switch {
	case subjWords[first] != 0:
		p.Next()
		c.subj.kind = subjWords[first]
	case len(first) >= 2 && first[0] == 's' && first[1] >= '0' && first[1] <= '9':
		id, msg := p.Server()
		if msg != "" {
			return c, msg
		}
		c.subj = subject{kind: subjServer, id: id}
	case first != "" && first[0] >= '0' && first[0] <= '9':
		n, msg := p.Number(1, raft.MaxNodes, false)
		if msg != "" {
			return c, msg
		}
		if w := p.Next(); !strings.EqualFold(w, "servers") && !strings.EqualFold(w, "server") {
			return c, `expected "servers" after ` + first + `, like "3 servers have entry 2", got ` + lex.Got(w)
		}
		c.subj = subject{kind: subjAtLeast, count: int(n)}
	}
	pred := lookup(p, c.subj.kind != subjNone)
	switch {
	case pred == nil && c.subj.kind == subjNone:
		return c, "unknown goal " + lex.Quote(p.goal) + "; expected one of: " + firstWords()
	case pred == nil:
		return c, "unknown goal " + lex.Quote(p.goal) + "; expected after " + lex.Quote(strings.Join(p.Words[:p.I], " ")) +
			" one of: " + afterSubjectWords()
	case c.subj.kind == subjNone && pred.needs != "":
		return c, pred.word + ": expected a server before it, like " + lex.Quote(pred.needs)
	case c.subj.kind != subjNone && c.subj.kind != subjServer && pred.event:
		return c, lex.Quote(p.goal) + ": only a server (S1 to S9) can come before " + lex.Quote(pred.word) +
			"; it is something that happens to one server"
	}
	c.pred = pred
	p.Next() // the predicate's first word; its parse reads the rest
	if msg := pred.parse(p, &c); msg != "" {
		return c, msg
	}
	if p.Raw() != "" {
		return c, "unexpected " + lex.Got(p.Rest()) + " at the end of " + lex.Quote(p.goal)
	}
	return c, ""
}

// lookup finds the predicate the next words name among those that may
// follow a subject (or stand without one): a two-word name ("applied
// entry") before a one-word name, and a one-word name before the first word
// of a longer one.
func lookup(p *condParser, subject bool) *predicate {
	one, two := p.Peek(), p.Peek()
	if p.I+1 < len(p.Words) {
		two += " " + strings.ToLower(p.Words[p.I+1])
	}
	var byFirst, byOne *predicate
	for i := range predicates {
		pr := &predicates[i]
		if subject && pr.event && !pr.server || !subject && !pr.alone && pr.needs == "" {
			continue
		}
		first, _, _ := strings.Cut(pr.word, " ")
		switch {
		case pr.word == two:
			return pr
		case pr.word == one || pr.alias == one:
			byOne = pr
		case first == one && byFirst == nil:
			byFirst = pr
		}
	}
	if byOne != nil {
		return byOne
	}
	return byFirst
}

// firstWords is what a goal may start with.
func firstWords() string {
	ws := []string{"ever", "never", "a server (S1 to S9)", "any", "all", "no", "majority", "N servers"}
	for _, p := range predicates {
		if p.alone {
			ws = append(ws, p.word)
		}
	}
	return strings.Join(ws, ", ")
}

// afterSubjectWords is what may follow a subject.
func afterSubjectWords() string {
	var ws []string
	for _, p := range predicates {
		if !p.event || p.server {
			ws = append(ws, p.word)
		}
	}
	return strings.Join(ws, ", ")
}
