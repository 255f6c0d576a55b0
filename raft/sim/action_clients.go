package sim

import (
	"strconv"

	"raftlab/raft"
)

// Actions of clients: propose a command, read a key.

var proposeAction = actionSpec{
	word: "propose", js: "propose",
	params: []Param{serverParam, {Name: "command", Kind: KindCommand}},
	build:  func(v []Value) Action { return Action{Node: v[0].Node, Command: v[1].Text} },
	values: func(a Action) []Value { return []Value{{Node: a.Node}, {Text: a.Command}} },
	apply: func(w *world, a Action) error {
		if _, err := ParseCommand(a.Command); err != nil {
			return err
		}
		s, err := w.client(a.Node, a.Command)
		if s == nil {
			return err
		}
		if s.node.Role() == raft.Leader && len(s.node.Entries()) >= MaxLogLength {
			return &LimitError{Limit: "MaxLogLength", Value: MaxLogLength, What: s.id.String() + "'s log is full"}
		}
		if idx, term, ok := s.node.Propose(a.Command); ok {
			w.emit(Event{Kind: EvPropose, Node: s.id, Index: idx, Term: term, Text: a.Command})
		} else {
			w.emit(Event{Kind: EvRedirect, Node: s.id, Peer: s.node.Leader(), Text: a.Command})
		}
		w.handle(s)
		return nil
	},
	weight: 12, rank: 6,
	random: func(w *world, r *rng) (Action, bool) {
		// Mostly to the leader, sometimes anywhere (a redirect).
		target := raft.NodeID(r.Intn(len(w.servers)) + 1)
		for _, s := range w.servers {
			if s.node != nil && s.node.Role() == raft.Leader && r.Intn(4) > 0 {
				target = s.id
			}
		}
		key := "k" + strconv.Itoa(r.Intn(5))
		return Action{Op: OpPropose, Node: target, Command: "set " + key + " " + strconv.Itoa(r.Intn(1000))}, true
	},
}

var readAction = actionSpec{
	word: "read", js: "read",
	params: []Param{serverParam, {Name: "key", Kind: KindKey}},
	build:  func(v []Value) Action { return Action{Node: v[0].Node, Key: v[1].Text} },
	values: func(a Action) []Value { return []Value{{Node: a.Node}, {Text: a.Key}} },
	apply: func(w *world, a Action) error {
		if err := CheckKey(a.Key); err != nil {
			return err
		}
		s, err := w.client(a.Node, a.Key)
		if s == nil {
			return err
		}
		v, ok := s.kv.Get(a.Key)
		w.emit(Event{Kind: EvRead, Node: s.id, Text: a.Key, Value: v, Found: ok})
		return nil
	},
	weight: 2, rank: 13,
	random: func(w *world, r *rng) (Action, bool) {
		return Action{Op: OpRead, Node: raft.NodeID(r.Intn(len(w.servers)) + 1), Key: "k" + strconv.Itoa(r.Intn(5))}, true
	},
}

// client finds the running server a client's request goes to; a crashed
// one gives no answer, and client returns nil.
func (w *world) client(id raft.NodeID, request string) (*server, error) {
	s, err := w.server(id)
	if err == nil && s.node == nil {
		w.emit(Event{Kind: EvNoAnswer, Node: s.id, Text: request})
		s = nil
	}
	return s, err
}
