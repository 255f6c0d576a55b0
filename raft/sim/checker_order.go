package sim

import "raftlab/raft"

// Two checks of what a server does with committed entries, which Figure 3
// takes for granted: its state machine applies each entry once, in index
// order (Figure 2, Rules for Servers, All Servers 1), and its log keeps
// every entry it knows committed. Switched-off rules break them
// (raft.UnsafeRules.ReapplyLastApplied, TruncateOnEveryAppend;
// HostRules.ApplyOutOfOrder) before, or without, breaking a Figure 3
// property.

// inOrder checks that node applies entry index right after the last one
// it applied.
func (c *checker) inOrder(node raft.NodeID, index raft.Index, report func(Violation)) {
	cs := &c.servers[node]
	if index != cs.applied+1 {
		c.report(Violation{Property: StateMachineOrder, Nodes: []raft.NodeID{node}, Index: index, Last: cs.applied}, report)
	}
	cs.applied = max(cs.applied, index)
}

// restored notes that node's state machine started over from its snapshot
// through index.
func (c *checker) restored(node raft.NodeID, index raft.Index) { c.servers[node].applied = index }

// durable checks that node, in term, still holds every entry it knows
// committed: its commitIndex is within its log.
func (c *checker) durable(node raft.NodeID, term raft.Term, commit, last raft.Index, report func(Violation)) {
	if commit > last {
		c.report(Violation{Property: CommitDurability, Nodes: []raft.NodeID{node}, Term: term, Index: commit, Last: last}, report)
	}
}
