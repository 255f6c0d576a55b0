//go:build !js

package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// waitFor polls a JavaScript condition until it is true (or fails the test).
func waitFor(t *testing.T, ctx context.Context, cond, what string) {
	t.Helper()
	var ok bool
	Eval(t, ctx, `new Promise((resolve) => {
		const end = Date.now() + 15000;
		const poll = () => {
			let v = false;
			try { v = !!(`+cond+`); } catch (e) {}
			if (v || Date.now() > end) resolve(v); else setTimeout(poll, 25);
		};
		poll();
	})`, &ok)
	if !ok {
		t.Fatalf("timed out waiting for %s", what)
	}
}

// The chapter page: the cluster starts from the chapter's scenario, the
// action links drive it, the goals tick, the quiz answers and explains,
// progress is kept and reset.
func TestTutorialChapter(t *testing.T) {
	ctx := StartBrowser(t)
	base := ServeSite(t)
	Navigate(t, ctx, base+"/tutorials/roles-terms-votes.html")
	WaitReady(t, ctx)
	Eval(t, ctx, `localStorage.clear()`, nil)
	waitFor(t, ctx, `!document.querySelector('button.tut-action').disabled`, "the action links to be enabled")

	var start struct {
		Nodes   int    `json:"nodes"`
		Status  string `json:"status"`
		Buttons int    `json:"buttons"`
		Goals   bool   `json:"goals"`
	}
	Eval(t, ctx, `({
		nodes: document.querySelectorAll('[data-tut-mount] [data-node]').length,
		status: document.querySelector('[data-tut-status]').textContent,
		buttons: document.querySelectorAll('button.tut-action').length,
		goals: typeof raftlab.create(null, {scenario: 'nodes: 1'}).goals === 'function',
	})`, &start)
	if start.Nodes != 3 {
		t.Errorf("the chapter's cluster has %d servers, want the scenario's 3", start.Nodes)
	}
	if start.Status != "" {
		t.Errorf("the loading status is still shown: %q", start.Status)
	}

	// Click the links of the main path, in order: each is marked done, and
	// nothing is said next to it. Clicking one again cannot run (its
	// message is gone): the refusal is said next to it, in the learner's
	// words.
	var steps struct {
		Said    []string `json:"said"`
		Done    int      `json:"done"`
		Refusal string   `json:"refusal"`
		Tone    string   `json:"tone"`
		Next    string   `json:"next"`
		Focus   bool     `json:"focus"`
	}
	Eval(t, ctx, `(() => {
		const r = {said: []};
		const buttons = [...document.querySelectorAll('button.tut-action')].slice(0, 6);
		for (const b of buttons) {
			b.click();
			const s = b.nextElementSibling;
			if (s && s.classList.contains('tut-said')) r.said.push(b.dataset.action + ' -> ' + s.textContent);
		}
		r.done = buttons.filter(b => b.classList.contains('is-done')).length;
		r.focus = document.activeElement === document.querySelector('[data-tut-mount] .rl-cluster');
		buttons[1].click();
		const s = buttons[1].nextElementSibling;
		r.refusal = s && s.classList.contains('tut-said') ? s.textContent : '';
		r.tone = s ? s.dataset.tone : '';
		r.next = buttons[2].nextElementSibling && buttons[2].nextElementSibling.classList.contains('tut-said') ? 'still said' : '';
		return r;
	})()`, &steps)
	if len(steps.Said) > 0 || steps.Done != 6 {
		t.Errorf("the main path: %d of 6 steps marked done; said %q", steps.Done, steps.Said)
	}
	if steps.Refusal != "That step cannot run now: no such message in flight" || steps.Tone != "error" || steps.Next != "" {
		t.Errorf("a step that cannot run: said %q (tone %q) next to it, %q next to the step before", steps.Refusal, steps.Tone, steps.Next)
	}
	if !steps.Focus {
		t.Error("after a step the focus is not on the cluster")
	}
	// Stepping back before a step takes its mark away.
	var marked []bool
	Eval(t, ctx, `(() => {
		document.querySelector('[data-tut-mount] .rl-cluster').dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowLeft', bubbles: true, cancelable: true}));
		return new Promise(r => setTimeout(r, 50)).then(() =>
			[...document.querySelectorAll('button.tut-action')].slice(0, 6).map(b => b.classList.contains('is-done')));
	})()`, &marked)
	if len(marked) != 6 || !marked[4] || marked[5] {
		t.Errorf("after ← the marks are %v, want the last step unmarked", marked)
	}

	// The quiz: a wrong answer is marked wrong, without the right answer or
	// the explanation; "Show the answer" shows them; the right answer
	// counts.
	var quiz struct {
		Verdict     string `json:"verdict"`
		Explanation bool   `json:"explanation"`
		Wrong       int    `json:"wrong"`
		Right       int    `json:"right"`
		ShowBtn     bool   `json:"showBtn"`
		Shown       int    `json:"shown"`
		ShownExpl   bool   `json:"shownExpl"`
	}
	Eval(t, ctx, `(() => {
		const q = document.querySelector('[data-tut-question="1"]');
		const wrong = Number(q.dataset.correct) === 0 ? 1 : 0;
		q.querySelector('input[value="' + wrong + '"]').click();
		q.querySelector('[data-tut-answer]').click();
		const r = {
			verdict: q.querySelector('[data-tut-verdict]').textContent,
			explanation: !q.querySelector('[data-tut-explanation]').hidden,
			wrong: q.querySelectorAll('.is-wrong').length,
			right: q.querySelectorAll('.is-right').length,
			showBtn: !q.querySelector('[data-tut-show]').hidden,
		};
		q.querySelector('[data-tut-show]').click();
		r.shown = q.querySelectorAll('.is-right').length;
		r.shownExpl = !q.querySelector('[data-tut-explanation]').hidden;
		return r;
	})()`, &quiz)
	if quiz.Verdict != "Not quite — try another answer." || quiz.Explanation || quiz.Wrong != 1 || quiz.Right != 0 || !quiz.ShowBtn {
		t.Errorf("after a wrong answer: %+v", quiz)
	}
	if quiz.Shown != 1 || !quiz.ShownExpl {
		t.Errorf("after Show the answer: %+v", quiz)
	}

	if start.Goals {
		Eval(t, ctx, `(document.querySelectorAll('button.tut-action')[5].click(), 0)`, nil) // redo the last step
		waitFor(t, ctx, `[...document.querySelectorAll('[data-goal]')].every(g => g.dataset.state === 'met')`, "every goal to be met")
		var done struct {
			Exercise bool   `json:"exercise"`
			Chapter  bool   `json:"chapter"`
			QuizLeft bool   `json:"quizLeft"`
			After    bool   `json:"after"`
			Saved    string `json:"saved"`
		}
		// Every goal is met, but the quiz is not answered right: the
		// chapter is not complete until it is.
		Eval(t, ctx, `(() => {
			const r = {
				exercise: !document.querySelector('[data-tut-exercise-done]').hidden,
				chapter: !document.querySelector('[data-tut-chapter-done]').hidden,
				quizLeft: !document.querySelector('[data-tut-quiz-left]').hidden,
			};
			document.querySelectorAll('[data-tut-question]').forEach(q => {
				q.querySelector('input[value="' + q.dataset.correct + '"]').click();
				q.querySelector('[data-tut-answer]').click();
			});
			r.after = !document.querySelector('[data-tut-chapter-done]').hidden;
			r.saved = localStorage.getItem('raftlab.tutorials.v1');
			return r;
		})()`, &done)
		if !done.Exercise || done.Chapter || !done.QuizLeft || !done.After || !strings.Contains(done.Saved, `"done":true`) {
			t.Errorf("after the goals and then the quiz: %+v", done)
		}
	} else {
		t.Log("the simulator has no cluster.goals yet: the goal ticks are not checked")
	}
	Screenshot(t, ctx, "tutorial-chapter")

	// The answer survives a reload.
	Navigate(t, ctx, base+"/tutorials/roles-terms-votes.html")
	WaitReady(t, ctx)
	var kept string
	Eval(t, ctx, `document.querySelector('[data-tut-question="1"] [data-tut-verdict]').textContent`, &kept)
	if kept != "Right." {
		t.Errorf("the quiz answer was not kept: verdict %q", kept)
	}

	if start.Goals {
		// The chapter list marks the chapter completed.
		Navigate(t, ctx, base+"/tutorials/index.html")
		var marked bool
		waitFor(t, ctx, `document.readyState === 'complete'`, "the chapter list")
		time.Sleep(50 * time.Millisecond)
		Eval(t, ctx, `!document.querySelector('[data-slug="roles-terms-votes"] [data-tut-done-mark]').hidden`, &marked)
		if !marked {
			t.Error("the chapter list does not mark chapter 1 completed")
		}
		Navigate(t, ctx, base+"/tutorials/roles-terms-votes.html")
		WaitReady(t, ctx)
	}

	// Reset clears the chapter's progress and restarts its cluster.
	waitFor(t, ctx, `!document.querySelector('button.tut-action').disabled`, "the action links to be enabled")
	var after struct {
		Saved   string `json:"saved"`
		Verdict string `json:"verdict"`
		Open    int    `json:"open"`
		Nodes   int    `json:"nodes"`
	}
	Eval(t, ctx, `(() => {
		document.querySelector('[data-tut-reset]').click();
		return {
			saved: localStorage.getItem('raftlab.tutorials.v1') || '',
			verdict: document.querySelector('[data-tut-question="1"] [data-tut-verdict]').textContent,
			open: document.querySelectorAll('[data-goal][data-state="open"]').length,
		};
	})()`, &after)
	if strings.Contains(after.Saved, "roles-terms-votes") || after.Verdict != "" || after.Open != 3 {
		t.Errorf("after reset: %+v", after)
	}
	waitFor(t, ctx, `document.querySelectorAll('[data-tut-mount] [data-node]').length === 3 && !document.querySelector('button.tut-action').disabled`,
		"the cluster to restart")
	NoPageErrors(t, ctx)
}

