package raft

import (
	"errors"
	"slices"
)

// Configuration changes a leader makes (dissertation chapter 4; §6): one
// server at a time, or through a joint configuration, each change only
// after the previous one has committed.

// Errors from configuration changes that a caller may test for.
var (
	ErrNotLeader     = errors.New("raft: not the leader")
	ErrChangePending = errors.New("raft: a configuration change is under way")
	ErrTransferring  = errors.New("raft: leadership is being transferred")
)

// AddServer starts adding id to the cluster (dissertation §4.2.1): the
// leader appends a configuration with id as a learner, replicates its log
// to it in rounds, and once a round takes less than an election timeout
// appends the configuration that makes it a voter. It returns the index of
// the first configuration entry. With Config.JointConsensus the promotion
// goes through C_old,new.
func (n *Node) AddServer(id NodeID) (Index, error) {
	switch {
	case id == None:
		return 0, errors.New("raft: AddServer: no server 0")
	case n.conf.IsVoter(id) || n.conf.IsLearner(id):
		return 0, errors.New("raft: AddServer: " + id.String() + " is already in the configuration")
	}
	m := n.conf.Clone()
	m.Learners = mergeIDs(m.Learners, []NodeID{id})
	return n.changeConfig(m, nil)
}

// RemoveServer starts removing id from the cluster: one configuration
// entry without it (dissertation §4.1), or, with Config.JointConsensus,
// C_old,new and then C_new (§6). A leader that removes itself keeps
// leading until the change commits, then steps down (§4.2.2).
func (n *Node) RemoveServer(id NodeID) (Index, error) {
	switch {
	case n.conf.IsLearner(id):
		m := n.conf.Clone()
		m.Learners = slices.DeleteFunc(m.Learners, func(x NodeID) bool { return x == id })
		return n.changeConfig(m, nil)
	case !n.conf.IsVoter(id):
		return 0, errors.New("raft: RemoveServer: " + id.String() + " is not in the configuration")
	case n.conf.Joint():
		return 0, ErrChangePending
	}
	voters := slices.DeleteFunc(slices.Clone(n.conf.Voters), func(x NodeID) bool { return x == id })
	return n.ChangeVoters(voters)
}

// ChangeVoters starts a change to the given set of voters. With
// Config.JointConsensus any change is allowed: servers new to the cluster
// first catch up as learners, then the leader appends C_old,new and, once
// that commits, C_new (§6). Otherwise the set must differ from the current
// one by a single server (dissertation §4.1).
func (n *Node) ChangeVoters(voters []NodeID) (Index, error) {
	target := slices.Sorted(slices.Values(voters))
	if err := (Membership{Voters: target}).validate(); err != nil {
		return 0, err
	}
	if n.conf.Joint() {
		return 0, ErrChangePending
	}
	added, removed := diffIDs(n.conf.Voters, target)
	switch {
	case len(added)+len(removed) == 0:
		return 0, errors.New("raft: ChangeVoters: the voters are already " + (Membership{Voters: target}).String())
	case !n.cfg.JointConsensus && len(added)+len(removed) > 1:
		return 0, errors.New("raft: ChangeVoters: one server at a time without Config.JointConsensus")
	}
	if err := n.mayChangeConfig(); err != nil {
		return 0, err
	}
	m := n.conf.Clone()
	var fresh []NodeID // voters-to-be that are not even learners yet
	for _, id := range added {
		if !m.IsLearner(id) {
			fresh = append(fresh, id)
		}
	}
	if len(fresh) > 0 {
		// New servers catch up as learners first (dissertation §4.2.1);
		// the change to target follows when they have.
		m.Learners = mergeIDs(m.Learners, fresh)
		return n.changeConfig(m, target)
	}
	for _, id := range added {
		if pr := n.progressOf(id); pr == nil || !pr.CaughtUp {
			n.pendingVoters = target // follows when it has caught up
			return 0, nil
		}
	}
	return n.changeConfig(n.promotion(target), nil)
}

// promotion is the configuration that moves the voters to target: target
// itself with the single-server method, C_old,new with joint consensus.
func (n *Node) promotion(target []NodeID) Membership {
	m := Membership{Voters: slices.Clone(target)}
	for _, id := range n.conf.Learners {
		if !slices.Contains(target, id) {
			m.Learners = append(m.Learners, id)
		}
	}
	if n.cfg.JointConsensus {
		m.Outgoing = slices.Clone(n.conf.Voters)
	}
	return m
}

// changeConfig appends configuration m if this leader may start a change
// now; pending is the set of voters the change is heading for (nil: m is
// the goal).
func (n *Node) changeConfig(m Membership, pending []NodeID) (Index, error) {
	if err := m.validate(); err != nil {
		return 0, err
	}
	if err := n.mayChangeConfig(); err != nil {
		return 0, err
	}
	n.pendingVoters = pending
	return n.appendConfig(m), nil
}

