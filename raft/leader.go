package raft

// becomeLeader takes office after winning with the given number of votes.
func (n *Node) becomeLeader(votes int) {
	n.role = Leader
	n.leader = n.id
	n.step = stepLeader
	n.heartbeatElapsed = 0
	n.lastDeferred = 0
	n.leaderTicks = 0
	n.pendingVoters = nil
	n.transferee, n.transferElapsed, n.timeoutNowSent, n.leaseOff = None, 0, false, false
	n.termRound = n.round + 1
	if n.cfg.CheckQuorum {
		n.electionElapsed = 0 // the check-quorum clock
	}
	n.note(Reason{Code: BecameLeader, Term: n.term, Got: uint64(votes), Want: uint64(len(n.conf.Voters))})
	// Figure 2, volatile state on leaders, reinitialized after election:
	// nextIndex = last log index + 1, matchIndex = 0.
	next := n.log.lastIndex() + 1
	for i := range n.progress {
		n.progress[i] = Progress{ID: n.members[i], Next: next, State: ProgressProbe}
		if n.conf.IsLearner(n.members[i]) {
			n.startCatchUp(&n.progress[i])
		}
	}
	// §8: a new leader appends a blank no-op entry; committing it commits
	// every earlier entry (§5.4.2), and it is sent to each server at once,
	// which also announces the new leader (Rules for Servers, Leaders 1).
	n.propose(EntryNoop, "")
}

// canPropose reports whether this server may append a client's entry now,
// and explains a refusal: only a leader appends (§5.1).
func (n *Node) canPropose() bool {
	switch {
	case n.role != Leader:
		n.note(Reason{Code: ProposalRejected, Peer: n.leader, Term: n.term})
		return false
	case n.transferee != None:
		// Dissertation §3.10: during a transfer the leader stops
		// accepting client requests.
		n.note(Reason{Code: ProposalRefusedTransfer, Peer: n.transferee, Term: n.term})
		return false
	}
	return true
}

func (n *Node) propose(kind EntryKind, data string) (Index, Term, bool) {
	if !n.canPropose() {
		return 0, n.term, false
	}
	// Rules for Servers, Leaders 2: append the command to the local log.
	idx := n.log.lastIndex() + 1
	n.log.append(Entry{Term: n.term, Index: idx, Kind: kind, Data: data})
	n.replicate(false)
	return idx, n.term, true
}

// replicate sends new entries to every follower that is not waiting for a
// probe's or a snapshot's reply (Rules for Servers, Leaders 3), then commits
// what it can. A pipelined follower gets one AppendEntries (capped by
// MaxEntriesPerAppend), or, for a batch, as many as it takes to send
// everything.
func (n *Node) replicate(batch bool) {
	for i := range n.progress {
		pr := &n.progress[i]
		switch {
		case pr.ID == n.id:
		case pr.State == ProgressReplicate:
			n.sendAppend(pr)
			for batch && pr.State == ProgressReplicate && pr.Next <= n.log.lastIndex() {
				n.sendAppend(pr)
			}
		case !pr.Paused:
			n.sendAppend(pr)
		}
	}
	n.maybeCommit() // a one-server cluster commits at once
}

// heartbeat sends AppendEntries to every follower (Rules for Servers,
// Leaders 1). A follower still being probed gets the entries from its
// nextIndex, so a heartbeat also repairs logs; with EmptyHeartbeats it
// gets none (Figure 2's empty AppendEntries).
func (n *Node) heartbeat() {
	n.heartbeatElapsed = 0
	n.note(Reason{Code: HeartbeatSent, Term: n.term})
	n.broadcastRound()
}

// broadcastRound starts a heartbeat round: AppendEntries to every follower,
// each carrying the round's number, which the replies echo (Context).
func (n *Node) broadcastRound() {
	n.round++
	n.roundTicks[n.round%uint64(len(n.roundTicks))] = roundStart{round: n.round, tick: n.leaderTicks}
	for i := range n.progress {
		if pr := &n.progress[i]; pr.ID != n.id {
			pr.Paused = false
			if n.cfg.EmptyHeartbeats && n.sendEmptyAppend(pr) {
				continue
			}
			n.sendAppend(pr)
		}
	}
}

