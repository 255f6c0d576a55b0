package build

import (
	"encoding/json"
	"html"
	"io/fs"
	"os"
	"path"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft/words"
	"raftlab/site"
)

// Every language has its own document of each Doc page, and no document
// is left for a language without words.
func TestEveryLanguageHasItsDocuments(t *testing.T) {
	require.NoError(t, CheckDocuments(site.Files, words.Languages()))

	err := CheckDocuments(site.Files, []string{"en", "xx"})
	require.Error(t, err, "a language without api.xx.html passes")
	assert.Contains(t, err.Error(), "site/templates/api.xx.html is missing")
	orphan := fstest.MapFS{"templates/api.en.html": {}, "templates/api.zz.html": {}}
	assert.EqualError(t, CheckDocuments(orphan, []string{"en"}),
		`site/templates/api.zz.html: there are no words for "zz" (raft/words/zz.txt)`)
}

// withFile is fsys with one more file.
func withFile(t *testing.T, fsys fs.FS, name string, data []byte) fs.FS {
	t.Helper()
	out := fstest.MapFS{name: {Data: data}}
	require.NoError(t, fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		out[p] = &fstest.MapFile{Data: b}
		return err
	}))
	return out
}

var (
	// Not words: scripts, styles, and code (commands, addresses, file names).
	notWords = regexp.MustCompile(`(?s)<(script|style|code|pre)\b.*?</(?:script|style|code|pre)>`)
	// What a person reads in a tag: its labels, tooltips, the words it
	// hands to scripts (data-w-*), a page's description.
	readAttr = regexp.MustCompile(`\s(?:title|aria-label|alt|placeholder|data-w-[a-z-]+)="([^"]*)"|<meta name="description" content="([^"]*)"`)
	textRE   = regexp.MustCompile(`>([^<]+)<`)
	// Tags within a sentence: a sentence is read across them.
	inlineTag = regexp.MustCompile(`</?(?:a|b|kbd|span|em|strong)\b[^>]*>`)
	mainRE    = regexp.MustCompile(`(?s)<main\b.*</main>`)
	// Server names are data (the first frame's cluster).
	serverName = regexp.MustCompile(`\bS[1-9]\b`)
)

var (
	htmlLang = regexp.MustCompile(`<html lang="([^"]*)"`)
	// A link or a label in a language of its own (the language switch
	// names each language in that language).
	ownLang = regexp.MustCompile(`(?s)<(?:a|span)\b[^>]*\slang="([^"]*)"[^>]*>.*?</(?:a|span)>`)
)

