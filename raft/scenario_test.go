package raft_test

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// TestScenarioElection: S2's timer fires first in a three-server cluster;
// it wins with S1's vote, appends its no-op, and then replicates and
// commits a command.
func TestScenarioElection(t *testing.T) {
	c := newCluster(t, 3)
	c.fire(2)
	require.Equal(t, raft.Candidate, c.role(2))
	require.Equal(t, 1, c.inFlight(2, 1, raft.MsgVote))
	require.Equal(t, 1, c.inFlight(2, 3, raft.MsgVote))

	c.deliver(2, 1, raft.MsgVote)
	assert.Equal(t, raft.NodeID(2), c.status(1).VotedFor)
	assert.Equal(t, raft.Term(1), c.term(1))

	c.deliver(1, 2, raft.MsgVoteResp)
	require.Equal(t, raft.Leader, c.role(2), "S2 and S1: a majority of three")
	assert.Equal(t, []raft.Reason{{Code: raft.BecameLeader, Term: 1, Got: 2, Want: 3}}, c.notesOf(2, raft.BecameLeader))
	assert.Equal(t, 2, c.inFlight(2, raft.None, raft.MsgAppend), "the no-op goes out at once")

	// S3 votes too; its reply reaches a leader that no longer waits for it.
	c.deliver(2, 3, raft.MsgVote)
	c.deliver(3, 2, raft.MsgVoteResp)
	assert.Len(t, c.notesOf(2, raft.ReplyIgnoredRole), 1)

	c.deliverAll()
	for _, id := range []raft.NodeID{1, 3} {
		st := c.status(id)
		assert.Equal(t, raft.Follower, st.Role)
		assert.Equal(t, raft.NodeID(2), st.Leader)
		assert.Equal(t, raft.Term(1), st.Term)
	}
	assert.Equal(t, raft.Index(1), c.status(2).CommitIndex, "the no-op is committed")

	idx, ok := c.propose(2, "x=1")
	require.True(t, ok)
	assert.Equal(t, raft.Index(2), idx)
	_, ok = c.propose(1, "y=2")
	assert.False(t, ok, "S1 is not the leader")
	assert.Equal(t, raft.NodeID(2), c.notesOf(1, raft.ProposalRejected)[0].Peer)
	c.deliverAll()
	c.fire(2) // a heartbeat carries the new commit index
	c.deliverAll()
	for _, id := range c.ids() {
		assert.Equal(t, []string{"x=1"}, commands(c.applied[id]), "%v", id)
		assert.Equal(t, raft.Index(2), c.status(id).CommitIndex)
		assert.Equal(t, c.log(2), c.log(id))
	}
	c.assertSafe()
}

