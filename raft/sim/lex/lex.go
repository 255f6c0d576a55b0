// Package lex is the one small reader that raftlab's line languages share:
// the action text and the scenario format (raft/sim), the goal language
// (raft/sim/goal), and a chapter's front matter and quizzes
// (site/chapters). Each language keeps its own grammar; this package reads
// their common parts the same way everywhere, and words its errors once:
// lines with their numbers in the file, comments, words and [...] lists,
// servers, numbers, ranges, percentages, term lists and "key: value"
// lines. It uses no fmt or regexp, so it runs in the page's WebAssembly
// module as it does natively.
package lex

import (
	"slices"
	"strconv"
	"strings"

	"raftlab/raft"
)

// Error is a mistake in a text, located by file and line. File and Line
// may be unknown (empty, 0): a single action typed into a box has neither.
type Error struct {
	File string
	Line int // 1-based
	Msg  string
	// Err, when not nil, is the error Msg says, for errors.As: a reader
	// that words its mistakes in the reader's language finds it there.
	Err error
}

// Error renders "file:line: msg"; without a file "line 4: msg"; without a
// line "file: msg"; with neither just msg.
func (e *Error) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
	case e.File != "":
		return e.File + ": " + e.Msg
	case e.Line > 0:
		return "line " + strconv.Itoa(e.Line) + ": " + e.Msg
	}
	return e.Msg
}

// Unwrap gives Err.
func (e *Error) Unwrap() error { return e.Err }

// Errorf is an Error without a location.
func Errorf(msg string) *Error { return &Error{Msg: msg} }

// Line is one line of a source and its number in the file.
type Line struct {
	N    int
	Text string
}

// Lines splits text into lines numbered from first (1 when first < 1),
// without their line ends ("\n" or "\r\n") and without a byte-order mark at
// the start of the text.
func Lines(text string, first int) []Line {
	text = strings.TrimPrefix(text, "\uFEFF")
	out := make([]Line, 0, strings.Count(text, "\n")+1)
	for n := max(first, 1); ; n++ {
		line, rest, more := strings.Cut(text, "\n")
		out = append(out, Line{N: n, Text: strings.TrimSuffix(line, "\r")})
		if !more {
			return out
		}
		text = rest
	}
}

// CutComment splits s at its comment: a '#' at the start or after a space
// or tab, outside double quotes. It returns the text before it and the
// comment without its '#'.
func CutComment(s string) (body, comment string) {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case '#':
			if !quoted && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t') {
				return s[:i], s[i+1:]
			}
		}
	}
	return s, ""
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'
}

// Words splits s into words at spaces; each byte of alone is a word of its
// own wherever it is ("S1>S2" with alone ">" is "S1", ">", "S2").
func Words(s, alone string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(s); i++ {
		sep := i == len(s) || isSpace(s[i]) || strings.IndexByte(alone, s[i]) >= 0
		if sep && start >= 0 {
			out, start = append(out, s[start:i]), -1
		}
		if i < len(s) && !isSpace(s[i]) && sep {
			out = append(out, s[i:i+1])
		} else if !sep && start < 0 {
			start = i
		}
	}
	return out
}

// Tokens splits s into words at spaces and at the bytes of seps, keeps a
// [...] list one word with its brackets (commas and quoted text inside it
// included), and makes the comparisons =, !=, <, <=, > and >= words of
// their own. It returns what is wrong with an unclosed list.
func Tokens(s, seps string) ([]string, string) {
	var out []string
	for i := 0; i < len(s); {
		j := i + 1
		switch c := s[i]; {
		case isSpace(c) || strings.IndexByte(seps, c) >= 0:
			i++
			continue
		case c == '[':
			for quoted := false; j < len(s) && (quoted || s[j] != ']'); j++ {
				quoted = quoted != (s[j] == '"')
			}
			if j == len(s) {
				return nil, "a list is not closed with ']': " + Quote(s[i:])
			}
			j++
		case strings.IndexByte("<>=!", c) >= 0:
			if j < len(s) && s[j] == '=' {
				j++
			}
		default:
			for j < len(s) && !isSpace(s[j]) && strings.IndexByte(seps, s[j]) < 0 && strings.IndexByte("[<>=!", s[j]) < 0 {
				j++
			}
		}
		out = append(out, s[i:j])
		i = j
	}
	return out, ""
}

// List splits the inside of a list ("1, 1, 2" or "3 7") at commas and
// spaces.
func List(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r < 0x80 && isSpace(byte(r)) })
}

