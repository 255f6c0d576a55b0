//go:build !js

package e2e

// Browser tests of the module's robustness (issue 8, the page's side):
// calls at any depth of the JavaScript stack, calls made from inside Go's
// own calls, and what the page says when the runtime dies anyway.

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"

	"raftlab/raft/words"
)

// Calls at any depth of the JavaScript stack either work or throw a clear
// Error before they enter Go; the runtime is never left broken (it once
// answered every later call with "memory access out of bounds").
func TestCallsWithTheStackNearlyFull(t *testing.T) {
	ctx, _ := openPlayground(t, "")
	var got struct {
		OK      int      `json:"ok"`
		Refused int      `json:"refused"`
		Other   []string `json:"other"`
		After   int      `json:"after"`
		View    int      `json:"view"`
	}
	Eval(t, ctx, `(() => {
		const h = raftlab.create(null, {nodes: 3});
		const view = `+h0+`;
		const r = {ok: 0, refused: 0, other: []};
		function f() {
			try { f(); } catch (e) {}
			try { h.state(); h.next(); h.undo(); view.next(); view.undo(); r.ok++; }
			catch (e) {
				// Refused before Go (clearly), or the stack ran out in JS
				// before even that (calling any function there does).
				if (/stack is nearly full/.test(e.message)) r.refused++;
				else if (!(e instanceof RangeError) && r.other.length < 3) r.other.push(String(e && e.message));
				throw e;
			}
		}
		try { f(); } catch (e) {}
		h.timeout(1); h.flush();
		r.after = h.state().nodes.filter(n => n.role === 'Leader').length;
		view.next();
		r.view = view.state().position;
		return r;
	})()`, &got)
	t.Logf("deep calls: %d worked, %d refused", got.OK, got.Refused)
	if got.Refused == 0 || got.OK == 0 {
		t.Errorf("deep calls: %d worked, %d refused; want some of each", got.OK, got.Refused)
	}
	if len(got.Other) > 0 {
		t.Errorf("deep calls failed otherwise: %q", got.Other)
	}
	if got.After != 1 || got.View != 1 {
		t.Errorf("after the deep calls: %d leaders (want 1), view position %d (want 1)", got.After, got.View)
	}
	NoPageErrors(t, ctx)
}

// A page's event handler that Go sets off while it runs (here: focusin,
// when the view moves the focus to a server) cannot re-enter Go: its call
// throws a clear Error, and the view and the cluster go on.
func TestReentryFromAnEventGoSetsOff(t *testing.T) {
	ctx, _ := openPlayground(t, "")
	var got struct {
		Messages []string `json:"messages"`
		Focused  string   `json:"focused"`
		Position int      `json:"position"`
	}
	Eval(t, ctx, `(() => {
		const h = `+h0+`;
		const messages = [];
		const onFocus = () => { try { h.next(); messages.push('next ran'); } catch (e) { messages.push(e.message); } };
		document.addEventListener('focusin', onFocus);
		document.body.dispatchEvent(new KeyboardEvent('keydown', {key: '3', bubbles: true, cancelable: true}));
		document.removeEventListener('focusin', onFocus);
		h.next();
		return {messages, focused: document.activeElement.closest('[data-node]').getAttribute('data-node'), position: h.state().position};
	})()`, &got)
	// A drawn cluster's change callback that advances it: each advance is
	// reported after the callback returns.
	var timeNow int
	Eval(t, ctx, `(() => {
		const el = document.createElement('div');
		document.querySelector('main').appendChild(el);
		const h = raftlab.create(el, {});
		let n = 0;
		h.on('change', () => { if (n++ < 5) h.advance(10); });
		h.advance(10);
		const t = h.state().time;
		h.destroy();
		return t;
	})()`, &timeNow)
	if timeNow != 60 {
		t.Errorf("a drawn cluster advanced by its change callback: time %d, want 60", timeNow)
	}
	want := "cluster.next: called while another raftlab call is running (from a getter, a Proxy or an event that call set off); call it afterwards, for example in queueMicrotask"
	if len(got.Messages) != 1 || got.Messages[0] != want {
		t.Errorf("the focus handler's call: %q, want [%q]", got.Messages, want)
	}
	if got.Focused != "3" || got.Position != 1 {
		t.Errorf("after: focus on %q (want 3), position %d (want 1)", got.Focused, got.Position)
	}
	NoPageErrors(t, ctx)
}

