package raft_test

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"raftlab/raft"
)

// Swarm schedules (Groce et al., "Swarm Testing", ISSTA 2012): each
// schedule draws its own mix of faults, workload and protocol switches, so
// that one schedule crashes servers often and never partitions, another
// loses half its messages, another changes membership and compacts. A mix
// that leaves a feature out altogether reaches states the feature would
// keep away from, which a single fixed mix rarely does.

// action is one kind of step a swarm schedule takes.
type action uint8

const (
	actDeliver action = iota
	actDrop
	actTick
	// actTimePasses lets time pass until a timer fires: every server
	// ticks until the first of them does (with a global clock), or one
	// server ticks until its own does. Idle time costs one step.
	actTimePasses
	actPropose
	// actCrashAfterAppend has the leader append (a command, or a
	// membership change when changes are in the mix), delivers some of the
	// AppendEntries that carry it, and crashes the leader before it sends
	// the others: an entry left on some servers only (the start of Figure
	// 8).
	actCrashAfterAppend
	actCrash
	actRestart
	actReboot  // crash and restart at once: only volatile state is lost
	actTimeout // a server's timer fires now, early (an election during a partition)
	actCut     // lose what one server sends to another, or stop losing it
	// actPartition splits the network in two, a minority (often with the
	// leader in it) and the rest; it replaces the cuts before it.
	actPartition
	actHeal    // every link back
	actRelease // a long-delayed message arrives at last
	actCompact
	actRead
	actLeaseRead
	actChange // a membership change at the leader
	actTransfer
	actionCount
)

var actionNames = [actionCount]string{"deliver", "drop", "tick", "time-passes", "propose", "crash-after-append", "crash", "restart",
	"reboot", "timeout", "cut", "partition", "heal", "release", "compact", "read", "lease-read", "change", "transfer"}

// faultMix is one schedule's draw: the cluster, the protocol switches,
// how the clock and the network behave, and how often each action comes.
type faultMix struct {
	nodes  int // servers, S1..Sn
	voters int // the first voters start the cluster; the others are spares
	// Protocol switches and sizes (raft.Config).
	maxEntries                          int
	electionMin, electionMax, heartbeat int
	preVote, checkQuorum, sticky        bool
	joint, announce, coalesce           bool
	// globalClock ticks every running server at once: clocks agree, as
	// lease reads assume. Otherwise one server ticks at a time and clocks
	// drift without bound, and lease reads are left out of the mix.
	globalClock bool
	// downTicks is how many global ticks a crashed server stays down: a
	// lease assumes that a server which acknowledged a heartbeat does not
	// vote again within an election timeout, restarts included.
	downTicks int
	// window: a delivery takes one of the first window messages in flight
	// (1: in order); dupPerMille of deliveries leave the message in flight
	// to arrive again; holdOneIn holds one message in so many back for a
	// long delay (0: none).
	window      int
	dupPerMille int
	holdOneIn   int
	// emptyAppendOneIn sends one AppendEntries in so many without its
	// entries: the empty heartbeat of Figure 2 ("Upon election: send
	// initial empty AppendEntries RPCs (heartbeat)"), where this core's
	// heartbeats carry the entries from nextIndex (0: never).
	emptyAppendOneIn int
	// crashOnCommitPerMille crashes a leader right after its commitIndex
	// advanced, before it sends anything more, so many times in a
	// thousand.
	crashOnCommitPerMille int
	// eagerPerMille: a server that has just become leader is asked at
	// once, so many times in a thousand, for a command or (when changes
	// are in the mix) a membership change, before its no-op commits.
	eagerPerMille int
	weight        [actionCount]int
}

