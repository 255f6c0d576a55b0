//go:build !js

package e2e

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"raftlab/site/build"
)

// deckBuilt builds the example lecture deck with site/deck/build.sh (npm
// ci, reveal.js's dist files, the deck's own files) into a temporary
// directory and returns the directory holding deck/. Without npm the test
// skips, or fails under RAFTLAB_REQUIRE_BROWSER=1 (make test).
func deckBuilt(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("npm"); err != nil {
		msg := "no npm: the deck's reveal.js cannot be installed (install node and npm, or run make test)"
		if os.Getenv("RAFTLAB_REQUIRE_BROWSER") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	dir := t.TempDir()
	cmd := exec.Command("sh", filepath.Join(ModuleRoot(t), "site", "deck", "build.sh"), filepath.Join(dir, "deck"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the deck (site/deck/build.sh): %v\n%s", err, out)
	}
	return dir
}

// serveWithDeck serves the site, with the deck at /deck/ and extra pages.
func serveWithDeck(t *testing.T, deck string, pages map[string]string) string {
	t.Helper()
	mux := http.NewServeMux()
	if deck != "" {
		mux.Handle("/deck/", http.FileServer(http.Dir(deck)))
	}
	for path, body := range pages {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Security-Policy", build.CSP)
			w.Write([]byte(body))
		})
	}
	mux.Handle("/", http.FileServer(http.Dir(SiteDir(t))))
	return ServeHandler(t, mux)
}

type clusterState struct {
	Position int    `json:"position"`
	Recorded int    `json:"recorded"`
	Roles    string `json:"roles"`
	Focused  bool   `json:"focused"`
	Slide    int    `json:"slide"`
}

const stateJS = `((id) => {
	const el = document.getElementById(id);
	const st = el.cluster.state();
	return {
		position: st.position, recorded: st.recorded,
		roles: st.nodes.map(n => n.role).join(' '),
		focused: el.contains(document.activeElement),
		slide: Reveal.getIndices().h,
	};
})`

