//go:build !js

package e2e

// The view bugs of issue 10, each as it was seen: the crown that stayed on
// a server that stepped down, a crashed server's panel offering what it
// cannot do, a refused AppendEntries reply labelled with a matchIndex,
// messages tabbed out of order, → after ← running a new event instead of
// redoing, "Copy link" showing no link, and buttons the inspector had
// hidden staying on screen.

import (
	"net/url"
	"strings"
	"testing"
)

func TestViewBugs(t *testing.T) {
	ctx, _ := openPlayground(t, "")
	var got struct {
		CrownBefore, CrownAfter string
		DownButtons             []string
		UpButtons               []string
		Refusal                 []string
		TabOrder                []int
		AfterBackNext           [3]int
		LinkShown               bool
		Link                    string
		GoneButtons             int
	}
	Eval(t, ctx, `(async () => {
		const h = `+h0+`;
		const tick = () => new Promise(r => setTimeout(r, 30));
		const click = (el) => el.dispatchEvent(new MouseEvent('click', {bubbles: true}));
		const r = {};
		// The crown follows the leader.
		h.do('freeze; timeout S1; flush');
		await tick();
		r.CrownBefore = [...document.querySelectorAll('.rl-log tr[data-state="Leader"]')].map(tr => tr.dataset.server).join(',');
		h.do('timeout S2; deliver S2>S1 RequestVote');
		await tick();
		r.CrownAfter = [...document.querySelectorAll('.rl-log tr[data-state="Leader"]')].map(tr => tr.dataset.server).join(',');
		// A crashed server's panel offers restarts only.
		h.crash(3);
		await tick();
		click(document.querySelector('[data-node="3"] .rl-hit'));
		await tick();
		const shown = () => [...document.querySelectorAll('.rl-panel button, .rl-panel form')]
			.filter(b => b.getClientRects().length > 0).map(b => b.textContent.trim());
		r.DownButtons = shown();
		h.restart(3);
		await tick();
		r.UpButtons = shown();
		// Messages are tabbed in id order.
		h.reset();
		h.do('freeze; timeout S1; deliver S1>S3; timeout S2; timeout S4');
		h.undo(); h.undo(); h.redo(); h.redo();
		await tick();
		r.TabOrder = [...document.querySelectorAll('[data-msg-id] .rl-hit[tabindex="0"]')].map(e => +e.closest('[data-msg-id]').dataset.msgId);
		// → after ← redoes what ← undid.
		const key = (k) => document.body.dispatchEvent(new KeyboardEvent('keydown', {key: k, bubbles: true, cancelable: true}));
		const before = h.state();
		key('ArrowLeft');
		const mid = h.state();
		key('ArrowRight');
		const after = h.state();
		r.AfterBackNext = [mid.position, after.position, after.recorded === before.recorded && after.events === before.events ? 1 : 0];
		// Copy link shows the link.
		click(document.querySelector('button[data-act="copy"]'));
		await tick();
		const box = document.querySelector('.rl-linkbox');
		r.LinkShown = box.getClientRects().length > 0 && !box.hidden;
		r.Link = (box.querySelector('input') || {value: ''}).value;
		// Delivered: the message's buttons go.
		click(document.querySelector('[data-msg-id] .rl-hit'));
		await tick();
		click(document.querySelector('.rl-panel button[data-act="deliver"]'));
		await tick();
		r.GoneButtons = [...document.querySelectorAll('.rl-panel .rl-actions button')].filter(b => b.getClientRects().length > 0).length;
		return r;
	})()`, &got)
	if got.CrownBefore != "1" || got.CrownAfter != "2" && got.CrownAfter != "" {
		t.Errorf("the crown: on %q while S1 leads, on %q after S1 stepped down (want 1, then not 1)", got.CrownBefore, got.CrownAfter)
	}
	if strings.Contains(got.CrownAfter, "1") {
		t.Errorf("the crown stayed on S1 after it stepped down: %q", got.CrownAfter)
	}
	down := strings.Join(got.DownButtons, "|")
	for _, w := range []string{"Time out", "Crash", "Propose", "Read"} {
		if strings.Contains(down, w) {
			t.Errorf("a crashed server's panel offers %q: %q", w, got.DownButtons)
		}
	}
	if !strings.Contains(down, "Restart") {
		t.Errorf("a crashed server's panel lacks Restart: %q", got.DownButtons)
	}
	for _, w := range []string{"Time out", "Crash", "Propose", "Read"} {
		if !strings.Contains(strings.Join(got.UpButtons, "|"), w) {
			t.Errorf("a running server's panel lacks %q: %q", w, got.UpButtons)
		}
	}
	// A refused AppendEntries reply says what was refused, and the
	// conflict (chapter 3's logs).
	Navigate(t, ctx, ServeSite(t)+"/playground.html?scenario="+url.QueryEscape("nodes: 3\ntimers: frozen\n"+
		"server S1: term 2 log [1,1,2]\nserver S2: term 2 log [1,1,2]\nserver S3: term 1 log [1,1,1,1,1]\n")+
		"&a="+url.QueryEscape("timeout S1; deliver S1>S2 RequestVote; deliver S2>S1 RequestVoteReply; deliver S1>S3 AppendEntries"))
	WaitReady(t, ctx)
	Eval(t, ctx, `(async () => {
		const h = `+h0+`;
		const reply = h.state().messages.find(m => m.type === 'AppendEntriesReply' && !m.success);
		if (!reply) return [];
		document.querySelector('[data-msg-id="' + reply.id + '"] .rl-hit').dispatchEvent(new MouseEvent('click', {bubbles: true}));
		await new Promise(r => setTimeout(r, 30));
		return [...document.querySelectorAll('.rl-details dt')].map(dt => dt.textContent);
	})()`, &got.Refusal)
	if len(got.Refusal) == 0 || !strings.Contains(strings.Join(got.Refusal, "|"), "refused prevLogIndex") ||
		strings.Contains(strings.Join(got.Refusal, "|"), "matchIndex") {
		t.Errorf("a refused AppendEntries reply's fields: %q", got.Refusal)
	}
	for i := 1; i < len(got.TabOrder); i++ {
		if got.TabOrder[i] < got.TabOrder[i-1] {
			t.Errorf("messages are tabbed in the order %v, not by id", got.TabOrder)
			break
		}
	}
	if len(got.TabOrder) < 3 {
		t.Errorf("only %d messages to tab through", len(got.TabOrder))
	}
	if got.AfterBackNext[1] != got.AfterBackNext[0]+1 || got.AfterBackNext[2] != 1 {
		t.Errorf("→ after ←: positions %v; want the same history redone", got.AfterBackNext)
	}
	if !got.LinkShown || !strings.Contains(got.Link, "/playground.html?") {
		t.Errorf("Copy link: shown %v, link %q", got.LinkShown, got.Link)
	}
	if got.GoneButtons != 0 {
		t.Errorf("after delivering, %d of the message's buttons still show", got.GoneButtons)
	}
	NoPageErrors(t, ctx)
}
