// deck.js — the example lecture: reveal.js slides with <raft-cluster> elements.
//
// While a cluster has the focus its keys win (raft-cluster.js stops them,
// and keyboardCondition below keeps reveal.js out of every other key);
// Escape gives the focus back to the slides.
(function () {
  'use strict';
  function inCluster(el) {
    return !!(el && el.closest && el.closest('raft-cluster'));
  }

  Reveal.initialize({
    hash: true,
    width: 1280,
    height: 800,
    transition: 'fade',
    keyboardCondition: function (event) {
      return !inCluster(event.target) && !inCluster(document.activeElement);
    },
  });

  // Escape in a cluster: presenter.js takes the focus away from it (back to
  // the page, so the slides' keys work again).

  // Leaving a slide pauses its clusters (a playing cluster is a busy page).
  Reveal.on('slidechanged', function (ev) {
    if (!ev.previousSlide) return;
    ev.previousSlide.querySelectorAll('raft-cluster').forEach(function (el) {
      const h = el.cluster;
      if (h && h.playing()) h.pause();
      if (el.contains(document.activeElement)) document.activeElement.blur();
    });
  });
})();
