// raftlab-loader.js — starts raftlab.wasm and publishes the raftlab API.
//
// Use in a page:
//   <script src="raftlab-loader.js" defer></script>
//   <div data-raftlab-mount>Loading the simulator…</div>
//
// What it defines:
//   window.raftlabReady    a Promise that resolves with the raftlab API object
//                          once the module has registered window.raftlab, and
//                          rejects if the module cannot start.
//   window.raftlabLoader   {mounted, handles, queryOptions(search),
//                          mountOptions(search), playground, mountedAt,
//                          memoryBytes(), words}:
//                          mounted resolves (with the handles) once every
//                          [data-raftlab-mount] element got a cluster made
//                          with raftlab.create(el, mountOptions(location.search));
//                          mountedAt is then performance.now() (ms after
//                          navigation start). playground is the address of
//                          playground.html next to this script (for links).
//                          memoryBytes() is the module's WebAssembly memory
//                          (it only grows: the peak so far).
//
// Page addresses: ?scenario=TEXT, ?nodes=N, ?seed=N, ?a=ACTIONS (encoded as
// cluster.link() writes them), ?controls=0, ?large=1, ?play=1, ?speed=X,
// ?explain=1 (explain how the run breaks a property), ?safe=1 (every rule on),
// ?title=TEXT, ?lang=CODE (the cluster's words; default the page's <html
// lang>) (switches read 1/0, true/false, yes/no, on/off). Nothing in
// an address stops the page: what cannot be used is said in the cluster,
// as text, and its default used (the fallback option of raftlab.create).
//   <html data-raftlab-state="loading|ready|error">, and the text of
//   [data-raftlab-status] elements, show the state to people and to CSS;
//   if the runtime dies, they say so, and so does each cluster drawn.
//
// The bridge (globalThis.__raftlabBridge) is the JS half of the calling
// convention described in wasm/jsutil.go: the Go module hands every exported
// function to bridge.wrap (and its event handlers to bridge.guard), and
// returns bridge.fail(message) to make the wrapper throw new Error(message);
// see "the bridge" below for what else it guarantees. This file also runs
// under node (the wasm tests evaluate it), so the browser part is guarded.
//
// The wasm and wasm_exec.js are fetched next to this script; a data-wasm
// attribute on the <script> element overrides the wasm's URL.
(function (g) {
  'use strict';
  if (g.__raftlabBridge) return; // loaded twice: the first one runs the module

  // --- the bridge (browser and node) -------------------------------------
  //
  // Every entry into Go goes through wrap (exported functions) or guard
  // (the view's event handlers), which make re-entry and a full stack
  // harmless:
  //   - Go never calls a page's callback while it runs: it posts the call
  //     (post), and the callbacks run once Go has returned — at the end of
  //     the outermost call, or in a microtask after an event handler.
  //     A callback may call raftlab again; what that call changes is
  //     reported after the callback returns ("queued until the current
  //     call returns"). Callbacks that keep changing the cluster are cut
  //     off after MAX_ROUNDS rounds, or MAX_DRAIN calls in all (two
  //     callbacks that each change the cluster would otherwise double the
  //     work every round).
  //   - A call made while Go is running (from a getter, a Proxy, or an
  //     event Go set off) is refused with an Error: Go is not re-entered.
  //   - A call made with the JavaScript stack nearly full is refused with
  //     an Error before it enters Go, where running out of stack would
  //     break the runtime for good.
  //   - Arguments are copied into plain values before Go sees them, reading
  //     at most READ_MAX values: Go reads no getter, Proxy or long array
  //     (a getter that throws inside Go would unwind Go's stack and break
  //     the runtime). DOM nodes and functions pass as they are. A BigInt,
  //     or an argument that throws while read, is refused with an Error.
  //   - If the runtime dies anyway (a trap, an exit), every later call
  //     throws "the simulator stopped", and onDead listeners are told.
  class Failure {
    constructor(message) { this.message = String(message); }
  }
  // failed is the Error a Failure throws. A refusal a person may meet (an
  // action the cluster will not do) is worded in the cluster's language:
  // its message, and e.said, the refusal alone, for a page to show; its
  // key, e.refusal, is the same in every language, for a program to test.
  function failed(f) {
    const e = new Error(f.message);
    if (typeof f.said === 'string' && f.said !== '') e.said = f.said;
    if (typeof f.refusal === 'string' && f.refusal !== '') e.refusal = f.refusal;
    return e;
  }
  let resolveReady, rejectReady;
  const ready = new Promise(function (resolve, reject) {
    resolveReady = resolve;
    rejectReady = reject;
  });

  const MAX_ROUNDS = 64;      // generations of callbacks set off by callbacks
  const MAX_DRAIN = 20000;    // callbacks run for one outermost call
  // STACK_ROOM is the native stack (in 8-byte slots) that must be free
  // before Go is entered: probed by spreading an array of that length
  // into a call, which V8 refuses with a RangeError when the stack lacks
  // the room (about 25 µs a call). In Chromium, Go's calls needed 32-48 KB
  // (site/e2e TestCallsWithTheStackNearlyFull fails below 6144 slots);
  // 256 KB leaves a wide margin, and a page's own stack of 984 KB.
  const STACK_ROOM = 32768;
  const probeArgs = new Array(STACK_ROOM);
  function probe() { return 0; }
  function stackRoom() {
    try {
      probe.apply(null, probeArgs);
      return true;
    } catch (e) {
      return false;
    }
  }

  // plainArgs copies a call's arguments into plain values (see above), or
  // throws an Error naming the argument.
  const READ_MAX = 10000;   // values read from one call's arguments
  const ITEMS_MAX = 1000;   // elements of one array, keys of one object
  const DEPTH_MAX = 8;
  function plainArgs(name, args) {
    const budget = { left: READ_MAX };
    const out = new Array(args.length);
    for (let i = 0; i < args.length; i++) {
      try {
        out[i] = plain(args[i], 0, budget);
      } catch (e) {
        throw new Error(name + ': argument ' + (i + 1) + ' ' + (e && e.raftlab ? e.message : 'could not be read: ' + (e && e.message)));
      }
    }
    return out;
  }
  function refuse(message) {
    const e = new Error(message);
    e.raftlab = true;
    return e;
  }
  const NodeClass = typeof Node === 'function' ? Node : null;
  function plain(v, depth, budget) {
    if (--budget.left < 0) throw refuse('holds more than ' + READ_MAX + ' values');
    switch (typeof v) {
      case 'bigint':
        throw refuse('is a BigInt or holds one; pass a Number (' + String(v) + ', not ' + String(v) + 'n)');
      case 'object':
        break;
      default:
        return v; // numbers, strings, booleans, undefined, symbols, functions
    }
    if (v === null || (NodeClass && v instanceof NodeClass)) return v;
    if (depth >= DEPTH_MAX) throw refuse('is nested more than ' + DEPTH_MAX + ' deep');
    if (Array.isArray(v)) {
      const n = v.length;
      if (!(n <= ITEMS_MAX)) throw refuse('holds an array of ' + n + ' elements, more than ' + ITEMS_MAX);
      const a = new Array(n);
      for (let i = 0; i < n; i++) a[i] = plain(v[i], depth + 1, budget);
      return a;
    }
    const o = Object.create(null);
    let keys = 0;
    for (const k in v) {
      if (++keys > ITEMS_MAX) throw refuse('holds an object of more than ' + ITEMS_MAX + ' keys');
      o[k] = plain(v[k], depth + 1, budget);
    }
    return o;
  }

  let depth = 0;        // Go calls on the stack, entered through wrap or guard
  let dead = null;      // why the runtime stopped, once it has
  const deadListeners = [];
  const queue = [];     // posted callbacks: {fn, args, round}
  let head = 0;         // queue[head] is the next to run
  let draining = false;
  let round = 0;        // the round of the callback running now (0: none)
  let dropped = 0;
  let drainScheduled = false;

  function die(reason) {
    if (dead) return;
    dead = String(reason && reason.message ? reason.message : reason);
    queue.length = 0;
    head = 0;
    deadListeners.slice().forEach(function (f) {
      try { f(dead); } catch (e) { console.error('raftlab:', e); }
    });
  }

  function drain() {
    drainScheduled = false;
    if (draining || dead) return;
    draining = true;
    let ran = 0;
    try {
      while (head < queue.length) {
        const item = queue[head];
        queue[head++] = undefined;
        if (item.round > MAX_ROUNDS || ran >= MAX_DRAIN) {
          dropped++;
          continue;
        }
        ran++;
        round = item.round;
        try {
          item.fn.apply(undefined, item.args);
        } catch (e) {
          console.error('raftlab: ' + item.what + ' threw', e);
        }
      }
    } finally {
      queue.length = 0;
      head = 0;
      draining = false;
      round = 0;
      if (dropped > 0) {
        console.error('raftlab: callbacks kept changing the cluster; ' + dropped +
          ' calls of them were skipped (at most ' + MAX_ROUNDS + ' rounds and ' + MAX_DRAIN + ' calls)');
        dropped = 0;
      }
    }
  }

  // enter runs the Go function fn with this and args: the one way into
  // Go. It returns {ok, value} or {ok: false, why} when Go was not entered.
  function enter(fn, self, args) {
    if (dead) return { ok: false, why: 'dead' };
    if (depth > 0) return { ok: false, why: 'reentry' };
    if (!stackRoom()) return { ok: false, why: 'stack' };
    depth++;
    let value;
    try {
      value = fn.apply(self, args);
    } catch (e) {
      // Go turns every panic into a Failure: what escapes is the runtime
      // itself failing (a trap, a stack overflow inside Go, an exit).
      die(e);
    } finally {
      depth--;
    }
    if (dead) return { ok: false, why: 'dead' };
    return { ok: true, value: value };
  }

  const why = {
    dead: function () { return 'the simulator stopped (' + dead + '); reload the page'; },
    reentry: function () {
      return 'called while another raftlab call is running (from a getter, a Proxy or an event ' +
        'that call set off); call it afterwards, for example in queueMicrotask';
    },
    stack: function () { return 'the JavaScript stack is nearly full; call it from a shallower depth'; },
  };

  g.__raftlabBridge = Object.freeze({
    protocol: 2,
    fail: function (message) { return new Failure(message); },
    // wrap(fn, name) is the published form of the exported Go function fn.
    wrap: function (fn, name) {
      const wrapped = function () {
        if (!stackRoom()) throw new Error(name + ': ' + why.stack());
        if (dead) throw new Error(name + ': ' + why.dead());
        const r = enter(fn, this, plainArgs(name, arguments));
        if (!r.ok) throw new Error(name + ': ' + why[r.why]());
        drain();
        if (r.value instanceof Failure) throw failed(r.value);
        return r.value;
      };
      Object.defineProperty(wrapped, 'name', { value: name });
      return wrapped;
    },
    // guard(fn, what) is the form of the Go function fn handed to the page
    // as an event handler: it never throws, and skips what it cannot run.
    guard: function (fn, what) {
      return function () {
        const r = enter(fn, this, arguments);
        if (!r.ok && r.why !== 'dead') console.warn('raftlab: ' + what + ' skipped: ' + why[r.why]());
        drain();
        return r.ok ? r.value : undefined;
      };
    },
    // post(what, fn, ...args) asks for fn(...args) once Go has returned.
    post: function (what, fn) {
      if (dead) return;
      queue.push({ what: what, fn: fn, args: Array.prototype.slice.call(arguments, 2), round: round + 1 });
      if (depth === 0 && !draining && !drainScheduled) {
        drainScheduled = true;
        queueMicrotask(drain);
      }
    },
    // gone(name) replaces a released function: it throws on every call.
    gone: function (name) {
      return function () { throw new Error(name + ': this object was destroyed'); };
    },
    ready: function (api) { resolveReady(api); },
    die: die,
    dead: function () { return dead; },
    onDead: function (f) { deadListeners.push(f); },
  });
  g.raftlabReady = ready;

  // queryOptions turns "?nodes=7&title=Hi" into {nodes: 7, title: "Hi"}:
  // integers (that a number holds exactly) become numbers, true/false
  // booleans, the rest stay strings.
  function queryOptions(search) {
    const opts = {};
    new URLSearchParams(search || '').forEach(function (value, key) {
      if (unsafeKey(key)) return;
      if (/^-?\d+$/.test(value) && Number.isSafeInteger(Number(value))) opts[key] = Number(value);
      else if (value === 'true' || value === 'false') opts[key] = value === 'true';
      else opts[key] = value;
    });
    return opts;
  }

  function unsafeKey(key) {
    return key === '__proto__' || key === 'constructor' || key === 'prototype';
  }

  // mountOptions reads a page address into raftlab.create's options:
  // a -> actions; scenario, actions and title stay text; controls, large,
  // play, explain and safe read 1/0, true/false, yes/no, on/off; nodes, seed and speed
  // read numbers ("3.0", "-12345678901"). fallback is on, so a value that
  // still cannot be used is reported in the view and its default is used:
  // an address never stops the page.
  function mountOptions(search) {
    const opts = {};
    const params = new URLSearchParams(search || '');
    params.forEach(function (value, key) {
      if (unsafeKey(key)) return;
      if (key === 'a') {
        if (params.has('actions')) return;
        key = 'actions';
      }
      switch (key) {
        case 'scenario': case 'actions': case 'title': case 'lang':
          opts[key] = value;
          break;
        case 'controls': case 'large': case 'play': case 'explain': case 'safe': {
          const v = value.trim().toLowerCase();
          opts[key] = /^(1|true|yes|on|)$/.test(v) ? true : /^(0|false|no|off)$/.test(v) ? false : value;
          break;
        }
        case 'seed':
          // Digits a number cannot hold exactly stay a string: the
          // module reads any 64-bit seed from its digits.
          opts[key] = /^-?\d+$/.test(value.trim()) && !Number.isSafeInteger(Number(value)) ? value.trim()
            : /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(value.trim()) ? Number(value) : value;
          break;
        case 'nodes': case 'speed':
          opts[key] = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(value.trim()) ? Number(value) : value;
          break;
        default:
          opts[key] = queryOptions(key + '=' + encodeURIComponent(value))[key];
      }
    });
    opts.fallback = true;
    return opts;
  }

  // Words the loader shows (the module's own words are in raft/words), by
  // language: the site build writes them here from the words tables
  // (page.loading, page.loader.* of raft/words/<lang>.txt), so that a page
  // anywhere gets them in its <html lang>; unbuilt, English.
  const WORDS = /*raftlab:words*/{"en": {"cannotStart": "The simulator could not start: {error}", "loading": "Loading the simulator…", "stopped": "The simulator stopped; reload the page.", "stoppedStarting": "The simulator stopped while starting. See the browser console."}}/*end*/;
  const words = (function () {
    const lang = typeof document === 'undefined' ? 'en' : (document.documentElement.lang || 'en').trim().toLowerCase();
    return Object.prototype.hasOwnProperty.call(WORDS, lang) ? WORDS[lang] : WORDS.en;
  })();

  if (typeof document === 'undefined') {
    g.raftlabLoader = {
      queryOptions: queryOptions, mountOptions: mountOptions, handles: [], words: words,
      mounted: ready.then(function () { return []; }),
    };
    return;
  }

  // --- the browser part ----------------------------------------------------
  const script = document.currentScript;
  const base = script && script.src ? script.src : document.baseURI;
  const wasmURL = new URL((script && script.dataset.wasm) || 'raftlab.wasm', base);
  const execURL = new URL('wasm_exec.js', base);
  const root = document.documentElement;

  function setStatus(state, text) {
    root.setAttribute('data-raftlab-state', state);
    document.querySelectorAll('[data-raftlab-status]').forEach(function (el) {
      el.textContent = text; // text only: never HTML
    });
  }

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      const s = document.createElement('script');
      s.src = url.href;
      s.onload = resolve;
      s.onerror = function () { reject(new Error('could not load ' + url.pathname)); };
      document.head.appendChild(s);
    });
  }

  async function instantiate(go) {
    const resp = await fetch(wasmURL);
    if (!resp.ok) throw new Error('could not load ' + wasmURL.pathname + ' (HTTP ' + resp.status + ')');
    if (WebAssembly.instantiateStreaming) {
      try {
        return await WebAssembly.instantiateStreaming(resp.clone(), go.importObject);
      } catch (e) {
        // A server that does not say application/wasm: fall back below.
        console.warn('raftlab: streaming instantiation failed, retrying:', e);
      }
    }
    return WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
  }

  // memory reports the module's linear memory in bytes (0 before it
  // runs): it only grows, so a sample is the peak so far.
  let memory = null;

  async function start() {
    if (root.getAttribute('data-raftlab-state') !== 'ready') root.setAttribute('data-raftlab-state', 'loading');
    if (typeof WebAssembly !== 'object') throw new Error('this browser has no WebAssembly');
    if (typeof g.Go !== 'function') await loadScript(execURL);
    const go = new g.Go();
    const result = await instantiate(go);
    memory = result.instance.exports.mem;
    // Every entry into Go passes here: a trap, or a call after the
    // runtime exited, means the runtime is gone.
    const resume = go._resume;
    go._resume = function () {
      try {
        return resume.apply(go, arguments);
      } catch (e) {
        g.__raftlabBridge.die(e);
        throw e;
      }
    };
    go.run(result.instance).then(function () {
      rejectReady(new Error('the raftlab module stopped'));
      g.__raftlabBridge.die('the runtime exited');
    });
  }

  // When the runtime dies, the page says so in words: in the status
  // elements, on <html data-raftlab-state="error">, and over every
  // cluster drawn (whose controls would do nothing any more).
  g.__raftlabBridge.onDead(function (reason) {
    console.error('raftlab: the simulator stopped:', reason);
    const starting = root.getAttribute('data-raftlab-state') !== 'ready';
    setStatus('error', starting ? words.stoppedStarting : words.stopped);
    document.querySelectorAll('.rl-cluster').forEach(function (fig) {
      if (fig.querySelector(':scope > .rl-dead')) return;
      const p = document.createElement('p');
      p.className = 'rl-dead';
      p.setAttribute('role', 'alert');
      p.textContent = words.stopped;
      fig.prepend(p);
      fig.setAttribute('aria-disabled', 'true');
    });
    window.dispatchEvent(new CustomEvent('raftlab-dead', { detail: { reason: reason } }));
  });

  const handles = [];
  start().catch(function (e) { rejectReady(e); });

  const domReady = document.readyState === 'loading'
    ? new Promise(function (resolve) { document.addEventListener('DOMContentLoaded', resolve, { once: true }); })
    : Promise.resolve();

  const mounted = Promise.all([ready, domReady]).then(function (r) {
    const api = r[0];
    const opts = mountOptions(location.search);
    // Without ?lang=, a cluster speaks its page's language.
    if (opts.lang === undefined && document.documentElement.lang) opts.lang = document.documentElement.lang;
    document.querySelectorAll('[data-raftlab-mount]').forEach(function (el) {
      handles.push(api.create(el, opts));
    });
    setStatus('ready', '');
    loader.mountedAt = performance.now();
    return handles;
  });
  mounted.catch(function (e) {
    console.error('raftlab:', e);
    if (g.__raftlabBridge.dead()) return; // already said
    setStatus('error', words.cannotStart.replace('{error}', e && e.message ? e.message : String(e)));
  });

  const loader = {
    queryOptions: queryOptions, mountOptions: mountOptions, handles: handles, mounted: mounted,
    mountedAt: null, playground: new URL('playground.html', base).href, words: words,
    memoryBytes: function () { return memory ? memory.buffer.byteLength : 0; },
  };
  g.raftlabLoader = loader;
})(globalThis);
