package chapters

import (
	"slices"
	"strings"

	"raftlab/raft/sim"
	"raftlab/raft/sim/lex"
)

// frontKeys are the keys of a chapter's front matter, each with how its
// value is read into the chapter (the message says what is wrong).
var frontKeys = []struct {
	name string
	read func(ch *Chapter, v string) string
}{
	{"id", func(ch *Chapter, v string) string {
		n, msg := lex.Number(v, 1, 999, false)
		ch.ID = int(n)
		return msg
	}},
	{"slug", func(ch *Chapter, v string) string {
		if ch.Slug = v; !validSlug(v) {
			return "expected lower-case letters, digits and '-' (it names the page), got " + lex.Got(v)
		}
		return ""
	}},
	{"title", func(ch *Chapter, v string) string {
		if ch.Title = v; v == "" {
			return "expected the chapter's title, got nothing"
		}
		return ""
	}},
	{"part", func(ch *Chapter, v string) string {
		n, msg := lex.Number(v, 1, 9, false)
		ch.Part = int(n)
		return msg
	}},
	{"summary", func(ch *Chapter, v string) string { ch.Summary = v; return "" }},
	{"level", func(ch *Chapter, v string) string {
		sw, ok := sim.SwitchNamed(v)
		if !ok {
			return "expected the name of a rule switch (" + strings.Join(sim.SwitchNames(), ", ") + "), got " + lex.Got(v)
		}
		ch.Level, ch.IsLevel = sw, true
		return ""
	}},
	{"status", func(ch *Chapter, v string) string {
		if ch.Planned = v == "planned"; !ch.Planned && v != "ready" && v != "" {
			return `expected "planned" (listed as coming later, no page) or "ready", got ` + lex.Got(v)
		}
		return ""
	}},
}

// readFrontMatter fills ch from the front matter of src: a line "---",
// "key: value" lines (and '#' comments), a line "---". It returns the body
// after it and the body's first line.
func readFrontMatter(file string, ch *Chapter, src string) (string, int, error) {
	lines := lex.Lines(src, 1)
	if strings.TrimRight(lines[0].Text, " \t") != "---" {
		return "", 0, errAt(file, 1, `expected front matter: a line "---", then "key: value" lines, then "---"`)
	}
	for _, k := range frontKeys {
		ch.keys.Known = append(ch.keys.Known, k.name)
	}
	for i, l := range lines[1:] {
		raw := strings.TrimSpace(l.Text)
		k, v, ok := lex.KeyValue(raw)
		switch {
		case raw == "---":
			for _, k := range []string{"id", "slug", "title", "part"} {
				if ch.keys.Line(k) == 0 {
					return "", 0, errAt(file, l.N, "front matter: missing "+quote(k)+" (needed: id, slug, title, part)")
				}
			}
			body := strings.TrimPrefix(src, "\uFEFF")
			for range i + 2 {
				_, body, _ = strings.Cut(body, "\n")
			}
			return body, l.N + 1, nil
		case raw == "" || raw[0] == '#':
			continue
		case !ok || k == "" || strings.Trim(k, "abcdefghijklmnopqrstuvwxyz0123456789-_") != "":
			return "", 0, errAt(file, l.N, `front matter: expected "key: value" or the closing "---", got `+quote(raw))
		}
		if msg := ch.keys.Take(k, l.N); msg != "" {
			return "", 0, errAt(file, l.N, "front matter: "+msg)
		}
		if msg := frontKeys[slices.Index(ch.keys.Known, k)].read(ch, v); msg != "" {
			return "", 0, errAt(file, l.N, k+": "+msg)
		}
	}
	return "", 0, errAt(file, len(lines), `front matter is not closed with a line "---"`)
}

func validSlug(s string) bool {
	return s != "" && len(s) <= 80 && s[0] != '-' && s[len(s)-1] != '-' &&
		strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == "" && s != "index" && s != "authoring"
}

func quote(s string) string { return lex.Quote(s) }
