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

type quizItem struct {
	mark byte // '?', '-', '+', '>'
	text string
	line int
}

func parseQuiz(file string, first int, src string, n int) ([]*Question, error) {
	var items []quizItem
	for _, l := range lex.Lines(src, first) {
		line, raw := l.N, strings.TrimRight(l.Text, " \t")
		if strings.TrimSpace(raw) == "" {
			continue
		}
		if raw[0] == ' ' || raw[0] == '\t' {
			if len(items) == 0 {
				return nil, errAt(file, line, `quiz: a continued line needs a line before it; start with "? question"`)
			}
			items[len(items)-1].text += " " + strings.TrimSpace(raw)
			continue
		}
		mark := raw[0]
		if !strings.ContainsRune("?-+>", rune(mark)) || (len(raw) > 1 && raw[1] != ' ') {
			return nil, errAt(file, line, `quiz: expected a line starting with "? " (a question), "- " (a wrong choice), `+
				`"+ " (the right choice) or "> " (the explanation), got `+quote(raw))
		}
		text := strings.TrimSpace(raw[1:])
		if text == "" {
			return nil, errAt(file, line, "quiz: "+quote(string(mark))+" with nothing after it")
		}
		items = append(items, quizItem{mark: mark, text: text, line: line})
	}
	if len(items) == 0 {
		return nil, errAt(file, first-1, `the quiz block is empty; expected "? question", choices and "> explanation"`)
	}
	md := newPlainMarkdown()
	var out []*Question
	var q *Question
	var choices []string
	var explanation []string
	correct := -1
	finish := func(next int) error {
		if q == nil {
			return nil
		}
		where := "question " + quote(short(string(q.Prompt)))
		switch {
		case len(choices) < 2:
			return errAt(file, q.Line, where+" has "+strconv.Itoa(len(choices))+" choices; give at least 2")
		case correct < 0:
			return errAt(file, q.Line, where+` has no right answer; mark the right choice with "+ " instead of "- "`)
		case len(explanation) == 0:
			return errAt(file, q.Line, where+` has no explanation; add a "> " line shown after answering`)
		}
		q.Prompt = template.HTML(renderInline(md, string(q.Prompt)))
		for _, c := range choices {
			q.Choices = append(q.Choices, template.HTML(renderInline(md, c)))
		}
		q.Correct = correct
		q.Explanation = template.HTML(renderInline(md, strings.Join(explanation, " ")))
		out = append(out, q)
		q, choices, explanation, correct = nil, nil, nil, -1
		return nil
	}
	for _, it := range items {
		switch it.mark {
		case '?':
			if err := finish(it.line); err != nil {
				return nil, err
			}
			q = &Question{N: n + len(out), Line: it.line, Prompt: template.HTML(it.text)}
		case '-', '+':
			if q == nil {
				return nil, errAt(file, it.line, `quiz: a choice before any question; start with "? question"`)
			}
			if len(explanation) > 0 {
				return nil, errAt(file, it.line, "quiz: a choice after the explanation; choices come first")
			}
			if it.mark == '+' {
				if correct >= 0 {
					return nil, errAt(file, it.line, "quiz: a second right choice; a question has exactly one \"+ \" choice")
				}
				correct = len(choices)
			}
			choices = append(choices, it.text)
		case '>':
			if q == nil {
				return nil, errAt(file, it.line, `quiz: an explanation before any question; start with "? question"`)
			}
			explanation = append(explanation, it.text)
		}
	}
	if err := finish(0); err != nil {
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
