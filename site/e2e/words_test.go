//go:build !js

package e2e

// The live cluster speaks the language it is given, and only from its
// words table. The module is built once more with the pseudo-locale "qps"
// (raft/words/pseudo.go: every value of the English table wrapped in ⟦ ⟧),
// so that a word the view shows without brackets is a word that came from
// code, not from the table.

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"raftlab/raft/words"
	"raftlab/site/build"
)

const pseudo = "qps" // raft/words/pseudo.go

// What a cluster shows that is data, not words: server names, the state
// machine's commands (set x 3, del x) and its key=value pairs.
var clusterData = regexp.MustCompile(`\bS[1-9]\b|\b(set|del) [a-z]\w*( [^\s,]+)?|\b[a-z]\w*=\S*`)

// unkeyed returns what is left of s outside the pseudo-locale's brackets,
// when that still holds a letter that is not data: a word that did not
// come from the table. Otherwise "".
func unkeyed(s string) string {
	s = words.Unbracketed(s)
	if rest := clusterData.ReplaceAllString(s, ""); strings.IndexFunc(rest, unicode.IsLetter) >= 0 {
		return s
	}
	return ""
}

func TestUnkeyed(t *testing.T) {
	for s, want := range map[string]string{
		"⟦S1, ⟦Follower⟧, term 0, ⟦no vote⟧⟧": "",
		"⟦AE {n}⟧ 3 S2 x=1 set x 3 §5.2 ✕":    "",
		"S1, Follower, term 0, no vote":       "S1, Follower, term 0, no vote",
		"⟦Why: ⟦ignore⟧⟧ Keys":                "· Keys",
	} {
		if got := unkeyed(s); got != want {
			t.Errorf("unkeyed(%q) = %q, want %q", s, got, want)
		}
	}
}

// clusterTexts is a JavaScript function that lists every text a person can
// read in the clusters drawn on the page — text nodes, and the labels and
// tooltips of aria-label, title and placeholder — hidden ones included (the
// help card, a closed legend). The caption is left out: it is the page's
// own text (the title option, a chapter scenario's name), not the view's.
const clusterTexts = `(() => {
	const out = [];
	document.querySelectorAll('.rl-cluster').forEach(root => {
		const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
		for (let n; (n = walk.nextNode());) {
			const s = n.nodeValue.trim();
			if (s && !n.parentElement.closest('script, style, .rl-caption')) out.push(s);
		}
		root.querySelectorAll('*').forEach(e => ['aria-label', 'title', 'placeholder', 'alt'].forEach(a => {
			const v = (e.getAttribute(a) || '').trim();
			if (v) out.push(v);
		}));
	});
	return out;
})()`

// exercise drives the first cluster of the page through what the view can
// show — an election that breaks Election Safety (chapter 8's forgotten
// vote), a refused message, the server and message inspectors, the help
// card — and returns every text read on the way.
func exercise(t *testing.T, ctx context.Context, handle string) []string {
	t.Helper()
	var all []string
	collect := func() {
		var texts []string
		Eval(t, ctx, clusterTexts, &texts)
		all = append(all, texts...)
	}
	Eval(t, ctx, `(() => {
		const h = `+handle+`;
		h.do('timeout S1; deliver S1>S2 RequestVote; deliver S2>S1 RequestVoteReply; drop S1>S3 RequestVote');
		h.do('drop S1>S2 AppendEntries; drop S1>S3 AppendEntries');
		h.do('restart S2 forget-vote; timeout S3; deliver S3>S2 RequestVote; deliver S2>S3 RequestVoteReply');
		h.do('propose S1 set x 3; timeout S1; deliver S1>S2 AppendEntries');
		return 0;
	})()`, nil)
	collect()
	Eval(t, ctx, `(() => {
		const key = (k, target) => (target || document.body).dispatchEvent(new KeyboardEvent('keydown', {key: k, bubbles: true, cancelable: true}));
		key('Enter', document.querySelector('.rl-cluster [data-node="1"] .rl-hit'));
		return 0;
	})()`, nil)
	collect()
	Eval(t, ctx, `(() => {
		document.querySelector('.rl-cluster [data-msg-id]').dispatchEvent(new MouseEvent('click', {bubbles: true}));
		return 0;
	})()`, nil)
	collect()
	return all
}

// forgottenVote is chapter 8's scenario where a restart loses S2's vote.
const forgottenVote = "?scenario=" + "nodes%3A%203%0Atimers%3A%20frozen%0Alatency%3A%2010"

