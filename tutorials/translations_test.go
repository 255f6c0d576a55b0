package tutorials_test

import (
	"html/template"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft/sim"
	"raftlab/site/chapters"
	"raftlab/tutorials"
)

// translationDiffs lists how a translated chapter differs from its English
// one in what must not differ: its front matter's id, slug, part, status
// and level (an adversary level's rule), its search blocks, its exercises (scenarios but their names, goals, solutions), the
// action links of its prose (which exercise, which actions, in page order),
// and its quiz (questions, choices, which one is right: saved answers are
// kept by number, so progress carries over between languages). The words —
// the title, the prose, the goals' comments, the quiz's texts — must differ,
// unless there are none.
func translationDiffs(en, tr *chapters.Chapter) []string {
	var out []string
	differ := func(what string, a, b any) {
		out = append(out, what+": English "+strconv.Quote(toString(a))+", translation "+strconv.Quote(toString(b)))
	}
	if en.ID != tr.ID {
		differ("id", en.ID, tr.ID)
	}
	if en.Slug != tr.Slug {
		differ("slug", en.Slug, tr.Slug)
	}
	if en.Part != tr.Part {
		differ("part", en.Part, tr.Part)
	}
	if en.Planned != tr.Planned {
		differ("planned", en.Planned, tr.Planned)
	}
	if en.IsLevel != tr.IsLevel || en.Level.Name != tr.Level.Name {
		differ("level", en.Level.Name, tr.Level.Name)
	}
	if a, b := searchesText(en), searchesText(tr); a != b {
		differ("search blocks", a, b)
	}
	if tr.Title == en.Title {
		out = append(out, "the title is not translated: "+strconv.Quote(tr.Title))
	}
	if en.Summary != "" && tr.Summary == en.Summary {
		out = append(out, "the summary is not translated: "+strconv.Quote(tr.Summary))
	}
	if len(en.Exercises) != len(tr.Exercises) {
		differ("exercises", len(en.Exercises), len(tr.Exercises))
	}
	for i := 0; i < len(en.Exercises) && i < len(tr.Exercises); i++ {
		e, t := en.Exercises[i], tr.Exercises[i]
		at := "exercise " + strconv.Itoa(e.N) + ": "
		if a, b := scenarioWithoutName(e.Scenario), scenarioWithoutName(t.Scenario); a != b {
			differ(at+"scenario", a, b)
		}
		if a, b := goalTexts(e), goalTexts(t); a != b {
			differ(at+"goals", a, b)
		}
		for g := range t.Goals {
			if g < len(e.Goals) && t.Goals[g].Comment != "" && t.Goals[g].Comment == e.Goals[g].Comment {
				out = append(out, at+"the words of goal "+strconv.Quote(t.Goals[g].Text)+" are not translated")
			}
		}
		if a, b := solutionText(e.Solution), solutionText(t.Solution); a != b {
			differ(at+"solution", a, b)
		}
	}
	if a, b := linksText(en), linksText(tr); a != b {
		differ("action links", a, b)
	}
	if len(en.Questions) != len(tr.Questions) {
		differ("quiz questions", len(en.Questions), len(tr.Questions))
	}
	for i := 0; i < len(en.Questions) && i < len(tr.Questions); i++ {
		e, t := en.Questions[i], tr.Questions[i]
		at := "question " + strconv.Itoa(e.N) + ": "
		if len(e.Choices) != len(t.Choices) {
			differ(at+"choices", len(e.Choices), len(t.Choices))
		}
		if e.Correct != t.Correct {
			differ(at+"right choice", e.Correct, t.Correct)
		}
		if e.Prompt == t.Prompt || e.Explanation == t.Explanation {
			out = append(out, at+"not translated")
		}
	}
	return out
}

func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case bool:
		return strconv.FormatBool(v)
	}
	return "?"
}

// scenarioWithoutName is a scenario's text without its name, which is
// words (the cluster's caption).
func scenarioWithoutName(s sim.Scenario) string {
	s.Name = ""
	return sim.FormatScenario(s)
}

