package raft_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// acked reads a server's acknowledged index from a table.
func acked(m map[raft.NodeID]raft.Index) func(raft.NodeID) raft.Index {
	return func(id raft.NodeID) raft.Index { return m[id] }
}

// TestQuorumCommitted checks Membership.Committed: the highest index a
// majority acknowledged (§5.3), of both configurations while joint (§6).
func TestQuorumCommitted(t *testing.T) {
	cases := []struct {
		name string
		m    raft.Membership
		acks map[raft.NodeID]raft.Index
		want raft.Index
	}{
		{"one voter: its own index", raft.Membership{Voters: ids(1)}, map[raft.NodeID]raft.Index{1: 7}, 7},
		{"three voters: the median", raft.Membership{Voters: ids(3)}, map[raft.NodeID]raft.Index{1: 5, 2: 3, 3: 1}, 3},
		{"three voters, one silent", raft.Membership{Voters: ids(3)}, map[raft.NodeID]raft.Index{1: 5, 2: 4}, 4},
		{"four voters need three", raft.Membership{Voters: ids(4)}, map[raft.NodeID]raft.Index{1: 9, 2: 8, 3: 2, 4: 1}, 2},
		{"five voters need three", raft.Membership{Voters: ids(5)}, map[raft.NodeID]raft.Index{1: 9, 2: 8, 3: 7, 4: 1}, 7},
		{"nine voters need five", raft.Membership{Voters: ids(9)},
			map[raft.NodeID]raft.Index{1: 9, 2: 9, 3: 9, 4: 9, 5: 4, 6: 3, 7: 3, 8: 3, 9: 3}, 4},
		{"learners do not count", raft.Membership{Voters: ids(3), Learners: []raft.NodeID{4, 5}},
			map[raft.NodeID]raft.Index{1: 9, 2: 1, 3: 1, 4: 9, 5: 9}, 1},
		{"joint: the new majority holds 8, the old only 2", raft.Membership{Voters: []raft.NodeID{1, 4, 5}, Outgoing: ids(3)},
			map[raft.NodeID]raft.Index{1: 8, 2: 2, 3: 1, 4: 8, 5: 8}, 2},
		{"joint: the old majority holds 8, the new only 3", raft.Membership{Voters: []raft.NodeID{1, 4, 5}, Outgoing: ids(3)},
			map[raft.NodeID]raft.Index{1: 8, 2: 8, 3: 8, 4: 3, 5: 1}, 3},
		{"joint: both majorities hold 6", raft.Membership{Voters: []raft.NodeID{3, 4}, Outgoing: ids(3)},
			map[raft.NodeID]raft.Index{1: 6, 2: 1, 3: 6, 4: 6}, 6},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.m.Committed(acked(tc.acks)))
		})
	}
}

// TestQuorumVote checks Membership.Vote: won with a majority of each
// configuration, lost as soon as one majority is out of reach, pending
// otherwise.
func TestQuorumVote(t *testing.T) {
	const (
		yes = 1
		no  = 2
	)
	cases := []struct {
		name    string
		m       raft.Membership
		answers map[raft.NodeID]int // missing: no answer yet
		want    raft.VoteResult
	}{
		{"one voter that granted", raft.Membership{Voters: ids(1)}, map[raft.NodeID]int{1: yes}, raft.VoteWon},
		{"3 voters, 1 grant", raft.Membership{Voters: ids(3)}, map[raft.NodeID]int{1: yes}, raft.VotePending},
		{"3 voters, 2 grants", raft.Membership{Voters: ids(3)}, map[raft.NodeID]int{1: yes, 3: yes}, raft.VoteWon},
		{"3 voters, 2 refusals", raft.Membership{Voters: ids(3)}, map[raft.NodeID]int{1: yes, 2: no, 3: no}, raft.VoteLost},
		{"4 voters, 2-2 split is lost", raft.Membership{Voters: ids(4)}, map[raft.NodeID]int{1: yes, 2: yes, 3: no, 4: no}, raft.VoteLost},
		{"4 voters, 2 grants and 1 refusal wait", raft.Membership{Voters: ids(4)}, map[raft.NodeID]int{1: yes, 2: yes, 3: no}, raft.VotePending},
		{"a learner's grant does not count", raft.Membership{Voters: ids(3), Learners: []raft.NodeID{4}},
			map[raft.NodeID]int{1: yes, 4: yes}, raft.VotePending},
		{"joint: the new majority alone is not enough", raft.Membership{Voters: []raft.NodeID{1, 4, 5}, Outgoing: ids(3)},
			map[raft.NodeID]int{1: yes, 4: yes, 5: yes}, raft.VotePending},
		{"joint: both majorities win", raft.Membership{Voters: []raft.NodeID{1, 4, 5}, Outgoing: ids(3)},
			map[raft.NodeID]int{1: yes, 2: yes, 4: yes}, raft.VoteWon},
		{"joint: the old majority refusing loses", raft.Membership{Voters: []raft.NodeID{1, 4, 5}, Outgoing: ids(3)},
			map[raft.NodeID]int{1: yes, 4: yes, 5: yes, 2: no, 3: no}, raft.VoteLost},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.m.Vote(func(id raft.NodeID) (bool, bool) {
				a, ok := tc.answers[id]
				return a == yes, ok
			})
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.want == raft.VoteWon, tc.m.HasQuorum(func(id raft.NodeID) bool { return tc.answers[id] == yes }),
				"HasQuorum: the granting servers hold a majority of each configuration")
		})
	}
}

// TestMembershipText checks the text a configuration entry carries.
func TestMembershipText(t *testing.T) {
	cases := []struct {
		m    raft.Membership
		text string
	}{
		{raft.Membership{Voters: ids(3)}, "voters S1 S2 S3"},
		{raft.Membership{Voters: ids(3), Learners: []raft.NodeID{4}}, "voters S1 S2 S3 learners S4"},
		{raft.Membership{Voters: []raft.NodeID{1, 2, 4}, Outgoing: ids(3)}, "voters S1 S2 S4 outgoing S1 S2 S3"},
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			assert.Equal(t, tc.text, tc.m.String())
			got, err := raft.ParseMembership(tc.text)
			require.NoError(t, err)
			assert.Equal(t, tc.m, got)
			assert.True(t, got.Equal(tc.m))
			assert.Equal(t, tc.m.Joint(), len(tc.m.Outgoing) > 0)
		})
	}
	for _, bad := range []string{"", "S1 S2", "voters", "voters S0", "voters S2 S1", "voters S1 S1", "voters S1 learners S1",
		"voters X1", "voters S1 S2 S3 S4 S5 S6 S7 S8 S9 learners S10", "voters S300"} {
		_, err := raft.ParseMembership(bad)
		assert.Error(t, err, "%q", bad)
	}
	m := raft.Membership{Voters: []raft.NodeID{1, 4}, Learners: []raft.NodeID{5}, Outgoing: []raft.NodeID{1, 2}}
	assert.Equal(t, []raft.NodeID{1, 2, 4, 5}, m.Members())
	assert.True(t, m.IsVoter(2), "an outgoing voter still votes")
	assert.False(t, m.IsVoter(5))
	assert.True(t, m.IsLearner(5))
}
