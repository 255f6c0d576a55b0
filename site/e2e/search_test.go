//go:build !js

package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"raftlab/raft/sim"
)

// The in-page search (chapter 14's search block): it runs in a Web Worker,
// the page keeps running while it searches, and the run it finds
// opens in the normal view with the rule cited at the step that used it,
// the point of no return marked on the history, and marks that go there.
func TestSearchInTheBrowser(t *testing.T) {
	ctx := StartBrowser(t)
	base := ServeSite(t)
	Navigate(t, ctx, base+"/tutorials/break-the-algorithm.html")
	WaitReady(t, ctx)
	var form struct {
		Rule, Nodes, Seed string
	}
	Eval(t, ctx, `(() => { const f = document.querySelector('[data-tut-search-form]');
		return {rule: f.elements.unsafe.value, nodes: f.elements.nodes.value, seed: f.elements.seed.value}; })()`, &form)
	if form.Rule != "commit-earlier-terms" || form.Nodes != "5" || form.Seed != "1" {
		t.Fatalf("the search block's settings: %+v", form)
	}
	// Start. The worker posts its progress between slices of work, and the
	// page reads a message only when its own thread is free: progress
	// shown before the result means the page kept running while the
	// worker searched.
	var frames struct {
		Progress []string `json:"progress"`
	}
	Eval(t, ctx, `new Promise(resolve => {
		const s = document.querySelector('[data-tut-search]');
		const seen = [];
		const out = s.querySelector('[data-tut-search-progress]');
		const obs = new MutationObserver(() => {
			if (!s.dataset.found) seen.push(out.textContent);
			if (s.dataset.state === 'idle') { obs.disconnect(); resolve({progress: seen}); }
		});
		obs.observe(s, {childList: true, characterData: true, subtree: true, attributes: true});
		s.querySelector('[data-tut-search-start]').click();
	})`, &frames)
	if len(frames.Progress) < 2 {
		t.Errorf("the page showed %d progress lines before the result: %q", len(frames.Progress), frames.Progress)
	}
	waitFor(t, ctx, `document.querySelector('[data-tut-search]').dataset.found`, "the search to find and explain a run")
	var got struct {
		Found, Summary, Proof, Open string
		Progress                    []string
		Uses, Marks, TraceNotes     int
		Box                         string
		NoReturn, Position          int
	}
	Eval(t, ctx, `new Promise(resolve => {
		const s = document.querySelector('[data-tut-search]');
		const wait = () => {
			const c = s.raftlabCluster;
			if (!c || !s.querySelector('.rl-explain')) { setTimeout(wait, 20); return; }
			const ex = c.explanation();
			const mark = s.querySelector('.rl-mark[data-explain="no-return"]');
			mark.click();
			setTimeout(() => resolve({
				found: s.dataset.found,
				summary: s.querySelector('[data-tut-search-summary]').textContent,
				proof: s.querySelector('[data-tut-search-proof]').textContent,
				open: s.querySelector('[data-tut-search-open]').href,
				uses: ex.uses.length,
				marks: s.querySelectorAll('.rl-mark').length,
				traceNotes: s.querySelectorAll('.rl-trace .rl-explain-line').length,
				box: s.querySelector('.rl-explain').textContent,
				noReturn: ex.noReturn,
				position: c.state().position,
			}), 50);
		};
		wait();
	})`, &got)
	got.Progress = frames.Progress
	t.Logf("%s %s (%d progress lines; %d uses, %d marks, %d trace notes)", got.Summary, got.Proof, len(frames.Progress), got.Uses, got.Marks, got.TraceNotes)
	Screenshot(t, ctx, "search-found")
	if got.Found != "leader-completeness" || !strings.HasPrefix(got.Summary, "Found Leader Completeness after ") ||
		!strings.Contains(got.Summary, "shrunk from ") {
		t.Errorf("result: %+v", got)
	}
	if !slices.ContainsFunc(got.Progress, func(p string) bool { return strings.HasPrefix(p, "Searching: ") && strings.Contains(p, "/s)") }) {
		t.Errorf("no progress with rates: %q", got.Progress)
	}
	if got.Uses == 0 || got.Marks < 3 || !strings.Contains(got.Box, "Switched off: a leader commits an entry of an earlier term only") ||
		!strings.Contains(got.Box, "the switched-off rule decides here: ") || !strings.Contains(got.Box, "point of no return") {
		t.Errorf("the explanation in the view: %+v", got)
	}
	if got.Position != got.NoReturn {
		t.Errorf("the point of no return's mark went to step %d, want %d", got.Position, got.NoReturn)
	}
	if !strings.Contains(got.Open, "/playground.html?") || !strings.Contains(got.Open, "explain=1") {
		t.Errorf("the playground link: %s", got.Open)
	}
	// The playground link opens the same run, explained.
	Navigate(t, ctx, got.Open)
	WaitReady(t, ctx)
	var marks int
	Eval(t, ctx, `document.querySelectorAll('.rl-explain li[data-explain]').length`, &marks)
	if marks < 3 {
		t.Errorf("the playground shows %d explained steps", marks)
	}
	NoPageErrors(t, ctx)
}

