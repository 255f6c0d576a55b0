package goal_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft/sim"
	"raftlab/raft/sim/goal"
)

// step is one action (or several, separated by ';') and the goals' state
// after it: one character per goal, '.' not met, 'M' met, 'B' broken.
type step struct {
	do   string
	want string
}

type run struct {
	name     string
	scenario string
	goals    string
	start    string // the goals' state at the start
	steps    []step
}

func status(w *goal.Watcher, met []bool) string {
	broken := w.Broken()
	var b strings.Builder
	for i, m := range met {
		switch {
		case m:
			b.WriteByte('M')
		case broken[i]:
			b.WriteByte('B')
		default:
			b.WriteByte('.')
		}
	}
	return b.String()
}

const election3 = `nodes: 3
timers: frozen
latency: 10
`

var runs = []run{
	{
		name:     "an election",
		scenario: election3,
		goals: `S2 leader term >= 1
S1 voted-for S2
S3 voted-for S2
any leader
no leader
S2 candidate
S2 votes >= 2
S2 term 1 and S1 term = 1
all follower
ever S2 reason became-leader
S1 voted-for none`,
		start: "....M...M.M",
		steps: []step{
			{"timeout S2", "....MM..M.M"}, // "all follower" and "no leader" held at the start
			{"deliver S2>S1 vote", ".M..MM.MM.M"},
			{"deliver S1>S2 vote-reply", "MM.MMMMMMMM"},
			{"deliver S2>S3 vote; deliver S3>S2", "MMMMMMMMMMM"},
		},
	},
	{
		name: "a split vote, then a leader",
		scenario: `nodes: 5
timers: frozen
latency: 10
server S1: term 1 log [1] crashed
server S2: term 1 log [1]
server S3: term 1 log [1]
server S4: term 1 log [1]
server S5: term 1 log [1]
`,
		goals: `ever split-vote
ever any leader term >= 3
ever reason vote-denied-already-voted
never S2 leader term 2 # a bound: nobody wins term 2`,
		start: "....",
		steps: []step{
			{"timeout S2; timeout S4", "...."},
			{"deliver S2>S3 vote; deliver S3>S2; deliver S4>S5 vote; deliver S5>S4", "...."},
			{"deliver S2>S5 vote", "..M."},
			{"timeout S2", "M.M."},
			{"flush", "MMMM"},
		},
	},
	{
		name: "the consistency check repairs a log",
		scenario: `nodes: 3
timers: frozen
latency: 10
server S1: term 3 log [1,1,2]
server S2: term 2 log [1,1,2]
server S3: term 1 log [1,1,1,1,1]
setup:
  timeout S1; deliver S1>S2 vote; deliver S2>S1
  deliver S1>S2 append; deliver S2>S1; drop S1>S3 vote
`,
		goals: `S3 log = S1
S3 log [1,1,2,4,4]
ever S3 reason append-denied-term-mismatch
ever S1 reason next-index-backed-off
ever overwritten
ever S3 reason entries-truncated
S3 log-length <= 4
S1 log-length 5 and S1 commit >= 5`,
		start: "........",
		steps: []step{
			{"propose S1 set x 3", "........"},
			{"deliver S1>S3 append", "..M....."},
			{"deliver S3>S1", "..MM...."},
			{"deliver S1>S3 append", "MMMM.M.."}, // a minority's entries: not "overwritten"
			{"deliver S3>S1", "MMMM.M.M"},
		},
	},
	{
		name: "commit versus apply",
		scenario: `nodes: 3
timers: frozen
setup:
  timeout S1; flush; flush
`,
		goals: `S1 applied >= 2 and S2 has entry 2 not-applied
all applied >= 2
ever S2 read x missing
ever S2 read x = 3
ever S1 read x = 3
ever applied entry 2 term 1
ever S3 applied entry 2`,
		start: ".......",
		steps: []step{
			{"propose S1 set x 3", "......."},
			{"deliver S1>S2; deliver S1>S3; deliver S2>S1", "M....M."},
			{"read S2 x; read S1 x", "M.M.MM."},
			{"deliver S3>S1; timeout S1; flush", "MMM.MMM"},
			{"read S2 x", "MMMMMMM"},
		},
	},
	{
		name: "a bound is broken when its condition comes first",
		scenario: `nodes: 3
timers: frozen
`,
		goals: `S3 leader
never S1 leader
never violation`,
		start: "...",
		steps: []step{
			{"timeout S1; flush", ".B."},
			{"timeout S3; flush", "MBM"},
		},
	},
	{
		name: "forgetting a vote elects two leaders in one term",
		scenario: `nodes: 3
timers: frozen
`,
		goals: `ever violation election-safety
ever violation
never violation state-machine-safety
ever S1 stepped-down term >= 2
ever S2 reason vote-granted
ever S2 down`,
		start: "......",
		steps: []step{
			{"timeout S1; deliver S1>S2 vote; deliver S2>S1", "....M."},
			{"timeout S3; drop S3>S1; restart S2 forget-vote", "....MM"},
			{"deliver S3>S2 vote; deliver S2>S3", "MM..MM"},
			{"timeout S2; flush", "MMMMMM"},
		},
	},
	{
		name: "a pre-candidate, reads by path, and a read no order explains",
		scenario: `nodes: 3
timers: frozen
latency: 10
pre-vote: on
reads: read-index
setup:
  timeout S1; flush; flush
`,
		goals: `ever S3 pre-candidate
ever S2 read x = 3 read-index
ever S3 read x missing local
ever violation linearizability
never violation state-machine-safety
S3 votes >= 1`,
		start: "......",
		steps: []step{
			{"propose S1 set x 3; deliver S1>S2 append; deliver S2>S1", "......"},
			{"read S3 x local", "..MM.."},
			{"read S2 x; flush", ".MMM.."},
			{"timeout S3", "MMMMMM"},
		},
	},
	{
		name: "an entry on a majority is overwritten (Figure 8)",
		scenario: `nodes: 5
timers: frozen
latency: 10
server S1: term 1 log [1]
server S2: term 1 log [1]
server S3: term 1 log [1]
server S4: term 1 log [1]
server S5: term 1 log [1]
setup:
  timeout S1; flush; flush
  propose S1 set y 2; deliver S1>S2 append; crash S1
  drop *>*; drop *>*; drop *>*; drop *>*
  timeout S5; deliver S5>S3 vote; deliver S3>S5; deliver S5>S4 vote; deliver S4>S5; crash S5
  drop *>*; drop *>*; drop *>*; drop *>*; drop *>*; drop *>*
`,
		goals: `ever 3 servers have entry 3 term 2
majority has entry 3 term 2
ever overwritten entry 3 term 2
S2 log [1,2,3,5]
never applied entry 3 term 2
never S5 votes >= 4`,
		start: "......",
		steps: []step{
			{"restart S1; timeout S1; timeout S1; drop S1>S2; drop S1>S3; drop S1>S4; drop S1>S5", "......"},
			{"deliver S1>S2 vote; deliver S2>S1; deliver S1>S3 vote; deliver S3>S1", "......"},
			{"deliver S1>S3 append; deliver S3>S1; deliver S1>S3 append", "MM...."},
			{"crash S1; restart S5; timeout S5; timeout S5; drop S5>S1; drop S5>S2; drop S5>S3; drop S5>S4", "MM...."},
			{"deliver S5>S2 vote; deliver S2>S5; deliver S5>S4 vote; deliver S4>S5", "MM...."},
			{"deliver S5>S2 append; deliver S2>S5", "MM...."},
			{"deliver S5>S2 append", "MMMMMM"},
		},
	},
}

