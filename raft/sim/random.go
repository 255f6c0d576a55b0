package sim

import (
	"slices"
	"strconv"

	"raftlab/raft"
)

// RandomOptions shapes a random fault schedule.
type RandomOptions struct {
	Nodes   int
	Seed    int64
	Actions int // how many actions to take
	Unsafe  raft.UnsafeRules
	// UnsafeHost switches off rules the simulator keeps as the host.
	UnsafeHost HostRules
	// MaxEntries caps the entries of one AppendEntries (0: the default).
	MaxEntries int
	// Compaction: servers compact their logs on their own (every few
	// applied entries, compact-every) and when the schedule says so.
	Compaction bool
	// Membership: some servers start outside the configuration, and the
	// schedule asks leaders to add and remove servers; Joint makes the
	// changes by joint consensus, which also replaces several voters at
	// once.
	Membership, Joint bool
	// Switches turns on every switch of Part 2 — pre-vote, check-quorum,
	// sticky leaders, commit announcements — serves reads by ReadIndex,
	// and adds leadership transfers to the mix.
	Switches bool
	// Leases serves reads under the leader's lease instead (with the
	// switches), and keeps out of the mix what a lease cannot survive:
	// timers fired by hand and restarts, which let a server stand or vote
	// within an election timeout of a leader's heartbeat (dissertation
	// §6.4.1 assumes clocks that agree, and nothing else does that).
	Leases bool
	// NoCheckQuorum leaves check-quorum off (with Switches or Leases). On,
	// a deposed leader mostly steps down before the others have elected
	// its successor (dissertation §6.2), so it seldom gets to serve a
	// read the checker could catch; off, a deposed leader keeps leading,
	// and only the read rules keep its reads linearizable.
	NoCheckQuorum bool
	// StopAtViolation ends the schedule at the first violation.
	StopAtViolation bool
	// Observe, when set, is given each event as it is recorded (see
	// Cluster.Observe).
	Observe func(*Event)
}

// randomMix is the schedule's mix of actions: those with a weight in the
// action table that opt's features allow, in rank order. Most steps just
// let the cluster run; the rest are faults and load.
func randomMix(opt *RandomOptions) []*actionSpec {
	var mix []*actionSpec
	for _, s := range actionTable {
		if s != nil && s.weight > 0 && (s.randomIf == nil || s.randomIf(opt)) {
			mix = append(mix, s)
		}
	}
	slices.SortFunc(mix, func(a, b *actionSpec) int { return a.rank - b.rank })
	return mix
}

// RandomScenario is the starting state of a random schedule.
func RandomScenario(opt RandomOptions) Scenario {
	sc := DefaultScenario()
	sc.Name = "random"
	sc.Nodes = opt.Nodes
	sc.Seed = opt.Seed
	sc.Unsafe, sc.UnsafeHost = opt.Unsafe, opt.UnsafeHost
	sc.MaxEntries = opt.MaxEntries
	// A schedule's seed keeps its meaning: commits are announced only
	// with the other switches.
	sc.AnnounceCommit = opt.Switches || opt.Leases
	if opt.Switches || opt.Leases {
		sc.PreVote, sc.CheckQuorum, sc.StickyLeader, sc.Reads = true, !opt.NoCheckQuorum, true, ReadByIndex
	}
	if opt.Leases {
		sc.Reads = ReadByLease
	}
	if opt.Compaction {
		sc.CompactEvery = 3 + int(uint64(opt.Seed)%13)
	}
	if opt.Membership {
		// One to three servers start outside the configuration (spares),
		// fewer in small clusters.
		voters := max(1, opt.Nodes-1-int(uint64(opt.Seed)%3))
		for id := 1; id <= voters; id++ {
			sc.Voters = append(sc.Voters, raft.NodeID(id))
		}
		sc.JointConsensus = opt.Joint
	}
	return sc
}

// RandomRun runs a seeded random schedule of faults and client load with the
// checker on. The cluster it returns holds the whole run, so
// (RandomScenario(opt), the cluster's Run) replays it.
func RandomRun(opt RandomOptions) (*Cluster, error) {
	c, err := New(RandomScenario(opt))
	if err != nil {
		return nil, err
	}
	c.playRandom(opt)
	return c, nil
}

// playRandom plays opt's random schedule on c.
func (c *Cluster) playRandom(opt RandomOptions) {
	// The schedule's own randomness is separate from the cluster's, so the
	// cluster's draws are the same whether actions come from here or a replay.
	r := newRNG(opt.Seed ^ 0x5eed5eed)
	if opt.Observe != nil {
		c.Observe(opt.Observe)
	}
	c.lazy = true
	defer func() { c.lazy = false }()
	mix := randomMix(&opt)
	total := 0
	for _, s := range mix {
		total += s.weight
	}
	for c.Position() < opt.Actions {
		pick := r.Intn(total)
		s := mix[0]
		for _, m := range mix {
			if pick < m.weight {
				s = m
				break
			}
			pick -= m.weight
		}
		a, ok := s.random(c.w, &r)
		if !ok {
			continue
		}
		if err := c.Do(a); err != nil {
			continue // e.g. nothing to do while timers are frozen
		}
		if opt.StopAtViolation && len(c.w.violations) > 0 {
			break
		}
	}
}

// ReplayCommand is the command line that replays a random schedule.
func ReplayCommand(opt RandomOptions) string {
	cmd := "go run ./raft/cmd/raftsim -random -seed " + strconv.FormatInt(opt.Seed, 10) +
		" -events " + strconv.Itoa(opt.Actions) + " -nodes " + strconv.Itoa(opt.Nodes)
	for _, s := range SwitchesIn(RandomScenario(opt)) {
		cmd += " -unsafe " + s.Name
	}
	for _, f := range [...]struct {
		on   bool
		flag string
	}{{opt.Compaction, "-compaction"}, {opt.Membership, "-membership"}, {opt.Joint, "-joint"},
		{opt.Switches, "-switches"}, {opt.Leases, "-leases"}, {opt.NoCheckQuorum, "-no-check-quorum"}} {
		if f.on {
			cmd += " " + f.flag
		}
	}
	return cmd
}
