package raft

// Pre-vote (dissertation §9.6): before it raises its term, a server whose
// election timer fired asks the others whether they would vote for it.
// Only if a majority would does it start a real election, so a server that
// was cut off, and whose log fell behind, cannot disrupt the cluster by
// raising terms it could never win.

// preCampaign starts a pre-vote round for term+1, leaving the term and the
// vote as they are.
func (n *Node) preCampaign() {
	if !n.mayCampaign() {
		n.resetElectionTimer()
		n.note(Reason{Code: CampaignSkippedNotVoter, Term: n.term})
		return
	}
	n.dropForwardedReads()
	n.role = PreCandidate
	n.leader = None
	n.step = stepPreCandidate
	n.resetElectionTimer()
	n.voteForSelf()
	n.note(Reason{Code: PreVoteStarted, Term: n.term + 1})
	if n.tally() == VoteWon {
		n.campaign(false)
		return
	}
	lastIndex, lastTerm := n.log.lastIndex(), n.log.lastTerm()
	for _, p := range n.members {
		if p != n.id && n.conf.IsVoter(p) {
			n.sendInTerm(Message{Type: MsgPreVote, To: p, LastLogIndex: lastIndex, LastLogTerm: lastTerm}, n.term+1)
		}
	}
}

// handlePreVote answers a pre-vote, in any role: granted if the candidate
// could win a real election for the term it proposes — a term later than
// ours, and a log at least as up to date (§5.4.1). It changes neither our
// term, nor our vote, nor our timer. A grant carries the proposed term, a
// refusal ours.
func (n *Node) handlePreVote(m Message) {
	myTerm, myIndex := n.log.lastTerm(), n.log.lastIndex()
	switch {
	case m.Term <= n.term:
		why := Reason{Code: PreVoteDeniedStaleTerm, Peer: m.From, Term: n.term, Got: uint64(m.Term), Want: uint64(n.term)}
		n.note(why)
		n.sendInTerm(Message{Type: MsgPreVoteResp, To: m.From, Reason: why}, n.term)
	case !n.cfg.Unsafe.SkipUpToDateCheck && !isUpToDate(m.LastLogTerm, m.LastLogIndex, myTerm, myIndex):
		why := Reason{Code: PreVoteDeniedLog, Peer: m.From, Term: m.Term, Index: myIndex, Got: uint64(m.LastLogTerm), Want: uint64(myTerm)}
		n.note(why)
		n.sendInTerm(Message{Type: MsgPreVoteResp, To: m.From, Reason: why}, n.term)
	default:
		why := Reason{Code: PreVoteGranted, Peer: m.From, Term: m.Term}
		n.note(why)
		n.sendInTerm(Message{Type: MsgPreVoteResp, To: m.From, Success: true, Reason: why}, m.Term)
	}
}

// stepPreCandidate handles a message of the current term (or a pre-vote
// grant for the next) as a pre-candidate.
func stepPreCandidate(n *Node, m Message) {
	switch m.Type {
	case MsgVote:
		n.handleVote(m) // a pre-candidate has not voted for itself
	case MsgAppend, MsgSnap, MsgTimeoutNow:
		// A leader of this term is alive after all: follow it.
		n.note(Reason{Code: FollowedLeader, Peer: m.From, Term: n.term})
		n.becomeFollower(n.term, m.From)
		stepFollower(n, m)
	case MsgPreVoteResp:
		i := n.memberPos(m.From)
		granted := m.Success && m.Term == n.term+1
		refused := !m.Success && m.Term == n.term
		if i < 0 || !n.conf.IsVoter(m.From) || n.votes[i] != voteUnknown || (!granted && !refused) {
			return // not a voter, a duplicate, or an answer to an older round
		}
		if refused {
			n.votes[i] = voteRefused
			n.note(Reason{Code: PreVoteRefused, Peer: m.From, Term: n.term + 1})
		} else {
			n.votes[i] = voteGranted
			n.note(Reason{Code: PreVoteReceived, Peer: m.From, Term: n.term + 1, Got: uint64(n.granted()), Want: uint64(majority(len(n.conf.Voters)))})
		}
		switch n.tally() {
		case VoteWon:
			n.campaign(false) // §9.6: a majority would vote: now stand for real
		case VoteLost:
			n.note(Reason{Code: PreVoteLost, Term: n.term + 1})
			n.becomeFollower(n.term, None)
		}
	default:
		n.note(Reason{Code: ReplyIgnoredRole, Peer: m.From, Term: n.term})
	}
}