// The lecture deck, driven by the raftlab plugin (raftlab-reveal.js): the
// keys step the current slide's cluster to each of its marks, then move
// on to the next slide; a later slide's keys drive only its own cluster;
// a cluster with the focus keeps its keys until Escape.
func TestDeckClusterKeys(t *testing.T) {
	ctx := StartBrowser(t)
	base := serveWithDeck(t, deckBuilt(t), nil)
	Viewport(t, ctx, 1920, 1080)
	Navigate(t, ctx, base+"/deck/index.html")
	waitDeck(t, ctx, 3)

	state := func(id string) clusterState {
		t.Helper()
		var st clusterState
		Eval(t, ctx, stateJS+`(`+jsString(id)+`)`, &st)
		return st
	}
	press := func(k string) {
		t.Helper()
		Do(t, ctx, chromedp.KeyEvent(k))
		// Let the view draw and reveal.js react.
		Eval(t, ctx, `new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))`, nil)
	}

	// Presenter mode replayed the lecture's 8 actions and went back to 0.
	st := state("cluster-election")
	if st.Position != 0 || st.Recorded != 8 {
		t.Fatalf("election cluster at %d of %d recorded actions, want 0 of 8", st.Position, st.Recorded)
	}
	var nodes int
	Eval(t, ctx, `document.querySelectorAll('#cluster-election [data-node]').length`, &nodes)
	if nodes != 3 {
		t.Errorf("%d [data-node] in the election cluster, want 3", nodes)
	}

	// Slide 0 has no cluster: → is reveal.js's.
	press(kb.ArrowRight)
	if st = state("cluster-election"); st.Slide != 1 || st.Position != 0 {
		t.Fatalf("→ on the title slide: %+v, want slide 1 with the cluster untouched", st)
	}
	// On slide 1, nothing focused: → and PageDown step to each mark
	// (1, 3, 4, 8), ← and PageUp back; after the last mark → leaves.
	for _, step := range []struct {
		key        string
		pos, slide int
	}{
		{kb.ArrowRight, 1, 1}, {kb.PageDown, 3, 1}, {kb.ArrowRight, 4, 1}, {kb.ArrowLeft, 3, 1},
		{kb.PageUp, 1, 1}, {kb.ArrowRight, 3, 1}, {kb.ArrowRight, 4, 1}, {kb.ArrowRight, 8, 1},
		{kb.ArrowRight, 8, 2},
	} {
		press(step.key)
		if st = state("cluster-election"); st.Position != step.pos || st.Slide != step.slide {
			t.Fatalf("after %q: election cluster at %d on slide %d, want %d on slide %d", step.key, st.Position, st.Slide, step.pos, step.slide)
		}
	}
	if st.Roles != "Follower Leader Follower" {
		t.Errorf("at the last mark: roles %q, want S2 Leader", st.Roles)
	}

	// Slide 2: its keys drive only its own cluster.
	press(kb.ArrowRight)
	var delivered struct {
		Position int `json:"position"`
		S2Log    int `json:"s2log"`
	}
	Eval(t, ctx, `(() => { const st = document.getElementById('cluster-consistency').cluster.state();
		return {position: st.position, s2log: st.nodes[1].log.length}; })()`, &delivered)
	if delivered.Position != 2 || delivered.S2Log != 4 {
		t.Errorf("consistency cluster after →: %+v, want position 2 and S2 holding 4 entries", delivered)
	}
	if st = state("cluster-election"); st.Position != 8 || st.Slide != 2 {
		t.Errorf("→ on slide 2 moved the election cluster (slide 1's): %+v", st)
	}
	// ← back to its start, then ← leaves for the slide before.
	press(kb.ArrowLeft)
	press(kb.ArrowLeft)
	if st = state("cluster-consistency"); st.Position != 0 || st.Slide != 1 {
		t.Errorf("← ← on slide 2: %+v, want the cluster at 0 and slide 1", st)
	}
	press(kb.ArrowRight) // slide 1's cluster is at its end: on to slide 2
	if st = state("cluster-consistency"); st.Slide != 2 {
		t.Fatalf("→ at slide 1's last mark: slide %d, want 2", st.Slide)
	}

	// L makes the slide's cluster large: on a 1920×1080 projector no text
	// of it is under 20 px (reveal.js scales the slide: sizes are read
	// from the screen). Space plays and pauses it.
	var large bool
	smallest := func() (px float64, what string) {
		var r struct {
			Px   float64 `json:"px"`
			What string  `json:"what"`
		}
		Eval(t, ctx, `new Promise(res => setTimeout(res, 900)).then(() => {
			const fig = document.querySelector('#cluster-consistency .rl-cluster');
			const walker = document.createTreeWalker(fig, NodeFilter.SHOW_TEXT);
			let px = 1e9, what = '';
			for (let n = walker.nextNode(); n; n = walker.nextNode()) {
				const el = n.parentElement;
				if (n.textContent.trim() === '' || el.getClientRects().length === 0 || el.closest('.rl-log caption, [hidden]')) continue;
				let s = parseFloat(getComputedStyle(el).fontSize);
				s *= el instanceof SVGElement ? el.getScreenCTM().a : Reveal.getScale();
				if (s < px) { px = s; what = el.tagName + ' ' + n.textContent.trim().slice(0, 20); }
			}
			return {px, what};
		})`, &r)
		return r.Px, r.What
	}
	normal, what := smallest()
	t.Logf("the slide's cluster at 1920×1080: smallest text %.1f px (%s)", normal, what)
	press("l")
	Eval(t, ctx, `document.getElementById('cluster-consistency').classList.contains('raftlab-large')`, &large)
	if !large {
		t.Error("L did not make the slide's cluster large")
	}
	if px, what := smallest(); px < 20 {
		t.Errorf("L at 1920×1080: the smallest text is %.1f px (%s), want at least 20", px, what)
	} else {
		t.Logf("with L: smallest text %.1f px (%s)", px, what)
	}
	ViewportScreenshot(t, ctx, "deck-large")
	press("l")
	var playing []bool
	for i := 0; i < 2; i++ {
		press(" ")
		var p bool
		Eval(t, ctx, `document.getElementById('cluster-consistency').cluster.playing()`, &p)
		playing = append(playing, p)
	}
	if !playing[0] || playing[1] {
		t.Errorf("Space, Space: playing %v, want [true false]", playing)
	}

	// A cluster with the focus keeps the keys: → steps it (no slide change);
	// Escape gives them back.
	Eval(t, ctx, `(document.getElementById('cluster-consistency').focus(), 1)`, nil)
	before := state("cluster-consistency").Position
	press(kb.ArrowRight)
	if st = state("cluster-consistency"); st.Slide != 2 || st.Position == before || !st.Focused {
		t.Fatalf("→ in the focused cluster: %+v (from position %d)", st, before)
	}
	press(kb.Escape)
	if st = state("cluster-consistency"); st.Focused {
		t.Fatal("the cluster still has the focus after Escape")
	}
	Eval(t, ctx, `new Promise(r => setTimeout(r, 1000))`, nil) // the slide transition
	ViewportScreenshot(t, ctx, "deck")
	if errs := PageErrors(ctx); len(errs) > 0 {
		t.Errorf("the deck reported errors: %q", errs)
	}
}

