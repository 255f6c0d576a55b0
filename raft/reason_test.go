package raft_test

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// rulePrefixes are the ways a rule label starts: a part of Figure 2, the
// InstallSnapshot receiver of Figure 13, or a statement that no Figure 2
// rule covers the decision (the section then names where the rule is).
var rulePrefixes = []string{"RequestVote receiver", "AppendEntries receiver", "Rules for Servers",
	"InstallSnapshot receiver", "not in Figure 2: "}

// codeCount is the number of reason codes, ReasonNone included: the tables
// are arrays of that length.
var codeCount = len(raft.EnglishTemplates)

// TestReasonTables checks that every decision a server can explain has a
// machine name, a section of the paper, a Figure 2 rule and English words.
func TestReasonTables(t *testing.T) {
	require.Equal(t, int(raft.LeaseExpired)+1, codeCount, "LeaseExpired is the last code")
	placeholder := regexp.MustCompile(`\{[^}]*\}`)
	names := map[string]raft.ReasonCode{}
	for i := 1; i < codeCount; i++ {
		c := raft.ReasonCode(i)
		t.Run(c.String(), func(t *testing.T) {
			assert.NotEmpty(t, c.String())
			assert.NotContains(t, c.String(), "reason(")
			assert.Regexp(t, `^[a-z]+(-[a-z]+)*$`, c.String(), "a stable machine name")
			assert.Regexp(t, `^(dissertation )?§\d+(\.\d+)*$`, c.Section(), "a section of the paper or the dissertation")
			assert.NotEmpty(t, c.Rule())
			assert.True(t, slices.ContainsFunc(rulePrefixes, func(p string) bool { return strings.HasPrefix(c.Rule(), p) }),
				"names a rule of Figure 2 or Figure 13, or says there is none: %q", c.Rule())
			tmpl := raft.EnglishTemplates[c]
			assert.NotEmpty(t, tmpl)
			for _, p := range placeholder.FindAllString(tmpl, -1) {
				assert.Contains(t, []string{"{peer}", "{term}", "{index}", "{got}", "{want}"}, p, "template %q", tmpl)
			}

			got, ok := raft.ReasonCodeByName(c.String())
			assert.True(t, ok)
			assert.Equal(t, c, got, "ReasonCodeByName round-trips")
			_, dup := names[c.String()]
			assert.False(t, dup, "names are unique")
			names[c.String()] = c

			r := raft.Reason{Code: c, Peer: 2, Term: 3, Index: 4, Got: 5, Want: 6}
			s := r.String()
			assert.NotContains(t, s, "{", "every placeholder filled: %q", s)
			assert.NotEmpty(t, s)
		})
	}
	t.Run("none", func(t *testing.T) {
		c := raft.ReasonNone
		assert.Equal(t, "none", c.String())
		assert.Empty(t, c.Section())
		assert.Empty(t, c.Rule())
		assert.Empty(t, raft.EnglishTemplates[c])
		assert.Empty(t, raft.Reason{}.String())
		got, ok := raft.ReasonCodeByName("none")
		assert.True(t, ok)
		assert.Equal(t, raft.ReasonNone, got)
	})
	t.Run("out of range", func(t *testing.T) {
		c := raft.ReasonCode(codeCount)
		want := "reason(" + strconv.Itoa(codeCount) + ")"
		assert.Equal(t, want, c.String())
		assert.Empty(t, c.Section())
		assert.Empty(t, c.Rule())
		assert.Equal(t, want, raft.Reason{Code: c}.String())
		_, ok := raft.ReasonCodeByName("no-such-reason")
		assert.False(t, ok)
		_, ok = raft.ReasonCodeByName("")
		assert.False(t, ok)
	})
}

// TestReasonIsRejection checks which codes explain a refused request: the
// RequestVote and AppendEntries receiver denials, and nothing else.
func TestReasonIsRejection(t *testing.T) {
	want := map[raft.ReasonCode]bool{
		raft.VoteDeniedStaleTerm: true, raft.VoteDeniedAlreadyVoted: true, raft.VoteDeniedLogTerm: true,
		raft.VoteDeniedLogIndex: true, raft.AppendDeniedStaleTerm: true, raft.AppendDeniedMissingEntry: true,
		raft.AppendDeniedTermMismatch: true, raft.SnapshotDeniedStaleTerm: true,
		raft.PreVoteDeniedStaleTerm: true, raft.PreVoteDeniedLog: true,
	}
	for i := range codeCount {
		c := raft.ReasonCode(i)
		assert.Equal(t, want[c], c.IsRejection(), c.String())
	}
}

