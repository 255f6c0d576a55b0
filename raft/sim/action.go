package sim

import "raftlab/raft"

// Op names what an Action does.
type Op uint8

const (
	OpNone      Op = iota
	OpNext         // run to the next event (a message arrives or a timer fires)
	OpAdvance      // advance virtual time by Amount milliseconds
	OpDeliver      // deliver one in-flight message now (chosen by Msg)
	OpDrop         // drop one in-flight message
	OpDuplicate    // duplicate one in-flight message
	OpFlush        // deliver every in-flight message, in arrival order, until none is left (bounded)
	OpTimeout      // fire Node's election timeout now (a leader sends heartbeats)
	OpPropose      // a client asks Node to run Command ("set k v", "del k")
	OpRead         // a client reads Key locally at Node (possibly stale)
	OpCrash        // crash Node: volatile state and in-flight messages to it are lost
	OpRestart      // restart Node from its persisted state (Amnesia may lose some)
	OpPartition    // split the servers into Groups; messages between groups are lost
	OpCut          // cut the link From→To (and To→From unless OneWay)
	OpRestore      // restore the link From→To (and To→From unless OneWay)
	OpHeal         // restore every link
	OpDropRate     // set the chance (per mille, Amount) that a sent message is lost
	OpLatency      // set message latency bounds: Amount to Amount2 milliseconds
	OpFreeze       // stop every election and heartbeat timer
	OpUnfreeze     // start the timers again
	OpDropAll      // drop every message in flight
	opCount
)

// Amnesia is what a teaching restart forgets of the persisted state.
type Amnesia uint8

const (
	AmnesiaNone Amnesia = iota
	// AmnesiaVote forgets votedFor, so the server may vote twice in a term.
	AmnesiaVote
	// AmnesiaLogTail loses the last Amount entries of the persisted log.
	AmnesiaLogTail
)

// MsgSelector picks an in-flight message: by id when ID is non-zero,
// otherwise the earliest-arriving message matching From, To and Type (zero
// From or To matches any server; AnyType matches any type).
type MsgSelector struct {
	ID      int
	From    raft.NodeID
	To      raft.NodeID
	Type    raft.MsgType
	AnyType bool
}

// Action is one thing a learner, a tutorial or a test does to the cluster.
// A run is a Scenario, a seed and a list of Actions; replaying it gives the
// same events.
type Action struct {
	Op      Op
	Node    raft.NodeID
	Msg     MsgSelector
	Command string // OpPropose
	Key     string // OpRead
	Amount  int64  // OpAdvance ms, OpDropRate per mille, OpLatency min, AmnesiaLogTail count, OpNext/OpAdvance repeat
	Amount2 int64  // OpLatency max
	Amnesia Amnesia
	From    raft.NodeID // OpCut, OpRestore
	To      raft.NodeID
	OneWay  bool
	Groups  [][]raft.NodeID // OpPartition
}
