package raft_test

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// The mutant corpus: every UnsafeRules switch, a scripted case that shows
// the one decision it changes, and a search that finds what it breaks.

// unsafeRule returns UnsafeRules with the named switch on.
func unsafeRule(t testing.TB, name string) raft.UnsafeRules {
	t.Helper()
	var u raft.UnsafeRules
	f := reflect.ValueOf(&u).Elem().FieldByName(name)
	require.True(t, f.IsValid() && f.Kind() == reflect.Bool, "UnsafeRules has no switch %s", name)
	f.SetBool(true)
	return u
}

// unsafeRuleNames lists every UnsafeRules switch.
func unsafeRuleNames() []string {
	typ := reflect.TypeFor[raft.UnsafeRules]()
	out := make([]string, typ.NumField())
	for i := range out {
		out[i] = typ.Field(i).Name
	}
	return out
}

// leaderWithNoop restarts S1 of a cluster of size from a log of terms,
// elects it in the next term and, when commitNoop, has S2 and S3
// acknowledge its no-op so that an entry of its term has committed.
func leaderWithNoop(t *testing.T, c raft.Config, terms []raft.Term, commitNoop bool) *raft.Node {
	t.Helper()
	l, _ := leader(t, c, raft.HardState{Term: terms[len(terms)-1]}, mkLog(terms...))
	if commitNoop {
		for _, p := range []raft.NodeID{2, 3} {
			step(l, raft.Message{Type: raft.MsgAppendResp, From: p, To: 1, Term: l.Term(), RequestTerm: l.Term(), Success: true, MatchIndex: l.LastIndex()})
		}
		require.Equal(t, l.LastIndex(), l.CommitIndex(), "the no-op committed")
	}
	return l
}

