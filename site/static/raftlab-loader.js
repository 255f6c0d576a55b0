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
//                          mountOptions(search), playground, mountedAt}:
//                          mounted resolves (with the handles) once every
//                          [data-raftlab-mount] element got a cluster made
//                          with raftlab.create(el, mountOptions(location.search));
//                          mountedAt is then performance.now() (ms after
//                          navigation start). playground is the address of
//                          playground.html next to this script (for links).
//
// Page addresses: ?scenario=TEXT, ?nodes=N, ?seed=N, ?a=ACTIONS (encoded as
// cluster.link() writes them), ?controls=0, ?large=1, ?play=1, ?speed=X,
// ?title=TEXT. A scenario or actions that cannot be used do not stop the
// page: the cluster falls back (see the fallback option of raftlab.create)
// and says what went wrong, as text.
//   <html data-raftlab-state="loading|ready|error">, and the text of
//   [data-raftlab-status] elements, show the state to people and to CSS.
//
// The bridge (globalThis.__raftlabBridge) is the JS half of the calling
// convention described in wasm/jsutil.go: the Go module hands every exported
// function to bridge.wrap, and returns bridge.fail(message) to make the
// wrapper throw new Error(message). This file also runs under node (the wasm
// tests evaluate it), so the browser part is guarded.
//
// The wasm and wasm_exec.js are fetched next to this script; a data-wasm
// attribute on the <script> element overrides the wasm's URL.
(function (g) {
  'use strict';
  if (g.__raftlabBridge) return; // loaded twice: the first one runs the module

  // --- the bridge (browser and node) -------------------------------------
  class Failure {
    constructor(message) { this.message = String(message); }
  }
  let resolveReady, rejectReady;
  const ready = new Promise(function (resolve, reject) {
    resolveReady = resolve;
    rejectReady = reject;
  });
  g.__raftlabBridge = Object.freeze({
    protocol: 1,
    fail: function (message) { return new Failure(message); },
    wrap: function (fn, name) {
      const wrapped = function () {
        const r = fn.apply(this, arguments);
        if (r instanceof Failure) throw new Error(r.message);
        return r;
      };
      Object.defineProperty(wrapped, 'name', { value: name });
      return wrapped;
    },
    // gone(name) replaces a released function: it throws on every call.
    gone: function (name) {
      return function () { throw new Error(name + ': this object was destroyed'); };
    },
    ready: function (api) { resolveReady(api); },
  });
  g.raftlabReady = ready;

  // queryOptions turns "?nodes=7&title=Hi" into {nodes: 7, title: "Hi"}:
  // integers become numbers, true/false booleans, the rest stay strings.
  function queryOptions(search) {
    const opts = {};
    new URLSearchParams(search || '').forEach(function (value, key) {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') return;
      if (/^-?\d{1,9}$/.test(value)) opts[key] = Number(value);
      else if (value === 'true' || value === 'false') opts[key] = value === 'true';
      else opts[key] = value;
    });
    return opts;
  }

  // mountOptions is queryOptions with the page's names mapped onto
  // raftlab.create's options: a -> actions; controls, large and play read
  // 0/1 or false/true; scenario and actions stay text; fallback is on.
  function mountOptions(search) {
    const opts = queryOptions(search);
    if (opts.a !== undefined) {
      if (opts.actions === undefined) opts.actions = opts.a;
      delete opts.a;
    }
    ['scenario', 'actions', 'title'].forEach(function (k) {
      if (opts[k] !== undefined) opts[k] = String(opts[k]);
    });
    ['controls', 'large', 'play'].forEach(function (k) {
      const v = opts[k];
      if (v === 0 || v === '0' || v === false || v === 'no') opts[k] = false;
      else if (v === 1 || v === '1' || v === true || v === '' || v === 'yes') opts[k] = true;
    });
    if (typeof opts.speed === 'string' && /^\d*\.?\d+$/.test(opts.speed)) opts.speed = Number(opts.speed);
    opts.fallback = true;
    return opts;
  }

  if (typeof document === 'undefined') {
    g.raftlabLoader = {
      queryOptions: queryOptions, mountOptions: mountOptions, handles: [],
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

  async function start() {
    root.setAttribute('data-raftlab-state', 'loading');
    if (typeof WebAssembly !== 'object') throw new Error('this browser has no WebAssembly');
    if (typeof g.Go !== 'function') await loadScript(execURL);
    const go = new g.Go();
    const result = await instantiate(go);
    go.run(result.instance).then(function () {
      rejectReady(new Error('the raftlab module stopped'));
      if (root.getAttribute('data-raftlab-state') !== 'ready') {
        setStatus('error', 'The simulator stopped while starting. See the browser console.');
      }
    });
  }

  const handles = [];
  start().catch(function (e) { rejectReady(e); });

  const domReady = document.readyState === 'loading'
    ? new Promise(function (resolve) { document.addEventListener('DOMContentLoaded', resolve, { once: true }); })
    : Promise.resolve();

  const mounted = Promise.all([ready, domReady]).then(function (r) {
    const api = r[0];
    const opts = mountOptions(location.search);
    document.querySelectorAll('[data-raftlab-mount]').forEach(function (el) {
      handles.push(api.create(el, opts));
    });
    setStatus('ready', '');
    loader.mountedAt = performance.now();
    return handles;
  });
  mounted.catch(function (e) {
    console.error('raftlab:', e);
    setStatus('error', 'The simulator could not start: ' + (e && e.message ? e.message : String(e)));
  });

  const loader = {
    queryOptions: queryOptions, mountOptions: mountOptions, handles: handles, mounted: mounted,
    mountedAt: null, playground: new URL('playground.html', base).href,
  };
  g.raftlabLoader = loader;
})(globalThis);
