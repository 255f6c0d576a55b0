// Package chapters reads raftlab's tutorial chapters: Markdown files with
// front matter, prose with action links, and fenced blocks for the
// chapter's live cluster (scenario), its goals, quizzes and a solution. The
// format is described for authors in tutorials/AUTHORING.md.
//
// Parse checks a chapter with the simulator's own parsers (sim.ParseScenarioAt,
// sim.ParseActions, goal.Parse), so an error names the file and line where
// the author must look:
//
//	tutorials/en/03-log-replication.md:41: setup: deliver: expected a message id or FROM>TO, got "S1-S2"
//
// Verify plays each exercise's solution through the simulator and checks
// that no goal is met at the start and every goal is met at the end.
//
// Prose is rendered by goldmark with raw HTML disabled: nothing an author
// writes reaches the page as HTML except what goldmark makes of Markdown.
package chapters

import (
	"bytes"
	"errors"
	"html/template"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"raftlab/raft/sim"
	"raftlab/raft/sim/goal"
	"raftlab/raft/sim/lex"
)

// Chapter is one parsed chapter.
type Chapter struct {
	File    string // as named in errors, e.g. tutorials/en/01-roles-terms-votes.md
	Lang    string
	ID      int
	Slug    string
	Title   string
	Part    int
	Summary string
	// Planned chapters are listed as coming later and get no page.
	Planned bool
	// Level is the rule switch of an adversary level (levels.go); IsLevel
	// says the chapter is one.
	Level   sim.Switch
	IsLevel bool

	Blocks    []Block // the page, in order
	Exercises []*Exercise
	Questions []*Question // every quiz question, in order
	Searches  []*Search   // every search block, in order

	keys lex.Keys // the front matter's keys, with their lines
}

// BlockKind says what a Block shows.
type BlockKind uint8

const (
	Prose       BlockKind = iota // HTML rendered from Markdown
	Cluster                      // an exercise's live cluster (where its scenario block was)
	Goals                        // an exercise's goals (where its goals block was)
	Quiz                         // a quiz (one or more questions)
	SearchPanel                  // the in-page search (levels.go)
)

// Block is one piece of a chapter's page.
type Block struct {
	Kind      BlockKind
	HTML      template.HTML // Prose: goldmark's rendering, raw HTML omitted
	Exercise  *Exercise     // Cluster, Goals
	Questions []*Question   // Quiz
	Search    *Search       // SearchPanel
}

// Exercise is a live cluster with its goals and solution. A scenario block
// starts one; the goals and solution blocks after it belong to it.
type Exercise struct {
	N             int // 1-based
	Line          int // the scenario block's first line
	ScenarioText  string
	Scenario      sim.Scenario
	GoalsText     string
	GoalsLine     int
	Goals         []goal.Goal
	SolutionText  string
	SolutionLine  int
	Solution      []sim.Action
	SolutionLines []int // the line of each action of Solution
}

// Label is the words shown for goal i: its comment, or its text.
func (ex *Exercise) Label(i int) string {
	if c := ex.Goals[i].Comment; c != "" {
		return c
	}
	return ex.Goals[i].Text
}

// Labels are the words shown for every goal.
func (ex *Exercise) Labels() []string {
	out := make([]string, len(ex.Goals))
	for i := range ex.Goals {
		out[i] = ex.Label(i)
	}
	return out
}

// Section is a run of a chapter's blocks shown beside one exercise's live
// cluster, from its scenario block to the next one. The opening section,
// before the first scenario block, has no exercise.
type Section struct {
	Exercise *Exercise
	Blocks   []Block // without the Cluster block itself
}

// Sections splits the page at each exercise's cluster, so a wide page can
// keep the cluster in view beside the steps that drive it.
func (c *Chapter) Sections() []Section {
	out := []Section{{}}
	for _, b := range c.Blocks {
		if b.Kind == Cluster {
			out = append(out, Section{Exercise: b.Exercise})
			continue
		}
		last := &out[len(out)-1]
		last.Blocks = append(last.Blocks, b)
	}
	if out[0].Blocks == nil {
		out = out[1:]
	}
	return out
}

