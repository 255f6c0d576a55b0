package goal

import (
	"raftlab/raft"
	"raftlab/raft/sim"
)

// The watcher needs each server's state after every step, but a Cluster
// shows only its state now. So the watcher keeps the state it needs from
// the cluster's starting state and the facts its events state — the role,
// term, vote and leader on each event, what each step stored on disk, the
// commit index in the notes, what was applied, crashes and restarts. It
// re-derives nothing of Raft: no receiver rule, no election rule. Tests
// compare it with Cluster.State after every action of long random runs.

// server is what the watcher knows of one server.
type server struct {
	id       raft.NodeID
	up       bool
	role     raft.Role
	term     raft.Term
	vote     raft.NodeID // in memory
	diskVote raft.NodeID // on disk (UnsafeRules.ForgetVote keeps it none)
	votes    int         // votes in the latest election
	// log holds the entries after the snapshot through start (of term
	// startTerm; zero: none): log[0] has index start+1.
	log       []raft.Entry
	start     raft.Index
	startTerm raft.Term
	commit    raft.Index
	applied   raft.Index
	// The configuration it uses (dissertation §4.1): the latest in its log,
	// else its snapshot's, else the starting one; and the entry it came
	// from (the snapshot's index; 0 for the starting one).
	conf      raft.Membership
	confIndex raft.Index
	snapConf  *raft.Membership
}

type entryKey struct {
	Index raft.Index
	Term  raft.Term
}

// effects are the facts one event establishes for event conditions.
type effects struct {
	overwritten []entryKey // entries once on a majority, removed by a conflict
	splitVote   bool
}

type termRecord struct {
	term       raft.Term
	candidates []raft.NodeID
	leader     bool
}

// facts is every server's state and the history the event conditions ask
// about, from the start on (the setup does not count).
type facts struct {
	servers []server
	// With trackMajority (some goal asks about overwritten entries),
	// holders has a bit for each server holding each entry (1<<id), and
	// onMajority remembers the entries seen on a majority.
	trackMajority bool
	holders       map[entryKey]uint16
	onMajority    map[entryKey]bool
	terms         []termRecord // elections, by term ascending
	// A majority is one of the latest committed configuration (§6): the
	// one of the latest configuration entry a server knows committed, or
	// the starting one. Committed entries through scanned were looked at.
	start       raft.Membership
	committed   raft.Membership
	scanned     raft.Index
	committedAt raft.Index // the entry committed came from
}

func newFacts(st sim.State, trackMajority bool) *facts {
	f := &facts{servers: make([]server, len(st.Nodes)), trackMajority: trackMajority,
		holders: map[entryKey]uint16{}, onMajority: map[entryKey]bool{}}
	if len(st.Nodes) > 0 {
		// Every server starts in the scenario's configuration.
		f.start, f.committed = st.Nodes[0].Membership, st.Nodes[0].Membership
	}
	for i, ns := range st.Nodes {
		f.servers[i] = server{id: ns.ID, up: ns.Up, role: ns.Role, term: ns.Term, vote: ns.Vote, diskVote: ns.Vote,
			votes: len(ns.Votes), commit: ns.CommitIndex, applied: ns.LastApplied}
		f.servers[i].start, f.servers[i].startTerm = ns.SnapshotIndex, ns.SnapshotTerm
		f.write(&f.servers[i], ns.SnapshotIndex+1, ns.Log, false)
	}
	return f
}

func (f *facts) server(id raft.NodeID) *server {
	if id < 1 || int(id) > len(f.servers) {
		return nil
	}
	return &f.servers[id-1]
}

// majority reports whether the servers for which ok holds include a
// majority of the latest committed configuration.
func (f *facts) majority(ok func(n *server) bool) bool {
	return f.committed.HasQuorum(func(id raft.NodeID) bool {
		n := f.server(id)
		return n != nil && ok(n)
	})
}

// heldByMajority reports whether the servers of holders (a bit for each)
// include a majority of the latest committed configuration.
func (f *facts) heldByMajority(holders uint16) bool {
	return f.committed.HasQuorum(func(id raft.NodeID) bool { return holders&(1<<id) != 0 })
}

