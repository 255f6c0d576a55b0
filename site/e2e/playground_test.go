//go:build !js

package e2e

// Browser tests of the playground: the live view and the JavaScript API
// driven together. TestPlaygroundMeasure only logs figures (no timing is
// checked); run it with -v to see them.

import (
	"context"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"

	"raftlab/raft/sim"
	"raftlab/site/build"
)

// jsState is what the tests compare of cluster.state().
type jsState struct {
	Time  int64 `json:"time"`
	Nodes []struct {
		ID          int    `json:"id"`
		Up          bool   `json:"up"`
		Role        string `json:"role"`
		Term        int    `json:"term"`
		Vote        *int   `json:"vote"`
		CommitIndex int    `json:"commitIndex"`
		LastApplied int    `json:"lastApplied"`
		KV          map[string]string
		Log         []struct {
			Index int    `json:"index"`
			Term  int    `json:"term"`
			Kind  string `json:"kind"`
			Data  string `json:"data"`
		} `json:"log"`
	} `json:"nodes"`
	Messages []struct {
		ID   int    `json:"id"`
		From int    `json:"from"`
		To   int    `json:"to"`
		Type string `json:"type"`
	} `json:"messages"`
	Position int `json:"position"`
	Recorded int `json:"recorded"`
}

const h0 = `raftlabLoader.handles[0]`

func state(t *testing.T, ctx context.Context) jsState {
	t.Helper()
	var st jsState
	Eval(t, ctx, `(() => { const s = `+h0+`.state(); s.nodes.forEach(n => { n.KV = Object.assign({}, n.kv); }); return s; })()`, &st)
	return st
}

func leaderOf(st jsState) int {
	for _, n := range st.Nodes {
		if n.Role == "Leader" {
			return n.ID
		}
	}
	return 0
}

func openPlayground(t *testing.T, query string) (context.Context, string) {
	t.Helper()
	ctx := StartBrowser(t)
	base := ServeSite(t)
	Navigate(t, ctx, base+"/playground.html"+query)
	WaitReady(t, ctx)
	return ctx, base
}

// An election and a commit, driven message by message through the API,
// seen both in state() and in the drawing.
func TestPlaygroundElectionAndCommit(t *testing.T) {
	ctx, _ := openPlayground(t, "")
	var n int
	Eval(t, ctx, `document.querySelectorAll('[data-node]').length`, &n)
	if n != 5 {
		t.Fatalf("%d [data-node], want 5", n)
	}
	Eval(t, ctx, h0+`.freeze().timeout(1) && 0`, nil)

	leader := 0
	for step := 0; leader == 0; step++ {
		if step > 60 {
			t.Fatal("no leader after 60 deliveries")
		}
		st := state(t, ctx)
		if len(st.Messages) == 0 {
			t.Fatalf("no message in flight and no leader: %+v", st.Nodes)
		}
		Eval(t, ctx, h0+`.deliver(`+strconv.Itoa(st.Messages[0].ID)+`) && 0`, nil)
		var domLeader string
		Eval(t, ctx, `(document.querySelector('[data-node][data-role="Leader"]') || {dataset: {node: ''}}).dataset.node`, &domLeader)
		if l := leaderOf(state(t, ctx)); l != 0 {
			if domLeader != strconv.Itoa(l) {
				t.Fatalf("state() says S%d leads, the drawing says %q", l, domLeader)
			}
			leader = l
		} else if domLeader != "" {
			t.Fatalf("the drawing shows a leader (%s), state() does not", domLeader)
		}
	}
	var label string
	Eval(t, ctx, `document.querySelector('[data-node="`+strconv.Itoa(leader)+`"] .rl-hit').getAttribute('aria-label')`, &label)
	if want := "S" + strconv.Itoa(leader) + ", Leader, term 1, voted for S" + strconv.Itoa(leader); label != want {
		t.Errorf("leader's aria-label %q, want %q", label, want)
	}

	Eval(t, ctx, h0+`.propose(`+strconv.Itoa(leader)+`, "set x 3") && 0`, nil)
	for step := 0; ; step++ {
		st := state(t, ctx)
		l := st.Nodes[leader-1]
		if l.CommitIndex >= 2 && l.LastApplied >= 2 {
			if l.KV["x"] != "3" {
				t.Errorf("leader applied the entry but x = %q", l.KV["x"])
			}
			break
		}
		if step > 60 || len(st.Messages) == 0 {
			t.Fatalf("entry not committed (step %d): leader commit %d applied %d", step, l.CommitIndex, l.LastApplied)
		}
		Eval(t, ctx, h0+`.deliver(`+strconv.Itoa(st.Messages[0].ID)+`) && 0`, nil)
	}
	// Heartbeats carry the commit index to the followers.
	Eval(t, ctx, h0+`.timeout(`+strconv.Itoa(leader)+`).flush() && 0`, nil)
	st := state(t, ctx)
	for _, n := range st.Nodes {
		if n.CommitIndex != 2 || n.LastApplied != 2 || n.KV["x"] != "3" || len(n.Log) != 2 {
			t.Errorf("S%d: commit %d applied %d x=%q log %d entries", n.ID, n.CommitIndex, n.LastApplied, n.KV["x"], len(n.Log))
		}
	}
	var cells struct {
		Committed int    `json:"committed"`
		Text      string `json:"text"`
		KV        string `json:"kv"`
	}
	Eval(t, ctx, `(() => {
		const row = document.querySelector('.rl-log tr[data-server="`+strconv.Itoa(leader)+`"]');
		return {
			committed: row.querySelectorAll('td.rl-committed').length,
			text: row.querySelector('td[data-index="2"]').textContent,
			kv: row.querySelector('.rl-kv').textContent,
		};
	})()`, &cells)
	if cells.Committed != 2 || cells.Text != "1" || cells.KV != "x=3" {
		t.Errorf("the leader's log row: %+v", cells)
	}

	// Select a message to see the inspector (for the screenshot too).
	Eval(t, ctx, h0+`.timeout(`+strconv.Itoa(leader)+`) && 0`, nil)
	Eval(t, ctx, `(() => { const m = document.querySelector('[data-msg-id]'); m.dispatchEvent(new MouseEvent('click', {bubbles: true})); return 0; })()`, nil)
	var title string
	Eval(t, ctx, `document.querySelector('.rl-paneltitle').textContent`, &title)
	if !strings.Contains(title, "AppendEntries") {
		t.Errorf("inspector title %q", title)
	}
	path := Screenshot(t, ctx, "playground")
	savePlaygroundScreenshot(t, path)
	NoPageErrors(t, ctx)
}

