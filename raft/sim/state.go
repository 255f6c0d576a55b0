package sim

import (
	"slices"

	"raftlab/raft"
)

// State is a full snapshot of the cluster for a view or a test. Its logs
// and the entries of its messages are the cluster's own, which never change
// in place: read them, do not change them.
type State struct {
	Time       int64
	Frozen     bool
	Nodes      []NodeState
	Messages   []Message // in flight, in arrival order
	Blocked    []Link    // cut links, one-way each
	DropRate   int       // per mille
	LatencyMin int64
	LatencyMax int64
	Violations []Violation
	// Clients is the history of client operations (ClientOps), and
	// ClientsLeftOut the requests made after it filled (MaxClientOps).
	Clients        []ClientOp
	ClientsLeftOut int
	Position       int // actions in effect
	Recorded       int // actions recorded (Position < Recorded after an undo)
	Oldest         int // the earliest position Seek can go back to (MaxHistory)
	Events         int // events so far
}

// NodeState is one server's state.
type NodeState struct {
	ID     raft.NodeID
	Up     bool
	Role   raft.Role
	Term   raft.Term
	Vote   raft.NodeID
	Leader raft.NodeID
	// Log is the server's log; while crashed, the log on its disk. Its
	// entries follow the server's latest snapshot (§7), through
	// SnapshotIndex (of SnapshotTerm; zero: none): Log[0] has index
	// SnapshotIndex+1.
	Log           []raft.Entry
	SnapshotIndex raft.Index
	SnapshotTerm  raft.Term
	CommitIndex   raft.Index
	LastApplied   raft.Index
	KV            []KVPair
	// TimerRemaining and TimerLength are in milliseconds: the election
	// timer, or a leader's heartbeat timer.
	TimerRemaining int
	TimerLength    int
	Votes          []raft.NodeID   // a candidate's (or pre-candidate's) votes so far
	Progress       []raft.Progress // a leader's nextIndex and matchIndex
	// Membership is the configuration the server uses (dissertation §4.1:
	// the latest in its log, committed or not), from the entry at
	// ConfigIndex (0: the scenario's starting configuration); while
	// crashed, the one its disk holds. Servers may use different ones.
	Membership  raft.Membership
	ConfigIndex raft.Index
	// Transferee is the server a leader is handing leadership to (None);
	// Lease is how many more ticks a leader's read lease lasts (0: none).
	Transferee raft.NodeID
	Lease      int
	// Drift is how much faster (negative: slower) than real time the
	// server's clock runs, per mille.
	Drift int
	// Reads are the client reads the server is serving: waiting for the
	// leader's confirmation, or for the state machine to apply their index.
	Reads []PendingRead
}

// PendingRead is a client read a server has not answered yet.
type PendingRead struct {
	Op    int
	Key   string
	Path  ReadPath
	Index raft.Index // the index it is served at, once known
	Ready bool       // the index is known: it waits for the state machine
}

// State returns a snapshot of the cluster now.
func (c *Cluster) State() State {
	st := c.w.state()
	st.Position, st.Recorded, st.Oldest = c.Position(), c.Recorded(), c.Oldest()
	return st
}

// shared returns a log as a State holds it: the cluster's own array, which
// a log never changes in place (it is copied when entries are replaced), so
// no entry is copied; the capacity is clipped so nothing can be appended
// into it.
func shared(log []raft.Entry) []raft.Entry { return log[:len(log):len(log)] }

func (w *world) state() State {
	st := State{
		Time:           w.now,
		Frozen:         w.frozen,
		Messages:       w.net.messages(),
		DropRate:       w.net.dropPerMille,
		LatencyMin:     w.net.latencyMin,
		LatencyMax:     w.net.latencyMax,
		Violations:     slices.Clone(w.violations),
		Events:         w.seq,
		Clients:        w.clientOps(),
		ClientsLeftOut: w.clients.leftOut,
	}
	for _, s := range w.servers {
		ns := NodeState{ID: s.id, KV: s.kv.Pairs(), Membership: s.conf, ConfigIndex: s.confIndex, Drift: s.drift}
		for _, r := range s.reads {
			ns.Reads = append(ns.Reads, PendingRead{Op: r.op, Key: r.key, Path: r.path, Index: r.index, Ready: r.answered})
		}
		log := w.logOf(s.id)
		ns.Log, ns.SnapshotIndex, ns.SnapshotTerm = shared(log.entries), log.start, log.startTerm
		if s.node == nil {
			ns.Term = s.disk.hs.Term
			ns.Vote = s.disk.hs.VotedFor
		} else {
			status := s.node.Status()
			ns.Up = true
			ns.Role, ns.Term, ns.Vote, ns.Leader = status.Role, status.Term, status.VotedFor, status.Leader
			ns.CommitIndex, ns.LastApplied = status.CommitIndex, status.LastApplied
			ns.TimerRemaining, ns.TimerLength = s.node.TimerRemaining(), s.node.TimerLength()
			ns.Votes, ns.Progress = status.Votes, status.Progress
			ns.Transferee, ns.Lease = status.Transferee, status.LeaseRemaining
		}
		st.Nodes = append(st.Nodes, ns)
	}
	n := len(w.servers)
	for a := 1; a <= n; a++ {
		for b := 1; b <= n; b++ {
			if w.net.blocked[a][b] {
				st.Blocked = append(st.Blocked, Link{From: raft.NodeID(a), To: raft.NodeID(b), OneWay: true})
			}
		}
	}
	return st
}