// TestReasonRender checks that Render fills the placeholders with the
// reason's numbers.
func TestReasonRender(t *testing.T) {
	cases := []struct {
		r    raft.Reason
		want string
	}{
		{raft.Reason{Code: raft.AppendDeniedTermMismatch, Peer: 1, Term: 3, Index: 7, Got: 2, Want: 3},
			"term mismatch at prevLogIndex 7: 2 ≠ 3"},
		{raft.Reason{Code: raft.VoteGranted, Peer: 2, Term: 3}, "granted vote to S2 for term 3"},
		{raft.Reason{Code: raft.VoteDeniedLogIndex, Peer: 2, Term: 2, Got: 2, Want: 3},
			"candidate's log is less up to date: last term 2 equal, last index 2 < 3"},
		{raft.Reason{Code: raft.SteppedDown, Peer: 4, Term: 9, Want: 8}, "saw term 9 from S4 (was 8): adopt it, become follower"},
		{raft.Reason{Code: raft.ProposalRejected, Peer: raft.None, Term: 2}, "not the leader; leader is none"},
		{raft.Reason{Code: raft.EntriesTruncated, Index: 3, Got: 18446744073709551615},
			"remove conflicting entries 3–18446744073709551615"},
		{raft.Reason{Code: raft.BecameLeader, Term: 5, Got: 3, Want: 5}, "won election for term 5 with 3 of 5 votes"},
	}
	for _, tc := range cases {
		t.Run(tc.r.Code.String(), func(t *testing.T) {
			assert.Equal(t, tc.want, tc.r.String())
			assert.Equal(t, tc.want, tc.r.Render(&raft.EnglishTemplates))
		})
	}

	t.Run("another language's table", func(t *testing.T) {
		var fr raft.ReasonTemplates
		fr[raft.VoteGranted] = "vote accordé à {peer} pour le mandat {term}"
		fr[raft.CommitAdvanced] = "{want}→{got}{unknown}{"
		assert.Equal(t, "vote accordé à S2 pour le mandat 3", raft.Reason{Code: raft.VoteGranted, Peer: 2, Term: 3}.Render(&fr))
		assert.Equal(t, "1→2{unknown}{", raft.Reason{Code: raft.CommitAdvanced, Got: 2, Want: 1}.Render(&fr),
			"unknown or unclosed placeholders are kept as written")
		assert.Empty(t, raft.Reason{Code: raft.VoteRefused}.Render(&fr))
	})
}

// TestNamesRender checks the String methods of the small enums.
func TestNamesRender(t *testing.T) {
	assert.Equal(t, "none", raft.None.String())
	assert.Equal(t, "S7", raft.NodeID(7).String())
	assert.Equal(t, []string{"Follower", "Candidate", "Leader", "PreCandidate", "Role(4)"},
		[]string{raft.Follower.String(), raft.Candidate.String(), raft.Leader.String(), raft.PreCandidate.String(), raft.Role(4).String()})
	assert.Equal(t, []string{"command", "noop", "config", "EntryKind(3)"},
		[]string{raft.EntryCommand.String(), raft.EntryNoop.String(), raft.EntryConfig.String(), raft.EntryKind(3).String()})
	assert.Equal(t, []string{"RequestVote", "RequestVoteReply", "AppendEntries", "AppendEntriesReply",
		"InstallSnapshot", "InstallSnapshotReply", "PreVote", "PreVoteReply", "TimeoutNow", "ReadIndex", "ReadIndexReply", "MsgType(99)"},
		[]string{raft.MsgVote.String(), raft.MsgVoteResp.String(), raft.MsgAppend.String(), raft.MsgAppendResp.String(),
			raft.MsgSnap.String(), raft.MsgSnapResp.String(), raft.MsgPreVote.String(), raft.MsgPreVoteResp.String(),
			raft.MsgTimeoutNow.String(), raft.MsgReadIndex.String(), raft.MsgReadIndexResp.String(), raft.MsgType(99).String()})
	for _, typ := range []raft.MsgType{raft.MsgPreVoteResp, raft.MsgReadIndexResp} {
		assert.True(t, typ.IsResponse(), typ.String())
	}
	for _, typ := range []raft.MsgType{raft.MsgPreVote, raft.MsgTimeoutNow, raft.MsgReadIndex} {
		assert.False(t, typ.IsResponse(), typ.String())
	}
	assert.True(t, raft.MsgSnapResp.IsResponse())
	assert.False(t, raft.MsgSnap.IsResponse())
	assert.False(t, raft.MsgVote.IsResponse())
	assert.True(t, raft.MsgVoteResp.IsResponse())
	assert.False(t, raft.MsgAppend.IsResponse())
	assert.True(t, raft.MsgAppendResp.IsResponse())
}
