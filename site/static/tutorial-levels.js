// tutorial-levels.js — on a tutorial page, the in-page search (a chapter's
// search blocks) and the adversary levels (a level's hints, its shortest
// known solution once won, and its twin with the rule back on). No inline
// script: the page's words and settings are in data- attributes, and every
// text is set as text, never HTML.
//
// The search runs in a Web Worker (raftlab-search-worker.js, next to the
// loader), so the page never freezes: progress comes as messages (rates
// from the worker's clock), Stop asks the worker to stop and hand back the
// best run so far, and the run found opens in a cluster of its own made
// with raftlab.create(el, {scenario, actions, explain: true}): the
// counterexample in the normal view, the point of no return marked on its
// history and the switched-off rule cited where it was used.
//
// A level's exercise is tutorial.js's: this script reads its cluster
// (section.raftlabCluster, after the 'tut-cluster' event) and hears when
// its goals are met ('tut-exercise-done').
(function () {
  'use strict';

  function siteRoot() {
    var s = document.querySelector('script[src$="raftlab-loader.js"]');
    return new URL('.', s ? s.src : document.baseURI);
  }

  // fill puts values into a words template: "{n} steps".
  function fill(template, values) {
    return String(template || '').replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : m;
    });
  }

  // lang is the page's language: the search's texts and the clusters shown
  // speak it, as the chapter's own clusters do.
  function lang() { return document.documentElement.lang || 'en'; }

  function seconds(ms) { return (ms / 1000).toFixed(ms < 10000 ? 2 : 1); }
  function rate(n, ms) { return ms > 0 ? Math.round(n * 1000 / ms).toLocaleString('en') : '0'; }

  // --- the search ------------------------------------------------------------
  function initSearch(section) {
    var W = section.dataset;
    var form = section.querySelector('[data-tut-search-form]');
    var start = section.querySelector('[data-tut-search-start]');
    var stop = section.querySelector('[data-tut-search-stop]');
    var progress = section.querySelector('[data-tut-search-progress]');
    var result = section.querySelector('[data-tut-search-result]');
    var summary = section.querySelector('[data-tut-search-summary]');
    var proof = section.querySelector('[data-tut-search-proof]');
    var open = section.querySelector('[data-tut-search-open]');
    var mount = section.querySelector('[data-tut-search-mount]');
    // The playground of the page's language (the template's link).
    var playground = new URL(open.getAttribute('href') || 'playground.html', document.baseURI);
    var worker = null;
    var jobs = 0;
    var cluster = null;

    function running(on) {
      start.disabled = on;
      stop.disabled = !on;
      section.dataset.state = on ? 'running' : 'idle';
    }

    function end() {
      if (worker) worker.terminate();
      worker = null;
      running(false);
    }

    function failed(message) {
      end();
      progress.textContent = fill(W.wFailed, { why: message });
    }

    function progressText(m) {
      var p = m.progress;
      if (p.phase === 'searching') {
        return fill(W.wSearching, { schedules: p.schedules.toLocaleString('en'), perSecond: rate(p.schedules, m.searchMs),
          steps: p.steps.toLocaleString('en'), stepsPerSecond: rate(p.steps, m.searchMs), time: seconds(m.elapsed) });
      }
      if (p.phase === 'shrinking' && p.shrink) {
        return fill(W.wShrinking, { schedules: p.schedules.toLocaleString('en'), before: p.shrink.before,
          after: p.shrink.after, replays: p.shrink.replays });
      }
      return W.wExplaining;
    }

    function show(m) {
      var r = m.result;
      var p = m.progress;
      if (!r) {
        progress.textContent = m.type === 'stopped' ? W.wStopped :
          fill(W.wNotFound, { schedules: p.schedules.toLocaleString('en'), time: seconds(m.elapsed) });
        return;
      }
      progress.textContent = m.type === 'stopped' ? W.wStopped : '';
      summary.textContent = fill(W.wFound, { property: r.propertyName, schedules: r.schedules.toLocaleString('en'),
        steps: r.steps.toLocaleString('en'), time: seconds(m.searchMs), before: r.shrink.before, after: r.shrink.after });
      proof.textContent = r.shrink.proved ? fill(W.wProved, { states: r.shrink.states }) :
        fill(W.wNotProved, { depth: r.shrink.depth, states: r.shrink.states });
      var q = new URLSearchParams();
      q.set('scenario', r.scenario);
      q.set('a', r.actions);
      q.set('explain', '1');
      open.href = new URL('?' + q.toString(), playground).href;
      result.hidden = false;
      section.dataset.found = r.property;
      window.raftlabReady.then(function (api) {
        if (cluster) cluster.destroy();
        cluster = api.create(mount, { scenario: r.scenario, actions: r.actions, explain: true, lang: lang() });
        section.raftlabCluster = cluster;
        section.dispatchEvent(new CustomEvent('tut-search-shown', { bubbles: true }));
      });
    }

    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      end();
      var id = ++jobs;
      result.hidden = true;
      delete section.dataset.found;
      var options = { unsafe: form.elements.unsafe.value, seed: Math.trunc(Number(form.elements.seed.value)) || 1, lang: lang() };
      var nodes = Number(form.elements.nodes.value);
      if (nodes > 0) options.nodes = nodes;
      try {
        worker = new Worker(new URL('raftlab-search-worker.js', siteRoot()));
      } catch (e) {
        failed(e && e.message ? e.message : String(e));
        return;
      }
      worker.onmessage = function (e) {
        var m = e.data || {};
        if (m.id !== id) return;
        if (m.type === 'progress') {
          progress.textContent = progressText(m);
        } else if (m.type === 'done' || m.type === 'stopped') {
          end();
          show(m);
        } else if (m.type === 'error') {
          failed(m.message);
        }
      };
      worker.onerror = function (e) { failed(e && e.message ? e.message : 'the worker stopped'); };
      worker.postMessage({ type: 'start', id: id, options: options });
      running(true);
    });
    stop.addEventListener('click', function () {
      if (worker) worker.postMessage({ type: 'stop' });
    });
  }

  // --- a level ---------------------------------------------------------------
  function initLevel(box) {
    var W = box.dataset;
    var section = document.getElementById('exercise-' + box.dataset.tutLevel);
    var hints = Array.prototype.slice.call(box.querySelectorAll('[data-tut-hint]'));
    var next = box.querySelector('[data-tut-hint-next]');
    var shortest = box.querySelector('[data-tut-shortest]');
    var shortestText = box.querySelector('[data-tut-shortest-text]');
    var twin = box.querySelector('[data-tut-twin]');
    var verdict = box.querySelector('[data-tut-twin-verdict]');
    var twinMount = box.querySelector('[data-tut-twin-mount]');
    var twinCluster = null;

    // Graded hints: one more at each press, coarse to fine.
    next.addEventListener('click', function () {
      var h = hints.find(function (li) { return li.hidden; });
      if (h) h.hidden = false;
      next.disabled = !hints.some(function (li) { return li.hidden; });
    });
    next.disabled = hints.length === 0;

    function steps(run) {
      return run && run.actions ? run.actions.split(';').filter(Boolean).length : 0;
    }

    if (!section) return;
    section.addEventListener('tut-cluster', function () { twin.disabled = false; });
    if (section.raftlabCluster) twin.disabled = false;
    section.addEventListener('tut-exercise-done', function () {
      var c = section.raftlabCluster;
      shortestText.textContent = fill(W.wShortest, { n: W.shortestLength, yours: c ? steps(c.run()) : '?' });
      shortest.hidden = false;
    });

    // The twin: the learner's steps again, every rule on.
    twin.addEventListener('click', function () {
      var c = section.raftlabCluster;
      if (!c) return;
      window.raftlabReady.then(function (api) {
        var run = c.run();
        if (twinCluster) twinCluster.destroy();
        twinCluster = api.create(twinMount, { scenario: run.scenario, actions: run.actions, safe: true, lang: lang() });
        var st = twinCluster.state();
        var n = steps(run);
        verdict.textContent = st.violations.length === 0 ?
          fill(W.wTwinSafe, { n: n, skipped: n - st.position }) : W.wTwinBroke;
        box.dataset.twin = st.violations.length === 0 ? 'safe' : 'broke';
      });
    });
  }

  function init() {
    document.querySelectorAll('[data-tut-search]').forEach(initSearch);
    document.querySelectorAll('[data-tut-level]').forEach(initLevel);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
