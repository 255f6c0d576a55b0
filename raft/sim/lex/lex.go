// Package lex is the one small reader that raftlab's line languages share:
// the action text and the scenario format (raft/sim), the goal language
// (raft/sim/goal), and a chapter's front matter and quizzes
// (site/chapters). Each language keeps its own grammar; this package reads
// their common parts the same way everywhere: lines with their numbers in
// the file, comments, words, servers, numbers, ranges, percentages, term
// lists and "key: value" lines. It uses no fmt or regexp, so it runs in the
// page's WebAssembly module as it does natively.
package lex

import (
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

// Errorf is an Error without a location.
func Errorf(msg string) *Error { return &Error{Msg: msg} }

// Line is one line of a source and its number in the file.
type Line struct {
	N    int
	Text string
}

// bom is the UTF-8 byte-order mark some editors put at the start of a file.
const bom = "\uFEFF"

// Lines splits text into lines numbered from first (1 when first < 1),
// without their line ends ("\n" or "\r\n") and without a byte-order mark at
// the start of the text.
func Lines(text string, first int) []Line {
	first = max(first, 1)
	text = strings.TrimPrefix(text, bom)
	out := make([]Line, 0, strings.Count(text, "\n")+1)
	for n := first; ; n++ {
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

// IsSpace reports whether c separates words: a space, a tab or another
// ASCII control that can end up in pasted text.
func IsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'
}

// Words splits s into words at spaces; each byte of alone is a word of its
// own wherever it is ("S1>S2" with alone ">" is "S1", ">", "S2").
func Words(s, alone string) []string {
	var out []string
	start := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if IsSpace(c) || strings.IndexByte(alone, c) >= 0 {
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
			if !IsSpace(c) {
				out = append(out, s[i:i+1])
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// List splits the inside of a list ("1, 1, 2" or "3 7") at commas and
// spaces.
func List(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
}

// KeyValue cuts "key: value" at its first colon: the key with its words
// joined by one space and in lower case, and the value trimmed.
func KeyValue(line string) (key, value string, ok bool) {
	k, v, ok := strings.Cut(line, ":")
	return strings.ToLower(strings.Join(strings.Fields(k), " ")), strings.TrimSpace(v), ok
}

// Nat parses plain decimal digits (no sign, no spaces) within [lo, hi].
func Nat(s string, lo, hi int64) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && lo <= n && n <= hi
}

// Millis parses milliseconds within [lo, hi]: digits, optionally followed
// by "ms" ("250" or "250ms").
func Millis(s string, lo, hi int64) (int64, bool) {
	if len(s) > 2 && strings.EqualFold(s[len(s)-2:], "ms") {
		s = s[:len(s)-2]
	}
	return Nat(s, lo, hi)
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
	if ok && dot && len(frac) == 1 {
		f, ok = Nat(frac, 0, 9)
	}
	if !ok || dot && len(frac) != 1 {
		if _, digits := Nat(frac, 0, 1<<40); digits && len(frac) > 1 {
			return 0, "expected a percentage with at most one decimal, got " + Got(s)
		}
		return 0, "expected a percentage from 0 to 100 like 2.5, got " + Got(s)
	}
	if w*10+f > 1000 {
		return 0, "expected a percentage from 0 to 100, got " + Got(s)
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
	if len(words) == 1 {
		if a, b, ok := strings.Cut(words[0], "-"); ok {
			parts = []string{a, b}
		}
	} else if len(words) == 3 && words[1] == "-" {
		parts = []string{words[0], words[2]}
	}
	form := "MIN MAX"
	if strings.Contains(example, "-") {
		form = "MIN-MAX"
	}
	bad := "expected " + form + " in milliseconds from " + itoa(lo) + " to " + itoa(hi) +
		", like " + Quote(example) + ", got " + Got(strings.Join(words, " "))
	if len(parts) == 0 || len(parts) > 2 {
		return 0, 0, bad
	}
	a, ok := Millis(parts[0], lo, hi)
	b := a
	if ok && len(parts) == 2 {
		b, ok = Millis(parts[1], lo, hi)
	}
	switch {
	case !ok:
		return 0, 0, bad
	case a > b:
		return 0, 0, "the minimum " + itoa(a) + " is more than the maximum " + itoa(b)
	}
	return a, b, ""
}

// Terms parses a list of terms ("1,1,2") within [lo, hi]; it returns the
// first word that is not one.
func Terms(list string, lo, hi int64) ([]raft.Term, string, bool) {
	var out []raft.Term
	for _, w := range List(list) {
		n, ok := Nat(w, lo, hi)
		if !ok {
			return nil, w, false
		}
		out = append(out, raft.Term(n))
	}
	return out, "", true
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
	b := make([]byte, 0, len(s)+2)
	b = append(b, q)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c == 0x7f {
			c = '?'
		}
		b = append(b, c)
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
