package sim

import "raftlab/raft"

// Op names what an Action does.
type Op uint8

const (
	OpNone         Op = iota
	OpNext            // run to the next event Steps times (a message arrives or a timer fires)
	OpAdvance         // advance virtual time by Millis
	OpDeliver         // deliver one in-flight message now (chosen by Msg)
	OpDrop            // drop one in-flight message
	OpDuplicate       // duplicate one in-flight message
	OpFlush           // deliver every in-flight message, in arrival order, until none is left (bounded)
	OpTimeout         // fire Node's election timeout now (a leader sends heartbeats)
	OpPropose         // a client asks Node to run Command ("set k v", "del k")
	OpRead            // a client reads Key at Node, by Path (local: possibly stale)
	OpCrash           // crash Node: volatile state and in-flight messages to it are lost
	OpRestart         // restart Node from its persisted state (Amnesia may lose some)
	OpPartition       // split the servers into Groups; messages between groups are lost
	OpCut             // cut the link From→To (and To→From unless OneWay)
	OpRestore         // restore the link From→To (and To→From unless OneWay)
	OpHeal            // restore every link
	OpDropRate        // set the chance (PerMille) that a sent message is lost
	OpLatency         // set message latency bounds: LatencyMin to LatencyMax milliseconds
	OpFreeze          // stop every election and heartbeat timer
	OpUnfreeze        // start the timers again
	OpDropAll         // drop every message in flight
	OpCompact         // Node compacts its log through the entries it applied (§7)
	OpAddServer       // Node, the leader, is asked to add Peer to the cluster (dissertation §4.1)
	OpRemoveServer    // Node, the leader, is asked to remove Peer from the cluster
	OpChangeVoters    // Node, the leader, is asked to make Voters the voters (joint consensus, §6)
	OpTransfer        // Node, the leader, hands leadership to To (dissertation §3.10)
	opCount
)

// actionTable is every action, by Op: its words, arguments, limits, how it
// applies, how often random schedules pick it and its JavaScript method.
// The entries live with the actions of the same concern:
// action_time.go, action_messages.go, action_servers.go,
// action_clients.go, action_reads.go, action_leadership.go,
// action_network.go, action_snapshot.go and action_membership.go.
var actionTable = [opCount]*actionSpec{
	OpNext: &nextAction, OpAdvance: &advanceAction, OpFreeze: &freezeAction, OpUnfreeze: &unfreezeAction,
	OpDeliver: &deliverAction, OpDrop: &dropAction, OpDuplicate: &duplicateAction, OpFlush: &flushAction,
	OpDropAll: &dropAllAction,
	OpTimeout: &timeoutAction, OpCrash: &crashAction, OpRestart: &restartAction,
	OpPropose: &proposeAction, OpRead: &readAction, OpTransfer: &transferAction,
	OpPartition: &partitionAction, OpCut: &cutAction, OpRestore: &restoreAction, OpHeal: &healAction,
	OpDropRate: &dropRateAction, OpLatency: &latencyAction,
	OpCompact: &compactAction, OpAddServer: &addServerAction, OpRemoveServer: &removeServerAction,
	OpChangeVoters: &changeVotersAction,
}

// Amnesia is what a teaching restart forgets of the persisted state.
type Amnesia uint8

