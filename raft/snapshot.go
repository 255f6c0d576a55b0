package raft

import "errors"

// Snapshot is a state machine image that replaces the log up to and
// including Index (§7, Figure 12). The core never looks inside Data.
type Snapshot struct {
	// Index and Term are the last included index and term.
	Index Index
	Term  Term
	// Config is the latest configuration as of Index (§7: the snapshot
	// holds the configuration, since the log entries that carried it are
	// gone).
	Config Membership
	// Data is the application's state machine image.
	Data string
}

// Compact replaces the log through index with a snapshot whose state
// machine image is data (§7): the application hands over its state after
// applying index, the server keeps the last included index and term and
// drops the entries. index must be applied and not yet compacted. The next
// Ready carries the snapshot to save.
func (n *Node) Compact(index Index, data string) error {
	switch {
	case index <= n.log.offset:
		return errors.New("raft: Compact: index " + itoa(index) + " is already compacted")
	case index > n.applied:
		return errors.New("raft: Compact: index " + itoa(index) + " is not applied yet")
	case index > n.log.lastIndex():
		// Only an unsafe rule (TruncateOnEveryAppend) cuts applied entries off.
		return errors.New("raft: Compact: index " + itoa(index) + " is not in the log")
	case n.restore:
		return errors.New("raft: Compact: a snapshot is waiting to be restored")
	}
	term, _ := n.log.term(index)
	dropped := index - n.log.offset
	n.snap = &Snapshot{Index: index, Term: term, Config: n.configAt(index), Data: data}
	n.log.compact(index, term)
	n.saveSnap = true
	n.note(Reason{Code: LogCompacted, Term: n.term, Index: index, Got: uint64(dropped)})
	return nil
}

// configAt is the configuration in force as of index.
func (n *Node) configAt(index Index) Membership {
	m, _ := n.latestConfig(index)
	return m
}

// sendSnapshot sends the latest snapshot to a follower that needs entries
// the log no longer holds (§7: "the leader must occasionally send
// snapshots to followers that lag behind").
func (n *Node) sendSnapshot(pr *Progress) {
	pr.State, pr.Paused = ProgressSnapshot, true
	n.note(Reason{Code: SnapshotSent, Peer: pr.ID, Term: n.term, Index: n.snap.Index, Got: uint64(pr.Next - 1)})
	n.send(Message{Type: MsgSnap, To: pr.ID, Snapshot: n.snap, LeaderCommit: n.commit})
}

// handleSnapshot is the InstallSnapshot receiver of Figure 13 for a request
// of the current term; receiver rule 1 (stale term) was applied in Step.
// Snapshots arrive whole, so rules 2-5 (chunks) reduce to saving it.
func (n *Node) handleSnapshot(m Message) {
	s := m.Snapshot
	if s.Index <= n.commit {
		// A late or duplicated snapshot, or one the log has overtaken:
		// everything it holds is committed here already. Installing it
		// would move the state machine back.
		why := Reason{Code: SnapshotIgnoredOld, Peer: m.From, Term: n.term, Index: s.Index, Got: uint64(n.commit)}
		n.note(why)
		n.send(Message{Type: MsgSnapResp, To: m.From, Success: true, MatchIndex: n.commit, RequestTerm: m.Term, Reason: why})
		return
	}
	var why Reason
	if t, ok := n.log.term(s.Index); ok && t == s.Term {
		// Receiver rule 6: an entry with the last included index and term
		// is in the log: retain the entries that follow it.
		why = Reason{Code: SnapshotInstalledKeptLog, Peer: m.From, Term: n.term, Index: s.Index, Got: uint64(n.log.lastIndex())}
		n.log.compact(s.Index, s.Term)
	} else {
		// Receiver rule 7: discard the entire log.
		why = Reason{Code: SnapshotInstalled, Peer: m.From, Term: n.term, Index: s.Index, Got: uint64(n.log.lastIndex())}
		n.log.reset(s.Index, s.Term)
	}
	n.note(why)
	// Receiver rule 8: reset the state machine from the snapshot (the
	// next Ready hands it out) and load its configuration.
	n.snap = s
	n.saveSnap, n.restore = true, true
	n.commit, n.applied = s.Index, s.Index
	n.unstable = max(n.unstable, s.Index+1)
	conf, at := n.latestConfig(n.log.lastIndex())
	if conf.Equal(n.conf) {
		n.confIndex = at
	} else {
		n.useConfig(conf, at, false)
		n.note(Reason{Code: ConfigFromSnapshot, Term: n.term, Index: at, Got: uint64(len(conf.Voters))})
	}
	n.send(Message{Type: MsgSnapResp, To: m.From, Success: true, MatchIndex: s.Index, RequestTerm: m.Term, Reason: why})
}

// handleSnapshotResp updates a follower's progress from its InstallSnapshot
// reply: its log now matches ours through MatchIndex, so replication
// continues from there.
func (n *Node) handleSnapshotResp(pr *Progress, m Message) {
	if m.RequestTerm < n.term || !m.Success {
		n.note(Reason{Code: ReplyIgnoredStale, Peer: m.From, Term: n.term, Got: uint64(m.RequestTerm), Want: uint64(n.term)})
		return
	}
	pr.Active = true
	pr.Match = max(pr.Match, m.MatchIndex)
	pr.Next = max(pr.Next, pr.Match+1)
	n.catchUp(pr)
	if pr.State == ProgressSnapshot {
		pr.Next = pr.Match + 1
		pr.State, pr.Paused = ProgressReplicate, false
	}
	n.note(Reason{Code: SnapshotAcked, Peer: m.From, Term: n.term, Index: m.MatchIndex, Got: uint64(pr.Next)})
	n.maybeCommit()
	if pr.State == ProgressReplicate && pr.Next <= n.log.lastIndex() {
		n.sendAppend(pr)
	}
}
