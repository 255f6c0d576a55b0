package goal

import (
	"strconv"
	"strings"

	"raftlab/raft"
	"raftlab/raft/sim"
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

type mode uint8

const (
	modeNow mode = iota
	modeEver
	modeNever
)

type cmpOp uint8

const (
	cmpEq cmpOp = iota
	cmpGe
	cmpLe
	cmpGt
	cmpLt
)

var cmpWords = [...]string{"=", ">=", "<=", ">", "<"}

func (c cmpOp) test(a, b uint64) bool {
	switch c {
	case cmpGe:
		return a >= b
	case cmpLe:
		return a <= b
	case cmpGt:
		return a > b
	case cmpLt:
		return a < b
	}
	return a == b
}

type kind uint8

const (
	// State predicates.
	kRole kind = iota
	kUp
	kDown
	kTerm
	kVotedFor
	kVotes
	kLogTerms
	kLogEqual
	kLogLength
	kHasEntry
	kCommit
	kApplied
	// Events.
	kSteppedDown
	kReason
	kRead
	kAppliedEntry
	kViolation
	kSplitVote
	kOverwritten
)

func (k kind) isEvent() bool { return k >= kSteppedDown }

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

type subject struct {
	kind  subjKind
	id    raft.NodeID
	count int
}

// cond is one condition. Which fields matter depends on kind.
type cond struct {
	kind kind
	subj subject

	role raft.Role
	cmp  cmpOp
	n    uint64 // compared with cmp

	hasTerm bool // a "term CMP N" qualifier (roles, stepped-down) or "term T" (entries)
	termCmp cmpOp
	term    uint64

	other      raft.NodeID // voted-for, log =
	terms      []raft.Term
	index      raft.Index
	hasIndex   bool
	notApplied bool
	code       raft.ReasonCode
	key, value string
	missing    bool
	prop       sim.Property
}

// stateWords are the predicates after a subject, in the order errors list
// them; eventWords follow a server or stand alone.
var stateWords = []string{"leader", "candidate", "follower", "up", "down", "term", "voted-for", "votes",
	"log", "log-length", "has", "commit", "applied"}

var eventWords = []string{"stepped-down", "reason", "read", "applied entry", "violation", "split-vote", "overwritten"}

var propertyNames = [...]string{"", "election-safety", "leader-append-only", "log-matching",
	"leader-completeness", "state-machine-safety"}

// Words lists every word of the language, for documentation and its tests.
func Words() []string {
	w := []string{"ever", "never", "and", "any", "all", "no", "majority", "servers"}
	w = append(w, stateWords...)
	w = append(w, "entry", "not-applied", "stepped-down", "reason", "read", "missing", "violation",
		"split-vote", "overwritten")
	return append(w, propertyNames[1:]...)
}

// firstWords is what a goal may start with.
const firstWords = "ever, never, a server (S1 to S9), any, all, no, majority, N servers, " +
	"reason, applied entry, violation, split-vote, overwritten"

// Parse parses goals, one per line. text's first line is line firstLine of
// file, and errors are *sim.ParseError with file's line:
//
//	chapter.md:12: unknown goal "S2 leeder"; expected after S2 one of: leader, …
func Parse(file string, firstLine int, text string) ([]Goal, error) {
	if firstLine < 1 {
		firstLine = 1
	}
	var out []Goal
	for i, raw := range strings.Split(text, "\n") {
		line := firstLine + i
		body, comment, _ := strings.Cut(strings.TrimRight(raw, "\r"), "#")
		body = strings.Join(strings.Fields(body), " ")
		if body == "" {
			continue
		}
		g, msg := parseGoal(body)
		if msg != "" {
			return nil, &sim.ParseError{File: file, Line: line, Msg: msg}
		}
		g.Text, g.Comment, g.Line = body, strings.TrimSpace(comment), line
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

// tokens splits s into words; comparison operators and [...] lists are
// tokens of their own even without spaces around them.
func tokens(s string) []string {
	var out []string
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '[':
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				out = append(out, s[i:])
				return out
			}
			out = append(out, s[i:i+j+1])
			i += j + 1
		case c == '>' || c == '<' || c == '=' || c == '!':
			j := i + 1
			if j < len(s) && s[j] == '=' {
				j++
			}
			out = append(out, s[i:j])
			i = j
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t[<>=!", rune(s[j])) {
				j++
			}
			out = append(out, s[i:j])
			i = j
		}
	}
	return out
}

