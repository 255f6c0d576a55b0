//go:build !js

package e2e

// Accessibility: axe-core (from npm, pinned in site/e2e/axe/package-lock.json)
// audits the site's pages in headless Chromium, each with its cluster
// drawn: no serious, critical or moderate violation is allowed.

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
)

// axeScript installs the pinned axe-core with npm ci (once per process)
// and returns axe.min.js. Without npm the test skips, or fails under
// RAFTLAB_REQUIRE_BROWSER=1 (make test).
func axeScript(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("npm"); err != nil {
		msg := "no npm: axe-core cannot be installed (install node and npm, or run make test)"
		if os.Getenv("RAFTLAB_REQUIRE_BROWSER") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	axeOnce.Do(func() {
		dir := filepath.Join(ModuleRoot(t), "site", "e2e", "axe")
		cmd := exec.Command("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			axeErr = err
			axeSource = string(out)
			return
		}
		var data []byte
		data, axeErr = os.ReadFile(filepath.Join(dir, "node_modules", "axe-core", "axe.min.js"))
		axeSource = string(data)
	})
	if axeErr != nil {
		t.Fatalf("installing axe-core (npm ci in site/e2e/axe): %v\n%s", axeErr, axeSource)
	}
	return axeSource
}

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []string `json:"target"`
	} `json:"nodes"`
}

// Every page in every language: English at the root, Japanese under ja/.
func TestAccessibility(t *testing.T) {
	src := axeScript(t)
	ctx := StartBrowser(t)
	base := ServeSite(t)
	var pages []string
	for _, dir := range []string{"", "ja/"} {
		pages = append(pages, dir+"index.html", dir+"playground.html", dir+"embed.html", dir+"api.html", dir+"tutorials/index.html")
		entries, err := os.ReadDir(filepath.Join(SiteDir(t), dir+"tutorials"))
		if err != nil {
			t.Fatal(err)
		}
		chapters := 0
		for _, e := range entries {
			if n := e.Name(); strings.HasSuffix(n, ".html") && n != "index.html" && n != "authoring.html" {
				pages = append(pages, dir+"tutorials/"+n)
				chapters++
			}
		}
		if chapters < 10 {
			t.Fatalf("only %d chapter pages in %q", chapters, dir)
		}
		// Each page as it starts; the playground and chapter 6 also with
		// messages in flight and an inspector open (see layoutSetup).
		pages = append(pages, dir+"playground.html#driven", dir+"tutorials/figure-8.html#driven")
		// Chapter 13 with every action link clicked: client requests drawn,
		// reads waiting at servers, and reads that are not linearizable.
		pages = append(pages, dir+"tutorials/linearizable-reads.html#clicked")
		// An adversary level won: its shortest solution, hints and twin shown.
		pages = append(pages, dir+"tutorials/level-commit-earlier-terms.html#won")
	}
	pages = append(pages, "tutorials/authoring.html")
	for _, p := range pages {
		driven := strings.HasSuffix(p, "#driven")
		Navigate(t, ctx, base+"/"+p)
		var widget bool
		Eval(t, ctx, `!!document.querySelector('script[src$="raftlab-loader.js"]')`, &widget)
		if widget {
			WaitReady(t, ctx)
			// Chapters: their clusters made (after the module is ready).
			waitFor(t, ctx, `!document.querySelector('[data-tut-mount]') || [...document.querySelectorAll('[data-tut-mount]')].every(m => m.querySelector('.rl-cluster:not(.rl-static)'))`, p+": its clusters")
		}
		if driven {
			waitFor(t, ctx, `!document.querySelector('button.tut-action') || !document.querySelector('button.tut-action').disabled`, "the action links")
			var msgs int
			Eval(t, ctx, `(document.body.dataset.layoutSteps = 9, `+layoutSetup+`(false))`, &msgs)
			if msgs == 0 {
				t.Errorf("%s: no message in flight to audit", p)
			}
		}
		if strings.HasSuffix(p, "#clicked") {
			waitFor(t, ctx, `[...document.querySelectorAll('button.tut-action')].every(b => !b.disabled)`, "the action links")
			Eval(t, ctx, `document.querySelectorAll('button.tut-action').forEach(b => b.click())`, nil)
			waitFor(t, ctx, `document.querySelectorAll('.rl-clients:not([hidden]) .rl-op-bad').length > 0 &&
				document.querySelector('.rl-violations strong.rl-linearizability')`, p+": a read marked not linearizable")
		}
		if strings.HasSuffix(p, "#won") {
			waitFor(t, ctx, `document.querySelector('[data-tut-exercise]').raftlabCluster`, p+": the level's cluster")
			var twin string
			Eval(t, ctx, levelWon, &twin)
			if twin != "safe" {
				t.Errorf("%s: the twin is %q", p, twin)
			}
		}
		var violations []axeViolation
		Eval(t, ctx, `(() => { if (!window.axe) { `+src+` } return 0; })()`, nil)
		Eval(t, ctx, `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
			id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => ({target: n.target.map(String)})),
		})))`, &violations)
		counts := map[string]int{}
		for _, v := range violations {
			counts[v.Impact] += len(v.Nodes)
			if v.Impact == "serious" || v.Impact == "critical" || v.Impact == "moderate" {
				var where []string
				for _, n := range v.Nodes {
					where = append(where, strings.Join(n.Target, " "))
				}
				t.Errorf("%s: %s %s (%s): %s", p, v.Impact, v.ID, v.Help, strings.Join(where, "; "))
			}
		}
		t.Logf("%s: axe violations by impact: %v", p, counts)
	}
}