// TestUnsafeRuleDecisions runs, for every UnsafeRules switch, the smallest
// script that reaches the decision it names, once with every rule on and
// once with that switch off, and shows the decision — and only it — change.
func TestUnsafeRuleDecisions(t *testing.T) {
	cases := []struct {
		rule string
		// decide runs the script under u and describes the decision.
		decide  func(t *testing.T, u raft.UnsafeRules) string
		safe    string // the decision with every rule on
		mutated string // with the switch off
		// alsoBy names other switches that reach the same decision by
		// another way (no other switch may change it).
		alsoBy []string
	}{
		{
			rule: "CommitEarlierTerms", // §5.4.2
			decide: func(t *testing.T, u raft.UnsafeRules) string {
				c := config(1, 3)
				c.Unsafe = u
				l := leaderWithNoop(t, c, []raft.Term{1, 2}, false) // term 3, no-op at 3
				rd := step(l, raft.Message{Type: raft.MsgAppendResp, From: 2, To: 1, Term: 3, RequestTerm: 3, Success: true, MatchIndex: 2})
				return fmt.Sprintf("S2 holds the term-2 entry 2: commitIndex %d, applies %v", l.CommitIndex(), termsOf(rd.CommittedEntries))
			},
			safe:    "S2 holds the term-2 entry 2: commitIndex 0, applies []",
			mutated: "S2 holds the term-2 entry 2: commitIndex 2, applies [1 2]",
		},
		{
			rule: "SkipUpToDateCheck", // §5.4.1
			decide: func(t *testing.T, u raft.UnsafeRules) string {
				c := config(1, 3)
				c.Unsafe = u
				n := restartNode(t, c, raft.HardState{Term: 3}, mkLog(1, 3))
				reply := step(n, voteReq(2, 1, 4, 5, 1)).only(t)
				return fmt.Sprintf("candidate's last entry 5@1 against 2@3: granted %v", reply.Success)
			},
			safe:    "candidate's last entry 5@1 against 2@3: granted false",
			mutated: "candidate's last entry 5@1 against 2@3: granted true",
		},
		{
			rule: "ForgetVote", // Figure 2, persistent state
			decide: func(t *testing.T, u raft.UnsafeRules) string {
				c := config(1, 3)
				c.Unsafe = u
				n := restartNode(t, c, raft.HardState{Term: 1}, nil)
				rd := step(n, voteReq(2, 1, 2, 0, 0))
				return fmt.Sprintf("granted %v, persists %+v", rd.only(t).Success, rd.HardState)
			},
			safe:    "granted true, persists {Term:2 VotedFor:S2}",
			mutated: "granted true, persists {Term:2 VotedFor:none}",
		},
		{
			rule: "ConfigChangeBeforeTermCommit", // Ongaro 2015
			decide: func(t *testing.T, u raft.UnsafeRules) string {
				c := config(1, 3)
				c.Unsafe = u
				l := leaderWithNoop(t, c, []raft.Term{1}, false)
				idx, err := l.RemoveServer(3)
				return fmt.Sprintf("no-op uncommitted, remove S3: index %d, error %v", idx, err != nil)
			},
			safe:    "no-op uncommitted, remove S3: index 0, error true",
			mutated: "no-op uncommitted, remove S3: index 3, error false",
		},
		{
			rule: "ResetTimerOnAnyVote", // Figure 2, Followers 2
			decide: func(t *testing.T, u raft.UnsafeRules) string {
				c := config(1, 3)
				c.Unsafe = u
				n := restartNode(t, c, raft.HardState{Term: 3, VotedFor: 3}, nil)
				for range 5 {
					n.Tick()
				}
				reply := step(n, voteReq(2, 1, 3, 0, 0)).only(t)
				return fmt.Sprintf("already voted: granted %v, timer at %d", reply.Success, n.Status().ElectionElapsed)
			},
			safe:    "already voted: granted false, timer at 5",
			mutated: "already voted: granted false, timer at 0",
		},
		{
			rule: "SkipCommitMin", // AppendEntries receiver rule 5
			decide: func(t *testing.T, u raft.UnsafeRules) string {
				c := config(1, 3)
				c.Unsafe = u
				n := restartNode(t, c, raft.HardState{Term: 2}, mkLog(1, 1, 2, 2))
				rd := step(n, appendReq(2, 1, 3, 1, 1, 4, ents(2, 1)...))
				return fmt.Sprintf("carries 2 of 4 committed: match %d, commitIndex %d, applies %v", rd.only(t).MatchIndex, n.CommitIndex(), termsOf(rd.CommittedEntries))
			},
			safe:    "carries 2 of 4 committed: match 2, commitIndex 2, applies [1 1]",
			mutated: "carries 2 of 4 committed: match 2, commitIndex 4, applies [1 1 2 2]",
		},
		{
			rule: "TruncateOnEveryAppend", // AppendEntries receiver rule 3
			decide: func(t *testing.T, u raft.UnsafeRules) string {
				c := config(1, 3)
				c.Unsafe = u
				n := restartNode(t, c, raft.HardState{Term: 2}, mkLog(1, 1, 2))
				reply := step(n, appendReq(2, 1, 2, 1, 1, 0, ents(2, 1)...)).only(t)
				return fmt.Sprintf("a late request for entry 2: match %d, log %v", reply.MatchIndex, termsOf(n.Entries()))
			},
			safe:    "a late request for entry 2: match 2, log [1 1 2]",
			mutated: "a late request for entry 2: match 2, log [1 1]",
		},
		{
			rule: "AcceptStaleReplies", // §5.1
			decide: func(t *testing.T, u raft.UnsafeRules) string {
				c := config(1, 3)
				c.Unsafe = u
				n, _ := candidate(t, c, raft.HardState{Term: 2}, nil) // term 3
				step(n, voteResp(2, 1, 2, true))
				return fmt.Sprintf("a vote granted in term 2: %v of term %d", n.Role(), n.Term())
			},
			safe:    "a vote granted in term 2: Candidate of term 3",
			mutated: "a vote granted in term 2: Leader of term 3",
		},
		{
			rule: "BackOffOnStaleRejection", // §5.3
			decide: func(t *testing.T, u raft.UnsafeRules) string {
				c := config(1, 3)
				c.Unsafe = u
				l := leaderWithNoop(t, c, []raft.Term{1, 1}, false) // term 2, no-op at 3
				rd := step(l, raft.Message{Type: raft.MsgAppendResp, From: 2, To: 1, Term: 2, RequestTerm: 1, MatchIndex: 2})
				resent := "nothing"
				if ms := rd.msgs(raft.MsgAppend); len(ms) > 0 {
					resent = fmt.Sprintf("entries %v after %d", termsOf(ms[0].Entries), ms[0].PrevLogIndex)
				}
				return fmt.Sprintf("S2 refused a term-1 request: nextIndex %d, sends %s", progressOf(t, l, 2).Next, resent)
			},
			safe:    "S2 refused a term-1 request: nextIndex 3, sends nothing",
			mutated: "S2 refused a term-1 request: nextIndex 1, sends entries [1 1 2] after 0",
		},
		{
			rule: "ReapplyLastApplied", // Figure 2, All Servers 1
			decide: func(t *testing.T, u raft.UnsafeRules) string {
				c := config(1, 3)
				c.Unsafe = u
				n := restartNode(t, c, raft.HardState{Term: 1}, nil)
				first := step(n, appendReq(2, 1, 1, 0, 0, 2, ents(1, 1, 1, 1)...))
				second := step(n, appendReq(2, 1, 1, 3, 1, 3))
				return fmt.Sprintf("applies %v, then %v", indexesOf(first.CommittedEntries), indexesOf(second.CommittedEntries))
			},
			safe:    "applies [1 2], then [3]",
			mutated: "applies [1 2], then [2 3]",
		},
		{
			rule: "ConcurrentConfigChanges", // dissertation §4.1
			decide: func(t *testing.T, u raft.UnsafeRules) string {
				c := config(1, 5)
				c.Unsafe = u
				l := leaderWithNoop(t, c, []raft.Term{1}, true)
				first, _ := l.RemoveServer(5)
				second, err := l.RemoveServer(4)
				return fmt.Sprintf("remove S5 at %d, then S4: index %d, error %v, voters %v", first, second, err != nil, l.Membership().Voters)
			},
			safe:    "remove S5 at 3, then S4: index 0, error true, voters [S1 S2 S3 S4]",
			mutated: "remove S5 at 3, then S4: index 4, error false, voters [S1 S2 S3]",
		},
		{
			rule: "ReadIndexWithoutRound", // dissertation §6.4 step 3
			decide: func(t *testing.T, u raft.UnsafeRules) string {
				c := config(1, 3)
				c.Unsafe = u
				l := leaderWithNoop(t, c, []raft.Term{1}, true)
				l.ReadIndex(7)
				return fmt.Sprintf("read 7 at once: %+v", drain(l).ReadStates)
			},
			safe:    "read 7 at once: []",
			mutated: "read 7 at once: [{ID:7 Index:2 Refused:false}]",
		},
		{
			rule: "ReadBeforeTermCommit", // dissertation §6.4 step 1
			decide: func(t *testing.T, u raft.UnsafeRules) string {
				c := config(1, 3)
				c.Unsafe = u
				l := leaderWithNoop(t, c, []raft.Term{1}, false)
				l.ReadIndex(7)
				drain(l)
				var served []raft.ReadState
				for _, p := range []raft.NodeID{2, 3} { // the round answered, the no-op not yet acknowledged
					rd := step(l, raft.Message{Type: raft.MsgAppendResp, From: p, To: 1, Term: 2, RequestTerm: 2, Success: true, MatchIndex: 1, Context: 1})
					served = append(served, rd.ReadStates...)
				}
				return fmt.Sprintf("no-op uncommitted, round answered: %+v", served)
			},
			safe:    "no-op uncommitted, round answered: []",
			mutated: "no-op uncommitted, round answered: [{ID:7 Index:0 Refused:false}]",
		},
		{
			rule: "LeaseReadWithoutLease", // dissertation §6.4.1
			decide: func(t *testing.T, u raft.UnsafeRules) string {
				c := config(1, 3)
				c.Unsafe = u
				l := leaderWithNoop(t, c, []raft.Term{1}, true)
				l.LeaseRead(7)
				return fmt.Sprintf("no lease (no sticky leaders), lease read 7: %+v", drain(l).ReadStates)
			},
			safe:    "no lease (no sticky leaders), lease read 7: []",
			mutated: "no lease (no sticky leaders), lease read 7: [{ID:7 Index:2 Refused:false}]",
			// Without a lease the read goes the ReadIndex way, which that
			// switch serves without a round.
			alsoBy: []string{"ReadIndexWithoutRound"},
		},
	}
	var covered []string
	for _, tc := range cases {
		covered = append(covered, tc.rule)
		t.Run(tc.rule, func(t *testing.T) {
			assert.Equal(t, tc.safe, tc.decide(t, raft.UnsafeRules{}), "every rule on")
			assert.Equal(t, tc.mutated, tc.decide(t, unsafeRule(t, tc.rule)), "UnsafeRules.%s", tc.rule)
			for _, other := range unsafeRuleNames() {
				if other != tc.rule && !slices.Contains(tc.alsoBy, other) {
					assert.Equal(t, tc.safe, tc.decide(t, unsafeRule(t, other)), "UnsafeRules.%s must not change this decision", other)
				}
			}
		})
	}
	assert.ElementsMatch(t, unsafeRuleNames(), covered, "every switch has a scripted case")
}

