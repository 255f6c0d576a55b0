//go:build js && wasm

package main

import (
	"strings"
	"testing"
)

// TestGoalsFollowTheCluster: goals are false at the start, met once the
// cluster gets there, unmet again after an undo back before that moment,
// and a malformed goal throws with the parser's message.
func TestGoalsFollowTheCluster(t *testing.T) {
	h := newHandle(t, map[string]any{"scenario": "nodes: 3\ntimers: frozen\n"})
	const goals = "S2 leader term >= 1\n"
	met := func() bool { return run(t, h, "goals", goals).Index(0).Get("met").Bool() }
	if met() {
		t.Fatal("goal met at the start")
	}
	run(t, h, "do", "timeout S2; flush")
	if !met() {
		t.Fatal("goal not met after S2 won")
	}
	run(t, h, "undo")
	run(t, h, "undo")
	if met() {
		t.Fatal("goal still met after undoing the election")
	}
	_, thrown := call(h.Get("goals"), h, "S2 flies\n")
	if thrown.IsUndefined() || !strings.Contains(thrown.Get("message").String(), "line 1") {
		t.Fatalf("a bad goal must throw with its line, got %v", thrown)
	}
	run(t, h, "timeout", 1) // still usable
}

func TestMarksComeFromTheScenario(t *testing.T) {
	h := newHandle(t, map[string]any{"scenario": "nodes: 3\nmark: 3, 7\n"})
	if got := stringify(run(t, h, "marks")); got != "[3,7]" {
		t.Fatalf("marks() = %s, want [3,7]", got)
	}
}
