package sim

import (
	"errors"
	"strconv"

	"raftlab/raft"
)

// A client's read of a key, served the way the scenario says (reads:) or
// the action names: from the server's own state machine, by ReadIndex, or
// under the leader's lease (dissertation §6.4). The answer joins the
// history, which the linearizability checker reads.

var readAction = actionSpec{
	word: "read", js: "read",
	params: []Param{serverParam, {Name: "key", Kind: KindKey}, {Name: "path", Kind: KindReadPath}},
	build:  func(v []Value) Action { return Action{Node: v[0].Node, Key: v[1].Text, Path: v[2].Path} },
	values: func(a Action) []Value { return []Value{{Node: a.Node}, {Text: a.Key}, {Path: a.Path}} },
	apply: func(w *world, a Action) error {
		if err := CheckKey(a.Key); err != nil {
			return err
		}
		if a.Path >= readPathCount {
			return errInvalidPath
		}
		s, err := w.server(a.Node)
		if err != nil {
			return err
		}
		path := w.readPath(a.Path)
		op := w.request(ClientOp{Node: s.id, Key: a.Key, Path: path})
		switch {
		case s.node == nil:
			w.finish(op, OpFailed, nil)
			w.emit(Event{Kind: EvNoAnswer, Node: s.id, Op: op, Path: path, Text: a.Key})
		case path == ReadLocal:
			w.serveRead(s, op, a.Key, path, s.node.AppliedIndex())
		default:
			w.emit(Event{Kind: EvReadAsk, Node: s.id, Op: op, Path: path, Text: a.Key})
			s.reads = append(s.reads, pendingRead{op: op, key: a.Key, path: path, asking: true})
			if path == ReadByLease {
				s.node.LeaseRead(uint64(op))
			} else {
				s.node.ReadIndex(uint64(op))
			}
			w.handle(s)
		}
		return nil
	},
	weight: 2, rank: 13,
	random: func(w *world, r *rng) (Action, bool) {
		if w.sc.Reads != ReadDefault {
			return linearizableRead(w, r), true
		}
		return Action{Op: OpRead, Node: raft.NodeID(r.Intn(len(w.servers)) + 1), Key: "k" + strconv.Itoa(r.Intn(5))}, true
	},
}

// linearizableRead is a random schedule's read when reads are meant to be
// linearizable (by ReadIndex or lease). A client asks the server it
// believes leads, and the checker finds stale reads only where a deposed
// leader answers: so most reads go to the server that believes it leads
// in the earliest term (writes often to the newest leader), and keys are
// few, so that reads and writes meet.
func linearizableRead(w *world, r *rng) Action {
	target := raft.NodeID(r.Intn(len(w.servers)) + 1)
	if r.Intn(4) > 0 {
		var oldest *server
		for _, s := range w.servers {
			if s.node != nil && s.node.Role() == raft.Leader && (oldest == nil || s.node.Term() < oldest.node.Term()) {
				oldest = s
			}
		}
		if oldest != nil {
			target = oldest.id
		}
	}
	return Action{Op: OpRead, Node: target, Key: "k" + strconv.Itoa(r.Intn(2))}
}

var errInvalidPath = errors.New("a read is served locally, by read-index or under a lease")
