//go:build js && wasm

package main

// Tests of raftlab.search and of a cluster made to explain its run, under
// node: the module in a worker does the same.

import (
	"strings"
	"syscall/js"
	"testing"
)

// newSearch makes a search handle.
func newSearch(t *testing.T, opts any) js.Value {
	t.Helper()
	api := newAPI()
	res, thrown := call(api.Get("search"), api, opts)
	if !thrown.IsUndefined() {
		t.Fatalf("search: %s", thrown.Get("message").String())
	}
	t.Cleanup(func() { call(res.Get("destroy"), res) })
	return res
}

// A search runs in slices to its end: found, shrunk, explained; its result
// opens in a cluster that explains it.
func TestSearchFindsShrinksAndExplains(t *testing.T) {
	s := newSearch(t, map[string]any{"unsafe": "skip-up-to-date-check", "seed": 1, "proofStates": 200})
	if !run(t, s, "result").IsNull() {
		t.Fatal("a result before the search ran")
	}
	phases := map[string]bool{}
	var p js.Value
	for i := 0; i < 1000; i++ {
		p = run(t, s, "run", 4)
		phases[p.Get("phase").String()] = true
		if p.Get("done").Bool() {
			break
		}
	}
	if p.Get("phase").String() != "done" || !phases["shrinking"] || !p.Get("found").Bool() {
		t.Fatalf("progress %s, phases %v", stringify(p), phases)
	}
	if p.Get("shrink").Get("after").Int() > p.Get("shrink").Get("before").Int() {
		t.Fatalf("shrink %s", stringify(p.Get("shrink")))
	}
	r := run(t, s, "result")
	if r.Get("rule").String() != "skip-up-to-date-check" || r.Get("section").String() != "§5.4.1" ||
		r.Get("property").String() != "leader-completeness" || !strings.HasPrefix(r.Get("violation").String(), "Leader Completeness: ") {
		t.Fatalf("result %s", stringify(r))
	}
	ex := r.Get("explanation")
	if ex.Get("uses").Length() == 0 || ex.Get("broke").Int() != r.Get("actionList").Length()-1 || ex.Get("noReturn").Int() < 1 {
		t.Fatalf("explanation %s", stringify(ex))
	}
	use := ex.Get("uses").Index(0)
	if !strings.HasPrefix(use.Get("lines").Index(0).String(), "the switched-off rule decides here: ") {
		t.Fatalf("use %s", stringify(use))
	}

	c := newHandle(t, map[string]any{"scenario": r.Get("scenario").String(), "actions": r.Get("actions").String(), "explain": true})
	got := run(t, c, "explanation")
	if stringify(got) != stringify(ex) {
		t.Fatalf("the cluster explains its run otherwise:\n%s\n%s", stringify(got), stringify(ex))
	}
	// With every rule on, the same actions break nothing.
	safe := newHandle(t, map[string]any{"scenario": r.Get("scenario").String(), "actions": r.Get("actions").String(), "safe": true, "explain": true})
	if n := run(t, safe, "state").Get("violations").Length(); n != 0 || !run(t, safe, "explanation").IsNull() {
		t.Fatalf("with the rule on: %d violations", n)
	}
	if !run(t, newHandle(t, nil), "explanation").IsNull() {
		t.Fatal("a cluster not asked to explain has no explanation")
	}
}

// Wrong options are refused with an Error naming them; a destroyed search
// throws.
func TestSearchOptionsErrors(t *testing.T) {
	api := newAPI()
	for _, tc := range []struct {
		opts any
		want string
	}{
		{nil, "raftlab.search: options.unsafe must be the name of a rule switch"},
		{map[string]any{"unsafe": "be-evil"}, "options.unsafe must be the name of a rule switch (commit-earlier-terms, "},
		{map[string]any{"unsafe": "forget-vote", "nodes": 12}, "options.nodes"},
		{map[string]any{"unsafe": "forget-vote", "property": "safety"}, "options.property must be a property (election-safety, "},
		{map[string]any{"unsafe": "forget-vote", "scenario": "nodez: 3"}, "options.scenario: "},
	} {
		_, thrown := call(api.Get("search"), api, tc.opts)
		if thrown.IsUndefined() || !strings.Contains(thrown.Get("message").String(), tc.want) {
			t.Errorf("%v: got %v, want %q", tc.opts, thrown, tc.want)
		}
	}
	s := newSearch(t, map[string]any{"unsafe": "forget-vote", "maxSchedules": 1})
	if _, thrown := call(s.Get("run"), s, 0); thrown.IsUndefined() {
		t.Error("run(0) is refused")
	}
	call(s.Get("destroy"), s)
	if _, thrown := call(s.Get("run"), s, 1); thrown.IsUndefined() || !strings.Contains(thrown.Get("message").String(), "destroyed") {
		t.Errorf("a destroyed search: %v", thrown)
	}
}
