package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"raftlab/raft/sim"
)

func TestRandomRunPrintsTraceAndSummary(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, "", "", &sim.RandomOptions{Seed: 3, Actions: 200, Nodes: 5}, nil, false))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Greater(t, len(lines), 200)
	last := lines[len(lines)-1]
	require.True(t, strings.HasPrefix(last, "summary: 200 actions, "), last)
	require.Contains(t, last, " 0 violations")
}

func TestScenarioRunWithJSON(t *testing.T) {
	file := filepath.Join(t.TempDir(), "s.txt")
	require.NoError(t, os.WriteFile(file, []byte("nodes: 3\ntimers: frozen\n"), 0o644))
	var out bytes.Buffer
	require.NoError(t, run(&out, file, "timeout S2; flush", nil, nil, true))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var first struct{ Kind, Node, Line string }
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
	require.Equal(t, "timeout", first.Kind)
	require.Equal(t, "S2", first.Node)
	require.Contains(t, out.String(), `"reason":"became-leader"`)
	require.Contains(t, lines[len(lines)-1], "1 leaders")
}

func TestBadInputIsAnError(t *testing.T) {
	var out bytes.Buffer
	require.ErrorContains(t, run(&out, "", "", nil, nil, false), "give -scenario")
	require.ErrorContains(t, run(&out, "", "", &sim.RandomOptions{Seed: 1, Actions: 10, Nodes: 3}, []string{"be-evil"}, false), `-unsafe: unknown rule "be-evil"`)
	file := filepath.Join(t.TempDir(), "bad.txt")
	require.NoError(t, os.WriteFile(file, []byte("nodes: 3\nnodez: 4\n"), 0o644))
	require.ErrorContains(t, run(&out, file, "", nil, nil, false), "bad.txt:2: unknown key")
}

func TestViolationIsReported(t *testing.T) {
	var out bytes.Buffer
	err := run(&out, "", "", &sim.RandomOptions{Seed: 1, Actions: 400, Nodes: 5}, []string{"skip-up-to-date-check"}, false)
	require.ErrorIs(t, err, errViolation)
	require.Contains(t, out.String(), "SAFETY VIOLATION")
}

// A scenario whose setup would run for hours stops at its line with the
// limit's name, instead of exhausting memory (issue 8).
func TestSetupBeyondTheLimits(t *testing.T) {
	file := filepath.Join(t.TempDir(), "hours.txt")
	require.NoError(t, os.WriteFile(file, []byte("setup: advance 3600000; advance 3600000; advance 3600000\n"), 0o644))
	var out bytes.Buffer
	err := run(&out, file, "", nil, nil, false)
	require.Error(t, err)
	require.Contains(t, err.Error(), "hours.txt:1: setup: advance 3600000: ")
	require.Contains(t, err.Error(), "sim.MaxEventsPerAction")
}

// A long run is written whole: every event once, in order, though the
// cluster keeps only its latest events.
func TestLongRunIsWrittenWhole(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, "", "", &sim.RandomOptions{Seed: 5, Actions: 10000, Nodes: 5}, nil, true))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	for i, l := range lines[:len(lines)-1] {
		var e struct{ Seq int }
		require.NoError(t, json.Unmarshal([]byte(l), &e))
		require.Equal(t, i, e.Seq)
	}
	require.Contains(t, lines[len(lines)-1], "summary: 10000 actions, "+strconv.Itoa(len(lines)-1)+" events")
	require.Greater(t, len(lines), 2*sim.EventWindow, "more events than a cluster keeps")
}

// An action the cluster refuses writes none of the events it would have
// caused: those are undone with it, and the trace stops at the last action
// done.
func TestRefusedActionWritesNoEvents(t *testing.T) {
	file := filepath.Join(t.TempDir(), "s.txt")
	require.NoError(t, os.WriteFile(file, []byte("nodes: 3\n"), 0o644))
	var done bytes.Buffer
	require.NoError(t, run(&done, file, "advance 1000", nil, nil, false))
	var out bytes.Buffer
	err := run(&out, file, "advance 1000; advance 3600000; advance 3600000", nil, nil, false)
	require.ErrorContains(t, err, "action 2 (advance 3600000)")
	require.ErrorContains(t, err, "sim.MaxEventsPerAction")
	trace, _, _ := strings.Cut(done.String(), "summary:")
	require.Equal(t, trace, out.String())
}
