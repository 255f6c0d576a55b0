package raft_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// TestPersistBeforeReply checks Figure 2's persistent state: currentTerm and
// votedFor are updated on stable storage before responding to RPCs. The
// Ready that carries the reply also carries the HardState to save first.
func TestPersistBeforeReply(t *testing.T) {
	cases := []struct {
		name string
		hs   raft.HardState
		log  []raft.Term
		msg  raft.Message
		want raft.HardState
	}{
		{"Persistent state: a vote granted is saved with the reply", raft.HardState{Term: 2}, nil,
			voteReq(2, 1, 2, 0, 0), raft.HardState{Term: 2, VotedFor: 2}},
		{"Persistent state: a new term and the vote granted in it are saved with the reply", raft.HardState{Term: 2, VotedFor: 3}, nil,
			voteReq(2, 1, 3, 0, 0), raft.HardState{Term: 3, VotedFor: 2}},
		{"Persistent state: a new term learned from a denied RequestVote is saved with the reply", raft.HardState{Term: 2}, []raft.Term{2},
			voteReq(2, 1, 3, 0, 0), raft.HardState{Term: 3}},
		{"Persistent state: a new term learned from AppendEntries is saved with the reply", raft.HardState{Term: 2, VotedFor: 1}, []raft.Term{1},
			appendReq(2, 1, 4, 0, 0, 0), raft.HardState{Term: 4}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := restartNode(t, config(1, 3), tc.hs, mkLog(tc.log...))
			n.Step(tc.msg)
			require.True(t, n.HasReady())
			rd := n.Ready()
			assert.True(t, rd.SaveHardState)
			assert.Equal(t, tc.want, rd.HardState)
			require.Len(t, rd.Messages, 1, "the reply is in the same Ready")
			assert.Equal(t, tc.want.Term, rd.Messages[0].Term)
			st := &raft.MemoryStorage{}
			st.Save(rd)
			assert.Equal(t, tc.want, st.HardState)
			n.Advance()
			assert.False(t, n.HasReady())

			// A second, identical request changes nothing to persist.
			n.Step(tc.msg)
			rd = n.Ready()
			assert.False(t, rd.SaveHardState)
			n.Advance()
		})
	}
	t.Run("Persistent state: an acknowledged entry is handed out with the acknowledgement", func(t *testing.T) {
		n := restartNode(t, config(1, 3), raft.HardState{Term: 2}, nil)
		n.Step(appendReq(2, 1, 2, 0, 0, 0, ents(1, 2, 2)...))
		rd := n.Ready()
		assert.Equal(t, ents(1, 2, 2), rd.Entries)
		require.Len(t, rd.Messages, 1)
		assert.Equal(t, raft.Index(2), rd.Messages[0].MatchIndex)
		n.Advance()
	})
	t.Run("Persistent state: a campaign saves the new term and the vote for self", func(t *testing.T) {
		_, rd := candidate(t, config(1, 3), raft.HardState{Term: 6, VotedFor: 2}, nil)
		assert.True(t, rd.SaveHardState)
		assert.Equal(t, raft.HardState{Term: 7, VotedFor: 1}, rd.HardState)
	})
}

// TestMemoryStorageSave checks that storage follows Ready's Entries
// contract: drop every entry at or after Entries[0].Index, then append.
func TestMemoryStorageSave(t *testing.T) {
	cases := []struct {
		name  string
		have  []raft.Term
		save  []raft.Entry
		after []raft.Term
	}{
		{"append to an empty log", nil, ents(1, 1, 1), []raft.Term{1, 1}},
		{"append at the end", []raft.Term{1, 1}, ents(3, 2), []raft.Term{1, 1, 2}},
		{"truncate the tail and append", []raft.Term{1, 1, 2, 2}, ents(3, 3), []raft.Term{1, 1, 3}},
		{"truncate everything", []raft.Term{1, 1}, ents(1, 3), []raft.Term{3}},
		{"nothing to save", []raft.Term{1, 1}, nil, []raft.Term{1, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &raft.MemoryStorage{HardState: raft.HardState{Term: 3, VotedFor: 2}, Entries: mkLog(tc.have...)}
			s.Save(raft.Ready{Entries: tc.save})
			assert.Equal(t, tc.after, termsOf(s.Entries))
			for i, e := range s.Entries {
				assert.Equal(t, raft.Index(i+1), e.Index)
			}
			assert.Equal(t, raft.HardState{Term: 3, VotedFor: 2}, s.HardState, "kept unless SaveHardState")
		})
	}
	t.Run("the stored log does not share the Ready's array", func(t *testing.T) {
		s := &raft.MemoryStorage{}
		in := ents(1, 1, 1)
		s.Save(raft.Ready{Entries: in})
		in[0].Term = 9
		assert.Equal(t, []raft.Term{1, 1}, termsOf(s.Entries))
	})

	t.Run("Ready by Ready, storage stays equal to the server's log through a truncation", func(t *testing.T) {
		n := restartNode(t, config(1, 3), raft.HardState{Term: 1}, nil)
		s := &raft.MemoryStorage{}
		save := func(m raft.Message) {
			n.Step(m)
			s.Save(n.Ready())
			n.Advance()
			assert.Equal(t, n.Entries(), s.Entries)
		}
		save(appendReq(2, 1, 1, 0, 0, 0, ents(1, 1, 1, 1)...))
		save(appendReq(2, 1, 1, 3, 1, 1, ents(4, 1)...))
		save(appendReq(3, 1, 2, 1, 1, 1, ents(2, 2)...))
		assert.Equal(t, []raft.Term{1, 2}, termsOf(s.Entries))
		assert.Equal(t, raft.HardState{Term: 2}, s.HardState)
	})
}

