package raft

// A new server catches up before it votes (dissertation §4.2.1): the leader
// replicates to it in rounds, each bringing it to the leader's log as it
// was when the round began; once a round takes less than an election
// timeout it is close enough to be made a voter.

// startCatchUp begins the first round of replication to a new learner
// (dissertation §4.2.1): the round ends when it holds the leader's log as
// it is now.
func (n *Node) startCatchUp(pr *Progress) {
	pr.Round, pr.RoundEnd, pr.RoundStart, pr.CaughtUp = 1, n.log.lastIndex(), n.leaderTicks, false
}

// catchUp checks a learner's rounds after its matchIndex moved
// (dissertation §4.2.1): a round ends when it holds what the leader had at
// the round's start; if that took less than an election timeout, it is
// close enough to be promoted; otherwise another round starts, up to
// CatchUpRounds, after which the leader gives up and removes it.
func (n *Node) catchUp(pr *Progress) {
	if !n.conf.IsLearner(pr.ID) || pr.CaughtUp || pr.Match < pr.RoundEnd {
		return
	}
	took := n.leaderTicks - pr.RoundStart
	switch {
	case took < n.cfg.ElectionTimeoutMin:
		pr.CaughtUp = true
		n.note(Reason{Code: LearnerCaughtUp, Peer: pr.ID, Term: n.term, Index: pr.Match, Got: uint64(pr.Round), Want: uint64(took)})
	case pr.Round >= n.catchUpRounds():
		n.note(Reason{Code: CatchUpAborted, Peer: pr.ID, Term: n.term, Got: uint64(pr.Round), Want: uint64(took)})
		pr.Round = -1 // given up: removed as soon as a change may start
	default:
		pr.Round++
		pr.RoundEnd, pr.RoundStart = n.log.lastIndex(), n.leaderTicks
		n.note(Reason{Code: CatchUpRound, Peer: pr.ID, Term: n.term, Index: pr.RoundEnd, Got: uint64(pr.Round), Want: uint64(took)})
		// Nothing new arrived during the round: the next one is over
		// before it starts.
		n.catchUp(pr)
	}
}

func (n *Node) catchUpRounds() int {
	if n.cfg.CatchUpRounds > 0 {
		return n.cfg.CatchUpRounds
	}
	return 10 // dissertation §4.2.1: "a fixed number of rounds (such as 10)"
}

// catchUpTick gives up on a learner whose current round has lasted
// CatchUpRounds election timeouts: it is unavailable or too slow to ever
// catch up (dissertation §4.2.1).
func (n *Node) catchUpTick() {
	for i := range n.progress {
		pr := &n.progress[i]
		if pr.Round > 0 && !pr.CaughtUp && n.conf.IsLearner(pr.ID) &&
			n.leaderTicks-pr.RoundStart >= n.catchUpRounds()*n.cfg.ElectionTimeoutMax {
			n.note(Reason{Code: CatchUpAborted, Peer: pr.ID, Term: n.term, Got: uint64(pr.Round), Want: uint64(n.leaderTicks - pr.RoundStart)})
			pr.Round = -1
		}
	}
}
