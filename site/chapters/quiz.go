package chapters

import (
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"

	"raftlab/raft/sim/lex"
)

// A quiz block holds one or more questions:
//
//	? How many votes does a candidate need among 5 servers?
//	- 2
//	+ 3, its own included
//	- 5
//	> A majority of 5 is 3, and a candidate always votes for itself.
//
// "?" starts a question, "-" is a wrong choice, "+" the one right choice,
// ">" the explanation shown after answering. A line indented by spaces
// continues the line before it; blank lines separate questions (they are
// optional). The texts are Markdown (code spans, emphasis, links).

// draft is a question being read, its texts still Markdown.
type draft struct {
	q           *Question
	prompt      string
	choices     []string
	correct     int
	explanation string
	last        byte // the mark of the line an indented line continues
}

func parseQuiz(file string, first int, src string, n int) ([]*Question, error) {
	md := newPlainMarkdown()
	var out []*Question
	var d *draft
	// finish checks the question read so far and renders it.
	finish := func() error {
		if d == nil {
			return nil
		}
		where := "question " + quote(short(d.prompt))
		switch {
		case len(d.choices) < 2:
			return errAt(file, d.q.Line, where+" has "+strconv.Itoa(len(d.choices))+" choices; give at least 2")
		case d.correct < 0:
			return errAt(file, d.q.Line, where+` has no right answer; mark the right choice with "+ " instead of "- "`)
		case d.explanation == "":
			return errAt(file, d.q.Line, where+` has no explanation; add a "> " line shown after answering`)
		}
		d.q.Prompt, d.q.Correct = template.HTML(renderInline(md, d.prompt)), d.correct
		for _, c := range d.choices {
			d.q.Choices = append(d.q.Choices, template.HTML(renderInline(md, c)))
		}
		d.q.Explanation = template.HTML(renderInline(md, d.explanation))
		out, d = append(out, d.q), nil
		return nil
	}
	for _, l := range lex.Lines(src, first) {
		raw := strings.TrimRight(l.Text, " \t")
		mark, text := byte(0), ""
		if raw != "" {
			mark, text = raw[0], strings.TrimSpace(raw[1:])
		}
		var msg string
		switch {
		case strings.TrimSpace(raw) == "":
		case mark == ' ' || mark == '\t':
			if d == nil {
				msg = `a continued line needs a line before it; start with "? question"`
			} else if more := strings.TrimSpace(raw); d.last == '?' {
				d.prompt = joinLines(d.prompt, more)
			} else if d.last == '>' {
				d.explanation = joinLines(d.explanation, more)
			} else {
				d.choices[len(d.choices)-1] = joinLines(d.choices[len(d.choices)-1], more)
			}
		case !strings.ContainsRune("?-+>", rune(mark)) || len(raw) > 1 && raw[1] != ' ':
			msg = `expected a line starting with "? " (a question), "- " (a wrong choice), ` +
				`"+ " (the right choice) or "> " (the explanation), got ` + quote(raw)
		case text == "":
			msg = quote(string(mark)) + " with nothing after it"
		case mark == '?':
			if err := finish(); err != nil {
				return nil, err
			}
			d = &draft{q: &Question{N: n + len(out), Line: l.N}, prompt: text, correct: -1, last: '?'}
		case d == nil && mark == '>':
			msg = `an explanation before any question; start with "? question"`
		case d == nil:
			msg = `a choice before any question; start with "? question"`
		case mark == '>':
			d.explanation, d.last = strings.TrimSpace(d.explanation+" "+text), '>'
		case d.explanation != "":
			msg = "a choice after the explanation; choices come first"
		case mark == '+' && d.correct >= 0:
			msg = `a second right choice; a question has exactly one "+ " choice`
		default:
			if mark == '+' {
				d.correct = len(d.choices)
			}
			d.choices, d.last = append(d.choices, text), mark
		}
		if msg != "" {
			return nil, errAt(file, l.N, "quiz: "+msg)
		}
	}
	if d == nil && len(out) == 0 {
		return nil, errAt(file, first-1, `the quiz block is empty; expected "? question", choices and "> explanation"`)
	}
	if err := finish(); err != nil {
		return nil, err
	}
	return out, nil
}

// short shortens a prompt for a message, never inside a character.
func short(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	cut := 0
	for range 37 {
		_, size := utf8.DecodeRuneInString(s[cut:])
		cut += size
	}
	return strings.TrimRight(s[:cut], " ") + "..."
}
