// raftlab-search-worker.js — runs raftlab.search in a Web Worker, so that a
// page searching for a counterexample never freezes. The module is the
// page's own raftlab.wasm; this file, raftlab-loader.js and wasm_exec.js
// sit next to it.
//
// Messages from the page:
//   {type: 'start', id, options}   options as raftlab.search takes them
//                                  ({unsafe, seed, nodes, maxSchedules, ...})
//   {type: 'stop'}                 stop the search; the best run so far
//                                  comes back with 'stopped'
// Messages to the page:
//   {type: 'progress', id, progress, elapsed, searchMs}
//   {type: 'done' | 'stopped', id, progress, result, elapsed, searchMs}
//   {type: 'error', id, message}
// progress and result are what the search handle's progress() and
// result() give; elapsed is the wall time since the start and searchMs
// the part of it spent searching (the rest: shrinking, explaining), in
// milliseconds. The worker runs the search in slices of about SLICE_MS
// and yields between them, so a 'stop' is read within a slice.
/* global Go */
'use strict';
importScripts('raftlab-loader.js', 'wasm_exec.js');

var SLICE_MS = 40;
var MAX_UNITS = 10000;

var apiReady = (async function () {
  var go = new Go();
  var url = new URL('raftlab.wasm', self.location.href);
  var resp = await fetch(url);
  if (!resp.ok) throw new Error('could not load ' + url.pathname + ' (HTTP ' + resp.status + ')');
  var result;
  try {
    result = await WebAssembly.instantiateStreaming(resp.clone(), go.importObject);
  } catch (e) {
    result = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
  }
  go.run(result.instance);
  return self.raftlabReady;
})();

var current = null;

self.onmessage = function (e) {
  var m = e.data || {};
  if (m.type === 'start') {
    if (current) current.stopped = true;
    var job = { id: m.id, stopped: false };
    current = job;
    apiReady.then(function (api) { return run(api, job, m.options || {}); }).catch(function (err) {
      self.postMessage({ type: 'error', id: job.id, message: String(err && err.message ? err.message : err) });
    });
  } else if (m.type === 'stop' && current) {
    current.stopped = true;
  }
};

function yieldNow() {
  return new Promise(function (resolve) { setTimeout(resolve, 0); });
}

async function run(api, job, options) {
  await yieldNow(); // a 'stop' sent with the 'start' is read first
  if (job.stopped) return;
  var h = api.search(options);
  var t0 = performance.now();
  var searchMs = -1;
  var units = 1;
  var p = h.progress();
  try {
    for (;;) {
      var s = performance.now();
      p = h.run(units);
      var now = performance.now();
      if (searchMs < 0 && p.phase !== 'searching') searchMs = now - t0;
      // About SLICE_MS of work a slice, whatever a unit costs.
      units = Math.max(1, Math.min(MAX_UNITS, Math.round(units * SLICE_MS / Math.max(now - s, 0.25))));
      var searched = searchMs < 0 ? now - t0 : searchMs;
      if (p.done || job.stopped) {
        self.postMessage({ type: p.done ? 'done' : 'stopped', id: job.id, progress: p, result: h.result(),
          elapsed: now - t0, searchMs: searched });
        return;
      }
      self.postMessage({ type: 'progress', id: job.id, progress: p, elapsed: now - t0, searchMs: searched });
      await yieldNow();
    }
  } finally {
    h.destroy();
    if (current === job) current = null;
  }
}
