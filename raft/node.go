package raft

import (
	"errors"
	"slices"
	"strconv"
)

// Node is one Raft server as a pure state machine. It does nothing on its
// own: the caller feeds it ticks, messages and proposals, then collects what
// it must persist, send and apply through Ready and acknowledges with
// Advance. A Node is not safe for concurrent use.
type Node struct {
	id  NodeID
	cfg Config

	// The configuration in use: the latest in the log, committed or not
	// (dissertation §4.1), the entry it came from, and every server it
	// replicates to (voters, learners, outgoing voters), sorted.
	conf      Membership
	confIndex Index
	members   []NodeID
	// voterIn[i] and voterOut[i]: members[i] votes in C_new (Voters) and
	// in C_old (Outgoing).
	voterIn, voterOut []bool
	selfVoter         bool // this server votes in conf

	// Persistent state on all servers (Figure 2).
	term Term
	vote NodeID
	log  raftLog

	// The latest snapshot (§7), nil until the first; never changed once
	// made, so messages share it.
	snap *Snapshot

	// Volatile state on all servers (Figure 2).
	commit  Index
	applied Index

	role   Role
	leader NodeID

	electionElapsed  int
	electionTimeout  int
	heartbeatElapsed int

	// Candidate: votes[i] answers from members[i].
	votes []voteAnswer
	// Leader: progress[i] is nextIndex/matchIndex for members[i] (Figure
	// 2, volatile state on leaders).
	progress     []Progress
	lastDeferred Index
	// Leader: ticks since taking office (the clock for catch-up rounds),
	// and the voters a membership change is heading for (nil: none).
	leaderTicks   int
	pendingVoters []NodeID
	// Leader: the server leadership is being handed to (None: no transfer),
	// for how many ticks, and whether TimeoutNow has gone out (which ends
	// lease reads for the term).
	transferee      NodeID
	transferElapsed int
	timeoutNowSent  bool
	leaseOff        bool
	// Leader: the heartbeat round (Message.Context), when recent rounds
	// began (leader ticks), and reads waiting for a round to be answered.
	round      uint64
	termRound  uint64 // the first round of this leadership
	roundTicks [16]roundStart
	reads      []readRequest
	// Follower: ids of reads forwarded to the leader, not yet answered.
	forwarded []uint64

	// What the next Ready hands out.
	msgs       []Message
	notes      []Reason
	readStates []ReadState
	persisted  HardState // last HardState handed out
	unstable   Index     // first log index not yet handed out for persistence
	saveSnap   bool      // snap is to be saved
	restore    bool      // the state machine is to be reset from snap
	step       func(*Node, Message)
}

type voteAnswer uint8

const (
	voteUnknown voteAnswer = iota
	voteGranted
	voteRefused
)

// New creates a server with an empty log in term 0.
func New(cfg Config) (*Node, error) { return Restart(cfg, HardState{}, nil) }

// Restart creates a server from its persisted state alone: the HardState
// and the log as written by earlier Ready hand-offs. Volatile state (role,
// commitIndex, lastApplied, the leader's progress) starts afresh, as after a
// crash (Figure 2). Entries must be contiguous from index 1.
func Restart(cfg Config, hs HardState, entries []Entry) (*Node, error) {
	return RestartFromSnapshot(cfg, hs, Snapshot{}, entries)
}

// RestartFromSnapshot creates a server from its persisted state: the
// HardState, the latest snapshot (zero Index: none) and the log entries
// that follow it. commitIndex and lastApplied start at the snapshot's
// index, as everything in it is committed and applied; the first Ready
// hands the snapshot out to reset the state machine (§7).
func RestartFromSnapshot(cfg Config, hs HardState, snap Snapshot, entries []Entry) (*Node, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if snap.Term > hs.Term || (snap.Index == 0) != (snap.Term == 0) {
		return nil, errors.New("raft: persisted snapshot is not valid")
	}
	prevTerm := snap.Term
	for i, e := range entries {
		if e.Index != snap.Index+Index(i+1) || e.Term < prevTerm || e.Term > hs.Term {
			return nil, errors.New("raft: persisted log is not valid at entry " + strconv.Itoa(int(snap.Index)+i+1))
		}
		prevTerm = e.Term
	}
	n := &Node{
		id:   cfg.ID,
		cfg:  cfg,
		term: hs.Term,
		vote: hs.VotedFor,
	}
	n.cfg.Peers = slices.Clone(cfg.Peers)
	if snap.Index > 0 {
		s := snap
		s.Config = snap.Config.Clone()
		n.snap = &s
		n.log.offset, n.log.offsetTerm = snap.Index, snap.Term
		n.commit, n.applied = snap.Index, snap.Index
		n.restore = true
	}
	n.log.entries = slices.Clone(entries)
	conf, at := n.latestConfig(n.log.lastIndex())
	n.useConfig(conf, at, false)
	n.persisted = n.hardState()
	n.unstable = n.log.lastIndex() + 1
	n.becomeFollower(n.term, None)
	n.resetElectionTimer()
	return n, nil
}

