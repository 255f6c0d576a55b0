package sim

import (
	"testing"

	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// figure8 plays the sequence of Figure 8 of the Raft paper on five servers,
// with AppendEntries carrying one entry at a time and timers frozen:
// (a) S1 leads term 2 and gets entry 2 only onto S2; (b) S5 wins term 3 with
// S3 and S4 and appends its own entry 2, then crashes; (c) S1 restarts, wins
// term 4 and copies its term-2 entry onto S3 and S4 — now on a majority;
// (d) S1 crashes, S5 restarts, wins term 5 and overwrites entry 2 everywhere.
func figure8(t *testing.T, unsafe raft.UnsafeRules) *Cluster {
	sc := DefaultScenario()
	sc.FrozenTimers = true
	sc.MaxEntries = 1
	sc.Unsafe = unsafe
	for id := raft.NodeID(1); id <= 5; id++ {
		sc.Servers = append(sc.Servers, ServerSetup{ID: id, Term: 1, Log: []raft.Term{1}})
	}
	c, err := New(sc)
	require.NoError(t, err)
	do := func(text string) {
		t.Helper()
		as, err := ParseActions(text)
		require.NoError(t, err)
		require.NoError(t, c.DoAll(as), text)
	}
	dropAll := func() {
		for len(c.State().Messages) > 0 {
			do("drop *>*")
		}
	}
	deliverVotes := func() {
		for {
			found := false
			for _, m := range c.State().Messages {
				if m.Type == raft.MsgVote || m.Type == raft.MsgVoteResp {
					require.NoError(t, c.Do(Action{Op: OpDeliver, Msg: MsgSelector{ID: m.ID}}))
					found = true
					break
				}
			}
			if !found {
				return
			}
		}
	}
	role := func(id raft.NodeID) raft.Role { return c.State().Nodes[id-1].Role }

	// (a)
	do("timeout S1")
	deliverVotes()
	require.Equal(t, raft.Leader, role(1))
	do("deliver S1>S2 AppendEntries")
	do("crash S1")
	dropAll()
	// (b) S5 needs two tries: S2 and S3 already voted in term 2.
	do("timeout S5")
	deliverVotes()
	do("timeout S5")
	deliverVotes()
	require.Equal(t, raft.Leader, role(5))
	require.Equal(t, raft.Term(3), c.State().Nodes[4].Log[1].Term)
	do("crash S5")
	dropAll()
	// (c)
	do("restart S1; timeout S1")
	deliverVotes()
	do("timeout S1")
	deliverVotes()
	require.Equal(t, raft.Leader, role(1))
	require.Equal(t, raft.Term(4), c.State().Nodes[0].Term)
	for _, f := range []string{"S3", "S4"} {
		// Rejected (no entry 2), back off, then entry 2 alone is accepted.
		do("deliver S1>" + f + " AppendEntries; deliver " + f + ">S1; deliver S1>" + f + " AppendEntries; deliver " + f + ">S1")
	}
	onMajority := 0
	for _, n := range c.State().Nodes {
		if len(n.Log) >= 2 && n.Log[1].Term == 2 {
			onMajority++
		}
	}
	require.Equal(t, 4, onMajority, "the term-2 entry is on S1, S2, S3 and S4")
	do("crash S1")
	dropAll()
	// (d)
	do("restart S5; timeout S5")
	deliverVotes()
	do("timeout S5")
	deliverVotes()
	require.Equal(t, raft.Leader, role(5))
	do("flush; timeout S5; flush; timeout S5; flush")
	return c
}

// TestFigure8 shows the §5.4.2 rule at work: with it, the leader of term 4
// does not commit the term-2 entry by counting, so S5 may overwrite it and
// nothing breaks; without it, the entry is applied and then overwritten, and
// the checker reports a State Machine Safety violation.
func TestFigure8(t *testing.T) {
	safe := figure8(t, raft.UnsafeRules{})
	require.Empty(t, safe.Violations())
	for _, n := range safe.State().Nodes[1:] {
		require.Equal(t, raft.Term(3), n.Log[1].Term, "S%d: entry 2 was overwritten by S5's", n.ID)
	}
	for _, e := range safe.Events(0) {
		if e.Kind == EvApply && e.Index == 2 {
			require.Equal(t, raft.Term(3), e.Term, "the term-2 entry must never be applied")
		}
	}
	var deferred bool
	for _, e := range safe.Events(0) {
		deferred = deferred || (e.Kind == EvNote && e.Reason.Code == raft.CommitDeferred && e.Node == 1 && e.Reason.Index == 2)
	}
	require.True(t, deferred, "S1 should explain why it does not commit entry 2")

	broken := figure8(t, raft.UnsafeRules{CommitEarlierTerms: true})
	vs := broken.Violations()
	// First S5 wins term 5 without the committed entry, then it applies its
	// own entry 2 where S1 applied the term-2 one.
	// (one report per server that applies it).
	require.Len(t, vs, 5)
	require.Equal(t, LeaderCompleteness, vs[0].Property, English.ViolationText(vs[0]))
	for _, v := range vs[1:] {
		require.Equal(t, StateMachineSafety, v.Property, English.ViolationText(v))
		require.Equal(t, raft.NodeID(1), v.Nodes[1], "S1 applied the term-2 entry")
	}
	for _, v := range vs {
		require.Equal(t, raft.Index(2), v.Index)
		t.Log(English.ViolationText(v))
	}
}