// IsProse, IsCluster, IsGoals and IsQuiz say what b is (for templates).
func (b Block) IsProse() bool   { return b.Kind == Prose }
func (b Block) IsCluster() bool { return b.Kind == Cluster }
func (b Block) IsGoals() bool   { return b.Kind == Goals }
func (b Block) IsQuiz() bool    { return b.Kind == Quiz }
func (b Block) IsSearch() bool  { return b.Kind == SearchPanel }

// Question is one quiz question. Its parts are rendered inline Markdown.
type Question struct {
	N           int // 1-based in the chapter
	Line        int
	Prompt      template.HTML
	Choices     []template.HTML
	Correct     int // index into Choices
	Explanation template.HTML
}

func errAt(file string, line int, msg string) error {
	return &sim.ParseError{File: file, Line: line, Msg: msg}
}

// special is a fenced block the format gives a meaning to.
type special struct {
	kind   string // scenario, goals, quiz, solution
	attrs  string
	node   *ast.FencedCodeBlock
	line   int // the first content line (the fence's line + 1)
	fence  int // the fence's line
	text   string
	nested bool
}

var specialKinds = []string{"scenario", "goals", "quiz", "solution", "search"}

// Parse reads one chapter. file names it in errors; lang is its language.
func Parse(file, lang string, src []byte) (*Chapter, error) {
	ch := &Chapter{File: file, Lang: lang}
	body, bodyLine, err := readFrontMatter(file, ch, string(src))
	if err != nil {
		return nil, err
	}
	bodyBytes := []byte(body)
	lines := newLineIndex(bodyBytes, bodyLine)
	md := newMarkdown()
	doc := md.Parser().Parse(text.NewReader(bodyBytes))

	// Find the special blocks and action links, in document order.
	var specials []*special
	var actions []*actionNode
	specialOf := map[ast.Node]*special{}
	err = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.FencedCodeBlock:
			if n.Info == nil {
				return ast.WalkSkipChildren, nil
			}
			info := strings.TrimSpace(string(n.Info.Segment.Value(bodyBytes)))
			word, attrs, _ := strings.Cut(info, " ")
			for _, k := range specialKinds {
				if word == k {
					sp := &special{kind: k, attrs: strings.TrimSpace(attrs), node: n,
						fence: lines.line(n.Info.Segment.Start), nested: n.Parent() != doc}
					sp.line = sp.fence + 1
					var b strings.Builder
					for i := 0; i < n.Lines().Len(); i++ {
						seg := n.Lines().At(i)
						b.Write(seg.Value(bodyBytes))
					}
					sp.text = b.String()
					specials = append(specials, sp)
					specialOf[n] = sp
				}
			}
			return ast.WalkSkipChildren, nil
		case *actionNode:
			actions = append(actions, n)
			// Which exercise it drives: the last scenario before it (the
			// first one for links before any).
			n.exercise = 0
			for _, sp := range specials {
				if sp.kind == "scenario" {
					n.exercise++
				}
			}
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		return nil, err
	}

	// Exercises, goals, solutions, quizzes.
	var cur *Exercise
	goalsLine := map[*Exercise]int{}
	quizzes := map[*special][]*Question{}
	searches := map[*special]*Search{}
	for _, sp := range specials {
		if sp.nested {
			return nil, errAt(file, sp.fence, "a "+sp.kind+" block must stand on its own, not inside a list or a quote")
		}
		if sp.attrs != "" {
			return nil, errAt(file, sp.fence, "a "+sp.kind+" block takes nothing after "+quote(sp.kind)+", got "+quote(sp.attrs))
		}
		switch sp.kind {
		case "scenario":
			ex, err := parseExercise(file, sp, len(ch.Exercises)+1)
			if err != nil {
				return nil, err
			}
			ch.Exercises = append(ch.Exercises, ex)
			cur = ex
		case "goals":
			if cur == nil {
				return nil, errAt(file, sp.fence, "a goals block belongs to the scenario block before it, and there is none")
			}
			if prev := goalsLine[cur]; prev != 0 {
				return nil, errAt(file, sp.fence, "exercise "+strconv.Itoa(cur.N)+" already has goals (line "+
					strconv.Itoa(prev)+"); start another exercise with a scenario block")
			}
			goalsLine[cur] = sp.fence
			gs, err := goal.Parse(file, sp.line, sp.text)
			if err != nil {
				return nil, err
			}
			if err := checkGoals(file, sp, cur, gs); err != nil {
				return nil, err
			}
			cur.Goals, cur.GoalsText, cur.GoalsLine = gs, sp.text, sp.line
		case "solution":
			if cur == nil {
				return nil, errAt(file, sp.fence, "a solution block belongs to the scenario block before it, and there is none")
			}
			if cur.SolutionLine != 0 {
				return nil, errAt(file, sp.fence, "exercise "+strconv.Itoa(cur.N)+" already has a solution (line "+
					strconv.Itoa(cur.SolutionLine)+")")
			}
			as, lines, err := sim.ParseActionsAt(file, sp.line, sp.text)
			if err != nil {
				return nil, err
			}
			if len(as) == 0 {
				return nil, errAt(file, sp.fence, "the solution block is empty; give the actions that meet the goals")
			}
			for i, a := range as {
				if err := checkServers(file, lines[i], a, cur); err != nil {
					return nil, err
				}
			}
			cur.Solution, cur.SolutionLines, cur.SolutionText, cur.SolutionLine = as, lines, sp.text, sp.line
		case "quiz":
			qs, err := parseQuiz(file, sp.line, sp.text, len(ch.Questions)+1)
			if err != nil {
				return nil, err
			}
			ch.Questions = append(ch.Questions, qs...)
			quizzes[sp] = qs
		case "search":
			s, err := parseSearch(file, sp, len(ch.Searches)+1)
			if err != nil {
				return nil, err
			}
			ch.Searches = append(ch.Searches, s)
			searches[sp] = s
		}
	}
	for _, ex := range ch.Exercises {
		switch {
		case ex.GoalsLine == 0:
			return nil, errAt(file, ex.Line-1, "exercise "+strconv.Itoa(ex.N)+" has no goals block after its scenario")
		case ex.SolutionLine == 0:
			return nil, errAt(file, ex.Line-1, "exercise "+strconv.Itoa(ex.N)+" has no solution block after its scenario")
		}
	}
	if ch.Planned && len(ch.Exercises) > 0 {
		return nil, errAt(file, ch.Exercises[0].Line-1, "a planned chapter has no exercises yet; remove \"status: planned\" to publish it")
	}
	if !ch.Planned && len(ch.Exercises) == 0 {
		return nil, errAt(file, bodyLine, "a chapter needs an exercise: a scenario block, a goals block and a solution block")
	}
	if ch.IsLevel {
		if err := checkLevel(ch); err != nil {
			return nil, err
		}
	}

	// Action links.
	for _, a := range actions {
		line := lines.line(a.offset)
		if !a.closed {
			return nil, errAt(file, line, "action link "+quote(a.label)+" is not closed with ')' on its line")
		}
		link := "action link " + quote(a.label) + ": "
		as, _, err := sim.ParseActionsAt(file, line, a.text)
		if err != nil {
			return nil, errAt(file, line, link+message(err))
		}
		if len(as) == 0 {
			return nil, errAt(file, line, link+"expected an action after \"action:\", got nothing")
		}
		a.exercise = max(a.exercise, 1)
		if a.exercise <= len(ch.Exercises) { // a planned chapter has no cluster to check against
			for _, x := range as {
				if err := checkServers(file, line, x, ch.Exercises[a.exercise-1]); err != nil {
					return nil, errAt(file, line, link+message(err))
				}
			}
		}
		texts := make([]string, len(as))
		for i, x := range as {
			texts[i] = sim.FormatAction(x)
		}
		a.actions = strings.Join(texts, "\n")
	}

	// Render: prose between the special blocks.
	var prose bytes.Buffer
	flush := func() {
		if s := strings.TrimSpace(prose.String()); s != "" {
			ch.Blocks = append(ch.Blocks, Block{Kind: Prose, HTML: template.HTML(s)})
		}
		prose.Reset()
	}
	exN := 0
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		sp := specialOf[n]
		if sp == nil {
			if err := md.Renderer().Render(&prose, bodyBytes, n); err != nil {
				return nil, err
			}
			continue
		}
		flush()
		switch sp.kind {
		case "scenario":
			exN++
			ch.Blocks = append(ch.Blocks, Block{Kind: Cluster, Exercise: ch.Exercises[exN-1]})
		case "goals":
			ch.Blocks = append(ch.Blocks, Block{Kind: Goals, Exercise: ch.Exercises[exN-1]})
		case "quiz":
			ch.Blocks = append(ch.Blocks, Block{Kind: Quiz, Questions: quizzes[sp]})
		case "search":
			ch.Blocks = append(ch.Blocks, Block{Kind: SearchPanel, Search: searches[sp]})
		}
	}
	flush()
	return ch, nil
}