// runsPart2 are goals about log compaction and membership changes.
var runsPart2 = []run{
	{
		name: "a lagging follower gets a snapshot",
		scenario: `nodes: 3
timers: frozen
setup:
  timeout S1; flush; crash S3
  propose S1 set x 1; propose S1 set y 2; flush; timeout S1; flush
`,
		goals: `S1 snapshot >= 3
S3 snapshot >= 3
ever S3 reason snapshot-installed
S3 applied >= 3 and S3 log-length 3
majority has entry 3`,
		start: "....M",
		steps: []step{
			{"compact S1", "M...M"},
			{"restart S3", "M...M"},
			{"timeout S1; flush", "MMMMM"},
		},
	},
	{
		name: "a server joins as a learner, catches up and votes",
		scenario: `nodes: 4
voters: S1 S2 S3
timers: frozen
setup:
  timeout S1; flush; timeout S1; flush
`,
		goals: `S4 outside
ever S4 learner
S4 voter and S1 voters S1 S2 S3 S4
S2 voters S1 S2 S3 S4
S4 log = S1
majority has entry 3
never S1 joint`,
		start: "M......",
		steps: []step{
			{"add-server S1 S4", "M......"},
			{"deliver S1>S4", "M......"}, // S4 refuses: it has no entry 1 yet
			{"flush", "MMMMMMM"},         // caught up and promoted; the promotion is stored on every server
		},
	},
	{
		name: "a joint change",
		scenario: `nodes: 5
voters: S1 S2 S3
membership: joint
timers: frozen
setup:
  timeout S1; flush; timeout S1; flush
`,
		goals: `ever S1 joint
S1 voters S1 S4 S5 and S1 voter
S2 joint # removed, S2 never hears of C_new
ever S1 reason config-joint-left
S2 voter`,
		start: "....M",
		steps: []step{
			{"change-voters S1 S1 S4 S5", "....M"},
			{"flush", "MMMMM"},
		},
	},
}

