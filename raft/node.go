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
	id    NodeID
	peers []NodeID // every voting member, sorted, self included
	cfg   Config

	// Persistent state on all servers (Figure 2).
	term Term
	vote NodeID
	log  raftLog

	// Volatile state on all servers (Figure 2).
	commit  Index
	applied Index

	role   Role
	leader NodeID

	electionElapsed  int
	electionTimeout  int
	heartbeatElapsed int

	// Candidate: votes[i] answers from peers[i].
	votes []voteAnswer
	// Leader: progress[i] is nextIndex/matchIndex for peers[i] (Figure 2,
	// volatile state on leaders).
	progress     []Progress
	lastDeferred Index

	// What the next Ready hands out.
	msgs      []Message
	notes     []Reason
	persisted HardState // last HardState handed out
	unstable  Index     // first log index not yet handed out for persistence
	step      func(*Node, Message)
}

type voteAnswer uint8

const (
	voteUnknown voteAnswer = iota
	voteGranted
	voteRefused
)

// Progress is what a leader knows of one follower's log.
type Progress struct {
	ID NodeID
	// Next is nextIndex: the index of the next entry to send (Figure 2).
	// While Probing is false the leader sends entries as they are proposed
	// and advances Next without waiting (pipelining); §5.3 allows it, as
	// nextIndex is only a guess that a rejection corrects.
	Next Index
	// Match is matchIndex: the highest index known to be replicated.
	Match Index
	// Probing means the leader is still searching for the point where the
	// logs agree and sends one AppendEntries at a time.
	Probing bool
	// Paused means a probe is outstanding; the next goes on a reply or a
	// heartbeat.
	Paused bool
}

// New creates a server with an empty log in term 0.
func New(cfg Config) (*Node, error) { return Restart(cfg, HardState{}, nil) }

// Restart creates a server from its persisted state alone: the HardState
// and the log as written by earlier Ready hand-offs. Volatile state (role,
// commitIndex, lastApplied, the leader's progress) starts afresh, as after a
// crash (Figure 2). Entries must be contiguous from index 1.
func Restart(cfg Config, hs HardState, entries []Entry) (*Node, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	for i, e := range entries {
		if e.Index != Index(i+1) || (i > 0 && e.Term < entries[i-1].Term) || e.Term > hs.Term {
			return nil, errors.New("raft: persisted log is not valid at entry " + strconv.Itoa(i+1))
		}
	}
	n := &Node{
		id:    cfg.ID,
		peers: slices.Sorted(slices.Values(cfg.Peers)),
		cfg:   cfg,
		term:  hs.Term,
		vote:  hs.VotedFor,
	}
	n.log.entries = slices.Clone(entries)
	n.votes = make([]voteAnswer, len(n.peers))
	n.progress = make([]Progress, len(n.peers))
	for i, p := range n.peers {
		n.progress[i].ID = p
	}
	n.persisted = n.hardState()
	n.unstable = n.log.lastIndex() + 1
	n.becomeFollower(n.term, None)
	n.resetElectionTimer()
	return n, nil
}

// ID returns the server's id.
func (n *Node) ID() NodeID { return n.id }

func (n *Node) peerPos(id NodeID) int {
	for i, p := range n.peers {
		if p == id {
			return i
		}
	}
	return -1
}

func (n *Node) quorum() int { return len(n.peers)/2 + 1 }

func (n *Node) hardState() HardState {
	hs := HardState{Term: n.term, VotedFor: n.vote}
	if n.cfg.Unsafe.ForgetVote {
		hs.VotedFor = None
	}
	return hs
}

func (n *Node) note(r Reason) { n.notes = append(n.notes, r) }

func (n *Node) send(m Message) {
	m.From = n.id
	m.Term = n.term
	n.msgs = append(n.msgs, m)
}

func (n *Node) resetElectionTimer() {
	n.electionElapsed = 0
	n.electionTimeout = n.cfg.ElectionTimeoutMin
	if span := n.cfg.ElectionTimeoutMax - n.cfg.ElectionTimeoutMin; span > 0 && n.cfg.Rand != nil {
		n.electionTimeout += n.cfg.Rand.Intn(span + 1)
	}
}

// Tick advances the server's logical clock by one tick.
func (n *Node) Tick() {
	if n.role == Leader {
		// Rules for Servers, Leaders 1: heartbeats during idle periods.
		n.heartbeatElapsed++
		if n.heartbeatElapsed >= n.cfg.HeartbeatTicks {
			n.heartbeat()
		}
		return
	}
	// Rules for Servers, Followers 2 and Candidates 4: time out, start an election.
	n.electionElapsed++
	if n.electionElapsed >= n.electionTimeout {
		n.campaign()
	}
}