func quote(s string) string { return `"` + s + `"` }

func parseGoal(body string) (Goal, string) {
	toks := tokens(body)
	var g Goal
	switch strings.ToLower(toks[0]) {
	case "ever":
		g.mode = modeEver
		toks = toks[1:]
	case "never":
		g.mode = modeNever
		toks = toks[1:]
	}
	if len(toks) == 0 {
		return g, "unknown goal " + quote(body) + "; expected a condition after " + quote(strings.ToLower(body))
	}
	// Split at "and".
	var parts [][]string
	start := 0
	for i, t := range toks {
		if strings.EqualFold(t, "and") {
			parts = append(parts, toks[start:i])
			start = i + 1
		}
	}
	parts = append(parts, toks[start:])
	for _, p := range parts {
		if len(p) == 0 {
			return g, `"and" joins two conditions; one is missing in ` + quote(body)
		}
		c, msg := parseCond(p, body)
		if msg != "" {
			return g, msg
		}
		g.conds = append(g.conds, c)
	}
	for _, c := range g.conds {
		if c.kind.isEvent() {
			if len(g.conds) > 1 {
				return g, `"and" joins only conditions on the state; ` + quote(strings.Join(condText(c), " ")) +
					" is something that happens: give it a goal of its own"
			}
			if g.mode == modeNow {
				return g, quote(body) + " is something that happens: write " + quote("ever "+body) +
					" or " + quote("never "+body)
			}
			g.event = true
		}
	}
	return g, ""
}

// condText is only used in messages: the tokens of a condition are not kept,
// so it names the kind.
func condText(c cond) []string {
	for _, w := range eventWords {
		if eventKind(w) == c.kind {
			return []string{w}
		}
	}
	return []string{"condition"}
}

func eventKind(w string) kind {
	switch w {
	case "stepped-down":
		return kSteppedDown
	case "reason":
		return kReason
	case "read":
		return kRead
	case "applied entry":
		return kAppliedEntry
	case "violation":
		return kViolation
	case "split-vote":
		return kSplitVote
	case "overwritten":
		return kOverwritten
	}
	return kRole
}

// parseServer parses S1 to S9 (any case).
func parseServer(tok string) (raft.NodeID, bool) {
	if len(tok) != 2 || (tok[0] != 'S' && tok[0] != 's') || tok[1] < '1' || tok[1] > '9' {
		return 0, false
	}
	return raft.NodeID(tok[1] - '0'), true
}

func looksLikeServer(tok string) bool {
	return len(tok) >= 2 && (tok[0] == 'S' || tok[0] == 's') && tok[1] >= '0' && tok[1] <= '9'
}

const maxNumber = 1 << 53

