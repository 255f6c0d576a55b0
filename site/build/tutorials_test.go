package build

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readOut(t *testing.T, out, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
	require.NoError(t, err)
	return string(data)
}

// contains and lacks check a page for a piece of text without printing the
// whole page when they fail.
func contains(t *testing.T, page, want string, msg ...any) {
	t.Helper()
	assert.True(t, strings.Contains(page, want), "the page lacks %q %v", want, msg)
}

func lacks(t *testing.T, page, bad string, msg ...any) {
	t.Helper()
	assert.False(t, strings.Contains(page, bad), "the page contains %q %v", bad, msg)
}

func TestBuildWritesTutorials(t *testing.T) {
	out := t.TempDir()
	require.NoError(t, Build(out))
	chapters := []string{"roles-terms-votes", "split-votes", "log-replication", "commit-apply",
		"election-restriction", "figure-8", "stale-leaders", "persistence",
		"pre-vote-check-quorum", "leadership-transfer", "linearizable-reads"}
	pages := []string{"tutorials/index.html", "tutorials/authoring.html"}
	for _, slug := range chapters {
		pages = append(pages, "tutorials/"+slug+".html")
	}
	for _, p := range pages {
		html := readOut(t, out, p)
		assert.True(t, strings.Contains(html, `http-equiv="Content-Security-Policy"`), "%s: no CSP", p)
		assert.False(t, strings.Contains(html, "<script>"), "%s: inline script (the CSP forbids it)", p)
		assert.False(t, strings.Contains(html, " onclick="), "%s: inline handler", p)
		assert.False(t, strings.Contains(html, "<no value>"), "%s: a missing template value", p)
		// Every local reference resolves, relative to the page's folder.
		for _, m := range refRE.FindAllStringSubmatch(html, -1) {
			ref := m[1]
			if ref == "" || strings.HasPrefix(ref, "#") || strings.Contains(ref, ":") {
				continue
			}
			ref = strings.SplitN(strings.SplitN(ref, "#", 2)[0], "?", 2)[0]
			target := path.Join(path.Dir(p), ref)
			_, err := os.Stat(filepath.Join(out, filepath.FromSlash(target)))
			assert.NoError(t, err, "%s: broken reference %q", p, m[1])
		}
	}
	// Planned chapters would be listed, not built (site/chapters tests a
	// planned one); every chapter of the tree is written now.

	index := readOut(t, out, "tutorials/index.html")
	// Every chapter and level is listed; those built (and only those) can
	// be marked done.
	built, _ := filepath.Glob(filepath.Join(out, "tutorials", "*.html"))
	published := len(built) - 2 // index.html and authoring.html
	listed := strings.Count(index, `<li class="tut-item`)
	assert.Equal(t, 30, listed, "14 chapters and 16 adversary levels")
	assert.Equal(t, 30, published)
	assert.Equal(t, listed-published, strings.Count(index, "coming later</span>"))
	assert.Equal(t, published, strings.Count(index, "data-tut-done-mark"))
	contains(t, index, `<script src="../tutorial.js" defer></script>`)
	lacks(t, index, "raftlab-loader.js", "the chapter list needs no simulator")

	ch := readOut(t, out, "tutorials/roles-terms-votes.html")
	contains(t, ch, `<script src="../raftlab-loader.js" defer></script>`)
	contains(t, ch, `data-tut-chapter data-slug="roles-terms-votes"`)
	assert.Equal(t, 1, strings.Count(ch, "data-tut-exercise="))
	contains(t, ch, `data-scenario="name: Roles, terms and votes`)
	contains(t, ch, `data-goals="S2 leader term &gt;= 1`)
	assert.Equal(t, 3, strings.Count(ch, `class="tut-goal"`))
	assert.Equal(t, 3, strings.Count(ch, `data-tut-question=`))
	contains(t, ch, `data-action="timeout S2"`)
	contains(t, ch, `rel="next" href="split-votes.html"`)
	lacks(t, ch, `rel="prev"`)
	lacks(t, ch, "```solution")
	lacks(t, ch, "deliver S3&gt;S2 RequestVoteReply\n", "the solution is not shown")

	f8 := readOut(t, out, "tutorials/figure-8.html")
	assert.Equal(t, 3, strings.Count(f8, "data-tut-exercise="))
	contains(t, f8, `rel="prev" href="election-restriction.html"`)

	doc := readOut(t, out, "tutorials/authoring.html")
	contains(t, doc, "<h1 id=\"writing-a-chapter\">Writing a chapter</h1>")
	contains(t, doc, "<table>")
}

// A broken chapter stops the build; the message starts a line with
// file:line.
func TestBrokenChapterFailsTheBuild(t *testing.T) {
	minimal, err := os.ReadFile(filepath.Join("..", "..", "tutorials", "examples", "minimal.md"))
	require.NoError(t, err)
	broken := strings.Replace(string(minimal), "S2 voted-for S1", "S2 voted-for S1 twice", 1)
	unknownAction := strings.Replace(string(minimal), "action:flush", "action:flash", 1)
	b := New(t.TempDir())
	b.Tutorials = fstest.MapFS{
		"en/01-a.md":   {Data: []byte(broken)},
		"en/02-b.md":   {Data: []byte(strings.NewReplacer("id: 1", "id: 2", "slug: minimal", "slug: other").Replace(unknownAction))},
		"AUTHORING.md": {Data: []byte("# Guide\n")},
	}
	err = b.Run(Step{"tutorials", BuildTutorials})
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, "the chapters have 2 problems:\n")
	assert.Contains(t, msg, "\ntutorials/en/01-a.md:22: unexpected \"twice\" at the end of \"S2 voted-for S1 twice\"")
	assert.Contains(t, msg, "\ntutorials/en/02-b.md:12: action link \"deliver everything\": unknown action \"flash\"")
}

// Raw HTML in a chapter does not reach the page.
func TestChapterHTMLIsNotCopied(t *testing.T) {
	minimal, err := os.ReadFile(filepath.Join("..", "..", "tutorials", "examples", "minimal.md"))
	require.NoError(t, err)
	evil := strings.Replace(string(minimal), "Two servers, and nobody leads.",
		"Two <script>alert(1)</script> servers <img src=x onerror=alert(2)>.\n\n<script>alert(3)</script>\n", 1)
	out := t.TempDir()
	b := New(out)
	b.Tutorials = fstest.MapFS{
		"en/01-evil.md": {Data: []byte(evil)},
		"AUTHORING.md":  {Data: []byte("# Guide\n\n<script>alert(4)</script>\n")},
	}
	require.NoError(t, b.Run(Step{"tutorials", BuildTutorials}))
	for _, p := range []string{"tutorials/minimal.html", "tutorials/authoring.html"} {
		html := readOut(t, out, p)
		// The tags are left out; what was between them stays, as text.
		for _, bad := range []string{"<script>", "<img", "onerror"} {
			assert.False(t, strings.Contains(html, bad), "%s contains %q", p, bad)
		}
		assert.True(t, strings.Contains(html, "raw HTML omitted"), p)
	}
}
