// Package build writes the raftlab static site into a directory.
//
// A build is a list of steps run in order by a Builder; each step writes
// files through the Builder (WriteFile, RenderPage). The default steps copy
// site/static, render the pages of Pages, and render the tutorial chapters
// from Markdown (BuildTutorials, tutorials.go) with the same layout through
// RenderPage. Adding a step is adding a Step to the list that Build runs.
//
// The WebAssembly module is not built here by default: the Makefile builds it
// into the same directory (make wasm), and BuildWasm does the same for tests.
//
// # Languages
//
// The site is built once per language of raftlab/raft/words (every
// words/<lang>.txt), each language in a folder of its own, with the same
// file names in each:
//
//	index.html, playground.html, embed.html, api.html    English, at the root
//	tutorials/index.html, tutorials/<slug>.html          English chapters
//	tutorials/authoring.html                             for authors (English only)
//	ja/index.html, ja/playground.html, ja/api.html, …    another language
//	ja/tutorials/index.html, ja/tutorials/<slug>.html    its chapters (tutorials/ja/)
//
// so that the same page in another language is the same path under another
// folder (LangDir). Static files (raftlab.wasm, the loader, the styles) are
// at the root, once. Every word of a page comes from its language's table
// (keys page.* and tutorial.*; see words.go); a page that is a long
// document, api.html, is a content file per language instead
// (templates/api.<lang>.html), which every language must have. A page's
// clusters speak its language: <html lang> is the language, and the
// loader and tutorial.js pass it to raftlab.create.
package build

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"raftlab/raft/sim"
	"raftlab/raft/words"
	"raftlab/site"
	"raftlab/tutorials"
)

// Version is shown in page footers.
var Version = "0.1.0-dev"

// CSP is the Content-Security-Policy of every page: no inline script, no
// eval (WebAssembly compilation only), no other origin.
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
	"style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'"

// Page is one page rendered from templates/<Name>.html inside the layout.
type Page struct {
	Name        string // template and file name without ".html"
	Title       string
	Description string
	Widget      bool // loads raftlab-loader.js (and so the wasm)
	Bare        bool // no site header and footer (embed.html)
	// Root is the way from the page's folder to the site's root ("" for
	// pages at the root, "../" for tutorials/…); the layout prefixes its
	// links with it.
	Root string
	// Lang is the page's language (the html lang attribute; "" is "en"),
	// Words its words table (nil is English), and Home the way from the
	// page's folder to its language's folder ("" for a page at the top of
	// it). TutorialsHome is the folder of the chapter list the page links
	// to: Home, or the English one's for a language without chapters.
	Lang          string
	Words         *words.Table
	Home          string
	TutorialsHome string
	// Doc marks a page whose main part is a document per language,
	// templates/<Name>.<lang>.html, rather than words of the table.
	Doc bool

	// Alternates is the page in every language built, this one included
	// (set by RenderPage): the language switch and the head's links.
	Alternates []Alternate

	// Cluster is the first frame of the page's cluster (StaticCluster),
	// drawn before the module runs; RenderPages sets it for Widget pages.
	Cluster template.HTML

	// Set by RenderPage.
	CSP     string
	Version string
	Data    any // whatever a step passes to its template
}

// Alternate is a page in one language: its language, the language's own
// name for itself, and the way to it from the page that links to it.
type Alternate struct {
	Lang, Name, Href string
	Current          bool // the page itself
}

// Pages are the fixed pages of the site, built in every language. Their
// titles and descriptions are the words page.<Name>.title and
// page.<Name>.description.
var Pages = []Page{
	{Name: "index"},
	{Name: "playground", Widget: true},
	{Name: "embed", Widget: true, Bare: true},
	{Name: "api", Doc: true},
}

// LangDir is the folder of a language's pages: "" for English (the site's
// root), "ja/" for Japanese.
func LangDir(lang string) string {
	if lang == "en" || lang == "" {
		return ""
	}
	return lang + "/"
}

// upTo is the way back up from a folder ("", "ja/", "ja/tutorials/") to
// the site's root.
func upTo(dir string) string { return strings.Repeat("../", strings.Count(dir, "/")) }

// Step is one stage of a build.
type Step struct {
	Name string
	Run  func(b *Builder) error
}

// DefaultSteps are the steps of Build.
func DefaultSteps() []Step {
	return []Step{
		{"static", CopyStatic},
		{"pages", RenderPages},
		{"tutorials", BuildTutorials},
	}
}