// pseudoSite serves the built site with the pseudo-locale's module in
// place of raftlab.wasm; under /qps/ its pages are served with <html
// lang="qps">, as a translated site would be.
func pseudoSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := build.BuildWasm(dir, "raftlab_pseudo"); err != nil {
		t.Fatal(err)
	}
	site := build.Handler(SiteDir(t))
	return ServeHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch rest, translated := strings.CutPrefix(r.URL.Path, "/"+pseudo+"/"); {
		case strings.HasSuffix(r.URL.Path, "/raftlab.wasm"):
			w.Header().Set("Cache-Control", "no-cache")
			http.ServeFile(w, r, filepath.Join(dir, "raftlab.wasm"))
		case r.URL.Path == "/course.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A course page</title>
<link rel="icon" href="data:,"><script src="raft-cluster.js"></script></head><body>
<raft-cluster id="c" lang="` + pseudo + `" scenario="nodes: 3"></raft-cluster></body></html>`))
		case translated:
			in := r.Clone(r.Context())
			in.URL.Path = "/" + rest
			rec := httptest.NewRecorder()
			site.ServeHTTP(rec, in)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			body := rec.Body.String()
			if strings.HasSuffix(rest, ".html") {
				body = strings.Replace(body, `<html lang="en"`, `<html lang="`+pseudo+`"`, 1)
				w.Header().Del("Content-Length")
			}
			w.WriteHeader(rec.Code)
			w.Write([]byte(body))
		default:
			site.ServeHTTP(w, r)
		}
	}))
}

// Every word the live cluster shows comes from its language's table: in
// the pseudo-locale nothing is left unbracketed, while the same run in
// English (where nothing is bracketed) is caught, so the check can fail.
// ?lang= on the embed page, <raft-cluster lang>, and a page's <html lang>
// (the playground, a chapter) each choose the language.
func TestClusterSpeaksItsLanguage(t *testing.T) {
	ctx := StartBrowser(t)
	base := pseudoSite(t)

	leaks := func(texts []string) []string {
		var out []string
		for _, s := range texts {
			if u := unkeyed(s); u != "" {
				out = append(out, u)
			}
		}
		return out
	}
	const h0 = `raftlabLoader.handles[0]`

	Navigate(t, ctx, base+"/embed.html"+forgottenVote+"&lang="+pseudo)
	WaitReady(t, ctx)
	translated := exercise(t, ctx, h0)
	var label string
	Eval(t, ctx, `document.querySelector('[data-node="2"] .rl-hit').getAttribute('aria-label')`, &label)
	if !strings.HasPrefix(label, "⟦S2, ⟦") {
		t.Errorf("S2's label in the pseudo-locale: %q", label)
	}
	if len(translated) < 100 {
		t.Fatalf("only %d texts read from the cluster: the walk misses the view", len(translated))
	}
	if l := leaks(translated); len(l) > 0 {
		t.Errorf("%d of %d texts of the view did not come from the words table: %q", len(l), len(translated), distinct(l))
	}
	for _, want := range []string{"⟦Keys⟧", "⟦Election Safety"} {
		if !strings.Contains(strings.Join(translated, "\n"), want) {
			t.Errorf("no %q among the view's texts: the run did not reach what it should show", want)
		}
	}
	// Its link leads to the playground of its language.
	var link string
	Eval(t, ctx, h0+`.link()`, &link)
	if !strings.HasPrefix(link, base+"/"+pseudo+"/playground.html?") {
		t.Errorf("link() in %s: %q, want the playground under /%s/", pseudo, link, pseudo)
	}
	NoPageErrors(t, ctx)

	Navigate(t, ctx, base+"/embed.html"+forgottenVote)
	WaitReady(t, ctx)
	english := exercise(t, ctx, h0)
	if l := leaks(english); len(l) < len(english)/2 || !strings.Contains(strings.Join(l, "\n"), "Follower") {
		t.Errorf("in English the check finds %d of %d texts unbracketed: it cannot tell a word from the table", len(l), len(english))
	}

	// A page's language is its clusters' language.
	for _, page := range []string{"playground.html", "tutorials/roles-terms-votes.html"} {
		Navigate(t, ctx, base+"/"+pseudo+"/"+page)
		WaitReady(t, ctx)
		waitFor(t, ctx, `document.querySelector('.rl-cluster [data-node]')`, page+"'s cluster")
		var texts []string
		Eval(t, ctx, clusterTexts, &texts)
		if l := leaks(texts); len(l) > 0 || len(texts) < 20 {
			t.Errorf("%s in %s: %d texts, not from the table: %q", page, pseudo, len(texts), l)
		}
	}

	// <raft-cluster lang="qps"> on another page.
	Navigate(t, ctx, base+"/course.html")
	Eval(t, ctx, `customElements.whenDefined('raft-cluster').then(() => document.getElementById('c').ready).then(() => 0)`, nil)
	var texts []string
	Eval(t, ctx, clusterTexts, &texts)
	if l := leaks(texts); len(l) > 0 || len(texts) < 20 {
		t.Errorf("<raft-cluster lang=%s>: %d texts, not from the table: %q", pseudo, len(texts), l)
	}
	NoPageErrors(t, ctx)
}

func distinct(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
