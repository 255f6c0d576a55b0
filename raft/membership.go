package raft

import (
	"errors"
	"slices"
	"strconv"
	"strings"
)

// Membership is a cluster configuration (§6; dissertation chapter 4): the
// servers whose votes count, and the servers that receive the log without
// voting. Lists are sorted and hold distinct ids; a server is in at most
// one of Voters and Learners.
type Membership struct {
	// Voters is the configuration in force (C_new during a joint change).
	Voters []NodeID
	// Learners receive entries but neither vote nor count towards a
	// majority; a new server catches up as one (dissertation §4.2.1).
	Learners []NodeID
	// Outgoing is C_old while a joint change is under way (§6): every
	// decision then needs a majority of Voters and of Outgoing.
	Outgoing []NodeID
}

// Joint reports whether m is a joint configuration C_old,new.
func (m Membership) Joint() bool { return len(m.Outgoing) > 0 }

// IsVoter reports whether id's vote counts in m (in C_new or C_old).
func (m Membership) IsVoter(id NodeID) bool {
	return slices.Contains(m.Voters, id) || slices.Contains(m.Outgoing, id)
}

// IsLearner reports whether id is a non-voting member of m.
func (m Membership) IsLearner(id NodeID) bool { return slices.Contains(m.Learners, id) }

