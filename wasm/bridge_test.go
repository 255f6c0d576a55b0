//go:build js && wasm

package main

// Tests of the bridge's guarantees (raftlab-loader.js and jsutil.go), under
// node: callbacks that call back in, calls made from getters while Go runs,
// calls made with the JavaScript stack nearly full, BigInt arguments, and
// page-address options that fall back. (Calls with the stack nearly full
// are tested in the browser, site/e2e: node runs these tests with a V8
// stack as large as the thread's, where deep recursion crashes node itself.) Each case once killed the runtime
// or stopped a page; each test ends by checking that the module still
// answers.

import (
	"strconv"
	"strings"
	"syscall/js"
	"testing"

	"raftlab/raft/words"
)

// jsFunc (actions_test.go) evaluates a JS function expression.

// fromJS calls the JS function src with args in a task of its own, with no
// Go code below it on the stack — as a page calls raftlab — and returns
// what it returns (or "threw <message>"). Calls made from Go test code
// have Go below them, which a page never has: a JS exception inside such a
// nested call confuses the Go runtime's unwinder.
func fromJS(src string, args ...any) js.Value {
	ch := make(chan js.Value, 1)
	done := js.FuncOf(func(_ js.Value, a []js.Value) any { ch <- a[0]; return nil })
	defer done.Release()
	jsFunc(`(f, done, args) => setTimeout(() => {
		let r;
		try { r = f(...args); } catch (e) { r = "threw " + (e && e.message); }
		done(r);
	}, 0)`).Invoke(jsFunc(src), done, args)
	return <-ch
}

// stillRuns fails the test unless a fresh cluster can be made and stepped.
func stillRuns(t *testing.T) {
	t.Helper()
	h := newHandle(t, map[string]any{"nodes": 3})
	run(t, h, "freeze")
	run(t, h, "timeout", 1)
	run(t, h, "flush")
	if leader(h) != 1 {
		t.Fatalf("after the test, a fresh cluster elected no leader: %s", stringify(h.Call("state").Get("nodes")))
	}
}

// Callbacks that call into their own cluster run after the call that set
// them off has returned; what they change is reported in turn.
func TestCallbacksMayCallBack(t *testing.T) {
	cases := []struct {
		name     string
		setup    string // function (h, log) that subscribes
		call     string // the method that starts it
		args     []any
		wantLogs string
	}{
		{
			name:     "change callback resets on every change, as first reported",
			setup:    `(h, log) => h.on("change", () => { h.reset(); log.length = 0; log.push("position " + h.state().position); })`,
			call:     "reset",
			wantLogs: "position 0",
		},
		{
			name:     "change callback resets",
			setup:    `(h, log) => h.on("change", () => { log.push("change " + h.state().position); if (h.state().position > 0) h.reset(); })`,
			call:     "next",
			wantLogs: "change 1,change 0",
		},
		{
			name: "event callback times out and flushes",
			setup: `(h, log) => { let once = false; h.on("event", (e) => {
				if (e.kind === "timers" && !once) { once = true; h.timeout(1); h.flush(); log.push("flushed at " + h.state().position); }
			}); }`,
			call:     "freeze",
			wantLogs: "flushed at 3",
		},
		{
			name:     "change callback advances",
			setup:    `(h, log) => { let n = 0; h.on("change", () => { if (n++ < 3) { h.advance(10); log.push("t=" + h.state().time); } }); }`,
			call:     "advance",
			args:     []any{5},
			wantLogs: "t=15,t=25,t=35",
		},
		{
			name: "callback calls another cluster",
			setup: `(h, log) => { const other = raftlab.create(null, {nodes: 3}); h.on("change", () => {
				other.timeout(2); log.push(other.state().nodes[1].role); other.destroy(); }); }`,
			call:     "next",
			wantLogs: "Candidate",
		},
		{
			name:     "callback destroys its own cluster",
			setup:    `(h, log) => h.on("change", () => { h.destroy(); try { h.state(); } catch (e) { log.push(e.message); } })`,
			call:     "next",
			wantLogs: "cluster.state: this object was destroyed",
		},
	}
	js.Global().Set("raftlab", newAPI())
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := fromJS(`(setup, method, args) => {
				const h = raftlab.create(null, {nodes: 3});
				const logs = [];
				setup(h, logs);
				h[method](...args);
				return logs.join(",");
			}`, jsFunc(c.setup), c.call, c.args).String()
			if got != c.wantLogs {
				t.Errorf("callbacks logged %q, want %q", got, c.wantLogs)
			}
			stillRuns(t)
		})
	}
}

