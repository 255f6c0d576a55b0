package raft

import "strconv"

// NodeID names a server. IDs start at 1 and are shown as S1, S2, ...
// Zero means "nobody" (no vote cast, no leader known).
type NodeID uint8

// None is the zero NodeID: no vote, no known leader.
const None NodeID = 0

// String renders the id the way the paper's figures do: S1, S2, ...
func (id NodeID) String() string {
	if id == None {
		return "none"
	}
	return "S" + strconv.Itoa(int(id))
}

// Term is a Raft term number (§5.1).
type Term uint64

// Index is a position in the log; the first entry has index 1 (§5.3).
type Index uint64

// Role is the state a server is in (§5.1, Figure 4).
type Role uint8

const (
	Follower Role = iota
	Candidate
	Leader
	// PreCandidate asks whether it could win an election before starting
	// one (Config.PreVote; dissertation §9.6).
	PreCandidate
)

var roleNames = [...]string{"Follower", "Candidate", "Leader", "PreCandidate"}

func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return "Role(" + strconv.Itoa(int(r)) + ")"
}

// EntryKind says what a log entry carries.
type EntryKind uint8

const (
	// EntryCommand is a client command for the state machine.
	EntryCommand EntryKind = iota
	// EntryNoop is the blank entry a new leader appends to commit
	// entries of earlier terms (§8).
	EntryNoop
	// EntryConfig carries a configuration, as Membership.String writes it
	// (§6; dissertation chapter 4).
	EntryConfig
)

var entryKindNames = [...]string{"command", "noop", "config"}

func (k EntryKind) String() string {
	if int(k) < len(entryKindNames) {
		return entryKindNames[k]
	}
	return "EntryKind(" + strconv.Itoa(int(k)) + ")"
}

// Entry is one log entry: the term in which a leader created it, its
// position, and what it carries.
type Entry struct {
	Term  Term
	Index Index
	Kind  EntryKind
	Data  string
}

// MsgType is the kind of RPC a message carries (Figure 2).
type MsgType uint8

const (
	MsgVote          MsgType = iota // RequestVote RPC
	MsgVoteResp                     // RequestVote reply
	MsgAppend                       // AppendEntries RPC (a heartbeat when it has no entries)
	MsgAppendResp                   // AppendEntries reply
	MsgSnap                         // InstallSnapshot RPC (Figure 13)
	MsgSnapResp                     // InstallSnapshot reply
	MsgPreVote                      // a pre-vote request (dissertation §9.6)
	MsgPreVoteResp                  // a pre-vote reply
	MsgTimeoutNow                   // a leader hands over: campaign now (dissertation §3.10)
	MsgReadIndex                    // a follower asks the leader for a read index (dissertation §6.4)
	MsgReadIndexResp                // the leader's answer: serve the read once applied through LeaderCommit
)

var msgTypeNames = [...]string{"RequestVote", "RequestVoteReply", "AppendEntries", "AppendEntriesReply",
	"InstallSnapshot", "InstallSnapshotReply", "PreVote", "PreVoteReply", "TimeoutNow", "ReadIndex", "ReadIndexReply"}

func (t MsgType) String() string {
	if int(t) < len(msgTypeNames) {
		return msgTypeNames[t]
	}
	return "MsgType(" + strconv.Itoa(int(t)) + ")"
}

// IsResponse reports whether t is a reply to an RPC.
func (t MsgType) IsResponse() bool {
	switch t {
	case MsgVoteResp, MsgAppendResp, MsgSnapResp, MsgPreVoteResp, MsgReadIndexResp:
		return true
	}
	return false
}

// Message is one RPC or reply. The fields used depend on Type; they are
// named after Figure 2's arguments and results.
type Message struct {
	Type MsgType
	From NodeID
	To   NodeID
	// Success is the result: voteGranted for MsgVoteResp and
	// MsgPreVoteResp, success for MsgAppendResp; MsgSnapResp succeeds
	// unless it refuses a stale term; MsgReadIndexResp succeeds if the
	// leader confirmed the read. (The small fields come first, so that a
	// message packs tightly: they are copied often.)
	Success bool
	// Transfer marks a RequestVote sent on a leader's TimeoutNow: servers
	// that ignore vote requests while a leader is alive (Config.StickyLeader)
	// answer it (dissertation §4.2.3).
	Transfer bool
	// Term is the sender's currentTerm (every RPC and reply carries it).
	Term Term

	// RequestVote (and pre-vote) arguments: the candidate's last log entry
	// (§5.4.1). A pre-vote's Term is the term the candidate would stand in.
	LastLogIndex Index
	LastLogTerm  Term

	// AppendEntries arguments.
	PrevLogIndex Index
	PrevLogTerm  Term
	Entries      []Entry
	LeaderCommit Index

	// InstallSnapshot arguments (Figure 13): the snapshot with its last
	// included index and term, sent whole (no chunks). Snapshots are never
	// changed once made, so messages share them.
	Snapshot *Snapshot

	// Results (and Success, above).
	// MatchIndex, on a successful append reply, is prevLogIndex plus the
	// number of entries the request carried: what the follower is now
	// known to hold. On a rejection it echoes the request's prevLogIndex
	// so the leader can tell a stale rejection from a fresh one. On a
	// snapshot reply it is the index through which the follower's log now
	// matches the leader's: the snapshot's, or the follower's commitIndex
	// when that is further.
	MatchIndex Index
	// RequestTerm, on a reply, echoes the term of the request it answers,
	// so that a leader can tell a refusal of an older term's request
	// (which says nothing about the follower's log) from one of its own.
	RequestTerm Term
	// ConflictTerm and ConflictIndex are the follower's hint for a fast
	// nextIndex backoff (§5.3, the optimization at the end of the section).
	ConflictTerm  Term
	ConflictIndex Index
	// Context, on AppendEntries, is the leader's heartbeat round when it
	// sent the request, and its reply echoes it: a reply to round r shows
	// the follower still took the sender as leader after r began (ReadIndex
	// and leases, dissertation §6.4). On MsgReadIndex and its reply it is the
	// read's id.
	Context uint64
	// Reason explains a rejection (or a grant) so a learner can ask "why?".
	Reason Reason
}

// HardState is what a server must keep on stable storage besides its log
// (Figure 2, "Persistent state on all servers").
type HardState struct {
	Term     Term
	VotedFor NodeID
}