// searchesText lists a chapter's search blocks: rule, servers, seed.
func searchesText(ch *chapters.Chapter) string {
	var out []string
	for _, s := range ch.Searches {
		out = append(out, s.Switch+" "+strconv.Itoa(s.Nodes)+" "+strconv.FormatInt(s.Seed, 10))
	}
	return strings.Join(out, "\n")
}

func goalTexts(ex *chapters.Exercise) string {
	var out []string
	for _, g := range ex.Goals {
		out = append(out, g.Text)
	}
	return strings.Join(out, "\n")
}

func solutionText(as []sim.Action) string {
	var out []string
	for _, a := range as {
		out = append(out, sim.FormatAction(a))
	}
	return strings.Join(out, "\n")
}

// linksText lists a chapter's action links in page order: the exercise
// each drives and its actions.
func linksText(ch *chapters.Chapter) string {
	var out []string
	for _, b := range ch.Blocks {
		if b.IsProse() {
			for _, l := range actionLinks(string(b.HTML)) {
				out = append(out, strconv.Itoa(l.exercise)+": "+l.actions)
			}
		}
	}
	return strings.Join(out, "\n")
}

// Every language has every English chapter, and only those (Load checks
// the ids and slugs of those it has), each with the same front matter,
// exercises, action links and quiz answers as the English one.
func TestTranslationsMatchEnglish(t *testing.T) {
	book, err := chapters.Load(tutorials.Files, "tutorials")
	require.NoError(t, err)
	require.Greater(t, len(book.Languages), 1, "no translation to check")
	en := book.Languages[0]
	for _, l := range book.Languages[1:] {
		byID := map[int]*chapters.Chapter{}
		for _, ch := range l.Chapters {
			byID[ch.ID] = ch
		}
		for _, e := range en.Chapters {
			tr := byID[e.ID]
			if !assert.NotNil(t, tr, "%s has no translation in tutorials/%s/ (same id and slug)", e.File, l.Code) {
				continue
			}
			for _, d := range translationDiffs(e, tr) {
				t.Errorf("%s differs from %s: %s", tr.File, e.File, d)
			}
		}
		assert.Len(t, l.Chapters, len(en.Chapters), "tutorials/%s has chapters English lacks", l.Code)
	}
}

// The comparison can fail: a translation that changed a goal, a
// solution, a link, a scenario or a quiz answer, or left words in English,
// is caught, each by name.
func TestTranslationDiffsAreFound(t *testing.T) {
	parse := func(lang, name string, edit func(string) string) *chapters.Chapter {
		src, err := fs.ReadFile(tutorials.Files, lang+"/"+name)
		require.NoError(t, err)
		ch, err := chapters.Parse("tutorials/"+lang+"/"+name, lang, []byte(edit(string(src))))
		require.NoError(t, err)
		return ch
	}
	same := func(s string) string { return s }
	const name = "01-roles-terms-votes.md"
	en := parse("en", name, same)
	ja := parse("ja", name, same)
	require.Empty(t, translationDiffs(en, ja))
	for _, c := range []struct {
		what string
		edit func(string) string
		want string
	}{
		{"a goal", func(s string) string { return strings.Replace(s, "S1 voted-for S2", "S1 voted-for S3", 1) }, "exercise 1: goals"},
		{"a solution", func(s string) string {
			return strings.Replace(s, "deliver S3>S2 RequestVoteReply\n```", "flush\n```", 1)
		}, "exercise 1: solution"},
		{"a scenario", func(s string) string { return strings.Replace(s, "latency: 10", "latency: 20", 1) }, "exercise 1: scenario"},
		{"an action link", func(s string) string { return strings.Replace(s, "(action:timeout S1)", "(action:timeout S3)", 1) }, "action links"},
		{"the right answer", func(s string) string {
			s = strings.Replace(s, "\n- 4\n", "\n+ 4\n", 1)
			return strings.Replace(s, "\n+ 自分の票を含めて 3\n", "\n- 自分の票を含めて 3\n", 1)
		}, "question 2: right choice"},
		{"a choice", func(s string) string { return strings.Replace(s, "\n- 5\n", "\n", 1) }, "question 2: choices"},
		{"the title", func(s string) string {
			return strings.Replace(s, "title: 役割、任期、投票", "title: "+en.Title, 1)
		}, "the title is not translated"},
		{"a goal's words", func(s string) string {
			return strings.Replace(s, "# S1 が S2 に投票した", "# "+en.Exercises[0].Goals[1].Comment, 1)
		}, `the words of goal "S1 voted-for S2" are not translated`},
		{"a scenario's name", func(s string) string { return strings.Replace(s, "name: 役割、任期、投票", "name: other", 1) }, ""},
	} {
		changed := parse("ja", name, c.edit)
		diffs := strings.Join(translationDiffs(en, changed), "\n")
		if c.want == "" {
			assert.Empty(t, diffs, "%s: the scenario's name is words, free to translate", c.what)
			continue
		}
		assert.Contains(t, diffs, c.want, "a changed %s is not found", c.what)
	}

	// A level's rule, and a search block.
	for _, c := range []struct {
		name, what string
		edit       func(string) string
		want       []string
	}{
		{"15-level-commit-earlier-terms.md", "a level's rule", func(s string) string {
			return strings.ReplaceAll(s, "commit-earlier-terms\n", "skip-up-to-date-check\n")
		}, []string{`level: English "commit-earlier-terms", translation "skip-up-to-date-check"`, "exercise 1: scenario"}},
		{"14-break-the-algorithm.md", "a search block", func(s string) string {
			return strings.Replace(s, "nodes: 5\nseed: 1\n", "nodes: 5\nseed: 2\n", 1)
		}, []string{`search blocks: English "commit-earlier-terms 5 1", translation "commit-earlier-terms 5 2"`}},
	} {
		en, ja := parse("en", c.name, same), parse("ja", c.name, same)
		require.Empty(t, translationDiffs(en, ja), c.name)
		diffs := strings.Join(translationDiffs(en, parse("ja", c.name, c.edit)), "\n")
		for _, w := range c.want {
			assert.Contains(t, diffs, w, "a changed %s is not found", c.what)
		}
	}
}