// ID returns the server's id.
func (n *Node) ID() NodeID { return n.id }

func itoa(i Index) string { return strconv.FormatUint(uint64(i), 10) }

// memberPos is id's position in members, or -1.
func (n *Node) memberPos(id NodeID) int {
	for i, p := range n.members {
		if p == id {
			return i
		}
	}
	return -1
}

func (n *Node) hardState() HardState {
	hs := HardState{Term: n.term, VotedFor: n.vote}
	if n.cfg.Unsafe.ForgetVote {
		hs.VotedFor = None
	}
	return hs
}

// note records why a decision was taken, unless explanations are off.
func (n *Node) note(r Reason) {
	if !n.cfg.Quiet {
		n.notes = append(n.notes, r)
	}
}

func (n *Node) send(m Message) { n.sendInTerm(m, n.term) }

// sendInTerm sends m carrying term t, which is currentTerm except for
// pre-votes (§9.6), which speak of the term a candidate would stand in.
func (n *Node) sendInTerm(m Message, t Term) {
	m.From = n.id
	m.Term = t
	if n.cfg.Quiet {
		m.Reason = Reason{}
	}
	n.msgs = append(n.msgs, m)
}

func (n *Node) resetElectionTimer() {
	n.electionElapsed = 0
	n.electionTimeout = n.cfg.ElectionTimeoutMin
	if span := n.cfg.ElectionTimeoutMax - n.cfg.ElectionTimeoutMin; span > 0 && n.cfg.Rand != nil {
		n.electionTimeout += n.cfg.Rand.IntN(span + 1)
	}
}

// Tick advances the server's logical clock by one tick.
func (n *Node) Tick() {
	if n.role == Leader {
		n.tickLeader()
		n.leaderWork()
		return
	}
	// Rules for Servers, Followers 2 and Candidates 4: time out, start an election.
	n.electionElapsed++
	if n.electionElapsed >= n.electionTimeout {
		n.electionTimedOut()
	}
}

// tickLeader is a leader's clock: heartbeats, and the other timers it runs.
func (n *Node) tickLeader() {
	n.leaderTicks++
	// Rules for Servers, Leaders 1: heartbeats during idle periods.
	n.heartbeatElapsed++
	if n.heartbeatElapsed >= n.cfg.HeartbeatTicks {
		n.heartbeat()
	}
	if len(n.conf.Learners) > 0 {
		n.catchUpTick()
	}
	if n.transferee != None {
		n.transferTick()
	}
	if n.cfg.CheckQuorum {
		n.checkQuorumTick()
	}
}

// electionTimedOut starts an election, or first a pre-vote (§9.6).
func (n *Node) electionTimedOut() {
	if n.cfg.PreVote {
		n.preCampaign()
		return
	}
	n.campaign(false)
}

// FireTimeout makes the server's timer expire now, a teaching action: a
// follower or candidate starts an election, a leader sends heartbeats.
func (n *Node) FireTimeout() {
	if n.role == Leader {
		n.heartbeat()
		n.leaderWork()
		return
	}
	n.electionTimedOut()
}

// Propose asks the server to append command to its log. It returns the
// index and term the entry will have if committed, and whether this server
// is the leader; a follower refuses and names the leader it knows (§5.1).
func (n *Node) Propose(command string) (Index, Term, bool) {
	i, t, ok := n.propose(EntryCommand, command)
	n.leaderWork()
	return i, t, ok
}