// indexesOf lists the entries' indexes.
func indexesOf(es []raft.Entry) []raft.Index {
	out := make([]raft.Index, len(es))
	for i, e := range es {
		out[i] = e.Index
	}
	return out
}

// safetyProperties are the properties whose violation shows a switch
// breaks safety: Figure 3's, a state machine's order, and linearizable
// reads (propertyOf names them).
var safetyProperties = []string{"election safety", "state machine safety", "state machine order", "leader completeness",
	"commitment", "commit durability", "linearizability"}

// mutantHunt is how the search hunts one switch: the properties it must
// find broken for the switch to count as caught, and the faults it leans
// on (focus raises their share in every schedule's mix; nil: none).
type mutantHunt struct {
	finds []string
	focus func(*faultMix)
}

// mutantHunts holds, for every switch, what finds it fastest. A switch
// that breaks a safety property must be caught breaking one; the two that
// break none (their comments in raft.UnsafeRules say why) are caught by
// what they do break. Most bugs show soonest in the smallest cluster that
// can have them, and without pre-votes, which make elections rarer.
var mutantHunts = map[string]mutantHunt{
	// Figure 8: an entry of an earlier term reaches a majority alone (one
	// entry per append), the leader crashes at once, and a server with a
	// later term in its log comes back to overwrite it.
	"CommitEarlierTerms": {safetyProperties, func(m *faultMix) {
		m.withVoters(3)
		m.maxEntries, m.crashOnCommitPerMille, m.preVote = 1, 500, false
		m.atLeast(actCrashAfterAppend, 6)
		m.atLeast(actRestart, 6)
		m.atLeast(actTimePasses, 6)
	}},
	"SkipUpToDateCheck": {safetyProperties, nil},
	// A reboot forgets the vote; two servers stand in one term, which a
	// pre-vote makes rarer.
	"ForgetVote": {safetyProperties, func(m *faultMix) {
		m.preVote = false
		m.withVoters(3)
		m.atLeast(actReboot, 6)
		m.atLeast(actTimeout, 6)
	}},
	// The 2015 bug needs an even number of voters, single-server changes,
	// a change left on a minority by a crash, and the next leader changing
	// at once.
	"ConfigChangeBeforeTermCommit": {safetyProperties, func(m *faultMix) {
		m.withVoters(4)
		m.joint, m.eagerPerMille = false, 1000
		m.atLeast(actChange, 6)
		m.atLeast(actCrashAfterAppend, 4)
		m.atLeast(actRestart, 4)
		m.atLeast(actCut, 3)
	}},
	"ResetTimerOnAnyVote": {[]string{"election timer"}, nil},
	// A request that ends before the follower's stale suffix: Figure 2's
	// empty heartbeats; stale suffixes come from leaders that crash.
	"SkipCommitMin": {safetyProperties, func(m *faultMix) {
		m.emptyAppendOneIn = 2
		m.atLeast(actCrashAfterAppend, 4)
		m.atLeast(actRestart, 4)
		m.atLeast(actTimeout, 4)
	}},
	"TruncateOnEveryAppend": {safetyProperties, nil},
	// Late replies: delayed, duplicated and reordered messages, and
	// elections one after another in a small cluster.
	"AcceptStaleReplies": {safetyProperties, func(m *faultMix) {
		lateReplies(m)
		m.dupPerMille = 100
	}},
	"BackOffOnStaleRejection": {[]string{"replication progress"}, func(m *faultMix) {
		lateReplies(m)
		m.maxEntries = 0
	}},
	"ReapplyLastApplied": {safetyProperties, nil},
	"ConcurrentConfigChanges": {safetyProperties, func(m *faultMix) {
		m.withVoters(3)
		m.joint, m.window = false, 16
		m.atLeast(actChange, 8)
	}},
	// Reads at a leader cut off from the others while they elect another
	// (check-quorum would make it step down first).
	"ReadIndexWithoutRound": {safetyProperties, func(m *faultMix) {
		m.withVoters(3)
		m.checkQuorum = false
		m.atLeast(actRead, 8)
		m.atLeast(actPartition, 4)
		m.atLeast(actTimePasses, 4)
		m.atLeast(actPropose, 4)
	}},
	"ReadBeforeTermCommit": {safetyProperties, nil},
	"LeaseReadWithoutLease": {safetyProperties, func(m *faultMix) {
		m.withVoters(3)
		m.allowLeases()
		m.checkQuorum = false
		m.atLeast(actLeaseRead, 8)
		m.atLeast(actPartition, 4)
		m.atLeast(actTimePasses, 4)
		m.atLeast(actPropose, 4)
	}},
}