// wideSpace is a space between two East Asian wide characters (kana,
// kanji, their punctuation): a browser shows it, and Japanese has none.
var wideSpace = regexp.MustCompile(`[\p{Han}\p{Hiragana}\p{Katakana}ー\x{3000}-\x{303F}\x{FF01}-\x{FF60}]\s+[\p{Han}\p{Hiragana}\p{Katakana}ー\x{3000}-\x{303F}\x{FF01}-\x{FF60}]`)

var (
	blockTag = regexp.MustCompile(`</?(?:p|li|ul|ol|h[1-6]|div|pre|table|thead|tbody|tr|td|th|blockquote|br)\b[^>]*>`)
	tag      = regexp.MustCompile(`<[^>]*>`)
)

// shownText is HTML as a reader sees it: without tags, and with blocks
// apart (the line breaks between them are not shown).
func shownText(h template.HTML) string {
	return tag.ReplaceAllString(blockTag.ReplaceAllString(string(h), "¶"), "")
}

// The Japanese chapters, as rendered, show no space between two Japanese
// characters: neither from a line break in the source nor around
// emphasis.
func TestJapaneseHasNoStraySpaces(t *testing.T) {
	book, err := chapters.Load(tutorials.Files, "tutorials")
	require.NoError(t, err)
	ja := book.Language("ja")
	require.NotNil(t, ja)
	for _, ch := range ja.Chapters {
		texts := []string{ch.Title, ch.Summary}
		for _, b := range ch.Blocks {
			texts = append(texts, shownText(b.HTML))
		}
		for _, q := range ch.Questions {
			texts = append(texts, shownText(q.Prompt), shownText(q.Explanation))
			for _, c := range q.Choices {
				texts = append(texts, shownText(c))
			}
		}
		for _, ex := range ch.Exercises {
			texts = append(texts, ex.Labels()...)
		}
		for _, s := range texts {
			for _, m := range wideSpace.FindAllString(s, -1) {
				t.Errorf("%s: a space between Japanese characters: %q", ch.File, m)
			}
		}
	}
	assert.Regexp(t, wideSpace, "任期 の", "the check finds a stray space")
	assert.NotRegexp(t, wideSpace, "任期 3 の", "a space beside a number is kept")
}
