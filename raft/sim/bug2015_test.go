package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// bug2015 is the single-server membership change bug that Ongaro published
// in 2015, played in the simulator. S1 leads term 1 of {S1..S4}; S5 and S6
// join as learners. S1 promotes S5, but only S5 hears of it, and S1
// crashes. S2 wins term 2 in {S1..S4} with S3 and S4, and, with the fix
// off, promotes S6 before any entry of term 2 has committed: {S1..S4, S6}
// commits that with S2, S3 and S6. S1 comes back and wins term 3 with S4
// and S5: a majority of its configuration {S1..S5}, which shares no
// majority with S2's.
const bug2015Scenario = `nodes: 6
voters: S1 S2 S3 S4
timers: frozen
latency: 10
`

var bug2015Actions = []string{
	// S1 leads term 1; S5 and S6 join as learners but hear nothing yet.
	"timeout S1; flush; cut S1 S5; cut S1 S6",
	"add-server S1 S5; flush; add-server S1 S6; flush; timeout S1; flush",
	// S5 catches up and S1 promotes it; only S5 hears of it.
	"restore S1 S5; cut S1 S2; cut S1 S3; cut S1 S4; timeout S1; flush; crash S1",
	// S2 wins term 2 with S3 and S4; S4 and S5 get nothing of term 2.
	"timeout S2; deliver S2>S3 vote; deliver S2>S4 vote; deliver S3>S2; deliver S4>S2; cut S2 S4; cut S2 S5; flush",
	// S1 comes back, hearing only S4 and S5, and stands twice.
	"cut S1 S6; restore S1 S4; restart S1; timeout S1; flush; timeout S1; flush",
}

func TestBug2015NeedsTheFix(t *testing.T) {
	for _, fixOff := range []bool{true, false} {
		text := bug2015Scenario
		if fixOff {
			text += "unsafe: config-change-before-term-commit\n"
		}
		c, err := NewFromText("bug2015", 1, text)
		require.NoError(t, err)
		for _, line := range bug2015Actions {
			as, err := ParseActions(line)
			require.NoError(t, err)
			require.NoError(t, c.DoAll(as), line)
		}
		st := c.State()
		if !fixOff {
			assert.Empty(t, st.Violations, "with the fix, S2 waits for an entry of term 2 to commit and changes nothing")
			assert.Equal(t, []raft.NodeID{1, 2, 3, 4}, st.Nodes[1].Membership.Voters, "S2 did not promote S6")
			continue
		}
		require.NotEmpty(t, st.Violations)
		v := st.Violations[0]
		assert.Equal(t, CommonMajority, v.Property, "the first violation is the cause: %s", English.ViolationText(v))
		assert.Equal(t, []raft.NodeID{1}, v.Nodes)
		assert.Equal(t, raft.Term(3), v.Term)
		assert.Equal(t, []raft.NodeID{1, 2, 3, 4, 5}, v.Config.Voters, "S1 used its own configuration")
		assert.Equal(t, []raft.NodeID{1, 2, 3, 4, 6}, v.Committed.Voters, "S2's committed configuration")
		assert.Equal(t, raft.Index(5), v.Index)
		assert.Equal(t, "Common Majority: two configurations without a common majority: S1 won term 3 in a configuration "+
			"(voters S1 S2 S3 S4 S5; learners S6) that shares no majority with the committed configuration of entry 5 "+
			"(voters S1 S2 S3 S4 S6; learners S5)", English.ViolationText(v))
		var props []Property
		for _, v := range st.Violations {
			props = append(props, v.Property)
		}
		assert.Contains(t, props, LeaderCompleteness, "S1 lacks what S2 committed")
	}
}

// The checker's configuration checks can fail: each is fed a decision that
// breaks it.
func TestConfigurationChecksReport(t *testing.T) {
	logs := func(terms map[raft.NodeID][]raft.Term) logOf {
		return func(id raft.NodeID) serverLog {
			var l serverLog
			for i, t := range terms[id] {
				l.entries = append(l.entries, raft.Entry{Index: raft.Index(i + 1), Term: t})
			}
			return l
		}
	}
	four := raft.Membership{Voters: []raft.NodeID{1, 2, 3, 4}}
	tests := []struct {
		name string
		feed func(c *checker, report func(Violation))
		want Property
	}{
		{"a leader with two votes of four", func(c *checker, report func(Violation)) {
			c.granted(2, 1, 5)
			c.granted(3, 1, 4) // an earlier term's vote does not count
			c.elected(1, 5, four, report)
		}, ElectedWithoutQuorum},
		{"a learner's vote does not count", func(c *checker, report func(Violation)) {
			c.granted(2, 1, 5)
			c.granted(4, 1, 5)
			c.elected(1, 5, raft.Membership{Voters: []raft.NodeID{1, 2, 3, 5}, Learners: []raft.NodeID{4}}, report)
		}, ElectedWithoutQuorum},
		{"a joint configuration needs both majorities", func(c *checker, report func(Violation)) {
			c.granted(2, 1, 5)
			c.elected(1, 5, raft.Membership{Voters: []raft.NodeID{1, 2, 3}, Outgoing: []raft.NodeID{1, 4, 5}}, report)
		}, ElectedWithoutQuorum},
		{"an entry on two of four", func(c *checker, report func(Violation)) {
			l := logs(map[raft.NodeID][]raft.Term{1: {1, 2}, 2: {1, 2}, 3: {1, 1}, 4: {1}})
			c.committedBy(1, 2, 2, four, func() raft.Membership { return four }, l, report)
		}, CommittedWithoutQuorum},
		{"a leader of a configuration two changes away from the committed one", func(c *checker, report func(Violation)) {
			c.startConfig(raft.Membership{Voters: []raft.NodeID{1, 2, 3}})
			c.granted(4, 5, 2)
			c.granted(3, 5, 2)
			c.elected(5, 2, raft.Membership{Voters: []raft.NodeID{1, 2, 3, 4, 5}}, report)
		}, CommonMajority},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []Property
			c := &checker{}
			c.startConfig(four)
			tt.feed(c, func(v Violation) { got = append(got, v.Property) })
			assert.Equal(t, []Property{tt.want}, got)
		})
	}
	// And accept what is right: one server changed, both majorities of a
	// joint configuration, an entry on three of four.
	var got []Violation
	c := &checker{}
	c.startConfig(four)
	c.granted(2, 1, 5)
	c.granted(3, 1, 5)
	c.elected(1, 5, raft.Membership{Voters: []raft.NodeID{1, 2, 3, 4, 5}}, func(v Violation) { got = append(got, v) })
	c.elected(1, 5, raft.Membership{Voters: []raft.NodeID{1, 2, 3}, Outgoing: []raft.NodeID{1, 3, 4}}, func(v Violation) { got = append(got, v) })
	l := logs(map[raft.NodeID][]raft.Term{1: {1, 2}, 2: {1, 2}, 3: {1, 2}, 4: {1}})
	c.committedBy(1, 2, 2, four, func() raft.Membership { return four }, l, func(v Violation) { got = append(got, v) })
	assert.Empty(t, got)
	assert.True(t, commonMajority(four, raft.Membership{Voters: []raft.NodeID{1, 2, 3}}))
	assert.False(t, commonMajority(raft.Membership{Voters: []raft.NodeID{1, 2, 3}}, raft.Membership{Voters: []raft.NodeID{3, 4, 5}}))
}
