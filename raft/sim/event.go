package sim

import "raftlab/raft"

// EventKind says what happened.
type EventKind uint8

const (
	EvNote         EventKind = iota // a server decided something; Reason says what and why
	EvSend                          // Node sent message Msg to Peer
	EvDeliver                       // message Msg from Peer arrived at Node
	EvDrop                          // the learner dropped message Msg
	EvLost                          // message Msg was lost; Reason.Code is unused, Text says why (see LossCause)
	EvDuplicate                     // message Msg was duplicated as Dup
	EvTimeout                       // the learner fired Node's timer
	EvPropose                       // Node, the leader, appended client request Op (command Text) at Index in Term
	EvRedirect                      // Node refused request Op: it is not the leader and names Peer (None: unknown), or it is handing leadership to Peer
	EvNoAnswer                      // client request Op to Node got no answer: Node is down
	EvRead                          // Node served read Op of key Text by Path (at Index): Value (Found false: not set)
	EvApply                         // Node applied entry Index (Term, command Text)
	EvCrash                         // Node crashed
	EvRestart                       // Node restarted from its persisted state (Amnesia says what it forgot)
	EvNetwork                       // the network changed (partition, cut, heal, drop rate, latency)
	EvTimers                        // timers were frozen (Found true) or unfrozen
	EvViolation                     // the checker found a safety violation (Violation)
	EvPersist                       // Node wrote to its disk: Term and Vote when Saved, Entries from Index on
	EvSnapshot                      // Node stored a snapshot through Index (of Term) and dropped its log through it (§7)
	EvRestore                       // Node's state machine started over from its snapshot through Index (of Term)
	EvAnswer                        // Node answered write Op (command Text): applied at Index (Found), or failed: another entry took Index
	EvReadAsk                       // a client asked Node for read Op of key Text by Path
	EvReadFailed                    // Node refused read Op of key Text: it could not confirm it (the client may retry)
	EvLostRequest                   // Node crashed before answering request Op (a write, Found, of command Text: it may yet take effect; or a read of key Text)
	EvTransfer                      // the learner asked Node to hand leadership to Peer (dissertation §3.10)
	EvAddServer                     // Node was asked to add Peer to the cluster
	EvRemoveServer                  // Node was asked to remove Peer from the cluster
	EvChangeVoters                  // Node was asked to make the servers of Text ("S1 S2 S3") the voters
	EvLostWrite                     // Node crashed before storing what it had sent messages about (HostRules.PersistAfterSend): Term and Vote when Saved, Entries from Index on
	eventKindCount
)

var eventKindNames = [eventKindCount]string{
	"note", "send", "deliver", "drop", "lost", "duplicate", "timeout", "propose",
	"redirect", "no-answer", "read", "apply", "crash", "restart", "network", "timers", "violation", "persist",
	"snapshot", "restore", "answer", "read-ask", "read-failed", "lost-request", "transfer",
	"add-server", "remove-server", "change-voters", "lost-write",
}

func (k EventKind) String() string {
	if k < eventKindCount {
		return eventKindNames[k]
	}
	return "event"
}

// LossCause says why a message was lost.
type LossCause uint8

const (
	LostLinkCut      LossCause = iota + 1 // the link was cut when it was sent or arrived
	LostRandom                            // the drop rate lost it
	LostReceiverDown                      // the receiver was crashed when it arrived
	LostNetworkFull                       // MaxInFlight messages were in flight when it was sent
)

// Event is one thing that happened in the run. Which fields matter depends on
// Kind. Events are values: the readable trace line and the structured form
// both come from the same Event.
//
// The event stream is complete: with the scenario's starting state
// (Cluster.StartState), the events of a server say all its state at every
// moment — its role, term, vote and leader on each of its events, its log
// from what each step stored (EvPersist, EvSnapshot), its commit index from
// its notes, what it applied (EvApply; EvRestore: everything through the
// snapshot, which is committed), its crashes and restarts.
type Event struct {
	Seq    int   // position in the run's event stream, from 0
	Time   int64 // virtual milliseconds
	Action int   // index of the action that caused it; -1 during scenario setup
	Kind   EventKind

	Node raft.NodeID
	// Role, Term, Vote and Leader are Node's when the event is recorded: a
	// message is recorded as it arrives, before the server handles it, and
	// a server's notes, writes and messages after its step. (EvPropose,
	// EvApply: Term is the entry's term. EvSnapshot, EvRestore: the
	// snapshot's. EvPersist: Term and Vote are what the disk holds.
	// EvLostWrite: what the disk never got.)
	Role   raft.Role
	Term   raft.Term
	Vote   raft.NodeID
	Leader raft.NodeID
	// DecidedAs is the role Node had when it made the decision of a note
	// (EvNote): "S2 Candidate: vote from S1" for the vote that makes S2
	// leader.
	DecidedAs raft.Role
	Peer      raft.NodeID

	Msg     int // message id (EvNote: the message the decision answers, 0 if none)
	Dup     int // EvDuplicate: the new copy's id
	MsgType raft.MsgType
	Loss    LossCause
	// Summary describes the message of a send, deliver, drop, loss or
	// duplicate event.
	Summary MsgSummary

	Reason raft.Reason

	// EntryKind is what the entry carries (EvApply).
	EntryKind raft.EntryKind
	// Config is the snapshot's configuration (EvSnapshot, EvRestore; nil
	// when the snapshot holds none): the configuration in force at its
	// index. Shared with the snapshot: do not change it.
	Config *raft.Membership

	// Snapshot is the snapshot a server restarted from (EvRestart; 0:
	// none): its last included index.
	Snapshot raft.Index

	Index   raft.Index   // EvPersist: the first entry written; EvRestart: the last on disk
	Entries []raft.Entry // EvPersist: the entries written; the log is cut before Index first
	Saved   bool         // EvPersist: Term and Vote were written
	Text    string       // command or key
	Value   string       // EvRead
	Found   bool         // EvRead: key present; EvTimers: frozen
	Amnesia Amnesia
	// Op is the client operation of a request, an answer or a read (see
	// ClientOp), and Path the way a read is served.
	Op      int
	Path    ReadPath
	Network *Action // EvNetwork: the network action taken

	Violation *Violation
}

// MsgSummary is what a trace line shows of a message.
type MsgSummary struct {
	Term         raft.Term
	LastLogIndex raft.Index
	LastLogTerm  raft.Term
	PrevLogIndex raft.Index
	PrevLogTerm  raft.Term
	Entries      int
	LeaderCommit raft.Index
	Success      bool
	MatchIndex   raft.Index
	Reason       raft.ReasonCode
	// InstallSnapshot: the snapshot's last included index and term.
	SnapshotIndex raft.Index
	SnapshotTerm  raft.Term
	// ReadIndex and its reply: the read's id (Message.Context).
	Read uint64
}

func summarize(m raft.Message) MsgSummary {
	s := MsgSummary{Term: m.Term, LastLogIndex: m.LastLogIndex, LastLogTerm: m.LastLogTerm,
		PrevLogIndex: m.PrevLogIndex, PrevLogTerm: m.PrevLogTerm, Entries: len(m.Entries),
		LeaderCommit: m.LeaderCommit, Success: m.Success, MatchIndex: m.MatchIndex, Reason: m.Reason.Code}
	switch m.Type {
	case raft.MsgSnap:
		if m.Snapshot != nil {
			s.SnapshotIndex, s.SnapshotTerm = m.Snapshot.Index, m.Snapshot.Term
		}
	case raft.MsgReadIndex, raft.MsgReadIndexResp:
		s.Read = m.Context
	}
	return s
}