func parseNat(tok string) (uint64, bool) {
	if tok == "" || len(tok) > 16 {
		return 0, false
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] < '0' || tok[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(tok, 10, 64)
	return n, err == nil && n <= maxNumber
}

// condParser walks the tokens of one condition.
type condParser struct {
	toks []string
	i    int
	goal string // the whole goal, for messages
}

func (p *condParser) peek() string {
	if p.i < len(p.toks) {
		return strings.ToLower(p.toks[p.i])
	}
	return ""
}

func (p *condParser) next() string {
	t := p.peek()
	if p.i < len(p.toks) {
		p.i++
	}
	return t
}

func (p *condParser) raw() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

func (p *condParser) got() string {
	if p.i >= len(p.toks) {
		return "nothing"
	}
	return quote(strings.Join(p.toks[p.i:], " "))
}

// cmpNumber parses "[CMP] N".
func (p *condParser) cmpNumber(what string) (cmpOp, uint64, string) {
	op := cmpEq
	t := p.peek()
	for i, w := range cmpWords {
		if t == w {
			op = cmpOp(i)
			p.next()
			break
		}
	}
	if t == "!=" || t == "!" {
		return 0, 0, what + ": expected one of = >= <= > < and a number, got " + p.got()
	}
	n, ok := parseNat(p.peek())
	if !ok {
		return 0, 0, what + ": expected a number (after one of = >= <= > < if you like), got " + p.got()
	}
	p.next()
	return op, n, ""
}

// number parses a plain N.
func (p *condParser) number(what string) (uint64, string) {
	n, ok := parseNat(p.peek())
	if !ok {
		return 0, what + ": expected a number, got " + p.got()
	}
	p.next()
	return n, ""
}

func (p *condParser) server(what string) (raft.NodeID, string) {
	id, ok := parseServer(p.peek())
	if !ok {
		return 0, what + ": expected a server like S2, got " + p.got()
	}
	p.next()
	return id, ""
}

// entryRef reads "I [term T]" after the word "entry" into c; what names
// the goal's words in a message.
func (p *condParser) entryRef(c *cond, what string) string {
	n, msg := p.number(what)
	if msg != "" {
		return msg
	}
	c.index, c.hasIndex = raft.Index(n), true
	if p.peek() == "term" {
		p.next()
		c.hasTerm = true
		c.term, msg = p.number(what + " " + strconv.FormatUint(n, 10) + " term")
	}
	return msg
}

func (p *condParser) end() string {
	if p.i < len(p.toks) {
		return "unexpected " + p.got() + " at the end of " + quote(p.goal)
	}
	return ""
}

func parseCond(toks []string, goal string) (cond, string) {
	p := &condParser{toks: toks, goal: goal}
	var c cond
	first := p.peek()
	switch {
	case first == "any" || first == "all" || first == "no" || first == "majority":
		p.next()
		c.subj.kind = map[string]subjKind{"any": subjAny, "all": subjAll, "no": subjNo, "majority": subjMajority}[first]
	case looksLikeServer(first):
		id, ok := parseServer(first)
		if !ok {
			return c, "no server " + quote(p.raw()) + "; servers are S1 to S9"
		}
		p.next()
		c.subj = subject{kind: subjServer, id: id}
	case first != "" && first[0] >= '0' && first[0] <= '9':
		n, ok := parseNat(first)
		if !ok || n < 1 || n > raft.MaxNodes {
			return c, "expected a number of servers from 1 to 9, got " + quote(p.raw())
		}
		p.next()
		if w := p.next(); w != "servers" && w != "server" {
			return c, `expected "servers" after ` + first + `, like "3 servers have entry 2", got ` + quote(w)
		}
		c.subj = subject{kind: subjAtLeast, count: int(n)}
	default:
		// A condition without a subject: an event.
		return parseEvent(p, c, true)
	}
	return parsePredicate(p, c)
}

func parsePredicate(p *condParser, c cond) (cond, string) {
	subjText := strings.Join(p.toks[:p.i], " ")
	w := p.peek()
	var msg string
	switch w {
	case "leader", "candidate", "follower":
		p.next()
		c.kind = kRole
		c.role = map[string]raft.Role{"leader": raft.Leader, "candidate": raft.Candidate, "follower": raft.Follower}[w]
		if p.peek() == "term" {
			p.next()
			c.hasTerm = true
			c.termCmp, c.term, msg = p.cmpNumber(w + " term")
		}
	case "up", "down":
		p.next()
		c.kind = kUp
		if w == "down" {
			c.kind = kDown
		}
	case "term":
		p.next()
		c.kind = kTerm
		c.cmp, c.n, msg = p.cmpNumber("term")
	case "voted-for":
		p.next()
		c.kind = kVotedFor
		if p.peek() == "none" {
			p.next()
		} else {
			c.other, msg = p.server("voted-for")
		}
	case "votes":
		p.next()
		c.kind = kVotes
		c.cmp, c.n, msg = p.cmpNumber("votes")
	case "log":
		p.next()
		switch t := p.peek(); {
		case t == "=":
			p.next()
			c.kind = kLogEqual
			c.other, msg = p.server("log =")
		case strings.HasPrefix(t, "["):
			p.next()
			c.kind = kLogTerms
			c.terms, msg = parseTerms(t)
		default:
			msg = `log: expected the entries' terms like [1,1,2] or "= S1", got ` + p.got()
		}
	case "log-length":
		p.next()
		c.kind = kLogLength
		c.cmp, c.n, msg = p.cmpNumber("log-length")
	case "has", "have":
		p.next()
		c.kind = kHasEntry
		if p.peek() != "entry" {
			return c, w + `: expected "entry I", like "has entry 2 term 2", got ` + p.got()
		}
		p.next()
		if msg = p.entryRef(&c, "entry"); msg == "" && p.peek() == "not-applied" {
			p.next()
			c.notApplied = true
		}
	case "commit":
		p.next()
		c.kind = kCommit
		c.cmp, c.n, msg = p.cmpNumber("commit")
	case "applied":
		if p.i+1 < len(p.toks) && strings.EqualFold(p.toks[p.i+1], "entry") {
			return parseEvent(p, c, false)
		}
		p.next()
		c.kind = kApplied
		c.cmp, c.n, msg = p.cmpNumber("applied")
	case "stepped-down", "reason", "read":
		return parseEvent(p, c, false)
	default:
		return c, "unknown goal " + quote(p.goal) + "; expected after " + quote(subjText) + " one of: " +
			strings.Join(stateWords, ", ") + ", stepped-down, reason, read, applied entry"
	}
	if msg != "" {
		return c, msg
	}
	return c, p.end()
}

func parseTerms(t string) ([]raft.Term, string) {
	if !strings.HasSuffix(t, "]") {
		return nil, "log: a list is not closed with ']': " + quote(t)
	}
	inner := t[1 : len(t)-1]
	var terms []raft.Term
	for _, f := range strings.FieldsFunc(inner, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		n, ok := parseNat(f)
		if !ok || n == 0 {
			return nil, "log: expected the entries' terms, numbers from 1 like [1,1,2], got " + quote(f)
		}
		terms = append(terms, raft.Term(n))
	}
	return terms, ""
}

// parseEvent parses an event condition; alone is true when there is no
// subject before it.
func parseEvent(p *condParser, c cond, alone bool) (cond, string) {
	if !alone && c.subj.kind != subjServer {
		return c, quote(p.goal) + ": only a server (S1 to S9) can come before " + quote(p.peek()) +
			"; it is something that happens to one server"
	}
	if alone {
		c.subj.kind = subjNone
	}
	w := p.next()
	var msg string
	switch w {
	case "stepped-down":
		if alone {
			return c, `stepped-down: expected a server before it, like "ever S1 stepped-down term >= 3"`
		}
		c.kind = kSteppedDown
		if p.peek() == "term" {
			p.next()
			c.hasTerm = true
			c.termCmp, c.term, msg = p.cmpNumber("stepped-down term")
		}
	case "reason":
		c.kind = kReason
		name := p.next()
		code, ok := raft.ReasonCodeByName(name)
		if !ok || code == raft.ReasonNone {
			return c, "reason: unknown reason " + quote(name) + "; expected one of: " + reasonList()
		}
		c.code = code
	case "read":
		if alone {
			return c, `read: expected a server before it, like "ever S2 read x missing"`
		}
		c.kind = kRead
		c.key = p.raw()
		if c.key == "" {
			return c, `read: expected a key, like "read x missing" or "read x = 3", got nothing`
		}
		p.next()
		switch p.peek() {
		case "missing":
			p.next()
			c.missing = true
		case "=":
			p.next()
			c.value = p.raw()
			if c.value == "" {
				return c, "read " + c.key + " =: expected a value, got nothing"
			}
			p.next()
		default:
			return c, "read " + c.key + `: expected "missing" or "= VALUE", got ` + p.got()
		}
	case "applied":
		c.kind = kAppliedEntry
		if p.peek() != "entry" {
			return c, `applied: expected "entry I", like "ever applied entry 2 term 2", got ` + p.got()
		}
		p.next()
		msg = p.entryRef(&c, "applied entry")
	case "violation":
		c.kind = kViolation
		if t := p.peek(); t != "" {
			found := false
			for i, name := range propertyNames {
				if i > 0 && t == name {
					c.prop, found = sim.Property(i), true
				}
			}
			if !found {
				return c, "violation: unknown property " + quote(p.raw()) + "; expected one of: " +
					strings.Join(propertyNames[1:], ", ")
			}
			p.next()
		}
	case "split-vote":
		c.kind = kSplitVote
	case "overwritten":
		c.kind = kOverwritten
		if p.peek() == "entry" {
			p.next()
			msg = p.entryRef(&c, "overwritten entry")
		}
	default:
		return c, "unknown goal " + quote(p.goal) + "; expected one of: " + firstWords
	}
	if msg != "" {
		return c, msg
	}
	return c, p.end()
}

func reasonList() string {
	var names []string
	for code := raft.ReasonCode(1); ; code++ {
		name := code.String()
		if _, ok := raft.ReasonCodeByName(name); !ok {
			break
		}
		names = append(names, name)
	}
	return strings.Join(names, ", ")
}
