//go:build !js

package e2e

import (
	"net/url"
	"strings"
	"testing"
)

// Raft in practice in the view: a pre-candidate drawn as one, a leader
// handing leadership over, reads waiting at a server, the client requests
// as a picture with the read that is not linearizable and the write it
// missed marked, the violation under its own title, and the inspector's
// read path and transfer form.
func TestPlaygroundShowsClientsAndTransfers(t *testing.T) {
	scenario := `nodes: 3
timers: frozen
latency: 10
pre-vote: on
reads: read-index
setup:
  timeout S1; flush; timeout S1; flush
`
	actions := "propose S1 set x 3;deliver S1>S2 append;deliver S2>S1 append-reply;read S2 x local;read S3 x;transfer S1 S2"
	ctx, _ := openPlayground(t, "?scenario="+url.QueryEscape(scenario)+"&a="+url.QueryEscape(actions))
	var got struct {
		Leader  string   `json:"leader"`
		Reads   string   `json:"reads"`
		Ops     []string `json:"ops"`
		Classes []string `json:"classes"`
		Titles  []string `json:"titles"`
		Lines   []string `json:"lines"`
	}
	waitFor(t, ctx, `document.querySelectorAll('.rl-clients:not([hidden]) .rl-op').length === 3`, "three client requests drawn")
	Eval(t, ctx, `(() => {
		const node = id => document.querySelector('.rl-ring [data-node="' + id + '"]');
		return {
			leader: [...node(1).querySelectorAll('text')].map(t => t.textContent).join(' '),
			reads: node(3).querySelector('.rl-reads') ? node(3).querySelector('.rl-reads').firstChild.textContent : '',
			ops: [...document.querySelectorAll('.rl-op .rl-oplabel')].map(e => e.textContent),
			classes: [...document.querySelectorAll('.rl-op')].map(e => e.className),
			titles: [...document.querySelectorAll('.rl-violations strong')].map(e => e.textContent),
			lines: [...document.querySelectorAll('.rl-violations li')].map(e => e.textContent),
		};
	})()`, &got)
	if !strings.Contains(got.Leader, "→ S2") {
		t.Errorf("the leader handing over to S2 says %q", got.Leader)
	}
	if got.Reads != "1 R" {
		t.Errorf("S3's reads mark %q, want 1 R", got.Reads)
	}
	want := []string{"✓ #1 S1: set x 3", "✓ #2 S2: read x → not set", "… #3 S3: read x"}
	if strings.Join(got.Ops, "|") != strings.Join(want, "|") {
		t.Errorf("requests %q, want %q", got.Ops, want)
	}
	if len(got.Classes) == 3 && (!strings.Contains(got.Classes[0], "rl-op-missed") || !strings.Contains(got.Classes[1], "rl-op-bad") ||
		!strings.Contains(got.Classes[2], "rl-op-pending")) {
		t.Errorf("request classes %q", got.Classes)
	}
	if len(got.Titles) != 1 || got.Titles[0] != "Not linearizable" || len(got.Lines) != 1 ||
		!strings.Contains(got.Lines[0], `read #2 of x at S2 gave not set, but write #1 "set x 3" was done before the read began`) {
		t.Errorf("violations %q %q", got.Titles, got.Lines)
	}

	// A pre-candidate: S3 cut off, its timer fired.
	Eval(t, ctx, h0+`.cut(1, 3); `+h0+`.cut(2, 3); `+h0+`.timeout(3)`, nil)
	waitFor(t, ctx, `document.querySelector('.rl-ring [data-node="3"]').dataset.role === 'PreCandidate' &&
		document.querySelector('.rl-ring [data-node="3"] .rl-role').textContent === 'pre-vote'`, "S3 drawn as a pre-candidate")

	// The inspector of the leader offers a transfer and a read path; a
	// ReadIndex read from it says it waits for the confirmation.
	Eval(t, ctx, `document.querySelector('.rl-ring [data-node="1"] .rl-hit').dispatchEvent(new MouseEvent('click', {bubbles: true}))`, nil)
	waitFor(t, ctx, `document.querySelector('.rl-panel form[data-act="transfer"]') && !document.querySelector('.rl-panel form[data-act="transfer"]').hidden`, "the transfer form")
	var said string
	Eval(t, ctx, `(() => {
		const form = document.querySelector('.rl-panel form[data-act="read"]');
		form.querySelector('select').value = 'read-index';
		form.requestSubmit();
		return document.querySelector('.rl-panel .rl-said').textContent;
	})()`, &said)
	if !strings.Contains(said, "S1 asked for read #4 of x (ReadIndex)") {
		t.Errorf("the inspector said %q", said)
	}
}
