// tutorial.js — the tutorial pages (tutorials/*.html): marks on the chapter
// list, and on a chapter page its live clusters, action buttons, goals,
// quizzes and saved progress. No inline script: the pages carry their data
// in data- attributes, and every text from them is set as text, never HTML.
//
// What it needs from the raftlab API (raftlab-loader.js, window.raftlabReady):
//   raftlab.create(element, {scenario: text}) -> cluster
//   cluster.do(actionsText)      runs actions ("timeout S2\ndeliver S2>S1");
//                                throws an Error whose message says why not
//   cluster.goals(goalsText)     -> [{text, met, broken?}], one per goal
//   cluster.on("change", fn)     fn() after every change of the cluster
//   cluster.link()               a URL of the playground showing this run
//   cluster.destroy()
//
// Progress is kept in localStorage under "raftlab.tutorials.v1":
//   {chapters: {<slug>: {done: bool, exercises: {<n>: true}, quiz: {<n>: choice}}}}
(function () {
  'use strict';

  var KEY = 'raftlab.tutorials.v1';

  function own(obj, key) {
    return obj && typeof obj === 'object' && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  }

  function load() {
    try {
      var p = JSON.parse(localStorage.getItem(KEY) || '{}');
      return p && typeof p === 'object' ? p : {};
    } catch (e) {
      return {};
    }
  }

  function save(p) {
    try {
      localStorage.setItem(KEY, JSON.stringify(p));
    } catch (e) {
      // Storage may be full or switched off: progress is then not kept.
    }
  }

  // chapterState returns the saved state of one chapter, creating it.
  function chapterState(p, slug) {
    if (!own(p, 'chapters') || typeof p.chapters !== 'object') p.chapters = {};
    var c = own(p.chapters, slug);
    if (!c || typeof c !== 'object') {
      c = {};
      p.chapters[slug] = c;
    }
    if (!own(c, 'exercises') || typeof c.exercises !== 'object') c.exercises = {};
    if (!own(c, 'quiz') || typeof c.quiz !== 'object') c.quiz = {};
    return c;
  }

  function update(slug, fn) {
    var p = load();
    fn(chapterState(p, slug));
    save(p);
  }

  // --- the chapter list ------------------------------------------------------
  function initIndex(root) {
    var chapters = own(load(), 'chapters');
    root.querySelectorAll('[data-slug]').forEach(function (item) {
      var c = own(chapters, item.dataset.slug);
      var mark = item.querySelector('[data-tut-done-mark]');
      if (c && c.done === true && mark) {
        mark.hidden = false;
        item.classList.add('is-done');
      }
    });
  }

  // --- a chapter -------------------------------------------------------------
  function siteRoot() {
    var s = document.querySelector('script[src$="raftlab-loader.js"]');
    return new URL('.', s ? s.src : document.baseURI);
  }

  function initChapter(article) {
    var slug = article.dataset.slug;
    var W = {
      met: article.dataset.wGoalMet || 'met',
      open: article.dataset.wGoalOpen || 'not met yet',
      broken: article.dataset.wGoalBroken || 'broken',
      failed: article.dataset.wActionFailed || 'Cannot run:',
      correct: article.dataset.wCorrect || 'Right.',
      incorrect: article.dataset.wIncorrect || 'Not quite.',
    };
    var chapterDone = article.querySelector('[data-tut-chapter-done]');
    var exercises = [];
    var byN = {};

    article.querySelectorAll('[data-tut-exercise]').forEach(function (section) {
      var n = section.dataset.tutExercise;
      var goals = article.querySelector('[data-tut-goals="' + n + '"]');
      var ex = {
        n: n,
        section: section,
        mount: section.querySelector('[data-tut-mount]'),
        message: section.querySelector('[data-tut-message]'),
        scenario: section.dataset.scenario || '',
        goalsText: section.dataset.goals || '',
        goalItems: goals ? Array.prototype.slice.call(goals.querySelectorAll('[data-goal]')) : [],
        doneNote: goals ? goals.querySelector('[data-tut-exercise-done]') : null,
        handle: null,
        done: false,
      };
      exercises.push(ex);
      byN[n] = ex;
      var play = section.querySelector('[data-tut-playground]');
      if (play) {
        play.addEventListener('click', function (ev) {
          if (!ex.handle || typeof ex.handle.link !== 'function') return; // the plain playground
          try {
            var url = new URL(String(ex.handle.link()), siteRoot());
            ev.preventDefault();
            location.href = url.href;
          } catch (e) {
            say(ex, W.failed + ' ' + (e && e.message ? e.message : String(e)));
          }
        });
      }
    });

    function say(ex, text) {
      if (ex.message) ex.message.textContent = text;
    }

    function buttons(ex, enabled) {
      article.querySelectorAll('button.tut-action[data-exercise="' + ex.n + '"]').forEach(function (b) {
        b.disabled = !enabled;
      });
    }

    function showSaved() {
      var c = own(own(load(), 'chapters'), slug);
      var exDone = c && own(c, 'exercises');
      exercises.forEach(function (ex) {
        if (ex.doneNote) ex.doneNote.hidden = !(ex.done || own(exDone, ex.n) === true);
      });
      if (chapterDone) chapterDone.hidden = !(c && c.done === true);
    }

    function refresh(ex) {
      // A simulator without goal checking leaves the goals unticked.
      if (!ex.handle || typeof ex.handle.goals !== 'function') return;
      var results;
      try {
        results = ex.handle.goals(ex.goalsText);
      } catch (e) {
        say(ex, W.failed + ' ' + (e && e.message ? e.message : String(e)));
        return;
      }
      var all = ex.goalItems.length > 0;
      ex.goalItems.forEach(function (item, i) {
        var r = results && results[i];
        var state = r && r.met ? 'met' : r && r.broken ? 'broken' : 'open';
        if (state !== 'met') all = false;
        item.dataset.state = state;
        var label = item.querySelector('[data-goal-state]');
        if (label) label.textContent = W[state];
      });
      if (all && !ex.done) {
        ex.done = true;
        update(slug, function (c) {
          c.exercises[ex.n] = true;
          c.done = exercises.every(function (e) { return e.done || c.exercises[e.n] === true; });
        });
      }
      showSaved();
    }

    function start(api, ex) {
      try {
        ex.handle = api.create(ex.mount, { scenario: ex.scenario });
      } catch (e) {
        say(ex, W.failed + ' ' + (e && e.message ? e.message : String(e)));
        return;
      }
      if (typeof ex.handle.on === 'function') {
        ex.handle.on('change', function () { refresh(ex); });
      }
      buttons(ex, true);
      refresh(ex);
    }

    function startAll() {
      var ready = window.raftlabReady;
      if (!ready || typeof ready.then !== 'function') return;
      ready.then(function (api) {
        exercises.forEach(function (ex) { start(api, ex); });
      }, function () {
        // The loader shows the error in each [data-raftlab-status].
      });
    }

    article.addEventListener('click', function (ev) {
      var b = ev.target && ev.target.closest ? ev.target.closest('button.tut-action') : null;
      if (!b || !article.contains(b)) return;
      var ex = own(byN, b.dataset.exercise);
      if (!ex || !ex.handle) return;
      try {
        ex.handle.do(b.dataset.action);
        say(ex, '');
      } catch (e) {
        say(ex, W.failed + ' ' + (e && e.message ? e.message : String(e)));
      }
      refresh(ex);
    });

    // Quizzes.
    var questions = [];
    article.querySelectorAll('[data-tut-question]').forEach(function (q) {
      var n = q.dataset.tutQuestion;
      var correct = Number(q.dataset.correct);
      var verdict = q.querySelector('[data-tut-verdict]');
      var explanation = q.querySelector('[data-tut-explanation]');
      var inputs = Array.prototype.slice.call(q.querySelectorAll('input[type=radio]'));
      function show(choice) {
        inputs.forEach(function (input, i) {
          var label = input.closest('label');
          if (!label) return;
          label.classList.toggle('is-right', i === correct);
          label.classList.toggle('is-wrong', i === choice && i !== correct);
        });
        if (verdict) verdict.textContent = choice === correct ? W.correct : W.incorrect;
        if (explanation) explanation.hidden = false;
      }
      function clear() {
        inputs.forEach(function (input) {
          input.checked = false;
          var label = input.closest('label');
          if (label) label.classList.remove('is-right', 'is-wrong');
        });
        if (verdict) verdict.textContent = '';
        if (explanation) explanation.hidden = true;
      }
      var answer = q.querySelector('[data-tut-answer]');
      if (answer) {
        answer.addEventListener('click', function () {
          var chosen = inputs.findIndex(function (input) { return input.checked; });
          if (chosen < 0) {
            if (inputs[0]) inputs[0].focus();
            return;
          }
          update(slug, function (c) { c.quiz[n] = chosen; });
          show(chosen);
        });
      }
      var saved = own(own(own(own(load(), 'chapters'), slug), 'quiz'), n);
      if (typeof saved === 'number' && inputs[saved]) {
        inputs[saved].checked = true;
        show(saved);
      }
      questions.push({ clear: clear });
    });

    var reset = article.querySelector('[data-tut-reset]');
    if (reset) {
      reset.addEventListener('click', function () {
        var p = load();
        var chapters = own(p, 'chapters');
        if (chapters && own(chapters, slug)) {
          delete chapters[slug];
          save(p);
        }
        exercises.forEach(function (ex) {
          if (ex.handle) {
            try { ex.handle.destroy(); } catch (e) { /* already gone */ }
          }
          ex.handle = null;
          ex.done = false;
          buttons(ex, false);
          say(ex, '');
          ex.goalItems.forEach(function (item) {
            item.dataset.state = 'open';
            var label = item.querySelector('[data-goal-state]');
            if (label) label.textContent = W.open;
          });
        });
        questions.forEach(function (q) { q.clear(); });
        showSaved();
        startAll();
      });
    }

    showSaved();
    startAll();
  }

  function init() {
    var index = document.querySelector('[data-tut-index]');
    if (index) initIndex(index);
    var chapter = document.querySelector('[data-tut-chapter]');
    if (chapter) initChapter(chapter);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init, { once: true });
  } else {
    init();
  }
})();