// apply learns what one event says. history says whether the event is part
// of the run (not the setup); only then are effects recorded.
func (f *facts) apply(e *sim.Event, history bool) effects {
	var fx effects
	n := f.server(e.Node)
	if n == nil {
		return fx
	}
	switch e.Kind {
	case sim.EvCrash:
		n.up, n.role, n.vote, n.commit, n.applied, n.votes = false, raft.Follower, n.diskVote, 0, 0, 0
		return fx
	case sim.EvRestart:
		n.up, n.commit, n.applied, n.votes = true, 0, 0, 0
		f.truncate(n, e.Index+1)
		f.reconfigure(n)
		n.diskVote = e.Vote
	case sim.EvPersist:
		if e.Saved {
			n.diskVote = e.Vote
		}
		if len(e.Entries) > 0 {
			fx.overwritten = f.write(n, e.Index, e.Entries, history)
		}
	case sim.EvSnapshot:
		if e.Index > n.start {
			n.snapConf = e.Config
		}
		f.compact(n, e.Index, e.Term)
		f.reconfigure(n)
	case sim.EvRestore:
		// Everything through the snapshot is committed and now applied.
		n.applied, n.commit = e.Index, max(n.commit, e.Index)
	case sim.EvApply:
		n.applied = e.Index
	case sim.EvNote:
		switch r := e.Reason; r.Code {
		case raft.CommitAdvanced:
			n.commit = raft.Index(r.Got)
			f.commitKnown(n)
		case raft.ElectionStarted:
			n.votes = 0
			if n.conf.IsVoter(n.id) {
				n.votes = 1 // its own; a server whose removal it has not seen commit may stand without one
			}
			if history {
				fx.splitVote = f.startElection(e.Node, r.Term)
			}
		case raft.VoteReceived, raft.PreVoteReceived:
			n.votes = int(r.Got)
		case raft.PreVoteStarted:
			n.votes = 1
		case raft.BecameLeader:
			n.votes = int(r.Got)
			if history {
				f.termRecord(r.Term).leader = true
			}
		}
	}
	// A running server's events carry its role, term and vote (a write's
	// term and vote are the disk's; a proposal's and an apply's term the
	// entry's).
	if n.up && e.Kind != sim.EvNoAnswer {
		n.role = e.Role
		if e.Kind != sim.EvPropose && e.Kind != sim.EvApply && e.Kind != sim.EvPersist &&
			e.Kind != sim.EvSnapshot && e.Kind != sim.EvRestore {
			n.term, n.vote = e.Term, e.Vote
		}
	}
	return fx
}

// last is the index of n's last entry.
func (n *server) last() raft.Index { return n.start + raft.Index(len(n.log)) }

// entry returns the entry at i, and false when n's log does not hold it:
// past its end, or replaced by its snapshot.
func (n *server) entry(i raft.Index) (raft.Entry, bool) {
	if i <= n.start || i > n.last() {
		return raft.Entry{}, false
	}
	return n.log[i-n.start-1], true
}

// write stores entries from index first on in n's log, as a server's disk
// does (everything from first on is replaced), and returns the entries it
// removed that had been on a majority.
func (f *facts) write(n *server, first raft.Index, entries []raft.Entry, history bool) []entryKey {
	var overwritten []entryKey
	base, same := int(first-n.start)-1, 0 // entries[i] goes at position base+i
	for base+same < len(n.log) && same < len(entries) && n.log[base+same].Term == entries[same].Term {
		same++ // the same entry written again is not removed
	}
	keep := min(base+same, len(n.log))
	if history {
		for _, e := range n.log[keep:] {
			if k := (entryKey{e.Index, e.Term}); f.onMajority[k] {
				overwritten = append(overwritten, k)
			}
		}
	}
	from := n.start + raft.Index(keep) + 1
	cut := len(n.log) > keep
	f.truncate(n, from)
	config := false
	for _, e := range entries[same:] {
		n.log = append(n.log, e)
		config = config || e.Kind == raft.EntryConfig
		if f.trackMajority {
			k := entryKey{e.Index, e.Term}
			f.holders[k] |= 1 << n.id
			if history && f.heldByMajority(f.holders[k]) {
				f.onMajority[k] = true
			}
		}
	}
	if config || cut && n.confIndex >= from || n.conf.Voters == nil {
		f.reconfigure(n)
	}
	return overwritten
}