// pageTexts lists the texts a person reads on a page, in the page's
// language.
func pageTexts(page string) []string {
	page = notWords.ReplaceAllString(page, "")
	if m := htmlLang.FindStringSubmatch(page); m != nil {
		page = ownLang.ReplaceAllStringFunc(page, func(el string) string {
			if ownLang.FindStringSubmatch(el)[1] != m[1] {
				return ""
			}
			return el
		})
	}
	var out []string
	for _, m := range readAttr.FindAllStringSubmatch(page, -1) {
		out = append(out, html.UnescapeString(m[1]+m[2]))
	}
	for _, m := range textRE.FindAllStringSubmatch(inlineTag.ReplaceAllString(page, ""), -1) {
		if s := strings.TrimSpace(html.UnescapeString(m[1])); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// The site's pages in a pseudo-locale (every word of the table bracketed):
// each is written in the language's folder with <html lang> set, finds its
// files from there, and shows no word that is not from the table — but the
// name raftlab, and, on the API page, its document (a content file per
// language, checked above).
func TestPagesSpeakTheirLanguage(t *testing.T) {
	pseudo := words.Pseudo("qps", words.English)
	en, err := fs.ReadFile(site.Files, "templates/api.en.html")
	require.NoError(t, err)
	out := t.TempDir()
	b := New(out)
	b.Files = withFile(t, site.Files, "templates/api.qps.html", en)
	b.Languages = []*words.Table{words.English, pseudo}
	require.NoError(t, b.Run(Step{"static", CopyStatic}, Step{"pages", RenderPages}))

	texts := 0
	for _, p := range Pages {
		name := "qps/" + p.Name + ".html"
		page := readOut(t, out, name)
		contains(t, page, `<html lang="qps"`, name)
		if !p.Bare {
			contains(t, page, `hreflang="en" lang="en" data-lang-switch>English</a>`, name)
			contains(t, page, `<span lang="qps" aria-current="page">⟦English⟧</span>`, name)
		}
		for _, m := range refRE.FindAllStringSubmatch(page, -1) {
			ref := strings.SplitN(strings.SplitN(m[1], "#", 2)[0], "?", 2)[0]
			if ref == "" || strings.Contains(ref, ":") {
				continue
			}
			target := path.Join("qps", ref)
			if strings.HasPrefix(target, "tutorials/") {
				continue // not built here; qps has no chapters, so the English ones
			}
			_, err := fs.Stat(os.DirFS(out), target)
			assert.NoError(t, err, "%s: broken reference %q", name, m[1])
		}
		if p.Doc {
			page = mainRE.ReplaceAllString(page, "<main></main>")
		}
		for _, s := range pageTexts(page) {
			texts++
			left := serverName.ReplaceAllString(strings.ReplaceAll(words.Unbracketed(s), "raftlab", ""), "")
			assert.False(t, strings.ContainsFunc(left, unicode.IsLetter), "%s: %q is not from the words table", name, s)
		}
	}
	assert.Greater(t, texts, 60, "the pages' texts were not found")
	english := pageTexts(readOut(t, out, "playground.html"))
	assert.Contains(t, english, "How to use it", "the check reads the pages' words")
}

// The scripts that speak without the module (<raft-cluster> before the
// module runs, the deck's key help) get their words from every language's
// table: the build writes them in as JSON where the source holds English.
func TestScriptsSpeakEveryLanguage(t *testing.T) {
	out := t.TempDir()
	require.NoError(t, New(out).Run(Step{"static", CopyStatic}))
	for p, keys := range scriptWords {
		js := readOut(t, out, strings.TrimPrefix(p, "static/"))
		m := wordsMark.FindString(js)
		require.NotEmpty(t, m, "the words' place in %s", p)
		var got map[string]map[string]string
		require.NoError(t, json.Unmarshal([]byte(strings.TrimSuffix(strings.TrimPrefix(m, "/*raftlab:words*/"), "/*end*/")), &got))
		for _, lang := range words.Languages() {
			tbl, _ := words.For(lang)
			want := map[string]string{}
			for name, key := range keys {
				want[name] = tbl.Get(key)
				assert.NotEmpty(t, want[name], "%s: %s in %s", p, key, lang)
			}
			assert.Equal(t, want, got[lang], "%s in %s", p, lang)
		}
	}
	got := readOut(t, out, "raft-cluster.js")
	assert.Contains(t, got, "シミュレーターを読み込んでいます…")
	assert.Contains(t, readOut(t, out, "raftlab-reveal.js"), `"ja":{`)
	_, err := New(out).writeScriptWords("static/x.js", []byte("no place for words"), nil)
	assert.ErrorContains(t, err, "static/x.js: no /*raftlab:words*/")
}

var (
	apiAnchor = regexp.MustCompile(`\bid="([^"]+)"`)
	apiEntry  = regexp.MustCompile(`<dt><code>([^<]*)</code>`)
)

// apiOutline is an API page's anchors and the names its lists document,
// in page order: what every language's page must have alike.
func apiOutline(page string) (anchors, entries []string) {
	for _, m := range apiAnchor.FindAllStringSubmatch(page, -1) {
		anchors = append(anchors, m[1])
	}
	for _, m := range apiEntry.FindAllStringSubmatch(page, -1) {
		entries = append(entries, m[1])
	}
	return anchors, entries
}

// Every translation of the API page has the English page's sections and
// documents the same names (options, methods, messages), in the same
// order: an addition to one is not left out of another.
func TestAPIPagesDocumentTheSameNames(t *testing.T) {
	en, err := fs.ReadFile(site.Files, "templates/api.en.html")
	require.NoError(t, err)
	anchors, entries := apiOutline(string(en))
	require.Greater(t, len(anchors), 10)
	require.Greater(t, len(entries), 40)
	docs, err := fs.Glob(site.Files, "templates/api.*.html")
	require.NoError(t, err)
	require.Greater(t, len(docs), 1, "no translation of the API page")
	for _, doc := range docs {
		tr, err := fs.ReadFile(site.Files, doc)
		require.NoError(t, err)
		a, e := apiOutline(string(tr))
		assert.Equal(t, anchors, a, "%s: its sections", doc)
		assert.Equal(t, entries, e, "%s: the names it documents", doc)
	}
	// The check can fail: a page without the search's section is found.
	a, _ := apiOutline(strings.Replace(string(en), `id="search"`, "", 1))
	assert.NotEqual(t, anchors, a)
}
