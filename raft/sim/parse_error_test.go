package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseErrorError(t *testing.T) {
	tests := []struct {
		name string
		err  ParseError
		want string
	}{
		{"file and line", ParseError{File: "chapter3.md", Line: 12, Msg: "server S4: the cluster has only 3 nodes"},
			"chapter3.md:12: server S4: the cluster has only 3 nodes"},
		{"line only", ParseError{Line: 4, Msg: `unknown key "nodez"`}, `line 4: unknown key "nodez"`},
		{"file only", ParseError{File: "url", Msg: "bad"}, "url: bad"},
		{"neither", ParseError{Msg: "next: bad"}, "next: bad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.err.Error())
		})
	}
}

func TestPeQuote(t *testing.T) {
	assert.Equal(t, `"a b"`, peQuote("a b"))
	assert.Equal(t, `"a?b"`, peQuote("a\x00b"))
	assert.Equal(t, `'say "hi"'`, peQuote(`say "hi"`))
	assert.Equal(t, `"it's "x""`, peQuote(`it's "x"`))
}
