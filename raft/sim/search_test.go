package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// searchBudget is how many schedules a search may take in the tests: a
// count, not a time, so that the test means the same on every machine.
const searchBudget = 20000

// searchNodes is the cluster a switch is searched on in the tests: the
// Figure 8 case on five servers, which random schedules reach too rarely;
// the others on what each schedule draws.
func searchNodes(sw Switch) int {
	if sw.Name == "commit-earlier-terms" {
		return 5
	}
	return 0
}

// hunted searches for sw with seed, shrinks what it finds (with a small
// exhaustive search) and returns both.
func hunted(t *testing.T, sw Switch, seed int64, proofStates int) (Found, Shrunk) {
	t.Helper()
	s, err := NewSearch(SearchOptions{Switch: sw.Name, Seed: seed, Nodes: searchNodes(sw), MaxSchedules: searchBudget})
	require.NoError(t, err)
	for !s.Run(64) {
	}
	f, ok := s.Found()
	require.True(t, ok, "%s survived %d schedules (seed %d)", sw.Name, searchBudget, seed)
	sh := NewShrinker(f.Scenario, f.Actions, f.Violation.Property)
	sh.SetProofBudget(proofStates)
	for !sh.Run(256) {
	}
	return f, sh.Result()
}

// TestEverySwitchIsCaughtBySearch switches each rule off, alone, and
// requires the search to find what it breaks within a fixed budget of
// schedules, in two searches with different seeds: no mutant survives.
// What it finds is a real run: shrunk, it replays in a cluster like any
// other to the same violation; with the rule on, the same actions break
// nothing; and its explanation names a step that used the rule and a point
// of no return before the break.
func TestEverySwitchIsCaughtBySearch(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("natively only: TestSearchIsDeterministic shows WebAssembly finds the same")
	}
	seeds := []int64{1, 2}
	if testing.Short() {
		seeds = seeds[:1]
	}
	for _, sw := range Switches() {
		t.Run(sw.Name, func(t *testing.T) {
			for _, seed := range seeds {
				f, r := hunted(t, sw, seed, 300)
				h := tactics[sw.Name]
				require.True(t, h.wants(f.Violation.Property), "%v", f.Violation.Property)
				require.Equal(t, f.Violation.Property, r.Violation.Property, "shrinking keeps the property")
				require.LessOrEqual(t, r.After, r.Before)
				t.Logf("seed %d: %s after %d schedules (%d steps, bfs %v); shrunk from %d to %d actions (shortest: %+v)",
					seed, r.Violation.Property, f.Schedules, f.Steps, f.BFS, r.Before, r.After, r.Shortest)

				c, err := New(r.Scenario)
				require.NoError(t, err)
				require.NoError(t, c.DoAll(r.Actions), "the shrunk run replays as recorded")
				require.True(t, hasProperty(c.Violations(), r.Violation.Property), "the shrunk run breaks %v in a cluster", r.Violation.Property)

				on := r.Scenario
				sw.Set(&on, false)
				c, err = New(on)
				require.NoError(t, err)
				for _, a := range r.Actions {
					_ = c.Do(a) // an action the changed run no longer allows is left out
				}
				require.Empty(t, c.Violations(), "with the rule on, the same actions break nothing")

				ex, ok := Explain(r.Scenario, r.Actions, r.Violation.Property)
				require.True(t, ok)
				require.Equal(t, len(r.Actions)-1, ex.Broke, "the shrunk run ends where it breaks")
				require.NotEmpty(t, ex.Uses, "a step used the rule")
				require.LessOrEqual(t, ex.Uses[0].Action, ex.Broke)
				require.Positive(t, ex.NoReturn)
				require.LessOrEqual(t, ex.NoReturn, len(r.Actions))
			}
		})
	}
}

// searchDigests searches for a few switches and describes what each found
// and its shrinking in one line.
func searchDigests(t *testing.T) string {
	var b strings.Builder
	for _, name := range []string{"commit-earlier-terms", "skip-up-to-date-check", "accept-stale-replies", "apply-out-of-order"} {
		sw, _ := SwitchNamed(name)
		f, r := hunted(t, sw, 1, 50)
		sum := sha256.Sum256([]byte(EncodeActions(f.Actions) + "\n" + EncodeActions(r.Actions)))
		b.WriteString(name + " schedules " + strconv.Itoa(f.Schedules) + " steps " + strconv.Itoa(f.Steps) +
			" found " + strconv.Itoa(r.Before) + " shrunk " + strconv.Itoa(r.After) + " sha256 " + hex.EncodeToString(sum[:12]) + "\n")
	}
	return b.String()
}

