package build

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestBuildWritesPagesAndStatic(t *testing.T) {
	out := t.TempDir()
	b := New(out)
	if err := b.Run(DefaultSteps()...); err != nil {
		t.Fatal(err)
	}
	want := []string{"index.html", "playground.html", "embed.html", "api.html",
		"style.css", "raftlab-loader.js", "favicon.svg"}
	for _, name := range want {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("missing %s: %v", name, err)
		}
	}
	if got := len(b.Written()); got < len(want) {
		t.Errorf("Written() lists %d files, want at least %d", got, len(want))
	}
}

// refRE finds the references of real tags (not of code samples, whose < is
// escaped).
var refRE = regexp.MustCompile(`<[a-z]+\b[^>]*?\s(?:href|src)="([^"]*)"`)

// Every local link and script of every page points at a file of the build.
func TestPagesReferenceOnlyBuiltFiles(t *testing.T) {
	out := t.TempDir()
	if err := Build(out); err != nil {
		t.Fatal(err)
	}
	for _, p := range Pages {
		data, err := os.ReadFile(filepath.Join(out, p.Name+".html"))
		if err != nil {
			t.Fatal(err)
		}
		html := string(data)
		if !strings.Contains(html, `http-equiv="Content-Security-Policy"`) {
			t.Errorf("%s: no CSP", p.Name)
		}
		if got := strings.Contains(html, `<script src="raftlab-loader.js"`); got != p.Widget {
			t.Errorf("%s: loads the loader = %v, want %v", p.Name, got, p.Widget)
		}
		if p.Widget && !strings.Contains(html, "data-raftlab-mount") {
			t.Errorf("%s: a widget page without a mount element", p.Name)
		}
		if strings.Contains(html, "<script>") || strings.Contains(html, " onclick=") {
			t.Errorf("%s: inline script (the CSP forbids it)", p.Name)
		}
		for _, m := range refRE.FindAllStringSubmatch(html, -1) {
			ref := m[1]
			if ref == "" || strings.HasPrefix(ref, "#") || strings.Contains(ref, ":") {
				continue
			}
			ref = strings.SplitN(strings.SplitN(ref, "#", 2)[0], "?", 2)[0]
			if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(ref))); err != nil {
				t.Errorf("%s: broken reference %q", p.Name, m[1])
			}
		}
	}
}

// A build leaves files it does not own (the wasm) alone, and can run again.
func TestBuildKeepsOtherFiles(t *testing.T) {
	out := t.TempDir()
	wasm := filepath.Join(out, "raftlab.wasm")
	if err := os.WriteFile(wasm, []byte("\x00asm"), 0o644); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := Build(out); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(wasm); err != nil {
		t.Errorf("the build removed raftlab.wasm: %v", err)
	}
}

func TestWriteFileTwiceFails(t *testing.T) {
	b := New(t.TempDir())
	if err := b.WriteFile("a/b.txt", []byte("1")); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteFile("a/b.txt", []byte("2")); err == nil {
		t.Error("a second write of a/b.txt succeeded")
	}
	if err := b.WriteFile("../x", nil); err == nil {
		t.Error("a write outside Out succeeded")
	}
}
