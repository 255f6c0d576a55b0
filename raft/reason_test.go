package raft_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// codeCount is the number of reason codes, ReasonNone included.
var codeCount = raft.ReasonCodes

// TestReasonTables checks that every decision a server can explain has a
// machine name and a section of the paper. (Its words — the sentence and
// the Figure 2 rule — are in the words tables; raft/sim tests them.)
func TestReasonTables(t *testing.T) {
	require.Equal(t, int(raft.LeaseExpired)+1, codeCount, "LeaseExpired is the last code")
	names := map[string]raft.ReasonCode{}
	for i := 1; i < codeCount; i++ {
		c := raft.ReasonCode(i)
		t.Run(c.String(), func(t *testing.T) {
			assert.NotEmpty(t, c.String())
			assert.NotContains(t, c.String(), "reason(")
			assert.Regexp(t, `^[a-z]+(-[a-z]+)*$`, c.String(), "a stable machine name")
			assert.Regexp(t, `^(dissertation )?§\d+(\.\d+)*$`, c.Section(), "a section of the paper or the dissertation")

			got, ok := raft.ReasonCodeByName(c.String())
			assert.True(t, ok)
			assert.Equal(t, c, got, "ReasonCodeByName round-trips")
			_, dup := names[c.String()]
			assert.False(t, dup, "names are unique")
			names[c.String()] = c
		})
	}
	t.Run("none", func(t *testing.T) {
		c := raft.ReasonNone
		assert.Equal(t, "none", c.String())
		assert.Empty(t, c.Section())
		assert.Equal(t, "none", raft.Reason{}.String())
		got, ok := raft.ReasonCodeByName("none")
		assert.True(t, ok)
		assert.Equal(t, raft.ReasonNone, got)
	})
	t.Run("out of range", func(t *testing.T) {
		c := raft.ReasonCode(codeCount)
		want := "reason(" + strconv.Itoa(codeCount) + ")"
		assert.Equal(t, want, c.String())
		assert.Empty(t, c.Section())
		assert.Equal(t, want, raft.Reason{Code: c}.String())
		_, changes := c.Becomes()
		assert.False(t, changes)
		_, ok := raft.ReasonCodeByName("no-such-reason")
		assert.False(t, ok)
		_, ok = raft.ReasonCodeByName("")
		assert.False(t, ok)
	})
}

// TestReasonBecomes: the decisions that change a server's role say which
// role it takes (Figure 4); the others change none.
func TestReasonBecomes(t *testing.T) {
	want := map[raft.ReasonCode]raft.Role{
		raft.ElectionStarted: raft.Candidate, raft.BecameLeader: raft.Leader,
		raft.SteppedDown: raft.Follower, raft.FollowedLeader: raft.Follower,
		raft.PreVoteStarted: raft.PreCandidate, raft.PreVoteLost: raft.Follower,
		raft.CheckQuorumSteppedDown: raft.Follower, raft.LeaderRemovedSteppedDown: raft.Follower,
	}
	for i := range codeCount {
		c := raft.ReasonCode(i)
		role, changes := c.Becomes()
		w, ok := want[c]
		assert.Equal(t, ok, changes, c.String())
		if ok {
			assert.Equal(t, w, role, c.String())
		}
	}
}

// TestReasonString: a reason for Go programmers is its code and numbers.
func TestReasonString(t *testing.T) {
	assert.Equal(t, "vote-denied-log-term peer=S2 term=3 got=1 want=2",
		raft.Reason{Code: raft.VoteDeniedLogTerm, Peer: 2, Term: 3, Got: 1, Want: 2}.String())
	assert.Equal(t, "commit-advanced term=4 got=3", raft.Reason{Code: raft.CommitAdvanced, Term: 4, Got: 3}.String())
}

// TestReasonIsRejection checks which codes explain a refused request: the
// RequestVote, AppendEntries and InstallSnapshot receiver denials and the
// pre-vote refusals, and nothing else.
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