func TestGoalsFlipAtTheRightMoment(t *testing.T) {
	for _, r := range append(runs, runsPart2...) {
		t.Run(r.name, func(t *testing.T) {
			sc, err := sim.ParseScenario("scenario", r.scenario)
			require.NoError(t, err)
			c, err := sim.New(sc)
			require.NoError(t, err)
			goals, err := goal.Parse("goals", 1, r.goals)
			require.NoError(t, err)
			w := goal.NewWatcher(goals)
			require.Equal(t, r.start, status(w, w.Update(c)), "at the start")
			for _, s := range r.steps {
				as, err := sim.ParseActions(s.do)
				require.NoError(t, err)
				require.NoError(t, c.DoAll(as), s.do)
				require.Equal(t, s.want, status(w, w.Update(c)), "after %q\n%s", s.do, sim.English.Trace(c.Events(0)))
				// A fresh watcher over the whole history agrees.
				fresh := goal.NewWatcher(goals)
				require.Equal(t, s.want, status(fresh, fresh.Update(c)), "a fresh watcher after %q", s.do)
			}
		})
	}
}

// Going back (undo, seek, reset) unmeets the goals met after that point;
// going forward again meets them again.
func TestWatcherFollowsUndoAndSeek(t *testing.T) {
	sc, err := sim.ParseScenario("s", election3)
	require.NoError(t, err)
	c, err := sim.New(sc)
	require.NoError(t, err)
	w := goal.NewWatcher(goal.MustParse("S2 leader\nS1 voted-for S2\never S2 reason election-started"))
	require.NoError(t, c.DoAll(mustActions(t, "timeout S2; deliver S2>S1 vote; deliver S1>S2")))
	require.Equal(t, []bool{true, true, true}, w.Update(c))

	c.Undo()
	require.Equal(t, []bool{false, true, true}, w.Update(c))
	c.Seek(1)
	require.Equal(t, []bool{false, false, true}, w.Update(c))
	c.Redo()
	c.Redo()
	require.Equal(t, []bool{true, true, true}, w.Update(c))

	// Undo and a different action between two updates: the history changed.
	c.Seek(1)
	require.NoError(t, c.DoAll(mustActions(t, "drop S2>S1; drop S2>S3")))
	require.Equal(t, []bool{false, false, true}, w.Update(c))

	c.Reset()
	require.Equal(t, []bool{false, false, false}, w.Update(c))

	// Another cluster.
	other, err := sim.New(sc)
	require.NoError(t, err)
	require.NoError(t, other.Do(sim.Action{Op: sim.OpTimeout, Node: 2}))
	require.Equal(t, []bool{false, false, true}, w.Update(other))
}

