package sim

import (
	"testing"

	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// The scenario keys turn on the core's Part 2 switches, which play here:
// every change of role is noted, PreCandidate's included; every trace line
// has its words; the checker finds no violation; undoing and replaying
// gives the same events.
func TestCoreSwitchesPlayInTheSimulator(t *testing.T) {
	decided := map[raft.ReasonCode]bool{}
	roles := map[raft.Role]bool{}
	for seed := int64(1); seed <= 30; seed++ {
		opt := RandomOptions{Nodes: 3 + int(seed%3), Seed: seed, Actions: 300}
		sc := RandomScenario(opt)
		sc.PreVote, sc.AnnounceCommit = true, true
		sc.CheckQuorum, sc.StickyLeader = seed%2 == 0, seed%3 == 0
		// Through the text: the keys say what the fields do.
		sc, err := ParseScenario("switches", FormatScenario(sc))
		require.NoError(t, err)
		require.True(t, sc.PreVote && sc.AnnounceCommit)
		require.Equal(t, seed%2 == 0, sc.CheckQuorum)
		c, err := New(sc)
		require.NoError(t, err)
		c.playRandom(opt)
		where := ReplayCommand(opt) + " with pre-vote"
		require.Empty(t, safetyViolations(c), where)
		events := c.Events(0)
		for _, e := range events {
			line := English.Text(e)
			for _, unfilled := range []string{"{", "role.", "type.", "summary.", "reason.", "rule.", "event."} {
				require.NotContains(t, line, unfilled, where)
			}
			if e.Kind == EvNote {
				decided[e.Reason.Code], roles[e.DecidedAs] = true, true
				switch e.Reason.Code {
				case raft.PreVoteReceived, raft.PreVoteRefused, raft.PreVoteLost:
					require.Equal(t, raft.PreCandidate, e.DecidedAs, "%s: %s", where, line)
				}
			}
		}
		half := c.Position() / 2
		c.Seek(half)
		c.Seek(c.Recorded())
		require.Equal(t, English.Trace(events), English.Trace(c.Events(0)), where)
	}
	require.True(t, roles[raft.PreCandidate], "pre-candidates decide")
	for _, code := range []raft.ReasonCode{raft.PreVoteStarted, raft.PreVoteGranted, raft.PreVoteReceived,
		raft.PreVoteLost, raft.CommitAnnounced, raft.CheckQuorumSteppedDown, raft.VoteIgnoredLeaderAlive} {
		require.True(t, decided[code], "no run decided %v", code)
	}
}

// safetyViolations are the violations of Figure 3's properties (a stale
// local read is a violation of linearizability, not of safety).
func safetyViolations(c *Cluster) []Violation {
	var out []Violation
	for _, v := range c.Violations() {
		if v.Property.Safety() {
			out = append(out, v)
		}
	}
	return out
}
