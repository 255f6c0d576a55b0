package words

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// missing lists the keys of a that b does not give.
func missing(a, b *Table) []string {
	var out []string
	for _, k := range a.Keys() {
		if !b.Has(k) {
			out = append(out, k)
		}
	}
	return out
}

// Every language gives exactly the keys English gives: a word added in
// one language and not the others fails here.
func TestEveryLanguageHasEveryKey(t *testing.T) {
	require.Equal(t, "en", Languages()[0])
	for _, lang := range Languages()[1:] {
		tbl, ok := For(lang)
		require.True(t, ok, lang)
		assert.Empty(t, missing(English, tbl), "%s.txt lacks these keys of en.txt", lang)
		assert.Empty(t, missing(tbl, English), "%s.txt has keys en.txt lacks", lang)
	}
}

// The check above can fail: a table with one key less is caught.
func TestMissingKeysAreFound(t *testing.T) {
	words, err := Parse("xx.txt", "# test\nnode.none: personne\n")
	require.NoError(t, err)
	xx := &Table{Lang: "xx", words: words}
	assert.Contains(t, missing(English, xx), "reason.vote-granted")
	assert.Empty(t, missing(xx, English))
}

func TestParseErrors(t *testing.T) {
	for text, want := range map[string]string{
		"a: 1\na: 2":  "f.txt:2: a is already given on line 1",
		"a:":          "f.txt:1: a: expected the words, got nothing",
		"no colon":    `f.txt:1: expected "key: value", got "no colon"`,
		"a b: spaced": `f.txt:1: expected "key: value", got "a b: spaced"`,
	} {
		_, err := Parse("f.txt", text)
		assert.EqualError(t, err, want, text)
	}
	w, err := Parse("f.txt", "\uFEFF# c\n\nk: v: with colon # and hash\r\n")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"k": "v: with colon # and hash"}, w)
}

func TestSayAndFill(t *testing.T) {
	assert.Equal(t, "A Raft cluster of 3 servers", English.Say("cluster.label", "n", "3"))
	assert.Equal(t, "A Raft cluster of {n} servers", English.Say("cluster.label"))
	assert.Equal(t, "no.such.key", English.Get("no.such.key"), "a missing word shows its key")
	got := Fill("{a}{b}{", func(name string) (string, bool) { return strings.ToUpper(name), name == "a" })
	assert.Equal(t, "A{b}{", got)
	tbl, ok := For("xx")
	assert.False(t, ok)
	assert.Same(t, English, tbl)
}

// The words are data: the package imports nothing of raftlab, so every
// layer, the core's simulator and the site alike, can read them.
func TestImportsNothingOfRaftlab(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, name := range files {
		src, err := os.ReadFile(name)
		require.NoError(t, err)
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range f.Imports {
			assert.False(t, strings.HasPrefix(strings.Trim(imp.Path.Value, `"`), "raftlab"), "%s imports %s", name, imp.Path.Value)
		}
	}
}

// The pseudo-locale keeps every key and brackets every value, so that
// Unbracketed leaves only what came from elsewhere.
func TestPseudoAndUnbracketed(t *testing.T) {
	p := Pseudo("qps", English)
	assert.Empty(t, missing(English, p))
	assert.Empty(t, missing(p, English))
	assert.Equal(t, "⟦A Raft cluster of 3 servers⟧", p.Say("cluster.label", "n", "3"))
	for s, want := range map[string]string{
		"plain":                   "plain",
		"⟦a⟧ and ⟦b ⟦c⟧ d⟧, S1":   "· and ·, S1",
		"raftlab ⟦x⟧ · ⟦unclosed": "raftlab · · ·",
		"stray ⟧ stays":           "stray ⟧ stays",
		p.Say("node.label", "id", "S2", "role", p.Get("role.Leader")): "·",
	} {
		assert.Equal(t, want, Unbracketed(s), s)
	}
}

var placeholderRE = regexp.MustCompile(`\{[A-Za-z]+\}`)

// placeholders lists the {name}s of a value, sorted, each once (a
// translation may say one twice).
func placeholders(v string) []string {
	ps := placeholderRE.FindAllString(v, -1)
	slices.Sort(ps)
	return slices.Compact(ps)
}

// Every translation keeps each value's placeholders, no more and no less:
// a dropped {index} would leave a reader without the number, an extra one
// would show as written.
func TestTranslationsKeepPlaceholders(t *testing.T) {
	for _, lang := range Languages()[1:] {
		tbl, _ := For(lang)
		for _, k := range English.Keys() {
			if tbl.Has(k) {
				assert.Equal(t, placeholders(English.Get(k)), placeholders(tbl.Get(k)), "%s.txt %s", lang, k)
			}
		}
	}
	assert.NotEqual(t, placeholders("term {term}"), placeholders("任期"), "the check can fail")
}

// sameInEveryLanguage are the keys whose words are names, not sentences:
// the protocol's messages and fields as the paper writes them, the badges'
// abbreviations, key caps, marks. A translation may give them as English
// does; every other value it gives differently.
var sameInEveryLanguage = map[string]bool{
	"field.prev": true, "field.leaderCommit": true, "field.granted": true, "field.success": true,
	"field.match": true, "field.vote": true, "field.commit": true, "field.applied": true, "field.progress": true,
	"reason.commit-advanced": true, "network.link.both": true, "network.link.one": true, "ctl.speedValue": true, "ctl.help": true,
	"trace.at": true, "log.more": true, "log.snapshot": true, "log.configEntry": true, "log.noop": true,
	"help.key.enter": true, "help.key.escape": true, "page.nav.api": true, "page.index.embed-api": true,
	"page.api.title": true, "page.playground.help-api": true, "node.transfer": true, "path.read-index": true, "node.reads": true,
	"hint.message": true, // "S1 → S3 AppendEntries": names and an arrow
}

// namesPrefix are groups of keys that are names: the message types and
// their badges.
var namesPrefix = []string{"type.", "msg.RequestVote", "msg.AppendEntries", "msg.InstallSnapshot",
	"msg.PreVote", "msg.TimeoutNow", "msg.ReadIndex"}

func isName(key string) bool {
	if sameInEveryLanguage[key] {
		return true
	}
	for _, p := range namesPrefix {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// A translation translates: a value left as English's is a name (above),
// not a sentence nobody translated.
func TestTranslationsAreTranslated(t *testing.T) {
	for _, lang := range Languages()[1:] {
		tbl, _ := For(lang)
		for _, k := range English.Keys() {
			if tbl.Has(k) && tbl.Get(k) == English.Get(k) && !isName(k) {
				t.Errorf("%s.txt %s is the English words %q", lang, k, English.Get(k))
			}
		}
	}
	assert.False(t, isName("reason.vote-granted"))
	assert.True(t, isName("type.AppendEntries"))
}