// TestRestartFromStorage checks Figure 2's split between persistent state
// (currentTerm, votedFor, log[]) and volatile state (commitIndex,
// lastApplied, role): a server rebuilt from its storage keeps the first and
// starts the second afresh.
func TestRestartFromStorage(t *testing.T) {
	c := config(1, 3)
	n := restartNode(t, c, raft.HardState{Term: 1}, nil)
	s := &raft.MemoryStorage{}
	handle := func() ready {
		rd := n.Ready()
		s.Save(rd)
		out := drain(n)
		return out
	}
	n.Step(appendReq(2, 1, 1, 0, 0, 0, ents(1, 1, 1, 1)...))
	handle()
	n.Step(appendReq(2, 1, 1, 3, 1, 3))
	rd := handle()
	require.Len(t, rd.CommittedEntries, 3)
	n.Step(voteReq(3, 1, 2, 3, 1))
	handle()
	before := n.Status()
	require.Equal(t, raft.Term(2), before.Term)
	require.Equal(t, raft.NodeID(3), before.VotedFor)
	require.Equal(t, raft.Index(3), before.CommitIndex)
	require.Equal(t, raft.Index(3), before.LastApplied)

	for _, how := range []string{"raft.Restart", "MemoryStorage.Restart"} {
		t.Run("Persistent state survives a restart via "+how, func(t *testing.T) {
			var r *raft.Node
			var err error
			if how == "raft.Restart" {
				r, err = raft.Restart(c, s.HardState, s.Entries)
			} else {
				r, err = s.Restart(c)
			}
			require.NoError(t, err)
			st := r.Status()
			assert.Equal(t, before.Term, st.Term)
			assert.Equal(t, before.VotedFor, st.VotedFor)
			assert.Equal(t, n.Entries(), r.Entries())
			assert.Equal(t, raft.Index(0), st.CommitIndex, "volatile")
			assert.Equal(t, raft.Index(0), st.LastApplied, "volatile")
			assert.Equal(t, raft.Follower, st.Role)
			assert.Equal(t, raft.None, st.Leader)
			assert.False(t, r.HasReady(), "nothing new to persist")

			// The restarted server still refuses a second candidate in term 2.
			rd := step(r, voteReq(2, 1, 2, 9, 2))
			assert.False(t, rd.only(t).Success)
			assert.Equal(t, raft.VoteDeniedAlreadyVoted, rd.only(t).Reason.Code)

			// And re-learns the commit index from the leader.
			rd = step(r, appendReq(3, 1, 2, 3, 1, 3))
			assert.Equal(t, raft.Index(3), r.Status().CommitIndex)
			assert.Equal(t, mkLogPrefix(n.Entries(), 3), rd.CommittedEntries, "re-applied from the start")
		})
	}

	t.Run("the restarted server does not share its array with the caller's", func(t *testing.T) {
		entries := mkLog(1, 1)
		r := restartNode(t, c, raft.HardState{Term: 1}, entries)
		entries[0].Term = 9
		assert.Equal(t, []raft.Term{1, 1}, termsOf(r.Entries()))
	})
}

func mkLogPrefix(es []raft.Entry, n int) []raft.Entry { return append([]raft.Entry(nil), es[:n]...) }

// TestForgetVote checks UnsafeRules.ForgetVote: votedFor is left out of the
// persisted HardState, so that a restarted server votes twice in one term.
func TestForgetVote(t *testing.T) {
	c := config(1, 3)
	c.Unsafe.ForgetVote = true
	n := restartNode(t, c, raft.HardState{Term: 1}, nil)
	s := &raft.MemoryStorage{}
	n.Step(voteReq(2, 1, 2, 0, 0))
	rd := n.Ready()
	require.True(t, rd.Messages[0].Success)
	require.True(t, rd.SaveHardState, "the term changed")
	assert.Equal(t, raft.HardState{Term: 2, VotedFor: raft.None}, rd.HardState, "UnsafeRules.ForgetVote: votedFor not persisted")
	s.Save(rd)
	n.Advance()
	assert.Equal(t, raft.NodeID(2), n.Status().VotedFor, "the running server remembers")

	r, err := s.Restart(c)
	require.NoError(t, err)
	assert.Equal(t, raft.None, r.Status().VotedFor)
	rd2 := step(r, voteReq(3, 1, 2, 0, 0))
	assert.True(t, rd2.only(t).Success, "votes again in term 2, for another candidate")

	t.Run("without the unsafe rule the vote is persisted", func(t *testing.T) {
		n := restartNode(t, config(1, 3), raft.HardState{Term: 1}, nil)
		n.Step(voteReq(2, 1, 2, 0, 0))
		assert.Equal(t, raft.HardState{Term: 2, VotedFor: 2}, n.Ready().HardState)
	})
}

