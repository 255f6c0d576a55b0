package sim

import (
	"strings"

	"raftlab/raft"
)

// Clients are actors of the simulation: each request a client makes — a
// write proposed to a server, a read asked of one — is an operation of
// the run's history, with the moment it was made and the moment its
// answer came. The linearizability checker (linearizability.go) reads
// that history.

// ReadPath is how a server serves a client's read (dissertation §6.4).
type ReadPath uint8

const (
	// ReadDefault is the scenario's path (Scenario.Reads) in an action; in
	// a scenario, ReadLocal.
	ReadDefault ReadPath = iota
	// ReadLocal reads the server's own state machine at once: a follower,
	// or a leader that no longer leads, may answer with stale data.
	ReadLocal
	// ReadByIndex asks the leader for its commitIndex, which it confirms
	// with a round of heartbeats, and serves the read once the state
	// machine has applied through it (dissertation §6.4); a follower
	// forwards the request to the leader.
	ReadByIndex
	// ReadByLease serves at a leader at once while its lease holds: a
	// majority answered a heartbeat round less than an election timeout
	// ago, shortened by the clock drift allowed (dissertation §6.4.1).
	ReadByLease
	readPathCount
)

var readPathNames = [readPathCount]string{"", "local", "read-index", "lease"}

// String is the path's name in the action and scenario text.
func (p ReadPath) String() string {
	if p < readPathCount {
		return readPathNames[p]
	}
	return "read-path"
}

// ReadPathByName finds a path by its name ("local", "read-index",
// "lease"); "" is ReadDefault.
func ReadPathByName(name string) (ReadPath, bool) {
	for p, n := range readPathNames {
		if strings.EqualFold(name, n) {
			return ReadPath(p), true
		}
	}
	return 0, false
}

func readPathList() string {
	return `"` + strings.Join(readPathNames[1:], `", "`) + `"`
}

// OpStatus is where a client's operation stands.
type OpStatus uint8

const (
	// OpPending: no answer yet; a write may still take effect.
	OpPending OpStatus = iota
	// OpDone: answered (a write applied by the server asked; a read
	// served).
	OpDone
	// OpFailed: it had no effect, and the client knows it: refused (not
	// the leader, a read that could not be confirmed), the server down,
	// or a write whose index another entry took.
	OpFailed
	// OpUnknown: the server asked crashed before answering a write (or
	// reset its state machine from a snapshot over its entry); it may or
	// may not take effect, and no answer will come.
	OpUnknown
)

var opStatusNames = [...]string{"pending", "done", "failed", "unknown"}

func (s OpStatus) String() string {
	if int(s) < len(opStatusNames) {
		return opStatusNames[s]
	}
	return "status"
}

// ClientOp is one client request and its answer.
type ClientOp struct {
	ID   int         // from 1, in the order requests were made
	Node raft.NodeID // the server asked
	// Write is a write of Command ("set x 3", "del x") to Key; otherwise a
	// read of Key by Path.
	Write   bool
	Command string
	Key     string
	Path    ReadPath
	Status  OpStatus
	// Call and Return are when the request was made and answered, in
	// virtual milliseconds; CallEvent and ReturnEvent are the events that
	// made and answered it (Event.Seq), which order operations even within
	// one millisecond. Return and ReturnEvent are -1 until an answer.
	Call, Return           int64
	CallEvent, ReturnEvent int
	// A read's answer: Value, or Found false when the key was not set.
	Value string
	Found bool
	// Index is a write's entry (of Term) once appended, or the index a
	// read was served at.
	Index raft.Index
	Term  raft.Term
}

// effect is what a write leaves in its key: the value, or nothing.
func (op *ClientOp) effect() (string, bool) {
	c, _ := parseCommand(op.Command)
	return c.Value, c.Op == "set"
}

// MaxClientOps bounds the history. Requests beyond it still run and show
// in the trace, but are not recorded, and the checker stops: with the
// history cut when it filled, every read it holds was answered before the
// cut, so what it checks is what the whole run would show.
const MaxClientOps = 1000

// clientHistory is the run's client operations, shared with checkpoints
// (a copy-on-write list).
type clientHistory struct {
	ops    cowList[ClientOp]
	nextID int // the last id given
	// leftOut counts the requests made after the history filled.
	leftOut int
	// broken lists the keys whose history is not linearizable: each is
	// reported once and checked no further.
	broken []string
}

func (h *clientHistory) clone() clientHistory {
	c := *h
	c.ops = h.ops.clone()
	c.broken = h.broken[:len(h.broken):len(h.broken)]
	return c
}

// get returns operation id, if the history holds it.
func (h *clientHistory) get(id int) (ClientOp, bool) {
	if id < 1 || id > h.ops.len() {
		return ClientOp{}, false
	}
	return h.ops.at(id - 1), true
}

func (h *clientHistory) update(id int, f func(op *ClientOp)) {
	if op, ok := h.get(id); ok {
		f(&op)
		h.ops.set(id-1, op)
	}
}

func (h *clientHistory) full() bool { return h.ops.len() >= MaxClientOps }

// pendingWrite is a write a server appended and has not answered.
type pendingWrite struct {
	op      int
	index   raft.Index
	term    raft.Term
	command string
}

// pendingRead is a read a server was asked by ReadIndex or lease: its
// node holds it until a ReadState answers; then it waits for the state
// machine to apply through index.
type pendingRead struct {
	op       int
	key      string
	path     ReadPath
	index    raft.Index
	answered bool
	// asking: the read was asked in the step being handled. A lease read
	// answered then was served under the lease; answered later, the
	// lease did not hold and the leader confirmed it by a heartbeat
	// round, as ReadIndex does (dissertation §6.4.1).
	asking bool
}

