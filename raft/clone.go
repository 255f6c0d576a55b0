package raft

import "slices"

// Clone returns an independent copy of the server that draws its election
// timeouts from r. A simulator uses it to checkpoint a run. Messages and
// notes not yet handed out through Ready are copied too.
func (n *Node) Clone(r Rand) *Node {
	c := *n
	c.cfg.Rand = r
	c.cfg.Peers = slices.Clone(n.cfg.Peers)
	c.conf = n.conf.Clone()
	c.members = slices.Clone(n.members)
	c.voterIn, c.voterOut = slices.Clone(n.voterIn), slices.Clone(n.voterOut)
	c.pendingVoters = slices.Clone(n.pendingVoters)
	// Entries are values and a log never rewrites an index it has handed
	// out (truncation copies, see raftLog.truncateAfter), so the copies
	// share the array; the capacity is clipped so that an append by either
	// copy cannot write where the other will. A simulator's checkpoints then
	// cost nothing per entry.
	c.log.entries = n.log.entries[:len(n.log.entries):len(n.log.entries)]
	c.votes = slices.Clone(n.votes)
	c.progress = slices.Clone(n.progress)
	c.reads = slices.Clone(n.reads)
	c.forwarded = slices.Clone(n.forwarded)
	c.readStates = slices.Clone(n.readStates)
	c.msgs = slices.Clone(n.msgs)
	c.notes = slices.Clone(n.notes)
	return &c
}

// TimerRemaining is the number of ticks until Tick fires the server's
// timer: the election timeout, or a leader's next heartbeat.
func (n *Node) TimerRemaining() int {
	if n.role == Leader {
		return n.cfg.HeartbeatTicks - n.heartbeatElapsed
	}
	return n.electionTimeout - n.electionElapsed
}

// TimerLength is the full length of the running timer in ticks, so a view
// can draw the remaining time as a fraction.
func (n *Node) TimerLength() int {
	if n.role == Leader {
		return n.cfg.HeartbeatTicks
	}
	return n.electionTimeout
}

// CloneWithRules returns a copy of the server, as Clone does, whose
// UnsafeRules are u: a simulator asks such a copy what the server would
// have decided with a rule switched back on, to explain a run. The copy is
// a question, never part of the run.
func (n *Node) CloneWithRules(r Rand, u UnsafeRules) *Node {
	c := n.Clone(r)
	c.cfg.Unsafe = u
	// What it handed out stays handed out: the copy differs from the
	// server only in the decisions it makes from now on.
	c.persisted = c.hardState()
	return c
}
