//go:build !js

package e2e

// The cluster where it is really used (issue 10): a phone (390×844), a
// laptop (1280×800) and a projector (1920×1080), on the playground and on
// chapters 3 and 6 (three servers, five servers, long logs). In each, with
// messages in flight and an inspector open: every log cell and every
// inspector button can be seen — in the viewport, or by scrolling its own
// box — no two message badges overlap, and no text of the cluster is under
// 11 CSS px (20 px in large, on the projector).

import (
	"context"
	"strconv"
	"testing"
)

type layoutReport struct {
	Cells, Buttons, Badges, Texts int
	Hidden                        []string // cells or buttons that cannot be seen
	Overlaps                      []string
	Smallest                      float64
	SmallestWhat                  string
	PageScrollsSideways           int
}

// layoutCheck is run in the page: it measures every cluster of the page.
const layoutCheck = `(async (minText) => {
	const r = {Cells: 0, Buttons: 0, Badges: 0, Texts: 0, Hidden: [], Overlaps: [], Smallest: 1e9, SmallestWhat: ''};
	const frame = () => new Promise(res => requestAnimationFrame(() => res()));
	// seen: after scrolling el into view (its own box first), the point at
	// its centre is el (or inside it), within the viewport.
	const seen = (el) => {
		const box = el.closest('.rl-logs');
		if (box) {
			const head = box.querySelector('tbody th');
			const hw = head ? head.getBoundingClientRect().width : 0;
			box.scrollLeft = Math.max(0, el.offsetLeft - hw - 4);
		}
		el.scrollIntoView({block: 'nearest', inline: 'nearest'});
		const b = el.getBoundingClientRect();
		const x = b.left + b.width / 2, y = b.top + b.height / 2;
		if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return false;
		const hit = document.elementFromPoint(x, y);
		return !!hit && (hit === el || el.contains(hit));
	};
	const name = (el) => (el.closest('[data-server]') ? 'S' + el.closest('[data-server]').dataset.server + ' ' : '') +
		el.tagName.toLowerCase() + (el.dataset.index ? '#' + el.dataset.index : '') + ' "' + el.textContent.trim().slice(0, 20) + '"';
	for (const fig of document.querySelectorAll('.rl-cluster:not(.rl-static)')) {
		for (const td of fig.querySelectorAll('.rl-log td')) {
			r.Cells++;
			if (!seen(td)) r.Hidden.push('cell ' + name(td));
		}
		for (const b of fig.querySelectorAll('.rl-panel button')) {
			if (b.getClientRects().length === 0) continue;
			r.Buttons++;
			if (!seen(b)) r.Hidden.push('button ' + name(b));
		}
		fig.querySelector('.rl-ring').scrollIntoView({block: 'nearest'});
		await frame();
		const boxes = [...fig.querySelectorAll('.rl-msg .rl-shape')].map(s => [s.closest('.rl-msg').dataset.msgId, s.getBoundingClientRect()]);
		r.Badges += boxes.length;
		for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
			const a = boxes[i][1], b = boxes[j][1];
			if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) {
				r.Overlaps.push('#' + boxes[i][0] + ' and #' + boxes[j][0]);
			}
		}
		// Every element with text of its own, drawn.
		const walker = document.createTreeWalker(fig, NodeFilter.SHOW_TEXT);
		const owners = new Set();
		for (let n = walker.nextNode(); n; n = walker.nextNode()) {
			if (n.textContent.trim() !== '') owners.add(n.parentElement);
		}
		for (const el of owners) {
			if (el.getClientRects().length === 0) continue;
			const cs = getComputedStyle(el);
			if (cs.visibility === 'hidden' || el.closest('[hidden], .rl-log caption')) continue;
			let px = parseFloat(cs.fontSize);
			if (el instanceof SVGElement) px *= el.getScreenCTM().a;
			r.Texts++;
			if (px < r.Smallest) { r.Smallest = px; r.SmallestWhat = name(el); }
		}
	}
	r.PageScrollsSideways = document.scrollingElement.scrollWidth - innerWidth;
	return r;
})`