// On a phone the steps are far below the cluster: after a step, the
// cluster scrolls into view and has the focus, so that its keys work.
func TestTutorialStepOnAPhone(t *testing.T) {
	ctx := StartBrowser(t)
	Viewport(t, ctx, 390, 844)
	Navigate(t, ctx, ServeSite(t)+"/tutorials/log-replication.html")
	WaitReady(t, ctx)
	waitFor(t, ctx, `!document.querySelector('button.tut-action').disabled`, "the action links")
	var got struct {
		Before, After [2]float64
		Focus         bool
	}
	Eval(t, ctx, `(async () => {
		const b = document.querySelectorAll('button.tut-action')[3];
		b.scrollIntoView({block: 'center'});
		const ring = () => { const r = document.querySelector('[data-tut-mount] svg.rl-ring').getBoundingClientRect(); return [r.top, r.bottom]; };
		const before = ring();
		b.click();
		await new Promise(r => setTimeout(r, 1200)); // the smooth scroll
		return {Before: before, After: ring(), Focus: document.activeElement === document.querySelector('[data-tut-mount] .rl-cluster')};
	})()`, &got)
	if got.Before[1] > 0 {
		t.Fatalf("the ring was in view before the step (%v): the test needs a step far below it", got.Before)
	}
	if got.After[0] < 0 || got.After[1] > 844 || !got.Focus {
		t.Errorf("after the step: the ring at %v (viewport 844 high), cluster focused %v", got.After, got.Focus)
	}
}

