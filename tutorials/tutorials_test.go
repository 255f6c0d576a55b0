package tutorials_test

import (
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft/sim"
	"raftlab/raft/sim/goal"
	"raftlab/raft/words"
	"raftlab/site/chapters"
	"raftlab/tutorials"
)

// loadChapters parses every chapter file of every language, without
// chapters.Load's own verification, so that the test below does it step by
// step.
func loadChapters(t *testing.T) []*chapters.Chapter {
	t.Helper()
	var out []*chapters.Chapter
	names, err := fs.Glob(tutorials.Files, "*/*.md")
	require.NoError(t, err)
	for _, name := range names {
		lang := path.Dir(name)
		if lang == "examples" {
			continue
		}
		src, err := fs.ReadFile(tutorials.Files, name)
		require.NoError(t, err)
		ch, err := chapters.Parse(path.Join("tutorials", name), lang, src)
		require.NoError(t, err)
		out = append(out, ch)
	}
	require.NotEmpty(t, out)
	return out
}

// The strongest check of a chapter: for every exercise, no goal is met at
// the start; the solution plays through the simulator; then every goal is
// met and no bound is broken.
func TestEveryChapterSolutionMeetsItsGoals(t *testing.T) {
	for _, ch := range loadChapters(t) {
		if ch.Planned {
			continue
		}
		for _, ex := range ch.Exercises {
			t.Run(ch.Lang+"/"+ch.Slug+"/exercise-"+strconv.Itoa(ex.N), func(t *testing.T) {
				c, err := ex.Start()
				require.NoError(t, err)
				w := goal.NewWatcher(ex.Goals)
				for i, met := range w.Update(c) {
					require.False(t, met, "%s:%d: goal %q is met at the start", ch.File, ex.Goals[i].Line, ex.Goals[i].Text)
				}
				for i, a := range ex.Solution {
					require.NoError(t, c.Do(a), "%s:%d: solution action %d (%s)", ch.File, ex.SolutionLine, i+1, sim.FormatAction(a))
					w.Update(c)
				}
				met, broken := w.Update(c), w.Broken()
				for i, g := range ex.Goals {
					require.False(t, broken[i], "%s:%d: bound %q is broken by the solution", ch.File, g.Line, g.Text)
					require.True(t, met[i], "%s:%d: goal %q is not met after the solution\n%s",
						ch.File, g.Line, g.Text, sim.English.Trace(c.Events(0)))
				}
				// A fresh watcher reading the whole run agrees with the one
				// that followed it action by action.
				require.Equal(t, met, goal.Check(ex.Goals, c))
				// Undoing the whole run unmeets every goal again.
				c.Seek(0)
				for i, m := range w.Update(c) {
					require.False(t, m, "goal %q is still met after going back to the start", ex.Goals[i].Text)
				}
			})
		}
	}
}