// TestRestartRejectsInvalidLog checks Restart's validation of a persisted
// log.
func TestRestartRejectsInvalidLog(t *testing.T) {
	cases := []struct {
		name string
		hs   raft.HardState
		log  []raft.Entry
		ok   bool
	}{
		{"empty", raft.HardState{}, nil, true},
		{"valid", raft.HardState{Term: 3}, mkLog(1, 1, 3), true},
		{"does not start at index 1", raft.HardState{Term: 3}, ents(2, 1, 1), false},
		{"a gap in the indexes", raft.HardState{Term: 3}, []raft.Entry{{Term: 1, Index: 1}, {Term: 1, Index: 3}}, false},
		{"a repeated index", raft.HardState{Term: 3}, []raft.Entry{{Term: 1, Index: 1}, {Term: 1, Index: 1}}, false},
		{"decreasing terms", raft.HardState{Term: 3}, mkLog(1, 2, 1), false},
		{"an entry's term above the hard state's term", raft.HardState{Term: 2}, mkLog(1, 3), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n, err := raft.Restart(config(1, 3), tc.hs, tc.log)
			if tc.ok {
				assert.NoError(t, err)
				assert.NotNil(t, n)
				return
			}
			assert.ErrorContains(t, err, "persisted log is not valid")
			assert.Nil(t, n)
		})
	}
}

// TestConfigValidation checks New's and Restart's configuration checks.
func TestConfigValidation(t *testing.T) {
	cases := []struct {
		name   string
		change func(*raft.Config)
		err    string
	}{
		{"valid", func(*raft.Config) {}, ""},
		{"valid single server", func(c *raft.Config) { c.Peers = []raft.NodeID{1} }, ""},
		{"valid nine servers", func(c *raft.Config) { c.Peers = ids(raft.MaxNodes) }, ""},
		{"zero ID", func(c *raft.Config) { c.ID = raft.None }, "ID must not be zero"},
		{"no peers", func(c *raft.Config) { c.Peers = nil }, "1 to 9 servers"},
		{"too many peers", func(c *raft.Config) { c.Peers = ids(raft.MaxNodes + 1) }, "1 to 9 servers"},
		{"valid: a server outside the starting configuration (a spare, §6)", func(c *raft.Config) { c.ID = 4 }, ""},
		{"negative CatchUpRounds", func(c *raft.Config) { c.CatchUpRounds = -1 }, "CatchUpRounds"},
		{"duplicate peer", func(c *raft.Config) { c.Peers = []raft.NodeID{1, 2, 2} }, "distinct and non-zero"},
		{"zero peer", func(c *raft.Config) { c.Peers = []raft.NodeID{1, 0, 2} }, "distinct and non-zero"},
		{"zero election timeout", func(c *raft.Config) { c.ElectionTimeoutMin = 0 }, "ElectionTimeoutMin"},
		{"max below min", func(c *raft.Config) { c.ElectionTimeoutMin, c.ElectionTimeoutMax = 10, 9 }, "ElectionTimeoutMax"},
		{"zero heartbeat", func(c *raft.Config) { c.HeartbeatTicks = 0 }, "HeartbeatTicks"},
		{"heartbeat not below the election timeout", func(c *raft.Config) { c.HeartbeatTicks = 10 }, "HeartbeatTicks < ElectionTimeoutMin"},
		{"negative MaxEntriesPerAppend", func(c *raft.Config) { c.MaxEntriesPerAppend = -1 }, "MaxEntriesPerAppend"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := config(1, 3)
			tc.change(&c)
			n, err := raft.New(c)
			n2, err2 := raft.Restart(c, raft.HardState{Term: 1}, mkLog(1))
			if tc.err == "" {
				require.NoError(t, err)
				require.NoError(t, err2)
				assert.Equal(t, c.ID, n.ID())
				assert.Equal(t, raft.Term(0), n.Term())
				assert.Equal(t, raft.Follower, n.Role())
				assert.NotNil(t, n2)
				return
			}
			assert.ErrorContains(t, err, tc.err)
			assert.ErrorContains(t, err2, tc.err)
			assert.Nil(t, n)
			assert.Nil(t, n2)
		})
	}
	t.Run("Peers are sorted and the caller's slice is not shared", func(t *testing.T) {
		c := config(2, 3)
		c.Peers = []raft.NodeID{3, 1, 2}
		n, err := raft.New(c)
		require.NoError(t, err)
		assert.Equal(t, []raft.NodeID{1, 2, 3}, n.Peers())
		n.Peers()[0] = 9
		assert.Equal(t, []raft.NodeID{1, 2, 3}, n.Peers())
	})
}