// drawMix draws a schedule's mix. Delivering and ticking are always in
// it; every other action and fault is left out of many mixes, and a mix
// leaves out more or fewer (each is in with probability 1/2, 1/3 or 1/4).
func drawMix(r *rand.Rand) faultMix {
	coin := func() bool { return r.IntN(2) == 0 }
	odds := 2 + r.IntN(3) // each optional part is in with probability 1/odds
	some := func() bool { return r.IntN(odds) == 0 }
	m := faultMix{nodes: 3 + r.IntN(3)}
	m.voters = m.nodes
	m.maxEntries = r.IntN(4)
	m.electionMin = 4 + r.IntN(7)
	m.electionMax = m.electionMin + r.IntN(m.electionMin+1)
	m.heartbeat = 1 + r.IntN(m.electionMin/2)
	m.preVote, m.checkQuorum, m.sticky = coin(), coin(), coin()
	m.joint, m.announce, m.coalesce = coin(), coin(), coin()
	m.globalClock = coin()
	m.window = []int{1, 2, 4, 16}[r.IntN(4)]
	if some() {
		m.dupPerMille = []int{20, 100, 300}[r.IntN(3)]
	}
	if some() {
		m.holdOneIn = []int{5, 25}[r.IntN(2)]
	}
	if some() {
		m.emptyAppendOneIn = []int{2, 8}[r.IntN(2)]
	}
	if some() {
		m.crashOnCommitPerMille = []int{100, 500}[r.IntN(2)]
	}
	if some() {
		m.eagerPerMille = []int{300, 1000}[r.IntN(2)]
	}
	m.weight[actDeliver] = 20 + r.IntN(40)
	m.weight[actTick] = 10 + r.IntN(30)
	for a := actDrop; a < actionCount; a++ {
		if a != actTick && some() {
			m.weight[a] = 1 + r.IntN(8)
		}
	}
	if m.weight[actLeaseRead] > 0 {
		m.allowLeases()
	}
	if m.weight[actChange] > 0 {
		m.nodes = min(m.nodes+r.IntN(3), 7) // spares to add
	}
	return m
}

// allowLeases makes the mix keep what lease reads assume (dissertation
// §6.4.1): clocks agree, leaders are sticky, and a server that
// acknowledged a heartbeat votes for nobody, itself included, within an
// election timeout: not after a reboot, nor on a timer made to fire early.
func (m *faultMix) allowLeases() {
	m.globalClock, m.sticky, m.downTicks = true, true, m.electionMax
	m.weight[actReboot], m.weight[actTimeout] = 0, 0
}

// withVoters makes the cluster start with k voters, keeping its spares.
func (m *faultMix) withVoters(k int) { m.nodes, m.voters = m.nodes-m.voters+k, k }

// atLeast raises an action's weight in the mix to w.
func (m *faultMix) atLeast(a action, w int) { m.weight[a] = max(m.weight[a], w) }

// config applies the mix's switches to one server's configuration.
func (m faultMix) config(c *raft.Config) {
	c.Peers = ids(m.voters)
	c.MaxEntriesPerAppend = m.maxEntries
	c.ElectionTimeoutMin, c.ElectionTimeoutMax, c.HeartbeatTicks = m.electionMin, m.electionMax, m.heartbeat
	c.PreVote, c.CheckQuorum, c.StickyLeader = m.preVote, m.checkQuorum, m.sticky
	c.JointConsensus, c.AnnounceCommit, c.CoalesceAppends = m.joint, m.announce, m.coalesce
	c.Quiet = true
}

// String lists the mix, for a failure message.
func (m faultMix) String() string {
	s := strconv.Itoa(m.nodes) + " servers (" + strconv.Itoa(m.voters) + " voters), max-entries " + strconv.Itoa(m.maxEntries) +
		", timeouts " + strconv.Itoa(m.electionMin) + "-" + strconv.Itoa(m.electionMax) + "/" + strconv.Itoa(m.heartbeat)
	for _, f := range []struct {
		on   bool
		name string
	}{{m.preVote, "pre-vote"}, {m.checkQuorum, "check-quorum"}, {m.sticky, "sticky"}, {m.joint, "joint"},
		{m.announce, "announce"}, {m.coalesce, "coalesce"}, {m.globalClock, "global-clock"}} {
		if f.on {
			s += ", " + f.name
		}
	}
	s += ", window " + strconv.Itoa(m.window) + ", dup ‰" + strconv.Itoa(m.dupPerMille) + ", hold 1/" + strconv.Itoa(m.holdOneIn) +
		", empty append 1/" + strconv.Itoa(m.emptyAppendOneIn) + ", crash on commit ‰" + strconv.Itoa(m.crashOnCommitPerMille) +
		", eager ‰" + strconv.Itoa(m.eagerPerMille) + "; weights"
	for a, w := range m.weight {
		if w > 0 {
			s += " " + actionNames[a] + "=" + strconv.Itoa(w)
		}
	}
	return s
}

// swarm is a randNet driven by a fault mix.
type swarm struct {
	*randNet
	mix    faultMix
	now    int   // global ticks so far
	downAt []int // when each crashed server went down
	// lastLeader is the leader and term seen after the last step.
	lastLeader raft.NodeID
	lastTerm   raft.Term
}

