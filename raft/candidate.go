package raft

// campaign starts an election (Rules for Servers, Candidates 1, §5.2):
// increment currentTerm, vote for self, reset the election timer, and send
// RequestVote to every other server.
func (n *Node) campaign() {
	n.term++
	n.vote = n.id
	n.role = Candidate
	n.leader = None
	n.step = stepCandidate
	n.resetElectionTimer()
	for i, p := range n.peers {
		n.votes[i] = voteUnknown
		if p == n.id {
			n.votes[i] = voteGranted
		}
	}
	n.note(Reason{Code: ElectionStarted, Term: n.term})
	if n.quorum() == 1 {
		n.becomeLeader(1)
		return
	}
	lastIndex, lastTerm := n.log.lastIndex(), n.log.lastTerm()
	for _, p := range n.peers {
		if p != n.id {
			n.send(Message{Type: MsgVote, To: p, LastLogIndex: lastIndex, LastLogTerm: lastTerm})
		}
	}
}

// stepCandidate handles a message of the current term as a candidate.
func stepCandidate(n *Node, m Message) {
	switch m.Type {
	case MsgVote:
		n.handleVote(m) // we voted for ourselves, so this denies
	case MsgAppend, MsgSnap:
		// Rules for Servers, Candidates 3: AppendEntries (or, §7,
		// InstallSnapshot) from the new leader of this term: convert to
		// follower.
		n.note(Reason{Code: FollowedLeader, Peer: m.From, Term: n.term})
		n.becomeFollower(n.term, m.From)
		stepFollower(n, m)
	case MsgVoteResp:
		i := n.peerPos(m.From)
		if i < 0 || n.votes[i] != voteUnknown {
			return // not a voter, or a duplicated reply
		}
		if !m.Success {
			n.votes[i] = voteRefused
			n.note(Reason{Code: VoteRefused, Peer: m.From, Term: n.term})
			return
		}
		n.votes[i] = voteGranted
		granted := 0
		for _, v := range n.votes {
			if v == voteGranted {
				granted++
			}
		}
		n.note(Reason{Code: VoteReceived, Peer: m.From, Term: n.term, Got: uint64(granted), Want: uint64(n.quorum())})
		// Rules for Servers, Candidates 2: votes from a majority: become leader.
		if granted >= n.quorum() {
			n.becomeLeader(granted)
		}
	default:
		n.note(Reason{Code: ReplyIgnoredRole, Peer: m.From, Term: n.term})
	}
}
