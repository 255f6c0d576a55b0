package sim

import (
	"strconv"

	"raftlab/raft"
)

// Actions of clients: propose a command (reads are in action_reads.go).

var proposeAction = actionSpec{
	word: "propose", js: "propose",
	params: []Param{serverParam, {Name: "command", Kind: KindCommand}},
	build:  func(v []Value) Action { return Action{Node: v[0].Node, Command: v[1].Text} },
	values: func(a Action) []Value { return []Value{{Node: a.Node}, {Text: a.Command}} },
	apply: func(w *world, a Action) error {
		cmd, err := ParseCommand(a.Command)
		if err != nil {
			return err
		}
		s, err := w.server(a.Node)
		if err != nil {
			return err
		}
		if s.node != nil && s.node.Role() == raft.Leader && len(s.node.Entries()) >= MaxLogLength {
			return &LimitError{Limit: "MaxLogLength", Value: MaxLogLength, What: s.id.String() + "'s log is full"}
		}
		op := w.request(ClientOp{Node: s.id, Write: true, Command: a.Command, Key: cmd.Key})
		if s.node == nil {
			w.finish(op, OpFailed, nil)
			w.emit(Event{Kind: EvNoAnswer, Node: s.id, Op: op, Text: a.Command})
			return nil
		}
		if idx, term, ok := s.node.Propose(a.Command); ok {
			w.clients.update(op, func(o *ClientOp) { o.Index, o.Term = idx, term })
			s.writes = append(s.writes, pendingWrite{op: op, index: idx, term: term, command: a.Command})
			w.emit(Event{Kind: EvPropose, Node: s.id, Op: op, Index: idx, Term: term, Text: a.Command})
		} else {
			// Not the leader (§5.1), or a leader handing leadership over
			// (dissertation §3.10): the client learns it at once.
			peer := s.node.Leader()
			if t := s.node.Transferee(); t != raft.None {
				peer = t
			}
			w.finish(op, OpFailed, nil)
			w.emit(Event{Kind: EvRedirect, Node: s.id, Op: op, Peer: peer, Text: a.Command})
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
		if w.sc.Reads != ReadDefault && r.Intn(2) == 0 {
			// A client that found the newest leader: with reads meant to
			// be linearizable, a deposed leader's reads should miss it.
			var newest *server
			for _, s := range w.servers {
				if s.node != nil && s.node.Role() == raft.Leader && (newest == nil || s.node.Term() > newest.node.Term()) {
					newest = s
				}
			}
			if newest != nil {
				target = newest.id
			}
		}
		keys := 5
		if w.sc.Reads != ReadDefault {
			keys = 2 // linearizable reads: few keys, so reads and writes meet
		}
		key := "k" + strconv.Itoa(r.Intn(keys))
		return Action{Op: OpPropose, Node: target, Command: "set " + key + " " + strconv.Itoa(r.Intn(1000))}, true
	},
}

// client finds the running server a request that is not a client
// operation of the history (a membership change) goes to; a crashed one
// gives no answer, and client returns nil.
func (w *world) client(id raft.NodeID, request string) (*server, error) {
	s, err := w.server(id)
	if err == nil && s.node == nil {
		w.emit(Event{Kind: EvNoAnswer, Node: s.id, Text: request})
		s = nil
	}
	return s, err
}