// lateReplies leans a mix towards replies that arrive after their term:
// three voters, no pre-vote, messages held back and reordered, timers that
// fire at once.
func lateReplies(m *faultMix) {
	m.withVoters(3)
	m.preVote, m.window, m.holdOneIn = false, 16, 5
	m.atLeast(actRelease, 6)
	m.atLeast(actTimeout, 6)
}

// huntResult is what a search found, and what it took.
type huntResult struct {
	schedules int    // schedules run, the finding one included
	steps     int    // steps taken in all of them
	violation string // the first violation of a wanted property
	schedule  uint64 // the seed of the schedule that found it
	mix       faultMix
}

// hunt runs swarm schedules seeded from seed with rules, each for
// scheduleSteps steps at most, stopping at the first violation of a
// property in finds, until one is found or budget schedules have run.
func hunt(t testing.TB, rules raft.UnsafeRules, focus func(*faultMix), seed uint64, budget int, finds []string) (huntResult, bool) {
	var res huntResult
	for s := range budget {
		sched := seed<<20 | uint64(s)
		sw := newSwarm(t, sched, rules, focus)
		res.schedules++
		seen := 0
		for range scheduleSteps {
			sw.step()
			res.steps++
			for ; seen < len(sw.violations); seen++ {
				if slices.Contains(finds, propertyOf(sw.violations[seen])) {
					res.violation, res.schedule, res.mix = sw.violations[seen], sched, sw.mix
					return res, true
				}
			}
		}
	}
	return res, false
}

