package sim

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// figure8Unsafe is chapter 6's run with §5.4.2 switched off, written by
// hand: the yardstick for what a search finds.
const figure8Unsafe = `nodes: 5
timers: frozen
latency: 10
max-entries: 1
unsafe: commit-earlier-terms
server S1: term 1 log [1]
server S2: term 1 log [1]
server S3: term 1 log [1]
server S4: term 1 log [1]
server S5: term 1 log [1]
`

const figure8UnsafeRun = `timeout S1
deliver S1>S2 RequestVote; deliver S1>S3 RequestVote; deliver S1>S4 RequestVote; deliver S1>S5 RequestVote
deliver S2>S1 RequestVoteReply; deliver S3>S1 RequestVoteReply
drop S4>S1; drop S5>S1
deliver S1>S2 AppendEntries; deliver S2>S1 AppendEntriesReply
drop S1>S3 AppendEntries; drop S1>S4 AppendEntries; drop S1>S5 AppendEntries
crash S1
timeout S5; deliver S5>S3 RequestVote; deliver S3>S5 RequestVoteReply
deliver S5>S4 RequestVote; deliver S4>S5 RequestVoteReply
crash S5
restart S1; timeout S1; timeout S1
drop S1>S2 RequestVote; drop S1>S3 RequestVote; drop S1>S4 RequestVote; drop S1>S5 RequestVote
deliver S1>S2 RequestVote; deliver S2>S1 RequestVoteReply
deliver S1>S3 RequestVote; deliver S3>S1 RequestVoteReply
deliver S1>S3 AppendEntries; deliver S3>S1 AppendEntriesReply; deliver S1>S3 AppendEntries; deliver S3>S1 AppendEntriesReply
deliver S1>S2 AppendEntries; deliver S2>S1 AppendEntriesReply
crash S1; drop S1>S3 AppendEntries
restart S5; timeout S5; timeout S5
flush`

func figure8UnsafeCase(t *testing.T) (Scenario, []Action) {
	t.Helper()
	sc, err := ParseScenario("figure8", figure8Unsafe)
	require.NoError(t, err)
	run, err := ParseActions(figure8UnsafeRun)
	require.NoError(t, err)
	return sc, run
}

// The hand-written Figure 8 run, explained: S1 uses the switched-off rule
// first when S2's answer shows entry 2 (of term 2) on a majority and S1
// commits it by counting, where the rule defers it; the break needs that
// use. (S5 uses it too, in the last flush, after winning term 5.) The
// point of no return comes after S1's use and no later than the break.
func TestExplainFigure8(t *testing.T) {
	sc, run := figure8UnsafeCase(t)
	ex, ok := Explain(sc, run, LeaderCompleteness)
	require.True(t, ok)
	require.Len(t, ex.Uses, 2)
	require.Equal(t, len(run)-1, ex.Uses[1].Action)
	u := ex.Uses[0]
	require.Equal(t, "deliver S2>S1 AppendEntriesReply", FormatAction(run[u.Action]))
	require.Equal(t, "S1 Leader: commitIndex 0 → 2", English.Text(u.Event))
	require.Equal(t, "S1 Leader: entry 2 is on a majority but its term 2 ≠ current term 4: not committed by counting", English.Text(u.Safe))
	require.True(t, u.Decisive)
	require.Equal(t, []string{
		"the switched-off rule decides here: S1 Leader: commitIndex 0 → 2",
		"with the rule on: S1 Leader: entry 2 is on a majority but its term 2 ≠ current term 4: not committed by counting",
		"the break needs this step: with the rule on here alone, the run breaks nothing",
	}, English.RuleUseText(u))
	require.Equal(t, len(run)-1, ex.Broke, "S5 wins term 5 in the last flush")
	require.Greater(t, ex.NoReturn, u.Action+1, "left alone after the commit, S1 replicates its own entry and nothing breaks")
	require.LessOrEqual(t, ex.NoReturn, len(run))
	_, ok = Explain(sc, run[:u.Action], LeaderCompleteness)
	require.False(t, ok, "a run that does not break the property has no explanation")
}

