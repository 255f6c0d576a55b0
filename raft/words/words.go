// Package words holds every word raftlab shows to people: one table per
// language, each a content file of this directory (en.txt, ...) with one
// "key: value" line per sentence or label. Reasons, trace lines, the
// cluster view's labels and the tutorial pages' words all come from here,
// so a translation is one more file (and its chapters in tutorials/), with
// no code to change. The package imports nothing of raftlab, so every layer
// can use it.
//
// A value may hold {name} placeholders; the code that renders it fills
// them (Fill). A file starts with "# " comment lines; '#' starts a comment
// only at the start of a line, so values may hold it.
package words

import (
	"embed"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
)

//go:embed *.txt
var files embed.FS

// Table is one language's words.
type Table struct {
	Lang  string
	words map[string]string
}

// English is the first language, and the one a missing word falls back to.
var English = mustLoad("en")

var (
	mu     sync.Mutex
	tables = map[string]*Table{"en": English}
)

func mustLoad(lang string) *Table {
	t, err := load(lang)
	if err != nil {
		panic(err)
	}
	return t
}

// Languages lists the languages there are tables for, English first.
func Languages() []string {
	entries, _ := files.ReadDir(".")
	langs := []string{"en"}
	for _, e := range entries {
		if lang, ok := strings.CutSuffix(e.Name(), ".txt"); ok && lang != "en" {
			langs = append(langs, lang)
		}
	}
	return langs
}

// For returns the table of a language, and false (with English) when there
// is none.
func For(lang string) (*Table, bool) {
	mu.Lock()
	defer mu.Unlock()
	if t, ok := tables[lang]; ok {
		return t, true
	}
	if !slices.Contains(Languages(), lang) {
		return English, false
	}
	t, err := load(lang)
	if err != nil {
		return English, false
	}
	tables[lang] = t
	return t, true
}

func load(lang string) (*Table, error) {
	data, err := files.ReadFile(lang + ".txt")
	if err != nil {
		return nil, err
	}
	words, err := Parse(lang+".txt", string(data))
	if err != nil {
		return nil, err
	}
	return &Table{Lang: lang, words: words}, nil
}

// Parse reads a words file: "key: value" lines, blank lines and "#"
// comment lines. A key is lower-case letters, digits and . - _ (or a role
// or message name); each is given once, with a value.
func Parse(file, text string) (map[string]string, error) {
	words := map[string]string{}
	lines := map[string]int{}
	for i, line := range strings.Split(strings.TrimPrefix(text, "\uFEFF"), "\n") {
		line = strings.TrimRight(line, " \t\r")
		if line == "" || line[0] == '#' {
			continue
		}
		at := file + ":" + strconv.Itoa(i+1) + ": "
		k, v, ok := strings.Cut(line, ":")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case !ok || k == "" || strings.ContainsAny(k, " \t\"'{}"):
			return nil, errors.New(at + `expected "key: value", got "` + line + `"`)
		case v == "":
			return nil, errors.New(at + k + ": expected the words, got nothing")
		case lines[k] != 0:
			return nil, errors.New(at + k + " is already given on line " + strconv.Itoa(lines[k]))
		}
		words[k], lines[k] = v, i+1
	}
	return words, nil
}

// Pseudo makes a pseudo-locale of from: the same keys, every value wrapped
// in ⟦ ⟧, so that a page drawn in it shows at a glance, and to a test, a word
// that did not come from the table (it is the one without brackets). For
// does not know it, unless the build has the raftlab_pseudo tag (pseudo.go).
func Pseudo(lang string, from *Table) *Table {
	wrapped := make(map[string]string, len(from.words))
	for k, v := range from.words {
		wrapped[k] = "⟦" + v + "⟧"
	}
	return &Table{Lang: lang, words: wrapped}
}

// Unbracketed returns what s shows outside the pseudo-locale's brackets:
// each bracketed part (nested ones within it) becomes "·". In a page drawn
// in a pseudo-locale, whatever letters are left did not come from the table.
func Unbracketed(s string) string {
	if !strings.Contains(s, "⟦") {
		return s
	}
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '⟦':
			if depth == 0 {
				b.WriteString("·")
			}
			depth++
		case r == '⟧' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Get returns the words of key: this language's, else English's, else the
// key itself (so a missing word shows, and a test can find it).
func (t *Table) Get(key string) string {
	if v, ok := t.words[key]; ok {
		return v
	}
	if v, ok := English.words[key]; ok {
		return v
	}
	return key
}

// Has reports whether the table gives key.
func (t *Table) Has(key string) bool {
	_, ok := t.words[key]
	return ok
}

// Keys lists the table's keys, sorted.
func (t *Table) Keys() []string {
	keys := make([]string, 0, len(t.words))
	for k := range t.words {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Say returns the words of key with its placeholders filled from kv, given
// as name, value pairs: Say("node.label", "id", "S3", "role", ...).
// Placeholders without a value stay as written.
func (t *Table) Say(key string, kv ...string) string {
	return Fill(t.Get(key), func(name string) (string, bool) {
		for k := 0; k+1 < len(kv); k += 2 {
			if kv[k] == name {
				return kv[k+1], true
			}
		}
		return "", false
	})
}

// Fill replaces each {name} placeholder of template with value(name); a
// placeholder value does not know, and an unclosed brace, stay as written.
func Fill(template string, value func(name string) (string, bool)) string {
	if strings.IndexByte(template, '{') < 0 {
		return template
	}
	var b strings.Builder
	b.Grow(len(template) + 16)
	for i := 0; i < len(template); i++ {
		c := template[i]
		if c != '{' {
			b.WriteByte(c)
			continue
		}
		j := strings.IndexByte(template[i:], '}')
		if j < 0 {
			b.WriteString(template[i:])
			break
		}
		if v, ok := value(template[i+1 : i+j]); ok {
			b.WriteString(v)
		} else {
			b.WriteString(template[i : i+j+1])
		}
		i += j
	}
	return b.String()
}
