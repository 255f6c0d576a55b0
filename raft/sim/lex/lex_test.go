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
	ms, ok := millis("250MS", 1, 1000)
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
	terms, msg := Terms("[1, 1 ,2]", 1, 9)
	assert.Empty(t, msg)
	assert.Equal(t, []raft.Term{1, 1, 2}, terms)
	_, msg = Terms("1,0", 1, 9)
	assert.Equal(t, `expected the entries' terms, numbers from 1 like [1,1,2], got "0"`, msg)
	n, msg = Number("10", 1, 9, false)
	assert.Equal(t, `expected a number from 1 to 9, got "10"`, msg)
	_, msg = Number("x", 0, 1<<53, true)
	assert.Equal(t, `expected milliseconds, got "x"`, msg)
	n, msg = Number("20ms", 1, 60, true)
	assert.Empty(t, msg)
	assert.Equal(t, int64(20), n)
	for in, want := range map[string]string{"2.55": "expected a percentage with at most one decimal, got \"2.55\"",
		"1.05": "expected a percentage with at most one decimal, got \"1.05\"", "100.5": "expected a percentage from 0 to 100 like 2.5, got \"100.5\"",
		"5.": "expected a percentage from 0 to 100 like 2.5, got \"5.\""} {
		_, msg := PerMille(in)
		assert.Equal(t, want, msg, in)
	}
}

// Tokens keeps lists whole and comparisons apart; a Cursor reads them
// and words what it expected against what is left.
func TestTokensAndCursor(t *testing.T) {
	words, msg := Tokens(`term 3, log [1, 2] commands ["a, b]"] S1 term>=2 x!=y`, ",")
	assert.Empty(t, msg)
	assert.Equal(t, []string{"term", "3", "log", "[1, 2]", "commands", `["a, b]"]`, "S1", "term", ">=", "2", "x", "!=", "y"}, words)
	_, msg = Tokens(`log [1,2`, "")
	assert.Equal(t, `a list is not closed with ']': "[1,2"`, msg)

	c := &Cursor{Words: []string{"S2", "Term", "7"}}
	id, msg := c.Server()
	assert.Empty(t, msg)
	assert.Equal(t, raft.NodeID(2), id)
	assert.True(t, c.Skip("term"))
	assert.False(t, c.Skip("term"))
	_, msg = c.Number(1, 5, false)
	assert.Equal(t, `expected a number from 1 to 5, got "7"`, msg)
	assert.Equal(t, `expected nothing, got "7"`, c.Expected("nothing"))
	assert.Equal(t, "7", c.Next())
	assert.Equal(t, "", c.Next())
	assert.Equal(t, "expected a server like S2, got nothing", c.Expected("a server like S2"))
}

// Keys are known, and given once unless they repeat.
func TestKeys(t *testing.T) {
	k := Keys{Known: []string{"id", "cut"}, Repeat: []string{"cut"}}
	assert.Empty(t, k.Take("id", 2))
	assert.Equal(t, "id is already given on line 2", k.Take("id", 5))
	assert.Empty(t, k.Take("cut", 3))
	assert.Empty(t, k.Take("cut", 4))
	assert.Equal(t, `unknown key "ids"; expected one of: id, cut`, k.Take("ids", 6))
	assert.Equal(t, 3, k.Line("cut"))
	assert.Zero(t, k.Line("ids"))
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