// request records a client's request made now, whose event is the next
// one emitted, and returns its id.
func (w *world) request(op ClientOp) int {
	w.clients.nextID++
	op.ID = w.clients.nextID
	if w.clients.full() {
		w.clients.leftOut++
		return op.ID
	}
	op.Call, op.CallEvent = w.now, w.seq
	op.Return, op.ReturnEvent = -1, -1
	w.clients.ops.push(op)
	return op.ID
}

// finish records the answer to operation id, given by the next event.
func (w *world) finish(id int, status OpStatus, f func(op *ClientOp)) {
	w.clients.update(id, func(op *ClientOp) {
		op.Status = status
		if status == OpDone || status == OpFailed {
			op.Return, op.ReturnEvent = w.now, w.seq
		}
		if f != nil {
			f(op)
		}
	})
}

// readPath is the path a read action takes.
func (w *world) readPath(p ReadPath) ReadPath {
	if p == ReadDefault {
		p = w.sc.Reads
	}
	if p == ReadDefault {
		p = ReadLocal
	}
	return p
}

// serveRead answers read op of key at s from its state machine now.
func (w *world) serveRead(s *server, op int, key string, path ReadPath, index raft.Index) {
	v, found := s.kv.Get(key)
	w.finish(op, OpDone, func(o *ClientOp) { o.Value, o.Found, o.Index = v, found, index })
	w.emit(Event{Kind: EvRead, Node: s.id, Op: op, Path: path, Text: key, Value: v, Found: found, Index: index})
	w.checkRead(op)
}

// readWork answers the reads of server s that its last Ready let it
// answer: those its node refused or gave an index (states), and those
// whose index the state machine has now applied.
func (w *world) readWork(s *server, states []raft.ReadState, applied raft.Index) {
	for _, rs := range states {
		i := s.readAt(int(rs.ID))
		if i < 0 {
			continue
		}
		if rs.Refused {
			r := s.reads[i]
			s.reads = append(s.reads[:i], s.reads[i+1:]...)
			w.finish(r.op, OpFailed, nil)
			w.emit(Event{Kind: EvReadFailed, Node: s.id, Op: r.op, Path: r.path, Text: r.key})
			continue
		}
		r := &s.reads[i]
		r.index, r.answered = rs.Index, true
		if r.path == ReadByLease && !r.asking {
			r.path = ReadByIndex
			w.clients.update(r.op, func(op *ClientOp) { op.Path = ReadByIndex })
		}
	}
	k := 0
	for _, r := range s.reads {
		r.asking = false
		if r.answered && r.index <= applied {
			w.serveRead(s, r.op, r.key, r.path, r.index)
			continue
		}
		s.reads[k] = r
		k++
	}
	s.reads = s.reads[:k]
}

func (s *server) readAt(op int) int {
	for i, r := range s.reads {
		if r.op == op {
			return i
		}
	}
	return -1
}

// answerWrites answers the writes s appended at e's index: done if e is
// their entry, failed if another entry took the index.
func (w *world) answerWrites(s *server, e raft.Entry) {
	k := 0
	for _, p := range s.writes {
		if p.index != e.Index {
			s.writes[k] = p
			k++
			continue
		}
		done := p.term == e.Term
		status := OpFailed
		if done {
			status = OpDone
		}
		w.finish(p.op, status, nil)
		w.emit(Event{Kind: EvAnswer, Node: s.id, Op: p.op, Text: p.command, Index: e.Index, Term: p.term, Found: done})
	}
	s.writes = s.writes[:k]
}

// snapshotOverWrites gives up the writes s appended at or before a
// snapshot its state machine was reset from: it cannot tell whether their
// entries are the ones the snapshot holds.
func (w *world) snapshotOverWrites(s *server, index raft.Index) {
	var lost []pendingWrite
	k := 0
	for _, p := range s.writes {
		if p.index <= index {
			lost = append(lost, p)
			continue
		}
		s.writes[k] = p
		k++
	}
	s.writes = s.writes[:k]
	w.clientsLost(s, lost, nil, index)
}

// clientsLost gives up requests s will not answer, as it crashed or reset
// its state machine over their entries: a read will get no answer, and a
// write may or may not take effect
// (snapshot: the snapshot's index; 0 for a crash).
func (w *world) clientsLost(s *server, writes []pendingWrite, reads []pendingRead, snapshot raft.Index) {
	for _, p := range writes {
		w.finish(p.op, OpUnknown, nil)
		w.emit(Event{Kind: EvLostRequest, Node: s.id, Op: p.op, Text: p.command, Found: true, Index: snapshot})
	}
	for _, r := range reads {
		w.finish(r.op, OpFailed, nil)
		w.emit(Event{Kind: EvLostRequest, Node: s.id, Op: r.op, Path: r.path, Text: r.key})
	}
}

// ClientOps returns the history of client operations, in the order they
// were made.
func (c *Cluster) ClientOps() []ClientOp { return c.w.clientOps() }

func (w *world) clientOps() []ClientOp {
	h := &w.clients
	if h.ops.len() == 0 {
		return nil
	}
	out := make([]ClientOp, h.ops.len())
	for i := range out {
		out[i] = h.ops.at(i)
	}
	return out
}

// ClientOpsLeftOut counts the requests made after the history filled
// (MaxClientOps).
func (c *Cluster) ClientOpsLeftOut() int { return c.w.clients.leftOut }
