package raft_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

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