// TestResetTimerOnAnyVoteStallsElections shows what
// UnsafeRules.ResetTimerOnAnyVote breaks: liveness, not safety. The leader
// S3 is gone; S1's log lacks an entry S2 holds, and S1's timer is the
// shorter. S1 stands again and again, and S2 refuses it each time. With
// every rule on, S2's timer runs out all the same, S2 stands, and S1 votes
// for it. With the switch off each refusal resets S2's timer: S2 never
// stands, no leader is ever elected, and the election timer check says so.
func TestResetTimerOnAnyVoteStallsElections(t *testing.T) {
	for _, unsafe := range []bool{false, true} {
		t.Run(fmt.Sprintf("ResetTimerOnAnyVote=%v", unsafe), func(t *testing.T) {
			net := newScriptedNet(t, 3, func(c *raft.Config) { c.Unsafe.ResetTimerOnAnyVote = unsafe })
			elect(t, net, 3)
			net.nodes[3].Propose("x")
			net.handle(3)
			net.deliverWhere(between(2, 3))
			net.crash(3)
			net.dropWhere(all)
			for id, timeout := range map[raft.NodeID]int{1: 10, 2: 13} {
				net.cfgs[id].ElectionTimeoutMin, net.cfgs[id].ElectionTimeoutMax = timeout, timeout
				net.crash(id)
				net.restart(id)
			}
			require.Less(t, net.nodes[1].LastIndex(), net.nodes[2].LastIndex())

			ticks := 0
			for ; ticks < 200 && net.leader() == raft.None; ticks++ {
				net.tick(1)
				net.tick(2)
				net.deliverWhere(all)
			}
			if !unsafe {
				assert.Equal(t, raft.NodeID(2), net.leader(), "S2 stands on its own timer and wins")
				assert.Equal(t, 13, ticks)
				assert.Empty(t, net.violations)
				return
			}
			assert.Equal(t, raft.None, net.leader(), "no leader in %d ticks", ticks)
			assert.Greater(t, net.nodes[1].Term(), raft.Term(10), "S1 stood again and again")
			require.NotEmpty(t, net.violations)
			assert.Equal(t, "election timer: S2 heard from no leader and granted no vote for 14 ticks without standing (Followers 2: within ElectionTimeoutMax = 13)", net.violations[0])
		})
	}
}