// parseExercise reads a scenario block and starts its cluster once, so that
// a setup that cannot run is reported here, at its line.
func parseExercise(file string, sp *special, n int) (*Exercise, error) {
	ex := &Exercise{N: n, Line: sp.line, ScenarioText: sp.text}
	c, err := sim.NewFromText(file, sp.line, sp.text)
	if err != nil {
		var pe *sim.ParseError
		if errors.As(err, &pe) {
			return nil, err
		}
		return nil, errAt(file, sp.line, "scenario: "+err.Error())
	}
	ex.Scenario = c.Scenario()
	return ex, nil
}

// message is what an error says, without the file and line a ParseError
// gives.
func message(err error) string {
	var pe *sim.ParseError
	if errors.As(err, &pe) {
		return pe.Msg
	}
	return err.Error()
}

// checkGoals checks the servers goals name against the exercise's cluster,
// and that a list is not only bounds.
func checkGoals(file string, sp *special, ex *Exercise, gs []goal.Goal) error {
	if len(gs) == 0 {
		return errAt(file, sp.fence, "the goals block is empty; give at least one goal")
	}
	positive := false
	for _, g := range gs {
		positive = positive || !g.Bound()
		for _, id := range g.Servers() {
			if int(id) > ex.Scenario.Nodes {
				return errAt(file, g.Line, "goal "+quote(g.Text)+": "+id.String()+": the cluster has only "+
					strconv.Itoa(ex.Scenario.Nodes)+" servers")
			}
		}
		if m := g.MinServers(); m > ex.Scenario.Nodes {
			return errAt(file, g.Line, "goal "+quote(g.Text)+": the cluster has only "+
				strconv.Itoa(ex.Scenario.Nodes)+" servers")
		}
	}
	if !positive {
		return errAt(file, sp.fence, `the goals block has only "never" goals, which would be met at the start; add a goal to reach`)
	}
	return nil
}

// checkServers checks that an action names only servers of the exercise.
func checkServers(file string, line int, a sim.Action, ex *Exercise) error {
	for _, id := range a.Servers() {
		if int(id) > ex.Scenario.Nodes {
			return errAt(file, line, sim.FormatAction(a)+": "+id.String()+": the cluster has only "+
				strconv.Itoa(ex.Scenario.Nodes)+" servers")
		}
	}
	return nil
}
