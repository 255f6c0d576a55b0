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
	if opt.Compaction {
		cmd += " -compaction"
	}
	if opt.Membership {
		cmd += " -membership"
	}
	if opt.Joint {
		cmd += " -joint"
	}
	return cmd
}
