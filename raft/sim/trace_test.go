package sim

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"raftlab/raft"
	"raftlab/raft/words"
)

// decidedBy is, for each decision, the roles in which Figure 2 lets a
// server make it: only a candidate counts votes and wins, only a leader
// sends heartbeats, backs off nextIndex or defers a commit, only a follower
// grants a vote or accepts entries (a candidate or a leader has voted for
// itself and steps down before accepting a leader), a leader starts no
// election and refuses no proposal.
var decidedBy = map[raft.ReasonCode][]raft.Role{
	raft.VoteReceived:             {raft.Candidate},
	raft.VoteRefused:              {raft.Candidate},
	raft.BecameLeader:             {raft.Candidate},
	raft.FollowedLeader:           {raft.Candidate},
	raft.HeartbeatSent:            {raft.Leader},
	raft.CommitDeferred:           {raft.Leader},
	raft.NextIndexBackedOff:       {raft.Leader},
	raft.ReplyIgnoredOld:          {raft.Leader},
	raft.VoteGranted:              {raft.Follower},
	raft.VoteDeniedLogTerm:        {raft.Follower},
	raft.VoteDeniedLogIndex:       {raft.Follower},
	raft.AppendAccepted:           {raft.Follower},
	raft.AppendDeniedMissingEntry: {raft.Follower},
	raft.AppendDeniedTermMismatch: {raft.Follower},
	raft.EntriesTruncated:         {raft.Follower},
	raft.ElectionStarted:          {raft.Follower, raft.Candidate},
	raft.ProposalRejected:         {raft.Follower, raft.Candidate},
	raft.CommitAdvanced:           {raft.Follower, raft.Leader},
}

// Each trace line of a decision names the role the server had when it
// decided, not the role its step left it in: the vote that makes S2 leader
// reads "S2 Candidate: vote from S1", and "S2 Candidate: won election".
func TestTraceNamesTheRoleAtTheDecision(t *testing.T) {
	seen := map[raft.ReasonCode]bool{}
	check := func(c *Cluster, what string) {
		for _, e := range c.Events(0) {
			if e.Kind != EvNote {
				continue
			}
			line := English.Text(e)
			who := e.Node.String() + " " + English.Role(e.DecidedAs)
			require.True(t, strings.HasPrefix(line, who+":") || strings.HasPrefix(line, who+" "),
				"%s: %q names another role than %v", what, line, e.DecidedAs)
			if roles, ok := decidedBy[e.Reason.Code]; ok {
				require.Contains(t, roles, e.DecidedAs, "%s: %q", what, line)
				seen[e.Reason.Code] = true
			}
		}
	}
	for seed := int64(1); seed <= 60; seed++ {
		opt := RandomOptions{Nodes: 1 + int(seed%5), Seed: seed, Actions: 300}
		if seed%4 == 0 {
			opt.Unsafe = raft.UnsafeRules{CommitEarlierTerms: true, ForgetVote: true}
		}
		c, err := RandomRun(opt)
		require.NoError(t, err)
		check(c, ReplayCommand(opt))
	}
	check(figure8(t, raft.UnsafeRules{}), "figure 8")
	for code := range decidedBy {
		require.True(t, seen[code], "no run decided %v", code)
	}

	// The election of chapter 1, line by line.
	sc := DefaultScenario()
	sc.Nodes, sc.FrozenTimers = 3, true
	c, err := New(sc)
	require.NoError(t, err)
	as, err := ParseActions("timeout S2; deliver S2>S1 vote; deliver S1>S2")
	require.NoError(t, err)
	require.NoError(t, c.DoAll(as))
	trace := English.Trace(c.Events(0))
	for _, want := range []string{
		"S2 Follower: " + words.English.Say("reason.election-started", "term", "1"),
		"S2 Candidate: stored term 1, votedFor S2",
		"S1 Follower: " + words.English.Say("reason.vote-granted", "peer", "S2", "term", "1"),
		"S2 Candidate: " + words.English.Say("reason.vote-received", "peer", "S1", "term", "1", "got", "2", "want", "2"),
		"S2 Candidate: " + words.English.Say("reason.became-leader", "term", "1", "got", "2", "want", "3"),
		"S2 Leader: stored entry 1",
	} {
		require.Contains(t, trace, want)
	}
}

// Every reason has a sentence and a rule in every language, with only the
// placeholders a reason fills; every event kind has a line; every role and
// message type has its words.
func TestEveryReasonAndEventHasWords(t *testing.T) {
	placeholders := []string{"{peer}", "{term}", "{index}", "{got}", "{want}"}
	for _, lang := range words.Languages() {
		tbl, _ := words.For(lang)
		for c := raft.ReasonCode(1); int(c) < raft.ReasonCodes; c++ {
			sentence, rule := "reason."+c.String(), "rule."+c.String()
			require.True(t, tbl.Has(sentence), "%s: no %s", lang, sentence)
			require.True(t, tbl.Has(rule), "%s: no %s", lang, rule)
			text := tbl.Get(sentence)
			for i := strings.IndexByte(text, '{'); i >= 0; i = strings.IndexByte(text, '{') {
				j := strings.IndexByte(text, '}')
				require.Greater(t, j, i, "%s: %s", lang, sentence)
				require.Contains(t, placeholders, text[i:j+1], "%s: %s", lang, sentence)
				text = text[j+1:]
			}
			r := raft.Reason{Code: c, Peer: 2, Term: 3, Index: 4, Got: 5, Want: 6}
			require.NotContains(t, WordsFor(lang).Reason(r), "{", "every placeholder filled")
		}
		for k := EventKind(0); k < eventKindCount; k++ {
			require.True(t, tbl.Has("event."+k.String()), "%s: no event.%s", lang, k)
		}
		// Every role and message type the core names, PreCandidate and
		// InstallSnapshot among them, has its words and a summary whose
		// placeholders are all filled.
		for r := raft.Role(0); !strings.HasPrefix(r.String(), "Role("); r++ {
			require.True(t, tbl.Has("role."+r.String()), "%s: no role.%s", lang, r)
		}
		for m := raft.MsgType(0); !strings.HasPrefix(m.String(), "MsgType("); m++ {
			require.True(t, tbl.Has("type."+m.String()), "%s: no type.%s", lang, m)
			require.True(t, tbl.Has("summary."+m.String()), "%s: no summary.%s", lang, m)
			require.NotContains(t, WordsFor(lang).Summary(m, MsgSummary{}), "{", "%s: summary.%s: every placeholder filled", lang, m)
		}
	}
	// A refusal's index is the prevLogIndex it refused, not a match (the
	// "matchIndex N" label of issue 10, in the trace).
	reply := MsgSummary{Term: 3, MatchIndex: 4}
	require.Equal(t, "(term 3, no, refused prev 4)", English.Summary(raft.MsgAppendResp, reply))
	reply.Success = true
	require.Equal(t, "(term 3, yes, match 4)", English.Summary(raft.MsgAppendResp, reply))
	// (The rule labels are checked against their reviewed rows in
	// raft/reason_rules_test.go.)
	require.Equal(t, "not the leader; leader is none", English.Reason(raft.Reason{Code: raft.ProposalRejected}))
}
