package lex

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"raftlab/raft"
)

func TestErrorError(t *testing.T) {
	tests := []struct {
		name string
		err  Error
		want string
	}{
		{"file and line", Error{File: "chapter3.md", Line: 12, Msg: "server S4: the cluster has only 3 nodes"},
			"chapter3.md:12: server S4: the cluster has only 3 nodes"},
		{"line only", Error{Line: 4, Msg: `unknown key "nodez"`}, `line 4: unknown key "nodez"`},
		{"file only", Error{File: "url", Msg: "bad"}, "url: bad"},
		{"neither", Error{Msg: "next: bad"}, "next: bad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.err.Error())
		})
	}
}

func TestQuote(t *testing.T) {
	assert.Equal(t, `"a b"`, Quote("a b"))
	assert.Equal(t, `"a?b"`, Quote("a\x00b"))
	assert.Equal(t, `'say "hi"'`, Quote(`say "hi"`))
	assert.Equal(t, `"it's "x""`, Quote(`it's "x"`))
	assert.Equal(t, "nothing", Got(" \t"))
}

// One spelling of servers everywhere: S1 to S9, either case, no leading
// zero, no sign.
func TestServer(t *testing.T) {
	for _, tok := range []string{"S1", "s9", "S5"} {
		id, msg := Server(tok)
		assert.Empty(t, msg, tok)
		assert.Equal(t, raft.NodeID(tok[1]-'0'), id, tok)
	}
	for tok, want := range map[string]string{
		"S0":  `no server "S0"; servers are S1 to S9`,
		"S10": `no server "S10"; servers are S1 to S9`,
		"S01": `no server "S01"; servers are S1 to S9`,
		"S+1": `expected a server like S2, got "S+1"`,
		"1":   `expected a server like S2, got "1"`,
		"":    `expected a server like S2, got nothing`,
		"X1":  `expected a server like S2, got "X1"`,
	} {
		_, msg := Server(tok)
		assert.Equal(t, want, msg, tok)
	}
	id, msg := ServerOrAny("*")
	assert.Equal(t, raft.None, id)
	assert.Empty(t, msg)
	_, msg = ServerOrAny("x")
	assert.Equal(t, `expected a server like S2 or *, got "x"`, msg)
}

func TestLinesStripByteOrderMarkAndLineEnds(t *testing.T) {
	assert.Equal(t, []Line{{N: 3, Text: "nodes: 3"}, {N: 4, Text: "seed: 1"}, {N: 5, Text: ""}},
		Lines("\uFEFFnodes: 3\r\nseed: 1\n", 3))
	assert.Equal(t, []Line{{N: 1, Text: "x"}}, Lines("x", 0))
}

func TestNumbers(t *testing.T) {
	n, ok := Nat("0042", 0, 100)
	assert.True(t, ok)
	assert.Equal(t, int64(42), n)
	for _, bad := range []string{"", "-1", "+1", "1.5", "101", "1234567890123456789"} {
		_, ok := Nat(bad, 0, 100)
		assert.False(t, ok, bad)
	}
	ms, ok := Millis("250MS", 1, 1000)
	assert.True(t, ok)
	assert.Equal(t, int64(250), ms)
	for in, want := range map[string]int64{"2.5": 25, "2.5%": 25, "100": 1000, "0.1": 1, "7.0": 70} {
		got, msg := PerMille(in)
		assert.Empty(t, msg, in)
		assert.Equal(t, want, got, in)
	}
	assert.Equal(t, "2.5", FormatPerMille(25))
	assert.Equal(t, "7", FormatPerMille(70))
	lo, hi, msg := Range([]string{"10", "-", "30"}, 0, 100, "10 30")
	assert.Empty(t, msg)
	assert.Equal(t, [2]int64{10, 30}, [2]int64{lo, hi})
	terms, bad, ok := Terms("1, 1 ,2", 0, 9)
	assert.True(t, ok)
	assert.Equal(t, []raft.Term{1, 1, 2}, terms)
	_, bad, ok = Terms("1,x", 0, 9)
	assert.False(t, ok)
	assert.Equal(t, "x", bad)
}

func TestWordsAndComments(t *testing.T) {
	assert.Equal(t, []string{"deliver", "S1", ">", "S2", "vote"}, Words(" deliver S1>S2\tvote ", ">|"))
	body, comment := CutComment(`server S2: commands ["a #1"] # why`)
	assert.Equal(t, `server S2: commands ["a #1"] `, body)
	assert.Equal(t, " why", comment)
	body, _ = CutComment("seed:#x")
	assert.Equal(t, "seed:#x", body, "a '#' right after a word is not a comment")
	k, v, ok := KeyValue("  Election   Timeout : 150-300 ")
	assert.True(t, ok)
	assert.Equal(t, "election timeout", k)
	assert.Equal(t, "150-300", v)
}