// sendEmptyAppend sends pr's follower an AppendEntries without entries at
// nextIndex-1 (Figure 2's heartbeat), unless that entry was compacted
// away (the snapshot goes then, from sendAppend) or a snapshot is on its
// way; it reports whether it sent one.
func (n *Node) sendEmptyAppend(pr *Progress) bool {
	prev := pr.Next - 1
	prevTerm, ok := n.log.term(prev)
	if !ok || pr.State == ProgressSnapshot {
		return false
	}
	n.send(Message{Type: MsgAppend, To: pr.ID, PrevLogIndex: prev, PrevLogTerm: prevTerm,
		LeaderCommit: n.commit, Context: n.round})
	if pr.State != ProgressReplicate {
		pr.Paused = true
	}
	return true
}

// sendAppend sends AppendEntries with the entries from pr.Next (Rules for
// Servers, Leaders 3), or the snapshot when the entry before them has been
// compacted away (§7).
func (n *Node) sendAppend(pr *Progress) {
	prev := pr.Next - 1
	prevTerm, ok := n.log.term(prev)
	if !ok {
		n.sendSnapshot(pr)
		return
	}
	hi := n.log.lastIndex()
	if max := Index(n.cfg.MaxEntriesPerAppend); max > 0 && hi-prev > max {
		hi = prev + max
	}
	entries := n.log.slice(prev+1, hi)
	if !n.coalesce(pr, hi) {
		n.send(Message{Type: MsgAppend, To: pr.ID, PrevLogIndex: prev, PrevLogTerm: prevTerm,
			Entries: entries, LeaderCommit: n.commit, Context: n.round})
	}
	if pr.State != ProgressReplicate {
		pr.Paused = true
	} else if len(entries) > 0 {
		pr.Next = hi + 1 // pipelining: assume success, a rejection corrects it
	}
}

// coalesce extends an AppendEntries to pr that this Ready already holds
// with the entries through hi, when CoalesceAppends is on and the entries
// follow on from it; it reports whether it did. A pipelined follower then
// gets one message per Ready instead of one per proposal.
func (n *Node) coalesce(pr *Progress, hi Index) bool {
	if !n.cfg.CoalesceAppends {
		return false
	}
	for i := len(n.msgs) - 1; i >= 0; i-- {
		m := &n.msgs[i]
		if m.To != pr.ID {
			continue
		}
		end := m.PrevLogIndex + Index(len(m.Entries))
		if m.Type != MsgAppend || m.Term != n.term || end != pr.Next-1 || m.PrevLogIndex < n.log.offset {
			return false // not ours to extend, or its start has since been compacted
		}
		if max := Index(n.cfg.MaxEntriesPerAppend); max > 0 && hi-m.PrevLogIndex > max {
			return false // full: the next batch goes in a message of its own
		}
		m.Entries = n.log.slice(m.PrevLogIndex+1, hi)
		m.LeaderCommit, m.Context = n.commit, n.round
		return true
	}
	return false
}

func (n *Node) progressOf(id NodeID) *Progress {
	if i := n.memberPos(id); i >= 0 {
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
	case MsgSnapResp:
		if pr := n.progressOf(m.From); pr != nil && pr.ID != n.id {
			n.handleSnapshotResp(pr, m)
		}
	case MsgReadIndex:
		if pr := n.progressOf(m.From); pr != nil {
			pr.Active = true
		}
		n.leaderRead(m.Context, m.From)
	default:
		// A vote reply after winning, or an AppendEntries of our own term,
		// which election safety (§5.2) rules out unless a rule is switched off.
		n.note(Reason{Code: ReplyIgnoredRole, Peer: m.From, Term: n.term})
	}
}