// ProposeBatch asks the server to append several commands at once. It
// returns the index of the first, the term, and whether this server is the
// leader. Followers receive the batch in as few AppendEntries as
// MaxEntriesPerAppend allows.
func (n *Node) ProposeBatch(commands []string) (Index, Term, bool) {
	if len(commands) == 0 {
		return n.log.lastIndex() + 1, n.term, n.role == Leader
	}
	if !n.canPropose() {
		return 0, n.term, false
	}
	first := n.log.lastIndex() + 1
	n.log.entries = reserve(n.log.entries, len(commands))
	for i, c := range commands {
		n.log.append(Entry{Term: n.term, Index: first + Index(i), Kind: EntryCommand, Data: c})
	}
	n.replicate(true)
	n.leaderWork()
	return first, n.term, true
}

// Step hands the server one message. Every RPC and reply goes through the
// rules for all servers first, then through the role's step function.
func (n *Node) Step(m Message) {
	if (m.Type == MsgVote || m.Type == MsgPreVote) && m.Term > n.term && n.cfg.StickyLeader && !m.Transfer && n.leaderAlive() {
		// Dissertation §4.2.3: a vote request that arrives within the
		// minimum election timeout of hearing from a leader comes from a
		// server that is disrupting a working cluster: keep the term,
		// grant nothing. (A transfer's campaign is exempt.)
		n.note(Reason{Code: VoteIgnoredLeaderAlive, Peer: m.From, Term: m.Term, Got: uint64(n.electionElapsed), Want: uint64(n.cfg.ElectionTimeoutMin)})
		return
	}
	switch {
	case m.Type == MsgPreVote:
		// Dissertation §9.6: a pre-vote asks about a term the candidate
		// has not started; it changes no term, whatever its own.
		n.handlePreVote(m)
		return
	case m.Term > n.term && m.Type == MsgPreVoteResp && m.Success:
		// A granted pre-vote carries the term the pre-candidate proposes.
	case m.Term > n.term:
		// Rules for Servers, All Servers 2 (§5.1): a higher term in any
		// request or reply makes us adopt it and become a follower.
		n.note(Reason{Code: SteppedDown, Peer: m.From, Term: m.Term, Want: uint64(n.term)})
		leader := None
		if m.Type == MsgAppend || m.Type == MsgSnap {
			leader = m.From
		}
		n.becomeFollower(m.Term, leader)
	case m.Term < n.term && m.Type.IsResponse() && n.cfg.Unsafe.AcceptStaleReplies:
		// The mutant: a reply of an earlier term, handled as if current.
	case m.Term < n.term:
		switch m.Type {
		case MsgVote:
			// RequestVote receiver 1: reply false if term < currentTerm.
			n.replyVote(m, false, Reason{Code: VoteDeniedStaleTerm, Peer: m.From, Term: n.term, Got: uint64(m.Term), Want: uint64(n.term)})
		case MsgAppend:
			// AppendEntries receiver 1: reply false if term < currentTerm;
			// our term in the reply makes the stale leader step down.
			n.rejectAppend(m, Reason{Code: AppendDeniedStaleTerm, Peer: m.From, Term: n.term, Got: uint64(m.Term), Want: uint64(n.term)}, 0, 0)
		case MsgSnap:
			// InstallSnapshot receiver 1 (Figure 13): reply immediately
			// if term < currentTerm.
			why := Reason{Code: SnapshotDeniedStaleTerm, Peer: m.From, Term: n.term, Got: uint64(m.Term), Want: uint64(n.term)}
			n.note(why)
			n.send(Message{Type: MsgSnapResp, To: m.From, RequestTerm: m.Term, Reason: why})
		case MsgReadIndex:
			// A read forwarded in an older term: refuse; our term tells
			// the follower it is behind.
			n.refuseRead(m.Context, m.From)
		default:
			// A reply from an earlier term answers a request we no longer
			// care about (a TimeoutNow of an earlier term is out of date
			// too): drop it.
			n.note(Reason{Code: ReplyIgnoredStale, Peer: m.From, Term: n.term, Got: uint64(m.Term), Want: uint64(n.term)})
		}
		return
	}
	n.step(n, m)
	if n.role == Leader {
		n.leaderWork()
	}
}

