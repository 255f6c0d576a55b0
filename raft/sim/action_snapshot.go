package sim

import (
	"errors"

	"raftlab/raft"
)

// Log compaction (§7): a server replaces the prefix of its log that its
// state machine has applied with a snapshot of the state machine. The
// scenario key compact-every does it on its own; this action does it now.

var compactAction = actionSpec{
	word: "compact", js: "compact", params: []Param{serverParam},
	build: nodeBuild, values: nodeValues,
	apply: func(w *world, a Action) error {
		s, err := w.running(a.Node)
		if err != nil {
			return err
		}
		if applied, snap := s.node.AppliedIndex(), s.node.SnapshotIndex(); applied <= snap {
			return errors.New(s.id.String() + " has applied nothing beyond its snapshot through index " +
				itoa(int(snap)) + ": nothing to compact")
		}
		return w.compact(s)
	},
	weight: 2, rank: 20,
	random: func(w *world, r *rng) (Action, bool) {
		var ready []raft.NodeID
		for _, s := range w.servers {
			if s.node != nil && s.node.AppliedIndex() > s.node.SnapshotIndex() {
				ready = append(ready, s.id)
			}
		}
		if len(ready) == 0 {
			return Action{}, false
		}
		return Action{Op: OpCompact, Node: ready[r.Intn(len(ready))]}, true
	},
	randomIf: func(opt *RandomOptions) bool { return opt.Compaction },
}