// reconfigure finds the configuration n uses: the latest in its log, else
// its snapshot's, else the starting one (dissertation §4.1).
func (f *facts) reconfigure(n *server) {
	switch m, at, ok := sim.ConfigIn(n.log, n.start, n.start, n.last()); {
	case ok:
		n.conf, n.confIndex = m, at
	case n.snapConf != nil && n.start > 0:
		n.conf, n.confIndex = *n.snapConf, n.start
	default:
		n.conf, n.confIndex = f.start, 0
	}
}

// commitKnown learns from n, which knows its log committed through its
// commit index, the latest committed configuration. Each committed index
// is looked at once.
func (f *facts) commitKnown(n *server) {
	if n.commit <= f.scanned {
		return
	}
	if m, at, ok := sim.ConfigIn(n.log, n.start, f.scanned, n.commit); ok {
		if at > f.committedAt {
			f.committed, f.committedAt = m, at
		}
	} else if n.start > f.scanned && n.start > f.committedAt && n.snapConf != nil {
		// The rest was compacted: the snapshot holds the configuration
		// as of its index.
		f.committed, f.committedAt = *n.snapConf, n.start
	}
	f.scanned = n.commit
}

// truncate cuts n's log before index from.
func (f *facts) truncate(n *server, from raft.Index) {
	keep := int(min(max(from, n.start+1)-n.start-1, raft.Index(len(n.log))))
	f.forget(n, n.log[keep:])
	n.log = n.log[:keep:keep] // the next append copies: the entries may be the cluster's
}

// compact replaces n's log through index with a snapshot of term, as a
// server's disk does: the entries after it stay only if the entry at index
// has that term (Figure 13, receiver rules 6-7). Entries a snapshot
// replaces were not overwritten by a conflict.
func (f *facts) compact(n *server, index raft.Index, term raft.Term) {
	if index <= n.start {
		return // not newer than the snapshot stored
	}
	cut := len(n.log)
	if e, ok := n.entry(index); ok && e.Term == term {
		cut = int(index - n.start)
	}
	f.forget(n, n.log[:cut])
	n.log = n.log[cut:len(n.log):len(n.log)]
	n.start, n.startTerm = index, term
}

// forget takes n out of the holders of entries it no longer holds.
func (f *facts) forget(n *server, entries []raft.Entry) {
	if f.trackMajority {
		for _, e := range entries {
			f.holders[entryKey{e.Index, e.Term}] &^= 1 << n.id
		}
	}
}

// markMajority records the entries on a majority now (at the start).
func (f *facts) markMajority() {
	for k, holders := range f.holders {
		if f.heldByMajority(holders) {
			f.onMajority[k] = true
		}
	}
}

func (f *facts) termRecord(t raft.Term) *termRecord {
	i := 0
	for i < len(f.terms) && f.terms[i].term < t {
		i++
	}
	if i == len(f.terms) || f.terms[i].term != t {
		f.terms = append(f.terms, termRecord{})
		copy(f.terms[i+1:], f.terms[i:])
		f.terms[i] = termRecord{term: t}
	}
	return &f.terms[i]
}

// startElection records that id became a candidate for t, and reports
// whether an earlier term is now over with two or more candidates and no
// leader (a split vote).
func (f *facts) startElection(id raft.NodeID, t raft.Term) bool {
	rec := f.termRecord(t)
	seen := false
	for _, c := range rec.candidates {
		seen = seen || c == id
	}
	if !seen {
		rec.candidates = append(rec.candidates, id)
	}
	for i := range f.terms {
		if r := &f.terms[i]; r.term < t && len(r.candidates) >= 2 && !r.leader {
			return true
		}
	}
	return false
}
