// lang.js — every page: the language switch, and the landing page's
// language. No inline script; nothing from an address reaches the page as
// HTML.
//
// The switch (a[data-lang-switch] in the header, one link per language, to
// the same page in that language) remembers the reader's choice in
// localStorage ("raftlab.lang") and keeps the reader where they were: the
// same section (the address's #fragment), and on the playground the same
// run (the cluster's link(): its scenario and actions). A chapter carries
// its exercises' runs itself (tutorial.js); progress is kept by chapter,
// the same in every language.
//
// The English landing page (index.html) takes a reader to the same page in
// another language of the site when that is their choice: the one they
// made with the switch, or else, once only, the first language of their
// browser's that the site has (before English). Without storage nothing is
// remembered, so nothing is redirected: the reader is never sent
// somewhere again and again, and the switch always leads back.
(function () {
  'use strict';

  var CHOICE = 'raftlab.lang';
  var OFFERED = 'raftlab.lang.offered';

  function get(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }
  function set(key, value) {
    try { localStorage.setItem(key, value); return true; } catch (e) { return false; }
  }

  document.addEventListener('click', function (ev) {
    var a = ev.target && ev.target.closest ? ev.target.closest('a[data-lang-switch]') : null;
    if (!a) return;
    set(CHOICE, a.getAttribute('hreflang') || '');
    var to;
    try { to = new URL(a.href); } catch (e) { return; }
    to.hash = location.hash;
    // The playground's run: its cluster's link() holds the scenario and
    // the actions (without the cluster's language: the page gives it).
    var loader = window.raftlabLoader;
    var h = loader && loader.handles && loader.handles[0];
    if (document.body.classList.contains('page-playground') && h && typeof h.link === 'function') {
      try {
        var run = new URL(String(h.link()), location.href);
        run.searchParams.delete('lang');
        to.search = run.search;
      } catch (e) {
        // A run that cannot be written out (too long): the plain page.
      }
    }
    a.href = to.href;
  });

  // The landing page's language.
  var html = document.documentElement;
  if ((html.lang || 'en') !== 'en' || !document.body.classList.contains('page-index')) return;
  var alternates = {};
  document.querySelectorAll('link[rel="alternate"][hreflang]').forEach(function (l) {
    alternates[l.getAttribute('hreflang')] = l.href;
  });
  var choice = get(CHOICE);
  var target = '';
  if (choice) {
    target = choice !== 'en' && alternates[choice] ? alternates[choice] : '';
  } else if (get(OFFERED) === null && set(OFFERED, '1')) {
    var prefs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ''];
    for (var i = 0; i < prefs.length; i++) {
      var code = String(prefs[i]).toLowerCase().split('-')[0];
      if (code === 'en') break;
      if (alternates[code]) { target = alternates[code]; break; }
    }
  }
  if (target && target !== location.href) location.replace(target);
})();
