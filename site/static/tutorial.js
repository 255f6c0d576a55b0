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
// Where the learner looks: an action link's result or refusal (in the
// learner's words, without the API's function name) is shown right after
// the link, and a link that ran is marked done (until the cluster steps
// back before it); on a narrow screen the cluster then scrolls into view,
// and the focus goes to the cluster so that its keys work. An exercise's
// solution is offered as a hint (its steps, and "reset and play them").
// A quiz question counts once answered right; a wrong answer is marked
// wrong without showing the right one, and "Show the answer" reveals it.
// A chapter is complete when every exercise's goals are met and every
// question is answered right.
//
// Progress is kept in localStorage under "raftlab.tutorials.v1":
//   {chapters: {<slug>: {done: bool, exercises: {<n>: true}, quiz: {<n>: choice}}}}
// (quiz holds the last choice checked; it counts when it is the right one).
// A chapter's slug and its exercises' and questions' numbers are the same in
// every language, so progress made in one counts in the others.
//
// The language switch (a[data-lang-switch], see lang.js) leads to the same
// chapter in another language; the runs of its clusters go with it, in
// sessionStorage under "raftlab.tutorials.carry":
//   {slug, exercises: {<n>: {actions: run().actions, done: [[step, position]]}}}
// The chapter that opens next takes them (once), replays each exercise's
// actions and marks the steps that were done.
(function () {
  'use strict';

  var KEY = 'raftlab.tutorials.v1';
  var CARRY = 'raftlab.tutorials.carry';

  // takeCarried returns the runs carried to the chapter slug, and forgets
  // them.
  function takeCarried(slug) {
    var c = null;
    try {
      c = JSON.parse(sessionStorage.getItem(CARRY) || 'null');
      sessionStorage.removeItem(CARRY);
    } catch (e) {
      return null;
    }
    return c && typeof c === 'object' && c.slug === slug ? own(c, 'exercises') : null;
  }

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
    var carried = takeCarried(slug);
    var W = {
      met: article.dataset.wGoalMet || 'met',
      open: article.dataset.wGoalOpen || 'not met yet',
      broken: article.dataset.wGoalBroken || 'broken',
      failed: article.dataset.wActionFailed || 'Cannot run: {why}',
      correct: article.dataset.wCorrect || 'Right.',
      incorrect: article.dataset.wIncorrect || 'Not quite.',
      tryAgain: article.dataset.wTryAgain || 'Not quite — try another answer.',
      stepDone: article.dataset.wStepDone || 'done',
    };
    var quizLeft = article.querySelector('[data-tut-quiz-left]');
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
            say(ex, failedWith(e && e.message ? e.message : String(e)));
          }
        });
      }
    });

    // failedWith says why something cannot run, in the chapter's words
    // ("That step cannot run now: {why}"); why is put in as text.
    function failedWith(why) {
      if (W.failed.indexOf('{why}') < 0) return W.failed + ' ' + why;
      return W.failed.replace('{why}', function () { return why; });
    }

    function say(ex, text) {
      if (ex.message) ex.message.textContent = text;
    }

    // learnerWords is why a step cannot run: the cluster's own words for a
    // refusal (e.said), or else the Error's message without the API's
    // function name ("cluster.do: ") or the action's position in a
    // one-action text.
    function learnerWords(e) {
      if (e && typeof e.said === 'string' && e.said) return e.said; // in the chapter's language
      var m = String(e && e.message ? e.message : e);
      return m.replace(/^(raftlab|cluster)\.\w+: /, '').replace(/^action 1 \([^)]*\): /, '');
    }

    var STEP = 'button.tut-action, button.tut-hint-step, button.tut-hint-play';

    function buttons(ex, enabled) {
      article.querySelectorAll(STEP).forEach(function (b) {
        if (b.dataset.exercise === ex.n) b.disabled = !enabled;
      });
    }

    // tell shows text right after the step button b (replacing what the
    // last step said); tone is "error", "done" or "".
    var told = null;
    function tell(b, text, tone) {
      if (told && told.parentNode) told.parentNode.removeChild(told);
      told = null;
      if (!text) return;
      told = document.createElement('span');
      told.className = 'tut-said';
      told.setAttribute('role', 'status');
      if (tone) told.dataset.tone = tone;
      told.textContent = text; // text only
      b.insertAdjacentElement('afterend', told);
    }

    // marks shows which steps are done: those whose action ran and that the
    // cluster has not stepped back before since.
    function marks(ex) {
      var pos = -1;
      try { pos = ex.handle ? ex.handle.state().position : -1; } catch (e) { pos = -1; }
      article.querySelectorAll('button.tut-action, button.tut-hint-step').forEach(function (b) {
        if (b.dataset.exercise !== ex.n) return;
        var done = b.dataset.doneAt !== undefined && pos >= Number(b.dataset.doneAt);
        if (!done) delete b.dataset.doneAt;
        b.classList.toggle('is-done', done);
        var sr = b.querySelector('.tut-sr');
        if (done && !sr) {
          sr = document.createElement('span');
          sr.className = 'tut-sr';
          sr.textContent = ' (' + W.stepDone + ')';
          b.appendChild(sr);
        } else if (!done && sr) {
          b.removeChild(sr);
        }
      });
    }

    function quizDone(c) {
      return questions.every(function (q) { return own(own(c, 'quiz'), q.n) === q.correct; });
    }

    function chapterComplete(c) {
      return exercises.every(function (e) { return e.done || own(own(c, 'exercises'), e.n) === true; }) && quizDone(c);
    }

    function showSaved() {
      var c = own(own(load(), 'chapters'), slug);
      var exDone = c && own(c, 'exercises');
      var allGoals = exercises.length > 0;
      exercises.forEach(function (ex) {
        var done = ex.done || own(exDone, ex.n) === true;
        if (!done) allGoals = false;
        if (ex.doneNote) ex.doneNote.hidden = !done;
      });
      var complete = !!(c && c.done === true);
      if (chapterDone) chapterDone.hidden = !complete;
      if (quizLeft) quizLeft.hidden = complete || !allGoals || questions.length === 0;
    }

    function saveDone() {
      update(slug, function (c) { c.done = chapterComplete(c); });
    }

    function refresh(ex) {
      // A simulator without goal checking leaves the goals unticked.
      if (!ex.handle || typeof ex.handle.goals !== 'function') return;
      var results;
      try {
        results = ex.handle.goals(ex.goalsText);
      } catch (e) {
        say(ex, failedWith(e && e.message ? e.message : String(e)));
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
          c.done = chapterComplete(c);
        });
        // tutorial-levels.js shows a level's shortest known solution then.
        ex.section.dispatchEvent(new CustomEvent('tut-exercise-done', { bubbles: true }));
      }
      marks(ex);
      showSaved();
    }

    // steps lists the buttons of exercise ex whose steps are marked done.
    function steps(ex) {
      return Array.prototype.filter.call(article.querySelectorAll('button.tut-action, button.tut-hint-step'),
        function (b) { return b.dataset.exercise === ex.n; });
    }

    function start(api, ex) {
      // The cluster speaks the chapter's language (the page's <html lang>);
      // a run carried from the same chapter in another language goes on.
      var opts = { scenario: ex.scenario, lang: document.documentElement.lang || 'en' };
      var run = own(carried, ex.n);
      if (run) delete carried[ex.n]; // once: a reset starts afresh
      if (run && typeof run.actions === 'string' && run.actions !== '') opts.actions = run.actions;
      try {
        try {
          ex.handle = api.create(ex.mount, opts);
        } catch (e) {
          if (opts.actions === undefined) throw e;
          delete opts.actions; // a carried run that does not replay: start afresh
          run = null;
          ex.handle = api.create(ex.mount, opts);
        }
        if (run && Array.isArray(run.done)) {
          var bs = steps(ex);
          run.done.forEach(function (d) {
            if (Array.isArray(d) && bs[d[0]] && typeof d[1] === 'number') bs[d[0]].dataset.doneAt = String(d[1]);
          });
        }
        var fig = ex.handle.element;
        if (fig) {
          fig.tabIndex = -1; // the focus comes back here after a step
          var legend = fig.querySelector('.rl-legend');
          if (legend && ex.section.hasAttribute('data-legend')) legend.open = true;
        }
      } catch (e) {
        say(ex, failedWith(e && e.message ? e.message : String(e)));
        return;
      }
      if (typeof ex.handle.on === 'function') {
        ex.handle.on('change', function () { refresh(ex); });
      }
      // Other scripts of the page (tutorial-levels.js) read the cluster.
      ex.section.raftlabCluster = ex.handle;
      ex.section.dispatchEvent(new CustomEvent('tut-cluster', { bubbles: true }));
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

    // Leaving for the same chapter in another language: carry the runs.
    document.addEventListener('click', function (ev) {
      var a = ev.target && ev.target.closest ? ev.target.closest('a[data-lang-switch]') : null;
      if (!a) return;
      var runs = {};
      exercises.forEach(function (ex) {
        if (!ex.handle) return;
        try {
          var done = [];
          steps(ex).forEach(function (b, i) {
            if (b.dataset.doneAt !== undefined) done.push([i, Number(b.dataset.doneAt)]);
          });
          runs[ex.n] = { actions: String(ex.handle.run().actions || ''), done: done };
        } catch (e) {
          // A run that cannot be written out: that exercise starts afresh.
        }
      });
      try {
        sessionStorage.setItem(CARRY, JSON.stringify({ slug: slug, exercises: runs }));
      } catch (e) {
        // Storage switched off: the chapter opens at its start.
      }
    });

    // narrow: one column, where the cluster is out of sight of the steps.
    var wide = window.matchMedia ? window.matchMedia('(min-width: 80rem)') : { matches: true };

    article.addEventListener('click', function (ev) {
      var b = ev.target && ev.target.closest ? ev.target.closest(STEP) : null;
      if (!b || !article.contains(b)) return;
      var ex = own(byN, b.dataset.exercise);
      if (!ex || !ex.handle) return;
      var h = ex.handle;
      var text = b.dataset.action !== undefined ? b.dataset.action : b.dataset.do;
      try {
        if (b.classList.contains('tut-hint-play')) h.reset();
        var before = h.state().events;
        h.do(text);
        say(ex, '');
        // A read answers: say what it read, next to the step.
        var read = h.events(before).filter(function (e) { return e.kind === 'read' || e.kind === 'no-answer'; }).pop();
        tell(b, read ? read.line : '', 'done');
        if (!b.classList.contains('tut-hint-play')) b.dataset.doneAt = String(h.state().position);
      } catch (e) {
        tell(b, failedWith(learnerWords(e)), 'error');
      }
      refresh(ex);
      // Bring the cluster into sight on a narrow screen, and give it the
      // focus so that its keys (→, ←, Space) work.
      var fig = h.element;
      if (fig) {
        if (!wide.matches) ex.section.scrollIntoView({ block: 'start', behavior: 'smooth' });
        try { fig.focus({ preventScroll: true }); } catch (e) { fig.focus(); }
      }
    });

    // Quizzes.
    var questions = [];
    article.querySelectorAll('[data-tut-question]').forEach(function (q) {
      var n = q.dataset.tutQuestion;
      var correct = Number(q.dataset.correct);
      var verdict = q.querySelector('[data-tut-verdict]');
      var explanation = q.querySelector('[data-tut-explanation]');
      var showBtn = q.querySelector('[data-tut-show]');
      var inputs = Array.prototype.slice.call(q.querySelectorAll('input[type=radio]'));
      function label(i) { return inputs[i] ? inputs[i].closest('label') : null; }
      // reveal marks the right answer and shows the explanation.
      function reveal() {
        var l = label(correct);
        if (l) l.classList.add('is-right');
        if (explanation) explanation.hidden = false;
        if (showBtn) showBtn.hidden = true;
      }
      // show marks a checked choice: a right one with the explanation, a
      // wrong one alone (the learner may try again, or ask for the answer).
      function show(choice) {
        inputs.forEach(function (input, i) {
          var l = label(i);
          if (!l) return;
          l.classList.remove('is-right');
          l.classList.toggle('is-wrong', i === choice && i !== correct);
        });
        if (choice === correct) {
          if (verdict) verdict.textContent = W.correct;
          reveal();
          return;
        }
        if (verdict) verdict.textContent = W.tryAgain;
        if (explanation) explanation.hidden = true;
        if (showBtn) showBtn.hidden = false;
      }
      function clear() {
        inputs.forEach(function (input, i) {
          input.checked = false;
          var l = label(i);
          if (l) l.classList.remove('is-right', 'is-wrong');
        });
        if (verdict) verdict.textContent = '';
        if (explanation) explanation.hidden = true;
        if (showBtn) showBtn.hidden = true;
      }
      var answer = q.querySelector('[data-tut-answer]');
      if (answer) {
        answer.addEventListener('click', function () {
          var chosen = inputs.findIndex(function (input) { return input.checked; });
          if (chosen < 0) {
            if (inputs[0]) inputs[0].focus();
            return;
          }
          update(slug, function (c) { c.quiz[n] = chosen; c.done = chapterComplete(c); });
          show(chosen);
          showSaved();
        });
      }
      if (showBtn) showBtn.addEventListener('click', function () { reveal(); });
      var saved = own(own(own(own(load(), 'chapters'), slug), 'quiz'), n);
      if (typeof saved === 'number' && inputs[saved]) {
        inputs[saved].checked = true;
        show(saved);
      }
      questions.push({ n: n, correct: correct, clear: clear });
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
          tell(null, '');
          article.querySelectorAll(STEP).forEach(function (b) {
            if (b.dataset.exercise === ex.n) delete b.dataset.doneAt;
          });
          marks(ex);
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