// waitDeck waits until reveal.js is ready and the deck's n clusters are.
func waitDeck(t *testing.T, ctx context.Context, n int) {
	t.Helper()
	var got int
	Eval(t, ctx, `new Promise((resolve, reject) => {
		const wait = () => {
			if (!window.Reveal || !Reveal.isReady()) return setTimeout(wait, 20);
			const els = [...document.querySelectorAll('raft-cluster')];
			Promise.all(els.map(e => e.ready)).then(() => resolve(els.length), reject);
		};
		wait();
	})`, &got)
	if got != n {
		t.Fatalf("%d <raft-cluster> elements in the deck, want %d", got, n)
	}
}

const firstSlideDeck = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>first slide</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="reveal/reveal.css"><link rel="stylesheet" href="reveal/theme/white.css">
<script src="../raftlab-reveal.js"></script><script src="reveal/reveal.js"></script><script src="first.js" defer></script>
</head><body><div class="reveal"><div class="slides">
<section><h2>A cluster on the first slide</h2>
<raft-cluster id="first" presenter controls="false" scenario="nodes: 5"></raft-cluster></section>
<section><h2>Next</h2></section>
</div></div></body></html>`

// A cluster on the first slide sits within the slide from the start,
// without the deck calling Reveal.layout() itself.
func TestDeckFirstSlideLayout(t *testing.T) {
	ctx := StartBrowser(t)
	deck := deckBuilt(t)
	if err := os.WriteFile(filepath.Join(deck, "deck", "first.js"), []byte(`Reveal.initialize({width: 1280, height: 800, plugins: [RaftlabReveal]});`), 0o644); err != nil {
		t.Fatal(err)
	}
	base := serveWithDeck(t, deck, map[string]string{"/deck/first.html": firstSlideDeck})
	Viewport(t, ctx, 1280, 800)
	Navigate(t, ctx, base+"/deck/first.html")
	waitDeck(t, ctx, 1)
	var got struct {
		Cluster [4]float64 `json:"cluster"`
		Height  float64    `json:"height"`
		Ring    float64    `json:"ring"`
	}
	Eval(t, ctx, `new Promise(r => requestAnimationFrame(() => setTimeout(r, 100))).then(() => {
		const c = document.getElementById('first').getBoundingClientRect();
		return {cluster: [c.left, c.top, c.right, c.bottom], height: innerHeight,
			ring: document.querySelector('#first svg.rl-ring').getBoundingClientRect().height};
	})`, &got)
	ViewportScreenshot(t, ctx, "deck-first-slide")
	if got.Cluster[1] < 0 || got.Cluster[3] > got.Height || got.Ring < 200 {
		t.Errorf("the first slide's cluster at %v (viewport height %.0f, ring %.0f px tall): want it within the viewport", got.Cluster, got.Height, got.Ring)
	}
}

const customElementPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>raft-cluster test</title><link rel="icon" href="data:,">
<script src="/raft-cluster.js"></script>
</head><body>
<raft-cluster id="plain" scenario="nodes: 3" controls="false"></raft-cluster>
<raft-cluster id="evil" controls="false" scenario="<img src=x onerror=&quot;window.__xss=1&quot;><b>bold</b>"></raft-cluster>
<raft-cluster id="child" controls="false">
  <template>
    nodes: 4
    timers: frozen
    mark: 1
    setup:
      timeout S4
  </template>
</raft-cluster>
</body></html>`

