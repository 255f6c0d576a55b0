package sim

import "raftlab/raft"

// Swarm schedules (Groce et al., "Swarm Testing", ISSTA 2012): each
// schedule draws its own mix of moves and of the cluster they play on, so
// that one schedule crashes servers often and never partitions, another
// only reorders messages, another elects leaders one after another with
// entries one at a time. A mix that leaves a move out altogether reaches
// states that move would keep away from, which one fixed mix rarely does.

// move is one kind of step of a swarm schedule.
type move uint8

const (
	mvNext    move = iota // the next event: a message arrives or a timer fires
	mvAdvance             // time passes
	mvDeliver             // one of the first window messages in flight arrives now
	mvDrop                // a message in flight is lost
	mvDup                 // a message in flight is duplicated
	mvTimeout             // a server's timer fires now, early
	mvCrash
	mvRestart
	mvReboot // crash and restart at once: only volatile state is lost
	mvPropose
	mvCrashAfterAppend // driver.crashAfterAppend: an entry left on some servers only
	mvElect            // driver.elect with random voters: an election while the others hear nothing
	mvReplicate        // driver.replicate: a leader sends one follower its next entry
	mvPartition        // a minority, often the leader's, cut off
	mvHeal
	mvCut     // one link, one way or both
	mvChange  // the leader is asked for a membership change (dissertation §4.1; §6)
	mvCompact // a server compacts its log (§7)
	mvRead    // a client reads a key, most often at the leader of the earliest term
	moveCount
)

// mix is one schedule's draw: the cluster and how often each move comes.
type mix struct {
	nodes      int
	maxEntries int // entries per AppendEntries (0: the default)
	frozen     bool
	latencyMin int
	latencyMax int
	// window: a delivery takes one of the first window messages in
	// flight, in arrival order (1: in order).
	window int
	// crashOnCommitPerMille crashes a leader right after a delivery
	// advanced its commitIndex, so many times in a thousand.
	crashOnCommitPerMille int
	// eagerPerMille: a server that has just become leader is given a
	// command (or, when changes are in the mix, half the time a membership
	// change) at once, so many times in a thousand.
	eagerPerMille int
	// voters start the cluster (0: all); the others are spares to add.
	// joint makes changes by joint consensus (§6), else one server at a
	// time (dissertation §4.1).
	voters int
	joint  bool
	// emptyHeartbeats: leaders send Figure 2's empty heartbeats.
	emptyHeartbeats bool
	// reads is how clients' reads are served (ReadDefault: no reads in
	// the mix); preVote, checkQuorum and sticky are the switches of Raft
	// in practice (dissertation §9.6, §6.2, §4.2.3).
	reads                        ReadPath
	preVote, checkQuorum, sticky bool
	weight                       [moveCount]int
}

// drawMix draws a schedule's mix. Time passing and deliveries are in
// every mix; every other move is left out of many mixes, and a mix leaves
// out more or fewer (each is in with chance 1/2, 1/3 or 1/4).
func drawMix(r *rng) mix {
	odds := 2 + r.Intn(3)
	some := func() bool { return r.Intn(odds) == 0 }
	// Timers frozen: elections start by timeouts fired as moves, and a
	// found run reads as steps (a switch whose bug is in the timers runs
	// them, search_tactics.go).
	m := mix{nodes: 3 + 2*r.Intn(2), maxEntries: []int{1, 2, 0}[r.Intn(3)], frozen: true}
	// One latency: with the timers frozen, latency only orders arrivals,
	// which deliveries out of order (window) vary anyway, and a run that
	// draws no latencies shrinks cleaner (removing an action does not
	// change every later draw).
	m.latencyMin, m.latencyMax = 10, 10
	m.window = []int{1, 2, 4, 16}[r.Intn(4)]
	if some() {
		m.crashOnCommitPerMille = []int{100, 500}[r.Intn(2)]
	}
	if some() {
		m.eagerPerMille = []int{300, 1000}[r.Intn(2)]
	}
	m.emptyHeartbeats = some()
	m.weight[mvNext] = 10 + r.Intn(30)
	m.weight[mvDeliver] = 10 + r.Intn(30)
	for mv := mvAdvance; mv < moveCount; mv++ {
		if mv != mvDeliver && some() {
			m.weight[mv] = 1 + r.Intn(8)
		}
	}
	m.atLeast(mvTimeout, 3) // with the timers frozen, the only way an election starts
	if m.weight[mvChange] > 0 {
		m.joint = r.Intn(2) == 0
		m.voters, m.nodes = m.nodes, m.nodes+r.Intn(3) // spares to add
	}
	return m
}