// Stop ends a search at once, with what it has so far; the Start button
// comes back.
func TestSearchStops(t *testing.T) {
	ctx := StartBrowser(t)
	base := ServeSite(t)
	Navigate(t, ctx, base+"/tutorials/break-the-algorithm.html")
	WaitReady(t, ctx)
	var got struct {
		Progress string `json:"progress"`
		Start    bool   `json:"start"`
		Stop     bool   `json:"stop"`
	}
	Eval(t, ctx, `new Promise(resolve => {
		const s = document.querySelector('[data-tut-search]');
		const f = s.querySelector('[data-tut-search-form]');
		f.elements.unsafe.value = 'config-change-before-term-commit'; // nothing to find without membership changes
		f.elements.nodes.value = '0';
		s.querySelector('[data-tut-search-start]').click();
		setTimeout(() => s.querySelector('[data-tut-search-stop]').click(), 300);
		const wait = () => s.dataset.state === 'idle' ? resolve({
			progress: s.querySelector('[data-tut-search-progress]').textContent,
			start: s.querySelector('[data-tut-search-start]').disabled,
			stop: s.querySelector('[data-tut-search-stop]').disabled,
		}) : setTimeout(wait, 20);
		setTimeout(wait, 320);
	})`, &got)
	if got.Progress != "Stopped." || got.Start || !got.Stop {
		t.Errorf("after stop: %+v", got)
	}
	NoPageErrors(t, ctx)
}

// Every adversary level, in the browser: its shortest known solution, played
// on its cluster, meets its goal; the page then shows that solution beside
// the learner's length; a hint shows at a press; and the twin, with the
// rule back on, replays the same steps and breaks nothing.
func TestLevelsInTheBrowser(t *testing.T) {
	ctx := StartBrowser(t)
	base := ServeSite(t)
	entries, err := os.ReadDir(filepath.Join(SiteDir(t), "tutorials"))
	if err != nil {
		t.Fatal(err)
	}
	levels := 0
	for _, e := range entries {
		slug, ok := strings.CutSuffix(e.Name(), ".html")
		if !ok || !strings.HasPrefix(slug, "level-") {
			continue
		}
		levels++
		Navigate(t, ctx, base+"/tutorials/"+slug+".html")
		WaitReady(t, ctx)
		waitFor(t, ctx, `document.querySelector('[data-tut-exercise]').raftlabCluster`, slug+": the cluster")
		var got struct {
			Open      []string `json:"open"`
			Done      bool     `json:"done"`
			Shortest  string   `json:"shortest"`
			Hint      bool     `json:"hint"`
			Twin      string   `json:"twin"`
			Verdict   string   `json:"verdict"`
			TwinViols int      `json:"twinViolations"`
		}
		Eval(t, ctx, `new Promise(resolve => {
			const section = document.querySelector('[data-tut-exercise]');
			const box = document.querySelector('[data-tut-level]');
			const steps = [...box.querySelectorAll('[data-tut-shortest] code')].map(c => c.textContent);
			section.raftlabCluster.do(steps.join('\n'));
			box.querySelector('[data-tut-hint-next]').click();
			setTimeout(() => {
				box.querySelector('[data-tut-twin]').click();
				const wait = () => box.dataset.twin ? resolve({
					open: [...document.querySelectorAll('[data-goal]')].filter(g => g.dataset.state !== 'met')
						.map(g => g.querySelector('.tut-goal-text').textContent),
					done: !document.querySelector('[data-tut-exercise-done]').hidden,
					shortest: box.querySelector('[data-tut-shortest]').hidden ? '' : box.querySelector('[data-tut-shortest-text]').textContent,
					hint: !box.querySelector('[data-tut-hint]').hidden,
					twin: box.dataset.twin,
					verdict: box.querySelector('[data-tut-twin-verdict]').textContent,
					twinViolations: box.querySelectorAll('[data-tut-twin-mount] .rl-violations li').length,
				}) : setTimeout(wait, 20);
				wait();
			}, 50);
		})`, &got)
		if len(got.Open) > 0 || !got.Done {
			t.Errorf("%s: the solution leaves goals unmet: %q", slug, got.Open)
		}
		if !strings.HasPrefix(got.Shortest, "You won in ") || !got.Hint {
			t.Errorf("%s: after winning: shortest %q, hint shown %v", slug, got.Shortest, got.Hint)
		}
		if got.Twin != "safe" || got.TwinViols != 0 || !strings.HasPrefix(got.Verdict, "With the rule on, your ") {
			t.Errorf("%s: the twin: %+v", slug, got)
		}
		if errs := PageErrors(ctx); len(errs) > 0 {
			t.Errorf("%s: the page reported errors: %q", slug, errs)
		}
	}
	if levels < 10 {
		t.Errorf("only %d level pages", levels)
	}
}

