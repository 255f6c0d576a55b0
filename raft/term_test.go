package raft_test

import (
	"math/rand"
	randv2 "math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// TestAllServersHigherTerm checks Rules for Servers, All Servers 2: "If RPC
// request or response contains term T > currentTerm: set currentTerm = T,
// convert to follower", for every role and every kind of message, and that
// votedFor is cleared with the new term.
func TestAllServersHigherTerm(t *testing.T) {
	// S1 of three servers, in term 2 with log [1 2] before the message
	// arrives. The sender S2 is in term 5; its RequestVote carries a log
	// that is less up to date, so that the vote is denied and votedFor is
	// seen to be cleared rather than set to the candidate.
	msgs := map[string]raft.Message{
		"RequestVote":        voteReq(2, 1, 5, 1, 1),
		"RequestVoteReply":   voteResp(2, 1, 5, false),
		"AppendEntries":      appendReq(2, 1, 5, 0, 0, 0),
		"AppendEntriesReply": {Type: raft.MsgAppendResp, From: 2, To: 1, Term: 5, Success: false, Reason: raft.Reason{Code: raft.AppendDeniedStaleTerm}},
	}
	roles := map[string]func(t *testing.T) *raft.Node{
		"follower": func(t *testing.T) *raft.Node {
			return restartNode(t, config(1, 3), raft.HardState{Term: 2, VotedFor: 3}, mkLog(1, 2))
		},
		"candidate": func(t *testing.T) *raft.Node {
			n, _ := candidate(t, config(1, 3), raft.HardState{Term: 1}, mkLog(1, 1))
			require.Equal(t, raft.Term(2), n.Term())
			return n
		},
		"leader": func(t *testing.T) *raft.Node {
			n, _ := leader(t, config(1, 3), raft.HardState{Term: 1}, mkLog(1))
			require.Equal(t, raft.Term(2), n.Term())
			return n
		},
	}
	for roleName, mk := range roles {
		for msgName, m := range msgs {
			t.Run("All Servers 2: "+roleName+" sees "+msgName+" of a higher term", func(t *testing.T) {
				n := mk(t)
				wasLeader := n.Role() == raft.Leader
				logBefore := append([]raft.Entry(nil), n.Entries()...)
				rd := step(n, m)

				st := n.Status()
				assert.Equal(t, raft.Term(5), st.Term, "adopts the higher term")
				assert.Equal(t, raft.Follower, st.Role, "converts to follower")
				assert.Equal(t, raft.None, st.VotedFor, "votedFor belongs to the old term")
				if m.Type == raft.MsgAppend {
					assert.Equal(t, raft.NodeID(2), st.Leader, "AppendEntries names the leader")
				} else {
					assert.Equal(t, raft.None, st.Leader)
				}
				if wasLeader {
					assert.Nil(t, st.Progress)
				}

				why, ok := rd.note(raft.SteppedDown)
				require.True(t, ok, "notes: %v", rd.codes())
				assert.Equal(t, raft.Reason{Code: raft.SteppedDown, Peer: 2, Term: 5, Want: 2}, why)
				assert.Equal(t, raft.SteppedDown, rd.Notes[0].Code, "the all-servers rule runs first")

				require.True(t, rd.SaveHardState, "the new term must be persisted")
				assert.Equal(t, raft.HardState{Term: 5}, rd.HardState)

				if m.Type.IsResponse() {
					assert.Empty(t, rd.Messages, "a reply is not answered")
					assert.Equal(t, logBefore, n.Entries())
				} else {
					reply := rd.only(t)
					assert.Equal(t, raft.Term(5), reply.Term, "the reply carries the adopted term")
				}
			})
		}
	}
}

// TestStaleReplyIgnored checks that replies from an earlier term are
// dropped (Rules for Servers, All Servers 2 says nothing about lower terms;
// a reply of an older term answers a request this server no longer cares
// about).
func TestStaleReplyIgnored(t *testing.T) {
	t.Run("All Servers: candidate ignores a vote grant of an earlier term", func(t *testing.T) {
		n, _ := candidate(t, config(1, 3), raft.HardState{Term: 2}, nil)
		require.Equal(t, raft.Term(3), n.Term())
		rd := step(n, voteResp(2, 1, 2, true))
		assert.Equal(t, raft.Candidate, n.Role(), "the stale grant is not counted")
		assert.Equal(t, []raft.NodeID{1}, n.Status().Votes)
		assert.Equal(t, []raft.Reason{{Code: raft.ReplyIgnoredStale, Peer: 2, Term: 3, Got: 2, Want: 3}}, rd.Notes)
		assert.Empty(t, rd.Messages)
		assert.False(t, rd.SaveHardState)

		// The same grant in the current term does count.
		step(n, voteResp(2, 1, 3, true))
		assert.Equal(t, raft.Leader, n.Role())
	})
	t.Run("All Servers: leader ignores an append success of an earlier term", func(t *testing.T) {
		n, _ := leader(t, config(1, 3), raft.HardState{Term: 2}, mkLog(1, 2))
		before := progressOf(t, n, 2)
		rd := step(n, raft.Message{Type: raft.MsgAppendResp, From: 2, To: 1, Term: 2, Success: true, MatchIndex: 3})
		assert.Equal(t, []raft.Reason{{Code: raft.ReplyIgnoredStale, Peer: 2, Term: 3, Got: 2, Want: 3}}, rd.Notes)
		assert.Equal(t, before, progressOf(t, n, 2), "matchIndex/nextIndex untouched")
		assert.Equal(t, raft.Index(0), n.Status().CommitIndex)
		assert.Equal(t, raft.Leader, n.Role())
	})
	t.Run("All Servers: follower ignores a reply of an earlier term", func(t *testing.T) {
		n := restartNode(t, config(1, 3), raft.HardState{Term: 4}, nil)
		rd := step(n, voteResp(2, 1, 3, true))
		assert.Equal(t, raft.ReplyIgnoredStale, rd.Notes[0].Code)
		assert.Equal(t, raft.Follower, n.Role())
		assert.Equal(t, raft.Term(4), n.Term())
	})
}

// TestElectionTimerReset checks Rules for Servers, Followers 2: the election
// timer restarts only on AppendEntries from the current leader, on granting
// a vote, and on starting an election (Candidates 1) — never on a denied
// RequestVote or a rejected AppendEntries.
func TestElectionTimerReset(t *testing.T) {
	cases := []struct {
		name  string
		hs    raft.HardState
		msg   raft.Message
		reset bool
	}{
		{"Followers 2: AppendEntries from the current leader resets", raft.HardState{Term: 2},
			appendReq(2, 1, 2, 0, 0, 0), true},
		{"Followers 2: AppendEntries that fails the consistency check still comes from the leader: resets", raft.HardState{Term: 2},
			appendReq(2, 1, 2, 9, 2, 0), true},
		{"Followers 2: AppendEntries of a new leader (higher term) resets", raft.HardState{Term: 2},
			appendReq(2, 1, 3, 0, 0, 0), true},
		{"Followers 2: granting a vote resets", raft.HardState{Term: 2},
			voteReq(2, 1, 2, 1, 1), true},
		{"Followers 2: granting a vote of a higher term resets", raft.HardState{Term: 2},
			voteReq(2, 1, 3, 1, 1), true},
		{"Followers 2: denied RequestVote (already voted) does not reset", raft.HardState{Term: 2, VotedFor: 3},
			voteReq(2, 1, 2, 1, 1), false},
		{"Followers 2: denied RequestVote (stale log) does not reset", raft.HardState{Term: 2},
			voteReq(2, 1, 2, 0, 0), false},
		{"Followers 2: denied RequestVote (stale log) of a higher term does not reset", raft.HardState{Term: 2},
			voteReq(2, 1, 5, 0, 0), false},
		{"Followers 2: denied RequestVote (stale term) does not reset", raft.HardState{Term: 2},
			voteReq(2, 1, 1, 1, 1), false},
		{"Followers 2: AppendEntries of a stale term (not the current leader) does not reset", raft.HardState{Term: 2},
			appendReq(2, 1, 1, 0, 0, 0), false},
		{"Followers 2: a stray reply does not reset", raft.HardState{Term: 2},
			voteResp(2, 1, 2, true), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := restartNode(t, config(1, 3), tc.hs, mkLog(1))
			for range 6 {
				n.Tick()
			}
			require.Equal(t, 6, n.Status().ElectionElapsed)
			step(n, tc.msg)
			st := n.Status()
			require.Equal(t, raft.Follower, st.Role)
			if tc.reset {
				assert.Equal(t, 0, st.ElectionElapsed)
			} else {
				assert.Equal(t, 6, st.ElectionElapsed)
			}
			// Either way, the timer fires exactly when the remaining ticks run out.
			for range st.ElectionTimeout - st.ElectionElapsed - 1 {
				n.Tick()
			}
			assert.Equal(t, raft.Follower, n.Role(), "one tick before the timeout")
			n.Tick()
			assert.Equal(t, raft.Candidate, n.Role(), "at the timeout")
		})
	}

	t.Run("Candidates 1: starting an election resets", func(t *testing.T) {
		n := restartNode(t, config(1, 3), raft.HardState{Term: 2}, nil)
		for range 10 {
			n.Tick()
		}
		require.Equal(t, raft.Candidate, n.Role())
		assert.Equal(t, 0, n.Status().ElectionElapsed)
		// A refused vote does not reset it.
		for range 4 {
			n.Tick()
		}
		step(n, voteResp(2, 1, 3, false))
		assert.Equal(t, 4, n.Status().ElectionElapsed)
		// Candidates 4: election timeout elapses: start a new election.
		for range 6 {
			n.Tick()
		}
		assert.Equal(t, raft.Candidate, n.Role())
		assert.Equal(t, raft.Term(4), n.Term())
		assert.Equal(t, 0, n.Status().ElectionElapsed)
	})
	t.Run("a leader that steps down starts a fresh election timer", func(t *testing.T) {
		n, _ := leader(t, config(1, 3), raft.HardState{Term: 1}, nil)
		for range 2 {
			n.Tick()
		}
		step(n, appendReq(2, 1, 9, 0, 0, 0))
		assert.Equal(t, raft.Follower, n.Role())
		assert.Equal(t, 0, n.Status().ElectionElapsed)
	})
}

