package chapters

import (
	"strconv"
	"strings"

	"raftlab/raft/sim/lex"
)

// kvLine is one "key: value" line.
type kvLine struct {
	key, value string
	line       int
}

// splitFrontMatter cuts the front matter off src. It returns the key/value
// lines, the body and the body's first line number.
func splitFrontMatter(file, src string) ([]kvLine, string, int, error) {
	lines := lex.Lines(src, 1)
	if strings.TrimRight(lines[0].Text, " \t") != "---" {
		return nil, "", 0, errAt(file, 1, `expected front matter: a line "---", then "key: value" lines, then "---"`)
	}
	var kvs []kvLine
	for i, l := range lines[1:] {
		raw := strings.TrimSpace(l.Text)
		if raw == "---" {
			body := strings.TrimPrefix(src, "\uFEFF")
			for range i + 2 {
				_, body, _ = strings.Cut(body, "\n")
			}
			return kvs, body, l.N + 1, nil
		}
		if raw == "" || raw[0] == '#' {
			continue
		}
		k, v, ok := lex.KeyValue(raw)
		if !ok || !validKey(k) {
			return nil, "", 0, errAt(file, l.N, `front matter: expected "key: value" or the closing "---", got `+quote(raw))
		}
		kvs = append(kvs, kvLine{key: k, value: v, line: l.N})
	}
	return nil, "", 0, errAt(file, len(lines), `front matter is not closed with a line "---"`)
}

// frontKeys are the keys of a chapter's front matter.
var frontKeys = []string{"id", "slug", "title", "part", "summary", "status"}

// applyFrontMatter fills ch from the front matter; closing is the line of
// the closing "---" (missing keys are reported there).
func applyFrontMatter(file string, ch *Chapter, kvs []kvLine, closing int) error {
	seen := map[string]int{}
	for _, kv := range kvs {
		known := false
		for _, k := range frontKeys {
			known = known || k == kv.key
		}
		if !known {
			return errAt(file, kv.line, "unknown front matter key "+quote(kv.key)+"; expected one of: "+
				strings.Join(frontKeys, ", "))
		}
		if prev, dup := seen[kv.key]; dup {
			return errAt(file, kv.line, "front matter: "+kv.key+" is already given on line "+strconv.Itoa(prev))
		}
		seen[kv.key] = kv.line
		switch kv.key {
		case "id":
			n, err := strconv.Atoi(kv.value)
			if err != nil || n < 1 || n > 999 {
				return errAt(file, kv.line, "id: expected a chapter number from 1 to 999, got "+got(kv.value))
			}
			ch.ID = n
		case "slug":
			if !validSlug(kv.value) {
				return errAt(file, kv.line, "slug: expected lower-case letters, digits and '-' (it names the page), got "+got(kv.value))
			}
			ch.Slug = kv.value
		case "title":
			if kv.value == "" {
				return errAt(file, kv.line, "title: expected the chapter's title, got nothing")
			}
			ch.Title = kv.value
		case "part":
			n, err := strconv.Atoi(kv.value)
			if err != nil || n < 1 || n > 9 {
				return errAt(file, kv.line, "part: expected a part number from 1 to 9, got "+got(kv.value))
			}
			ch.Part = n
		case "summary":
			ch.Summary = kv.value
		case "status":
			switch kv.value {
			case "planned":
				ch.Planned = true
			case "ready", "":
			default:
				return errAt(file, kv.line, `status: expected "planned" (listed as coming later, no page) or "ready", got `+got(kv.value))
			}
		}
	}
	for _, k := range []string{"id", "slug", "title", "part"} {
		if _, ok := seen[k]; !ok {
			return errAt(file, closing, "front matter: missing "+quote(k)+" (needed: id, slug, title, part)")
		}
	}
	return nil
}

func validSlug(s string) bool {
	if s == "" || len(s) > 80 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return s != "index" && s != "authoring"
}

func validKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func quote(s string) string { return lex.Quote(s) }

func got(s string) string { return lex.Got(s) }