// TestScenarioSplitVote: S1 and S2 campaign in the same term of a
// five-server cluster and split the votes two to two (S5 hears neither), so
// term 1 has no leader; a later term elects one.
func TestScenarioSplitVote(t *testing.T) {
	c := newCluster(t, 5)
	c.fire(1)
	c.fire(2)
	require.Equal(t, raft.Term(1), c.term(1))
	require.Equal(t, raft.Term(1), c.term(2))
	c.drop(raft.None, 5) // S5 is cut off

	c.deliver(1, 3, raft.MsgVote)
	c.deliver(2, 4, raft.MsgVote)
	c.deliverAll()

	for _, id := range []raft.NodeID{1, 2} {
		st := c.status(id)
		assert.Equal(t, raft.Candidate, st.Role, "%v", id)
		assert.Len(t, st.Votes, 2, "%v has 2 of 5 votes", id)
	}
	assert.Equal(t, []raft.NodeID{1, 3}, c.status(1).Votes)
	assert.Equal(t, []raft.NodeID{2, 4}, c.status(2).Votes)
	assert.Equal(t, raft.NodeID(1), c.status(3).VotedFor)
	assert.Equal(t, raft.NodeID(2), c.status(4).VotedFor)
	assert.Empty(t, c.leaders, "no leader in term 1")
	// Each refusal names the vote already cast.
	refused := c.notesOf(4, raft.VoteDeniedAlreadyVoted)
	require.Len(t, refused, 1)
	assert.Equal(t, raft.Term(1), refused[0].Term)
	assert.Equal(t, uint64(2), refused[0].Got, "S4 names its vote for S2")
	assert.NotEqual(t, raft.NodeID(2), refused[0].Peer, "the refused candidate is another one")
	assert.Len(t, c.notesOf(1, raft.VoteDeniedAlreadyVoted), 1, "S1 refuses S2: it voted for itself")
	assert.Equal(t, raft.Term(0), c.term(5))

	// S4's timer fires next (randomized timeouts make a repeat unlikely).
	c.fire(4)
	c.deliverAll()
	require.Equal(t, raft.Leader, c.role(4))
	assert.Equal(t, raft.Term(2), c.term(4))
	assert.Equal(t, map[raft.Term]raft.NodeID{2: 4}, c.leaders)
	for _, id := range []raft.NodeID{1, 2, 3, 5} {
		assert.Equal(t, raft.Follower, c.role(id))
		assert.Equal(t, raft.Term(2), c.term(id))
	}
	c.fire(4)
	c.deliverAll()
	for _, id := range c.ids() {
		assert.Equal(t, raft.Index(1), c.status(id).CommitIndex)
	}
	c.assertSafe()
}

// TestScenarioLogRepair: after a leader change, a follower holding
// uncommitted entries of the old leader has them overwritten (AppendEntries
// receiver 3), and every log converges on the new leader's.
func TestScenarioLogRepair(t *testing.T) {
	c := newCluster(t, 5)
	// Term 1: S1 leads, and "a" is committed everywhere.
	c.fire(1)
	c.deliverAll()
	c.propose(1, "a")
	c.deliverAll()
	c.fire(1)
	c.deliverAll()
	for _, id := range c.ids() {
		require.Equal(t, []string{"a"}, commands(c.applied[id]))
	}

	// S1 appends "b" and "c"; only S2 gets them, and S1 crashes before it
	// hears back: they are on two of five servers, uncommitted.
	c.propose(1, "b")
	c.propose(1, "c")
	c.deliver(1, 2, raft.MsgAppend)
	c.deliver(1, 2, raft.MsgAppend)
	c.crash(1)
	c.drop(raft.None, raft.None)
	require.Equal(t, []string{"a", "b", "c"}, commands(c.log(2)))
	require.Equal(t, raft.Index(2), c.status(2).CommitIndex)

	// Term 2: S3 wins with S4 and S5; S2 refuses, its log is longer.
	c.fire(3)
	c.deliverAll()
	require.Equal(t, raft.Leader, c.role(3))
	denied := c.notesOf(2, raft.VoteDeniedLogIndex)
	require.Len(t, denied, 1)
	assert.Equal(t, raft.Reason{Code: raft.VoteDeniedLogIndex, Peer: 3, Term: 1, Got: 2, Want: 4}, denied[0])

	// S2's stale tail is replaced by the new leader's entries.
	truncated := c.notesOf(2, raft.EntriesTruncated)
	require.Len(t, truncated, 1)
	assert.Equal(t, raft.Reason{Code: raft.EntriesTruncated, Peer: 3, Term: 2, Index: 3, Got: 4}, truncated[0])
	c.propose(3, "d")
	c.deliverAll()

	// S1 comes back with "b" and "c" in its storage and is repaired too.
	c.restart(1)
	require.Equal(t, []string{"a", "b", "c"}, commands(c.log(1)))
	c.fire(3)
	c.deliverAll()
	c.fire(3)
	c.deliverAll()
	assert.Len(t, c.notesOf(1, raft.EntriesTruncated), 1)
	want := c.log(3)
	assert.Equal(t, []string{"a", "d"}, commands(want))
	for _, id := range c.ids() {
		assert.Equal(t, want, c.log(id), "%v's log", id)
		assert.Equal(t, want, c.applied[id], "%v applied", id)
		assert.Equal(t, want, c.stores[id].Entries, "%v's storage", id)
	}
	c.assertSafe()
}

