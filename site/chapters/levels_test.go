package chapters

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft/sim"
)

// level is a small adversary level: three servers, votes without the
// §5.4.1 check.
const level = "---\nid: 20\nslug: level-votes\ntitle: Votes\npart: 3\nlevel: skip-up-to-date-check\n---\n\n" +
	"Break it.\n\n" +
	"```scenario\nnodes: 3\ntimers: frozen\nlatency: 10\nunsafe: skip-up-to-date-check\n```\n\n" +
	"```goals\never violation leader-completeness   # elect a leader that lacks a committed entry\n```\n\n" +
	"```solution\ntimeout S3; deliver S3>S1 RequestVote; deliver S1>S3 RequestVoteReply; deliver S3>S2 AppendEntries\n" +
	"timeout S1; deliver S3>S2 RequestVote; deliver S3>S1 AppendEntries; deliver S2>S3 AppendEntriesReply\n" +
	"deliver S1>S2 RequestVote; deliver S2>S1 RequestVoteReply\n```\n"

func TestLevelParsesAndVerifies(t *testing.T) {
	ch, err := Parse("lv.md", "en", []byte(level))
	require.NoError(t, err)
	assert.True(t, ch.IsLevel)
	assert.Equal(t, "skip-up-to-date-check", ch.Level.Name)
	assert.Equal(t, sim.LeaderCompleteness, ch.LevelProperty())
	require.NoError(t, Verify(ch))
}

func TestSearchBlock(t *testing.T) {
	src := strings.Replace(good, "```quiz\n", "```search\nunsafe: commit-earlier-terms   # Figure 8\nnodes: 5\nseed: 7\n```\n\n```quiz\n", 1)
	ch, err := Parse("ch.md", "en", []byte(src))
	require.NoError(t, err)
	require.Len(t, ch.Searches, 1)
	assert.Equal(t, Search{N: 1, Line: 28, Switch: "commit-earlier-terms", Nodes: 5, Seed: 7}, *ch.Searches[0])
	found := false
	for _, b := range ch.Blocks {
		found = found || b.IsSearch() && b.Search == ch.Searches[0]
	}
	assert.True(t, found, "the search block is a block of the page")

	src = strings.Replace(good, "```quiz\n", "```search\nunsafe: any\n```\n\n```quiz\n", 1)
	ch, err = Parse("ch.md", "en", []byte(src))
	require.NoError(t, err)
	assert.Equal(t, "", ch.Searches[0].Switch, "any: the reader picks")
	assert.Equal(t, int64(1), ch.Searches[0].Seed)
}

func TestBrokenLevelsAndSearches(t *testing.T) {
	search := func(body string) string {
		return strings.Replace(good, "```quiz\n", "```search\n"+body+"```\n\n```quiz\n", 1)
	}
	cases := []struct{ name, src, want string }{
		{"unknown level", strings.Replace(level, "level: skip-up-to-date-check", "level: skip-checks", 1),
			`lv.md:6: level: expected the name of a rule switch (` + strings.Join(sim.SwitchNames(), ", ") + `), got "skip-checks"`},
		{"level without its rule off", strings.Replace(level, "unsafe: skip-up-to-date-check\n", "", 1),
			`lv.md:12: the level's scenario must switch off "skip-up-to-date-check" and nothing else (unsafe: skip-up-to-date-check), got unsafe: `},
		{"level with another rule off", strings.Replace(level, "unsafe: skip-up-to-date-check\n", "unsafe: skip-up-to-date-check, forget-vote\n", 1),
			`lv.md:12: the level's scenario must switch off "skip-up-to-date-check" and nothing else (unsafe: skip-up-to-date-check), got unsafe: skip-up-to-date-check, forget-vote`},
		{"level without a violation goal", strings.Replace(level, "ever violation leader-completeness", "S1 leader", 1),
			`lv.md:18: a level's goals break safety: give one "ever violation PROPERTY" goal`},
		{"level with two exercises", level + "\n```scenario\nnodes: 3\nunsafe: skip-up-to-date-check\n```\n\n```goals\nS1 leader\n```\n\n```solution\ntimeout S1; flush\n```\n",
			`lv.md:6: a level has one exercise, got 2`},
		{"search without a rule", search("nodes: 5\n"), `ch.md:28: search: missing "unsafe" (a rule's name, or "any")`},
		{"search unknown rule", search("unsafe: be-evil\n"),
			`ch.md:29: search: unsafe: unknown rule "be-evil"; expected "any" or one of: ` + strings.Join(sim.SwitchNames(), ", ")},
		{"search nodes", search("unsafe: any\nnodes: 12\n"), `ch.md:30: search: nodes: expected a number from 3 to 9, got "12"`},
		{"search twice", search("unsafe: any\nunsafe: any\n"), `ch.md:30: search: unsafe is already given on line 29`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.SplitN(tc.want, ":", 2)[0], "en", []byte(tc.src))
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// A level whose solution breaks safety with the rule on too does not need
// the rule: Verify says so.
func TestLevelTwinMustBreakNothing(t *testing.T) {
	src := strings.Replace(level, "```scenario\nnodes: 3\ntimers: frozen\nlatency: 10\n",
		"```scenario\nnodes: 3\ntimers: frozen\nlatency: 10\n", 1)
	ch, err := Parse("lv.md", "en", []byte(src))
	require.NoError(t, err)
	require.NoError(t, verifyTwin("lv.md", ch.Exercises[0]))
	// Pretend the switch were another one: the solution needs
	// skip-up-to-date-check, so with only that other rule off it breaks
	// nothing, and the goal is not met.
	ex := *ch.Exercises[0]
	ex.Scenario.Unsafe = ch.Exercises[0].Scenario.Unsafe
	assert.NoError(t, verifyTwin("lv.md", &ex))
}
