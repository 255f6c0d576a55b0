package sim

import (
	"errors"

	"raftlab/raft"
)

// Leadership transfer (dissertation §3.10): the learner asks the leader to
// hand leadership to another server. The leader stops taking client
// requests, brings the target's log up to date and sends it TimeoutNow;
// the target starts an election at once. A transfer that has not
// finished within an election timeout is aborted.

var transferAction = actionSpec{
	word: "transfer", js: "transfer",
	params: []Param{serverParam, {Name: "to", Kind: KindServer}},
	build:  func(v []Value) Action { return Action{Node: v[0].Node, To: v[1].Node} },
	values: func(a Action) []Value { return []Value{{Node: a.Node}, {Node: a.To}} },
	apply: func(w *world, a Action) error {
		s, err := w.running(a.Node)
		if err != nil {
			return err
		}
		if _, err := w.server(a.To); err != nil {
			return err
		}
		if a.To == a.Node {
			return errors.New(a.Node.String() + " cannot hand leadership to itself")
		}
		w.emit(Event{Kind: EvTransfer, Node: s.id, Peer: a.To})
		// A server that does not lead, or a target that cannot lead,
		// refuses; its note says why.
		_ = s.node.TransferLeadership(a.To)
		w.handle(s)
		return nil
	},
	weight: 1, rank: 14,
	randomIf: func(opt *RandomOptions) bool { return opt.Switches || opt.Leases },
	random: func(w *world, r *rng) (Action, bool) {
		for _, s := range w.servers {
			if s.node != nil && s.node.Role() == raft.Leader {
				to := raft.NodeID(r.Intn(len(w.servers)) + 1)
				if to == s.id {
					return Action{}, false
				}
				return Action{Op: OpTransfer, Node: s.id, To: to}, true
			}
		}
		return Action{}, false
	},
}