// <raft-cluster> alone, in a page with one script tag and the site's CSP.
func TestCustomElement(t *testing.T) {
	ctx := StartBrowser(t)
	base := serveWithDeck(t, "", map[string]string{"/test/custom.html": customElementPage})
	Navigate(t, ctx, base+"/test/custom.html")

	var got struct {
		Nodes    map[string]int `json:"nodes"`
		Imgs     int            `json:"imgs"`
		Bolds    int            `json:"bolds"`
		XSS      bool           `json:"xss"`
		Notice   string         `json:"notice"`
		Frozen   bool           `json:"frozen"`
		Position int            `json:"position"`
		State    string         `json:"state"`
		Scripts  int            `json:"scripts"`
	}
	Eval(t, ctx, `Promise.all([...document.querySelectorAll('raft-cluster')].map(e => e.ready)).then(() => {
		const count = id => document.querySelectorAll('#' + id + ' [data-node]').length;
		const plain = document.getElementById('plain');
		plain.cluster.do('timeout S1');
		return {
			nodes: {plain: count('plain'), evil: count('evil'), child: count('child'),
				api: plain.cluster.state().nodes.length},
			imgs: document.querySelectorAll('img').length,
			bolds: document.querySelectorAll('b').length,
			xss: window.__xss === 1,
			notice: document.getElementById('evil').textContent,
			frozen: document.getElementById('child').cluster.state().frozen,
			position: plain.cluster.state().position,
			state: plain.dataset.state,
			scripts: document.querySelectorAll('script[src$="raft-cluster.js"]').length,
		};
	})`, &got)
	if got.Nodes["plain"] != 3 || got.Nodes["api"] != 3 {
		t.Errorf("plain cluster: %v, want 3 drawn servers and 3 in state()", got.Nodes)
	}
	if got.Nodes["child"] != 4 || !got.Frozen {
		t.Errorf("scenario from a <template>: %d servers, frozen %v; want 4, frozen", got.Nodes["child"], got.Frozen)
	}
	if got.Position != 1 || got.State != "ready" {
		t.Errorf("element.cluster.do: position %d, data-state %q", got.Position, got.State)
	}
	if got.Imgs != 0 || got.Bolds != 0 || got.XSS {
		t.Errorf("the scenario attribute became HTML: %d img, %d b, script ran %v", got.Imgs, got.Bolds, got.XSS)
	}
	if !strings.Contains(got.Notice, "<img") {
		t.Errorf("the bad scenario's notice %q does not show it as text", got.Notice)
	}
	if got.Nodes["evil"] != 5 {
		t.Errorf("the bad scenario falls back to the default cluster: %d servers, want 5", got.Nodes["evil"])
	}

	// Keys while focused: → runs the next event (S1's RequestVote arrives),
	// ← takes it back.
	state := func() (pos int) {
		Eval(t, ctx, `document.getElementById('plain').cluster.state().position`, &pos)
		return pos
	}
	Eval(t, ctx, `(document.getElementById('plain').focus(), 1)`, nil)
	Do(t, ctx, chromedp.KeyEvent(kb.ArrowRight))
	if p := state(); p != 2 {
		t.Errorf("after →: position %d, want 2", p)
	}
	Do(t, ctx, chromedp.KeyEvent(kb.ArrowLeft))
	if p := state(); p != 1 {
		t.Errorf("after ←: position %d, want 1", p)
	}

	// Changing an attribute makes a new cluster; removing the element
	// destroys it.
	var change struct {
		Nodes     int    `json:"nodes"`
		OldGone   string `json:"oldGone"`
		Same      bool   `json:"same"`
		Destroyed string `json:"destroyed"`
	}
	Eval(t, ctx, `(async () => {
		const el = document.getElementById('plain');
		const old = el.cluster;
		el.setAttribute('scenario', 'nodes: 5');
		el.setAttribute('seed', '9');
		const h = await el.ready;
		const gone = (fn) => { try { fn(); return ''; } catch (e) { return e.message; } };
		const res = {nodes: document.querySelectorAll('#plain [data-node]').length,
			oldGone: gone(() => old.state()), same: h === old};
		el.remove();
		await Promise.resolve(); await Promise.resolve();
		res.destroyed = gone(() => h.state());
		return res;
	})()`, &change)
	if change.Nodes != 5 || change.Same {
		t.Errorf("after setAttribute: %d servers (same handle %v), want 5 and a new handle", change.Nodes, change.Same)
	}
	if change.OldGone == "" || change.Destroyed == "" {
		t.Errorf("old handles still work: after re-create %q, after remove %q", change.OldGone, change.Destroyed)
	}
	if got.Scripts != 1 {
		t.Errorf("%d raft-cluster.js script tags", got.Scripts)
	}
	NoPageErrors(t, ctx)
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// embed.html with presenter.js: the keys work for the whole page (an
// iframe in a slide) and ?presenter=1 starts at the beginning of the
// lecture's actions.
func TestPresenterEmbed(t *testing.T) {
	ctx := StartBrowser(t)
	page, err := os.ReadFile(filepath.Join(SiteDir(t), "embed.html"))
	if err != nil {
		t.Fatal(err)
	}
	const line = `<script src="presenter.js" defer></script>`
	html := string(page)
	if !strings.Contains(html, line) { // until embed.html has it
		html = strings.Replace(html, "</main>", line+"\n</main>", 1)
	}
	base := serveWithDeck(t, "", map[string]string{"/embed-presenter.html": html})
	scenario := "nodes: 3\ntimers: frozen\nmark: 1, 3\n"
	Navigate(t, ctx, base+"/embed-presenter.html?controls=0&presenter=1&scenario="+
		url.QueryEscape(scenario)+"&a="+url.QueryEscape("timeout S2; next; next; next"))
	WaitReady(t, ctx)

	pos := func() (p int) {
		t.Helper()
		Eval(t, ctx, `raftlabLoader.handles[0].state().position`, &p)
		return p
	}
	Eval(t, ctx, `new Promise(r => { const w = () => raftlabLoader.handles[0].state().position === 0 ? r(1) : setTimeout(w, 20); w(); })`, nil)
	var recorded int
	Eval(t, ctx, `raftlabLoader.handles[0].state().recorded`, &recorded)
	if recorded != 4 {
		t.Fatalf("%d recorded actions, want 4", recorded)
	}
	for _, step := range []struct {
		key  string
		want int
	}{{kb.PageDown, 1}, {kb.ArrowRight, 3}, {kb.ArrowRight, 4}, {kb.PageUp, 3}, {kb.ArrowLeft, 1}, {kb.ArrowLeft, 0}} {
		Do(t, ctx, chromedp.KeyEvent(step.key))
		if p := pos(); p != step.want {
			t.Fatalf("after %q: position %d, want %d", step.key, p, step.want)
		}
	}
	var large bool
	Do(t, ctx, chromedp.KeyEvent("L"))
	Eval(t, ctx, `document.querySelector('[data-raftlab-mount]').classList.contains('raftlab-large')`, &large)
	if !large {
		t.Error("L did not make the embedded cluster large")
	}
	NoPageErrors(t, ctx)
}
