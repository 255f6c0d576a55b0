package sim

import (
	"strconv"

	"raftlab/raft"
)

// RandomOptions shapes a random fault schedule.
type RandomOptions struct {
	Nodes   int
	Seed    int64
	Actions int // how many actions to take
	Unsafe  raft.UnsafeRules
	// StopAtViolation ends the schedule at the first violation.
	StopAtViolation bool
}

// weighted is one kind of random action and how often it is picked.
type weighted struct {
	weight int
	op     Op
}

// randomMix is the schedule's mix of actions, weights out of their sum.
// Most steps just let the cluster run; the rest are faults and load.
var randomMix = []weighted{
	{40, OpNext},
	{6, OpAdvance},
	{8, OpDeliver}, // out of order: reordering
	{5, OpDrop},
	{4, OpDuplicate},
	{12, OpPropose},
	{3, OpTimeout},
	{3, OpCrash},
	{5, OpRestart},
	{2, OpPartition},
	{3, OpHeal},
	{2, OpCut},
	{2, OpRead},
}

// RandomScenario is the starting state of a random schedule.
func RandomScenario(opt RandomOptions) Scenario {
	sc := DefaultScenario()
	sc.Name = "random"
	sc.Nodes = opt.Nodes
	sc.Seed = opt.Seed
	sc.Unsafe = opt.Unsafe
	return sc
}

// RandomRun runs a seeded random schedule of faults and client load with the
// checker on. The cluster it returns holds the whole run, so
// (RandomScenario(opt), cluster.Applied()) replays it.
func RandomRun(opt RandomOptions) (*Cluster, error) {
	c, err := New(RandomScenario(opt))
	if err != nil {
		return nil, err
	}
	// The schedule's own randomness is separate from the cluster's, so the
	// cluster's draws are the same whether actions come from here or a replay.
	r := newRNG(opt.Seed ^ 0x5eed5eed)
	c.lazy = true
	defer func() { c.lazy = false }()
	total := 0
	for _, m := range randomMix {
		total += m.weight
	}
	for c.Position() < opt.Actions {
		pick := r.Intn(total)
		op := OpNext
		for _, m := range randomMix {
			if pick < m.weight {
				op = m.op
				break
			}
			pick -= m.weight
		}
		a, ok := c.randomAction(&r, op)
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
	return c, nil
}

// randomAction builds an action of kind op that is valid now, if any.
func (c *Cluster) randomAction(r *rng, op Op) (Action, bool) {
	w := c.w
	n := len(w.servers)
	node := func() raft.NodeID { return raft.NodeID(r.Intn(n) + 1) }
	var up, down []raft.NodeID
	for _, s := range w.servers {
		if s.node != nil {
			up = append(up, s.id)
		} else {
			down = append(down, s.id)
		}
	}
	switch op {
	case OpNext:
		return Action{Op: OpNext}, true
	case OpAdvance:
		return Action{Op: OpAdvance, Amount: int64(1 + r.Intn(200))}, true
	case OpDeliver, OpDrop, OpDuplicate:
		if len(w.net.inFlight) == 0 {
			return Action{}, false
		}
		m := w.net.inFlight[r.Intn(len(w.net.inFlight))]
		return Action{Op: op, Msg: MsgSelector{ID: m.ID}}, true
	case OpPropose:
		// Mostly to the leader, sometimes anywhere (a redirect).
		target := node()
		for _, s := range w.servers {
			if s.node != nil && s.node.Role() == raft.Leader && r.Intn(4) > 0 {
				target = s.id
			}
		}
		key := "k" + strconv.Itoa(r.Intn(5))
		return Action{Op: OpPropose, Node: target, Command: "set " + key + " " + strconv.Itoa(r.Intn(1000))}, true
	case OpRead:
		return Action{Op: OpRead, Node: node(), Key: "k" + strconv.Itoa(r.Intn(5))}, true
	case OpTimeout:
		if len(up) == 0 {
			return Action{}, false
		}
		return Action{Op: OpTimeout, Node: up[r.Intn(len(up))]}, true
	case OpCrash:
		// Keep a majority up most of the time so that progress is possible.
		if len(up) <= n/2+1 && r.Intn(4) > 0 || len(up) == 0 {
			return Action{}, false
		}
		return Action{Op: OpCrash, Node: up[r.Intn(len(up))]}, true
	case OpRestart:
		if len(down) == 0 {
			return Action{}, false
		}
		return Action{Op: OpRestart, Node: down[r.Intn(len(down))]}, true
	case OpPartition:
		if n < 2 {
			return Action{}, false
		}
		var a, b []raft.NodeID
		for id := 1; id <= n; id++ {
			if r.Intn(2) == 0 {
				a = append(a, raft.NodeID(id))
			} else {
				b = append(b, raft.NodeID(id))
			}
		}
		if len(a) == 0 || len(b) == 0 {
			return Action{}, false
		}
		return Action{Op: OpPartition, Groups: [][]raft.NodeID{a, b}}, true
	case OpHeal:
		return Action{Op: OpHeal}, true
	case OpCut:
		if n < 2 {
			return Action{}, false
		}
		from, to := node(), node()
		if from == to {
			return Action{}, false
		}
		return Action{Op: OpCut, From: from, To: to, OneWay: r.Intn(2) == 0}, true
	}
	return Action{}, false
}

// ReplayCommand is the command line that replays a random schedule.
func ReplayCommand(opt RandomOptions) string {
	cmd := "go run ./raft/cmd/raftsim -random -seed " + strconv.FormatInt(opt.Seed, 10) +
		" -events " + strconv.Itoa(opt.Actions) + " -nodes " + strconv.Itoa(opt.Nodes)
	if opt.Unsafe.CommitEarlierTerms {
		cmd += " -unsafe commit-earlier-terms"
	}
	if opt.Unsafe.SkipUpToDateCheck {
		cmd += " -unsafe skip-up-to-date-check"
	}
	if opt.Unsafe.ForgetVote {
		cmd += " -unsafe forget-vote"
	}
	return cmd
}