func (n *Node) handleAppendResp(pr *Progress, m Message) {
	if m.RequestTerm == n.term {
		// The follower took us as leader after the round it echoes
		// began: it counts for check-quorum and for confirming reads.
		pr.Active = true
		if m.Context > pr.AckedRound {
			pr.AckedRound = m.Context
			if len(n.reads) > 0 {
				n.serveReads()
			}
		}
	}
	if m.Success {
		// Rules for Servers, Leaders 3: on success update nextIndex and
		// matchIndex. matchIndex is what the request covered
		// (prevLogIndex + entries), never our own log length.
		if m.MatchIndex > pr.Match {
			pr.Match = m.MatchIndex
		}
		n.catchUp(pr)
		if pr.State == ProgressSnapshot {
			// An AppendEntries sent before the snapshot: the snapshot's
			// own reply ends that state.
			pr.Next = max(pr.Next, pr.Match+1)
			n.maybeCommit()
			return
		}
		pr.Next = max(pr.Next, pr.Match+1)
		pr.State, pr.Paused = ProgressReplicate, false
		n.maybeCommit()
		if n.transferee == pr.ID {
			n.maybeTimeoutNow(pr)
		}
		// Send what the follower still lacks: everything after a probe, or
		// the next batch when MaxEntriesPerAppend held some back (without
		// a cap a pipelined follower has been sent everything already).
		if pr.Next <= n.log.lastIndex() {
			n.sendAppend(pr)
		}
		return
	}
	if m.RequestTerm < n.term && !n.cfg.Unsafe.BackOffOnStaleRejection {
		// The follower refused an older term's request (the reply echoes
		// its term); the follower's term equals ours now, so this says
		// nothing about its log. Do not back off.
		n.note(Reason{Code: ReplyIgnoredStale, Peer: m.From, Term: n.term, Got: uint64(m.RequestTerm), Want: uint64(n.term)})
		return
	}
	rejected := m.MatchIndex // the request's prevLogIndex
	if rejected <= pr.Match || pr.State == ProgressSnapshot || (pr.State == ProgressProbe && rejected != pr.Next-1) {
		// A late or duplicated rejection of a request we have moved past
		// (a snapshot on its way supersedes every earlier request). The
		// follower is known to hold our entry at matchIndex, so a
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
	// No floor at our log's start: a follower that lacks entries we have
	// compacted gets the snapshot from sendAppend (§7), where a floor
	// would probe the same missing prefix forever.
	next = max(min(next, rejected), pr.Match+1)
	n.note(Reason{Code: NextIndexBackedOff, Peer: m.From, Term: n.term, Got: uint64(next), Want: uint64(pr.Next)})
	pr.Next = next
	pr.State, pr.Paused = ProgressProbe, false
	n.sendAppend(pr)
}

// checkQuorumTick is a leader's election timer under Config.CheckQuorum
// (dissertation §6.2): each election timeout, it steps down unless a
// majority has answered since the last check.
func (n *Node) checkQuorumTick() {
	n.electionElapsed++
	if n.electionElapsed < n.cfg.ElectionTimeoutMin {
		return
	}
	n.electionElapsed = 0
	active := func(id NodeID) bool {
		pr := n.progressOf(id)
		return id == n.id || (pr != nil && pr.Active)
	}
	if !n.conf.HasQuorum(active) {
		heard := 0
		for _, id := range n.conf.Voters {
			if active(id) {
				heard++
			}
		}
		n.note(Reason{Code: CheckQuorumSteppedDown, Term: n.term, Got: uint64(heard), Want: uint64(majority(len(n.conf.Voters)))})
		n.becomeFollower(n.term, None)
		return
	}
	for i := range n.progress {
		n.progress[i].Active = false
	}
}

// maybeCommit advances commitIndex to the highest index stored on a
// majority whose entry is of the current term (Rules for Servers, Leaders 4;
// §5.4.2). Entries of earlier terms are committed only indirectly. The
// majority is of the configuration in use: of C_old and of C_new during a
// joint change (§6); a leader outside it does not count itself
// (dissertation §4.2.2).
func (n *Node) maybeCommit() {
	idx := n.committedIndex()
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
	if n.cfg.AnnounceCommit {
		n.announceCommit()
	}
}

// committedIndex is Membership.Committed over what each voter is known
// to hold — the leader's own log, or a follower's matchIndex — read
// straight from the progress list, as this runs on every reply.
func (n *Node) committedIndex() Index {
	var in, out quorumIndex
	for i := range n.progress {
		pr := &n.progress[i]
		match := pr.Match
		if pr.ID == n.id {
			match = n.log.lastIndex()
		}
		if n.voterIn[i] {
			in.add(match)
		}
		if n.voterOut[i] {
			out.add(match)
		}
	}
	return min(in.committed(), out.committed())
}

// announceCommit tells every follower the new commitIndex at once
// (Config.AnnounceCommit): an AppendEntries to each follower that is not
// waiting for a probe's reply, instead of waiting for the next heartbeat.
func (n *Node) announceCommit() {
	sent := false
	for i := range n.progress {
		if pr := &n.progress[i]; pr.ID != n.id && !pr.Paused {
			n.sendAppend(pr)
			sent = true
		}
	}
	if sent {
		n.note(Reason{Code: CommitAnnounced, Term: n.term, Index: n.commit})
	}
}