// Many actions past a checkpoint and a seek back across it.
func TestWatcherAcrossCheckpoints(t *testing.T) {
	sc := sim.DefaultScenario()
	c, err := sim.New(sc)
	require.NoError(t, err)
	w := goal.NewWatcher(goal.MustParse("ever any leader\nany leader term >= 2"))
	for i := 0; i < 100; i++ {
		require.NoError(t, c.Do(sim.Action{Op: sim.OpAdvance, Millis: 5}))
		require.NoError(t, c.Do(sim.Action{Op: sim.OpNext}))
		w.Update(c)
	}
	met := w.Update(c)
	require.True(t, met[0])
	c.Seek(0)
	require.Equal(t, []bool{false, false}, w.Update(c))
	c.Seek(200)
	fresh := goal.Check(w.Goals(), c)
	require.Equal(t, fresh, w.Update(c))
}

func mustActions(t *testing.T, text string) []sim.Action {
	t.Helper()
	as, err := sim.ParseActions(text)
	require.NoError(t, err)
	return as
}

func TestParseKeepsTextAndComments(t *testing.T) {
	gs, err := goal.Parse("ch.md", 10, "\n  S2   leader term>=1   # S2 wins\n\n# only a comment\nnever S1 leader\n")
	require.NoError(t, err)
	require.Len(t, gs, 2)
	assert.Equal(t, "S2 leader term>=1", gs[0].Text)
	assert.Equal(t, "S2 wins", gs[0].Comment)
	assert.Equal(t, 11, gs[0].Line)
	assert.False(t, gs[0].Bound())
	assert.Equal(t, "never S1 leader", gs[1].Text)
	assert.Equal(t, 14, gs[1].Line)
	assert.True(t, gs[1].Bound())
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ text, want string }{
		{"leader any", `f.md:7: unknown goal "leader any"; expected one of: ever, never, a server (S1 to S9), any, all, no, majority, N servers, reason, applied entry, violation, split-vote, overwritten`},
		{"S2 leeder", `f.md:7: unknown goal "S2 leeder"; expected after "S2" one of: leader, candidate, follower, pre-candidate, up, down, term, voted-for, votes, log, log-length, has, commit, applied, snapshot, voter, learner, outside, voters, joint, stepped-down, reason, read, applied entry`},
		{"S2 voters", `f.md:7: voters: expected servers, like "voters S1 S2 S3", got nothing`},
		{"S2 voters S1 S1", `f.md:7: voters: S1 is listed twice`},
		{"S2 voters S1 all", `f.md:7: voters: expected a server like S2, got "all"`},
		{"S2 snapshot >= x", `f.md:7: snapshot: expected a number (after one of = >= <= > < if you like), got "x"`},
		{"S0 leader", `f.md:7: no server "S0"; servers are S1 to S9`},
		{"S12 up", `f.md:7: no server "S12"; servers are S1 to S9`},
		{"S2 term", `f.md:7: term: expected a number (after one of = >= <= > < if you like), got nothing`},
		{"S2 term >= x", `f.md:7: term: expected a number (after one of = >= <= > < if you like), got "x"`},
		{"S2 term != 3", `f.md:7: term: expected a number (after one of = >= <= > < if you like), got "!= 3"`},
		{"S2 leader term 2 now", `f.md:7: unexpected "now" at the end of "S2 leader term 2 now"`},
		{"S1 voted-for everyone", `f.md:7: voted-for: expected a server like S2, got "everyone"`},
		{"S3 log 1,2", `f.md:7: log: expected the entries' terms like [1,1,2] or "= S1", got "1,2"`},
		{"S3 log [1,0]", `f.md:7: log: expected the entries' terms, numbers from 1 like [1,1,2], got "0"`},
		{"S3 log [1,2", `f.md:7: a list is not closed with ']': "[1,2"`},
		{"S3 has 2", `f.md:7: has: expected "entry I", like "has entry 2 term 2", got "2"`},
		{"S3 has entry two", `f.md:7: entry: expected a number, got "two"`},
		{"S1 stepped-down", `f.md:7: "S1 stepped-down" is something that happens: write "ever S1 stepped-down" or "never S1 stepped-down"`},
		{"reason vote-granted", `f.md:7: "reason vote-granted" is something that happens: write "ever reason vote-granted" or "never reason vote-granted"`},
		{"ever reason voted", `f.md:7: reason: unknown reason "voted"; expected one of: vote-granted, vote-denied-stale-term`},
		{"ever S2 read x = 3 quorum", `f.md:7: read x: expected nothing or how the read was served: "local", "read-index" or "lease", got "quorum"`},
		{"ever violation safety", `f.md:7: violation: unknown property "safety"; expected one of: ` + strings.Join(sim.PropertyKeys(), ", ")},
		{"ever any stepped-down", `f.md:7: "ever any stepped-down": only a server (S1 to S9) can come before "stepped-down"; it is something that happens to one server`},
		{"ever stepped-down", `f.md:7: stepped-down: expected a server before it, like "ever S1 stepped-down term >= 3"`},
		{"ever S2 read x", `f.md:7: read x: expected "missing" or "= VALUE", got nothing`},
		{"ever S2 read", `f.md:7: read: expected a key, like "read x missing" or "read x = 3", got nothing`},
		{"ever", `f.md:7: unknown goal "ever"; expected a condition after "ever"`},
		{"S1 leader and", `f.md:7: "and" joins two conditions; one is missing in "S1 leader and"`},
		{"ever split-vote and S1 leader", `f.md:7: "and" joins only conditions on the state; "split-vote" is something that happens: give it a goal of its own`},
		{"10 servers have entry 1", `f.md:7: expected a number from 1 to 9, got "10"`},
		{"3 have entry 1", `f.md:7: expected "servers" after 3, like "3 servers have entry 2", got "have"`},
		{"ever applied 2", `f.md:7: applied: expected "entry I", like "ever applied entry 2 term 2", got "2"`},
	}
	for _, tc := range cases {
		_, err := goal.Parse("f.md", 5, "# goals\n\n"+tc.text)
		require.Error(t, err, tc.text)
		var pe *sim.ParseError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, 7, pe.Line, tc.text)
		if strings.HasSuffix(tc.want, "vote-denied-stale-term") {
			assert.True(t, strings.HasPrefix(err.Error(), tc.want), "%s\n got %s", tc.text, err)
			continue
		}
		assert.Equal(t, tc.want, err.Error(), tc.text)
	}
}

// Every reason code has a name the language accepts.
func TestEveryReasonParses(t *testing.T) {
	for _, line := range []string{"ever reason reply-ignored-stale", "ever S3 reason vote-denied-log-term",
		"never reason heartbeat-sent", "ever reason commit-deferred"} {
		_, err := goal.Parse("", 1, line)
		assert.NoError(t, err, line)
	}
}

func TestServersAndMinServers(t *testing.T) {
	gs := goal.MustParse("S2 voted-for S5 and S1 up\n4 servers have entry 1\nno leader")
	assert.ElementsMatch(t, []uint8{2, 5, 1}, toInts(gs[0].Servers()))
	assert.Equal(t, 4, gs[1].MinServers())
	assert.Empty(t, gs[2].Servers())
}

func toInts[T ~uint8](ids []T) []uint8 {
	out := make([]uint8, len(ids))
	for i, id := range ids {
		out[i] = uint8(id)
	}
	return out
}
