package sim

import "raftlab/raft"

// Two checks of rules whose breaking harms no safety property: a voter's
// election timer (liveness) and a leader's knowledge of its followers'
// logs (the work it does). raft.UnsafeRules.ResetTimerOnAnyVote and
// BackOffOnStaleRejection break them, and nothing else.

// sentBy notes what s's messages say of its election timer: it stood for
// election (or a pre-vote), or granted a vote.
func (w *world) sentBy(s *server, msgs []raft.Message) {
	for _, m := range msgs {
		switch {
		case m.Type == raft.MsgVote, m.Type == raft.MsgPreVote, m.Type == raft.MsgVoteResp && m.Success:
			w.check.servers[s.id].quiet = 0
		}
	}
}

// heard notes that s heard from the leader of its term.
func (w *world) heard(s *server) { w.check.servers[s.id].quiet = 0 }

// ticked checks Rules for Servers, Followers 2 (§5.2) from outside after
// s's clock ticked (tickTo counts the ticks, then s handles them): a voter
// that for longer than its longest election timeout heard from no leader
// of its term, granted no vote and led nothing must have stood for
// election.
func (w *world) ticked(s *server) {
	n, cs := s.node, &w.check.servers[s.id]
	if n.Role() == raft.Leader {
		cs.quiet = 0
		return
	}
	if limit := w.sc.ElectionTimeoutMax; cs.quiet > limit {
		if m := n.Membership(); m.IsVoter(s.id) {
			w.check.report(Violation{Property: ElectionTimer, Nodes: []raft.NodeID{s.id}, Term: n.Term(), Count: cs.quiet}, w.reportViolation)
		}
		cs.quiet = 0 // reported once per stretch; a server outside the configuration does not stand
	}
}

// staleReply returns what leader s knows of the follower that sent m, when
// m replies to a request of an earlier term (ok false otherwise).
func staleReply(s *server, m raft.Message) (raft.Progress, bool) {
	n := s.node
	if (m.Type != raft.MsgAppendResp && m.Type != raft.MsgSnapResp) || n.Role() != raft.Leader || m.RequestTerm >= n.Term() {
		return raft.Progress{}, false
	}
	return progressFor(n, m.From), true
}

// progressFor is what leader n knows of id's log.
func progressFor(n *raft.Node, id raft.NodeID) raft.Progress {
	for _, pr := range n.Status().Progress {
		if pr.ID == id {
			return pr
		}
	}
	return raft.Progress{}
}

// repliedStale checks that leader s, in term, given reply m to a request
// of an earlier term, kept what it knew of the follower (before): such a
// reply tells nothing of the follower's log now (§5.3: nextIndex moves
// back on a failed consistency check).
func (w *world) repliedStale(s *server, term raft.Term, m raft.Message, before raft.Progress) {
	n := s.node
	if n == nil || n.Role() != raft.Leader || n.Term() != term {
		return
	}
	if after := progressFor(n, m.From); after.Next < before.Next || after.Match != before.Match {
		w.check.report(Violation{Property: ReplicationProgress, Nodes: []raft.NodeID{s.id, m.From}, Term: term,
			Index: before.Next, Last: after.Next, Got: m.RequestTerm}, w.reportViolation)
	}
}
