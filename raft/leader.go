package raft

import "slices"

// becomeLeader takes office after winning with the given number of votes.
func (n *Node) becomeLeader(votes int) {
	n.role = Leader
	n.leader = n.id
	n.step = stepLeader
	n.heartbeatElapsed = 0
	n.lastDeferred = 0
	n.note(Reason{Code: BecameLeader, Term: n.term, Got: uint64(votes), Want: uint64(len(n.peers))})
	// Figure 2, volatile state on leaders, reinitialized after election:
	// nextIndex = last log index + 1, matchIndex = 0.
	next := n.log.lastIndex() + 1
	for i := range n.progress {
		n.progress[i] = Progress{ID: n.peers[i], Next: next, Probing: true}
	}
	// §8: a new leader appends a blank no-op entry; committing it commits
	// every earlier entry (§5.4.2), and it is sent to each server at once,
	// which also announces the new leader (Rules for Servers, Leaders 1).
	n.propose(EntryNoop, "")
}

// heartbeat sends AppendEntries to every follower (Rules for Servers,
// Leaders 1). A follower still being probed gets the entries from its
// nextIndex, so a heartbeat also repairs logs.
func (n *Node) heartbeat() {
	n.heartbeatElapsed = 0
	n.note(Reason{Code: HeartbeatSent, Term: n.term})
	for i := range n.progress {
		if pr := &n.progress[i]; pr.ID != n.id {
			pr.Paused = false
			n.sendAppend(pr)
		}
	}
}

// sendAppend sends AppendEntries with the entries from pr.Next (Rules for
// Servers, Leaders 3).
func (n *Node) sendAppend(pr *Progress) {
	prev := pr.Next - 1
	prevTerm, _ := n.log.term(prev)
	hi := n.log.lastIndex()
	if max := Index(n.cfg.MaxEntriesPerAppend); max > 0 && hi-prev > max {
		hi = prev + max
	}
	entries := n.log.slice(prev+1, hi)
	n.send(Message{Type: MsgAppend, To: pr.ID, PrevLogIndex: prev, PrevLogTerm: prevTerm,
		Entries: entries, LeaderCommit: n.commit})
	if pr.Probing {
		pr.Paused = true
	} else if len(entries) > 0 {
		pr.Next = hi + 1 // pipelining: assume success, a rejection corrects it
	}
}

func (n *Node) progressOf(id NodeID) *Progress {
	if i := n.peerPos(id); i >= 0 {
		return &n.progress[i]
	}
	return nil
}

// stepLeader handles a message of the current term as the leader.
func stepLeader(n *Node, m Message) {
	switch m.Type {
	case MsgVote:
		n.handleVote(m) // we voted for ourselves, so this denies
	case MsgAppendResp:
		if pr := n.progressOf(m.From); pr != nil && pr.ID != n.id {
			n.handleAppendResp(pr, m)
		}
	default:
		// A vote reply after winning, or an AppendEntries of our own term,
		// which election safety (§5.2) rules out unless a rule is switched off.
		n.note(Reason{Code: ReplyIgnoredRole, Peer: m.From, Term: n.term})
	}
}

func (n *Node) handleAppendResp(pr *Progress, m Message) {
	if m.Success {
		// Rules for Servers, Leaders 3: on success update nextIndex and
		// matchIndex. matchIndex is what the request covered
		// (prevLogIndex + entries), never our own log length.
		if m.MatchIndex > pr.Match {
			pr.Match = m.MatchIndex
		}
		pr.Next = max(pr.Next, pr.Match+1)
		pr.Probing, pr.Paused = false, false
		n.maybeCommit()
		// Send what the follower still lacks: everything after a probe, or
		// the next batch when MaxEntriesPerAppend held some back (without
		// a cap a pipelined follower has been sent everything already).
		if pr.Next <= n.log.lastIndex() {
			n.sendAppend(pr)
		}
		return
	}
	if m.Reason.Code == AppendDeniedStaleTerm {
		// The follower refused an older term's request; its term equals
		// ours now, so this says nothing about its log. Do not back off.
		// The reply's own term equals ours; name the term of the refused
		// request, which the follower's reason carries in Got.
		n.note(Reason{Code: ReplyIgnoredStale, Peer: m.From, Term: n.term, Got: m.Reason.Got, Want: uint64(n.term)})
		return
	}
	rejected := m.MatchIndex // the request's prevLogIndex
	if rejected <= pr.Match || (pr.Probing && rejected != pr.Next-1) {
		// A late or duplicated rejection of a request we have moved past.
		// The follower is known to hold our entry at matchIndex, so a
		// rejection at prevLogIndex == matchIndex is old too.
		n.note(Reason{Code: ReplyIgnoredOld, Peer: m.From, Term: n.term, Index: rejected, Got: uint64(pr.Match)})
		return
	}
	// Rules for Servers, Leaders 3: on a consistency-check failure decrement
	// nextIndex and retry; the follower's hint skips a whole term at once.
	next := m.ConflictIndex
	if m.ConflictTerm != 0 {
		if last := n.log.lastIndexOfTerm(m.ConflictTerm); last > 0 {
			next = last + 1
		}
	}
	next = max(min(next, rejected), pr.Match+1, n.log.offset+1)
	n.note(Reason{Code: NextIndexBackedOff, Peer: m.From, Term: n.term, Got: uint64(next), Want: uint64(pr.Next)})
	pr.Next = next
	pr.Probing, pr.Paused = true, false
	n.sendAppend(pr)
}

// maybeCommit advances commitIndex to the highest index stored on a
// majority whose entry is of the current term (Rules for Servers, Leaders 4;
// §5.4.2). Entries of earlier terms are committed only indirectly.
func (n *Node) maybeCommit() {
	var buf [MaxNodes]Index
	matches := buf[:0]
	for _, pr := range n.progress {
		if pr.ID == n.id {
			matches = append(matches, n.log.lastIndex())
		} else {
			matches = append(matches, pr.Match)
		}
	}
	slices.Sort(matches)
	// The highest index that a majority holds.
	idx := matches[len(matches)-n.quorum()]
	if idx <= n.commit {
		return
	}
	if t, _ := n.log.term(idx); t != n.term && !n.cfg.Unsafe.CommitEarlierTerms {
		if idx > n.lastDeferred {
			n.lastDeferred = idx
			n.note(Reason{Code: CommitDeferred, Term: n.term, Index: idx, Got: uint64(t), Want: uint64(n.term)})
		}
		return
	}
	n.note(Reason{Code: CommitAdvanced, Term: n.term, Got: uint64(idx), Want: uint64(n.commit)})
	n.commit = idx
}
