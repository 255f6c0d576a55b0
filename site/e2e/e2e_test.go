//go:build !js

package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

func TestPlaygroundStarts(t *testing.T) {
	ctx := StartBrowser(t)
	base := ServeSite(t)
	Navigate(t, ctx, base+"/playground.html")
	WaitReady(t, ctx)

	var got struct {
		Nodes     int      `json:"nodes"`
		Version   string   `json:"version"`
		Roles     []string `json:"roles"`
		Focusable int      `json:"focusable"`
		Labels    []string `json:"labels"`
		Status    string   `json:"status"`
		MountedAt float64  `json:"mountedAt"`
	}
	Eval(t, ctx, `(() => {
		const nodes = [...document.querySelectorAll('[data-node]')];
		return {
			nodes: nodes.length,
			version: raftlab.version,
			roles: nodes.map(n => n.dataset.role),
			focusable: nodes.filter(n => n.querySelector('.rl-hit[tabindex="0"][role="button"]')).length,
			labels: nodes.map(n => n.querySelector('.rl-hit').getAttribute('aria-label')),
			status: document.querySelector('[data-raftlab-status]') ? 'still there' : '',
			mountedAt: raftlabLoader.mountedAt,
		};
	})()`, &got)
	if got.Nodes != 5 {
		t.Errorf("%d [data-node] elements, want 5", got.Nodes)
	}
	if got.Version == "" {
		t.Error("raftlab.version is empty")
	}
	if got.Focusable != 5 {
		t.Errorf("%d focusable nodes, want 5", got.Focusable)
	}
	for i, r := range got.Roles {
		if r != "Follower" {
			t.Errorf("node %d role %q, want Follower", i+1, r)
		}
	}
	if len(got.Labels) > 0 && got.Labels[0] != "S1, Follower, term 0, no vote" {
		t.Errorf("aria-label %q", got.Labels[0])
	}
	if got.Status != "" {
		t.Error("the loading status is still shown after the cluster was drawn")
	}
	t.Logf("cluster drawn %.0f ms after navigation (information, not a check)", got.MountedAt)
	Screenshot(t, ctx, "playground")
	NoPageErrors(t, ctx)
}

// The pages' Content-Security-Policy is in force: an inline script does not
// run, while the wasm (which needs 'wasm-unsafe-eval') does.
func TestCSPBlocksInlineScript(t *testing.T) {
	ctx := StartBrowser(t)
	Navigate(t, ctx, ServeSite(t)+"/playground.html")
	WaitReady(t, ctx)
	var ran bool
	Eval(t, ctx, `(() => {
		const s = document.createElement('script');
		s.textContent = 'window.__inline = true';
		document.head.appendChild(s);
		return window.__inline === true;
	})()`, &ran)
	if ran {
		t.Error("an inline script ran: the page's Content-Security-Policy is not in force")
	}
}

func TestWrongCallThrowsAndModuleKeepsRunning(t *testing.T) {
	ctx := StartBrowser(t)
	Navigate(t, ctx, ServeSite(t)+"/playground.html")
	WaitReady(t, ctx)

	var got struct {
		Threw     bool   `json:"threw"`
		IsError   bool   `json:"isError"`
		Message   string `json:"message"`
		BadOpt    string `json:"badOpt"`
		After     int    `json:"after"`
		Destroyed string `json:"destroyed"`
		Left      int    `json:"left"`
	}
	Eval(t, ctx, `(() => {
		const r = {threw: false};
		try { raftlab.create(42); } catch (e) { r.threw = true; r.isError = e instanceof Error; r.message = e.message; }
		const el = document.querySelector('[data-raftlab-mount]');
		try { raftlab.create(el, {nodes: 'many'}); } catch (e) { r.badOpt = e.message; }
		const h = raftlab.create(el, {nodes: 3});
		r.after = document.querySelectorAll('[data-node]').length;
		h.destroy();
		r.left = document.querySelectorAll('[data-node]').length;
		try { h.destroy(); } catch (e) { r.destroyed = e.message; }
		return r;
	})()`, &got)
	if !got.Threw || !got.IsError {
		t.Fatalf("raftlab.create(42): threw=%v, an Error=%v", got.Threw, got.IsError)
	}
	if want := "raftlab.create: argument 1 (element) must be an Element, a CSS selector string or null, got number 42"; got.Message != want {
		t.Errorf("message\n got %q\nwant %q", got.Message, want)
	}
	if want := "raftlab.create: options.nodes must be an integer from 1 to 9, got string"; got.BadOpt != want {
		t.Errorf("bad option message\n got %q\nwant %q", got.BadOpt, want)
	}
	if got.After != 3 {
		t.Errorf("after the wrong calls, a good create drew %d nodes, want 3", got.After)
	}
	if got.Left != 0 {
		t.Errorf("destroy left %d nodes", got.Left)
	}
	if want := "cluster.destroy: this object was destroyed"; got.Destroyed != want {
		t.Errorf("second destroy: got %q, want %q", got.Destroyed, want)
	}
}