// newSwarm starts schedule seed: its mix, biased by focus (nil: none),
// and its network.
func newSwarm(t testing.TB, seed uint64, rules raft.UnsafeRules, focus func(*faultMix)) *swarm {
	mix := drawMix(rand.New(rand.NewPCG(seed, 0x5a12)))
	if focus != nil {
		focus(&mix)
	}
	net := newRandNet(t, seed, mix.nodes, mix.config, func(c *raft.Config) { c.Unsafe = rules })
	net.holdOneIn = mix.holdOneIn
	if k := mix.emptyAppendOneIn; k > 0 {
		net.transform = func(m *raft.Message) {
			if m.Type == raft.MsgAppend && len(m.Entries) > 0 && net.rng.IntN(k) == 0 {
				m.Entries = nil
			}
		}
	}
	return &swarm{randNet: net, mix: mix, downAt: make([]int, mix.nodes+1)}
}

// step takes one action, drawn by the mix's weights; one that cannot be
// taken now (no message in flight, no leader) ticks instead.
func (s *swarm) step() {
	total := 0
	for _, w := range s.mix.weight {
		total += w
	}
	k := s.rng.IntN(total)
	a := action(0)
	for ; k >= s.mix.weight[a]; a++ {
		k -= s.mix.weight[a]
	}
	if !s.act(a) {
		s.act(actTick)
	}
	if lead := s.leader(); lead != raft.None && (lead != s.lastLeader || s.nodes[lead].Term() != s.lastTerm) {
		s.lastLeader, s.lastTerm = lead, s.nodes[lead].Term()
		if s.rng.IntN(1000) < s.mix.eagerPerMille {
			s.clientAction(lead)
		}
	}
}

// clientAction asks leader lead for a command or, when changes are in the
// mix, half the time for a membership change.
func (s *swarm) clientAction(lead raft.NodeID) {
	if s.mix.weight[actChange] > 0 && s.rng.IntN(2) == 0 {
		s.change(lead)
	} else {
		s.propose(lead, 1+s.rng.IntN(3))
	}
}

// act takes action a and reports whether it could.
func (s *swarm) act(a action) bool {
	r := s.rng
	id := raft.NodeID(1 + r.IntN(s.mix.nodes))
	nd := s.nodes[id]
	lead := s.leader()
	switch a {
	case actDeliver:
		if len(s.net) == 0 {
			return false
		}
		s.deliverOne(r.IntN(min(len(s.net), s.mix.window)), r.IntN(1000) < s.mix.dupPerMille)
	case actDrop:
		if len(s.net) == 0 {
			return false
		}
		i := r.IntN(len(s.net))
		s.net = append(s.net[:i], s.net[i+1:]...)
	case actTick:
		if !s.mix.globalClock {
			s.tick(id)
			return true
		}
		s.now++
		for _, id := range s.ids() {
			s.tick(id)
		}
	case actTimePasses:
		if !s.mix.globalClock {
			if nd == nil {
				return false
			}
			for k := nd.TimerRemaining(); k > 0 && s.nodes[id] == nd; k-- {
				s.tick(id)
			}
			return true
		}
		k := 0
		for _, id := range s.ids() {
			if n := s.nodes[id]; n != nil && (k == 0 || n.TimerRemaining() < k) {
				k = n.TimerRemaining()
			}
		}
		for ; k > 0; k-- {
			s.act(actTick)
		}
	case actPropose:
		if lead != raft.None && r.IntN(4) > 0 {
			id, nd = lead, s.nodes[lead] // most proposals reach the leader
		}
		if nd == nil {
			return false
		}
		s.propose(id, 1+r.IntN(3))
	case actCrashAfterAppend:
		if lead == raft.None {
			return false
		}
		s.clientAction(lead)
		for i := 0; i < len(s.net) && s.nodes[lead] != nil; {
			if m := s.net[i]; m.From == lead && m.Type == raft.MsgAppend && r.IntN(2) == 0 {
				s.deliverOne(i, false)
				continue
			}
			i++
		}
		if s.nodes[lead] != nil {
			s.crash(lead)
		}
		s.dropWhere(func(m raft.Message) bool { return m.From == lead && m.Type == raft.MsgAppend })
	case actCrash:
		if nd == nil {
			return false
		}
		s.crash(id)
	case actRestart:
		if nd != nil || s.now-s.downAt[id] < s.mix.downTicks {
			return false
		}
		s.restart(id)
	case actReboot:
		if nd == nil {
			return false
		}
		s.crash(id)
		s.restart(id)
	case actTimeout:
		if nd == nil {
			return false
		}
		nd.FireTimeout()
		s.handle(id)
	case actCut:
		to := raft.NodeID(1 + r.IntN(s.mix.nodes))
		s.cut[id][to] = !s.cut[id][to]
	case actPartition:
		if lead != raft.None && r.IntN(2) == 0 {
			id = lead
		}
		minority := []raft.NodeID{id}
		for _, o := range s.ids() {
			if o != id && len(minority) < (s.mix.nodes-1)/2 && r.IntN(3) == 0 {
				minority = append(minority, o)
			}
		}
		s.cut = [raft.MaxNodes + 1][raft.MaxNodes + 1]bool{}
		for _, a := range s.ids() {
			for _, b := range s.ids() {
				if slices.Contains(minority, a) != slices.Contains(minority, b) {
					s.cut[a][b] = true
				}
			}
		}
	case actHeal:
		s.cut = [raft.MaxNodes + 1][raft.MaxNodes + 1]bool{}
	case actRelease:
		if len(s.held) == 0 {
			return false
		}
		i := r.IntN(len(s.held))
		s.net = append(s.net, s.held[i])
		s.held = append(s.held[:i], s.held[i+1:]...)
	case actCompact:
		s.compact(id)
	case actRead, actLeaseRead:
		// Half the reads go to a server that believes it leads, most to
		// the one of the earliest term: a leader deposed without knowing.
		if leaders := s.believedLeaders(); len(leaders) > 0 && r.IntN(2) == 0 {
			id = leaders[0]
			if r.IntN(4) == 0 {
				id = leaders[r.IntN(len(leaders))]
			}
		}
		s.read(id, a == actLeaseRead)
	case actChange:
		if lead == raft.None {
			return false
		}
		s.change(lead)
	case actTransfer:
		if lead == raft.None {
			return false
		}
		s.nodes[lead].TransferLeadership(raft.NodeID(1 + r.IntN(s.mix.nodes)))
		s.handle(lead)
	}
	return true
}

