package chapters

import (
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft/sim"
	"raftlab/raft/words"
)

// good is a small valid chapter; broken chapters below change one piece.
const good = "---\n" + // line 1
	"id: 1\n" +
	"slug: roles\n" +
	"title: Roles\n" +
	"part: 1\n" + // 5
	"---\n" +
	"# Roles\n" +
	"\n" +
	"Servers start as followers. [Fire S2's timeout](action:timeout S2) and\n" +
	"[deliver its votes](action:deliver S2>S1 vote; deliver S1>S2).\n" + // 10
	"\n" +
	"```scenario\n" +
	"nodes: 3\n" +
	"timers: frozen\n" +
	"latency: 10\n" + // 15
	"```\n" +
	"\n" +
	"```goals\n" +
	"S2 leader term >= 1   # S2 becomes the leader\n" +
	"S1 voted-for S2\n" + // 20
	"```\n" +
	"\n" +
	"```solution\n" +
	"timeout S2\n" +
	"deliver S2>S1 vote; deliver S1>S2\n" + // 25
	"```\n" +
	"\n" +
	"```quiz\n" +
	"? How many votes does a candidate need among *five* servers?\n" +
	"- 2\n" + // 30
	"+ 3, its own included\n" +
	"- 5\n" +
	"> A majority of 5 is 3,\n" +
	"  and a candidate votes for itself.\n" +
	"```\n" // 35

func TestParseGoodChapter(t *testing.T) {
	ch, err := Parse("ch.md", "en", []byte(good))
	require.NoError(t, err)
	assert.Equal(t, 1, ch.ID)
	assert.Equal(t, "roles", ch.Slug)
	assert.Equal(t, "Roles", ch.Title)
	assert.Equal(t, 1, ch.Part)
	require.Len(t, ch.Exercises, 1)
	ex := ch.Exercises[0]
	assert.Equal(t, 13, ex.Line)
	assert.Equal(t, 3, ex.Scenario.Nodes)
	assert.True(t, ex.Scenario.FrozenTimers)
	require.Len(t, ex.Goals, 2)
	assert.Equal(t, "S2 becomes the leader", ex.Label(0))
	assert.Equal(t, "S1 voted-for S2", ex.Label(1))
	assert.Equal(t, 19, ex.Goals[0].Line)
	require.Len(t, ex.Solution, 3)
	assert.Equal(t, 24, ex.SolutionLine)
	require.Len(t, ch.Questions, 1)
	q := ch.Questions[0]
	assert.Equal(t, 1, q.Correct)
	assert.Equal(t, "How many votes does a candidate need among <em>five</em> servers?", string(q.Prompt))
	assert.Equal(t, "A majority of 5 is 3, and a candidate votes for itself.", string(q.Explanation))

	kinds := []BlockKind{}
	for _, b := range ch.Blocks {
		kinds = append(kinds, b.Kind)
	}
	assert.Equal(t, []BlockKind{Prose, Cluster, Goals, Quiz}, kinds)
	prose := string(ch.Blocks[0].HTML)
	assert.Contains(t, prose, `<h1 id="roles">Roles</h1>`)
	assert.Contains(t, prose, `<button type="button" class="tut-action" data-exercise="1" data-action="timeout S2" disabled>Fire S2&#39;s timeout</button>`)
	assert.Contains(t, prose, `data-action="deliver S2&gt;S1 RequestVote
deliver S1&gt;S2"`)
	require.NoError(t, Verify(ch))
}

// Raw HTML in a chapter never reaches the page.
func TestRawHTMLIsNotRendered(t *testing.T) {
	src := strings.Replace(good, "Servers start as followers.",
		"Servers <script>alert(1)</script> start <img src=x onerror=alert(2)> as [followers](javascript:alert(3)).\n\n<script>\nalert(4)\n</script>\n\n<b>bold</b>", 1)
	ch, err := Parse("ch.md", "en", []byte(src))
	require.NoError(t, err)
	var all strings.Builder
	for _, b := range ch.Blocks {
		all.WriteString(string(b.HTML))
	}
	html := all.String()
	for _, bad := range []string{"<script", "<img", "onerror", "javascript:", "alert(4)", "<b>"} {
		assert.NotContains(t, html, bad)
	}
	assert.Contains(t, html, "raw HTML omitted")
}