// layoutSetup brings the page's cluster into a state with entries in every
// log, messages in flight and an inspector open.
const layoutSetup = `(async (large) => {
	const wait = (ms) => new Promise(res => setTimeout(res, ms));
	const steps = [...document.querySelectorAll('button.tut-action')];
	let fig;
	if (steps.length) {
		const n = +document.body.dataset.layoutSteps;
		steps.slice(0, n).forEach(b => b.click());
		fig = document.querySelector('[data-tut-mount] .rl-cluster');
	} else {
		const h = raftlabLoader.handles[0];
		h.do('freeze; timeout S1; flush; propose S1 set x 1; propose S1 set y 2; timeout S1; deliver S1>S2; deliver S1>S3; timeout S1; timeout S4');
		fig = h.element;
	}
	// L, on every cluster of the page.
	if (large) document.querySelectorAll('.rl-cluster:not(.rl-static)').forEach(f =>
		f.dispatchEvent(new KeyboardEvent('keydown', {key: 'L', bubbles: true, cancelable: true})));
	await wait(50);
	const m = fig.querySelector('[data-msg-id] .rl-hit') || fig.querySelector('[data-node] .rl-hit');
	m.dispatchEvent(new MouseEvent('click', {bubbles: true}));
	await wait(50);
	return fig.querySelectorAll('[data-msg-id]').length;
})`

func TestLayoutWhereItIsUsed(t *testing.T) {
	ctx := StartBrowser(t)
	base := ServeSite(t)
	pages := []struct {
		name, path string
		steps      int // action links to click first
	}{
		{"playground", "/playground.html", 0},
		{"chapter 3", "/tutorials/log-replication.html", 4},
		{"chapter 6", "/tutorials/figure-8.html", 9},
	}
	sizes := []struct {
		w, h  int64
		large bool
	}{{390, 844, false}, {1280, 800, false}, {1920, 1080, false}, {1920, 1080, true}}
	for _, p := range pages {
		for _, sz := range sizes {
			name := p.name + " at " + strconv.Itoa(int(sz.w)) + "×" + strconv.Itoa(int(sz.h))
			if sz.large {
				name += ", large"
			}
			r := layoutAt(t, ctx, base+p.path, sz.w, sz.h, p.steps, sz.large)
			min := 11.0
			if sz.large {
				min = 20
			}
			t.Logf("%s: %d cells, %d buttons, %d badges, %d texts; smallest text %.1f px (%s)",
				name, r.Cells, r.Buttons, r.Badges, r.Texts, r.Smallest, r.SmallestWhat)
			if r.Cells == 0 || r.Buttons == 0 || r.Badges == 0 {
				t.Errorf("%s: nothing to measure: %d cells, %d buttons, %d badges", name, r.Cells, r.Buttons, r.Badges)
			}
			if len(r.Hidden) > 0 {
				t.Errorf("%s: cannot be seen: %q", name, r.Hidden)
			}
			if len(r.Overlaps) > 0 {
				t.Errorf("%s: message badges overlap: %q", name, r.Overlaps)
			}
			if r.Smallest < min {
				t.Errorf("%s: the smallest text is %.1f px (%s), want at least %.0f", name, r.Smallest, r.SmallestWhat, min)
			}
			if r.PageScrollsSideways > 0 {
				t.Errorf("%s: the page scrolls sideways by %d px", name, r.PageScrollsSideways)
			}
		}
	}
}

func layoutAt(t *testing.T, ctx context.Context, url string, w, h int64, steps int, large bool) layoutReport {
	t.Helper()
	Viewport(t, ctx, w, h)
	Navigate(t, ctx, url)
	WaitReady(t, ctx)
	waitFor(t, ctx, `!document.querySelector('button.tut-action') || !document.querySelector('button.tut-action').disabled`, "the action links")
	var msgs int
	Eval(t, ctx, `(document.body.dataset.layoutSteps = `+strconv.Itoa(steps)+`, `+layoutSetup+`(`+strconv.FormatBool(large)+`))`, &msgs)
	var r layoutReport
	Eval(t, ctx, layoutCheck+`(0)`, &r)
	suffix := ""
	if large {
		suffix = "-large"
	}
	Eval(t, ctx, `(document.querySelector('.rl-cluster:not(.rl-static)').scrollIntoView(), 0)`, nil)
	ViewportScreenshot(t, ctx, "layout-"+slug(url)+"-"+strconv.Itoa(int(w))+suffix)
	return r
}

func slug(url string) string {
	out := []byte{}
	for i := len(url) - 1; i >= 0 && url[i] != '/'; i-- {
		out = append([]byte{url[i]}, out...)
	}
	s := string(out)
	if n := len(s); n > 5 && s[n-5:] == ".html" {
		s = s[:n-5]
	}
	return s
}