// leaderAlive reports whether this server believes a leader is alive: it
// leads, or heard from its leader within the minimum election timeout.
func (n *Node) leaderAlive() bool {
	return n.role == Leader || (n.leader != None && n.electionElapsed < n.cfg.ElectionTimeoutMin)
}

// leaderWork runs, after each call into a leader, what it does on its own
// when conditions allow: membership steps (dissertation ch. 4) and reads
// that waited for an entry of its term to commit (§6.4).
func (n *Node) leaderWork() {
	if n.role != Leader {
		return
	}
	n.membershipWork()
	if n.role == Leader && len(n.reads) > 0 && n.reads[0].round == 0 && n.committedOwnTerm() {
		n.startWaitingReads()
	}
}

// Status is a copy of the server's state for observers.
type Status struct {
	ID          NodeID
	Role        Role
	Term        Term
	VotedFor    NodeID
	Leader      NodeID
	CommitIndex Index
	LastApplied Index
	LastIndex   Index
	LastTerm    Term
	// SnapshotIndex and SnapshotTerm are the latest snapshot's last
	// included index and term (zero: none).
	SnapshotIndex    Index
	SnapshotTerm     Term
	ElectionElapsed  int
	ElectionTimeout  int
	HeartbeatElapsed int
	// Membership is the configuration in use, from the entry at
	// ConfigIndex (dissertation §4.1).
	Membership  Membership
	ConfigIndex Index
	// Transferee is the server a leader is handing leadership to (None).
	Transferee NodeID
	// LeaseRemaining is how many more ticks a leader's read lease lasts.
	LeaseRemaining int
	// Votes lists the peers that granted their vote (candidates and
	// pre-candidates).
	Votes []NodeID
	// Progress is the leader's view of each follower (leaders only).
	Progress []Progress
}

// Status reports the server's state.
func (n *Node) Status() Status {
	s := Status{
		ID: n.id, Role: n.role, Term: n.term, VotedFor: n.vote, Leader: n.leader,
		CommitIndex: n.commit, LastApplied: n.applied,
		LastIndex: n.log.lastIndex(), LastTerm: n.log.lastTerm(),
		SnapshotIndex: n.log.offset, SnapshotTerm: n.log.offsetTerm,
		ElectionElapsed: n.electionElapsed, ElectionTimeout: n.electionTimeout,
		HeartbeatElapsed: n.heartbeatElapsed,
		Membership:       n.conf.Clone(), ConfigIndex: n.confIndex,
		Transferee: n.transferee, LeaseRemaining: n.LeaseRemaining(),
	}
	switch n.role {
	case Candidate, PreCandidate:
		for i, v := range n.votes {
			if v == voteGranted {
				s.Votes = append(s.Votes, n.members[i])
			}
		}
	case Leader:
		s.Progress = slices.Clone(n.progress)
	}
	return s
}

// CommitIndex returns commitIndex: the highest index known to be committed.
func (n *Node) CommitIndex() Index { return n.commit }

// AppliedIndex returns lastApplied: the highest index handed out for the
// state machine and acknowledged with Advance.
func (n *Node) AppliedIndex() Index { return n.applied }

// LastIndex returns the index of the last entry in the log.
func (n *Node) LastIndex() Index { return n.log.lastIndex() }

// SnapshotIndex returns the last index the latest snapshot includes (0:
// none); the log holds the entries after it.
func (n *Node) SnapshotIndex() Index { return n.log.offset }

// Snapshot returns the latest snapshot, or nil. It is shared: do not
// change it.
func (n *Node) Snapshot() *Snapshot { return n.snap }

// Role returns the server's current role.
func (n *Node) Role() Role { return n.role }

// Term returns currentTerm.
func (n *Node) Term() Term { return n.term }

// VotedFor returns the server voted for in the current term, or None.
func (n *Node) VotedFor() NodeID { return n.vote }

// Leader returns the leader this server knows of, or None.
func (n *Node) Leader() NodeID { return n.leader }

// Entries returns the log: the entries after SnapshotIndex. The slice is
// the server's own: read it, do not change it, and do not keep it past the
// next call into the server.
func (n *Node) Entries() []Entry { return n.log.entries }

// Peers returns the voters of the configuration in use (C_new during a
// joint change), sorted.
func (n *Node) Peers() []NodeID { return slices.Clone(n.conf.Voters) }
