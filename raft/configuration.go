package raft

import "slices"

// The configuration a server uses (dissertation §4.1): the latest in its
// log, committed or not, else its snapshot's, else the one it was started
// with.

// bootstrap is the configuration a server starts from when neither its log
// nor its snapshot holds one: Config.Peers.
func (n *Node) bootstrap() Membership {
	return Membership{Voters: slices.Sorted(slices.Values(n.cfg.Peers))}
}

// latestConfig finds the configuration in force as of index i: the last
// configuration entry at or before i in the log, else the snapshot's, else
// the bootstrap configuration. It returns the index it came from.
func (n *Node) latestConfig(i Index) (Membership, Index) {
	for j := min(i, n.log.lastIndex()); j > n.log.offset; j-- {
		if e := n.log.entry(j); e.Kind == EntryConfig {
			if m, err := ParseMembership(e.Data); err == nil {
				return m, j
			}
		}
	}
	if n.snap != nil && len(n.snap.Config.Voters) > 0 {
		return n.snap.Config.Clone(), n.snap.Index
	}
	return n.bootstrap(), 0
}

// configFromEntries switches to the last configuration among entries, which
// were just appended: a server uses the latest configuration in its log,
// committed or not (dissertation §4.1).
func (n *Node) configFromEntries(entries []Entry) {
	for i := len(entries) - 1; i >= 0; i-- {
		if e := &entries[i]; e.Kind == EntryConfig {
			if m, err := ParseMembership(e.Data); err == nil {
				n.useConfig(m, e.Index, true)
			}
			return
		}
	}
}

// useConfig makes m, from the entry at index, the configuration in force,
// and rebuilds what depends on it: the member list, a candidate's votes, a
// leader's progress (kept for servers that stay). explain notes the
// change for a learner to see.
func (n *Node) useConfig(m Membership, index Index, explain bool) {
	for _, ids := range [...]*[]NodeID{&m.Voters, &m.Learners, &m.Outgoing} {
		if len(*ids) == 0 {
			*ids = nil // one form for an empty list
		}
	}
	old := n.conf
	n.conf, n.confIndex = m, index
	members := m.Members()
	progress := make([]Progress, len(members))
	for i, id := range members {
		if pr := n.progressOf(id); pr != nil {
			progress[i] = *pr
			continue
		}
		progress[i] = Progress{ID: id, Next: n.log.lastIndex() + 1}
		if n.role == Leader && m.IsLearner(id) {
			n.startCatchUp(&progress[i])
		}
	}
	votes := make([]voteAnswer, len(members))
	for i, id := range members {
		if j := slices.Index(n.members, id); j >= 0 && j < len(n.votes) {
			votes[i] = n.votes[j]
		}
	}
	n.members, n.progress, n.votes = members, progress, votes
	n.selfVoter = m.IsVoter(n.id)
	n.voterIn, n.voterOut = make([]bool, len(members)), make([]bool, len(members))
	for i, id := range members {
		n.voterIn[i], n.voterOut[i] = slices.Contains(m.Voters, id), slices.Contains(m.Outgoing, id)
	}
	if explain {
		n.explainConfig(old, m, index)
	}
}

// explainConfig notes what changed from old to m (dissertation §4.1: the
// new configuration takes effect as soon as its entry is in the log).
func (n *Node) explainConfig(old, m Membership, index Index) {
	switch {
	case m.Joint() && !old.Joint():
		n.note(Reason{Code: ConfigJointEntered, Term: n.term, Index: index, Got: uint64(len(m.Voters)), Want: uint64(len(m.Outgoing))})
		return
	case old.Joint() && !m.Joint():
		n.note(Reason{Code: ConfigJointLeft, Term: n.term, Index: index, Got: uint64(len(m.Voters))})
		return
	}
	for _, id := range mergeIDs(old.Members(), m.Members()) {
		code := ReasonNone
		switch {
		case m.IsVoter(id) && !old.IsVoter(id):
			code = ConfigVoterAdded
		case m.IsLearner(id) && !old.IsLearner(id) && !old.IsVoter(id):
			code = ConfigLearnerAdded
		case !m.IsVoter(id) && !m.IsLearner(id):
			code = ConfigServerRemoved
		case m.IsLearner(id) && old.IsVoter(id):
			code = ConfigVoterDemoted
		}
		if code != ReasonNone {
			n.note(Reason{Code: code, Peer: id, Term: n.term, Index: index, Got: uint64(len(m.Voters))})
		}
	}
}

// revertConfig restores the configuration in force once the entries from
// index on are gone (a truncation, §5.3): a server always uses the latest
// configuration in its log, so an uncommitted one it loses is undone
// (dissertation §4.1).
func (n *Node) revertConfig(index Index) {
	if n.confIndex < index {
		return
	}
	gone := n.confIndex
	m, at := n.latestConfig(index - 1)
	n.useConfig(m, at, false)
	n.note(Reason{Code: ConfigRolledBack, Term: n.term, Index: gone, Got: uint64(at)})
}

// isVoter reports whether this server's vote counts in its configuration:
// only then may it stand for election.
func (n *Node) isVoter() bool { return n.selfVoter }

// Membership returns the configuration the server uses now, a copy.
func (n *Node) Membership() Membership { return n.conf.Clone() }

// ConfigIndex returns the index of the entry the configuration in use came
// from (the snapshot's index when it came with a snapshot; 0 for the
// configuration the server was started with).
func (n *Node) ConfigIndex() Index { return n.confIndex }
