package raft

// Linearizable reads without a log entry (dissertation §6.4). ReadIndex:
// the leader notes its commitIndex, confirms with a round of heartbeats
// that no other leader has been elected, and the read is served once the
// state machine has applied that index. A follower forwards the request to
// the leader. LeaseRead (§6.4.1): a leader whose heartbeats a majority has
// acknowledged recently knows no other leader can exist until the lease
// ends, and serves at once.

// ReadState answers a read asked for with ReadIndex or LeaseRead: serve it
// from the state machine once it has applied through Index. Refused means
// it could not be served here (no leader known, leadership lost): retry,
// perhaps elsewhere.
type ReadState struct {
	ID      uint64
	Index   Index
	Refused bool
}

// readRequest is a read a leader is confirming: who asked, the index it
// will be served at, and the heartbeat round whose answers confirm it (0:
// waiting for an entry of the leader's term to commit).
type readRequest struct {
	id    uint64
	from  NodeID
	index Index
	round uint64
}

// roundStart is when (leader ticks) a heartbeat round began.
type roundStart struct {
	round uint64
	tick  int
}

// MaxPendingReads bounds the reads a server holds unanswered — a leader
// confirming them, a follower waiting for its leader — so that memory
// stays bounded when answers never come; a read beyond it is refused.
const MaxPendingReads = 1024

// ReadIndex asks for a linearizable read with the caller's id; the answer
// comes as a ReadState in a later Ready.
func (n *Node) ReadIndex(id uint64) {
	switch {
	case len(n.reads) >= MaxPendingReads || len(n.forwarded) >= MaxPendingReads:
		n.refuseRead(id, n.id)
	case n.role == Leader:
		n.leaderRead(id, n.id)
		n.leaderWork()
	case n.role == Follower && n.leader != None:
		// §6.4: a follower asks the leader for the read index.
		n.note(Reason{Code: ReadForwarded, Peer: n.leader, Term: n.term, Got: id})
		n.forwarded = append(n.forwarded, id)
		n.send(Message{Type: MsgReadIndex, To: n.leader, Context: id})
	default:
		n.refuseRead(id, n.id)
	}
}

// LeaseRead asks for a read served under the leader's lease (§6.4.1): at
// once if the lease holds, else it goes the ReadIndex way. Only a leader
// serves it (others refuse), and only with Config.StickyLeader, which is
// what keeps the other servers from electing a new leader during the lease.
func (n *Node) LeaseRead(id uint64) {
	if n.role != Leader {
		n.refuseRead(id, n.id)
		return
	}
	if left := n.LeaseRemaining(); (left > 0 || n.cfg.Unsafe.LeaseReadWithoutLease) && n.termCommittedForReads() {
		n.note(Reason{Code: LeaseReadServed, Term: n.term, Index: n.commit, Got: id, Want: uint64(left)})
		n.readStates = append(n.readStates, ReadState{ID: id, Index: n.commit})
		return
	}
	n.note(Reason{Code: LeaseExpired, Term: n.term, Got: id})
	n.leaderRead(id, n.id)
	n.leaderWork()
}

// LeaseRemaining is how many more ticks this leader's lease lasts (0: none
// or over): the minimum election timeout, shortened by
// Config.LeaseDriftPerMille, from the start of the latest heartbeat round a
// majority has answered.
func (n *Node) LeaseRemaining() int {
	if n.role != Leader || !n.cfg.StickyLeader || n.leaseOff {
		return 0
	}
	r := n.ackedRound()
	s := n.roundTicks[r%uint64(len(n.roundTicks))]
	if r == 0 || s.round != r {
		return 0 // no round answered this term, or too long ago to remember
	}
	lease := n.cfg.ElectionTimeoutMin * 1000 / (1000 + n.cfg.LeaseDriftPerMille)
	return max(0, s.tick+lease-n.leaderTicks)
}

// leaderRead registers a read at this leader for from (itself or a
// follower).
func (n *Node) leaderRead(id uint64, from NodeID) {
	if len(n.reads) >= MaxPendingReads {
		n.refuseRead(id, from)
		return
	}
	r := readRequest{id: id, from: from}
	if !n.termCommittedForReads() || (len(n.reads) > 0 && n.reads[len(n.reads)-1].round == 0) {
		// §6.4 step 1: until an entry of its term has committed, the
		// leader's commitIndex may be behind the cluster's.
		n.note(Reason{Code: ReadWaitsForTerm, Peer: from, Term: n.term, Got: id, Want: uint64(n.commit)})
		n.reads = append(n.reads, r)
		return
	}
	r.index = n.commit
	n.reads = append(n.reads, r)
	n.confirmRound(r.index)
}