// A search's budget: so many schedules at most, of so many steps each.
const (
	huntSchedules = 4000
	scheduleSteps = 1000
)

// TestEveryMutantIsCaught switches each rule off, alone, and requires swarm
// schedules leaning on that switch's faults to find what it breaks within
// a fixed budget of schedules, in two searches with different seeds: no
// mutant survives. Then it runs the same schedules again with every rule
// on, and requires them to find nothing at all, so that what was found is
// the switch's doing.
func TestEveryMutantIsCaught(t *testing.T) {
	for _, rule := range unsafeRuleNames() {
		t.Run(rule, func(t *testing.T) {
			mh, ok := mutantHunts[rule]
			require.True(t, ok, "mutantHunts has no entry for UnsafeRules.%s", rule)
			for seed := uint64(1); seed <= 2; seed++ {
				res, found := hunt(t, unsafeRule(t, rule), mh.focus, seed, huntSchedules, mh.finds)
				require.True(t, found, "search %d: UnsafeRules.%s survived %d schedules", seed, rule, huntSchedules)
				t.Logf("search %d found after %d schedules (%d steps), in schedule %d: %s", seed, res.schedules, res.steps, res.schedule, res.violation)

				clean, found := hunt(t, raft.UnsafeRules{}, mh.focus, seed, res.schedules, allProperties)
				assert.False(t, found, "with every rule on, schedule %d: %s\n%v", clean.schedule, clean.violation, clean.mix)
			}
		})
	}
}

// allProperties are every property randNet checks.
var allProperties = append([]string{"election timer", "replication progress", "reads", "configuration"}, safetyProperties...)

// TestSwarmFindsNothingWithEveryRuleOn runs swarm schedules without a
// focus, with every rule on, and requires that no check fails: neither a
// safety property nor the election timer nor a leader's progress.
func TestSwarmFindsNothingWithEveryRuleOn(t *testing.T) {
	schedules := 500
	if testing.Short() {
		schedules = 50
	}
	res, found := hunt(t, raft.UnsafeRules{}, nil, 2, schedules, allProperties)
	assert.False(t, found, "schedule %d: %s\n%v", res.schedule, res.violation, res.mix)
}

// BenchmarkMutantHunt measures, for every switch, the schedules and steps a
// search needs to catch it (median over 10 seeds), leaning on the
// switch's faults (focused) or not (swarm), and how long a hunt takes.
// Run it once: go test ./raft/ -run '^$' -bench MutantHunt -benchtime 1x
func BenchmarkMutantHunt(b *testing.B) {
	for _, rule := range unsafeRuleNames() {
		mh := mutantHunts[rule]
		for _, variant := range []struct {
			name  string
			focus func(*faultMix)
		}{{"focused", mh.focus}, {"swarm", nil}} {
			if variant.name == "focused" && mh.focus == nil {
				continue // the same as swarm
			}
			b.Run(rule+"/"+variant.name, func(b *testing.B) {
				var schedules, steps, found []int
				var ms []float64
				for b.Loop() {
					schedules, steps, found, ms = nil, nil, nil, nil
					for seed := uint64(1); seed <= 10; seed++ {
						start := time.Now()
						res, ok := hunt(b, unsafeRule(b, rule), variant.focus, seed, huntSchedules, mh.finds)
						ms = append(ms, float64(time.Since(start).Microseconds())/1000)
						schedules, steps = append(schedules, res.schedules), append(steps, res.steps)
						if ok {
							found = append(found, 1)
						}
					}
				}
				b.ReportMetric(float64(median(schedules)), "schedules")
				b.ReportMetric(float64(median(steps)), "steps")
				b.ReportMetric(median(ms), "ms/hunt")
				b.ReportMetric(float64(len(found)), "found/10")
				var total, took float64
				for i := range steps {
					total, took = total+float64(steps[i]), took+ms[i]
				}
				b.ReportMetric(total/took*1000, "steps/s")
			})
		}
	}
}

// median is the middle value (the upper of the two middle ones).
func median[T cmp.Ordered](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
