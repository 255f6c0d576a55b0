package chapters

import (
	"errors"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"raftlab/raft/words"
)

// A tutorial tree holds one directory per language (en first; a directory
// is a language when it holds chapters, files named NN-slug.md), and the
// words of the tutorial pages come from that language's words table
// (raftlab/raft/words, keys "tutorial.KEY"):
//
//	en/01-roles-terms-votes.md
//	ja/01-roles-terms-votes.md  a translation, side by side: the same ids
//	                            and slugs as en, and raft/words/ja.txt
//
// A table gives every key of WordKeys, and "tutorial.part-N" for each part.

// WordKeys are the words of the tutorial pages, with what each is for. A
// language's words table gives each of them as "tutorial.KEY".
var WordKeys = [][2]string{
	{"tutorials", "the title of the chapter list, and the site menu entry"},
	{"index-lead", "the sentence under the chapter list's title"},
	{"part-1", "the title of part 1"},
	{"part-2", "the title of part 2"},
	{"coming-later", "the mark of a planned chapter"},
	{"completed", "the mark of a completed chapter (also said to screen readers)"},
	{"chapter", "\"Chapter {n}\", the chapter's number above its title"},
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
	{"action-failed", "said when an action link cannot run: {why} is the simulator's words for why"},
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
	{"part-3", "the title of part 3 (the adversary levels)"},
	{"level", "\"Adversary level\", the kicker of a level's page"},
	{"level-rule", "a level's switched-off rule, before what the rule says"},
	{"level-hints", "the title of a level's graded hints"},
	{"level-hint", "the button that shows the next hint"},
	{"level-shortest", "shown after a level is won: the shortest known solution's length ({n} steps) and the learner's ({yours})"},
	{"level-twin", "the button that replays the learner's steps with the rule back on"},
	{"level-twin-safe", "shown when, with the rule on, the learner's steps broke nothing ({n} steps replayed, {skipped} could not run)"},
	{"level-twin-broke", "shown if, with the rule on, the steps broke something (never, if Raft is right)"},
	{"search", "the title of an in-page search"},
	{"search-rule", "the label of the search's rule"},
	{"search-seed", "the label of the search's seed"},
	{"search-nodes", "the label of the search's number of servers"},
	{"search-any-nodes", "the choice of no fixed number of servers"},
	{"search-start", "the button that starts a search"},
	{"search-stop", "the button that stops a search"},
	{"search-searching", "progress while searching: {schedules}, {perSecond} schedules/s, {steps} steps ({stepsPerSecond}/s), {time} s"},
	{"search-shrinking", "progress while shrinking: found after {schedules} schedules; best so far {after} of {before} actions ({replays} replays)"},
	{"search-explaining", "progress while explaining the shrunk run"},
	{"search-found", "the result: found {property} after {schedules} schedules ({steps} steps) in {time} s; shrunk from {before} to {after} actions"},
	{"search-proved", "said of a run a bounded exhaustive search proved shortest ({states} states)"},
	{"search-not-proved", "said of a run not proved shortest: every run of up to {depth} actions tried ({states} states)"},
	{"search-not-found", "the result when nothing was found: {schedules} schedules in {time} s"},
	{"search-stopped", "the result when the reader stopped the search"},
	{"search-open", "the link that opens the found run in the playground"},
	{"search-failed", "shown when the search cannot run: {why} is its message"},
}

// Book is every language of a tutorial tree.
type Book struct {
	Languages []*Language // en first
}

// Language is one language's chapters and words.
type Language struct {
	Code     string
	Dir      string            // as named in errors, e.g. tutorials/en
	Words    map[string]string // the tutorial pages' words, by WordKeys key
	Chapters []*Chapter        // by id, planned ones included
}

// wordsTable gives a language's words table (tests give others).
var wordsTable = words.For

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
		if names, _ := fs.Glob(fsys, path.Join(e.Name(), chapterGlob)); e.IsDir() && len(names) > 0 {
			codes = append(codes, e.Name())
		}
	}
	slices.Sort(codes)
	if i := slices.Index(codes, "en"); i > 0 {
		codes = slices.Insert(slices.Delete(codes, i, i+1), 0, "en") // English first
	}
	if len(codes) == 0 || codes[0] != "en" {
		return nil, errors.New(path.Join(root, "en") + ": the English chapters are missing")
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

// chapterGlob matches a language's chapter files.
const chapterGlob = "[0-9][0-9]-*.md"

func loadLanguage(fsys fs.FS, root, code string) (*Language, []error) {
	l := &Language{Code: code, Dir: path.Join(root, code)}
	var errs []error
	table, ok := wordsTable(code)
	wordsFile := "raft/words/" + code + ".txt"
	if !ok {
		errs = append(errs, errors.New(l.Dir+": there are no words for "+quote(code)+"; add "+wordsFile))
	} else {
		l.Words = map[string]string{}
		for _, k := range table.Keys() {
			if name, ok := strings.CutPrefix(k, "tutorial."); ok {
				l.Words[name] = table.Get(k)
			}
		}
		for _, wk := range WordKeys {
			if _, ok := l.Words[wk[0]]; !ok {
				errs = append(errs, errors.New(wordsFile+": missing "+quote("tutorial."+wk[0])+" ("+wk[1]+")"))
			}
		}
	}
	names, err := fs.Glob(fsys, path.Join(code, chapterGlob))
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
			errs = append(errs, errAt(file, ch.keys.Line("id"), "id "+strconv.Itoa(ch.ID)+" is already used by "+other.File))
			continue
		}
		if other := bySlug[ch.Slug]; other != nil {
			errs = append(errs, errAt(file, ch.keys.Line("slug"), "slug "+quote(ch.Slug)+" is already used by "+other.File))
			continue
		}
		if l.Words != nil {
			if _, ok := l.Words["part-"+strconv.Itoa(ch.Part)]; !ok {
				errs = append(errs, errAt(file, ch.keys.Line("part"), "part "+strconv.Itoa(ch.Part)+": "+wordsFile+
					" has no title for it (key tutorial.part-"+strconv.Itoa(ch.Part)+")"))
				continue
			}
		}
		byID[ch.ID], bySlug[ch.Slug] = ch, ch
		l.Chapters = append(l.Chapters, ch)
	}
	slices.SortFunc(l.Chapters, func(a, b *Chapter) int { return a.ID - b.ID })
	return l, errs
}

// checkTranslations checks that a translated chapter matches an English one.
func checkTranslations(b *Book) []error {
	en := b.Languages[0]
	var errs []error
	for _, l := range b.Languages[1:] {
		for _, ch := range l.Chapters {
			i := slices.IndexFunc(en.Chapters, func(e *Chapter) bool { return e.ID == ch.ID })
			switch {
			case i < 0:
				errs = append(errs, errAt(ch.File, 2, "id "+strconv.Itoa(ch.ID)+" has no English chapter; a translation keeps the English ids"))
			case en.Chapters[i].Slug != ch.Slug:
				errs = append(errs, errAt(ch.File, 2, "slug "+quote(ch.Slug)+" differs from the English chapter's "+quote(en.Chapters[i].Slug)+
					"; a translation keeps the slug, so links and progress carry over"))
			}
		}
	}
	return errs
}