// FireTimeout makes the server's timer expire now, a teaching action: a
// follower or candidate starts an election, a leader sends heartbeats.
func (n *Node) FireTimeout() {
	if n.role == Leader {
		n.heartbeat()
		return
	}
	n.campaign()
}

// Propose asks the server to append command to its log. It returns the
// index and term the entry will have if committed, and whether this server
// is the leader; a follower refuses and names the leader it knows (§5.1).
func (n *Node) Propose(command string) (Index, Term, bool) {
	return n.propose(EntryCommand, command)
}

func (n *Node) propose(kind EntryKind, data string) (Index, Term, bool) {
	if n.role != Leader {
		n.note(Reason{Code: ProposalRejected, Peer: n.leader, Term: n.term})
		return 0, n.term, false
	}
	// Rules for Servers, Leaders 2: append the command to the local log.
	idx := n.log.lastIndex() + 1
	n.log.append(Entry{Term: n.term, Index: idx, Kind: kind, Data: data})
	for i := range n.progress {
		if pr := &n.progress[i]; pr.ID != n.id && (!pr.Probing || !pr.Paused) {
			n.sendAppend(pr)
		}
	}
	n.maybeCommit() // a one-server cluster commits at once
	return idx, n.term, true
}

// Step hands the server one message. Every RPC and reply goes through the
// rule for all servers first, then through the role's step function.
func (n *Node) Step(m Message) {
	switch {
	case m.Term > n.term:
		// Rules for Servers, All Servers 2 (§5.1): a higher term in any
		// request or reply makes us adopt it and become a follower.
		n.note(Reason{Code: SteppedDown, Peer: m.From, Term: m.Term, Want: uint64(n.term)})
		leader := None
		if m.Type == MsgAppend {
			leader = m.From
		}
		n.becomeFollower(m.Term, leader)
	case m.Term < n.term:
		switch m.Type {
		case MsgVote:
			// RequestVote receiver 1: reply false if term < currentTerm.
			n.replyVote(m, false, Reason{Code: VoteDeniedStaleTerm, Peer: m.From, Term: n.term, Got: uint64(m.Term), Want: uint64(n.term)})
		case MsgAppend:
			// AppendEntries receiver 1: reply false if term < currentTerm;
			// our term in the reply makes the stale leader step down.
			n.rejectAppend(m, Reason{Code: AppendDeniedStaleTerm, Peer: m.From, Term: n.term, Got: uint64(m.Term), Want: uint64(n.term)}, 0, 0)
		default:
			// A reply from an earlier term answers a request we no longer
			// care about: drop it.
			n.note(Reason{Code: ReplyIgnoredStale, Peer: m.From, Term: n.term, Got: uint64(m.Term), Want: uint64(n.term)})
		}
		return
	}
	n.step(n, m)
}

// Status is a copy of the server's state for observers.
type Status struct {
	ID               NodeID
	Role             Role
	Term             Term
	VotedFor         NodeID
	Leader           NodeID
	CommitIndex      Index
	LastApplied      Index
	LastIndex        Index
	LastTerm         Term
	ElectionElapsed  int
	ElectionTimeout  int
	HeartbeatElapsed int
	// Votes lists the peers that granted their vote (candidates only).
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
		ElectionElapsed: n.electionElapsed, ElectionTimeout: n.electionTimeout,
		HeartbeatElapsed: n.heartbeatElapsed,
	}
	switch n.role {
	case Candidate:
		for i, v := range n.votes {
			if v == voteGranted {
				s.Votes = append(s.Votes, n.peers[i])
			}
		}
	case Leader:
		s.Progress = slices.Clone(n.progress)
	}
	return s
}

// Role returns the server's current role.
func (n *Node) Role() Role { return n.role }

// Term returns currentTerm.
func (n *Node) Term() Term { return n.term }

// VotedFor returns the server voted for in the current term, or None.
func (n *Node) VotedFor() NodeID { return n.vote }

// Leader returns the leader this server knows of, or None.
func (n *Node) Leader() NodeID { return n.leader }

// Entries returns the log. The slice is the server's own: read it, do not
// change it, and do not keep it past the next call into the server.
func (n *Node) Entries() []Entry { return n.log.entries }

// Peers returns the voting members, sorted.
func (n *Node) Peers() []NodeID { return slices.Clone(n.peers) }