// The hand-written run shrinks, and stays a run that breaks Leader
// Completeness.
func TestShrinkFigure8(t *testing.T) {
	sc, run := figure8UnsafeCase(t)
	sh := NewShrinker(sc, run, LeaderCompleteness)
	sh.SetProofBudget(200)
	for !sh.Run(100) {
	}
	r := sh.Result()
	require.Equal(t, len(run), r.Before)
	require.Less(t, r.After, r.Before)
	require.Equal(t, LeaderCompleteness, r.Violation.Property)
	require.False(t, r.Shortest.Proved, "200 states cannot cover every run of that length")
	c, err := New(sc)
	require.NoError(t, err)
	require.NoError(t, c.DoAll(r.Actions))
	require.True(t, hasProperty(c.Violations(), LeaderCompleteness))
	t.Logf("%d → %d actions: %s", r.Before, r.After, EncodeActions(r.Actions))
}

// A run that does not break the property is left as it is.
func TestShrinkNothingToShrink(t *testing.T) {
	sc, run := figure8UnsafeCase(t)
	sh := NewShrinker(sc, run[:5], LeaderCompleteness)
	require.True(t, sh.Run(1))
	require.Equal(t, 5, sh.Result().After)
}

// A small bug is proved shortest: the first run the search finds for
// apply-out-of-order (over seeds 1 to 10) that shrinks to five actions or
// fewer, and the exhaustive search covers every shorter run without
// breaking State Machine Order.
func TestShortestProof(t *testing.T) {
	sw, _ := SwitchNamed("apply-out-of-order")
	for seed := int64(1); seed <= 10; seed++ {
		_, r := hunted(t, sw, seed, maxShortestStates)
		if r.After > 5 {
			continue
		}
		t.Logf("seed %d: %s, %+v", seed, EncodeActions(r.Actions), r.Shortest)
		require.True(t, r.Shortest.Proved)
		require.Equal(t, r.After-1, r.Shortest.Depth)
		return
	}
	t.Fatal("no seed from 1 to 10 shrinks to five actions or fewer")
}

// Persisting after sending: S2 grants its vote, the reply leaves, and S2
// crashes before the vote is stored; the trace says what was lost, and the
// restarted S2 votes again in the same term.
func TestPersistAfterSendLosesTheVote(t *testing.T) {
	sc, err := ParseScenario("t", "nodes: 3\ntimers: frozen\nunsafe: persist-after-send\n")
	require.NoError(t, err)
	c, err := New(sc)
	require.NoError(t, err)
	as, err := ParseActions("timeout S1; deliver S1>S2 RequestVote; crash S2")
	require.NoError(t, err)
	require.NoError(t, c.DoAll(as))
	var lines []string
	for _, e := range c.Events(0) {
		if e.Kind == EvLostWrite || e.Kind == EvSend && e.Node == 2 {
			lines = append(lines, English.Text(e))
		}
	}
	require.Equal(t, []string{
		"S2 Follower → S1 RequestVoteReply #3 (term 1, yes)",
		"S2: the crash lost a write it had sent messages about but not yet stored: term 1, votedFor S1",
	}, lines)
	as, err = ParseActions("restart S2; timeout S3; deliver S3>S2 RequestVote")
	require.NoError(t, err)
	require.NoError(t, c.DoAll(as))
	trace := English.Trace(c.Events(0))
	require.Contains(t, trace, "S2 Follower: granted vote to S3 for term 1", "S2 votes twice in term 1")
	require.Equal(t, 1, strings.Count(trace, "lost a write"))
}

// A level's hints, read off the hand-written Figure 8 run: who crashes,
// which messages are lost, the decision the rule changes, the point of no
// return.
func TestHintsFigure8(t *testing.T) {
	sc, run := figure8UnsafeCase(t)
	hs := English.Hints(sc, run, LeaderCompleteness)
	require.Len(t, hs, 4)
	require.Equal(t, "Crash servers at the right moments: the shortest known run crashes S1, S5.", hs[0])
	require.True(t, strings.HasPrefix(hs[1], "Some messages must never arrive: S4 → S1 RequestVoteReply, S5 → S1 RequestVoteReply, S1 → S3 AppendEntries, "), hs[1])
	require.Equal(t, "The break hinges on one decision: S1 Leader: commitIndex 0 → 2 (with the rule on: S1 Leader: entry 2 is on a majority but its term 2 ≠ current term 4: not committed by counting).", hs[2])
	require.True(t, strings.HasPrefix(hs[3], "In the shortest known run, after step "), hs[3])
	// Japanese lists the same names its own way.
	ja := WordsFor("ja").Hints(sc, run, LeaderCompleteness)
	require.Len(t, ja, 4)
	require.Contains(t, ja[0], "S1、S5")
	require.Contains(t, ja[1], "S4 → S1 RequestVoteReply、S5 → S1 RequestVoteReply")
}