// TestSearchIsDeterministic: a search finds the same run after the same
// work twice in one process, and natively as in WebAssembly (make test
// runs it under node too): both match the committed digests.
func TestSearchIsDeterministic(t *testing.T) {
	matchesGolden(t, "testdata/search_digests.txt", "TestSearchIsDeterministic", searchDigests)
}

// A bad switch name or size is refused.
func TestSearchOptionsAreChecked(t *testing.T) {
	_, err := NewSearch(SearchOptions{Switch: "be-evil"})
	require.ErrorContains(t, err, `no rule switch "be-evil"; expected one of: commit-earlier-terms, `)
	_, err = NewSearch(SearchOptions{Switch: "forget-vote", Nodes: 2})
	require.ErrorContains(t, err, "3 to 9 servers")
	s, err := NewSearch(SearchOptions{Switch: "ForgetVote", MaxSchedules: 3})
	require.NoError(t, err)
	require.Equal(t, "forget-vote", s.Switch().Name, "a switch may be named by its field")
	for !s.Run(1) {
	}
	require.LessOrEqual(t, s.Progress().Schedules, 3, "the budget holds")
}

// A hunt goes through its phases — searching, shrinking, explaining — and
// ends with the shrunk run explained; a hunt whose budget runs out ends
// with nothing found.
func TestHuntPhases(t *testing.T) {
	h, err := NewHunt(SearchOptions{Switch: "skip-up-to-date-check", Seed: 1}, 100)
	require.NoError(t, err)
	_, ok := h.Result()
	require.False(t, ok, "nothing before the search finds")
	var phases []HuntPhase
	for !h.Run(1) {
		if p := h.Progress().Phase; len(phases) == 0 || phases[len(phases)-1] != p {
			phases = append(phases, p)
		}
	}
	require.Equal(t, []HuntPhase{Searching, Shrinking, Explaining}, phases)
	require.Equal(t, HuntDone, h.Progress().Phase)
	r, ok := h.Result()
	require.True(t, ok)
	require.Equal(t, "skip-up-to-date-check", r.Switch.Name)
	require.NotNil(t, r.Explanation)
	require.Equal(t, r.Shrunk.Violation.Property, r.Explanation.Property)
	require.Len(t, r.Run, r.Explanation.Broke+1, "the explanation counts the steps of Run")
	require.GreaterOrEqual(t, len(r.Run), r.Shrunk.After)

	h, err = NewHunt(SearchOptions{Switch: "commit-earlier-terms", Seed: 1, MaxSchedules: 2}, 100)
	require.NoError(t, err)
	for !h.Run(8) {
	}
	require.Equal(t, HuntNotFound, h.Progress().Phase)
	_, ok = h.Result()
	require.False(t, ok)
}

// A search can start from a given cluster (a level's) and count only one
// property: on chapter 6's five servers with §5.4.2 off, it finds Leader
// Completeness broken.
func TestSearchFromAScenario(t *testing.T) {
	sc, _ := figure8UnsafeCase(t)
	sc.Unsafe = raft.UnsafeRules{} // the search switches it off itself
	s, err := NewSearch(SearchOptions{Switch: "commit-earlier-terms", Seed: 1, Scenario: &sc, Property: LeaderCompleteness, MaxSchedules: searchBudget})
	require.NoError(t, err)
	for !s.Run(64) {
	}
	f, ok := s.Found()
	require.True(t, ok)
	require.Equal(t, LeaderCompleteness, f.Violation.Property)
	require.Equal(t, 5, f.Scenario.Nodes)
	require.True(t, f.Scenario.Unsafe.CommitEarlierTerms)
	require.Equal(t, sc.Servers, f.Scenario.Servers, "every schedule starts from the given servers")
	t.Logf("found after %d schedules (bfs %v), %d actions", f.Schedules, f.BFS, len(f.Actions))
}
