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
		require.Equal(t, real.SnapshotIndex, n.start, who+" snapshot index")
		require.Equal(t, real.SnapshotTerm, n.startTerm, who+" snapshot term")
		require.Equal(t, real.Membership, n.conf, who+" configuration")
		require.Len(t, n.log, len(real.Log), who+" log length")
		for k, e := range real.Log {
			require.Equal(t, e, n.log[k], who+" entry "+strconv.Itoa(k+1))
		}
		if real.Role == raft.Candidate || real.Role == raft.PreCandidate {
			require.Equal(t, len(real.Votes), n.votes, who+" votes")
		}
	}
}

// What the watcher learns from the events equals the cluster's state after
// every action of long random runs with crashes, partitions, drops and
// duplicates, in clusters of 1 to 9 servers, with and without unsafe rules,
// compaction and membership changes, and the switches of Part 2.
func TestFactsFollowRandomRuns(t *testing.T) {
	for seed := int64(1); seed <= 40; seed++ {
		opt := sim.RandomOptions{Nodes: 1 + int(seed%7), Seed: seed, Actions: 400}
		if seed%5 == 0 {
			opt.Unsafe = raft.UnsafeRules{CommitEarlierTerms: true, ForgetVote: true}
		}
		if seed%2 == 0 {
			opt.Nodes = 3 + int(seed%7)
			opt.Compaction, opt.Membership, opt.Joint = true, true, seed%4 == 0
		}
		opt.Switches = seed%4 == 1
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

// A snapshot stored on disk replaces the log through its index, keeping the
// entries after it only if the entry at its index has its term, as a
// server's disk does; a restored state machine has applied everything
// through the snapshot. (These are the events the simulator records when
// a node compacts or installs a snapshot.)
func TestFactsFollowSnapshots(t *testing.T) {
	entries := func(terms ...raft.Term) []raft.Entry {
		es := make([]raft.Entry, len(terms))
		for i, term := range terms {
			es[i] = raft.Entry{Index: raft.Index(i + 1), Term: term}
		}
		return es
	}
	f := newFacts(sim.State{Nodes: []sim.NodeState{{ID: 1, Up: true}}}, true)
	n := &f.servers[0]
	f.apply(&sim.Event{Kind: sim.EvPersist, Node: 1, Index: 1, Entries: entries(1, 1, 2, 2)}, true)
	require.Equal(t, uint16(1<<1), f.holders[entryKey{3, 2}], "held by S1")

	// Rule 6: the entry at 3 has the snapshot's term: 4 stays.
	f.apply(&sim.Event{Kind: sim.EvSnapshot, Node: 1, Index: 3, Term: 2}, true)
	require.Equal(t, raft.Index(3), n.start)
	require.Equal(t, raft.Index(4), n.last())
	e, ok := n.entry(4)
	require.True(t, ok)
	require.Equal(t, raft.Term(2), e.Term)
	_, ok = n.entry(3)
	require.False(t, ok, "compacted")
	require.Zero(t, f.holders[entryKey{3, 2}], "a compacted entry is no longer held")
	require.Empty(t, f.apply(&sim.Event{Kind: sim.EvPersist, Node: 1, Index: 5, Entries: entries(1, 1, 2, 2, 3)[4:]}, true).overwritten)
	require.Equal(t, raft.Index(5), n.last())

	// An older snapshot changes nothing.
	f.apply(&sim.Event{Kind: sim.EvSnapshot, Node: 1, Index: 2, Term: 1}, true)
	require.Equal(t, raft.Index(3), n.start)

	// Rule 7: the entry at 5 has another term: the whole log goes.
	f.apply(&sim.Event{Kind: sim.EvSnapshot, Node: 1, Index: 5, Term: 4}, true)
	require.Equal(t, raft.Index(5), n.start)
	require.Empty(t, n.log)
	f.apply(&sim.Event{Kind: sim.EvRestore, Node: 1, Index: 5, Term: 4}, true)
	require.Equal(t, raft.Index(5), n.applied)
	require.Equal(t, raft.Index(5), n.commit)

	// Writes after the snapshot land at their index.
	f.apply(&sim.Event{Kind: sim.EvPersist, Node: 1, Index: 6, Entries: []raft.Entry{{Index: 6, Term: 4}, {Index: 7, Term: 4}}}, true)
	require.Equal(t, raft.Index(7), n.last())
	f.apply(&sim.Event{Kind: sim.EvRestart, Node: 1, Index: 6}, true)
	require.Equal(t, raft.Index(6), n.last(), "a restart that lost the tail")

	// The predicates read indexes, not positions.
	for text, want := range map[string]bool{
		"S1 log-length 6": true, "S1 has entry 6": true, "S1 has entry 7": false,
		"S1 has entry 5 term 4": true, "S1 has entry 5 term 3": false,
		"S1 has entry 2": true, "S1 has entry 2 term 1": false, "S1 log [4]": false,
	} {
		g := MustParse(text)
		c := g[0].conds[0]
		require.Equal(t, want, c.pred.holds(&c, n, f), text)
	}
}