// mayChangeConfig applies the rules for starting a configuration change,
// noting a refusal.
func (n *Node) mayChangeConfig() error {
	switch {
	case n.role != Leader:
		n.note(Reason{Code: ProposalRejected, Peer: n.leader, Term: n.term})
		return ErrNotLeader
	case n.transferee != None:
		n.note(Reason{Code: ProposalRefusedTransfer, Peer: n.transferee, Term: n.term})
		return ErrTransferring
	case n.confIndex > n.commit && !n.cfg.Unsafe.ConcurrentConfigChanges:
		// Dissertation §4.1: a leader starts a change only once the
		// previous one has committed.
		n.note(Reason{Code: ConfigChangeRefusedPending, Term: n.term, Index: n.confIndex, Got: uint64(n.commit)})
		return ErrChangePending
	case !n.committedOwnTerm() && !n.cfg.Unsafe.ConfigChangeBeforeTermCommit:
		// The fix for the single-server change bug (Ongaro, 2015): a
		// leader may not append a configuration entry until an entry of
		// its own term has committed, or two configurations without a
		// common majority can both be used.
		n.note(Reason{Code: ConfigChangeRefusedTermUncommitted, Term: n.term, Got: uint64(n.commit)})
		return errors.New("raft: no entry of the leader's term has committed yet")
	}
	return nil
}

// committedOwnTerm reports whether an entry of the current term has
// committed (the leader's no-op, at the latest).
func (n *Node) committedOwnTerm() bool {
	t, _ := n.log.term(n.commit)
	return t == n.term
}

// appendConfig appends configuration m as an entry of the leader's term;
// the leader uses it at once (dissertation §4.1) and replicates it.
func (n *Node) appendConfig(m Membership) Index {
	idx := n.log.lastIndex() + 1
	n.log.append(Entry{Term: n.term, Index: idx, Kind: EntryConfig, Data: m.String()})
	n.useConfig(m, idx, true)
	n.replicate(false)
	return idx
}

// membershipWork runs, after each call into a leader, what it does about
// membership on its own (promoteCaughtUp), when there may be something to
// do.
func (n *Node) membershipWork() {
	if n.role == Leader && (len(n.conf.Learners) > 0 || n.conf.Joint() || n.pendingVoters != nil || !n.selfVoter) {
		n.promoteCaughtUp()
	}
}

// promoteCaughtUp carries on the membership work a leader does on its own,
// when a change may start: remove learners it gave up on, promote learners
// that caught up (towards the pending set of voters, if any), leave a
// committed joint configuration (§6), and step down once a configuration
// without this server has committed (dissertation §4.2.2).
func (n *Node) promoteCaughtUp() {
	if n.role != Leader {
		return
	}
	if n.confIndex <= n.commit && !n.conf.IsVoter(n.id) && !n.conf.Joint() {
		n.note(Reason{Code: LeaderRemovedSteppedDown, Term: n.term, Index: n.confIndex})
		n.becomeFollower(n.term, None)
		return
	}
	if n.confIndex > n.commit || n.transferee != None ||
		(!n.committedOwnTerm() && !n.cfg.Unsafe.ConfigChangeBeforeTermCommit) {
		return // a change may not start yet; this runs again at the next commit
	}
	if n.conf.Joint() {
		// §6: once C_old,new has committed, the leader appends C_new.
		n.pendingVoters = nil
		n.appendConfig(Membership{Voters: slices.Clone(n.conf.Voters), Learners: slices.Clone(n.conf.Learners)})
		return
	}
	for i := range n.progress {
		if pr := &n.progress[i]; pr.Round < 0 && n.conf.IsLearner(pr.ID) {
			m := n.conf.Clone()
			m.Learners = slices.DeleteFunc(m.Learners, func(x NodeID) bool { return x == pr.ID })
			n.pendingVoters = slices.DeleteFunc(n.pendingVoters, func(x NodeID) bool { return x == pr.ID })
			if len(n.pendingVoters) == 0 {
				n.pendingVoters = nil // every voter-to-be was given up on: the change ends
			}
			n.appendConfig(m)
			return
		}
	}
	target := n.pendingVoters
	if target == nil {
		target = slices.Clone(n.conf.Voters)
	}
	ready := true
	for _, id := range n.conf.Learners {
		pr := n.progressOf(id)
		switch {
		case pr.CaughtUp && !slices.Contains(target, id) && n.pendingVoters == nil:
			target = mergeIDs(target, []NodeID{id})
		case !pr.CaughtUp && slices.Contains(target, id):
			ready = false
		}
	}
	if !ready || slices.Equal(target, n.conf.Voters) {
		return
	}
	if !n.cfg.JointConsensus {
		// One server at a time: the first learner that caught up.
		added, removed := diffIDs(n.conf.Voters, target)
		if len(added) > 0 {
			target = mergeIDs(n.conf.Voters, added[:1])
		} else {
			target = slices.DeleteFunc(slices.Clone(n.conf.Voters), func(x NodeID) bool { return x == removed[0] })
		}
	}
	if slices.Equal(target, n.pendingVoters) {
		n.pendingVoters = nil
	}
	n.appendConfig(n.promotion(target))
}
