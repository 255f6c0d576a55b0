// raftlab-reveal.js — the reveal.js plugin for decks with live raftlab
// clusters. A deck needs this one script and one line of configuration:
//
//   <script src="https://YOUR-SITE/raftlab-reveal.js"></script>
//   Reveal.initialize({plugins: [RaftlabReveal]});
//
// It loads raft-cluster.js (so <raft-cluster> elements work) from its own
// folder, and:
//   - The keys drive the current slide's cluster only: on a slide with a
//     <raft-cluster presenter> (the first one of the slide), → and
//     PageDown step through its recorded actions, to each "mark:" of its
//     scenario; after the last one they go on to the next slide. ← and
//     PageUp step back, and before the first step go to the previous
//     slide. Space plays or pauses the cluster, L makes it large. On other
//     slides the keys are reveal.js's own. A cluster with the focus keeps
//     its own keys (Escape gives them back).
//   - Leaving a slide pauses its clusters and takes the focus out of them.
//   - Each cluster drawn asks reveal.js to lay the slides out again, so a
//     cluster on the first slide sits right from the start.
(function (g) {
  'use strict';
  const script = document.currentScript;
  const base = script && script.src ? script.src : document.baseURI;

  function loadClusters() {
    if (g.customElements && g.customElements.get('raft-cluster')) return;
    const url = new URL('raft-cluster.js', base).href;
    if (Array.from(document.scripts).some(function (s) { return s.src === url; })) return;
    const s = document.createElement('script');
    s.src = url;
    document.head.appendChild(s);
  }
  loadClusters();

  // The words of reveal.js's key help, by language: the site build writes
  // them here from the words tables (page.reveal.* of
  // raft/words/<lang>.txt); unbuilt, English. The deck's <html lang> picks.
  const WORDS = /*raftlab:words*/{"en": {"forward": "Next step of the slide's cluster, then the next slide", "back": "Step back in the slide's cluster, then the previous slide", "play": "Play or pause the slide's cluster", "large": "Enlarge the slide's cluster, or make it normal again"}}/*end*/;
  function say(key) {
    const lang = (document.documentElement.lang || 'en').trim().toLowerCase();
    const w = Object.prototype.hasOwnProperty.call(WORDS, lang) ? WORDS[lang] : WORDS.en;
    return String(w[key] || WORDS.en[key]);
  }

  // The cluster a slide's keys drive: the first <raft-cluster presenter>
  // of the slide whose cluster is ready.
  function clusterOf(slide) {
    if (!slide) return null;
    const el = Array.from(slide.querySelectorAll('raft-cluster[presenter]')).find(function (e) {
      return e.cluster && e.getAttribute('presenter').trim().toLowerCase() !== 'false';
    });
    return el ? { el: el, h: el.cluster } : null;
  }

  const Plugin = {
    id: 'raftlab',
    init: function (deck) {
      const presenter = function () { return g.raftlabPresenter; };
      const current = function () { return clusterOf(deck.getCurrentSlide()); };
      // Until raft-cluster.js (and presenter.js) have loaded, the keys
      // are reveal.js's own.
      const ready = function () {
        const p = presenter();
        if (p) p.deck(true);
        return p;
      };

      function forward() {
        const c = current();
        const p = ready();
        if (c && p && !p.atEnd(c.h)) p.forward(c.h);
        else deck.next();
      }
      function back() {
        const c = current();
        const p = ready();
        if (c && p && !p.atStart(c.h)) p.back(c.h);
        else deck.prev();
      }
      function play() {
        const c = current();
        const p = ready();
        if (c && p) p.togglePlay(c.h);
        else deck.next();
      }
      function large() {
        const c = current();
        const p = ready();
        if (c && p) {
          p.toggleLarge(c.el);
          deck.layout();
        }
      }
      deck.addKeyBinding({ keyCode: 39, key: 'ArrowRight', description: say('forward') }, forward);
      deck.addKeyBinding({ keyCode: 34, key: 'PageDown', description: say('forward') }, forward);
      deck.addKeyBinding({ keyCode: 37, key: 'ArrowLeft', description: say('back') }, back);
      deck.addKeyBinding({ keyCode: 33, key: 'PageUp', description: say('back') }, back);
      deck.addKeyBinding({ keyCode: 32, key: 'Space', description: say('play') }, play);
      deck.addKeyBinding({ keyCode: 76, key: 'L', description: say('large') }, large);

      // A cluster that takes the focus keeps its own keys (presenter.js
      // stops them at the element); reveal.js must not act on them too.
      const prior = deck.getConfig().keyboardCondition;
      deck.configure({
        keyboardCondition: function (ev) {
          const t = document.activeElement;
          if (t && t.closest && t.closest('raft-cluster')) return false;
          return typeof prior === 'function' ? prior(ev) : true;
        },
      });

      deck.on('slidechanged', function (ev) {
        const prev = ev.previousSlide;
        if (!prev) return;
        prev.querySelectorAll('raft-cluster').forEach(function (el) {
          const h = el.cluster;
          try {
            if (h && h.playing()) h.pause();
          } catch (e) { /* destroyed */ }
          if (el.contains(document.activeElement)) document.activeElement.blur();
        });
      });
      // A cluster drawn (or drawn again) changes its slide's height; and
      // once one is drawn, presenter.js has loaded: the keys are ours.
      document.addEventListener('raftlab-ready', function () {
        ready();
        deck.layout();
      }, true);
    },
  };
  g.RaftlabReveal = Plugin;
})(globalThis);