// Builder writes one site into Out.
type Builder struct {
	Out   string
	Files fs.FS // the site's sources: templates/ and static/
	// Tutorials holds the chapters (see raftlab/tutorials and
	// raftlab/site/chapters); BuildTutorials reads it.
	Tutorials fs.FS
	// Languages are the languages built (nil: every words table).
	Languages []*words.Table
	layout    *template.Template
	written   map[string]bool
}

// New returns a Builder that writes into out from the embedded site files.
func New(out string) *Builder {
	return &Builder{Out: out, Files: site.Files, Tutorials: tutorials.Files, written: map[string]bool{}}
}

// Build writes the site into out with the default steps. It does not remove
// other files in out (such as raftlab.wasm).
func Build(out string) error {
	return New(out).Run(DefaultSteps()...)
}

// Run runs the steps in order and stops at the first error.
func (b *Builder) Run(steps ...Step) error {
	if err := os.MkdirAll(b.Out, 0o755); err != nil {
		return err
	}
	for _, s := range steps {
		if err := s.Run(b); err != nil {
			return fmt.Errorf("site build, step %s: %w", s.Name, err)
		}
	}
	return nil
}

// Written lists the files this builder wrote, sorted, as slash paths
// relative to Out.
func (b *Builder) Written() []string {
	names := make([]string, 0, len(b.written))
	for n := range b.written {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// WriteFile writes data to Out/name (a slash path), making directories. A
// second write of the same name in one build is an error: two steps would
// fight over a file.
func (b *Builder) WriteFile(name string, data []byte) error {
	name = path.Clean(name)
	if !fs.ValidPath(name) {
		return fmt.Errorf("bad output path %q", name)
	}
	if b.written[name] {
		return fmt.Errorf("%s written twice", name)
	}
	b.written[name] = true
	dst := filepath.Join(b.Out, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

// CopyStatic copies static/ to the root of Out. The scripts that speak
// without the module (scriptWords) get their words from every language's
// table.
func CopyStatic(b *Builder) error {
	return fs.WalkDir(b.Files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(b.Files, p)
		if err != nil {
			return err
		}
		if keys, ok := scriptWords[p]; ok {
			if data, err = b.writeScriptWords(p, data, keys); err != nil {
				return err
			}
		}
		return b.WriteFile(strings.TrimPrefix(p, "static/"), data)
	})
}

// scriptWords names the static scripts that speak without the module, and
// for each the words it holds: its own name of a word → the words key.
// raft-cluster.js says "loading" or why it could not start before the
// module runs; raftlab-loader.js why the module stopped, on any page;
// raftlab-reveal.js describes its keys in reveal.js's help.
var scriptWords = map[string]map[string]string{
	"static/raft-cluster.js": {"loading": "page.loading", "cannotStart": "page.loader.cannot-start"},
	"static/raftlab-loader.js": {
		"loading": "page.loading", "stopped": "page.loader.stopped",
		"stoppedStarting": "page.loader.stopped-starting", "cannotStart": "page.loader.cannot-start",
	},
	"static/raftlab-reveal.js": {
		"forward": "page.reveal.forward", "back": "page.reveal.back",
		"play": "page.reveal.play", "large": "page.reveal.large",
	},
}

// wordsMark is where such a script holds its words, as a JSON object.
var wordsMark = regexp.MustCompile(`/\*raftlab:words\*/.*?/\*end\*/`)

// writeScriptWords writes into the script p its words in every language.
func (b *Builder) writeScriptWords(p string, src []byte, keys map[string]string) ([]byte, error) {
	all := map[string]map[string]string{}
	for _, t := range b.languages() {
		all[t.Lang] = map[string]string{}
		for name, key := range keys {
			all[t.Lang][name] = t.Get(key)
		}
	}
	js, err := json.Marshal(all) // sorted keys; U+2028 and U+2029 escaped
	if err != nil {
		return nil, err
	}
	if !wordsMark.Match(src) {
		return nil, fmt.Errorf("%s: no /*raftlab:words*/…/*end*/ for its words", p)
	}
	return wordsMark.ReplaceAllLiteral(src, append(append([]byte("/*raftlab:words*/"), js...), "/*end*/"...)), nil
}

// languages returns the languages to build, English first.
func (b *Builder) languages() []*words.Table {
	if b.Languages != nil {
		return b.Languages
	}
	var out []*words.Table
	for _, lang := range words.Languages() {
		t, _ := words.For(lang)
		out = append(out, t)
	}
	return out
}

// hasChapters reports whether the tutorials hold chapters in lang.
func (b *Builder) hasChapters(lang string) bool {
	if b.Tutorials == nil {
		return false
	}
	names, _ := fs.Glob(b.Tutorials, lang+"/[0-9][0-9]-*.md")
	return len(names) > 0
}

// langPage fills in p's language: its words, title and description, and
// the ways to the site's root and its language's folder from dir, the
// folder p is written to.
func (b *Builder) langPage(p Page, t *words.Table, dir string) Page {
	p.Lang, p.Words, p.Root = t.Lang, t, upTo(dir)
	p.Home = upTo(strings.TrimPrefix(dir, LangDir(t.Lang)))
	p.TutorialsHome = p.Home
	if !b.hasChapters(t.Lang) {
		p.TutorialsHome = p.Root
	}
	if p.Title == "" {
		p.Title = t.Get("page." + p.Name + ".title")
	}
	if p.Description == "" {
		p.Description = t.Get("page." + p.Name + ".description")
	}
	return p
}

// CheckDocuments reports a language without its own document of a Doc
// page (templates/api.<lang>.html), and a document of a language that has
// no words table.
func CheckDocuments(files fs.FS, langs []string) error {
	var errs []error
	for _, p := range Pages {
		if !p.Doc {
			continue
		}
		for _, lang := range langs {
			if _, err := fs.Stat(files, docFile(p.Name, lang)); err != nil {
				errs = append(errs, errors.New("site/"+docFile(p.Name, lang)+" is missing: each language has its own "+
					p.Name+" page (translate site/"+docFile(p.Name, "en")+")"))
			}
		}
		docs, _ := fs.Glob(files, docFile(p.Name, "*"))
		for _, d := range docs {
			lang := strings.TrimSuffix(strings.TrimPrefix(d, "templates/"+p.Name+"."), ".html")
			if !slices.Contains(langs, lang) {
				errs = append(errs, errors.New("site/"+d+": there are no words for "+strconv.Quote(lang)+" (raft/words/"+lang+".txt)"))
			}
		}
	}
	return errors.Join(errs...)
}

// alternates lists the page written to file in every language built: the
// same path under each language's folder, or, where a language has no such
// page (the authors' guide is English only; a language may have no
// chapters yet), the nearest page it has.
func (b *Builder) alternates(file string, p Page) []Alternate {
	lang := p.Lang
	if lang == "" {
		lang = "en"
	}
	rel := strings.TrimPrefix(file, LangDir(lang))
	var out []Alternate
	for _, t := range b.languages() {
		target := LangDir(t.Lang) + rel
		switch {
		case t.Lang == lang:
			target = file
		case strings.HasPrefix(rel, "tutorials/") && !b.hasChapters(t.Lang):
			target = LangDir(t.Lang) + "index.html"
		case rel == "tutorials/authoring.html":
			target = LangDir(t.Lang) + "tutorials/index.html"
		}
		out = append(out, Alternate{Lang: t.Lang, Name: t.Get("page.lang.name"), Href: upTo(file) + target, Current: t.Lang == lang})
	}
	return out
}

// docFile is the document of a Doc page in lang.
func docFile(name, lang string) string { return "templates/" + name + "." + lang + ".html" }

// RenderPages renders every page of Pages in every language.
func RenderPages(b *Builder) error {
	langs := b.languages()
	// The languages built, and every language with words (a document of
	// one not built this time is not an orphan).
	codes := words.Languages()
	for _, t := range langs {
		if !slices.Contains(codes, t.Lang) {
			codes = append(codes, t.Lang)
		}
	}
	if err := CheckDocuments(b.Files, codes); err != nil {
		return err
	}
	for _, t := range langs {
		dir := LangDir(t.Lang)
		for _, p := range Pages {
			p = b.langPage(p, t, dir)
			if p.Widget {
				p.Cluster = StaticCluster(sim.DefaultScenario(), t)
			}
			tmpl := p.Name
			if p.Doc {
				tmpl = p.Name + "." + t.Lang
			}
			if err := b.RenderPage(dir+p.Name+".html", tmpl, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// RenderPage renders templates/<tmpl>.html (which defines "main") inside the
// layout and writes it to Out/file.
func (b *Builder) RenderPage(file, tmpl string, p Page) error {
	if b.layout == nil {
		t, err := template.ParseFS(b.Files, "templates/layout.html")
		if err != nil {
			return err
		}
		b.layout = t
	}
	t, err := b.layout.Clone()
	if err != nil {
		return err
	}
	if _, err := t.ParseFS(b.Files, "templates/"+tmpl+".html"); err != nil {
		return err
	}
	if t.Lookup("main") == nil {
		return errors.New("templates/" + tmpl + ".html defines no \"main\"")
	}
	p.CSP, p.Version = CSP, Version
	p.Alternates = b.alternates(file, p)
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return err
	}
	return b.WriteFile(file, buf.Bytes())
}
