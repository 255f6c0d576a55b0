package tutorials_test

import (
	"html/template"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft/words"
	"raftlab/site"
	"raftlab/site/chapters"
	"raftlab/tutorials"
)

// term is one row of tutorials/ja/GLOSSARY.md.
type term struct {
	english, japanese string
	gloss             bool     // the English in parentheses at its first use in each chapter
	avoid             []string // renderings not to use
}

// glossary reads the table of tutorials/ja/GLOSSARY.md.
func glossary(t *testing.T) []term {
	t.Helper()
	src, err := os.ReadFile("ja/GLOSSARY.md")
	require.NoError(t, err)
	var out []term
	for _, line := range strings.Split(string(src), "\n") {
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		if !strings.HasPrefix(line, "|") || len(cells) != 4 || strings.HasPrefix(cells[0], "---") || strings.TrimSpace(cells[0]) == "English" {
			continue
		}
		tm := term{english: strings.TrimSpace(cells[0]), japanese: strings.TrimSpace(cells[1]), gloss: strings.TrimSpace(cells[2]) == "はい"}
		for _, v := range strings.Split(cells[3], "、") {
			if v = strings.TrimSpace(v); v != "" {
				tm.avoid = append(tm.avoid, v)
			}
		}
		out = append(out, tm)
	}
	require.Greater(t, len(out), 30, "the glossary's table was not read")
	return out
}

// masked replaces, in text, every glossary term that contains s and is
// longer than it (and s itself when keep is false) with "□": the words
// "投票者" do not count as a use of "投票".
func masked(g []term, text, s string) string {
	for _, tm := range g {
		if len(tm.japanese) > len(s) && strings.Contains(tm.japanese, s) {
			text = strings.ReplaceAll(text, tm.japanese, "□")
		}
	}
	return text
}

// avoided lists the renderings text uses that the glossary avoids.
func avoided(g []term, text string) []string {
	var out []string
	for _, tm := range g {
		for _, v := range tm.avoid {
			if strings.Contains(masked(g, text, v), v) {
				out = append(out, v+" (the glossary's "+tm.japanese+" for "+tm.english+")")
			}
		}
	}
	return out
}

// withoutGlosses is text without the glossary's English in parentheses
// after a term ("引き返せない地点（point of no return）"): a gloss is not an
// English sentence left.
func withoutGlosses(g []term, text string) string {
	for _, tm := range g {
		if tm.gloss {
			text = strings.ReplaceAll(text, tm.japanese+"（"+tm.english+"）", tm.japanese)
		}
	}
	return text
}

// unglossed lists the terms whose first use in prose is not followed by
// their English in parentheses.
func unglossed(g []term, prose string) []string {
	var out []string
	for _, tm := range g {
		if !tm.gloss {
			continue
		}
		text := masked(g, prose, tm.japanese)
		i := strings.Index(text, tm.japanese)
		if i >= 0 && !strings.HasPrefix(text[i+len(tm.japanese):], "（"+tm.english) {
			out = append(out, tm.japanese+"（"+tm.english+"）")
		}
	}
	return out
}

var (
	codeSpan    = regexp.MustCompile(`(?s)<(code|pre)\b.*?</(?:code|pre)>`)
	heading     = regexp.MustCompile(`(?s)<h[1-6]\b.*?</h[1-6]>`)
	fenced      = regexp.MustCompile("(?s)```.*?```")
	backticks   = regexp.MustCompile("`[^`]*`")
	placeholder = regexp.MustCompile(`\{[a-zA-Z]+\}`)
	// English sentences, as opposed to names and glosses.
	englishWords = regexp.MustCompile(`\b(the|to|of|is|and|are|was|with|this|that|from)\b`)
)

// japaneseTexts are the Japanese texts a reader sees, by where they are
// from, without code; and each chapter's prose (without headings), for
// the glosses.
func japaneseTexts(t *testing.T) (texts, prose map[string]string) {
	texts, prose = map[string]string{}, map[string]string{}
	book, err := chapters.Load(tutorials.Files, "tutorials")
	require.NoError(t, err)
	ja := book.Language("ja")
	require.NotNil(t, ja)
	shown := func(h string) string { return shownText(template.HTML(codeSpan.ReplaceAllString(h, ""))) }
	for _, ch := range ja.Chapters {
		all := []string{ch.Title, ch.Summary}
		var body []string
		for _, b := range ch.Blocks {
			if b.IsProse() {
				all = append(all, shown(string(b.HTML)))
				body = append(body, shown(heading.ReplaceAllString(string(b.HTML), "")))
			}
		}
		for _, q := range ch.Questions {
			all = append(all, shown(string(q.Prompt)), shown(string(q.Explanation)))
			for _, c := range q.Choices {
				all = append(all, shown(string(c)))
			}
		}
		for _, ex := range ch.Exercises {
			all = append(all, ex.Scenario.Name)
			all = append(all, ex.Labels()...)
		}
		texts[ch.File] = strings.Join(all, "\n")
		prose[ch.File] = strings.Join(body, "\n")
	}
	tbl, ok := words.For("ja")
	require.True(t, ok)
	var values []string
	for _, k := range tbl.Keys() {
		values = append(values, tbl.Get(k))
	}
	texts["raft/words/ja.txt"] = strings.Join(values, "\n")
	api, err := fs.ReadFile(site.Files, "templates/api.ja.html")
	require.NoError(t, err)
	texts["site/templates/api.ja.html"] = shown(string(api))
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "\n## 日本語")
	require.True(t, ok, "README.md has no Japanese section (## 日本語)")
	section, _, _ = strings.Cut(section, "\n## ")
	texts["README.md (## 日本語)"] = backticks.ReplaceAllString(fenced.ReplaceAllString(section, ""), "")
	return texts, prose
}

// The Japanese texts use the glossary's words: no rendering it avoids, the
// English of each term at its first use in each chapter, and no English
// sentence left among them.
func TestJapaneseFollowsTheGlossary(t *testing.T) {
	g := glossary(t)
	texts, prose := japaneseTexts(t)
	all := ""
	for where, text := range texts {
		all += text
		for _, v := range avoided(g, text) {
			t.Errorf("%s: uses %s", where, v)
		}
		for _, m := range englishWords.FindAllString(withoutGlosses(g, placeholder.ReplaceAllString(text, "")), -1) {
			t.Errorf("%s: an English word left in the Japanese: %q", where, m)
		}
	}
	for file, p := range prose {
		for _, gl := range unglossed(g, p) {
			t.Errorf("%s: the first use of a term is not written %s", file, gl)
		}
	}
	for _, tm := range g {
		assert.True(t, strings.Contains(all, tm.japanese), "the glossary's %s (%s) is used nowhere", tm.japanese, tm.english)
	}
}

// The checks above can fail.
func TestGlossaryChecksCanFail(t *testing.T) {
	g := glossary(t)
	assert.Equal(t, []string{"リーダ (the glossary's リーダー for leader)"}, avoided(g, "リーダがリーダーに"))
	assert.Empty(t, avoided(g, "全サーバーとサーバーのルール"), "a term that holds an avoided spelling is not one")
	assert.Contains(t, unglossed(g, "任期 2 の任期（term）"), "任期（term）", "a first use without the English")
	assert.NotContains(t, unglossed(g, "任期（term）の任期"), "任期（term）")
	assert.NotContains(t, unglossed(g, "投票者（voter）が投票（vote）する"), "投票（vote）", "投票者 is not a use of 投票")
	assert.Regexp(t, englishWords, "ログ is the log")
}