// The curriculum: each chapter has its id, slug and part (1 to 8 the core
// algorithm, 9 to 14 Raft in practice). Part 1 and chapters 9 to 14 are
// published, each with a summary, a quiz of 2 or 3 questions and exercises
// that start with frozen timers; the others may still be planned. Part 3
// holds the adversary levels (ids from 15), one per rule switch the
// simulator can reach.
func TestTheCurriculumIsThere(t *testing.T) {
	book, err := chapters.Load(tutorials.Files, "tutorials")
	require.NoError(t, err)
	en := book.Language("en")
	require.NotNil(t, en)
	slugs := []string{"roles-terms-votes", "split-votes", "log-replication", "commit-apply",
		"election-restriction", "figure-8", "stale-leaders", "persistence",
		"log-compaction", "membership-changes", "pre-vote-check-quorum", "leadership-transfer",
		"linearizable-reads", "break-the-algorithm"}
	var chs []*chapters.Chapter
	levels := map[string]bool{}
	for _, ch := range en.Chapters {
		if !ch.IsLevel {
			chs = append(chs, ch)
			continue
		}
		assert.Equal(t, 3, ch.Part, ch.File)
		assert.Greater(t, ch.ID, len(slugs), ch.File)
		assert.False(t, levels[ch.Level.Name], "%s: a second level for %s", ch.File, ch.Level.Name)
		levels[ch.Level.Name] = true
		assert.Equal(t, "level-"+ch.Level.Name, ch.Slug)
		assert.NotEmpty(t, ch.Summary, ch.File)
		assert.NotEmpty(t, ch.Exercises[0].Goals[0].Comment, ch.File)
	}
	require.Len(t, chs, len(slugs))
	published := map[int]bool{}
	for i, ch := range chs {
		assert.Equal(t, i+1, ch.ID)
		assert.Equal(t, slugs[i], ch.Slug)
		assert.Equal(t, 1+ch.ID/9, ch.Part, "%s: chapters 1 to 8 are part 1, 9 to 14 part 2", ch.File)
		if ch.Planned {
			continue
		}
		published[ch.ID] = true
		assert.NotEmpty(t, ch.Summary, ch.File)
		assert.True(t, len(ch.Questions) >= 2 && len(ch.Questions) <= 3, "%s has %d quiz questions", ch.File, len(ch.Questions))
		assert.NotEmpty(t, ch.Exercises, ch.File)
		for _, ex := range ch.Exercises {
			assert.True(t, ex.Scenario.FrozenTimers, "%s exercise %d: timers should start frozen so the reader drives", ch.File, ex.N)
			for i := range ex.Goals {
				assert.NotEmpty(t, ex.Goals[i].Comment, "%s:%d: a goal needs words for the reader (a # comment)", ch.File, ex.Goals[i].Line)
			}
		}
	}
	for _, id := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14} {
		assert.True(t, published[id], "chapter %d is published", id)
	}
	for _, sw := range sim.Switches() {
		assert.True(t, levels[sw.Name], "no adversary level for %s", sw.Name)
	}
}

// optionalLinks are action links that do not run when a reader clicks every
// link in page order, because the prose first asks for a reset (a variant
// to try after the goals are met).
// They are named by the chapter's file, the same in every language.
var optionalLinks = map[string]bool{
	"04-commit-apply.md: drop S1>S2 AppendEntries": true,
}

// Every action link of a chapter runs when a reader clicks all of them in
// page order, each on its exercise's cluster (except the optional ones), and
// then every goal is met: the prose alone leads the reader through.
func TestActionLinksRunInOrder(t *testing.T) {
	for _, ch := range loadChapters(t) {
		if ch.Planned || ch.IsLevel {
			continue // a level is played by hand: its solution is checked instead
		}
		clusters := map[int]*sim.Cluster{}
		for _, b := range ch.Blocks {
			if !b.IsProse() {
				continue
			}
			for _, link := range actionLinks(string(b.HTML)) {
				ex := ch.Exercises[link.exercise-1]
				c := clusters[link.exercise]
				if c == nil {
					var err error
					c, err = ex.Start()
					require.NoError(t, err)
					clusters[link.exercise] = c
				}
				as, err := sim.ParseActions(link.actions)
				require.NoError(t, err)
				if err := c.DoAtomic(as); err != nil && !optionalLinks[path.Base(ch.File)+": "+link.actions] {
					t.Errorf("%s: the link %q does not run when the links are clicked in page order: %v", ch.File, link.actions, err)
				}
			}
		}
		for _, ex := range ch.Exercises {
			c := clusters[ex.N]
			require.NotNil(t, c, "%s: exercise %d has no action links", ch.File, ex.N)
			for i, met := range goal.Check(ex.Goals, c) {
				assert.True(t, met, "%s:%d: goal %q is not met after clicking every link in page order",
					ch.File, ex.Goals[i].Line, ex.Goals[i].Text)
			}
		}
	}
}

type link struct {
	exercise int
	actions  string
}