// withVoters makes the cluster start with k voters, keeping its spares.
func (m *mix) withVoters(k int) {
	spares := 0
	if m.voters > 0 {
		spares = m.nodes - m.voters
	}
	m.nodes, m.voters = k+spares, k
}

// atLeast raises a move's weight in the mix to w.
func (m *mix) atLeast(mv move, w int) { m.weight[mv] = max(m.weight[mv], w) }

// scenario is the cluster a schedule with this mix runs on.
func (m mix) scenario(seed int64) Scenario {
	sc := DefaultScenario()
	sc.Name = "search"
	sc.Nodes, sc.Seed, sc.MaxEntries, sc.FrozenTimers = m.nodes, seed, m.maxEntries, m.frozen
	sc.LatencyMin, sc.LatencyMax = m.latencyMin, m.latencyMax
	if m.voters > 0 && m.voters < m.nodes {
		for id := 1; id <= m.voters; id++ {
			sc.Voters = append(sc.Voters, raft.NodeID(id))
		}
	}
	sc.JointConsensus, sc.EmptyHeartbeats = m.joint, m.emptyHeartbeats
	sc.Reads, sc.PreVote, sc.CheckQuorum, sc.StickyLeader = m.reads, m.preVote, m.checkQuorum, m.sticky
	return sc
}

// play takes move mv, and reports whether it could; a move that cannot be
// taken now (no message in flight, no leader) does nothing.
func (d *driver) play(m *mix, mv move) bool {
	r := d.r
	id := d.anyServer()
	switch mv {
	case mvNext:
		return d.do(Action{Op: OpNext})
	case mvAdvance:
		return d.do(Action{Op: OpAdvance, Millis: int64(1 + r.Intn(300))})
	case mvDeliver:
		if d.w.net.len() == 0 {
			return false
		}
		msg := d.w.net.at(r.Intn(min(d.w.net.len(), m.window)))
		return d.deliverAndMaybeCrash(msg.ID, m.crashOnCommitPerMille)
	case mvDrop, mvDup:
		if d.w.net.len() == 0 {
			return false
		}
		op := OpDrop
		if mv == mvDup {
			op = OpDuplicate
		}
		return d.do(Action{Op: op, Msg: MsgSelector{ID: d.w.net.at(r.Intn(d.w.net.len())).ID}})
	case mvTimeout:
		return d.do(Action{Op: OpTimeout, Node: id})
	case mvCrash:
		return d.do(Action{Op: OpCrash, Node: id})
	case mvRestart:
		return !d.up(id) && d.do(Action{Op: OpRestart, Node: id})
	case mvReboot:
		return d.up(id) && d.do(Action{Op: OpRestart, Node: id})
	case mvPropose:
		if lead := d.leader(); lead != raft.None && r.Intn(4) > 0 {
			id = lead // most requests reach the leader
		}
		return d.propose(id)
	case mvCrashAfterAppend:
		return d.crashAfterAppend(d.leader(), m.weight[mvChange] > 0, m.joint)
	case mvElect:
		return d.elect(id, d.randomVoters(id))
	case mvReplicate:
		return d.replicate(d.pick(d.leaders()), id)
	case mvPartition:
		if lead := d.leader(); lead != raft.None && r.Intn(2) == 0 {
			id = lead
		}
		return d.partitionMinority(id)
	case mvHeal:
		return d.do(Action{Op: OpHeal})
	case mvCut:
		to := d.anyServer()
		return to != id && d.do(Action{Op: OpCut, From: id, To: to, OneWay: r.Intn(2) == 0})
	case mvChange:
		return d.change(d.leader(), m.joint)
	case mvCompact:
		return d.do(Action{Op: OpCompact, Node: id})
	case mvRead:
		return d.read(id)
	}
	return false
}

// pickMove draws a move by the mix's weights.
func (m *mix) pickMove(r *rng) move {
	total := 0
	for _, w := range m.weight {
		total += w
	}
	k := r.Intn(total)
	mv := move(0)
	for ; k >= m.weight[mv]; mv++ {
		k -= m.weight[mv]
	}
	return mv
}
