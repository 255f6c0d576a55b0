package sim

import "raftlab/raft"

// Decisions checked against the configuration each was made in (§6;
// dissertation chapter 4). A leader's votes must come from a majority of
// the configuration it used, and an entry it commits must be held by a
// majority of it — the core's own quorum rules (raft.Membership), applied
// to what the servers really voted and stored. And the configuration a new
// leader uses must share a majority with the latest committed one:
// single-server changes guarantee it (dissertation §4.1), unless a leader
// changes the configuration before an entry of its term has committed
// (the bug published in 2015, raft.UnsafeRules.ConfigChangeBeforeTermCommit).

// grantMemory is how many of its latest votes the checker keeps for each
// server: a vote matters until the candidate has counted it, which is
// within the term the vote was cast in.
const grantMemory = 16

// grant is a vote a server granted.
type grant struct {
	term      raft.Term
	candidate raft.NodeID
}

// committedConfig is the configuration of the latest configuration entry
// known to be committed.
type committedConfig struct {
	conf  raft.Membership
	index raft.Index // the entry it came from (0: the starting configuration)
	// scanned: committed entries through it were looked at.
	scanned raft.Index
}

func (c *checker) startConfig(m raft.Membership) { c.config = committedConfig{conf: m} }

// granted records that voter granted candidate its vote in term.
func (c *checker) granted(voter, candidate raft.NodeID, term raft.Term) {
	cs := &c.servers[voter]
	cs.grants[cs.nextGrant%grantMemory] = grant{term, candidate}
	cs.nextGrant++
}

// votedFor reports whether voter granted candidate its vote in term.
func (c *checker) votedFor(voter, candidate raft.NodeID, term raft.Term) bool {
	if voter == candidate {
		return true // a candidate votes for itself (§5.2)
	}
	for _, g := range c.servers[voter].grants {
		if g.term == term && g.candidate == candidate {
			return true
		}
	}
	return false
}

// elected checks that id, which has just won term using configuration
// conf, had votes from a majority of conf, and that conf shares a majority
// with the latest committed configuration.
func (c *checker) elected(id raft.NodeID, term raft.Term, conf raft.Membership, report func(Violation)) {
	voted := func(v raft.NodeID) bool { return c.votedFor(v, id, term) }
	if !conf.HasQuorum(voted) {
		votes := 0
		for _, v := range conf.Members() {
			if conf.IsVoter(v) && voted(v) {
				votes++
			}
		}
		c.report(Violation{Property: ElectedWithoutQuorum, Nodes: []raft.NodeID{id}, Term: term,
			Count: votes, Config: conf}, report)
	}
	if k := c.config; !commonMajority(conf, k.conf) {
		c.report(Violation{Property: CommonMajority, Nodes: []raft.NodeID{id}, Term: term, Index: k.index,
			Config: conf, Committed: k.conf}, report)
	}
}

// committedBy checks that the entry at index, which leader id of term has
// just committed, is held by a majority of the configuration it used: the
// one it had before the step, or one it took up during it.
func (c *checker) committedBy(id raft.NodeID, term raft.Term, index raft.Index, before raft.Membership, after func() raft.Membership, logs logOf, report func(Violation)) {
	want, ok := logs(id).term(index)
	if !ok {
		return // compacted at once: the leader applied it, which State Machine Safety checks
	}
	holds := func(v raft.NodeID) bool {
		l := logs(v)
		t, ok := l.term(index)
		return index <= l.start || ok && t == want
	}
	if before.HasQuorum(holds) {
		return
	}
	if conf := after(); !conf.HasQuorum(holds) {
		held := 0
		for _, v := range conf.Members() {
			if conf.IsVoter(v) && holds(v) {
				held++
			}
		}
		c.report(Violation{Property: CommittedWithoutQuorum, Nodes: []raft.NodeID{id}, Term: term, Index: index,
			Want: want, Count: held, Config: conf}, report)
	}
}

