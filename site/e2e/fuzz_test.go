//go:build !js

package e2e

// A fuzz test of the JavaScript API in the page, as a hostile caller would
// use it: random calls with random arguments — wrong types, BigInts,
// getters and Proxies that throw or call back in, huge and sparse arrays,
// long strings, markup — on live and destroyed handles, with "change" and
// "event" callbacks that call back into their own cluster or another one.
// The module must never die, every failure must be a thrown Error, and a
// call that throws must change nothing.
//
// RAFTLAB_FUZZ_CALLS sets the number of calls (default 10,000) and
// RAFTLAB_FUZZ_SEED the seed (default 1).

import (
	"os"
	"strconv"
	"testing"
)

// fuzzJS installs window.__fuzz: run(n) makes n more calls (the test runs
// it in chunks, each within one evaluation's time), finish() checks that
// the module still works and returns the report.
const fuzzJS = `((seed) => {
	// mulberry32: a small seeded generator, so a failure can be replayed.
	let s = seed >>> 0;
	const rnd = () => { s = (s + 0x6D2B79F5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
	const pick = (a) => a[Math.floor(rnd() * a.length)];
	const int = (n) => Math.floor(rnd() * n);

	const r = {calls: 0, threw: 0, nonErrors: [], changedAfterThrow: [], callbacks: 0, reentrant: 0, handles: 0, destroyedCalls: 0, dead: null, firstErrors: {}};
	const area = document.createElement('div');
	document.querySelector('main').appendChild(area);
	const handles = []; // {h, alive}

	const make = () => {
		const opts = pick([{}, {nodes: 1 + int(9)}, {nodes: 3, seed: int(1e9) - 5e8}, {scenario: 'nodes: 3\ntimers: frozen'},
			{scenario: 'nodes: 5\nseed: 7\nsetup:\n  timeout S1\n  flush'}, {nodes: 3, actions: 'timeout S1; next; next'}]);
		const el = rnd() < 0.3 ? Object.assign(document.createElement('div'), {}) : null;
		if (el) area.appendChild(el);
		const h = raftlab.create(el, opts);
		handles.push({h, alive: true});
		r.handles++;
		return h;
	};
	make(); make();

	const thrower = () => { throw new Error('from a getter'); };
	const hostileObject = () => pick([
		{}, [], [[1, 2], [3]], [[1], [2, 3], [4, 5]], {loseTail: int(5)}, {loseTail: -1}, {length: 1e9},
		Object.defineProperty({}, 'loseTail', {get: thrower, enumerable: true}),
		new Proxy([[1], [2]], {get() { throw new Error('proxy'); }}),
		new Proxy({}, {ownKeys() { throw new Error('keys'); }}),
		(() => { const a = []; a.length = 2 ** 31; return a; })(),
		new Array(5000).fill(1), [[1n]], {nodes: 3n}, new Date(), /x/, new Map(),
		Object.create(null), {__proto__: {loseTail: 2}},
		(() => { const a = [[1]]; a.push(a); return a; })(),
	]);
	const hostile = () => pick([
		undefined, null, true, false, 0, -0, 1, 2, 3, 5, 9, 10, -1, 2.5, NaN, Infinity, -Infinity, 1e308, 2 ** 53, -(2 ** 31),
		1n, 10n ** 30n, '', 'S1', 's2', 'S9', 'S0', 'S', 'x', 'set x 1', 'del x', '<img src=x onerror=window.__xss=1>',
		'S1>S2', '*>S1 append-reply', 'S2>S3 RequestVote', '7', 'x'.repeat(100000), '\u0000', 'forget-vote',
		Symbol('s'), () => 0, hostileObject(), hostileObject(),
	]);
	const node = () => rnd() < 0.7 ? pick([1, 2, 3, 'S1', 'S2', 'S3', 's1']) : hostile();
	const actionText = () => {
		const one = () => pick(['next', 'next ' + int(20), 'advance ' + int(2000), 'flush', 'timeout S' + (1 + int(4)),
			'deliver ' + int(30), 'drop ' + int(30), 'dup ' + int(30), 'deliver S1>S2', 'propose S1 set x ' + int(9),
			'read S2 x', 'crash S' + (1 + int(4)), 'restart S' + (1 + int(4)), 'restart S2 forget-vote', 'partition S1 S2 | S3',
			'cut S1 S2', 'restore S1 S2', 'heal', 'drop-rate ' + int(100), 'latency 1 ' + int(50), 'freeze', 'unfreeze',
			'fly me', 'deliver', 'timeout S99', '']);
		let t = one();
		for (let i = int(4); i > 0; i--) t += pick(['; ', '\n']) + one();
		return t;
	};
	const methods = {
		state: () => [], do: () => [rnd() < 0.7 ? actionText() : hostile()],
		next: () => [rnd() < 0.5 ? undefined : rnd() < 0.7 ? 1 + int(20) : rnd() < 0.05 ? 100000 : hostile()],
		// The longest an action allows, now and then: the engine bounds
		// what one action costs.
		advance: () => [rnd() < 0.7 ? 1 + int(5000) : rnd() < 0.05 ? 3600000 : hostile()],
		deliver: () => [rnd() < 0.5 ? int(40) : hostile()], drop: () => [rnd() < 0.5 ? int(40) : hostile()],
		duplicate: () => [rnd() < 0.5 ? int(40) : hostile()], flush: () => [], dropAll: () => [],
		timeout: () => [node()], crash: () => [node()], restart: () => [node(), rnd() < 0.5 ? undefined : hostile()],
		propose: () => [node(), rnd() < 0.6 ? 'set x ' + int(100) : hostile()], read: () => [node(), rnd() < 0.6 ? 'x' : hostile()],
		partition: () => [rnd() < 0.5 ? [[1, 2], [3]] : hostile()], cut: () => [node(), node(), rnd() < 0.5 ? undefined : hostile()],
		restore: () => [node(), node()], heal: () => [], dropRate: () => [rnd() < 0.5 ? int(1000) / 10 : hostile()],
		latency: () => [rnd() < 0.5 ? int(50) : hostile(), rnd() < 0.5 ? 50 + int(50) : hostile()],
		freeze: () => [], unfreeze: () => [], undo: () => [], redo: () => [],
		seek: () => [rnd() < 0.5 ? int(10) : hostile()], reset: () => [],
		play: () => [], pause: () => [], playing: () => [], speed: () => [rnd() < 0.5 ? undefined : hostile()],
		events: () => [rnd() < 0.5 ? undefined : hostile()], trace: () => [rnd() < 0.5 ? undefined : hostile()],
		run: () => [], link: () => [], marks: () => [], goals: () => [rnd() < 0.5 ? 'S1 leader term >= 1' : hostile()],
		on: () => [pick(['change', 'event', 'tick', hostile()]), rnd() < 0.8 ? callback() : hostile()],
		off: () => [pick(['change', 'event']), hostile()], destroy: () => [],
	};
	const names = Object.keys(methods);

	// A callback that calls back into its own cluster or another one, half
	// the time (the bridge bounds how far that goes).
	function callback() {
		return function () {
			r.callbacks++;
			if (rnd() < 0.5) return;
			const target = pick(handles);
			const name = pick(names.filter(n => n !== 'on' && n !== 'destroy'));
			r.reentrant++;
			try { target.h[name](...methods[name]()); } catch (e) { if (!(e instanceof Error)) r.nonErrors.push('callback ' + name + ': ' + String(e)); }
			if (rnd() < 0.2) throw new Error('a callback that throws');
		};
	}

	const bridge = window.__raftlabBridge;
	let i = 0;
	async function run(n) {
		// n more calls (making a handle, or skipping a destroy, is no call).
		for (const end = r.calls + n; r.calls < end && !r.dead; i++) {
			if (i % 250 === 0) await new Promise(res => setTimeout(res, 0)); // let views draw
			if (rnd() < 0.01) { make(); continue; }
			const live = handles.filter(x => x.alive);
			const entry = rnd() < 0.9 && live.length ? pick(live) : pick(handles);
			const h = entry.h;
			const name = pick(names);
			if (name === 'destroy' && rnd() < 0.7) continue; // keep some alive
			const args = methods[name]();
			let before = null;
			if (entry.alive) before = JSON.stringify(h.state());
			r.calls++;
			try {
				h[name](...args);
				if (name === 'destroy') entry.alive = false;
			} catch (e) {
				r.threw++;
				if (!(e instanceof Error)) { r.nonErrors.push(name + ': ' + String(e)); continue; }
				const key = e.message.replace(/[0-9]+/g, 'N').slice(0, 90);
				r.firstErrors[key] = (r.firstErrors[key] || 0) + 1;
				if (!entry.alive) { r.destroyedCalls++; continue; }
				const after = JSON.stringify(h.state());
				if (after !== before && r.changedAfterThrow.length < 5) r.changedAfterThrow.push(name + ': ' + e.message);
			}
			if (bridge.dead()) { r.dead = bridge.dead() + ' (after call ' + i + ': ' + name + ')'; break; }
			if (handles.filter(x => x.alive).length < 2) make();
		}
		return r.calls;
	}
	async function finish() {
		handles.forEach(x => { if (x.alive) { try { x.h.pause(); } catch (e) {} } });
		await new Promise(res => setTimeout(res, 50));
		r.dead = r.dead || bridge.dead();
		// The module still works.
		const fresh = raftlab.create(null, {nodes: 3});
		fresh.freeze().timeout(1).flush();
		r.after = fresh.state().nodes.filter(n => n.role === 'Leader').length;
		r.xss = window.__xss === 1;
		// Keep the error kinds short: the ten most frequent.
		r.firstErrors = Object.entries(r.firstErrors).sort((a, b) => b[1] - a[1]).slice(0, 10).map(e => e[1] + '× ' + e[0]);
		return r;
	}
	window.__fuzz = {run, finish};
	return 0;
})`