// believedLeaders lists the running servers in the leader role, of any
// term, the earliest term first.
func (s *swarm) believedLeaders() []raft.NodeID {
	var out []raft.NodeID
	for _, id := range s.ids() {
		if n := s.nodes[id]; n != nil && n.Role() == raft.Leader {
			out = append(out, id)
		}
	}
	slices.SortFunc(out, func(a, b raft.NodeID) int { return cmp.Compare(s.nodes[a].Term(), s.nodes[b].Term()) })
	return out
}

// deliverOne delivers message i (keeping a copy in flight if dup) and,
// when it advanced a leader's commitIndex, may crash that leader at once,
// losing what it sent in answer.
func (s *swarm) deliverOne(i int, dup bool) {
	to := s.net[i].To
	var commit raft.Index
	if n := s.nodes[to]; n != nil {
		commit = n.CommitIndex()
	}
	kept := len(s.net) - 1
	if dup {
		kept++
	}
	s.deliver(i, dup)
	if n := s.nodes[to]; n != nil && n.Role() == raft.Leader && n.CommitIndex() > commit &&
		s.rng.IntN(1000) < s.mix.crashOnCommitPerMille {
		s.crash(to)
		s.net = s.net[:kept]
	}
}

// propose asks id for k commands, in one batch or one by one.
func (s *swarm) propose(id raft.NodeID, k int) {
	cmds := make([]string, k)
	for i := range cmds {
		s.proposed++
		cmds[i] = "c" + strconv.Itoa(s.proposed)
	}
	if k > 1 && s.rng.IntN(2) == 0 {
		s.nodes[id].ProposeBatch(cmds)
	} else {
		for _, c := range cmds {
			s.nodes[id].Propose(c)
		}
	}
	s.handle(id)
}

func (s *swarm) crash(id raft.NodeID) {
	s.randNet.crash(id)
	s.downAt[id] = s.now
}

// change asks leader lead to add a server, remove one, or change the
// voters to a random set.
func (s *swarm) change(lead raft.NodeID) {
	r, nd := s.rng, s.nodes[lead]
	switch r.IntN(3) {
	case 0:
		nd.AddServer(raft.NodeID(1 + r.IntN(s.mix.nodes)))
	case 1:
		members := nd.Membership().Members()
		nd.RemoveServer(members[r.IntN(len(members))])
	default:
		var voters []raft.NodeID
		for _, v := range s.ids() {
			if r.IntN(2) == 0 {
				voters = append(voters, v)
			}
		}
		nd.ChangeVoters(voters)
	}
	s.handle(lead)
}
