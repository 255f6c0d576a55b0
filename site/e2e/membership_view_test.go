//go:build !js

package e2e

// Log compaction and membership in the view: a compacted prefix is one
// block labelled with its last included index and term, InstallSnapshot
// has a badge of its own kind and its fields in the inspector, learners
// and servers outside the configuration look different (in shape and in
// words, not only in colour), each server shows the configuration it
// uses, and state() exposes all of it.

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestCompactionAndMembershipInTheView(t *testing.T) {
	scenario := "nodes: 5\nvoters: S1 S2 S3\ntimers: frozen\nlatency: 10\n"
	actions := "timeout S1; flush; crash S3; propose S1 set x 1; propose S1 set y 2; flush; timeout S1; flush; " +
		"compact S1; restart S3; timeout S1; deliver S1>S3 AppendEntries; deliver S3>S1 AppendEntriesReply; add-server S1 S4"
	ctx, _ := openPlayground(t, "?scenario="+url.QueryEscape(scenario)+"&a="+url.QueryEscape(actions))
	var got struct {
		SnapIndex, SnapTerm int
		Voters, Learners    []int
		S5Voters            []int
		SnapMsg             int
		Block               string
		BlockSpan           string
		BadgeClass          string
		BadgeFrames         int
		S4Member, S5Member  string
		S5Role              string
		ConfigHead          bool
		S1Config, S4Config  string
		Fields              []string
		S5Buttons           []string
		AfterS4Member       string
		AfterS4Role         string
		S3Snapshot          int
	}
	Eval(t, ctx, `(async () => {
		const h = `+h0+`;
		const tick = () => new Promise(r => setTimeout(r, 30));
		await tick();
		const r = {};
		const st = h.state();
		const s1 = st.nodes[0];
		r.SnapIndex = s1.snapshotIndex; r.SnapTerm = s1.snapshotTerm;
		r.Voters = s1.membership.voters; r.Learners = s1.membership.learners;
		r.S5Voters = st.nodes[4].membership.voters;
		const snap = st.messages.find(m => m.type === 'InstallSnapshot');
		r.SnapMsg = snap ? snap.snapshotIndex : -1;
		const block = document.querySelector('.rl-log tr[data-server="1"] td.rl-snapblock');
		r.Block = block ? block.textContent : '';
		r.BlockSpan = block ? (block.getAttribute('colspan') || '1') : '';
		const badge = snap && document.querySelector('[data-msg-id="' + snap.id + '"]');
		r.BadgeClass = badge ? badge.getAttribute('class') : '';
		r.BadgeFrames = badge ? badge.querySelectorAll('.rl-frame').length : 0;
		const node = (id) => document.querySelector('[data-node="' + id + '"]');
		r.S4Member = node(4).getAttribute('data-member') || '';
		r.S5Member = node(5).getAttribute('data-member') || '';
		r.S5Role = node(5).querySelector('.rl-role').textContent;
		r.ConfigHead = [...document.querySelectorAll('.rl-log thead th')].some(th => th.textContent === 'Configuration');
		const cfg = (id) => document.querySelector('.rl-log tr[data-server="' + id + '"] .rl-config-col').textContent;
		r.S1Config = cfg(1); r.S4Config = cfg(4);
		badge.querySelector('.rl-hit').dispatchEvent(new MouseEvent('click', {bubbles: true}));
		await tick();
		r.Fields = [...document.querySelectorAll('.rl-details dt')].map(dt => dt.textContent);
		// S5's inspector offers to ask the leader to add it, and to compact.
		node(5).querySelector('.rl-hit').dispatchEvent(new MouseEvent('click', {bubbles: true}));
		await tick();
		r.S5Buttons = [...document.querySelectorAll('.rl-panel button')].filter(b => b.getClientRects().length > 0).map(b => b.textContent);
		return r;
	})()`, &got)
	Screenshot(t, ctx, "compaction-membership")
	Eval(t, ctx, `(async () => {
		const h = `+h0+`;
		h.do('flush; timeout S1; flush');
		await new Promise(r => setTimeout(r, 30));
		const node = document.querySelector('[data-node="4"]');
		return {AfterS4Member: node.getAttribute('data-member') || '', AfterS4Role: node.querySelector('.rl-role').textContent,
			S3Snapshot: h.state().nodes[2].snapshotIndex};
	})()`, &got)
	if got.SnapIndex != 3 || got.SnapTerm != 1 {
		t.Errorf("S1's snapshot in state(): through %d (term %d), want 3 (term 1)", got.SnapIndex, got.SnapTerm)
	}
	if !slices.Equal(got.Voters, []int{1, 2, 3}) || !slices.Equal(got.Learners, []int{4}) || !slices.Equal(got.S5Voters, []int{1, 2, 3}) {
		t.Errorf("configurations in state(): S1 voters %v learners %v, S5 voters %v", got.Voters, got.Learners, got.S5Voters)
	}
	if got.SnapMsg != 3 {
		t.Errorf("the InstallSnapshot in flight: snapshotIndex %d, want 3", got.SnapMsg)
	}
	if got.Block != "≤3 t1" || got.BlockSpan != "3" {
		t.Errorf("S1's compacted prefix: %q spanning %s columns, want one block \"≤3 t1\" over 3", got.Block, got.BlockSpan)
	}
	if !strings.Contains(got.BadgeClass, "rl-snap") || strings.Contains(got.BadgeClass, "rl-append") || got.BadgeFrames != 1 {
		t.Errorf("the InstallSnapshot badge: class %q with %d inner frames; want a kind of its own", got.BadgeClass, got.BadgeFrames)
	}
	if got.S4Member != "outside" || got.S5Member != "outside" || got.S5Role != "outside" {
		t.Errorf("servers outside their configuration: S4 %q, S5 %q saying %q", got.S4Member, got.S5Member, got.S5Role)
	}
	if !got.ConfigHead || got.S1Config != "voters S1 S2 S3; learners S4" || got.S4Config != "voters S1 S2 S3" {
		t.Errorf("each server's configuration: column %v, S1 %q, S4 %q", got.ConfigHead, got.S1Config, got.S4Config)
	}
	fields := strings.Join(got.Fields, "|")
	if !strings.Contains(fields, "snapshot") || !strings.Contains(fields, "configuration") || strings.Contains(fields, "prevLogIndex") {
		t.Errorf("the InstallSnapshot's fields in the inspector: %q", got.Fields)
	}
	buttons := strings.Join(got.S5Buttons, "|")
	if !strings.Contains(buttons, "Add to the cluster (ask S1)") || !strings.Contains(buttons, "Compact its log") {
		t.Errorf("S5's inspector: buttons %q", got.S5Buttons)
	}
	if got.AfterS4Member != "" || got.AfterS4Role != "Follower" {
		t.Errorf("S4 once caught up and promoted: data-member %q, role %q; want a voter", got.AfterS4Member, got.AfterS4Role)
	}
	if got.S3Snapshot != 3 {
		t.Errorf("S3 installed the snapshot: snapshotIndex %d, want 3", got.S3Snapshot)
	}
	NoPageErrors(t, ctx)
}