// figure8 plays Figure 8 of the paper on five servers, with this core's
// no-op entries standing in for the paper's client entries: every new leader
// appends one, so the leaders' first entries are their no-ops.
//
//	(a) S1 leads term 2 and replicates its entry 2@2 to S2 only.
//	(b) S1 crashes; S5 wins term 3 with S3's and S4's votes and appends 3@2
//	    at index 2, on S5 alone.
//	(c) S5 crashes; S1 restarts, wins term 4 and replicates its old entry
//	    2@2 to S3: 2@2 is now on a majority (S1, S2, S3). Its own no-op 4@3
//	    is on S1 and S2 only.
//
// It returns the cluster at the end of (c), with S1's pipelined 4@3 to S3
// still in flight. One entry per AppendEntries, so that 2@2 travels alone.
func figure8(t *testing.T, unsafe bool) *cluster {
	c := newCluster(t, 5, func(cfg *raft.Config) {
		cfg.MaxEntriesPerAppend = 1
		cfg.Unsafe.CommitEarlierTerms = unsafe
	})
	for _, id := range c.ids() {
		c.preset(id, raft.HardState{Term: 1}, 1)
	}

	// (a)
	c.fire(1)
	require.Equal(t, raft.Term(2), c.term(1))
	for _, id := range []raft.NodeID{2, 3, 4, 5} {
		c.deliver(1, id, raft.MsgVote)
		c.deliver(id, 1, raft.MsgVoteResp)
	}
	require.Equal(t, raft.Leader, c.role(1))
	c.deliver(1, 2, raft.MsgAppend) // only S2 gets the no-op
	c.drop(raft.None, raft.None)
	require.Equal(t, []raft.Term{1, 2}, termsOf(c.log(2)))
	c.crash(1)

	// (b)
	c.fire(5)
	require.Equal(t, raft.Term(3), c.term(5))
	for _, id := range []raft.NodeID{3, 4} {
		c.deliver(5, id, raft.MsgVote)
		c.deliver(id, 5, raft.MsgVoteResp)
	}
	require.Equal(t, raft.Leader, c.role(5))
	c.drop(raft.None, raft.None) // S2 hears nothing of term 3; the no-op reaches no one
	require.Equal(t, []raft.Term{1, 3}, termsOf(c.log(5)))
	c.crash(5)

	// (c) S1's first try, in term 3, fails: S3 and S4 voted for S5.
	c.restart(1)
	c.fire(1)
	c.deliverAll()
	require.Equal(t, raft.Candidate, c.role(1))
	c.fire(1)
	require.Equal(t, raft.Term(4), c.term(1))
	c.deliver(1, 2, raft.MsgVote)
	c.deliver(1, 3, raft.MsgVote)
	c.deliver(2, 1, raft.MsgVoteResp)
	c.deliver(3, 1, raft.MsgVoteResp)
	require.Equal(t, raft.Leader, c.role(1))
	c.drop(1, 4)
	c.drop(4, 1)
	require.Equal(t, []raft.Term{1, 2, 4}, termsOf(c.log(1)))

	c.deliver(1, 2, raft.MsgAppend)     // 4@3 to S2, which has 2@2
	c.deliver(2, 1, raft.MsgAppendResp) // S2 holds index 3
	c.deliver(1, 3, raft.MsgAppend)     // S3 lacks index 2: rejected
	c.deliver(3, 1, raft.MsgAppendResp) // back off to index 2
	c.deliver(1, 3, raft.MsgAppend)     // 2@2 alone
	c.deliver(3, 1, raft.MsgAppendResp) // 2@2 is on S1, S2, S3
	require.Equal(t, []raft.Term{1, 2}, termsOf(c.log(3)))
	require.Equal(t, 1, c.inFlight(1, 3, raft.MsgAppend), "4@3 to S3, pipelined")
	return c
}

