package goal

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"raftlab/raft"
	"raftlab/raft/sim"
)

// requireFactsMatch compares what the watcher knows from the events with
// the cluster's real state.
func requireFactsMatch(t *testing.T, w *Watcher, c *sim.Cluster, where string) {
	t.Helper()
	st := c.State()
	require.Len(t, w.f.servers, len(st.Nodes), where)
	for i, real := range st.Nodes {
		n := &w.f.servers[i]
		who := where + " S" + strconv.Itoa(i+1)
		require.Equal(t, real.Up, n.up, who+" up")
		require.Equal(t, real.Term, n.term, who+" term")
		require.Equal(t, real.Vote, n.vote, who+" vote")
		if real.Up {
			require.Equal(t, real.Role, n.role, who+" role")
		}
		require.Equal(t, real.CommitIndex, n.commit, who+" commit")
		require.Equal(t, real.LastApplied, n.applied, who+" applied")
		require.Len(t, n.log, len(real.Log), who+" log length")
		for k, e := range real.Log {
			require.Equal(t, e, n.log[k], who+" entry "+strconv.Itoa(k+1))
		}
		if real.Role == raft.Candidate {
			require.Equal(t, len(real.Votes), n.votes, who+" votes")
		}
	}
}

// What the watcher learns from the events equals the cluster's state after
// every action of long random runs with crashes, partitions, drops and
// duplicates, in clusters of 1 to 7 servers, with and without unsafe rules.
func TestFactsFollowRandomRuns(t *testing.T) {
	for seed := int64(1); seed <= 40; seed++ {
		opt := sim.RandomOptions{Nodes: 1 + int(seed%7), Seed: seed, Actions: 400}
		if seed%5 == 0 {
			opt.Unsafe = raft.UnsafeRules{CommitEarlierTerms: true, ForgetVote: true}
		}
		run, err := sim.RandomRun(opt)
		require.NoError(t, err)
		c, err := sim.New(sim.RandomScenario(opt))
		require.NoError(t, err)
		w := NewWatcher(MustParse("ever overwritten"))
		for i, a := range run.History() {
			require.NoError(t, c.Do(a))
			w.Update(c)
			requireFactsMatch(t, w, c, "seed "+strconv.FormatInt(seed, 10)+" action "+strconv.Itoa(i+1)+" "+sim.FormatAction(a))
		}
	}
}

// Restarts that forget, scenario logs with commands, and a setup that runs
// an election are followed too.
func TestFactsFollowAmnesiaAndSetup(t *testing.T) {
	sc, err := sim.ParseScenario("t", `nodes: 3
timers: frozen
unsafe: forget-vote
server S1: term 2 log [1,2] commands ["set a 1", "del a"]
server S2: term 2 log [1]
setup:
  timeout S1; flush
`)
	require.NoError(t, err)
	c, err := sim.New(sc)
	require.NoError(t, err)
	w := NewWatcher(nil)
	w.Update(c)
	requireFactsMatch(t, w, c, "start")
	steps := []string{
		"propose S1 set x 3", "deliver S1>S2", "deliver S2>S1", "restart S2 lose-tail 2",
		"restart S3 forget-vote", "timeout S2", "flush", "timeout S3", "deliver S3>S1",
		"dup S1>S3", "deliver S1>S3", "deliver S1>S3", "flush", "timeout S1", "flush", "crash S1",
		"propose S2 set y 1", "propose S3 set y 2", "flush", "restart S1", "timeout S1", "flush", "read S2 y",
	}
	for _, s := range steps {
		a, err := sim.ParseAction(s)
		require.NoError(t, err)
		if err := c.Do(a); err != nil {
			continue // some steps find nothing in flight; that is fine
		}
		w.Update(c)
		requireFactsMatch(t, w, c, s)
	}
}