func TestActionLinksDriveTheExerciseBeforeThem(t *testing.T) {
	src := good + "\nNow [restart](action:timeout S1).\n\n```scenario\nnodes: 2\ntimers: frozen\n```\n\n" +
		"[Fire S2](action:timeout S2)\n\n```goals\nS2 leader\n```\n\n```solution\ntimeout S2; flush\n```\n"
	ch, err := Parse("ch.md", "en", []byte(src))
	require.NoError(t, err)
	require.Len(t, ch.Exercises, 2)
	var html strings.Builder
	for _, b := range ch.Blocks {
		html.WriteString(string(b.HTML))
	}
	assert.Contains(t, html.String(), `data-exercise="1" data-action="timeout S1"`)
	assert.Contains(t, html.String(), `data-exercise="2" data-action="timeout S2"`)
	require.NoError(t, Verify(ch))
}

func TestScenarioMaxEntries(t *testing.T) {
	src := strings.Replace(good, "latency: 10\n", "latency: 10\nmax-entries: 1\n", 1)
	ch, err := Parse("ch.md", "en", []byte(src))
	require.NoError(t, err)
	assert.Equal(t, 1, ch.Exercises[0].Scenario.MaxEntries)
}

// replace returns good with one piece changed (the old text must be there).
func replace(t *testing.T, old, new string) string {
	t.Helper()
	require.Contains(t, good, old)
	return strings.Replace(good, old, new, 1)
}