// An exercise's solution is offered as a hint: its steps, and a button
// that resets the exercise and plays them all, which meets every goal.
func TestTutorialHint(t *testing.T) {
	ctx := StartBrowser(t)
	Navigate(t, ctx, ServeSite(t)+"/tutorials/split-votes.html")
	WaitReady(t, ctx)
	waitFor(t, ctx, `!document.querySelector('.tut-hint-play').disabled`, "the hint's button to be enabled")
	var got struct {
		Steps int      `json:"steps"`
		Open  []string `json:"open"`
	}
	Eval(t, ctx, `(() => {
		document.querySelector('button.tut-action').click(); // a first step, undone by the reset
		const hint = document.querySelector('.tut-hint');
		hint.open = true;
		hint.querySelector('.tut-hint-play').click();
		const n = hint.querySelector('.tut-hint-play').dataset.exercise;
		return {
			steps: hint.querySelectorAll('.tut-hint-step').length,
			open: [...document.querySelectorAll('[data-tut-goals="' + n + '"] [data-goal]')].filter(g => g.dataset.state !== 'met')
				.map(g => g.textContent),
		};
	})()`, &got)
	if got.Steps == 0 || len(got.Open) > 0 {
		t.Errorf("the hint: %d steps; goals not met after playing them: %q", got.Steps, got.Open)
	}
	NoPageErrors(t, ctx)
}

