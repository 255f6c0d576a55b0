package sim

import (
	"strconv"
	"strings"
)

// ParseError is an error in scenario or action text. File and Line locate
// it (Line is 1-based; 0 means the text is a single action or the line is
// unknown), Msg says what was found and what was expected.
type ParseError struct {
	File string
	Line int
	Msg  string
}

// Error renders the error as "file:line: msg". Without a file it reads
// "line 4: msg"; without a line, "file: msg"; with neither, just msg.
func (e *ParseError) Error() string {
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

// peErr builds a ParseError with no location.
func peErr(msg string) *ParseError { return &ParseError{Msg: msg} }

// peQuote quotes s for an error message. Backslash escapes would confuse a
// tutorial author, so s is put between double quotes as it is, or between
// single quotes when it holds a double quote; control characters (which
// cannot be typed into a line) are shown as '?'.
func peQuote(s string) string {
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

// peGot renders what was found for "expected X, got Y": quoted, or
// "nothing".
func peGot(s string) string {
	if strings.TrimSpace(s) == "" {
		return "nothing"
	}
	return peQuote(s)
}