// figure8d continues after (c): S1 crashes, S5 restarts and wins term 5
// with S3's and S4's votes (its last term, 3, beats their 2 and 1), then
// replicates its log.
func figure8d(t *testing.T, c *cluster) {
	c.crash(1)
	c.drop(raft.None, raft.None)
	c.restart(5)
	c.fire(5) // term 4: everyone but S4 has voted in it already
	c.deliverAll()
	c.fire(5) // term 5
	c.deliverAll()
	require.Equal(t, raft.Leader, c.role(5))
	require.Equal(t, raft.Term(5), c.term(5))
	c.fire(5)
	c.deliverAll()
	c.fire(5)
	c.deliverAll()
}

// TestScenarioFigure8 checks §5.4.2: the leader of term 4 does not count the
// replicas of its term-2 entry, so when a leader of term 5 overwrites it,
// nothing committed is lost.
func TestScenarioFigure8(t *testing.T) {
	c := figure8(t, false)
	deferred := c.notesOf(1, raft.CommitDeferred)
	require.Len(t, deferred, 1)
	assert.Equal(t, raft.Reason{Code: raft.CommitDeferred, Term: 4, Index: 2, Got: 2, Want: 4}, deferred[0])
	assert.Equal(t, raft.Index(0), c.status(1).CommitIndex, "2@2 is on a majority but not committed")
	assert.Empty(t, c.applied[1])

	// (d) S5 overwrites index 2 on S2, S3 and S4.
	figure8d(t, c)
	for _, id := range []raft.NodeID{2, 3, 4, 5} {
		assert.Equal(t, []raft.Term{1, 3, 5}, termsOf(c.log(id)), "%v", id)
		assert.Equal(t, []raft.Term{1, 3, 5}, termsOf(c.applied[id]), "%v", id)
	}
	for _, id := range []raft.NodeID{2, 3} {
		truncated := c.notesOf(id, raft.EntriesTruncated)
		require.NotEmpty(t, truncated, "%v", id)
		assert.Equal(t, raft.Index(2), truncated[0].Index)
	}
	c.assertSafe()

	// S1 comes back, learns of term 5, and is repaired.
	c.restart(1)
	c.fire(5)
	c.deliverAll()
	c.fire(5)
	c.deliverAll()
	assert.Equal(t, []raft.Term{1, 3, 5}, termsOf(c.log(1)))
	assert.Equal(t, []raft.Term{1, 3, 5}, termsOf(c.applied[1]))
	c.assertSafe()
}

// TestScenarioFigure8e: had S1 replicated an entry of its own term (4@3) on
// a majority before crashing, that entry and 2@2 before it are committed,
// and S5 can no longer win: S2 and S3 refuse its less up-to-date log.
func TestScenarioFigure8e(t *testing.T) {
	c := figure8(t, false)
	c.deliver(1, 3, raft.MsgAppend)
	c.deliver(3, 1, raft.MsgAppendResp)
	require.Equal(t, raft.Index(3), c.status(1).CommitIndex, "4@3 is on S1, S2, S3: committed, and 2@2 with it")
	assert.Equal(t, []raft.Term{1, 2, 4}, termsOf(c.applied[1]))

	c.crash(1)
	c.drop(raft.None, raft.None)
	c.restart(5)
	for range 3 {
		c.fire(5)
		c.deliverAll()
		assert.NotEqual(t, raft.Leader, c.role(5))
	}
	for _, id := range []raft.NodeID{2, 3} {
		assert.NotEmpty(t, c.notesOf(id, raft.VoteDeniedLogTerm), "%v refuses S5", id)
	}
	assert.Equal(t, []raft.Term{1, 2, 4}, termsOf(c.log(2)))
	assert.Equal(t, []raft.Term{1, 2, 4}, termsOf(c.log(3)))
	c.assertSafe()
}