const (
	AmnesiaNone Amnesia = iota
	// AmnesiaVote forgets votedFor, so the server may vote twice in a term.
	AmnesiaVote
	// AmnesiaLogTail loses the last LoseTail entries of the persisted log.
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
// A run is a Scenario and a list of Actions; replaying it gives the same
// events. Which fields matter depends on Op.
type Action struct {
	Op       Op
	Node     raft.NodeID     // timeout, crash, restart, propose, read, compact, transfer; the server asked to change the membership
	Peer     raft.NodeID     // add-server, remove-server: the server added or removed
	Voters   []raft.NodeID   // change-voters: the voters asked for, sorted
	Msg      MsgSelector     // deliver, drop, dup
	From, To raft.NodeID     // cut, restore; To: transfer
	OneWay   bool            // cut, restore
	Groups   [][]raft.NodeID // partition
	Command  string          // propose
	Key      string          // read
	Path     ReadPath        // read (ReadDefault: the scenario's)
	Steps    int             // next: how many times (0 and 1 mean once)
	Millis   int64           // advance
	PerMille int             // drop-rate
	// LatencyMin and LatencyMax bound the latency of later messages (latency).
	LatencyMin, LatencyMax int64
	Amnesia                Amnesia // restart
	LoseTail               int     // restart with AmnesiaLogTail: how many entries are lost
}

// actionSpec is one action's entry in actionTable.
type actionSpec struct {
	word  string // in the action text
	alias string // another word the text accepts ("duplicate")
	js    string // the JavaScript method, "" for none
	// params are the arguments after the word, in order; each is read,
	// written and checked by its Kind.
	params []Param
	build  func(v []Value) Action // from the arguments' values
	values func(a Action) []Value // the inverse, to write the action
	// apply checks the action against the cluster and carries it out; an
	// action it refuses must leave the world unchanged.
	apply func(w *world, a Action) error
	// Random schedules pick the action with weight out of the sum of all
	// weights, in rank order (the order is part of what a seed means).
	weight, rank int
	random       func(w *world, r *rng) (Action, bool)
	// randomIf, when set, says which random schedules pick the action at
	// all (those with a feature switched on); the others keep the mix they
	// had before it existed, so their seeds mean what they meant.
	randomIf func(opt *RandomOptions) bool
}

// Kind is the type of one argument of an action: how the action text
// writes it and how the JavaScript API takes it.
type Kind uint8

const (
	KindCount    Kind = iota + 1 // a count Min..Max, optional (text "5"; JS 5)
	KindMillis                   // milliseconds Min..Max (text "250" or "250ms"; JS 250)
	KindRange                    // milliseconds from Min..Max to Min..Max (text "10 30", "10-30"; JS min, max)
	KindPercent                  // a percentage with at most one decimal, as per mille (text "2.5"; JS 2.5)
	KindServer                   // a server (text "S2"; JS 2 or "S2")
	KindMessage                  // a message in flight (text "7", "S2>S3", "*>S1 vote"; JS 7 or "S2>S3 vote")
	KindCommand                  // a client command, the rest of the text ("set x 3"; JS "set x 3")
	KindKey                      // a key (text and JS one word)
	KindAmnesia                  // what a restart forgets, optional (text "forget-vote", "lose-tail 2"; JS "forget-vote" or {loseTail: 2})
	KindLink                     // a link (text "S1 S2" both ways, "S1>S2" one way; JS from, to, oneWay)
	KindGroups                   // a partition (text "S1 S2 | S3"; JS [[1, 2], [3]])
	KindServers                  // distinct servers, the rest of the text (text "S1 S2 S3"; JS [1, 2, 3])
	KindReadPath                 // how a read is served, optional (text and JS "local", "read-index", "lease")
)

// Param is one argument of an action.
type Param struct {
	Name     string // as JavaScript messages name it: "argument 1 (node)"
	Kind     Kind
	Min, Max int64 // the limits of a number (for KindAmnesia, of lose-tail)
}

// Value is one argument's value; which fields matter depends on its Kind.
type Value struct {
	N, M    int64 // a count, milliseconds, per mille, lose-tail; KindRange: N to M
	Node    raft.NodeID
	Text    string // a command, a key
	Msg     MsgSelector
	Link    Link
	Groups  [][]raft.NodeID
	Servers []raft.NodeID // sorted
	Amnesia Amnesia
	Path    ReadPath
}

// ActionInfo describes one action for another layer (the JavaScript API,
// documentation): its word in the action text, its JavaScript method and
// its arguments with their limits.
type ActionInfo struct {
	Op     Op
	Word   string
	JS     string
	Params []Param
}

// Actions describes every action, in Op order.
func Actions() []ActionInfo {
	out := make([]ActionInfo, 0, opCount)
	for op, s := range actionTable {
		if s != nil {
			out = append(out, ActionInfo{Op: Op(op), Word: s.word, JS: s.js, Params: s.params})
		}
	}
	return out
}

// BuildAction makes the action op from its arguments' values, as read by
// another layer from the Params of Actions. Values outside the Params'
// limits give an action that the cluster refuses.
func BuildAction(op Op, v []Value) Action {
	s := spec(op)
	if s == nil || len(v) != len(s.params) {
		return Action{Op: op}
	}
	a := s.build(v)
	a.Op = op
	return a
}

func spec(op Op) *actionSpec {
	if int(op) < len(actionTable) {
		return actionTable[op]
	}
	return nil
}

// Servers lists the servers a names, so that a chapter can check them
// against its cluster's size.
func (a Action) Servers() []raft.NodeID {
	var ids []raft.NodeID
	for _, id := range [...]raft.NodeID{a.Node, a.Msg.From, a.Msg.To, a.From, a.To, a.Peer} {
		if id != raft.None {
			ids = append(ids, id)
		}
	}
	ids = append(ids, a.Voters...)
	for _, g := range a.Groups {
		ids = append(ids, g...)
	}
	return ids
}