// TestElectionTimeoutDrawn checks §5.2: the election timeout is drawn at
// random, here from Config.Rand, within [ElectionTimeoutMin,
// ElectionTimeoutMax], both inclusive, afresh at each reset.
func TestElectionTimeoutDrawn(t *testing.T) {
	cfg := func(r raft.Rand) raft.Config {
		c := config(1, 3)
		c.ElectionTimeoutMin, c.ElectionTimeoutMax, c.Rand = 10, 20, r
		return c
	}
	t.Run("§5.2: the drawn value is used, and Tick campaigns exactly when elapsed reaches it", func(t *testing.T) {
		r := &fakeRand{vals: []int{7, 3}}
		n := restartNode(t, cfg(r), raft.HardState{}, nil)
		assert.Equal(t, []int{11}, r.asked, "IntN(max-min+1) so that max is reachable")
		assert.Equal(t, 17, n.Status().ElectionTimeout)
		for range 16 {
			n.Tick()
		}
		assert.Equal(t, raft.Follower, n.Role())
		assert.Equal(t, 16, n.Status().ElectionElapsed)
		n.Tick()
		assert.Equal(t, raft.Candidate, n.Role())
		assert.Equal(t, raft.Term(1), n.Term())
		// The election drew a new timeout.
		assert.Equal(t, []int{11, 11}, r.asked)
		assert.Equal(t, 13, n.Status().ElectionTimeout)
	})
	t.Run("§5.2: the bounds are inclusive", func(t *testing.T) {
		lo := restartNode(t, cfg(&fakeRand{vals: []int{0}}), raft.HardState{}, nil)
		hi := restartNode(t, cfg(&fakeRand{vals: []int{10}}), raft.HardState{}, nil)
		assert.Equal(t, 10, lo.Status().ElectionTimeout)
		assert.Equal(t, 20, hi.Status().ElectionTimeout)
	})
	sources := []struct {
		name string
		r    raft.Rand
	}{
		{"math/rand/v2", randv2.New(randv2.NewPCG(42, 7))},
		{"math/rand through FromIntn", raft.FromIntn(rand.New(rand.NewSource(42)))},
	}
	for _, src := range sources {
		t.Run("§5.2: a real source ("+src.name+") stays within the bounds and reaches both", func(t *testing.T) {
			n := restartNode(t, cfg(src.r), raft.HardState{}, nil)
			seen := map[int]bool{}
			for range 500 {
				to := n.Status().ElectionTimeout
				require.GreaterOrEqual(t, to, 10)
				require.LessOrEqual(t, to, 20)
				seen[to] = true
				n.FireTimeout() // a new election draws a new timeout
			}
			assert.Len(t, seen, 11, "every value in [10, 20] is drawn")
		})
	}
	t.Run("nil Rand or Min == Max: the minimum, no draw", func(t *testing.T) {
		n := restartNode(t, cfg(nil), raft.HardState{}, nil)
		assert.Equal(t, 10, n.Status().ElectionTimeout)
		r := &fakeRand{vals: []int{5}}
		c := cfg(r)
		c.ElectionTimeoutMax = 10
		n = restartNode(t, c, raft.HardState{}, nil)
		assert.Equal(t, 10, n.Status().ElectionTimeout)
		assert.Empty(t, r.asked)
	})
}

// TestLeaderHeartbeat checks Rules for Servers, Leaders 1: an idle leader
// sends AppendEntries to every follower each HeartbeatTicks.
func TestLeaderHeartbeat(t *testing.T) {
	n, _ := leader(t, config(1, 5), raft.HardState{Term: 1}, mkLog(1))
	for range 2 {
		n.Tick()
	}
	rd := drain(n)
	assert.Empty(t, rd.Messages, "not yet")
	assert.Equal(t, 2, n.Status().HeartbeatElapsed)
	n.Tick()
	rd = drain(n)
	assert.Equal(t, []raft.Reason{{Code: raft.HeartbeatSent, Term: 2}}, rd.Notes)
	require.Len(t, rd.msgs(raft.MsgAppend), 4)
	var to []raft.NodeID
	for _, m := range rd.Messages {
		to = append(to, m.To)
		assert.Equal(t, raft.Term(2), m.Term)
	}
	assert.ElementsMatch(t, []raft.NodeID{2, 3, 4, 5}, to)
	assert.Equal(t, 0, n.Status().HeartbeatElapsed)
	assert.Equal(t, 0, n.Status().ElectionElapsed, "a leader's election timer does not run")
}