// KeyValue cuts "key: value" at its first colon: the key with its words
// joined by one space and in lower case, and the value trimmed.
func KeyValue(line string) (key, value string, ok bool) {
	k, v, ok := strings.Cut(line, ":")
	return strings.ToLower(strings.Join(strings.Fields(k), " ")), strings.TrimSpace(v), ok
}

// Keys checks the keys of a "key: value" text as they come: each must be
// one of Known, and given once unless it is one of Repeat.
type Keys struct {
	Known, Repeat []string
	lines         map[string]int
}

// Take records key, given on line; it returns what is wrong, or "".
func (k *Keys) Take(key string, line int) string {
	switch prev := k.lines[key]; {
	case !slices.Contains(k.Known, key):
		return "unknown key " + Quote(key) + "; expected one of: " + strings.Join(k.Known, ", ")
	case prev != 0 && !slices.Contains(k.Repeat, key):
		return key + " is already given on line " + strconv.Itoa(prev)
	case prev == 0:
		if k.lines == nil {
			k.lines = map[string]int{}
		}
		k.lines[key] = line
	}
	return ""
}

// Line is the line key was first given on, or 0.
func (k *Keys) Line(key string) int { return k.lines[key] }

// Cursor reads the words of one statement in order, and says what it
// expected against what is left.
type Cursor struct {
	Words []string
	I     int
}

// Peek is the next word in lower case, "" at the end.
func (c *Cursor) Peek() string { return strings.ToLower(c.Raw()) }

// Raw is the next word as written, "" at the end.
func (c *Cursor) Raw() string {
	if c.I < len(c.Words) {
		return c.Words[c.I]
	}
	return ""
}

// Next returns the next word as written and moves past it.
func (c *Cursor) Next() string {
	w := c.Raw()
	c.I = min(c.I+1, len(c.Words))
	return w
}

// Skip moves past the next word if it is w (in any case).
func (c *Cursor) Skip(w string) bool {
	ok := c.Peek() == w
	if ok {
		c.I++
	}
	return ok
}

// Rest is what is left, words joined by a space.
func (c *Cursor) Rest() string { return strings.Join(c.Words[c.I:], " ") }

// Expected says what was expected instead of what is left.
func (c *Cursor) Expected(what string) string { return "expected " + what + ", got " + Got(c.Rest()) }

// Server reads a server (Server).
func (c *Cursor) Server() (raft.NodeID, string) {
	id, msg := Server(c.Raw())
	if msg == "" {
		c.I++
	}
	return id, msg
}

// Number reads a number within [lo, hi] (Number).
func (c *Cursor) Number(lo, hi int64, ms bool) (int64, string) {
	n, msg := Number(c.Raw(), lo, hi, ms)
	if msg == "" {
		c.I++
	}
	return n, msg
}

// Nat parses plain decimal digits (no sign, no spaces) within [lo, hi].
func Nat(s string, lo, hi int64) (int64, bool) {
	if s == "" || len(s) > 18 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && lo <= n && n <= hi
}

// millis parses milliseconds within [lo, hi]: digits, optionally followed
// by "ms" ("250" or "250ms").
func millis(s string, lo, hi int64) (int64, bool) {
	if len(s) > 2 && strings.EqualFold(s[len(s)-2:], "ms") {
		s = s[:len(s)-2]
	}
	return Nat(s, lo, hi)
}

// Number parses a number within [lo, hi] (milliseconds when ms is set),
// and says what was expected otherwise: "expected a number from 1 to 9,
// got "10"".
func Number(tok string, lo, hi int64, ms bool) (int64, string) {
	read, what := Nat, "a number"
	if ms {
		read, what = millis, "milliseconds"
	}
	if n, ok := read(tok, lo, hi); ok {
		return n, ""
	}
	if hi < 1<<40 {
		what += " from " + itoa(lo) + " to " + itoa(hi)
	}
	return 0, "expected " + what + ", got " + Got(tok)
}

// Server parses a server name: S1 to S9, in either case, without a leading
// zero. It returns what is wrong otherwise, ready to follow "what: ".
func Server(tok string) (raft.NodeID, string) {
	if len(tok) >= 2 && (tok[0] == 'S' || tok[0] == 's') {
		if n, ok := Nat(tok[1:], 0, 1<<40); ok {
			if n >= 1 && n <= raft.MaxNodes && tok[1] != '0' {
				return raft.NodeID(n), ""
			}
			return 0, "no server " + Quote(tok) + "; servers are S1 to S" + strconv.Itoa(raft.MaxNodes)
		}
	}
	return 0, "expected a server like S2, got " + Got(tok)
}

