package sim

import (
	"errors"
	"slices"

	"raftlab/raft"
)

// Membership changes (dissertation chapter 4; §6): a client asks a server
// — the leader, if the request is to succeed — to add a server, remove
// one, or (joint consensus) change the voters at once. The leader does the
// rest on its own: a new server catches up as a learner and is promoted,
// a joint configuration is followed by the new one, a removed leader steps
// down once the change commits.

var peerParam = Param{Name: "server", Kind: KindServer}

func changeBuild(v []Value) Action  { return Action{Node: v[0].Node, Peer: v[1].Node} }
func changeValues(a Action) []Value { return []Value{{Node: a.Node}, {Node: a.Peer}} }

var addServerAction = actionSpec{
	word: "add-server", js: "addServer", params: []Param{serverParam, peerParam},
	build: changeBuild, values: changeValues,
	apply: func(w *world, a Action) error {
		if _, err := w.server(a.Peer); err != nil {
			return err
		}
		return w.changeMembership(a, EvAddServer, func(n *raft.Node) error { _, err := n.AddServer(a.Peer); return err })
	},
	weight: 3, rank: 21,
	random: func(w *world, r *rng) (Action, bool) {
		lead := w.randomLeader(r)
		if lead == nil {
			return Action{}, false
		}
		conf := lead.node.Membership()
		var out []raft.NodeID
		for _, s := range w.servers {
			if !conf.IsVoter(s.id) && !conf.IsLearner(s.id) {
				out = append(out, s.id)
			}
		}
		if len(out) == 0 {
			return Action{}, false
		}
		return Action{Op: OpAddServer, Node: lead.id, Peer: out[r.Intn(len(out))]}, true
	},
	randomIf: func(opt *RandomOptions) bool { return opt.Membership },
}

var removeServerAction = actionSpec{
	word: "remove-server", js: "removeServer", params: []Param{serverParam, peerParam},
	build: changeBuild, values: changeValues,
	apply: func(w *world, a Action) error {
		if _, err := w.server(a.Peer); err != nil {
			return err
		}
		return w.changeMembership(a, EvRemoveServer, func(n *raft.Node) error { _, err := n.RemoveServer(a.Peer); return err })
	},
	weight: 2, rank: 22,
	random: func(w *world, r *rng) (Action, bool) {
		lead := w.randomLeader(r)
		if lead == nil {
			return Action{}, false
		}
		members := lead.node.Membership().Members()
		if len(members) <= 2 && r.Intn(4) > 0 {
			return Action{}, false // mostly keep a cluster that can lose a server
		}
		return Action{Op: OpRemoveServer, Node: lead.id, Peer: members[r.Intn(len(members))]}, true
	},
	randomIf: func(opt *RandomOptions) bool { return opt.Membership },
}

var changeVotersAction = actionSpec{
	word: "change-voters", js: "changeVoters",
	params: []Param{serverParam, {Name: "voters", Kind: KindServers}},
	build:  func(v []Value) Action { return Action{Node: v[0].Node, Voters: v[1].Servers} },
	values: func(a Action) []Value { return []Value{{Node: a.Node}, {Servers: a.Voters}} },
	apply: func(w *world, a Action) error {
		if len(a.Voters) == 0 || !slices.IsSorted(a.Voters) || len(slices.Compact(slices.Clone(a.Voters))) != len(a.Voters) {
			return errors.New("change-voters needs distinct servers, sorted")
		}
		for _, id := range a.Voters {
			if _, err := w.server(id); err != nil {
				return err
			}
		}
		return w.changeMembership(a, EvChangeVoters, func(n *raft.Node) error { _, err := n.ChangeVoters(a.Voters); return err })
	},
	weight: 1, rank: 23,
	random: func(w *world, r *rng) (Action, bool) {
		lead := w.randomLeader(r)
		if lead == nil {
			return Action{}, false
		}
		var voters []raft.NodeID
		for _, s := range w.servers {
			if r.Intn(2) == 0 {
				voters = append(voters, s.id)
			}
		}
		if len(voters) == 0 {
			return Action{}, false
		}
		return Action{Op: OpChangeVoters, Node: lead.id, Voters: voters}, true
	},
	randomIf: func(opt *RandomOptions) bool { return opt.Membership && opt.Joint },
}

// changeMembership asks server a.Node for a membership change. A server
// that refuses it says why in its notes (not the leader, a change under
// way, ...), and the request is recorded with them; a request it rejects
// without deciding anything (the server is already a member, say) is an
// invalid action and changes nothing.
func (w *world) changeMembership(a Action, kind EventKind, change func(*raft.Node) error) error {
	target := a.Peer.String()
	if kind == EvChangeVoters {
		target = formatGroups([][]raft.NodeID{a.Voters}, readableText)
	}
	s, err := w.client(a.Node, kind.String()+" "+target) // the request as the action text writes it
	if s == nil {
		return err
	}
	if err := change(s.node); err != nil && !s.node.HasReady() {
		return err
	}
	e := Event{Kind: kind, Node: s.id, Peer: a.Peer}
	if kind == EvChangeVoters {
		e.Text = target
	}
	w.emit(e)
	w.handle(s)
	return nil
}

// randomLeader is a running leader (the one of the highest term), or,
// now and then, nil.
func (w *world) randomLeader(r *rng) *server {
	var lead *server
	for _, s := range w.servers {
		if s.node != nil && s.node.Role() == raft.Leader && (lead == nil || s.node.Term() > lead.node.Term()) {
			lead = s
		}
	}
	if lead == nil || r.Intn(8) == 0 {
		return nil
	}
	return lead
}
