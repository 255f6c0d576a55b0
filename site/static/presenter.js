// presenter.js — keys for lecturers driving a raftlab cluster.
//
//   Space            play / pause
//   → or PageDown    one step: the next event; when the run was recorded
//                    (a lecture's actions), the next recorded action or, if
//                    the scenario has "mark:" lines, the next mark
//   ← or PageUp      one step back, or back to the previous mark
//   L                large text (the class raftlab-large, see presenter.css)
//   Escape           (inside a cluster) give the focus back to the page
//
// Presenter remotes send PageUp/PageDown. Marks ("mark: 3, 7" in the
// scenario) are action counts; a lecture's actions are replayed when the
// cluster is made, then presenter mode goes back to the start (seek(0)),
// keeping the recorded future that the arrows then step through.
//
// On embed.html (any page with [data-raftlab-mount] elements that loads this
// file with its own <script> tag) the keys work for the whole page (iframe)
// once the clusters are mounted; ?presenter=1 in the page address also
// rewinds the cluster to the start of its actions. raft-cluster.js loads this
// file itself, as a library (data-raftlab-lib), for <raft-cluster> elements.
//
// In a reveal.js deck, raftlab-reveal.js (the plugin) takes the page-wide
// keys instead (deck(true)): it steps the current slide's cluster and
// moves on to the next slide after its last mark.
//
// window.raftlabPresenter = {marks(h), forward(h), back(h), togglePlay(h),
//   rewind(h), atEnd(h), atStart(h), shown(el), deck(on),
//   attach(handle, element, {global}) -> detach()}
(function (g) {
  'use strict';
  if (g.raftlabPresenter) return;
  const script = document.currentScript;
  const base = script && script.src ? script.src : document.baseURI;

  // marks(h) lists the handle's pause marks: sorted action counts above 0,
  // as the simulator's scenario parser read them (handle.marks()).
  const markCache = new WeakMap();
  function marks(h) {
    if (markCache.has(h)) return markCache.get(h);
    let list = [];
    try {
      list = Array.from(h.marks() || []);
    } catch (e) {
      console.warn('raftlab presenter: cannot read the marks:', e);
    }
    list = list.filter(function (n) { return Number.isInteger(n) && n > 0; });
    list = Array.from(new Set(list)).sort(function (a, b) { return a - b; });
    markCache.set(h, list);
    return list;
  }

  function pause(h) {
    if (h.playing()) h.pause();
  }

  // attempt runs fn; a step that cannot be taken (nothing left to happen)
  // is no error for a lecturer pressing a key.
  function attempt(fn) {
    try {
      fn();
      return true;
    } catch (e) {
      console.info('raftlab presenter:', e && e.message ? e.message : e);
      return false;
    }
  }

  function forward(h) {
    return attempt(function () {
      pause(h);
      const st = h.state();
      const ms = marks(h);
      if (st.position < st.recorded) {
        if (ms.length === 0) {
          h.redo();
          return;
        }
        const next = ms.find(function (m) { return m > st.position; });
        h.seek(next === undefined ? st.recorded : Math.min(next, st.recorded));
        return;
      }
      h.next();
    });
  }

  function back(h) {
    return attempt(function () {
      pause(h);
      const pos = h.state().position;
      const ms = marks(h);
      if (ms.length === 0) {
        h.undo();
        return;
      }
      let prev = 0;
      ms.forEach(function (m) { if (m < pos) prev = m; });
      if (prev !== pos) h.seek(prev);
    });
  }

  // atEnd reports whether forward(h) has nothing recorded left to step
  // through (it would run the next event); atStart whether back(h) has
  // nothing to go back to.
  function atEnd(h) {
    try {
      const st = h.state();
      return st.position >= st.recorded;
    } catch (e) {
      return true;
    }
  }
  function atStart(h) {
    try {
      return h.state().position === 0;
    } catch (e) {
      return true;
    }
  }

  function togglePlay(h) {
    return attempt(function () {
      if (h.playing()) h.pause();
      else h.play();
    });
  }

  // rewind goes back to the start of a replayed lecture script, keeping it
  // recorded for forward().
  function rewind(h) {
    return attempt(function () {
      pause(h);
      if (h.state().position > 0) h.seek(0);
    });
  }

  function toggleLarge(el) {
    el.classList.toggle('raftlab-large');
  }

  // keyAction names what a key does, or '' for none of ours.
  function keyAction(ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.isComposing) return '';
    switch (ev.key) {
      case ' ': case 'Spacebar': return 'play';
      case 'ArrowRight': case 'PageDown': return 'forward';
      case 'ArrowLeft': case 'PageUp': return 'back';
      case 'l': case 'L': return 'large';
      case 'Escape': case 'Esc': return 'escape';
    }
    return '';
  }

  function typing(t) {
    if (!t || t.nodeType !== 1) return false;
    return t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName);
  }

  // ownActivation: Space and Enter on a button, link, server or message
  // inside the cluster do what that element does.
  // (A view without controls opens no server or message: there Space plays.)
  function ownActivation(ev, el, controls) {
    if (ev.key !== ' ' && ev.key !== 'Enter') return false;
    const t = ev.target;
    const own = controls ? 'button, a[href], summary, [data-node], [data-msg-id]' : 'button, a[href], summary';
    return t !== el && !!t.closest && !!t.closest(own);
  }

  function perform(action, h, el) {
    switch (action) {
      case 'play': togglePlay(h); break;
      case 'forward': forward(h); break;
      case 'back': back(h); break;
      case 'large': toggleLarge(el); break;
    }
  }

  // Page-wide presenters: the first attached one that is on screen takes
  // the keys pressed while nothing has the focus.
  const globals = [];
  let deckMode = false;
  // shown reports whether el is on screen: connected, rendered, visible,
  // and not inside what a slide deck hides (reveal.js marks the slides
  // that are not current inert and aria-hidden, and keeps them rendered).
  function shown(el) {
    if (!el.isConnected) return false;
    if (el.closest('[inert], [aria-hidden="true"], [hidden]')) return false;
    if (typeof el.checkVisibility === 'function') {
      return el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
    }
    return el.getClientRects().length > 0;
  }
  function nothingFocused(t) {
    return t === document || t === document.body || t === document.documentElement || t == null;
  }
  window.addEventListener('keydown', function (ev) {
    if (deckMode || ev.defaultPrevented || !nothingFocused(ev.target)) return;
    const action = keyAction(ev);
    if (!action || action === 'escape') return;
    const p = globals.find(function (x) { return shown(x.el); });
    if (!p) return;
    ev.preventDefault();
    ev.stopPropagation(); // before the view's and a slide deck's own keys
    perform(action, p.h, p.el);
  }, true);

  // attach makes el (the cluster's container) take the presenter keys for
  // handle h while the focus is inside it, and with {global: true} also
  // while nothing has the focus; {controls: false} says the view has no
  // controls. It returns a function that detaches.
  function attach(h, el, opts) {
    opts = opts || {};
    function onKey(ev) {
      if (ev.defaultPrevented || typing(ev.target)) return;
      const action = keyAction(ev);
      if (!action || ownActivation(ev, el, opts.controls !== false)) return;
      if (action === 'escape') {
        // The view closes its own things first (help, a selection) and
        // then prevents the default; otherwise the focus leaves.
        setTimeout(function () {
          if (ev.defaultPrevented || !el.contains(document.activeElement)) return;
          document.activeElement.blur();
          el.dispatchEvent(new CustomEvent('raftlab-release', { bubbles: true }));
        }, 0);
        return;
      }
      ev.preventDefault();
      ev.stopPropagation(); // the cluster's keys win over the page's
      perform(action, h, el);
    }
    el.addEventListener('keydown', onKey);
    const entry = { h: h, el: el };
    if (opts.global) globals.push(entry);
    return function detach() {
      el.removeEventListener('keydown', onKey);
      const i = globals.indexOf(entry);
      if (i >= 0) globals.splice(i, 1);
    };
  }

  // ensureCSS links presenter.css (next to this file) once.
  function ensureCSS() {
    const href = new URL('presenter.css', base).href;
    const have = Array.from(document.querySelectorAll('link[rel="stylesheet"]'))
      .some(function (l) { return l.href === href; });
    if (have) return;
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    document.head.appendChild(link);
  }
  ensureCSS();

  g.raftlabPresenter = Object.freeze({
    marks: marks, forward: forward, back: back, togglePlay: togglePlay, rewind: rewind,
    toggleLarge: toggleLarge, keyAction: keyAction, attach: attach, atEnd: atEnd, atStart: atStart,
    shown: shown, deck: function (on) { deckMode = !!on; },
  });

  // --- embed.html: the page's own clusters ----------------------------------
  // (after the deferred loader has run: load this file with defer, or later)
  function attachMounted() {
    if (!g.raftlabLoader) {
      console.warn('raftlab presenter: raftlab-loader.js is not on this page');
      return;
    }
    const p = new URLSearchParams(location.search).get('presenter');
    const rewindFirst = p !== null && /^(1|true|yes|)$/.test(p);
    g.raftlabLoader.mounted.then(function (handles) {
      const mounts = document.querySelectorAll('[data-raftlab-mount]');
      handles.forEach(function (h, i) {
        const el = mounts[i] || (h.element && h.element.parentElement);
        if (!el) return;
        if (rewindFirst) rewind(h);
        attach(h, el, { global: true, controls: g.raftlabLoader.mountOptions(location.search).controls !== false });
      });
    }, function () { /* the loader reports it */ });
  }
  if (script && !script.hasAttribute('data-raftlab-lib')) {
    if (g.raftlabLoader || document.readyState !== 'loading') attachMounted();
    else document.addEventListener('DOMContentLoaded', attachMounted, { once: true });
  }
})(globalThis);