// BenchmarkSearchInChromium measures, for every switch, the median time
// the search takes to find a violation in headless Chromium (in its Web
// Worker, over seeds 1 to 10) and the steps per second it plays; natively
// raft/sim's BenchmarkSearch measures the same. It is a measurement, not
// a test: go test ./site/e2e -run '^$' -bench SearchInChromium -benchtime 1x
func BenchmarkSearchInChromium(b *testing.B) {
	ctx := StartBrowser(b)
	base := ServeSite(b)
	Navigate(b, ctx, base+"/playground.html")
	WaitReady(b, ctx)
	for _, sw := range sim.Switches() {
		name := sw.Name
		nodes := 0
		if name == "commit-earlier-terms" {
			nodes = 5
		}
		b.Run(name, func(b *testing.B) {
			var ms, steps []float64
			found := 0
			for b.Loop() {
				ms, steps, found = nil, nil, 0
				for seed := 1; seed <= 10; seed++ {
					var r struct {
						Found    bool    `json:"found"`
						SearchMs float64 `json:"searchMs"`
						Steps    float64 `json:"steps"`
					}
					Eval(b, ctx, `new Promise((resolve, reject) => {
						const w = new Worker(raftlabLoader.playground.replace('playground.html', 'raftlab-search-worker.js'));
						w.onmessage = e => {
							const m = e.data;
							if (m.type === 'progress' && m.progress.phase !== 'searching') w.postMessage({type: 'stop'});
							if (m.type === 'done' || m.type === 'stopped') { w.terminate(); resolve({found: m.progress.found, searchMs: m.searchMs, steps: m.progress.steps}); }
							if (m.type === 'error') { w.terminate(); reject(new Error(m.message)); }
						};
						w.postMessage({type: 'start', id: 1, options: {unsafe: '`+name+`', seed: `+strconv.Itoa(seed)+`, nodes: `+strconv.Itoa(nodes)+`, maxSchedules: 20000}});
					})`, &r)
					if r.Found {
						found++
					}
					ms, steps = append(ms, r.SearchMs), append(steps, r.Steps)
				}
			}
			sorted := slices.Clone(ms)
			slices.Sort(sorted)
			b.ReportMetric(sorted[len(sorted)/2], "ms/find")
			var total, took float64
			for i := range ms {
				total, took = total+steps[i], took+ms[i]
			}
			b.ReportMetric(total/took*1000, "steps/s")
			b.ReportMetric(float64(found), "found/10")
		})
	}
}