// commitKnown learns that server id knows its log committed through
// index, and with it the latest committed configuration. Each committed
// index is looked at once, so the cost is that of the entries committed.
func (c *checker) commitKnown(id raft.NodeID, index raft.Index, logs logOf, snap *raft.Snapshot) {
	k := &c.config
	if index <= k.scanned {
		return
	}
	l := logs(id)
	if m, at, ok := ConfigIn(l.entries, l.start, k.scanned, index); ok {
		if at > k.index {
			k.conf, k.index = m, at
		}
		k.scanned = index
		return
	}
	// The rest was compacted away: the snapshot holds the configuration
	// as of its index.
	if l.start > k.scanned && l.start > k.index && snap != nil && snap.Index == l.start && len(snap.Config.Voters) > 0 &&
		!snap.Config.Equal(k.conf) {
		k.conf, k.index = snap.Config, l.start
	}
	k.scanned = index
}

// ConfigIn finds the last configuration entry with an index in (from, to]
// of a log whose entries follow a snapshot through start (entries[0] has
// index start+1): the configuration it holds, its index, and whether
// there is one.
func ConfigIn(entries []raft.Entry, start, from, to raft.Index) (raft.Membership, raft.Index, bool) {
	for i := min(to, start+raft.Index(len(entries))); i > from && i > start; i-- {
		if e := &entries[i-start-1]; e.Kind == raft.EntryConfig {
			if m, err := raft.ParseMembership(e.Data); err == nil {
				return m, i, true
			}
		}
	}
	return raft.Membership{}, 0, false
}

// commonMajority reports whether every majority of a shares a server with
// every majority of b (during a joint change, a majority means one of the
// new voters and one of the old). It looks for a majority of a whose
// complement holds a majority of b among at most raft.MaxNodes servers.
func commonMajority(a, b raft.Membership) bool {
	if a.Equal(b) {
		return true
	}
	var ids []raft.NodeID
	for _, m := range [...]raft.Membership{a, b} {
		for _, id := range m.Members() {
			if m.IsVoter(id) && !containsID(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	for set := 0; set < 1<<len(ids); set++ {
		in := func(id raft.NodeID) bool {
			for k, x := range ids {
				if x == id {
					return set&(1<<k) != 0
				}
			}
			return false
		}
		if a.HasQuorum(in) && b.HasQuorum(func(id raft.NodeID) bool { return !in(id) }) {
			return false
		}
	}
	return true
}

func containsID(ids []raft.NodeID, id raft.NodeID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// changesConfig reports whether a decision changes the configuration a
// server uses.
func changesConfig(c raft.ReasonCode) bool {
	switch c {
	case raft.ConfigLearnerAdded, raft.ConfigVoterAdded, raft.ConfigServerRemoved, raft.ConfigVoterDemoted,
		raft.ConfigJointEntered, raft.ConfigJointLeft, raft.ConfigRolledBack, raft.ConfigFromSnapshot:
		return true
	}
	return false
}

// checkDecision feeds the checker what one decision of server s tells
// about configurations: a vote granted, an election won, a commit index
// learned or (by a leader) reached. role is s's role when it decided;
// confChanged says an earlier decision of the same step changed its
// configuration.
func (w *world) checkDecision(s *server, why raft.Reason, role raft.Role, confChanged bool) {
	switch why.Code {
	case raft.VoteGranted:
		w.check.granted(s.id, why.Peer, why.Term)
	case raft.BecameLeader:
		w.check.elected(s.id, why.Term, s.node.Membership(), w.reportViolation)
	case raft.CommitAdvanced:
		index := raft.Index(why.Got)
		if role == raft.Leader {
			before := s.conf
			if confChanged {
				before = s.node.Membership()
			}
			w.check.committedBy(s.id, why.Term, index, before, s.node.Membership, w.logOf, w.reportViolation)
		}
		w.check.commitKnown(s.id, index, w.logOf, s.node.Snapshot())
	}
}