// A callback that changes the cluster on every change would never end: the
// bridge stops it after a bounded number of rounds, and the module runs on.
func TestEndlessCallbacksAreCutOff(t *testing.T) {
	h := newHandle(t, map[string]any{"nodes": 3})
	n := fromJS(`(h) => { let n = 0; h.on("change", () => { n++; h.next(); }); h.next(); return n; }`, h).Int()
	if n < 10 || n > 100 {
		t.Errorf("the endless change callback ran %d times, want a bounded number (10 to 100)", n)
	}
	if pos := h.Call("state").Get("position").Int(); pos != n+1 {
		t.Errorf("position %d after %d callbacks, want %d", pos, n, n+1)
	}
	stillRuns(t)
}

// Arguments are read before Go runs: a getter or a Proxy that calls
// raftlab runs as any other caller. A call made while Go runs (here from
// document.querySelector, which Go calls to find the element) cannot
// re-enter Go: it throws, and the outer call goes on.
func TestReentryIsRefused(t *testing.T) {
	js.Global().Set("raftlab", newAPI())
	h := newHandle(t, map[string]any{"nodes": 3})
	run(t, h, "next")
	got := fromJS(`(h) => {
		let seen = "";
		const made = raftlab.create(null, {get nodes() { h.reset(); seen = "reset ran"; return 3; }});
		made.destroy();
		return seen + ", position " + h.state().position;
	}`, h).String()
	if got != "reset ran, position 0" {
		t.Errorf("a getter's call: %q", got)
	}

	before := stringify(run(t, h, "state"))
	got = fromJS(`(h) => {
		let seen = "";
		globalThis.document = {querySelector() {
			try { h.timeout(1); seen = "timeout ran"; } catch (e) { seen = e.message; }
			return null;
		}};
		try { raftlab.create("#here"); } catch (e) { seen += " | " + e.message; }
		delete globalThis.document;
		return seen;
	}`, h).String()
	want := "cluster.timeout: called while another raftlab call is running (from a getter, a Proxy or an event " +
		"that call set off); call it afterwards, for example in queueMicrotask | " +
		`raftlab.create: argument 1 (element): no element matches the selector "#here"`
	if got != want {
		t.Errorf("a call while Go runs:\n got %q\nwant %q", got, want)
	}
	if after := stringify(run(t, h, "state")); after != before {
		t.Errorf("the refused call changed the state:\n%s\n%s", before, after)
	}

	// A getter that throws (read inside Go, it would unwind Go's stack).
	got = fromJS(`(h) => { try { h.partition(new Proxy([[1], [2, 3]], {get() { throw new Error("no"); }})); } catch (e) { return e.message; } }`, h).String()
	if got != "cluster.partition: argument 1 could not be read: no" {
		t.Errorf("a throwing Proxy: %q", got)
	}
	got = fromJS(`(h) => { try { h.partition({length: 1e9}); } catch (e) { return e.message; } }`, h).String()
	if !strings.HasPrefix(got, "cluster.partition: argument 1 (groups) must be an array") {
		t.Errorf("an array-like: %q", got)
	}
	got = fromJS(`(h) => { const a = []; a.length = 2 ** 31; try { h.partition(a); } catch (e) { return e.message; } }`, h).String()
	if got != "cluster.partition: argument 1 holds an array of 2147483648 elements, more than 1000" {
		t.Errorf("a long array: %q", got)
	}
	stillRuns(t)
}

