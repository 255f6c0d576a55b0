package raft

// Ready is everything a server asks its caller to do after a call into it.
// The caller must, in this order:
//  1. write Snapshot (when SaveSnapshot), HardState (when SaveHardState)
//     and Entries to stable storage — before any message leaves, because
//     the messages may reveal them (a vote granted, an entry or a snapshot
//     acknowledged; Figure 2, persistent state);
//  2. send Messages;
//  3. reset the state machine from Snapshot.Data (when RestoreSnapshot),
//     then apply CommittedEntries to it, in order;
//
// then call Advance. Slices in a Ready belong to the server and are valid
// only until the next call into it.
type Ready struct {
	// Snapshot is the latest snapshot, set when SaveSnapshot or
	// RestoreSnapshot is. It is shared: do not change it.
	Snapshot *Snapshot
	// SaveSnapshot: storage keeps Snapshot and drops the log through
	// Snapshot.Index; it keeps the entries after it only if its entry at
	// Snapshot.Index has Snapshot.Term (Figure 13, receiver rules 6-7),
	// as the server did.
	SaveSnapshot bool
	// RestoreSnapshot: the state machine starts over from Snapshot.Data,
	// which reflects every entry through Snapshot.Index (Figure 13,
	// receiver rule 8, or a restart from a snapshot).
	RestoreSnapshot bool

	HardState     HardState
	SaveHardState bool
	// Entries must be written to the log: storage first drops every entry
	// at or after Entries[0].Index (a conflict truncated them, §5.3), then
	// appends these.
	Entries          []Entry
	Messages         []Message
	CommittedEntries []Entry
	// ReadStates answer reads asked for with ReadIndex or LeaseRead: serve
	// each once the state machine has applied through its Index.
	ReadStates []ReadState
	// Notes explain the decisions taken since the last Advance, in order.
	Notes []Reason
}

// HasReady reports whether Ready would hand out anything.
func (n *Node) HasReady() bool {
	return n.hardState() != n.persisted || n.unstable <= n.log.lastIndex() ||
		len(n.msgs) > 0 || n.commit > n.applied || len(n.notes) > 0 || n.saveSnap || n.restore || len(n.readStates) > 0
}

// Ready collects what the server needs done. Call Advance once done.
func (n *Node) Ready() Ready {
	rd := Ready{Messages: n.msgs, Notes: n.notes, ReadStates: n.readStates, SaveSnapshot: n.saveSnap, RestoreSnapshot: n.restore}
	if n.saveSnap || n.restore {
		rd.Snapshot = n.snap
	}
	if hs := n.hardState(); hs != n.persisted {
		rd.HardState, rd.SaveHardState = hs, true
	}
	if n.unstable <= n.log.lastIndex() {
		rd.Entries = n.log.slice(n.unstable, n.log.lastIndex())
	}
	if n.commit > n.applied {
		from := n.applied + 1
		if n.cfg.Unsafe.ReapplyLastApplied && n.applied > n.log.offset {
			from = n.applied // the mutant: log[lastApplied] once more
		}
		// commitIndex passes the end of the log only when an unsafe rule
		// (TruncateOnEveryAppend) has cut committed entries off.
		rd.CommittedEntries = n.log.slice(from, min(n.commit, n.log.lastIndex()))
	}
	return rd
}

// Advance acknowledges the last Ready: its state is stored, its messages
// sent and its committed entries applied.
func (n *Node) Advance() {
	n.persisted = n.hardState()
	n.unstable = n.log.lastIndex() + 1
	n.applied = n.commit // Rules for Servers, All Servers 1: lastApplied follows commitIndex
	n.saveSnap, n.restore = false, false
	clear(n.msgs) // drop references to entries
	n.msgs = n.msgs[:0]
	n.notes = n.notes[:0]
	n.readStates = n.readStates[:0]
}