func TestBrokenChapters(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"no front matter", strings.TrimPrefix(good, "---\n"),
			`ch.md:1: expected front matter: a line "---", then "key: value" lines, then "---"`},
		{"front matter not closed", strings.Replace(good, "part: 1\n---\n", "part: 1\n", 1),
			`ch.md:8: front matter: expected "key: value" or the closing "---", got "Servers start as followers. [Fire S2's timeout](action:timeout S2) and"`},
		{"front matter never closed", "---\nid: 1\n\n",
			`ch.md:4: front matter is not closed with a line "---"`},
		{"unknown key", replace(t, "title: Roles", "titel: Roles"),
			`ch.md:4: front matter: unknown key "titel"; expected one of: id, slug, title, part, summary, level, status`},
		{"missing title", replace(t, "title: Roles\n", ""),
			`ch.md:5: front matter: missing "title" (needed: id, slug, title, part)`},
		{"bad id", replace(t, "id: 1", "id: one"),
			`ch.md:2: id: expected a number from 1 to 999, got "one"`},
		{"bad slug", replace(t, "slug: roles", "slug: Roles Terms"),
			`ch.md:3: slug: expected lower-case letters, digits and '-' (it names the page), got "Roles Terms"`},
		{"duplicate key", replace(t, "part: 1\n", "part: 1\npart: 2\n"),
			`ch.md:6: front matter: part is already given on line 5`},
		{"not key value", replace(t, "part: 1\n", "part 1\n"),
			`ch.md:5: front matter: expected "key: value" or the closing "---", got "part 1"`},
		{"unknown action", replace(t, "action:timeout S2", "action:fire S2"),
			`ch.md:9: action link "Fire S2's timeout": unknown action "fire"; expected one of: ` + sim.ActionNames()},
		{"action on a missing server", replace(t, "action:timeout S2", "action:timeout S4"),
			`ch.md:9: action link "Fire S2's timeout": timeout S4: S4: the cluster has only 3 servers`},
		{"action link not closed", replace(t, "deliver S1>S2).", "deliver S1>S2."),
			`ch.md:10: action link "deliver its votes" is not closed with ')' on its line`},
		{"scenario error", replace(t, "timers: frozen\n", "timers: stopped\n"),
			`ch.md:14: timers: expected "frozen" or "running", got "stopped"`},
		{"scenario setup fails", replace(t, "latency: 10\n", "latency: 10\nsetup:\n  deliver S1>S2\n"),
			`ch.md:17: setup: deliver S1>S2: no such message in flight`},
		{"unknown goal", replace(t, "S1 voted-for S2", "S1 voted S2"),
			`ch.md:20: unknown goal "S1 voted S2"; expected after "S1" one of: leader, candidate, follower, pre-candidate, up, down, term, voted-for, votes, log, log-length, has, commit, applied, snapshot, voter, learner, outside, voters, joint, stepped-down, reason, read, applied entry`},
		{"goal on a missing server", replace(t, "S1 voted-for S2", "S5 voted-for S2"),
			`ch.md:20: goal "S5 voted-for S2": S5: the cluster has only 3 servers`},
		{"only bounds", replace(t, "S2 leader term >= 1   # S2 becomes the leader\nS1 voted-for S2\n", "never S1 leader\n"),
			`ch.md:18: the goals block has only "never" goals, which would be met at the start; add a goal to reach`},
		{"goals before a scenario", replace(t, "```scenario\nnodes: 3\ntimers: frozen\nlatency: 10\n```\n", ""),
			`ch.md:13: a goals block belongs to the scenario block before it, and there is none`},
		{"no goals", replace(t, "```goals\nS2 leader term >= 1   # S2 becomes the leader\nS1 voted-for S2\n```\n", ""),
			`ch.md:12: exercise 1 has no goals block after its scenario`},
		{"no solution", replace(t, "```solution\ntimeout S2\ndeliver S2>S1 vote; deliver S1>S2\n```\n", ""),
			`ch.md:12: exercise 1 has no solution block after its scenario`},
		{"bad solution", replace(t, "deliver S2>S1 vote; deliver S1>S2\n", "deliver S2>S1 vote; deliver S1-S2\n"),
			`ch.md:25: deliver: expected a message id or FROM>TO, got "S1-S2"`},
		{"two goals blocks", replace(t, "```solution\n", "```goals\nS1 up\n```\n```solution\n"),
			`ch.md:23: exercise 1 already has goals (line 18); start another exercise with a scenario block`},
		{"quiz without an answer", replace(t, "+ 3, its own included", "- 3, its own included"),
			`ch.md:29: question "How many votes does a candidate need..." has no right answer; mark the right choice with "+ " instead of "- "`},
		{"quiz with two answers", replace(t, "- 5\n", "+ 5\n"),
			`ch.md:32: quiz: a second right choice; a question has exactly one "+ " choice`},
		{"quiz without explanation", replace(t, "> A majority of 5 is 3,\n  and a candidate votes for itself.\n", ""),
			`ch.md:29: question "How many votes does a candidate need..." has no explanation; add a "> " line shown after answering`},
		{"quiz with one choice", replace(t, "- 2\n+ 3, its own included\n- 5\n", "+ 3\n"),
			`ch.md:29: question "How many votes does a candidate need..." has 1 choices; give at least 2`},
		{"quiz bad line", replace(t, "- 5\n", "* 5\n"),
			`ch.md:32: quiz: expected a line starting with "? " (a question), "- " (a wrong choice), "+ " (the right choice) or "> " (the explanation), got "* 5"`},
		{"words after a block's kind", replace(t, "```scenario\n", "```scenario fast\n"),
			`ch.md:12: a scenario block takes nothing after "scenario", got "fast"`},
		{"nested block", replace(t, "```quiz\n", "> ```quiz\n"),
			`ch.md:28: a quiz block must stand on its own, not inside a list or a quote`},
		{"no exercise", strings.SplitN(good, "```scenario", 2)[0],
			`ch.md:7: a chapter needs an exercise: a scenario block, a goals block and a solution block`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("ch.md", "en", []byte(tc.src))
			require.Error(t, err)
			var pe *sim.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// Verify plays the solution: goals met at the start, a solution that fails
// or leaves a goal unmet are errors with the goal's line.
func TestVerifyErrors(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"met at the start", replace(t, "S1 voted-for S2\n", "S1 voted-for S2\nno leader\n"),
			`ch.md:21: goal "no leader" is met at the start; a goal is something the learner reaches`},
		{"not met", replace(t, "S1 voted-for S2\n", "S1 voted-for S2\nS3 voted-for S2\n"),
			`ch.md:21: goal "S3 voted-for S2" is not met after the solution (line 25)`},
		{"solution fails", replace(t, "timeout S2\n", "timeout S2\ndeliver S3>S1\n"),
			`ch.md:25: solution: action 2 (deliver S3>S1): no such message in flight`},
		{"bound broken", replace(t, "S1 voted-for S2\n", "S1 voted-for S2\nnever S2 candidate\n"),
			`ch.md:21: goal "never S2 candidate" is broken by the solution: it happened before the other goals were met`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ch, err := Parse("ch.md", "en", []byte(tc.src))
			require.NoError(t, err)
			err = Verify(ch)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// withJapanese lets a test load a Japanese translation: its words are the
// English table's.
func withJapanese(t *testing.T) {
	t.Helper()
	wordsTable = func(lang string) (*words.Table, bool) {
		if lang == "ja" {
			return words.English, true
		}
		return words.For(lang)
	}
	t.Cleanup(func() { wordsTable = words.For })
}

func TestLoadBook(t *testing.T) {
	second := strings.NewReplacer("id: 1", "id: 2", "slug: roles", "slug: votes").Replace(good)
	planned := "---\nid: 9\nslug: snapshots\ntitle: Snapshots\npart: 2\nstatus: planned\nsummary: Later.\n---\n"
	withJapanese(t)
	fsys := fstest.MapFS{
		"en/01-roles.md":  {Data: []byte(good)},
		"en/02-votes.md":  {Data: []byte(second)},
		"en/09-snap.md":   {Data: []byte(planned)},
		"ja/01-roles.md":  {Data: []byte(good)},
		"examples/min.md": {Data: []byte("not a language: no NN-slug.md chapter")},
	}
	book, err := Load(fsys, "tutorials")
	require.NoError(t, err)
	require.Len(t, book.Languages, 2)
	en := book.Language("en")
	require.NotNil(t, en)
	require.Len(t, en.Chapters, 3)
	assert.Len(t, en.Published(), 2)
	assert.True(t, en.Chapters[2].Planned)
	assert.Equal(t, "tutorials/en/01-roles.md", en.Chapters[0].File)
	assert.Equal(t, words.English.Get("tutorial.goals"), en.Words["goals"])
	assert.Equal(t, "ja", book.Languages[1].Code)
}

func TestLoadBookErrors(t *testing.T) {
	dupID := strings.Replace(good, "slug: roles", "slug: other", 1)
	cases := []struct {
		name  string
		files fstest.MapFS
		want  string
	}{
		{"duplicate id", fstest.MapFS{"en/01-a.md": {Data: []byte(good)},
			"en/02-b.md": {Data: []byte(dupID)}},
			"tutorials/en/02-b.md:2: id 1 is already used by tutorials/en/01-a.md"},
		{"duplicate slug", fstest.MapFS{"en/01-a.md": {Data: []byte(good)},
			"en/02-b.md": {Data: []byte(strings.Replace(good, "id: 1", "id: 2", 1))}},
			`tutorials/en/02-b.md:3: slug "roles" is already used by tutorials/en/01-a.md`},
		{"a language without words", fstest.MapFS{"en/01-a.md": {Data: []byte(good)}, "xx/01-a.md": {Data: []byte(good)}},
			`tutorials/xx: there are no words for "xx"; add raft/words/xx.txt`},
		{"part without a title", fstest.MapFS{
			"en/01-a.md": {Data: []byte(strings.Replace(good, "part: 1", "part: 4", 1))}},
			"tutorials/en/01-a.md:5: part 4: raft/words/en.txt has no title for it (key tutorial.part-4)"},
		{"translation with another slug", fstest.MapFS{"en/01-a.md": {Data: []byte(good)},
			"ja/01-a.md": {Data: []byte(strings.Replace(good, "slug: roles", "slug: yakuwari", 1))}},
			`tutorials/ja/01-a.md:2: slug "yakuwari" differs from the English chapter's "roles"; a translation keeps the slug, so links and progress carry over`},
		{"solution does not meet the goals", fstest.MapFS{
			"en/01-a.md": {Data: []byte(strings.Replace(good, "deliver S2>S1 vote; deliver S1>S2\n", "deliver S2>S1 vote\n", 1))}},
			`tutorials/en/01-a.md:19: goal "S2 leader term >= 1" is not met after the solution (line 24)`},
		{"no English", fstest.MapFS{"ja/01-a.md": {Data: []byte(good)}},
			"tutorials/en: the English chapters are missing"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			withJapanese(t)
			_, err := Load(tc.files, "tutorials")
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// Inputs that used to break the reader (issue 8): a planned chapter with an
// action link, a byte-order mark, a long quiz prompt of wide characters.
func TestUnusualChapters(t *testing.T) {
	planned := "---\nid: 9\nslug: snapshots\ntitle: Snapshots\npart: 2\nstatus: planned\n---\n" +
		"# Snapshots\n\nLater you will [crash the leader](action:crash S1).\n"
	ch, err := Parse("ch.md", "en", []byte(planned))
	require.NoError(t, err, "a planned chapter has no cluster, and its action links break nothing")
	assert.True(t, ch.Planned)
	_, err = Parse("ch.md", "en", []byte(strings.Replace(planned, "crash S1", "crash", 1)))
	assert.EqualError(t, err, "ch.md:10: action link \"crash the leader\": crash: expected a server like S2, got nothing")

	ch, err = Parse("ch.md", "en", []byte("\uFEFF"+good))
	require.NoError(t, err, "a chapter saved with a byte-order mark")
	assert.Equal(t, 1, ch.ID)

	wide := strings.Repeat("あ", 50) + "?"
	noAnswer := replace(t, "+ 3, its own included", "- 3, its own included")
	_, err = Parse("ch.md", "en", []byte(strings.Replace(noAnswer, "How many votes does a candidate need among *five* servers?", wide, 1)))
	require.Error(t, err)
	assert.True(t, utf8.ValidString(err.Error()), "the prompt is cut between characters: %q", err.Error())
	assert.Contains(t, err.Error(), `question "`+strings.Repeat("あ", 37)+`..." has no right answer`)
}

// A line that continues another is joined with a space, but not between
// two Japanese characters (a browser would show the space).
func TestJoinLines(t *testing.T) {
	for _, c := range []struct{ a, b, want string }{
		{"a majority", "of servers", "a majority of servers"},
		{"過半数の", "サーバー", "過半数のサーバー"},
		{"任期（term）", "です", "任期（term）です"},
		{"任期", "3 の", "任期 3 の"},
		{"term", "任期", "term 任期"},
	} {
		assert.Equal(t, c.want, joinLines(c.a, c.b))
	}
	// The quiz and the prose both drop the break.
	qs, err := parseQuiz("q.md", 1, "? 任期が\n  大きい\n+ はい\n- いいえ\n> 説明は\n  続く（§5.1）", 1)
	require.NoError(t, err)
	assert.Equal(t, "任期が大きい", string(qs[0].Prompt))
	assert.Equal(t, "説明は続く（§5.1）", string(qs[0].Explanation))
	assert.Equal(t, "過半数のサーバー", renderInline(newMarkdown(), "過半数の\nサーバー"))
	assert.Equal(t, "a majority\nof servers", renderInline(newMarkdown(), "a majority\nof servers"))
}