// If the runtime dies anyway, the page says so in words, marks itself
// data-raftlab-state="error", and every later call throws a clear Error.
// The death is the one Go's runtime takes on a fatal error: its exit
// import, called here directly.
func TestRuntimeDeathIsShown(t *testing.T) {
	ctx := StartBrowser(t)
	base := ServeSite(t)
	// Keep the module's imports within reach of the test.
	cdpDo(t, ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `(() => {
		const keep = (f) => function (source, imports) { window.__imports = imports; return f.apply(this, arguments); };
		WebAssembly.instantiateStreaming = keep(WebAssembly.instantiateStreaming);
		WebAssembly.instantiate = keep(WebAssembly.instantiate);
	})()`})
	// The overlay speaks the page's language, on the English and the
	// Japanese playground (the loader's words come from the words tables).
	for _, lang := range []string{"en", "ja"} {
		tbl, _ := words.For(lang)
		path := "/playground.html"
		if lang != "en" {
			path = "/" + lang + path
		}
		Navigate(t, ctx, base+path)
		WaitReady(t, ctx)
		var got struct {
			Message string `json:"message"`
			Again   string `json:"again"`
			State   string `json:"state"`
			Overlay string `json:"overlay"`
			Create  string `json:"create"`
		}
		Eval(t, ctx, `(() => {
			const h = `+h0+`;
			h.next();
			window.__imports.gojs['runtime.wasmExit'](0);
			const r = {};
			try { h.state(); } catch (e) { r.message = e.message; }
			try { h.next(); } catch (e) { r.again = e.message; }
			try { raftlab.create(null); } catch (e) { r.create = e.message; }
			r.state = document.documentElement.dataset.raftlabState;
			const o = document.querySelector('.rl-cluster .rl-dead');
			r.overlay = o ? o.textContent : '';
			return r;
		})()`, &got)
		if !strings.HasPrefix(got.Message, "cluster.state: the simulator stopped") || !strings.HasPrefix(got.Again, "cluster.next: the simulator stopped") ||
			!strings.HasPrefix(got.Create, "raftlab.create: the simulator stopped") {
			t.Errorf("%s: calls after the death: %q, %q, %q", lang, got.Message, got.Again, got.Create)
		}
		if want := tbl.Get("page.loader.stopped"); got.State != "error" || want == "" || got.Overlay != want {
			t.Errorf("%s: the page after the death: state %q, overlay %q, want %q", lang, got.State, got.Overlay, want)
		}
	}
	Screenshot(t, ctx, "runtime-death")
}

// Page addresses never stop the page: switches read on/off, numbers read
// "3.0", and what cannot be used is said in the view while its default is
// used (the page said nothing but an error before). link() round-trips a
// seed of more than 9 digits.
func TestAddressesFallBack(t *testing.T) {
	ctx, _ := openPlayground(t, "?controls=off&play=on&speed=10&nodes=3.0&seed=-98765432109")
	var got struct {
		State    string `json:"state"`
		Nodes    int    `json:"nodes"`
		Toolbar  bool   `json:"toolbar"`
		Playing  bool   `json:"playing"`
		Notice   string `json:"notice"`
		Link     string `json:"link"`
		Scenario string `json:"scenario"`
	}
	Eval(t, ctx, `(() => { const h = `+h0+`; const r = {
		state: document.documentElement.dataset.raftlabState,
		nodes: document.querySelectorAll('[data-node]').length,
		toolbar: !!document.querySelector('.rl-toolbar'),
		playing: h.playing(),
		notice: document.querySelector('.rl-notice').textContent,
		link: h.link(), scenario: h.run().scenario,
	}; h.pause(); return r; })()`, &got)
	if got.State != "ready" || got.Nodes != 3 || got.Toolbar || !got.Playing {
		t.Errorf("?controls=off&play=on&nodes=3.0: %+v", got)
	}
	if !strings.Contains(got.Notice, "options.speed must be a number from 0.005 to 5, got number 10") {
		t.Errorf("the notice for ?speed=10: %q", got.Notice)
	}
	if !strings.Contains(got.Scenario, "seed: -98765432109") || !strings.Contains(got.Link, "seed=-98765432109") {
		t.Errorf("a seed of 11 digits: scenario %q, link %q", got.Scenario, got.Link)
	}
	// The link opens on the same seed.
	Navigate(t, ctx, strings.Replace(got.Link, "playground.html?", "playground.html?controls=0&", 1))
	WaitReady(t, ctx)
	var scenario string
	Eval(t, ctx, h0+`.run().scenario`, &scenario)
	if !strings.Contains(scenario, "seed: -98765432109") {
		t.Errorf("the link's page has the scenario %q", scenario)
	}
}