// actionLinks finds the buttons goldmark rendered for action links.
func actionLinks(html string) []link {
	var out []link
	for _, part := range strings.Split(html, `class="tut-action" data-exercise="`)[1:] {
		n, rest, _ := strings.Cut(part, `"`)
		ex, _ := strconv.Atoi(n)
		_, rest, _ = strings.Cut(rest, `data-action="`)
		text, _, _ := strings.Cut(rest, `"`)
		text = strings.NewReplacer("&gt;", ">", "&lt;", "<", "&#39;", "'", "&quot;", `"`, "&amp;", "&").Replace(text)
		out = append(out, link{exercise: ex, actions: text})
	}
	return out
}

// The example of the authors' guide is a valid chapter, and the guide shows
// it word for word.
func TestMinimalExample(t *testing.T) {
	src, err := fs.ReadFile(tutorials.Files, "examples/minimal.md")
	require.NoError(t, err)
	ch, err := chapters.Parse("tutorials/examples/minimal.md", "en", src)
	require.NoError(t, err)
	require.NoError(t, chapters.Verify(ch))
	guide, err := fs.ReadFile(tutorials.Files, "AUTHORING.md")
	require.NoError(t, err)
	_, after, ok := strings.Cut(string(guide), "````markdown\n")
	require.True(t, ok, "AUTHORING.md shows the example in a ````markdown block")
	shown, _, ok := strings.Cut(after, "````\n")
	require.True(t, ok)
	assert.Equal(t, string(src), shown, "AUTHORING.md and examples/minimal.md differ")
}

// The authors' guide names every action, goal word, reason and property.
func TestAuthoringGuideIsComplete(t *testing.T) {
	guide, err := fs.ReadFile(tutorials.Files, "AUTHORING.md")
	require.NoError(t, err)
	text := string(guide)
	has := func(s, what string) {
		t.Helper()
		assert.True(t, strings.Contains(text, s), "AUTHORING.md does not mention %s %q", what, s)
	}
	for _, w := range goal.Words() {
		has(w, "the goal word")
	}
	for _, a := range []string{"`next", "`advance", "`deliver", "`drop", "`dup", "`flush", "`timeout", "`propose",
		"`read", "`crash", "`restart", "forget-vote`", "lose-tail", "`partition", "`cut", "`restore", "`heal",
		"`drop-rate", "`latency", "`freeze", "`unfreeze"} {
		has(a, "the action")
	}
	// Every action word the parser knows.
	_, err = sim.ParseAction("no-such-action")
	require.Error(t, err)
	_, list, _ := strings.Cut(err.Error(), "expected one of: ")
	require.NotEmpty(t, list)
	for _, a := range strings.Split(list, ", ") {
		has("`"+a, "the action (from the parser)")
	}
	for _, k := range []string{"id", "slug", "title", "part", "summary", "status"} {
		has("`"+k+"`", "the front matter key")
	}
	for _, r := range []string{"vote-granted", "reply-ignored-stale", "commit-deferred", "heartbeat-sent"} {
		has(r, "the reason")
	}
}

// The English words table gives every word of the tutorial pages.
func TestWordsFile(t *testing.T) {
	for _, wk := range chapters.WordKeys {
		assert.True(t, words.English.Has("tutorial."+wk[0]), wk[0])
	}
}

// citation is a section of the Raft paper ("§5.4.2") or of Ongaro's
// dissertation ("dissertation §6.4").
var citation = regexp.MustCompile(`§\d+(\.\d+)*`)

// Every quiz explanation cites the section of the paper (or of the
// dissertation) that backs it, so a reader, a reviewer and a translator can
// check the claim at its source.
func TestQuizExplanationsCiteASection(t *testing.T) {
	src, err := fs.ReadFile(tutorials.Files, "examples/minimal.md")
	require.NoError(t, err)
	example, err := chapters.Parse("tutorials/examples/minimal.md", "en", src)
	require.NoError(t, err)
	for _, ch := range append(loadChapters(t), example) {
		for _, q := range ch.Questions {
			assert.Regexp(t, citation, string(q.Explanation),
				"%s:%d: the explanation of question %d cites no section of the paper or dissertation (e.g. §5.4.2)",
				ch.File, q.Line, q.N)
		}
	}
}

