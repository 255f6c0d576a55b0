package sim

import "raftlab/raft"

// Scenario is a starting state: how many servers, their persisted state,
// the network, the timers, and setup actions that bring the cluster to the
// state a lesson begins in. The text form is parsed by ParseScenario.
type Scenario struct {
	Name  string
	Nodes int   // 1 to raft.MaxNodes
	Seed  int64 // seeds the run's only source of randomness

	ElectionTimeoutMin int // ms
	ElectionTimeoutMax int // ms
	HeartbeatInterval  int // ms
	LatencyMin         int // ms
	LatencyMax         int // ms
	DropPerMille       int // chance a message is lost, per mille

	FrozenTimers bool
	Unsafe       raft.UnsafeRules
	// UnsafeHost switches off rules the simulator keeps as the servers'
	// host (unsafe.go).
	UnsafeHost HostRules
	// EmptyHeartbeats makes leaders send Figure 2's empty heartbeats
	// (raft.Config.EmptyHeartbeats; scenario key "heartbeats: empty").
	EmptyHeartbeats bool
	// MaxEntries caps the entries one AppendEntries carries (0: 64).
	// Lessons set 1 to send entries one at a time.
	MaxEntries int

	// Voters is the configuration the cluster starts with (§6): the
	// servers whose votes count, sorted. The others are outside it, spares
	// to be added later. Nil means every server.
	Voters []raft.NodeID
	// JointConsensus changes membership through a joint configuration
	// C_old,new (§6); off, one server at a time (dissertation §4.1).
	JointConsensus bool
	// CompactEvery makes each server compact its log once it has applied
	// that many entries beyond its latest snapshot (§7); 0: never on its
	// own (the compact action still does).
	CompactEvery int

	// Servers holds per-server starting state; servers not listed start
	// empty in term 0.
	Servers []ServerSetup
	// Partition, when non-empty, splits the servers into groups at start.
	Partition [][]raft.NodeID
	// Cuts are links cut at start.
	Cuts []Link
	// Setup runs before the run begins; it is part of the starting state
	// (it cannot be undone and is not in the run's action list).
	Setup []Action
	// Marks are action counts at which a presenter pauses (the lecture's
	// "slides" inside one run). Optional.
	Marks []int

	// The switches of Raft in practice, each off unless turned on.
	// PreVote: a server first asks whether it could win (dissertation
	// §9.6). CheckQuorum: a leader that has not heard from a majority
	// within an election timeout steps down (§6.2). StickyLeader: a
	// server ignores vote requests while it hears from a leader (§4.2.3).
	PreVote, CheckQuorum, StickyLeader bool
	// AnnounceCommit makes a leader send AppendEntries as soon as its
	// commitIndex advances; off, followers learn it from the next
	// AppendEntries, the delay chapter 4 teaches. The playground
	// (DefaultScenario) turns it on; scenario text turns it on by key, so
	// that a scenario written before the key existed plays as it did.
	AnnounceCommit bool
	// Reads is the way a client's read is served when the read action
	// names none (ReadLocal, the zero value, reads the server's own state
	// machine).
	Reads ReadPath
	// DriftBound is the clock drift a leader's lease allows for, per mille
	// (raft.Config.LeaseDriftPerMille; dissertation §6.4.1).
	DriftBound int
}

// ServerSetup is one server's starting persisted state.
type ServerSetup struct {
	ID       raft.NodeID
	Term     raft.Term
	VotedFor raft.NodeID
	// Log holds the entries' terms, from index 1; commands are filled in as
	// "set x<index> <index>" unless Commands gives them.
	Log      []raft.Term
	Commands []string
	Crashed  bool
	// Drift is how much faster (positive) or slower (negative) than real
	// time the server's clock runs, per mille: its timers tick that much
	// more or less often.
	Drift int
}

// Link is a directed link between two servers.
type Link struct {
	From, To raft.NodeID
	OneWay   bool
}

// DefaultScenario is the free playground: five servers, timers running,
// and commits announced at once.
func DefaultScenario() Scenario {
	sc := baseScenario()
	sc.AnnounceCommit = true
	return sc
}

// baseScenario is what scenario text starts from: the playground with
// every switch off.
func baseScenario() Scenario {
	return Scenario{
		Name:               "playground",
		Nodes:              5,
		Seed:               1,
		ElectionTimeoutMin: 150,
		ElectionTimeoutMax: 300,
		HeartbeatInterval:  50,
		LatencyMin:         10,
		LatencyMax:         30,
	}
}