// TestScenarioFigure8Unsafe: with UnsafeRules.CommitEarlierTerms the leader
// of term 4 commits 2@2 by counting and applies it; S5 then wins term 5 and
// overwrites it. Two state machines apply different entries at index 2:
// the outcome §5.4.2 exists to prevent.
func TestScenarioFigure8Unsafe(t *testing.T) {
	c := figure8(t, true)
	assert.Empty(t, c.notesOf(1, raft.CommitDeferred))
	assert.Equal(t, raft.Index(2), c.status(1).CommitIndex, "2@2 committed by counting")
	require.Equal(t, []raft.Term{1, 2}, termsOf(c.applied[1]), "S1 applied 2@2")
	assert.Empty(t, c.safety(), "nothing is broken yet")

	figure8d(t, c)
	assert.Equal(t, []raft.Term{1, 3, 5}, termsOf(c.applied[5]), "S5 applied 3@2 at index 2")
	problems := c.safety()
	require.NotEmpty(t, problems)
	assert.Contains(t, fmt.Sprint(problems), "state machine safety: S1 applied")
	assert.Contains(t, fmt.Sprint(problems), "leader completeness")
}

// TestScenarioCrashRestart: a follower and then the leader crash and restart
// from their storage; each resumes with its term, vote and log, catches up,
// and re-learns the commit index.
func TestScenarioCrashRestart(t *testing.T) {
	c := newCluster(t, 3)
	c.fire(1)
	c.deliverAll()
	c.propose(1, "a")
	c.propose(1, "b")
	c.deliverAll()
	c.fire(1)
	c.deliverAll()
	require.Equal(t, []string{"a", "b"}, commands(c.applied[3]))

	// A follower crashes; the other two go on committing.
	before := c.status(3)
	c.crash(3)
	c.propose(1, "c")
	c.propose(1, "d")
	c.deliverAll()
	assert.Equal(t, raft.Index(5), c.status(1).CommitIndex, "S1 and S2 are a majority")

	c.restart(3)
	st := c.status(3)
	assert.Equal(t, before.Term, st.Term)
	assert.Equal(t, before.VotedFor, st.VotedFor)
	assert.Equal(t, before.LastIndex, st.LastIndex)
	assert.Equal(t, raft.Index(0), st.CommitIndex)
	assert.Equal(t, raft.Index(0), st.LastApplied)
	assert.Equal(t, raft.Follower, st.Role)
	c.fire(1)
	c.deliverAll()
	c.fire(1)
	c.deliverAll()
	assert.Equal(t, c.log(1), c.log(3), "caught up")
	assert.Equal(t, raft.Index(5), c.status(3).CommitIndex, "commit re-learned")
	assert.Equal(t, []string{"a", "b", "c", "d"}, commands(c.applied[3]))
	assert.Equal(t, 5, c.replay[3], "the fresh state machine re-applied all five")

	// The leader crashes with an entry no one else has, and restarts.
	c.propose(1, "e")
	c.drop(raft.None, raft.None)
	c.crash(1)
	c.fire(2)
	c.deliverAll()
	require.Equal(t, raft.Leader, c.role(2))
	c.restart(1)
	st = c.status(1)
	assert.Equal(t, raft.Term(1), st.Term)
	assert.Equal(t, raft.NodeID(1), st.VotedFor)
	assert.Equal(t, []string{"a", "b", "c", "d", "e"}, commands(c.log(1)))
	assert.Equal(t, raft.Follower, st.Role)
	c.propose(2, "f")
	c.deliverAll()
	c.fire(2)
	c.deliverAll()
	for _, id := range c.ids() {
		assert.Equal(t, []string{"a", "b", "c", "d", "f"}, commands(c.applied[id]), "%v", id)
		assert.Equal(t, c.log(2), c.log(id))
	}
	c.assertSafe()
}