// A BigInt where a number belongs throws a clear Error, at the top level or
// inside an object, and changes nothing.
func TestBigIntArguments(t *testing.T) {
	api := newAPI()
	h := newHandle(t, map[string]any{"nodes": 3})
	before := stringify(run(t, h, "state"))
	for _, c := range []struct {
		call string
		want string
	}{
		{`(h) => h.timeout(1n)`, "cluster.timeout: argument 1 is a BigInt or holds one; pass a Number (1, not 1n)"},
		{`(h) => h.advance(10n)`, "cluster.advance: argument 1 is a BigInt or holds one; pass a Number (10, not 10n)"},
		{`(h) => h.partition([[1n], [2, 3]])`, "cluster.partition: argument 1 is a BigInt or holds one; pass a Number (1, not 1n)"},
		{`(h) => h.restart(1, {loseTail: 2n})`, "cluster.restart: argument 2 is a BigInt or holds one; pass a Number (2, not 2n)"},
	} {
		got := fromJS(`(f, h) => { try { f(h); return "no throw"; } catch (e) { return (e instanceof Error ? "" : "not an Error: ") + e.message; } }`,
			jsFunc(c.call), h).String()
		if got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.call, got, c.want)
		}
	}
	if after := stringify(run(t, h, "state")); after != before {
		t.Errorf("a BigInt call changed the state")
	}
	if got := fromJS(`(api) => api.create(null, {nodes: 3n})`, api).String(); got != "threw raftlab.create: argument 2 is a BigInt or holds one; pass a Number (3, not 3n)" {
		t.Errorf("create with a BigInt option: %q", got)
	}
	stillRuns(t)
}

// Page addresses read through the loader's mountOptions never stop the
// page: what cannot be used is said in the notice and its default used.
func TestAddressOptionsFallBack(t *testing.T) {
	loader := js.Global().Get("raftlabLoader")
	api := newAPI()
	for _, c := range []struct {
		query  string
		nodes  int
		seed   float64
		notice string // a part of the notice, "" for none
	}{
		{"?controls=off&play=on", 5, 1, ""},
		{"?nodes=3.0", 3, 1, ""},
		{"?speed=10", 5, 1, "options.speed must be a number from 0.005 to 5, got number 10"},
		{"?nodes=12", 5, 1, "options.nodes must be an integer from 1 to 9, got number 12"},
		{"?nodes=three&seed=-12345678901", 5, -12345678901, "options.nodes must be an integer from 1 to 9, got string"},
		{"?seed=98765432109", 5, 98765432109, ""},
		{"?large=maybe", 5, 1, "options.large must be a boolean, got string"},
	} {
		opts := loader.Call("mountOptions", c.query)
		h, thrown := call(api.Get("create"), api, nil, opts)
		if !thrown.IsUndefined() {
			t.Errorf("%s: create threw %s", c.query, thrown.Get("message").String())
			continue
		}
		if n := h.Get("nodes").Int(); n != c.nodes {
			t.Errorf("%s: %d servers, want %d", c.query, n, c.nodes)
		}
		sc := run(t, h, "run").Get("scenario").String()
		if want := "seed: " + strconv.FormatFloat(c.seed, 'f', -1, 64); c.seed != 1 && !strings.Contains(sc, want) {
			t.Errorf("%s: scenario %q lacks %q", c.query, sc, want)
		}
		call(h.Get("destroy"), h)
		notice := readOptionsNotice(t, opts)
		if c.notice == "" && notice != "" || !strings.Contains(notice, c.notice) {
			t.Errorf("%s: notice %q, want it to hold %q", c.query, notice, c.notice)
		}
	}
}

// readOptionsNotice is the notice create would show for opts.
func readOptionsNotice(t *testing.T, opts js.Value) string {
	t.Helper()
	var notice string
	obj := testExports(t, map[string]Func{"read": func(c *Call) (any, error) {
		opt := readOptions(c)
		for _, n := range opt.notes {
			notice += words.English.Say("notice.option", "error", n)
		}
		return nil, nil
	}})
	call(obj.Get("read"), obj, nil, opts)
	return notice
}
