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
package build

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"raftlab/raft/sim"
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
	// Lang is the page's language (the html lang attribute; "" is "en").
	Lang string

	// Cluster is the first frame of the page's cluster (StaticCluster),
	// drawn before the module runs; RenderPages sets it for Widget pages.
	Cluster template.HTML

	// Set by RenderPage.
	CSP     string
	Version string
	Data    any // whatever a step passes to its template
}

// Pages are the fixed pages of the site.
var Pages = []Page{
	{Name: "index", Title: "raftlab — learn Raft by running it",
		Description: "A whole Raft cluster running in your browser, step by step, for learning."},
	{Name: "playground", Title: "Playground", Widget: true,
		Description: "A live Raft cluster: step messages, cut links, crash servers."},
	{Name: "embed", Title: "raftlab cluster", Widget: true, Bare: true,
		Description: "An embeddable live Raft cluster."},
	{Name: "api", Title: "JavaScript API",
		Description: "The raftlab JavaScript API: loading, errors, functions."},
}

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

// CopyStatic copies static/ to the root of Out.
func CopyStatic(b *Builder) error {
	return fs.WalkDir(b.Files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(b.Files, p)
		if err != nil {
			return err
		}
		return b.WriteFile(strings.TrimPrefix(p, "static/"), data)
	})
}

// RenderPages renders every page of Pages.
func RenderPages(b *Builder) error {
	for _, p := range Pages {
		if p.Widget {
			p.Cluster = StaticCluster(sim.DefaultScenario())
		}
		if err := b.RenderPage(p.Name+".html", p.Name, p); err != nil {
			return err
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
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return err
	}
	return b.WriteFile(file, buf.Bytes())
}