// TestScenarioRandom runs seeded random schedules — messages delivered out
// of order, duplicated and lost, timers firing, servers crashing and
// restarting — and checks the safety properties after every step.
func TestScenarioRandom(t *testing.T) {
	seeds := 40
	if testing.Short() {
		seeds = 5
	}
	for seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			r := rand.New(rand.NewSource(int64(seed)))
			n := 3 + 2*(seed%2)
			c := newCluster(t, n, func(cfg *raft.Config) {
				cfg.MaxEntriesPerAppend = seed % 3
			})
			proposed := 0
			for range 1500 {
				id := raft.NodeID(1 + r.Intn(n))
				switch k := r.Intn(100); {
				case k < 55 && len(c.net) > 0:
					i := r.Intn(min(len(c.net), 4)) // mostly in order
					m := c.net[i]
					if r.Intn(10) > 0 {
						c.net = append(c.net[:i], c.net[i+1:]...)
					} // else: delivered twice
					c.stepTo(m)
				case k < 62 && len(c.net) > 0:
					i := r.Intn(len(c.net))
					c.net = append(c.net[:i], c.net[i+1:]...)
				case k < 80:
					if c.nodes[id] != nil {
						c.tick(id, 1)
					}
				case k < 95:
					if c.nodes[id] != nil {
						proposed++
						c.propose(id, fmt.Sprintf("c%d", proposed))
					}
				case k < 97:
					if c.nodes[id] != nil {
						c.crash(id)
					}
				default:
					if c.nodes[id] == nil {
						c.restart(id)
					}
				}
				require.Empty(t, c.safety())
			}
			// Heal: restart everyone, deliver everything, let time pass.
			for _, id := range c.ids() {
				if c.nodes[id] == nil {
					c.restart(id)
				}
			}
			for range 200 {
				for _, id := range c.ids() {
					c.tick(id, 1)
				}
				c.deliverAll()
			}
			c.assertSafe()
			var lead raft.NodeID
			for _, id := range c.ids() {
				if c.role(id) == raft.Leader {
					lead = id
				}
			}
			require.NotEqual(t, raft.None, lead, "a leader after healing")
			for _, id := range c.ids() {
				assert.Equal(t, c.log(lead), c.log(id), "%v converged", id)
				assert.Equal(t, c.status(lead).CommitIndex, c.status(id).CommitIndex)
			}
		})
	}
}

// TestScenarioForgetVoteUnsafe: with UnsafeRules.ForgetVote a server that
// crashes after voting forgets its vote, votes again in the same term, and
// two leaders are elected in one term — what persisting votedFor prevents.
func TestScenarioForgetVoteUnsafe(t *testing.T) {
	for _, unsafe := range []bool{false, true} {
		t.Run(fmt.Sprintf("ForgetVote=%v", unsafe), func(t *testing.T) {
			c := newCluster(t, 3, func(cfg *raft.Config) { cfg.Unsafe.ForgetVote = unsafe })
			c.fire(1)
			c.fire(2)
			c.deliver(1, 3, raft.MsgVote)
			c.deliver(3, 1, raft.MsgVoteResp)
			require.Equal(t, raft.Leader, c.role(1))
			c.crash(3)
			c.restart(3)
			c.deliver(2, 3, raft.MsgVote)
			c.deliver(3, 2, raft.MsgVoteResp)
			if !unsafe {
				assert.Equal(t, raft.Candidate, c.role(2), "S3 remembers its vote for S1")
				assert.Equal(t, raft.VoteDeniedAlreadyVoted, c.notesOf(3, raft.VoteDeniedAlreadyVoted)[0].Code)
				c.assertSafe()
				return
			}
			assert.Equal(t, raft.Leader, c.role(2), "S3 voted twice in term 1")
			assert.Equal(t, raft.Term(1), c.term(2))
			assert.Contains(t, fmt.Sprint(c.safety()), "election safety: S1 and S2 both lead term 1")
		})
	}
}
