package raft

// campaign starts an election (Rules for Servers, Candidates 1, §5.2):
// increment currentTerm, vote for self, reset the election timer, and send
// RequestVote to every other server. Only a server that may lead its
// configuration stands (mayCampaign). transfer marks a campaign a leader
// asked for with TimeoutNow (dissertation §3.10).
func (n *Node) campaign(transfer bool) {
	if !n.mayCampaign() {
		n.resetElectionTimer()
		n.note(Reason{Code: CampaignSkippedNotVoter, Term: n.term})
		return
	}
	n.dropForwardedReads()
	n.term++
	n.vote = n.id
	n.role = Candidate
	n.leader = None
	n.step = stepCandidate
	n.resetElectionTimer()
	n.voteForSelf()
	n.note(Reason{Code: ElectionStarted, Term: n.term})
	if n.tally() == VoteWon {
		n.becomeLeader(1)
		return
	}
	lastIndex, lastTerm := n.log.lastIndex(), n.log.lastTerm()
	for _, p := range n.members {
		if p != n.id && n.conf.IsVoter(p) {
			n.send(Message{Type: MsgVote, To: p, LastLogIndex: lastIndex, LastLogTerm: lastTerm, Transfer: transfer})
		}
	}
}

// mayCampaign reports whether this server stands for election when its
// timer fires. A voter does; a learner or a server outside the
// configuration does not (dissertation §4.2.1). A server whose latest
// configuration removes it does too while that configuration is not known
// to be committed: the others may still need it, since a server with the
// removal in its log may hold entries they lack and refuse every other
// candidate; it counts no vote of its own, and steps down once the removal
// commits (§4.2.2), which it can only do as leader.
func (n *Node) mayCampaign() bool {
	if n.isVoter() {
		return true
	}
	if n.confIndex > n.commit {
		prev, _ := n.latestConfig(n.confIndex - 1)
		return prev.IsVoter(n.id)
	}
	return false
}

// tally counts the votes under the configuration in use: a majority of
// its voters, of both C_old and C_new during a joint change (§6).
func (n *Node) tally() VoteResult {
	return n.conf.Vote(func(id NodeID) (bool, bool) {
		i := n.memberPos(id)
		if i < 0 || n.votes[i] == voteUnknown {
			return false, false
		}
		return n.votes[i] == voteGranted, true
	})
}

// granted counts the votes granted so far.
func (n *Node) granted() int {
	k := 0
	for i, v := range n.votes {
		if v == voteGranted && n.conf.IsVoter(n.members[i]) {
			k++
		}
	}
	return k
}

// stepCandidate handles a message of the current term as a candidate.
func stepCandidate(n *Node, m Message) {
	switch m.Type {
	case MsgVote:
		n.handleVote(m) // we voted for ourselves, so this denies
	case MsgAppend, MsgSnap, MsgTimeoutNow:
		// Rules for Servers, Candidates 3: AppendEntries (or, §7,
		// InstallSnapshot; or a TimeoutNow, which only a leader sends) from
		// the new leader of this term: convert to follower.
		n.note(Reason{Code: FollowedLeader, Peer: m.From, Term: n.term})
		n.becomeFollower(n.term, m.From)
		stepFollower(n, m)
	case MsgVoteResp:
		i := n.memberPos(m.From)
		if i < 0 || !n.conf.IsVoter(m.From) || n.votes[i] != voteUnknown {
			return // not a voter, or a duplicated reply
		}
		if !m.Success {
			n.votes[i] = voteRefused
			n.note(Reason{Code: VoteRefused, Peer: m.From, Term: n.term})
			return
		}
		n.votes[i] = voteGranted
		granted := n.granted()
		n.note(Reason{Code: VoteReceived, Peer: m.From, Term: n.term, Got: uint64(granted), Want: uint64(majority(len(n.conf.Voters)))})
		// Rules for Servers, Candidates 2: votes from a majority: become leader.
		if n.tally() == VoteWon {
			n.becomeLeader(granted)
		}
	default:
		n.note(Reason{Code: ReplyIgnoredRole, Peer: m.From, Term: n.term})
	}
}

// voteForSelf starts a ballot (an election or a pre-vote) with no answer
// yet but the server's own vote (§5.2: "votes for itself").
func (n *Node) voteForSelf() {
	for i, p := range n.members {
		n.votes[i] = voteUnknown
		if p == n.id {
			n.votes[i] = voteGranted
		}
	}
}
