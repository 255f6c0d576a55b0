package chapters

import (
	"errors"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// A tutorial tree holds one directory per language (en first; a directory is
// a language when it has a words.txt), each with chapters as NN-slug.md and
// the words of the tutorial pages:
//
//	en/words.txt
//	en/01-roles-terms-votes.md
//	ja/words.txt               a translation, side by side: the same ids
//	ja/01-roles-terms-votes.md and slugs as en
//
// words.txt is "key: value" lines ('#' starts a comment line) giving every
// key of WordKeys.

// WordKeys are the words of the tutorial pages, with what each is for. A
// language's words.txt gives each of them once.
var WordKeys = [][2]string{
	{"tutorials", "the title of the chapter list, and the site menu entry"},
	{"index-lead", "the sentence under the chapter list's title"},
	{"part-1", "the title of part 1"},
	{"part-2", "the title of part 2"},
	{"coming-later", "the mark of a planned chapter"},
	{"completed", "the mark of a completed chapter (also said to screen readers)"},
	{"chapter", "\"Chapter\", before a chapter's number"},
	{"contents", "the link to the chapter list"},
	{"previous", "the link to the previous chapter"},
	{"next", "the link to the next chapter"},
	{"exercise", "\"Exercise\", before an exercise's number"},
	{"goals", "the title of a goals list"},
	{"goal-met", "said of a met goal (screen readers)"},
	{"goal-open", "said of a goal not met yet (screen readers)"},
	{"goal-broken", "said of a \"never\" goal that was broken"},
	{"exercise-done", "shown when every goal of an exercise is met"},
	{"chapter-done", "shown when every exercise of the chapter is done"},
	{"loading", "shown while the simulator starts"},
	{"needs-js", "shown when JavaScript is off"},
	{"reset", "the button that resets the chapter"},
	{"playground", "the link that opens an exercise's run in the playground"},
	{"action-failed", "shown before the simulator's message when an action link cannot run"},
	{"quiz", "the title of a quiz"},
	{"question", "\"Question\", before a question's number"},
	{"answer", "the button that checks an answer"},
	{"correct", "shown after a right answer"},
	{"incorrect", "shown after a wrong answer"},
	{"authoring", "the title of the authors' page"},
	{"step-done", "said (to screen readers) of an action link already done"},
	{"hint", "the disclosure that offers an exercise's solution as a hint"},
	{"hint-lead", "the sentence before the solution's steps"},
	{"hint-play", "the button that resets the exercise and plays its whole solution"},
	{"try-again", "shown after a wrong answer, without revealing the right one"},
	{"show-answer", "the button that reveals a question's answer after a wrong try"},
	{"quiz-left", "shown when every goal is met but a question is not yet answered right"},
}

// Book is every language of a tutorial tree.
type Book struct {
	Languages []*Language // en first
}

// Language is one language's chapters and words.
type Language struct {
	Code     string
	Dir      string // as named in errors, e.g. tutorials/en
	Words    map[string]string
	Chapters []*Chapter // by id, planned ones included
}

// Published returns the chapters that have a page.
func (l *Language) Published() []*Chapter {
	var out []*Chapter
	for _, ch := range l.Chapters {
		if !ch.Planned {
			out = append(out, ch)
		}
	}
	return out
}

// Language returns the language with the code, or nil.
func (b *Book) Language(code string) *Language {
	for _, l := range b.Languages {
		if l.Code == code {
			return l
		}
	}
	return nil
}

// Load reads every language under fsys. root prefixes file names in errors
// (e.g. "tutorials"). Every chapter is parsed and verified (its solutions
// played); all errors found are returned together, one per line.
func Load(fsys fs.FS, root string) (*Book, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var codes []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := fs.Stat(fsys, path.Join(e.Name(), "words.txt")); err == nil {
			codes = append(codes, e.Name())
		}
	}
	slices.SortFunc(codes, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == "en":
			return -1
		case b == "en":
			return 1
		}
		return strings.Compare(a, b)
	})
	if len(codes) == 0 || codes[0] != "en" {
		return nil, errors.New(path.Join(root, "en", "words.txt") + ": the English chapters are missing")
	}
	book := &Book{}
	var errs []error
	for _, code := range codes {
		l, lerrs := loadLanguage(fsys, root, code)
		errs = append(errs, lerrs...)
		if l != nil {
			book.Languages = append(book.Languages, l)
		}
	}
	if len(errs) == 0 {
		errs = append(errs, checkTranslations(book)...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return book, nil
}

func loadLanguage(fsys fs.FS, root, code string) (*Language, []error) {
	l := &Language{Code: code, Dir: path.Join(root, code)}
	var errs []error
	wordsFile := path.Join(l.Dir, "words.txt")
	data, err := fs.ReadFile(fsys, path.Join(code, "words.txt"))
	if err != nil {
		return nil, []error{err}
	}
	if l.Words, err = ParseWords(wordsFile, string(data)); err != nil {
		errs = append(errs, err)
	}
	names, err := fs.Glob(fsys, code+"/*.md")
	if err != nil {
		return nil, []error{err}
	}
	slices.Sort(names)
	byID := map[int]*Chapter{}
	bySlug := map[string]*Chapter{}
	for _, name := range names {
		file := path.Join(root, name)
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ch, err := Parse(file, code, src)
		if err == nil && !ch.Planned {
			err = Verify(ch)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if other := byID[ch.ID]; other != nil {
			errs = append(errs, errAt(file, frontLine(src, "id"), "id "+strconv.Itoa(ch.ID)+" is already used by "+other.File))
			continue
		}
		if other := bySlug[ch.Slug]; other != nil {
			errs = append(errs, errAt(file, frontLine(src, "slug"), "slug "+quote(ch.Slug)+" is already used by "+other.File))
			continue
		}
		if l.Words != nil {
			if _, ok := l.Words["part-"+strconv.Itoa(ch.Part)]; !ok {
				errs = append(errs, errAt(file, frontLine(src, "part"), "part "+strconv.Itoa(ch.Part)+": "+wordsFile+
					" has no title for it (key part-"+strconv.Itoa(ch.Part)+")"))
				continue
			}
		}
		byID[ch.ID], bySlug[ch.Slug] = ch, ch
		l.Chapters = append(l.Chapters, ch)
	}
	slices.SortFunc(l.Chapters, func(a, b *Chapter) int { return a.ID - b.ID })
	return l, errs
}

// frontLine finds the line of a front matter key, for messages.
func frontLine(src []byte, key string) int {
	for i, line := range strings.Split(string(src), "\n") {
		if k, _, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == key {
			return i + 1
		}
	}
	return 1
}

// checkTranslations checks that a translated chapter matches an English one.
func checkTranslations(b *Book) []error {
	en := b.Languages[0]
	var errs []error
	for _, l := range b.Languages[1:] {
		for _, ch := range l.Chapters {
			var match *Chapter
			for _, e := range en.Chapters {
				if e.ID == ch.ID {
					match = e
				}
			}
			switch {
			case match == nil:
				errs = append(errs, errAt(ch.File, 2, "id "+strconv.Itoa(ch.ID)+" has no English chapter; a translation keeps the English ids"))
			case match.Slug != ch.Slug:
				errs = append(errs, errAt(ch.File, 2, "slug "+quote(ch.Slug)+" differs from the English chapter's "+quote(match.Slug)+
					"; a translation keeps the slug, so links and progress carry over"))
			}
		}
	}
	return errs
}

// ParseWords reads a words.txt: "key: value" lines for every key of
// WordKeys.
func ParseWords(file, src string) (map[string]string, error) {
	words := map[string]string{}
	lines := map[string]int{}
	all := strings.Split(src, "\n")
	for i, raw := range all {
		line := i + 1
		raw = strings.TrimRight(raw, " \t\r")
		if strings.TrimSpace(raw) == "" || strings.HasPrefix(strings.TrimSpace(raw), "#") {
			continue
		}
		k, v, ok := strings.Cut(raw, ":")
		if !ok {
			return nil, errAt(file, line, `expected "key: value", got `+quote(raw))
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		known := strings.HasPrefix(k, "part-")
		for _, wk := range WordKeys {
			known = known || wk[0] == k
		}
		if !known {
			return nil, errAt(file, line, "unknown key "+quote(k)+"; expected one of: "+wordKeyList())
		}
		if prev, dup := lines[k]; dup {
			return nil, errAt(file, line, k+" is already given on line "+strconv.Itoa(prev))
		}
		if v == "" {
			return nil, errAt(file, line, k+": expected the words, got nothing")
		}
		words[k], lines[k] = v, line
	}
	for _, wk := range WordKeys {
		if _, ok := words[wk[0]]; !ok {
			return nil, errAt(file, len(all), "missing "+quote(wk[0])+" ("+wk[1]+")")
		}
	}
	return words, nil
}

func wordKeyList() string {
	keys := make([]string, len(WordKeys))
	for i, wk := range WordKeys {
		keys[i] = wk[0]
	}
	return strings.Join(keys, ", ") + ", part-N"
}