// retiredClaims are sentences of chapters 1–8 and of the reason templates
// that the accuracy review of chapters 1–8 found wrong, misleading or
// imprecise (by finding id), and that were rewritten. They must not come
// back, in these words, into an English chapter or template. What the
// corrected texts claim is backed by the chapters' goals and solutions, the
// reason tests in raft, and the quiz citations above.
var retiredClaims = []struct{ finding, text string }{
	{"W1", "a new leader might not have the entry"},
	{"W2", "ignore stale reply from {peer}: its term {got}"},
	{"M1", "keep the others from ever timing out"},
	{"M1", "and the cluster would have no leader"},
	{"M2", "sent entry 5 (term 2) to a majority"},
	{"M2", "if the new leader's log holds entry 5"},
	{"M4", "is lost with it"},
	{"I1", "until it hears nothing for too long"},
	{"I2", "a message from a lower term is out of date and is refused"},
	{"I3", "picks a new one every time a timer is reset"},
	{"I4", "any of its own entries that conflict with them are deleted"},
	{"I5", "or its leader appended nothing"},
	{"I6", "when a majority of servers hold it (and it is from the leader's own term"},
	{"I7", "commit it again in its own term"},
	{"I8", "linearizable reads only through the leader"},
	{"I9", "drop any reply whose term is not its current term"},
	{"I9", "If it is not the current term, the reply belongs to an old request"},
	{"I10", "+ To prevLogIndex plus the number of entries that request carried. "},
	{"I11", "it sends any message that reveals them"},
	{"I12", "rejected index {index} but match is {got}"},
	{"chapter 6 quiz 2", "Entries are never committed by a deposed leader's counting"},
	{"chapter 7 line 16", "an old leader can commit nothing"},
}

// The rewritten claims stay out of the English chapters and templates.
func TestRetiredClaimsStayOut(t *testing.T) {
	space := regexp.MustCompile(`\s+`)
	var english []string
	for _, k := range words.English.Keys() {
		english = append(english, words.English.Get(k))
	}
	texts := map[string]string{"raft/words/en.txt": strings.Join(english, "\n")}
	names, err := fs.Glob(tutorials.Files, "en/*.md")
	require.NoError(t, err)
	for _, name := range names {
		src, err := fs.ReadFile(tutorials.Files, name)
		require.NoError(t, err)
		texts["tutorials/"+name] = space.ReplaceAllString(string(src), " ") + " "
	}
	for _, rc := range retiredClaims {
		for name, text := range texts {
			assert.NotContains(t, text, rc.text, "%s brings back the wording that finding %s retired", name, rc.finding)
		}
	}
}

// Every adversary level can be won, and the search proves it: started
// from the level's cluster, with its rule off, it finds a run that breaks
// the property the level asks for, within a fixed budget of schedules
// (natively; the browser tests play each level's solution in the page).
func TestEveryLevelIsWinnable(t *testing.T) {
	for _, ch := range loadChapters(t) {
		if !ch.IsLevel {
			continue
		}
		t.Run(ch.Slug, func(t *testing.T) {
			sc := ch.Exercises[0].Scenario
			s, err := sim.NewSearch(sim.SearchOptions{Switch: ch.Level.Name, Seed: 1, Scenario: &sc,
				Property: ch.LevelProperty(), MaxSchedules: 20000})
			require.NoError(t, err)
			for !s.Run(64) {
			}
			f, ok := s.Found()
			require.True(t, ok, "%s: the search found no run that breaks %v in %d schedules", ch.File, ch.LevelProperty(), s.Progress().Schedules)
			t.Logf("won after %d schedules (%d steps), a run of %d actions; the solution takes %d", f.Schedules, f.Steps, len(f.Actions), len(ch.Exercises[0].Solution))
		})
	}
}
