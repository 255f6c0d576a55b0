// raft-cluster.js — the <raft-cluster> element: a live raftlab cluster in
// any page with one script tag.
//
//   <script src="https://…/raft-cluster.js"></script>
//   <raft-cluster scenario="nodes: 3" controls="false"></raft-cluster>
//
//   <raft-cluster presenter actions="timeout S2; next; next">
//     <script type="text/plain">
//       nodes: 3
//       timers: frozen
//       mark: 1, 3
//     </script>
//   </raft-cluster>
//
// The script loads raftlab-loader.js (and so raftlab.wasm), presenter.js and
// the cluster's styles from its own folder when the page does not have them.
// Attributes (raftlab.create's options): scenario (text; or the text of a
// child <script type="text/plain"> or <template>, indented as you like),
// actions (the same way, from a child marked data-actions), controls
// ("false" hides them), large, seed, nodes, caption (the title option: a
// caption under the servers), speed, play, lang (the cluster's words:
// "ja" for Japanese, when raftlab has it; default English), and
// presenter: the lecture mode — the actions are replayed, then the cluster
// goes back to the start and the arrows step through them (to each
// "mark:" of the scenario when it has some); the keys work while the
// element has the focus and, unless presenter="focus", for the whole page
// while nothing else has it. Without presenter the keys work while the
// element has the focus (see presenter.js for the keys).
//
// The element's cluster handle is element.cluster (null until made);
// element.ready is a promise of it, and a "raftlab-ready" event is sent on
// each (re)creation. Changing an attribute makes a new cluster; removing
// the element destroys it. data-state is loading, ready or error. Text from
// attributes reaches the page only as text.
(function (g) {
  'use strict';
  if (!g.customElements || g.customElements.get('raft-cluster')) return;

  const script = document.currentScript;
  const base = script && script.src ? script.src : document.baseURI;
  const here = function (name) { return new URL(name, base).href; };

  // --- libraries and styles -------------------------------------------------
  function loadScript(name, ready) {
    if (ready()) return Promise.resolve();
    const url = here(name);
    const existing = Array.from(document.scripts).find(function (s) { return s.src === url; });
    return new Promise(function (resolve, reject) {
      const s = existing || document.createElement('script');
      s.addEventListener('load', function () { resolve(); }, { once: true });
      s.addEventListener('error', function () { reject(new Error('could not load ' + url)); }, { once: true });
      if (!existing) {
        s.src = url;
        s.setAttribute('data-raftlab-lib', '');
        document.head.appendChild(s);
      }
    });
  }

  let libs = null;
  function libraries() {
    if (!libs) {
      // The whole document too: an element's scenario child is parsed
      // after the element is connected.
      const parsed = document.readyState !== 'loading' ? null : new Promise(function (resolve) {
        document.addEventListener('DOMContentLoaded', resolve, { once: true });
      });
      libs = Promise.all([
        loadScript('raftlab-loader.js', function () { return !!g.raftlabReady; }),
        loadScript('presenter.js', function () { return !!g.raftlabPresenter; }),
        parsed,
      ]).then(function () { return g.raftlabReady; });
    }
    return libs;
  }

  // The cluster's look is the site's style.css; a page without it gets it
  // through raft-cluster.css, in a cascade layer, so the page's own rules win.
  function ensureStyles() {
    const links = Array.from(document.querySelectorAll('link[rel="stylesheet"]')).map(function (l) { return l.href; });
    if (links.indexOf(here('style.css')) >= 0 || links.indexOf(here('raft-cluster.css')) >= 0) return;
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = here('raft-cluster.css');
    document.head.appendChild(link);
  }

  // --- attribute reading ------------------------------------------------------
  // dedent removes the indentation common to every non-blank line, so a
  // scenario can be indented with the HTML around it.
  function dedent(text) {
    const lines = String(text).replace(/\r\n?/g, '\n').split('\n');
    while (lines.length && lines[0].trim() === '') lines.shift();
    const indent = function (l) { return /^[ \t]*/.exec(l)[0].length; };
    let min = Infinity;
    lines.forEach(function (l) { if (l.trim() !== '') min = Math.min(min, indent(l)); });
    if (min === Infinity) return '';
    return lines.map(function (l) { return l.slice(Math.min(min, indent(l))); }).join('\n');
  }

  function no(v) { return v !== null && /^(false|0|no|off)$/i.test(v.trim()); }
  function yes(v) { return v !== null && !no(v); }

  let made = 0; // ids for the views' containers

  class RaftCluster extends HTMLElement {
    static get observedAttributes() {
      return ['scenario', 'actions', 'controls', 'large', 'presenter', 'seed', 'nodes', 'caption', 'speed', 'play', 'lang'];
    }

    constructor() {
      super();
      this._h = null;
      this._detach = null;
      this._queued = false;
      this._settled = true;
      this._ready = null;
      this._host = null;
    }

    // cluster is the raftlab handle, or null while there is none.
    get cluster() { return this._h; }

    // ready resolves with the handle once the cluster (as the attributes
    // now describe it) is made, and rejects if it cannot be.
    get ready() {
      if (!this._ready) this._pending();
      return this._ready;
    }

    connectedCallback() {
      if (!this.hasAttribute('tabindex')) this.tabIndex = 0;
      if (this._h || this._queued) return; // moved within the page: keep it
      this._schedule();
    }

    disconnectedCallback() {
      // A move (remove, then insert) keeps the cluster; a removal ends it.
      queueMicrotask(() => { if (!this.isConnected) this._destroy(); });
    }

    attributeChangedCallback(name, old, value) {
      if (old !== value && this.isConnected) this._schedule();
    }

    _pending() {
      if (!this._settled && this._ready) return;
      this._settled = false;
      this._ready = new Promise((resolve, reject) => { this._resolve = resolve; this._reject = reject; });
      this._ready.catch(function () { /* reported on the page */ });
    }

    _schedule() {
      this._pending();
      this.setAttribute('data-state', 'loading');
      const host = this._viewHost();
      if (!this._h) host.textContent = 'Loading the simulator…';
      ensureStyles();
      if (this._queued) return;
      this._queued = true; // attribute changes in one task make one cluster
      libraries().then((api) => {
        this._queued = false;
        if (this.isConnected) this._build(api);
      }, (err) => {
        this._queued = false;
        this._fail(err);
      });
    }

    // _viewHost is the element the view draws into (it empties it): a
    // child of ours, so that scenario <script>/<template> children stay.
    _viewHost() {
      if (!this._host || this._host.parentNode !== this) {
        this._host = document.createElement('div');
        this._host.className = 'raftlab-view';
        this._host.id = 'raftlab-view-' + (++made);
        this.appendChild(this._host);
      }
      return this._host;
    }

    _childText(actions) {
      const kids = this.querySelectorAll(':scope > script[type="text/plain"], :scope > template');
      for (const k of kids) {
        if (k.hasAttribute('data-actions') !== actions) continue;
        return k.tagName === 'TEMPLATE' ? k.content.textContent : k.textContent;
      }
      return null;
    }

    _presenter() {
      const v = this.getAttribute('presenter');
      if (!yes(v)) return null;
      return { global: v.trim().toLowerCase() !== 'focus' };
    }

    options() {
      const o = { fallback: true };
      const sc = this.hasAttribute('scenario') ? this.getAttribute('scenario') : this._childText(false);
      if (sc !== null && sc.trim() !== '') o.scenario = dedent(sc);
      const ac = this.hasAttribute('actions') ? this.getAttribute('actions') : this._childText(true);
      if (ac !== null && ac.trim() !== '') o.actions = ac;
      if (this.hasAttribute('controls')) o.controls = !no(this.getAttribute('controls'));
      if (this.hasAttribute('large')) o.large = yes(this.getAttribute('large'));
      if (this.hasAttribute('play')) o.play = yes(this.getAttribute('play'));
      ['seed', 'nodes'].forEach((k) => {
        const v = (this.getAttribute(k) || '').trim();
        if (/^-?\d{1,15}$/.test(v)) o[k] = Number(v);
        else if (v !== '') console.warn('raft-cluster: ' + k + ' must be an integer, got', v);
      });
      const speed = (this.getAttribute('speed') || '').trim();
      if (/^\d*\.?\d+$/.test(speed)) o.speed = Number(speed);
      if (this.hasAttribute('caption')) o.title = this.getAttribute('caption');
      // The cluster's words: lang="ja" (one of raftlab's languages; else
      // English, and the cluster says why).
      const lang = (this.getAttribute('lang') || '').trim();
      if (lang !== '') o.lang = lang;
      return o;
    }

    _build(api) {
      this._destroy();
      const host = this._viewHost();
      const opts = this.options();
      let h;
      try {
        h = api.create(host, opts);
      } catch (e) {
        this._fail(e);
        return;
      }
      this._h = h;
      const p = this._presenter();
      const pr = g.raftlabPresenter;
      if (p && pr) pr.rewind(h);
      if (pr) this._detach = pr.attach(h, this, { global: !!(p && p.global), controls: opts.controls !== false });
      this.setAttribute('data-state', 'ready');
      this._settled = true;
      this._resolve(h);
      this.dispatchEvent(new CustomEvent('raftlab-ready', { detail: { cluster: h } }));
    }

    _fail(e) {
      const msg = e && e.message ? e.message : String(e);
      console.error('raft-cluster:', e);
      this.setAttribute('data-state', 'error');
      this._viewHost().textContent = 'The simulator could not start: ' + msg; // text, never HTML
      this._settled = true;
      this._reject(e instanceof Error ? e : new Error(msg));
    }

    _destroy() {
      if (this._detach) {
        this._detach();
        this._detach = null;
      }
      if (this._h) {
        const h = this._h;
        this._h = null;
        try { h.destroy(); } catch (e) { console.warn('raft-cluster: destroy:', e); }
      }
    }
  }

  // When the runtime dies, every element says so (the loader puts the
  // words over each cluster) and reports data-state="error".
  g.addEventListener('raftlab-dead', function () {
    document.querySelectorAll('raft-cluster').forEach(function (el) {
      el.setAttribute('data-state', 'error');
    });
  });

  g.customElements.define('raft-cluster', RaftCluster);
})(globalThis);