// "Open this run in the playground" opens the playground with the run.
func TestTutorialOpensPlayground(t *testing.T) {
	ctx := StartBrowser(t)
	base := ServeSite(t)
	Navigate(t, ctx, base+"/tutorials/split-votes.html")
	WaitReady(t, ctx)
	waitFor(t, ctx, `!document.querySelector('button.tut-action').disabled`, "the action links to be enabled")
	Eval(t, ctx, `(() => {
		document.querySelector('button.tut-action').click();
		document.querySelector('[data-tut-playground]').click();
		return true;
	})()`, nil)
	// The page navigates: poll from Go, so that no evaluation spans it.
	var href string
	for end := time.Now().Add(Timeout); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if err := EvalErr(ctx, `location.href`, &href); err == nil && strings.Contains(href, "/playground.html") {
			break
		}
	}
	if !strings.Contains(href, "scenario=") || !strings.Contains(href, "a=timeout") {
		t.Errorf("the playground link does not carry the run: %s", href)
	}
}

// Every chapter, in the browser: clicking every action link in page order
// ticks every goal of every exercise (the same path the Go tests of
// tutorials/ check natively, here through the page, its script and the
// wasm). Adversary levels have no action links: search_test.go plays their
// solutions.
func TestTutorialChaptersInTheBrowser(t *testing.T) {
	ctx := StartBrowser(t)
	base := ServeSite(t)
	entries, err := os.ReadDir(filepath.Join(SiteDir(t), "tutorials"))
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, ".html") && name != "index.html" && name != "authoring.html" && !strings.HasPrefix(name, "level-") {
			slugs = append(slugs, strings.TrimSuffix(name, ".html"))
		}
	}
	if len(slugs) < 8 {
		t.Fatalf("only %d chapter pages: %v", len(slugs), slugs)
	}
	for _, slug := range slugs {
		Navigate(t, ctx, base+"/tutorials/"+slug+".html")
		WaitReady(t, ctx)
		waitFor(t, ctx, `[...document.querySelectorAll('button.tut-action')].every(b => !b.disabled)`, slug+": every action link enabled")
		// Every goal has been evaluated at the start, and none is met.
		var notOpen []string
		Eval(t, ctx, `[...document.querySelectorAll('[data-goal]')].filter(g => g.dataset.state !== 'open')
			.map(g => g.querySelector('.tut-goal-text').textContent + ': ' + g.dataset.state)`, &notOpen)
		if len(notOpen) > 0 {
			t.Errorf("%s: goals not open before any action: %q", slug, notOpen)
		}
		var got struct {
			Clicked int      `json:"clicked"`
			Open    []string `json:"open"`
			Done    bool     `json:"done"`
		}
		Eval(t, ctx, `(() => {
			const buttons = [...document.querySelectorAll('button.tut-action')];
			buttons.forEach(b => b.click());
			document.querySelectorAll('[data-tut-question]').forEach(q => {
				q.querySelector('input[value="' + q.dataset.correct + '"]').click();
				q.querySelector('[data-tut-answer]').click();
			});
			return {
				clicked: buttons.length,
				open: [...document.querySelectorAll('[data-goal]')].filter(g => g.dataset.state !== 'met')
					.map(g => g.querySelector('.tut-goal-text').textContent),
				done: !document.querySelector('[data-tut-chapter-done]').hidden,
			};
		})()`, &got)
		if len(got.Open) > 0 || !got.Done {
			t.Errorf("%s: after clicking its %d action links, goals not met: %q (chapter done: %v)", slug, got.Clicked, got.Open, got.Done)
		}
		if errs := PageErrors(ctx); len(errs) > 0 {
			t.Errorf("%s: the page reported errors: %q", slug, errs)
		}
	}
}
