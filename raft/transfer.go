package raft

import "errors"

// Leadership transfer (dissertation §3.10): the leader stops accepting
// client requests, brings the target's log up to date, and sends it
// TimeoutNow; the target starts an election at once, which its up-to-date
// log lets it win. A transfer that has not completed within an election
// timeout is aborted and the leader carries on.

// TransferLeadership starts handing leadership to to, a voter. It returns
// an error if this server is not the leader or to cannot lead.
func (n *Node) TransferLeadership(to NodeID) error {
	switch {
	case n.role != Leader:
		n.note(Reason{Code: ProposalRejected, Peer: n.leader, Term: n.term})
		return ErrNotLeader
	case to == n.id:
		return errors.New("raft: TransferLeadership: " + to.String() + " leads already")
	case !n.conf.IsVoter(to):
		n.note(Reason{Code: TransferRefusedNotVoter, Peer: to, Term: n.term})
		return errors.New("raft: TransferLeadership: " + to.String() + " is not a voter")
	case n.transferee == to:
		return nil // under way
	}
	n.transferee, n.transferElapsed, n.timeoutNowSent = to, 0, false
	pr := n.progressOf(to)
	n.note(Reason{Code: TransferStarted, Peer: to, Term: n.term, Index: n.log.lastIndex(), Got: uint64(pr.Match)})
	n.maybeTimeoutNow(pr)
	n.leaderWork()
	return nil
}

// Transferee returns the server leadership is being handed to, or None.
func (n *Node) Transferee() NodeID { return n.transferee }

// maybeTimeoutNow tells the transfer's target to campaign once its log
// matches ours; until then it makes sure entries are on their way.
func (n *Node) maybeTimeoutNow(pr *Progress) {
	if n.transferee != pr.ID || n.timeoutNowSent {
		return
	}
	if pr.Match < n.log.lastIndex() {
		if !pr.Paused && pr.Next <= n.log.lastIndex() {
			n.sendAppend(pr)
		}
		return
	}
	n.timeoutNowSent = true
	// A target elected on TimeoutNow may commit before we hear of its
	// term: no lease read may be served from here on in this term.
	n.leaseOff = true
	n.note(Reason{Code: TimeoutNowSent, Peer: pr.ID, Term: n.term, Index: pr.Match})
	n.send(Message{Type: MsgTimeoutNow, To: pr.ID})
}

// transferTick aborts a transfer that has lasted an election timeout.
func (n *Node) transferTick() {
	n.transferElapsed++
	if n.transferElapsed >= n.cfg.ElectionTimeoutMin {
		n.note(Reason{Code: TransferAborted, Peer: n.transferee, Term: n.term, Got: uint64(n.transferElapsed)})
		n.transferee = None
	}
}

// handleTimeoutNow starts an election at once, as the leader asked: no
// pre-vote, and voters that ignore vote requests while a leader is alive
// answer this one.
func (n *Node) handleTimeoutNow(m Message) {
	if !n.mayCampaign() {
		n.note(Reason{Code: TimeoutNowIgnored, Peer: m.From, Term: n.term})
		return
	}
	n.note(Reason{Code: TimeoutNowReceived, Peer: m.From, Term: n.term})
	n.campaign(true)
}