// ServerOrAny is Server that also takes "*" for any server (raft.None).
func ServerOrAny(tok string) (raft.NodeID, string) {
	if tok == "*" {
		return raft.None, ""
	}
	id, msg := Server(tok)
	if id == raft.None && strings.HasPrefix(msg, "expected") {
		msg = "expected a server like S2 or *, got " + Got(tok)
	}
	return id, msg
}

// PerMille parses a percentage with at most one decimal ("2.5", "2.5%",
// "100") into per mille.
func PerMille(s string) (int64, string) {
	whole, frac, dot := strings.Cut(strings.TrimSuffix(s, "%"), ".")
	w, ok := Nat(whole, 0, 100)
	f := int64(0)
	if ok && dot {
		f, ok = Nat(frac, 0, 9)
		ok = ok && len(frac) == 1
	}
	switch _, digits := Nat(frac, 0, 1<<40); {
	case !ok && digits && len(frac) > 1:
		return 0, "expected a percentage with at most one decimal, got " + Got(s)
	case !ok || w*10+f > 1000:
		return 0, "expected a percentage from 0 to 100 like 2.5, got " + Got(s)
	}
	return w*10 + f, ""
}

// FormatPerMille writes per mille as a percentage without the sign: 25 is
// "2.5", 70 is "7".
func FormatPerMille(p int64) string {
	s := strconv.FormatInt(p/10, 10)
	if p%10 != 0 {
		s += "." + strconv.FormatInt(p%10, 10)
	}
	return s
}

// Range parses milliseconds "MIN MAX", "MIN-MAX", "MIN - MAX" or one "N"
// (MIN = MAX = N) within [lo, hi]; example shows the expected form in the
// message, and its dash or space names the form.
func Range(words []string, lo, hi int64, example string) (int64, int64, string) {
	parts := words
	if len(words) == 1 && strings.Contains(words[0], "-") {
		parts = strings.SplitN(words[0], "-", 2)
	} else if len(words) == 3 && words[1] == "-" {
		parts = []string{words[0], words[2]}
	}
	form := "MIN MAX"
	if strings.Contains(example, "-") {
		form = "MIN-MAX"
	}
	ok := len(parts) == 1 || len(parts) == 2
	var a, b int64
	if ok {
		a, ok = millis(parts[0], lo, hi)
		b = a
	}
	if ok && len(parts) == 2 {
		b, ok = millis(parts[1], lo, hi)
	}
	switch {
	case !ok:
		return 0, 0, "expected " + form + " in milliseconds from " + itoa(lo) + " to " + itoa(hi) +
			", like " + Quote(example) + ", got " + Got(strings.Join(words, " "))
	case a > b:
		return 0, 0, "the minimum " + itoa(a) + " is more than the maximum " + itoa(b)
	}
	return a, b, ""
}

// Terms parses a list of terms ("1,1,2", or "[1,1,2]" with its brackets)
// within [lo, hi]; it returns what is wrong otherwise.
func Terms(list string, lo, hi int64) ([]raft.Term, string) {
	list = strings.TrimSuffix(strings.TrimPrefix(list, "["), "]")
	out := []raft.Term{}
	for _, w := range List(list) {
		n, ok := Nat(w, lo, hi)
		if !ok {
			return nil, "expected the entries' terms, numbers from " + itoa(lo) + " like [1,1,2], got " + Got(w)
		}
		out = append(out, raft.Term(n))
	}
	return out, ""
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Quote puts s between double quotes as it is (backslash escapes would
// confuse an author), or between single quotes when it holds a double
// quote; control characters are shown as '?'.
func Quote(s string) string {
	q := byte('"')
	if strings.IndexByte(s, '"') >= 0 && strings.IndexByte(s, '\'') < 0 {
		q = '\''
	}
	b := append(make([]byte, 0, len(s)+2), q)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c == 0x7f {
			b = append(b, '?')
		} else {
			b = append(b, c)
		}
	}
	return string(append(b, q))
}

// Got renders what was found for "expected X, got Y": quoted, or
// "nothing".
func Got(s string) string {
	if strings.TrimSpace(s) == "" {
		return "nothing"
	}
	return Quote(s)
}
