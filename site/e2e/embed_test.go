//go:build !js

package e2e

// Browser tests of raftlab in other people's pages: a course page on
// another origin that loads <raft-cluster> from the project's server, and
// embed.html in frames of every size.

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// hostCSP is the Content-Security-Policy a host page needs for clusters
// served from origin (README and api.html give it).
func hostCSP(origin string) string {
	return "default-src 'self'; script-src 'self' " + origin + " 'wasm-unsafe-eval'; style-src 'self' " + origin +
		"; connect-src 'self' " + origin + "; img-src 'self' data:; object-src 'none'; base-uri 'none'"
}

func coursePage(origin string) string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A course page</title><link rel="icon" href="data:,">
<script src="` + origin + `/raft-cluster.js"></script></head><body>
<h1>Week 3: Raft</h1>
<raft-cluster id="c" presenter actions="timeout S1; next; next" scenario="nodes: 3
timers: frozen"></raft-cluster>
</body></html>`
}

// serveCourse serves the course page from an origin of its own, with the
// host CSP that allows clusters from origin.
func serveCourse(t *testing.T, origin string) string {
	t.Helper()
	page := coursePage(origin)
	return ServeHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", hostCSP(origin))
		w.Write([]byte(page))
	}))
}

// A course page on another origin loads <raft-cluster> from the project's
// server (site/cmd/serve's headers) under the CSP the docs give; served
// without those headers, the page says why the simulator could not start.
func TestCrossOriginEmbed(t *testing.T) {
	ctx := StartBrowser(t)
	site := ServeSite(t)
	course := serveCourse(t, site)
	if strings.SplitN(course, ":", 3)[2] == strings.SplitN(site, ":", 3)[2] {
		t.Fatal("the course page and the site share a port: not two origins")
	}
	Navigate(t, ctx, course+"/")
	var got struct {
		State    string `json:"state"`
		Nodes    int    `json:"nodes"`
		Position int    `json:"position"`
		Recorded int    `json:"recorded"`
	}
	Eval(t, ctx, `customElements.whenDefined('raft-cluster').then(() => document.getElementById('c').ready).then(h => ({
		state: document.getElementById('c').dataset.state,
		nodes: document.querySelectorAll('#c [data-node]').length,
		position: h.state().position, recorded: h.state().recorded,
	}))`, &got)
	if got.State != "ready" || got.Nodes != 3 || got.Position != 0 || got.Recorded != 3 {
		t.Fatalf("the cross-origin cluster: %+v", got)
	}
	Do(t, ctx, chromedp.KeyEvent(kb.ArrowRight))
	Eval(t, ctx, `document.getElementById('c').cluster.state().position`, &got.Position)
	if got.Position != 1 {
		t.Errorf("→ on the course page: position %d, want 1", got.Position)
	}
	Screenshot(t, ctx, "cross-origin")
	NoPageErrors(t, ctx)

	// The same page, the files served without the cross-origin headers.
	bare := ServeHandler(t, http.FileServer(http.Dir(SiteDir(t))))
	ctx2 := StartBrowser(t)
	Navigate(t, ctx2, serveCourse(t, bare)+"/")
	var failed struct {
		State string `json:"state"`
		Text  string `json:"text"`
	}
	Eval(t, ctx2, `customElements.whenDefined('raft-cluster').then(() => document.getElementById('c').ready).then(
		() => ({state: 'ready'}),
		() => ({state: document.getElementById('c').dataset.state, text: document.getElementById('c').textContent}))`, &failed)
	if failed.State != "error" || !strings.Contains(failed.Text, "could not start") {
		t.Errorf("without the headers: %+v, want an error said on the page", failed)
	}
}

// embed.html fits frames from 320×240 up without scrolling (the cluster
// shrinks, the extras give way), and Space plays without scrolling.
func TestEmbedFitsAnyFrame(t *testing.T) {
	ctx := StartBrowser(t)
	base := ServeSite(t)
	for _, size := range [][2]int64{{320, 240}, {640, 360}, {360, 640}, {1280, 720}} {
		for _, query := range []string{"", "?controls=0", "?nodes=9&large=1"} {
			Viewport(t, ctx, size[0], size[1])
			Navigate(t, ctx, base+"/embed.html"+query)
			WaitReady(t, ctx)
			var got struct {
				ScrollW, ScrollH int
				Ring             [4]float64
				Nodes            int
				Cut              []string
			}
			Eval(t, ctx, `(() => {
				const r = document.querySelector('svg.rl-ring').getBoundingClientRect();
				const se = document.scrollingElement;
				// What the frame cuts: cluster parts outside it.
				const cut = [...document.querySelectorAll('.rl-toolbar button, .rl-ring, .rl-logtitle')]
					.filter(e => e.getClientRects().length > 0)
					.filter(e => { const b = e.getBoundingClientRect(); return b.right > innerWidth + 1 || b.bottom > innerHeight + 1 || b.left < -1 || b.top < -1; })
					.map(e => e.className.baseVal !== undefined ? e.className.baseVal : e.className + ' ' + e.textContent);
				return {ScrollW: se.scrollWidth - innerWidth, ScrollH: se.scrollHeight - innerHeight,
					Ring: [r.left, r.top, r.width, r.height], Nodes: document.querySelectorAll('[data-node]').length, Cut: cut};
			})()`, &got)
			name := strconv.Itoa(int(size[0])) + "×" + strconv.Itoa(int(size[1])) + query
			if got.ScrollW > 0 || got.ScrollH > 0 || len(got.Cut) > 0 {
				t.Errorf("%s: the frame scrolls by %d×%d px, or cuts %q", name, got.ScrollW, got.ScrollH, got.Cut)
			}
			if got.Ring[2] < 100 || got.Nodes == 0 {
				t.Errorf("%s: the ring is %.0f px wide with %d servers", name, got.Ring[2], got.Nodes)
			}
			if size == [2]int64{320, 240} || size == [2]int64{640, 360} {
				ViewportScreenshot(t, ctx, "embed-"+strings.ReplaceAll(name, "?", "-"))
			}
		}
	}
	// Space plays, and scrolls nothing.
	Viewport(t, ctx, 400, 300)
	Navigate(t, ctx, base+"/embed.html?controls=0")
	WaitReady(t, ctx)
	Do(t, ctx, chromedp.KeyEvent(" "))
	var after struct {
		Y       float64 `json:"y"`
		Playing bool    `json:"playing"`
	}
	Eval(t, ctx, `({y: document.scrollingElement.scrollTop + scrollY, playing: raftlabLoader.handles[0].playing()})`, &after)
	if after.Y != 0 || !after.Playing {
		t.Errorf("Space in the frame: scrolled %v px, playing %v; want 0 and playing", after.Y, after.Playing)
	}
}
