package raft

// becomeFollower enters the follower role in term t, following leader
// (None when unknown). A new term clears votedFor (Figure 2: votedFor is
// per term).
func (n *Node) becomeFollower(t Term, leader NodeID) {
	changed := t > n.term || leader != n.leader
	if t > n.term {
		n.term = t
		n.vote = None
	}
	wasLeader := n.role == Leader
	n.role = Follower
	n.leader = leader
	n.step = stepFollower
	if wasLeader {
		n.transferee = None
		n.dropReads() // no longer confirmable here
		// A leader keeps no election timer; start one now.
		n.resetElectionTimer()
	}
	if changed {
		n.dropForwardedReads() // their answers would come from a past leader
	}
}

// stepFollower handles a message of the current term as a follower (§5.2).
func stepFollower(n *Node, m Message) {
	switch m.Type {
	case MsgVote:
		n.handleVote(m)
	case MsgAppend:
		n.leader = m.From
		// Rules for Servers, Followers 2: AppendEntries from the current
		// leader resets the election timer.
		n.electionElapsed = 0
		n.handleAppend(m)
	case MsgSnap:
		// InstallSnapshot comes from the current leader too (§7).
		n.leader = m.From
		n.electionElapsed = 0
		n.handleSnapshot(m)
	case MsgTimeoutNow:
		n.handleTimeoutNow(m)
	case MsgReadIndex:
		n.refuseRead(m.Context, m.From) // only a leader confirms reads
	case MsgReadIndexResp:
		n.handleReadIndexResp(m)
	default:
		n.note(Reason{Code: ReplyIgnoredRole, Peer: m.From, Term: n.term})
	}
}

// handleVote is the RequestVote receiver of Figure 2; receiver rule 1 (stale
// term) was applied in Step.
func (n *Node) handleVote(m Message) {
	// Receiver rule 2: grant only if votedFor is null or candidateId ...
	if n.vote != None && n.vote != m.From {
		n.replyVote(m, false, Reason{Code: VoteDeniedAlreadyVoted, Peer: m.From, Term: n.term, Got: uint64(n.vote)})
		return
	}
	// ... and the candidate's log is at least as up to date as ours (§5.4.1).
	myTerm, myIndex := n.log.lastTerm(), n.log.lastIndex()
	if !n.cfg.Unsafe.SkipUpToDateCheck && !isUpToDate(m.LastLogTerm, m.LastLogIndex, myTerm, myIndex) {
		if m.LastLogTerm < myTerm {
			n.replyVote(m, false, Reason{Code: VoteDeniedLogTerm, Peer: m.From, Term: n.term, Got: uint64(m.LastLogTerm), Want: uint64(myTerm)})
		} else {
			n.replyVote(m, false, Reason{Code: VoteDeniedLogIndex, Peer: m.From, Term: myTerm, Got: uint64(m.LastLogIndex), Want: uint64(myIndex)})
		}
		return
	}
	n.vote = m.From
	// Rules for Servers, Followers 2: granting a vote resets the election timer.
	n.electionElapsed = 0
	n.replyVote(m, true, Reason{Code: VoteGranted, Peer: m.From, Term: n.term})
}

func (n *Node) replyVote(m Message, granted bool, why Reason) {
	if !granted && n.role != Leader && n.cfg.Unsafe.ResetTimerOnAnyVote {
		n.electionElapsed = 0 // the mutant: a denied request resets the timer too
	}
	n.note(why)
	n.send(Message{Type: MsgVoteResp, To: m.From, Success: granted, Reason: why})
}

// handleAppend is the AppendEntries receiver of Figure 2 for a request of
// the current term; receiver rule 1 (stale term) was applied in Step.
func (n *Node) handleAppend(m Message) {
	prev, entries := m.PrevLogIndex, m.Entries
	if prev < n.log.offset {
		// The request starts inside our compacted prefix, which holds only
		// committed entries: skip what we already cover.
		skip := n.log.offset - prev
		if skip > Index(len(entries)) {
			skip = Index(len(entries))
		}
		prev, entries = n.log.offset, entries[skip:]
	}
	// Receiver rule 2: reply false if the log has no entry at prevLogIndex
	// whose term matches prevLogTerm.
	t, ok := n.log.term(prev)
	if !ok {
		last := n.log.lastIndex()
		n.rejectAppend(m, Reason{Code: AppendDeniedMissingEntry, Peer: m.From, Term: n.term, Index: prev, Got: uint64(last)}, 0, last+1)
		return
	}
	if prev == m.PrevLogIndex && t != m.PrevLogTerm {
		n.rejectAppend(m, Reason{Code: AppendDeniedTermMismatch, Peer: m.From, Term: n.term, Index: prev, Got: uint64(t), Want: uint64(m.PrevLogTerm)},
			t, n.log.firstIndexOfTerm(t, prev))
		return
	}
	// Receiver rules 3 and 4: delete an existing entry that conflicts with
	// a new one (same index, different term) and all that follow it, then
	// append the entries not already in the log. Entries that agree are
	// kept, so a late or duplicated request never shortens the log.
	if n.cfg.Unsafe.TruncateOnEveryAppend && prev < n.log.lastIndex() {
		// The mutant: cut the log after prevLogIndex whether or not an
		// entry conflicts.
		n.truncateFrom(prev+1, m.From)
	}
	appended := 0
	for i, e := range entries {
		idx := prev + 1 + Index(i)
		if idx <= n.log.lastIndex() {
			if et, _ := n.log.term(idx); et == e.Term {
				continue
			}
			n.truncateFrom(idx, m.From)
		}
		n.log.entries = appendEntries(n.log.entries, entries[i:]...)
		n.configFromEntries(entries[i:])
		appended = len(entries) - i
		break
	}
	// Receiver rule 5: commitIndex = min(leaderCommit, index of last new entry).
	lastNew := prev + Index(len(entries))
	upTo := lastNew
	if n.cfg.Unsafe.SkipCommitMin {
		upTo = n.log.lastIndex() // the mutant: entries the request did not check
	}
	if c := min(m.LeaderCommit, upTo); c > n.commit {
		n.note(Reason{Code: CommitAdvanced, Term: n.term, Got: uint64(c), Want: uint64(n.commit)})
		n.commit = c
	}
	why := Reason{Code: AppendAccepted, Peer: m.From, Term: n.term, Index: m.PrevLogIndex, Got: uint64(appended), Want: uint64(n.commit)}
	n.note(why)
	n.send(Message{Type: MsgAppendResp, To: m.From, Success: true, MatchIndex: lastNew, RequestTerm: m.Term, Context: m.Context, Reason: why})
}

// truncateFrom deletes the entries from idx on (receiver rule 3), at the
// request of leader, and undoes a configuration they carried.
func (n *Node) truncateFrom(idx Index, leader NodeID) {
	last := n.log.lastIndex()
	n.log.truncateAfter(idx - 1)
	n.unstable = min(n.unstable, idx)
	n.note(Reason{Code: EntriesTruncated, Peer: leader, Term: n.term, Index: idx, Got: uint64(last)})
	n.revertConfig(idx)
}

func (n *Node) rejectAppend(m Message, why Reason, conflictTerm Term, conflictIndex Index) {
	n.note(why)
	n.send(Message{Type: MsgAppendResp, To: m.From, Success: false, MatchIndex: m.PrevLogIndex,
		RequestTerm: m.Term, Context: m.Context, ConflictTerm: conflictTerm, ConflictIndex: conflictIndex, Reason: why})
}