// Members lists every server m replicates to — voters, learners and
// outgoing voters — sorted.
func (m Membership) Members() []NodeID {
	out := make([]NodeID, 0, len(m.Voters)+len(m.Learners)+len(m.Outgoing))
	out = append(out, m.Voters...)
	out = append(out, m.Learners...)
	for _, id := range m.Outgoing {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// Clone returns a copy that shares no slice with m.
func (m Membership) Clone() Membership {
	return Membership{Voters: slices.Clone(m.Voters), Learners: slices.Clone(m.Learners), Outgoing: slices.Clone(m.Outgoing)}
}

// Equal reports whether m and o describe the same configuration.
func (m Membership) Equal(o Membership) bool {
	return slices.Equal(m.Voters, o.Voters) && slices.Equal(m.Learners, o.Learners) && slices.Equal(m.Outgoing, o.Outgoing)
}

// validate checks the shape every configuration must have.
func (m Membership) validate() error {
	if len(m.Voters) == 0 {
		return errors.New("raft: a configuration needs at least one voter")
	}
	if len(m.Members()) > MaxNodes {
		return errors.New("raft: a configuration holds at most 9 servers")
	}
	for _, ids := range [...][]NodeID{m.Voters, m.Learners, m.Outgoing} {
		for i, id := range ids {
			if id == None || (i > 0 && ids[i-1] >= id) {
				return errors.New("raft: configuration lists must be sorted, distinct and non-zero")
			}
		}
	}
	for _, id := range m.Learners {
		if m.IsVoter(id) {
			return errors.New("raft: " + id.String() + " is both a voter and a learner")
		}
	}
	return nil
}

// String is the configuration as a configuration entry carries it, for
// example "voters S1 S2 S3 learners S4" or, during a joint change,
// "voters S1 S2 S4 outgoing S1 S2 S3".
func (m Membership) String() string {
	var b strings.Builder
	for _, part := range [...]struct {
		word string
		ids  []NodeID
	}{{"voters", m.Voters}, {"learners", m.Learners}, {"outgoing", m.Outgoing}} {
		if len(part.ids) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(part.word)
		for _, id := range part.ids {
			b.WriteByte(' ')
			b.WriteString(id.String())
		}
	}
	return b.String()
}

// ParseMembership reads what Membership.String wrote.
func ParseMembership(s string) (Membership, error) {
	var m Membership
	var list *[]NodeID
	for _, f := range strings.Fields(s) {
		switch f {
		case "voters":
			list = &m.Voters
		case "learners":
			list = &m.Learners
		case "outgoing":
			list = &m.Outgoing
		default:
			n, err := strconv.ParseUint(strings.TrimPrefix(f, "S"), 10, 8)
			if list == nil || err != nil || !strings.HasPrefix(f, "S") {
				return Membership{}, errors.New("raft: not a configuration: " + strconv.Quote(s))
			}
			*list = append(*list, NodeID(n))
		}
	}
	if err := m.validate(); err != nil {
		return Membership{}, err
	}
	return m, nil
}

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

// mergeIDs is the sorted union of two sorted lists.
func mergeIDs(a, b []NodeID) []NodeID {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
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

// diffIDs lists what b adds to a and what it removes, both sorted lists.
func diffIDs(a, b []NodeID) (added, removed []NodeID) {
	for _, id := range b {
		if !slices.Contains(a, id) {
			added = append(added, id)
		}
	}
	for _, id := range a {
		if !slices.Contains(b, id) {
			removed = append(removed, id)
		}
	}
	return added, removed
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
	case n.confIndex > n.commit:
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

// startCatchUp begins the first round of replication to a new learner
// (dissertation §4.2.1): the round ends when it holds the leader's log as
// it is now.
func (n *Node) startCatchUp(pr *Progress) {
	pr.Round, pr.RoundEnd, pr.RoundStart, pr.CaughtUp = 1, n.log.lastIndex(), n.leaderTicks, false
}

// catchUp checks a learner's rounds after its matchIndex moved
// (dissertation §4.2.1): a round ends when it holds what the leader had at
// the round's start; if that took less than an election timeout, it is
// close enough to be promoted; otherwise another round starts, up to
// CatchUpRounds, after which the leader gives up and removes it.
func (n *Node) catchUp(pr *Progress) {
	if !n.conf.IsLearner(pr.ID) || pr.CaughtUp || pr.Match < pr.RoundEnd {
		return
	}
	took := n.leaderTicks - pr.RoundStart
	switch {
	case took < n.cfg.ElectionTimeoutMin:
		pr.CaughtUp = true
		n.note(Reason{Code: LearnerCaughtUp, Peer: pr.ID, Term: n.term, Index: pr.Match, Got: uint64(pr.Round), Want: uint64(took)})
	case pr.Round >= n.catchUpRounds():
		n.note(Reason{Code: CatchUpAborted, Peer: pr.ID, Term: n.term, Got: uint64(pr.Round), Want: uint64(took)})
		pr.Round = -1 // given up: removed as soon as a change may start
	default:
		pr.Round++
		pr.RoundEnd, pr.RoundStart = n.log.lastIndex(), n.leaderTicks
		n.note(Reason{Code: CatchUpRound, Peer: pr.ID, Term: n.term, Index: pr.RoundEnd, Got: uint64(pr.Round), Want: uint64(took)})
		// Nothing new arrived during the round: the next one is over
		// before it starts.
		n.catchUp(pr)
	}
}

func (n *Node) catchUpRounds() int {
	if n.cfg.CatchUpRounds > 0 {
		return n.cfg.CatchUpRounds
	}
	return 10 // dissertation §4.2.1: "a fixed number of rounds (such as 10)"
}

// catchUpTick gives up on a learner whose current round has lasted
// CatchUpRounds election timeouts: it is unavailable or too slow to ever
// catch up (dissertation §4.2.1).
func (n *Node) catchUpTick() {
	for i := range n.progress {
		pr := &n.progress[i]
		if pr.Round > 0 && !pr.CaughtUp && n.conf.IsLearner(pr.ID) &&
			n.leaderTicks-pr.RoundStart >= n.catchUpRounds()*n.cfg.ElectionTimeoutMax {
			n.note(Reason{Code: CatchUpAborted, Peer: pr.ID, Term: n.term, Got: uint64(pr.Round), Want: uint64(n.leaderTicks - pr.RoundStart)})
			pr.Round = -1
		}
	}
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