const xss = `<img src=x onerror="window.__xss=1">`

func TestQueryTextIsNotHTML(t *testing.T) {
	ctx := StartBrowser(t)
	base := ServeSite(t)
	for _, page := range []string{"playground.html", "embed.html"} {
		Navigate(t, ctx, base+"/"+page+"?title="+url.QueryEscape(xss))
		WaitReady(t, ctx)
		var got struct {
			Imgs    int    `json:"imgs"`
			XSS     string `json:"xss"`
			Caption string `json:"caption"`
			Label   string `json:"label"`
		}
		Eval(t, ctx, `({
			imgs: document.querySelectorAll('img').length,
			xss: typeof window.__xss,
			caption: document.querySelector('.rl-caption').textContent,
			label: document.querySelector('svg.rl-ring').getAttribute('aria-label'),
		})`, &got)
		if got.Imgs != 0 || got.XSS != "undefined" {
			t.Errorf("%s: the title was read as HTML: %d img, window.__xss %s", page, got.Imgs, got.XSS)
		}
		if got.Caption != xss || got.Label != xss {
			t.Errorf("%s: the title should appear as text: caption %q, label %q", page, got.Caption, got.Label)
		}
	}

	// A bad option from the address is said in the view, as text, and
	// the page goes on with the default.
	Navigate(t, ctx, base+"/playground.html?nodes="+url.QueryEscape(xss))
	WaitReady(t, ctx)
	var state struct {
		Notice string `json:"notice"`
		Imgs   int    `json:"imgs"`
		Nodes  int    `json:"nodes"`
	}
	Eval(t, ctx, `({
		notice: document.querySelector('.rl-notice').textContent,
		imgs: document.querySelectorAll('img').length,
		nodes: document.querySelectorAll('[data-node]').length,
	})`, &state)
	if !strings.Contains(state.Notice, "options.nodes must be an integer from 1 to 9, got string") || state.Imgs != 0 || state.Nodes != 5 {
		t.Errorf("bad nodes option: %+v", state)
	}
}

// The page shell is useful without the module: with raftlab.wasm missing it
// keeps its text and says, as text, that the simulator could not start.
func TestShellWithoutWasm(t *testing.T) {
	ctx := StartBrowser(t)
	files := http.FileServer(http.Dir(SiteDir(t)))
	base := ServeHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	}))
	Navigate(t, ctx, base+"/playground.html")
	var got struct {
		State  string `json:"state"`
		Status string `json:"status"`
		Help   bool   `json:"help"`
	}
	Eval(t, ctx, `window.raftlabReady.catch(() => {}).then(() => window.raftlabLoader.mounted.catch(() => {})).then(() => ({
		state: document.documentElement.dataset.raftlabState,
		status: document.querySelector('[data-raftlab-status]').textContent,
		help: !!document.querySelector('.help h2'),
	}))`, &got)
	if got.State != "error" || !strings.Contains(got.Status, "404") || !got.Help {
		t.Errorf("without wasm: %+v", got)
	}
}

// Dark mode, reduced motion and a 390 px phone layout.
func TestMediaAndPhoneLayout(t *testing.T) {
	ctx := StartBrowser(t)
	base := ServeSite(t)
	Viewport(t, ctx, 390, 844)
	EmulateMedia(t, ctx, "prefers-color-scheme", "dark")
	Navigate(t, ctx, base+"/playground.html")
	WaitReady(t, ctx)
	var got struct {
		ScrollWidth int    `json:"scrollWidth"`
		Background  string `json:"background"`
		RingWidth   int    `json:"ringWidth"`
	}
	Eval(t, ctx, `({
		scrollWidth: document.documentElement.scrollWidth,
		background: getComputedStyle(document.body).backgroundColor,
		ringWidth: Math.round(document.querySelector('svg.rl-ring').getBoundingClientRect().width),
	})`, &got)
	if got.ScrollWidth > 390 {
		t.Errorf("at 390 px the page is %d px wide (scrolls sideways)", got.ScrollWidth)
	}
	if got.Background != "rgb(21, 23, 26)" {
		t.Errorf("dark mode background %q", got.Background)
	}
	if got.RingWidth < 200 {
		t.Errorf("the ring is %d px wide on a phone", got.RingWidth)
	}
	Screenshot(t, ctx, "playground-390-dark")

	EmulateMedia(t, ctx, "prefers-reduced-motion", "reduce")
	var transition string
	Eval(t, ctx, `getComputedStyle(document.querySelector('.rl-node circle')).transitionDuration`, &transition)
	if transition != "0s" {
		t.Errorf("reduced motion: transition %q, want 0s", transition)
	}

	for _, page := range []string{"index.html", "api.html", "embed.html"} {
		Navigate(t, ctx, base+"/"+page)
		var w int
		Eval(t, ctx, `document.documentElement.scrollWidth`, &w)
		if w > 390 {
			t.Errorf("%s at 390 px is %d px wide", page, w)
		}
	}
}