// savePlaygroundScreenshot copies the screenshot to docs/playground.png,
// the one the README shows, when RAFTLAB_UPDATE_DOCS=1: a test run must not
// change tracked files.
func savePlaygroundScreenshot(t *testing.T, path string) {
	if os.Getenv("RAFTLAB_UPDATE_DOCS") != "1" {
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	docs := filepath.Join(ModuleRoot(t), "docs")
	if err := os.MkdirAll(docs, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(docs, "playground.png"), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Wrong calls throw an Error with a clear message; the next call works.
func TestPlaygroundWrongCalls(t *testing.T) {
	ctx, _ := openPlayground(t, "")
	for _, c := range []struct{ call, want string }{
		{`h.timeout(42)`, `cluster.timeout: argument 1 (node) must be a server of this cluster: 1 to 5 or "S1" to "S5", got number 42`},
		{`h.propose(1, 5)`, `cluster.propose: argument 2 (command) must be a string, got number 5`},
		{`h.propose("S1", "set x")`, `cluster.propose: argument 2 (command): expected "set KEY VALUE", got "set x"`},
		{`h.do("fly me")`, `cluster.do: unknown action "fly"; expected one of: ` + sim.ActionNames()},
		{`h.deliver(999)`, `cluster.deliver: no such message in flight`},
		{`h.restart(2, "forget-everything")`, `cluster.restart: argument 2 (amnesia) must be "forget-vote", {loseTail: N} or nothing, got string`},
		{`h.on("tick", () => 0)`, `cluster.on: argument 1 (kind) must be "event" or "change", got "tick"`},
		{`h.partition([[1, 2], [3, "S9"]])`, `cluster.partition: argument 1 (groups): group 2, server 2 must be a server of this cluster: 1 to 5 or "S1" to "S5", got "S9"`},
	} {
		var got struct {
			Threw   bool   `json:"threw"`
			IsError bool   `json:"isError"`
			Message string `json:"message"`
			After   int    `json:"after"`
			Same    bool   `json:"same"`
		}
		Eval(t, ctx, `(() => {
			const h = `+h0+`;
			const before = JSON.stringify(h.state());
			const r = {threw: false};
			try { `+c.call+`; } catch (e) { r.threw = true; r.isError = e instanceof Error; r.message = e.message; }
			r.same = JSON.stringify(h.state()) === before;
			h.next();
			r.after = h.state().position;
			h.undo();
			return r;
		})()`, &got)
		if !got.Threw || !got.IsError {
			t.Errorf("%s: threw %v, an Error %v", c.call, got.Threw, got.IsError)
			continue
		}
		if got.Message != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.call, got.Message, c.want)
		}
		if !got.Same {
			t.Errorf("%s: the failed call changed the state", c.call)
		}
		if got.After != 1 {
			t.Errorf("%s: the next call did not work (position %d)", c.call, got.After)
		}
	}
	// A do() with several actions is all or nothing.
	var pos int
	Eval(t, ctx, `(() => { const h = `+h0+`; try { h.do("freeze; timeout S1; deliver 999"); } catch (e) {} return h.state().position; })()`, &pos)
	if pos != 0 {
		t.Errorf("a failed do() left %d actions in effect", pos)
	}
	NoPageErrors(t, ctx)
}

// link() opened in a fresh page rebuilds the same state.
func TestPlaygroundLinkReproduces(t *testing.T) {
	ctx, base := openPlayground(t, "?seed=7")
	var link string
	Eval(t, ctx, `(() => {
		const h = `+h0+`;
		h.advance(400);
		for (let i = 0; i < 30; i++) h.next();
		const leader = h.state().nodes.find(n => n.role === 'Leader');
		if (leader) { h.propose(leader.id, 'set x 1'); h.propose(leader.id, 'set y 2'); }
		h.advance(120);
		h.cut(1, 2, true);
		h.crash(3);
		h.advance(500);
		h.restart(3, 'forget-vote');
		h.dropRate(12.5);
		h.advance(777);
		h.next(5);
		return h.link();
	})()`, &link)
	if !strings.HasPrefix(link, base+"/playground.html?") || !strings.Contains(link, "seed=7") {
		t.Errorf("link %q", link)
	}
	want := state(t, ctx)
	if leaderOf(want) == 0 {
		t.Logf("no leader in the linked state (fine, but a weaker test)")
	}

	ctx2 := StartBrowser(t)
	Navigate(t, ctx2, link)
	WaitReady(t, ctx2)
	got := state(t, ctx2)
	if got.Time != want.Time || len(got.Nodes) != len(want.Nodes) {
		t.Fatalf("time %d vs %d, %d vs %d nodes", got.Time, want.Time, len(got.Nodes), len(want.Nodes))
	}
	for i := range want.Nodes {
		w, g := want.Nodes[i], got.Nodes[i]
		if w.Term != g.Term || w.Role != g.Role || w.CommitIndex != g.CommitIndex || w.LastApplied != g.LastApplied ||
			!slices.Equal(w.Log, g.Log) || !equalVote(w.Vote, g.Vote) {
			t.Errorf("S%d differs:\n linked %+v\n  fresh %+v", i+1, w, g)
		}
	}
	if !slices.Equal(got.Messages, want.Messages) {
		t.Errorf("messages in flight differ:\n%+v\n%+v", want.Messages, got.Messages)
	}
	var notice string
	Eval(t, ctx2, `document.querySelector('.rl-notice').hidden ? '' : document.querySelector('.rl-notice').textContent`, &notice)
	if notice != "" {
		t.Errorf("the linked page shows a notice: %q", notice)
	}
	// run() gives the same run as text.
	var run struct {
		Scenario string `json:"scenario"`
		Actions  string `json:"actions"`
	}
	Eval(t, ctx2, h0+`.run()`, &run)
	if !strings.Contains(run.Scenario, "seed: 7") || run.Actions == "" {
		t.Errorf("run() = %+v", run)
	}
}

func equalVote(a, b *int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

const xssText = `<img src=x onerror="window.__xss=1">`

// Text from the address is never HTML: a scenario name, a broken scenario
// and broken actions are shown as text, and the page falls back.
func TestPlaygroundScenarioTextIsNotHTML(t *testing.T) {
	ctx := StartBrowser(t)
	base := ServeSite(t)
	type page struct {
		Imgs    int    `json:"imgs"`
		XSS     string `json:"xss"`
		Caption string `json:"caption"`
		Notice  string `json:"notice"`
		Nodes   int    `json:"nodes"`
		State   string `json:"state"`
	}
	look := func(query string) page {
		Navigate(t, ctx, base+"/playground.html?"+query)
		WaitReady(t, ctx)
		var p page
		Eval(t, ctx, `({
			imgs: document.querySelectorAll('img').length,
			xss: typeof window.__xss,
			caption: (document.querySelector('.rl-caption') || {textContent: ''}).textContent,
			notice: document.querySelector('.rl-notice').hidden ? '' : document.querySelector('.rl-notice').textContent,
			nodes: document.querySelectorAll('[data-node]').length,
			state: document.documentElement.dataset.raftlabState,
		})`, &p)
		if p.Imgs != 0 || p.XSS != "undefined" {
			t.Errorf("%s: HTML was inserted: %d img, __xss %s", query, p.Imgs, p.XSS)
		}
		return p
	}

	p := look("scenario=" + url.QueryEscape("name: "+xssText+"\nnodes: 3\n"))
	if p.Caption != xssText || p.Nodes != 3 || p.Notice != "" {
		t.Errorf("scenario name: %+v", p)
	}
	p = look("scenario=" + url.QueryEscape("nodes: "+xssText+"\n"))
	if !strings.Contains(p.Notice, "could not be read") || !strings.Contains(p.Notice, xssText) || p.Nodes != 5 || p.State != "ready" {
		t.Errorf("broken scenario: %+v", p)
	}
	p = look("a=" + url.QueryEscape("timeout+S1;"+xssText))
	if !strings.Contains(p.Notice, `could not be read: action 2: unknown action "<img"`) || p.Nodes != 5 {
		t.Errorf("unreadable actions: %+v", p)
	}
	var pos int
	Eval(t, ctx, h0+`.state().position`, &pos)
	if pos != 0 {
		t.Errorf("unreadable actions: %d actions replayed, want none", pos)
	}
	// Actions that read well but cannot all run keep those before.
	p = look("a=" + url.QueryEscape("timeout+S1;deliver+999;next"))
	if !strings.Contains(p.Notice, "action 2 (deliver 999): no such message in flight") {
		t.Errorf("actions that cannot run: %+v", p)
	}
	Eval(t, ctx, h0+`.state().position`, &pos)
	if pos != 1 {
		t.Errorf("actions that cannot run: %d actions kept, want the 1 before the failing one", pos)
	}
}

// While paused the view requests no animation frame; while playing it does.
func TestPlaygroundPausedRequestsNoFrames(t *testing.T) {
	ctx, _ := openPlayground(t, "")
	var got struct {
		Playing          int   `json:"playing"`
		PlayingCalls     int   `json:"playingCalls"`
		Advanced         int64 `json:"advanced"`
		Paused           int   `json:"paused"`
		PausedCalls      int   `json:"pausedCalls"`
		IsPlaying        bool  `json:"isPlaying"`
		Offscreen        int   `json:"offscreen"`
		OffscreenPlaying bool  `json:"offscreenPlaying"`
	}
	Eval(t, ctx, `new Promise(resolve => {
		const raf = window.requestAnimationFrame.bind(window);
		const count = {calls: 0, runs: 0};
		window.requestAnimationFrame = cb => { count.calls++; return raf(ts => { count.runs++; cb(ts); }); };
		const el = document.createElement('div');
		document.querySelector('main').prepend(el); // on screen
		const h = raftlab.create(el, {speed: 1});
		const t0 = h.state().time;
		h.play();
		setTimeout(() => {
			const r = {playing: count.runs, playingCalls: count.calls, advanced: h.state().time - t0};
			h.pause();
			count.calls = 0; count.runs = 0;
			setTimeout(() => {
				r.paused = count.runs; r.pausedCalls = count.calls; r.isPlaying = h.playing();
				h.destroy();
				// Off screen, a playing cluster stops asking for frames once
				// the IntersectionObserver has reported.
				const far = document.createElement('div');
				far.style.marginTop = '5000px';
				document.body.appendChild(far);
				const h2 = raftlab.create(far, {speed: 1});
				h2.play();
				setTimeout(() => {
					count.calls = 0; count.runs = 0;
					setTimeout(() => {
						r.offscreen = count.runs; r.offscreenPlaying = h2.playing();
						h2.destroy();
						resolve(r);
					}, 300);
				}, 200);
			}, 500);
		}, 400);
	})`, &got)
	t.Logf("playing 400 ms: %d frames ran, %d requested, %d virtual ms; paused 500 ms: %d ran, %d requested; off screen 300 ms: %d ran",
		got.Playing, got.PlayingCalls, got.Advanced, got.Paused, got.PausedCalls, got.Offscreen)
	if got.Playing < 5 || got.Advanced <= 0 {
		t.Errorf("playing ran %d frames and advanced %d ms", got.Playing, got.Advanced)
	}
	if got.Paused != 0 || got.PausedCalls != 0 || got.IsPlaying {
		t.Errorf("paused: %d frame callbacks ran, %d requested (want 0), playing()=%v", got.Paused, got.PausedCalls, got.IsPlaying)
	}
	if got.Offscreen != 0 || !got.OffscreenPlaying {
		t.Errorf("off screen: %d frame callbacks ran (want 0), playing()=%v", got.Offscreen, got.OffscreenPlaying)
	}
}

// The view's controls and keys drive the cluster.
func TestPlaygroundKeysAndControls(t *testing.T) {
	ctx, _ := openPlayground(t, "")
	var got struct {
		AfterNext  int    `json:"afterNext"`
		AfterBack  int    `json:"afterBack"`
		Focused    string `json:"focused"`
		Help       bool   `json:"help"`
		HelpClosed bool   `json:"helpClosed"`
		Menu       string `json:"menu"`
		Role       string `json:"role"`
		Cut        int    `json:"cut"`
		Blocked    int    `json:"blocked"`
	}
	Eval(t, ctx, `(() => {
		const h = `+h0+`;
		const key = (k, target) => (target || document.body).dispatchEvent(new KeyboardEvent('keydown', {key: k, bubbles: true, cancelable: true}));
		const r = {};
		h.freeze();
		key('ArrowRight'); // nothing in flight, timers frozen: refused, shown in the status line
		h.timeout(2);
		key('ArrowRight');
		r.afterNext = h.state().position;
		key('ArrowLeft');
		r.afterBack = h.state().position;
		key('3');
		r.focused = document.activeElement.closest('[data-node]').getAttribute('data-node');
		key('?');
		r.help = !document.querySelector('.rl-help').hidden;
		key('Escape', document.activeElement);
		r.helpClosed = document.querySelector('.rl-help').hidden;
		key('Enter', document.querySelector('[data-node="3"] .rl-hit'));
		r.menu = document.querySelector('.rl-paneltitle').textContent;
		document.querySelector('button[data-act="crash"]').click();
		r.role = document.querySelector('[data-node="3"]').dataset.role;
		return r;
	})()`, &got)
	// The role shows after the microtask render: read it again.
	Eval(t, ctx, `document.querySelector('[data-node="3"]').dataset.role`, &got.Role)
	Eval(t, ctx, `(() => {
		const click = sel => document.querySelector(sel).dispatchEvent(new MouseEvent('click', {bubbles: true}));
		click('button[data-act="cut"]');
		click('[data-node="1"]');
		click('[data-node="2"]');
		click('button[data-act="cut"]');
		return 0;
	})()`, nil)
	Eval(t, ctx, `document.querySelectorAll('.rl-cut').length`, &got.Cut)
	Eval(t, ctx, h0+`.state().blocked.length`, &got.Blocked)
	if got.AfterNext != 3 || got.AfterBack != 2 {
		t.Errorf("→ then ←: positions %d, %d; want 3, 2", got.AfterNext, got.AfterBack)
	}
	if got.Focused != "3" || !got.Help || !got.HelpClosed {
		t.Errorf("keys: focused %q, help %v, closed %v", got.Focused, got.Help, got.HelpClosed)
	}
	if !strings.HasPrefix(got.Menu, "S3") || got.Role != "Down" {
		t.Errorf("node menu %q, role after crash %q", got.Menu, got.Role)
	}
	if got.Cut != 2 || got.Blocked != 2 {
		t.Errorf("cut links: %d drawn, %d blocked; want 2 and 2", got.Cut, got.Blocked)
	}
	NoPageErrors(t, ctx)
}

// The embed page: no controls, large text, options from the address.
func TestEmbedOptions(t *testing.T) {
	ctx := StartBrowser(t)
	Navigate(t, ctx, ServeSite(t)+"/embed.html?controls=0&large=1&nodes=3")
	WaitReady(t, ctx)
	var got struct {
		Nodes    int  `json:"nodes"`
		Toolbar  bool `json:"toolbar"`
		Large    bool `json:"large"`
		Playing  bool `json:"playing"`
		Overflow int  `json:"overflow"`
	}
	Eval(t, ctx, `({
		nodes: document.querySelectorAll('[data-node]').length,
		toolbar: !!document.querySelector('.rl-toolbar'),
		large: document.querySelector('.rl-cluster').classList.contains('rl-large'),
		playing: `+h0+`.playing(),
	})`, &got)
	if got.Nodes != 3 || got.Toolbar || !got.Large || got.Playing {
		t.Errorf("embed: %+v", got)
	}
}

// --- measurements (logged, never checked) ----------------------------------

// firstFrame logs, over 10 cold loads of path, the median time from
// navigation start to the frame that paints the first server (the page's
// static first frame, or the module's drawing), the time the module's
// cluster is mounted, and the bytes loaded before that first frame.
func firstFrame(t *testing.T, base, path, probe string) {
	t.Helper()
	var draws, mounts []float64
	var bytes, gzipped, requests int
	const loads = 10
	for i := 0; i < loads; i++ {
		ctx := StartBrowser(t)
		cdpDo(t, ctx, network.Enable, network.EnableParams{})
		cdpDo(t, ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
		cdpDo(t, ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: probe})
		Navigate(t, ctx, base+path+"?load="+strconv.Itoa(i))
		WaitReady(t, ctx)
		var got struct {
			First   float64 `json:"first"`
			Mounted float64 `json:"mounted"`
			Loaded  []struct {
				Name string `json:"name"`
				Size int    `json:"size"`
			} `json:"loaded"`
		}
		Eval(t, ctx, `new Promise(r => setTimeout(r, 50)).then(() => {
			const first = window.__firstNode || -1;
			const nav = performance.getEntriesByType('navigation')[0];
			const loaded = [{name: location.pathname, size: nav.encodedBodySize}];
			performance.getEntriesByType('resource').forEach(e => {
				if (e.responseEnd <= first) loaded.push({name: new URL(e.name).pathname, size: e.encodedBodySize});
			});
			return {first, mounted: raftlabLoader.mountedAt, loaded};
		})`, &got)
		draws = append(draws, got.First)
		mounts = append(mounts, got.Mounted)
		if i == 0 {
			var names []string
			for _, l := range got.Loaded {
				bytes += l.Size
				requests++
				if data, err := os.ReadFile(filepath.Join(SiteDir(t), filepath.FromSlash(strings.TrimPrefix(l.Name, "/")))); err == nil {
					gz, _ := build.CompressedSizes(data)
					gzipped += gz
				}
				names = append(names, l.Name)
			}
			t.Logf("%s: loaded before the first frame: %s", path, strings.Join(names, " "))
		}
	}
	t.Logf("%s: first server painted %.0f ms after navigation start (median of %d cold loads; min %.0f, max %.0f); "+
		"the module's cluster mounted at %.0f ms (median); %d requests, %d B (%d B gzip) before the first frame",
		path, percentile(draws, 0.5), loads, slices.Min(draws), slices.Max(draws), percentile(mounts, 0.5), requests, bytes, gzipped)
}

func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(math.Ceil(p*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

func cdpDo[P, R any](t *testing.T, ctx context.Context, c cdp.Command[P, R], params P) R {
	t.Helper()
	var res R
	Do(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		var err error
		res, err = cdp.Call(ctx, tg, c, params)
		return err
	}))
	return res
}

// TestPlaygroundMeasure logs: the module's size raw/gzip/brotli; the time
// from navigation start to the first [data-node] over cold loads; and,
// while playing at top speed, frame times and main-thread busy time, and
// the frames requested while paused.
//
// It takes some 20 s, so it runs only when asked:
//
//	RAFTLAB_MEASURE=1 go test ./site/e2e -run Measure -v
func TestPlaygroundMeasure(t *testing.T) {
	if os.Getenv("RAFTLAB_MEASURE") != "1" {
		t.Skip("measurements run with RAFTLAB_MEASURE=1")
	}
	dir := SiteDir(t)
	wasm, err := os.ReadFile(filepath.Join(dir, "raftlab.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	gz, br := build.CompressedSizes(wasm)
	t.Logf("raftlab.wasm: raw %d B (%.0f KB), gzip %.0f KB, brotli %.0f KB",
		len(wasm), float64(len(wasm))/1024, float64(gz)/1024, float64(br)/1024)

	base := ServeSite(t)
	// First cluster drawn: a script added before the page's own notes
	// when the first [data-node] enters the document (the static first
	// frame in the page, or the module's drawing), and records
	// performance.now() in the next animation frame: the frame that paints
	// it.
	const probe = `(() => {
		const mo = new MutationObserver(() => {
			if (document.querySelector('[data-node]')) {
				mo.disconnect();
				requestAnimationFrame(() => { window.__firstNode = performance.now(); });
			}
		});
		mo.observe(document, {childList: true, subtree: true});
	})()`
	for _, path := range []string{"/playground.html", "/tutorials/roles-terms-votes.html"} {
		firstFrame(t, base, path, probe)
	}

	// Playing at top speed for about 3 s: rAF callbacks timed by wrapping
	// requestAnimationFrame; main-thread busy from the CDP Performance
	// domain's TaskDuration (all main-thread tasks: script, style, layout,
	// paint) over wall time.
	ctx := StartBrowser(t)
	Navigate(t, ctx, base+"/playground.html")
	WaitReady(t, ctx)
	cdpDo(t, ctx, performance.Enable, performance.EnableParams{})
	metrics := func() map[string]float64 {
		res := cdpDo(t, ctx, performance.GetMetrics, cdp.Empty{})
		m := map[string]float64{}
		for _, x := range res.Metrics {
			m[x.Name] = x.Value
		}
		return m
	}
	metric := func() (task, script float64) {
		m := metrics()
		return m["TaskDuration"], m["ScriptDuration"]
	}
	Eval(t, ctx, `(() => {
		const raf = window.requestAnimationFrame.bind(window);
		window.__frames = {ts: [], cb: [], calls: 0};
		window.requestAnimationFrame = cb => {
			window.__frames.calls++;
			return raf(ts => {
				const t0 = performance.now();
				cb(ts);
				window.__frames.ts.push(ts);
				window.__frames.cb.push(performance.now() - t0);
			});
		};
		return 0;
	})()`, nil)
	// play measures 3 s of playing at one speed: the default (what a
	// learner sees first) and the top speed.
	play := func(speed float64, label string) {
		Eval(t, ctx, `(() => { window.__frames.ts = []; window.__frames.cb = [];
			const h = `+h0+`; h.speed(`+strconv.FormatFloat(speed, 'f', -1, 64)+`); h.play(); return 0; })()`, nil)
		m0 := metrics()
		wall0 := time.Now()
		time.Sleep(3 * time.Second)
		m1 := metrics()
		wall := time.Since(wall0).Seconds()
		share := func(name string) float64 { return 100 * (m1[name] - m0[name]) / wall }
		var fr struct {
			TS    []float64 `json:"ts"`
			CB    []float64 `json:"cb"`
			Time  int64     `json:"time"`
			Event int       `json:"events"`
		}
		Eval(t, ctx, `(() => { const h = `+h0+`; h.pause(); const s = h.state();
			return {ts: window.__frames.ts, cb: window.__frames.cb, time: s.time, events: s.events}; })()`, &fr)
		var intervals []float64
		for i := 1; i < len(fr.TS); i++ {
			intervals = append(intervals, fr.TS[i]-fr.TS[i-1])
		}
		t.Logf("playing at %s for %.1f s: %d frames, frame interval median %.1f ms p95 %.1f ms; "+
			"rAF callback (advance + render) median %.2f ms p95 %.2f ms max %.2f ms; %d events so far, virtual time %d ms",
			label, wall, len(fr.TS), percentile(intervals, 0.5), percentile(intervals, 0.95),
			percentile(fr.CB, 0.5), percentile(fr.CB, 0.95), slices.Max(append(fr.CB, 0)), fr.Event, fr.Time)
		t.Logf("main thread busy while playing at %s: %.0f %% (TaskDuration): script %.0f %%, style %.0f %%, layout %.0f %%",
			label, share("TaskDuration"), share("ScriptDuration"), share("RecalcStyleDuration"), share("LayoutDuration"))
	}
	play(0.05, "the default speed (0.05×)")
	play(5, "top speed (5×)")

	Eval(t, ctx, `window.__frames.calls = 0`, nil)
	taskP0, _ := metric()
	time.Sleep(time.Second)
	taskP1, _ := metric()
	var calls int
	Eval(t, ctx, `window.__frames.calls`, &calls)
	t.Logf("paused for 1 s: %d animation frames requested, main thread busy %.1f %%", calls, 100*(taskP1-taskP0))
}