func TestFuzzAPI(t *testing.T) {
	calls, seed := 10000, 1
	if n, err := strconv.Atoi(os.Getenv("RAFTLAB_FUZZ_CALLS")); err == nil {
		calls = n
	}
	if n, err := strconv.Atoi(os.Getenv("RAFTLAB_FUZZ_SEED")); err == nil {
		seed = n
	}
	ctx, _ := openPlayground(t, "")
	var r struct {
		Calls, Threw, Callbacks, Reentrant, Handles, DestroyedCalls, After int
		NonErrors, ChangedAfterThrow, FirstErrors                          []string
		Dead                                                               *string
		XSS                                                                bool
	}
	Eval(t, ctx, fuzzJS+`(`+strconv.Itoa(seed)+`)`, nil)
	const chunk = 200
	for done := 0; done < calls; done += chunk {
		Eval(t, ctx, `__fuzz.run(`+strconv.Itoa(min(chunk, calls-done))+`)`, nil)
	}
	Eval(t, ctx, `__fuzz.finish()`, &r)
	t.Logf("fuzz (seed %d): %d calls, %d threw (%d on destroyed handles); %d callbacks ran, %d of them called back in; %d handles made",
		seed, r.Calls, r.Threw, r.DestroyedCalls, r.Callbacks, r.Reentrant, r.Handles)
	for _, e := range r.FirstErrors {
		t.Logf("  %s", e)
	}
	if r.Dead != nil {
		t.Errorf("the runtime died: %s", *r.Dead)
	}
	if r.Calls < calls*9/10 {
		t.Errorf("only %d calls made", r.Calls)
	}
	if len(r.NonErrors) > 0 {
		t.Errorf("thrown values that are not Errors: %q", r.NonErrors)
	}
	if len(r.ChangedAfterThrow) > 0 {
		t.Errorf("calls that threw and changed the state: %q", r.ChangedAfterThrow)
	}
	if r.After != 1 || r.XSS {
		t.Errorf("after the fuzz: a fresh cluster elected %d leaders (want 1); markup ran: %v", r.After, r.XSS)
	}
}