// termCommittedForReads reports whether the leader's commitIndex is known
// to be the cluster's: an entry of its own term has committed (§6.4 step
// 1), which UnsafeRules.ReadBeforeTermCommit pretends.
func (n *Node) termCommittedForReads() bool {
	return n.committedOwnTerm() || n.cfg.Unsafe.ReadBeforeTermCommit
}

// startWaitingReads gives the reads that waited for an entry of the term to
// commit their index and a round to confirm it.
func (n *Node) startWaitingReads() {
	for i := range n.reads {
		if n.reads[i].round == 0 {
			n.reads[i].index = n.commit
		}
	}
	n.confirmRound(n.commit)
}

// confirmRound starts a heartbeat round that confirms the unconfirmed reads
// (§6.4 step 3), or serves them at once when this server alone is a
// majority.
func (n *Node) confirmRound(index Index) {
	n.broadcastRound()
	for i := range n.reads {
		if n.reads[i].round == 0 {
			n.reads[i].round = n.round
		}
	}
	n.note(Reason{Code: ReadIndexRound, Term: n.term, Index: index, Got: n.round})
	n.serveReads()
}

// ackedRound is the latest heartbeat round a majority has answered
// (counting this leader, which is in every round it starts).
func (n *Node) ackedRound() uint64 {
	r := uint64(n.conf.Committed(func(id NodeID) Index {
		if id == n.id {
			return Index(n.round)
		}
		if pr := n.progressOf(id); pr != nil {
			return Index(pr.AckedRound)
		}
		return 0
	}))
	if r < n.termRound {
		return 0 // answers to rounds of an earlier term confirm nothing now
	}
	return r
}

// serveReads answers the reads whose round a majority has answered (§6.4
// step 4): the leader was still the leader when they arrived.
func (n *Node) serveReads() {
	acked := n.ackedRound()
	if n.cfg.Unsafe.ReadIndexWithoutRound {
		acked = n.round // the mutant: every round counts as answered
	}
	k := 0
	for ; k < len(n.reads); k++ {
		r := n.reads[k]
		if r.round == 0 || r.round > acked {
			break
		}
		n.note(Reason{Code: ReadIndexConfirmed, Peer: r.from, Term: n.term, Index: r.index, Got: r.id})
		if r.from == n.id {
			n.readStates = append(n.readStates, ReadState{ID: r.id, Index: r.index})
		} else {
			n.send(Message{Type: MsgReadIndexResp, To: r.from, Context: r.id, LeaderCommit: r.index, Success: true})
		}
	}
	n.reads = n.reads[:copy(n.reads, n.reads[k:])]
}

// refuseRead answers a read that cannot be served here: a ReadState for a
// local one, a refusal for a follower's.
func (n *Node) refuseRead(id uint64, from NodeID) {
	n.note(Reason{Code: ReadRefused, Peer: n.leader, Term: n.term, Got: id})
	if from == n.id {
		n.readStates = append(n.readStates, ReadState{ID: id, Refused: true})
		return
	}
	n.send(Message{Type: MsgReadIndexResp, To: from, Context: id})
}

// dropReads refuses every read a leader was confirming, as it steps down.
func (n *Node) dropReads() {
	for _, r := range n.reads {
		n.refuseRead(r.id, r.from)
	}
	n.reads = n.reads[:0]
}

// dropForwardedReads refuses the reads forwarded to a leader this server
// no longer follows: their answers would come from a past term.
func (n *Node) dropForwardedReads() {
	for _, id := range n.forwarded {
		n.note(Reason{Code: ReadRefused, Peer: n.leader, Term: n.term, Got: id})
		n.readStates = append(n.readStates, ReadState{ID: id, Refused: true})
	}
	n.forwarded = n.forwarded[:0]
}

// handleReadIndexResp delivers the leader's answer to a forwarded read.
func (n *Node) handleReadIndexResp(m Message) {
	i := -1
	for j, id := range n.forwarded {
		if id == m.Context {
			i = j
			break
		}
	}
	if i < 0 || m.From != n.leader {
		n.note(Reason{Code: ReplyIgnoredRole, Peer: m.From, Term: n.term})
		return
	}
	n.forwarded = append(n.forwarded[:i], n.forwarded[i+1:]...)
	if !m.Success {
		n.note(Reason{Code: ReadRefused, Peer: m.From, Term: n.term, Got: m.Context})
		n.readStates = append(n.readStates, ReadState{ID: m.Context, Refused: true})
		return
	}
	n.note(Reason{Code: ReadIndexConfirmed, Peer: m.From, Term: n.term, Index: m.LeaderCommit, Got: m.Context})
	n.readStates = append(n.readStates, ReadState{ID: m.Context, Index: m.LeaderCommit})
}
