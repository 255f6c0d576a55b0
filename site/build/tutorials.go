package build

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"strconv"
	"strings"

	"raftlab/raft/sim"
	"raftlab/raft/words"
	"raftlab/site/chapters"
)

// TutorialPart is one part of the chapter list.
type TutorialPart struct {
	N        int
	Title    string
	Chapters []*chapters.Chapter
}

// TutorialIndex is the data of templates/tutorial-index.html.
type TutorialIndex struct {
	Lang      string
	W         map[string]string
	Parts     []TutorialPart
	Authoring string // link to the authors' page
}

// TutorialPage is the data of templates/tutorial.html.
type TutorialPage struct {
	Lang       string
	W          map[string]string
	Chapter    *chapters.Chapter
	Kicker     string // "Chapter 3", the words tutorial.chapter filled
	PartTitle  string
	Prev, Next *chapters.Chapter
	Playground string // link to the playground
	// Static holds each exercise's first frame (StaticCluster), by N.
	Static map[int]template.HTML
	// Hints holds each exercise's solution, one action line a step, by N
	// (offered as a hint), and Solutions the whole of it.
	Hints     map[int][]string
	Solutions map[int]string
	// Legend is the exercise whose view opens its legend (chapter 1's
	// first), or 0.
	Legend int
	// Level is what an adversary level's page shows besides an exercise's
	// (nil for a chapter).
	Level *LevelPage
	// Switches names every rule switch, and SearchSizes the cluster
	// sizes, for a search block's choices.
	Switches    []string
	SearchSizes []int
}

// LevelPage is an adversary level's hints, its rule and its shortest
// known solution.
type LevelPage struct {
	Rule     string // what the switched-off rule says
	Hints    []string
	Shortest []string // the solution's actions, one a step
}

// levelPage reads a level's hints off its solution (sim.Words.Hints).
func levelPage(l *chapters.Language, ch *chapters.Chapter) *LevelPage {
	ex := ch.Exercises[0]
	wd := sim.WordsFor(l.Code)
	lp := &LevelPage{Rule: wd.SwitchRule(ch.Level), Hints: wd.Hints(ex.Scenario, ex.Solution, ch.LevelProperty())}
	for _, a := range ex.Solution {
		lp.Shortest = append(lp.Shortest, sim.FormatAction(a))
	}
	return lp
}

// solutionSteps splits a solution block into its action lines, without
// comments or blank lines.
func solutionSteps(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// TutorialDoc is the data of templates/tutorial-authoring.html.
type TutorialDoc struct {
	W    map[string]string
	HTML template.HTML
}

// BuildTutorials renders the tutorials: for each language a chapter list
// (tutorials/index.html; another language's in its folder, ja/tutorials/,
// see LangDir) and a page per published chapter (tutorials/<slug>.html), and
// the authors' page
// (tutorials/authoring.html, from AUTHORING.md). Every chapter is parsed
// and its solutions played first: a broken chapter fails the build with
// file:line messages.
func BuildTutorials(b *Builder) error {
	if b.Tutorials == nil {
		return nil
	}
	book, err := chapters.Load(b.Tutorials, "tutorials")
	if err != nil {
		n := 1
		var joined interface{ Unwrap() []error }
		if errors.As(err, &joined) {
			n = len(joined.Unwrap())
		}
		problems := "1 problem"
		if n > 1 {
			problems = strconv.Itoa(n) + " problems"
		}
		return fmt.Errorf("the chapters have %s:\n%w", problems, err)
	}
	for _, l := range book.Languages {
		table, _ := words.For(l.Code) // Load checked that there is one
		dir := LangDir(l.Code) + "tutorials/"
		page := func(p Page) Page { return b.langPage(p, table, dir) }
		authoring := upTo(dir) + "tutorials/authoring.html"
		if l.Code == "en" {
			authoring = "authoring.html"
		}
		idx := TutorialIndex{Lang: l.Code, W: l.Words, Authoring: authoring}
		for _, ch := range l.Chapters {
			if len(idx.Parts) == 0 || idx.Parts[len(idx.Parts)-1].N != ch.Part {
				idx.Parts = append(idx.Parts, TutorialPart{N: ch.Part, Title: l.Words["part-"+strconv.Itoa(ch.Part)]})
			}
			p := &idx.Parts[len(idx.Parts)-1]
			p.Chapters = append(p.Chapters, ch)
		}
		err := b.RenderPage(dir+"index.html", "tutorial-index", page(Page{
			Name: "tutorial-index", Title: l.Words["tutorials"], Description: l.Words["index-lead"], Data: idx,
		}))
		if err != nil {
			return err
		}
		pub := l.Published()
		for i, ch := range pub {
			data := TutorialPage{Lang: l.Code, W: l.Words, Chapter: ch, Kicker: table.Say("tutorial.chapter", "n", strconv.Itoa(ch.ID)),
				PartTitle: l.Words["part-"+strconv.Itoa(ch.Part)], Playground: upTo("tutorials/") + "playground.html",
				Static: map[int]template.HTML{}, Hints: map[int][]string{}, Solutions: map[int]string{}}
			for _, ex := range ch.Exercises {
				data.Static[ex.N] = StaticCluster(ex.Scenario, table)
				if steps := solutionSteps(ex.SolutionText); len(steps) > 0 {
					data.Hints[ex.N], data.Solutions[ex.N] = steps, strings.Join(steps, "\n")
				}
			}
			if ch.ID == 1 && len(ch.Exercises) > 0 {
				data.Legend = ch.Exercises[0].N
			}
			if ch.IsLevel {
				data.Level = levelPage(l, ch)
			}
			data.Switches, data.SearchSizes = sim.SwitchNames(), []int{3, 4, 5, 6, 7, 8, 9}
			if i > 0 {
				data.Prev = pub[i-1]
			}
			if i+1 < len(pub) {
				data.Next = pub[i+1]
			}
			desc := ch.Summary
			if desc == "" {
				desc = ch.Title
			}
			err := b.RenderPage(dir+ch.Slug+".html", "tutorial", page(Page{
				Name: "tutorial", Title: ch.Title, Widget: true, Description: desc, Data: data,
			}))
			if err != nil {
				return err
			}
		}
	}
	src, err := fs.ReadFile(b.Tutorials, "AUTHORING.md")
	if err != nil {
		return err
	}
	html, err := chapters.RenderDocument(src)
	if err != nil {
		return err
	}
	en := book.Languages[0]
	return b.RenderPage("tutorials/authoring.html", "tutorial-authoring", b.langPage(Page{
		Name: "tutorial-authoring", Title: en.Words["authoring"], Data: TutorialDoc{W: en.Words, HTML: template.HTML(html)},
	}, words.English, "tutorials/"))
}
