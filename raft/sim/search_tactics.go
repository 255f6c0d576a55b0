package sim

// hunt is how a search tactics one switch: what it must find broken, the
// moves and cluster each schedule leans on, and the breadth-first search
// it takes turns with, if any.
type tactic struct {
	// finds lists the properties whose violation counts (nil: every
	// safety property, Property.Safety).
	finds []Property
	// focus changes each schedule's mix; nodes is the size the search
	// was asked for (0: any).
	focus func(m *mix, nodes int)
	// bfs, when set, is searched one work unit in bfsEvery.
	bfs      *bfsScope
	bfsEvery int
}

func (h tactic) wants(p Property) bool {
	if h.finds == nil {
		return p.Safety()
	}
	for _, f := range h.finds {
		if f == p {
			return true
		}
	}
	return false
}

// sized sets the mix's servers to nodes, or to def when the search was
// not asked for a size.
func (m *mix) sized(nodes, def int) {
	m.nodes = def
	if nodes != 0 {
		m.nodes = nodes
	}
}

// tactics holds, for every switch, what finds it fastest (the mutant
// corpus's findings, raft/mutants_test.go, moved onto the simulator's
// moves). Most bugs show soonest in the smallest cluster that can have
// them.
var tactics = map[string]tactic{
	// Figure 8: an entry of an earlier term reaches a majority alone (one
	// entry per AppendEntries), and a server with a later term in its log
	// is elected without it. Random schedules need a precise order, which
	// the breadth-first search finds on five servers.
	"commit-earlier-terms": {
		focus: func(m *mix, nodes int) {
			m.sized(nodes, 3)
			m.maxEntries, m.frozen, m.crashOnCommitPerMille = 1, true, 500
			m.atLeast(mvCrashAfterAppend, 6)
			m.atLeast(mvElect, 6)
			m.atLeast(mvReplicate, 6)
			m.atLeast(mvRestart, 4)
		},
		bfs:      &bfsScope{nodes: 5, maxEntries: 1, maxDepth: 9, maxTerm: 12, maxLog: 4},
		bfsEvery: 2,
	},
	"skip-up-to-date-check": {},
	// A reboot forgets the vote; two servers stand in one term.
	"forget-vote": {focus: func(m *mix, nodes int) {
		m.sized(nodes, 3)
		m.atLeast(mvReboot, 6)
		m.atLeast(mvTimeout, 6)
	}},
	// The 2015 bug needs an even number of voters, single-server changes,
	// a change left on a minority by a crash, and the next leader changing
	// at once.
	"config-change-before-term-commit": {focus: func(m *mix, nodes int) {
		m.withVoters(4)
		m.nodes = max(m.nodes, 6)
		m.joint, m.eagerPerMille = false, 1000
		m.atLeast(mvChange, 6)
		m.atLeast(mvCrashAfterAppend, 4)
		m.atLeast(mvRestart, 4)
		m.atLeast(mvCut, 3)
		m.atLeast(mvElect, 4)
	}},
	"reset-timer-on-any-vote": {finds: []Property{ElectionTimer}, focus: func(m *mix, nodes int) {
		m.frozen, m.latencyMin, m.latencyMax = false, 10, 30 // the bug is in the timers
		m.atLeast(mvNext, 20)
	}},
	// A follower that commits past the entries a request checked: Figure
	// 2's empty heartbeats reach followers whose logs end in a stale
	// suffix (left by leaders that crashed).
	"skip-commit-min": {focus: func(m *mix, nodes int) {
		m.emptyHeartbeats = true
		m.maxEntries = 1
		m.weight[mvChange] = 0 // a command's entry does as well, and reads plainer
		m.atLeast(mvCrashAfterAppend, 4)
		m.atLeast(mvRestart, 4)
		m.atLeast(mvTimeout, 4)
		m.atLeast(mvDup, 3)
	}},
	"truncate-on-every-append": {},
	// Late replies: held back, duplicated and reordered messages, and
	// elections one after another in a small cluster.
	"accept-stale-replies": {focus: lateReplies},
	"back-off-on-stale-rejection": {finds: []Property{ReplicationProgress}, focus: func(m *mix, nodes int) {
		lateReplies(m, nodes)
		m.maxEntries = 0
	}},
	"reapply-last-applied": {},
	"concurrent-config-changes": {focus: func(m *mix, nodes int) {
		m.withVoters(3)
		m.nodes = max(m.nodes, 5)
		m.joint, m.window = false, 16
		m.atLeast(mvChange, 8)
		m.atLeast(mvElect, 3)
	}},
	// Reads at a leader cut off from the others while they elect another
	// (check-quorum would make it step down first).
	"read-index-without-round": {finds: []Property{Linearizability}, focus: func(m *mix, nodes int) {
		staleReads(m, nodes, ReadByIndex)
	}},
	// A new leader serves a read before its own term's entry commits,
	// missing what its predecessor committed.
	"read-before-term-commit": {finds: []Property{Linearizability}, focus: func(m *mix, nodes int) {
		staleReads(m, nodes, ReadByIndex)
		m.eagerPerMille = 0 // a new leader's no-op must not commit at once
	}},
	// Lease reads assume clocks that agree, sticky leaders and no server
	// that stands early or reboots within a lease: the timers run, and
	// elections come only from them.
	"lease-read-without-lease": {finds: []Property{Linearizability}, focus: func(m *mix, nodes int) {
		staleReads(m, nodes, ReadByLease)
		m.frozen, m.sticky = false, true
		m.weight[mvTimeout], m.weight[mvReboot], m.weight[mvElect], m.weight[mvRestart] = 0, 0, 0, 0
		m.weight[mvCrashAfterAppend], m.weight[mvReplicate] = 0, 0
		m.atLeast(mvNext, 20)
		m.atLeast(mvAdvance, 6)
	}},
	// A vote or an acknowledgement sent, then a crash before it was
	// stored.
	"persist-after-send": {focus: func(m *mix, nodes int) {
		m.sized(nodes, 3)
		m.atLeast(mvReboot, 6)
		m.atLeast(mvCrash, 4)
		m.atLeast(mvRestart, 6)
		m.atLeast(mvTimeout, 6)
	}},
	"apply-out-of-order": {focus: func(m *mix, nodes int) {
		m.atLeast(mvPropose, 10)
	}},
}

// staleReads leans a mix towards reads at a leader that was deposed
// without knowing it: three servers, no check-quorum, partitions that
// often cut the leader off, elections in the majority, writes and reads
// on few keys, served by path.
func staleReads(m *mix, nodes int, path ReadPath) {
	m.sized(nodes, 3)
	m.voters, m.joint = 0, false
	m.weight[mvChange] = 0
	m.reads, m.checkQuorum, m.preVote = path, false, false
	m.atLeast(mvRead, 8)
	m.atLeast(mvPartition, 4)
	m.atLeast(mvElect, 4)
	m.atLeast(mvPropose, 6)
	m.atLeast(mvDeliver, 20)
}

// lateReplies leans a mix towards replies that arrive after their term:
// three servers, messages reordered and duplicated, timers fired early.
func lateReplies(m *mix, nodes int) {
	m.sized(nodes, 3)
	m.window = 16
	m.atLeast(mvDup, 4)
	m.atLeast(mvTimeout, 6)
	m.atLeast(mvDeliver, 30)
}
