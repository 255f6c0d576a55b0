package sim

import (
	"cmp"
	"errors"
	"slices"
	"strconv"

	"raftlab/raft"
)

func itoa(i int) string { return strconv.Itoa(i) }

// world is everything about a run that actions change: servers, network,
// clock, randomness and the checker. A checkpoint is a clone of it; the
// events it records go to an eventLog its clones share.
type world struct {
	sc     *Scenario
	rng    rng
	now    int64
	frozen bool

	servers []*server // servers[i] has id i+1
	net     network

	out        *eventLog
	seq        int // events recorded so far: the next event's Seq
	stats      Summary
	violations []Violation
	check      *checker
	clients    clientHistory
	action     int // index of the action being applied (-1: setup)

	// The message the step being handled answers (handledMsg 0: none).
	handledMsg int
	handled    raft.MsgType

	// quiet runs the world for a search (search.go): events are counted
	// but not kept. Decisions, messages and violations are the same.
	quiet bool

	// While an action runs: how many events it caused, and the limit it
	// broke, which stops it (the cluster then undoes it).
	actionEvents int
	err          error
}

// server is one simulated machine: the Raft node while it runs, its disk,
// its state machine, its clock, and the client requests it has not
// answered yet.
type server struct {
	id   raft.NodeID
	node *raft.Node // nil while crashed
	role raft.Role  // the node's role after its last step
	disk disk
	kv   KV
	// The configuration the node used after its last step, and the entry
	// it came from (dissertation §4.1); while crashed, the one its disk
	// gives. Never changed in place: checkpoints share it.
	conf      raft.Membership
	confIndex raft.Index
	// drift is how much faster than real time the clock runs, per mille
	// (negative: slower); tickFrac is the part of a tick its clock has
	// run since its last tick, in thousandths.
	drift    int
	tickFrac int64
	writes   []pendingWrite
	reads    []pendingRead
	// unsaved holds writes not yet on disk (HostRules.PersistAfterSend):
	// they land at the server's next step, or a crash loses them.
	unsaved []raft.Ready
}

// ticks is how many times s's clock ticks in the next ms milliseconds,
// and the fraction of a tick left over.
func (s *server) ticks(ms int64) (int64, int64) {
	run := s.tickFrac + ms*int64(1000+s.drift)
	return run / 1000, run % 1000
}

// msUntil is how many milliseconds pass before s's clock has ticked k
// more times.
func (s *server) msUntil(k int64) int64 {
	rate := int64(1000 + s.drift)
	return (k*1000 - s.tickFrac + rate - 1) / rate
}

// disk is a server's stable storage: the HardState, the latest snapshot
// and the log after it, as its node handed them out through Ready.
// Checkpoints share the log's array, so it is never changed in place: a
// write that replaces entries copies what it keeps, and a lost tail leaves
// no room to append into. Snapshots are never changed once made, so
// checkpoints and messages share them too.
type disk struct {
	hs   raft.HardState
	snap *raft.Snapshot // nil: none yet
	log  []raft.Entry   // log[0] has index snapIndex()+1
}

func (d *disk) snapIndex() raft.Index {
	if d.snap == nil {
		return 0
	}
	return d.snap.Index
}

func (d *disk) lastIndex() raft.Index { return d.snapIndex() + raft.Index(len(d.log)) }

// view is the disk's log as the checker reads it.
func (d *disk) view() serverLog {
	l := serverLog{entries: d.log}
	if d.snap != nil {
		l.start, l.startTerm = d.snap.Index, d.snap.Term
	}
	return l
}

// save writes what a Ready asks, in its order: the snapshot, the
// HardState, the entries.
func (d *disk) save(rd raft.Ready) {
	if rd.SaveSnapshot && rd.Snapshot.Index > d.snapIndex() {
		// As the server did (Figure 13, receiver rules 6-7): the entries
		// after the snapshot stay only if the entry at its index has its
		// term.
		var kept []raft.Entry
		if t, ok := d.view().term(rd.Snapshot.Index); ok && t == rd.Snapshot.Term {
			kept = slices.Clone(d.log[rd.Snapshot.Index-d.snapIndex():])
		}
		d.snap, d.log = rd.Snapshot, kept
	}
	if rd.SaveHardState {
		d.hs = rd.HardState
	}
	if len(rd.Entries) > 0 {
		// Every entry from the first written on is replaced.
		if keep := rd.Entries[0].Index - 1 - d.snapIndex(); int(keep) < len(d.log) {
			d.log = slices.Clone(d.log[:keep])
		}
		d.log = append(d.log, rd.Entries...)
	}
}

func (d *disk) loseTail(n int) { k := len(d.log) - n; d.log = d.log[:k:k] }

func (d *disk) shared() disk {
	return disk{hs: d.hs, snap: d.snap, log: d.log[:len(d.log):len(d.log)]}
}

// restart builds a node from what the disk holds.
func (d *disk) restart(cfg raft.Config) (*raft.Node, error) {
	var snap raft.Snapshot
	if d.snap != nil {
		snap = *d.snap
	}
	return raft.RestartFromSnapshot(cfg, d.hs, snap, d.log)
}

// worldRand lets the servers draw election timeouts from the world's rng.
type worldRand struct{ w *world }

func (r worldRand) IntN(n int) int { return r.w.rng.Intn(n) }

// startVoters is the configuration the cluster starts with: the
// scenario's voters, or every server.
func (w *world) startVoters() []raft.NodeID {
	if w.sc.Voters != nil {
		return w.sc.Voters
	}
	peers := make([]raft.NodeID, len(w.servers))
	for i := range peers {
		peers[i] = raft.NodeID(i + 1)
	}
	return peers
}

func (w *world) config(id raft.NodeID) raft.Config {
	cfg := raft.Config{
		ID:                  id,
		Peers:               w.startVoters(),
		ElectionTimeoutMin:  w.sc.ElectionTimeoutMin,
		ElectionTimeoutMax:  w.sc.ElectionTimeoutMax,
		HeartbeatTicks:      w.sc.HeartbeatInterval,
		MaxEntriesPerAppend: cmp.Or(w.sc.MaxEntries, 64),
		Rand:                worldRand{w},
		Unsafe:              w.sc.Unsafe,
		JointConsensus:      w.sc.JointConsensus,
		PreVote:             w.sc.PreVote,
		CheckQuorum:         w.sc.CheckQuorum,
		StickyLeader:        w.sc.StickyLeader,
		AnnounceCommit:      w.sc.AnnounceCommit,
		LeaseDriftPerMille:  w.sc.DriftBound,
		EmptyHeartbeats:     w.sc.EmptyHeartbeats,
		// The trace explains every decision, and the role each server had
		// at each one is read from the notes (handle): Quiet stays off.
	}
	return cfg
}

func newWorld(sc *Scenario) (*world, error) { return newWorldOf(sc, false) }

// newWorldOf starts a world, quiet for a search.
func newWorldOf(sc *Scenario, quiet bool) (*world, error) {
	if sc.Nodes < 1 || sc.Nodes > raft.MaxNodes {
		return nil, errors.New("a cluster has 1 to 9 servers")
	}
	if sc.Voters != nil {
		if len(sc.Voters) == 0 || !slices.IsSorted(sc.Voters) || len(slices.Compact(slices.Clone(sc.Voters))) != len(sc.Voters) ||
			sc.Voters[0] < 1 || int(sc.Voters[len(sc.Voters)-1]) > sc.Nodes {
			return nil, errors.New("the voters must be distinct servers of the cluster, sorted")
		}
	}
	w := &world{sc: sc, rng: newRNG(sc.Seed), frozen: sc.FrozenTimers, check: &checker{}, action: -1, out: newEventLog(), quiet: quiet}
	w.net.dropPerMille = sc.DropPerMille
	w.net.latencyMin, w.net.latencyMax = int64(sc.LatencyMin), int64(sc.LatencyMax)
	w.net.nextID = 1
	w.servers = make([]*server, sc.Nodes)
	for i := range w.servers {
		w.servers[i] = &server{id: raft.NodeID(i + 1)}
	}
	for _, setup := range sc.Servers {
		if setup.ID < 1 || int(setup.ID) > sc.Nodes {
			return nil, errors.New("server " + setup.ID.String() + " is not in the cluster")
		}
		s := w.servers[setup.ID-1]
		s.drift = setup.Drift
		if len(setup.Log) > MaxLogLength {
			return nil, &LimitError{Limit: "MaxLogLength", Value: MaxLogLength, What: s.id.String() + "'s log holds " + itoa(len(setup.Log)) + " entries"}
		}
		s.disk.hs = raft.HardState{Term: setup.Term, VotedFor: setup.VotedFor}
		s.disk.log = make([]raft.Entry, len(setup.Log))
		for i, t := range setup.Log {
			cmd := "set x" + itoa(i+1) + " " + itoa(i+1)
			if i < len(setup.Commands) {
				cmd = setup.Commands[i]
			}
			s.disk.log[i] = raft.Entry{Term: t, Index: raft.Index(i + 1), Data: cmd}
		}
	}
	for i, s := range w.servers {
		crashed := slices.ContainsFunc(sc.Servers, func(ss ServerSetup) bool { return ss.ID == s.id && ss.Crashed })
		if crashed {
			continue
		}
		n, err := s.disk.restart(w.config(s.id))
		if err != nil {
			return nil, errors.New(s.id.String() + ": " + err.Error())
		}
		w.servers[i].node, w.servers[i].role = n, n.Role()
		w.servers[i].conf, w.servers[i].confIndex = n.Membership(), n.ConfigIndex()
	}
	if len(sc.Partition) > 0 {
		w.net.setPartition(sc.Partition, sc.Nodes)
	}
	for _, l := range sc.Cuts {
		w.net.blocked[l.From][l.To] = true
		if !l.OneWay {
			w.net.blocked[l.To][l.From] = true
		}
	}
	for _, s := range w.servers {
		if s.node == nil {
			// A crashed server's disk holds no configuration entry: it
			// would use the starting configuration.
			s.conf = raft.Membership{Voters: w.startVoters()}
		}
	}
	w.check.startConfig(raft.Membership{Voters: w.startVoters()})
	for _, s := range w.servers {
		if s.node != nil {
			w.check.wrote(s.id, s.node.Role(), s.node.Term(), 1, len(s.disk.log), w.logOf, len(w.servers), w.reportViolation)
		}
	}
	return w, nil
}

// setup runs the scenario's setup actions.
func (w *world) setup() error {
	for i, a := range w.sc.Setup {
		if err := w.apply(a); err != nil {
			w.out.truncate(w.seq) // a broken limit left events past the refused action's
			return &ActionError{N: i + 1, Action: a, Err: err, Setup: true}
		}
	}
	return nil
}

// maxFlush bounds OpFlush, which could otherwise run forever when every
// delivery causes another message.
const maxFlush = 10000

// apply validates a and, only if it is valid, carries it out. An invalid
// action changes nothing.
//
// An action that breaks a limit while it runs (see limits.go) is stopped
// and apply returns a *LimitError; the world is then half-way through it,
// and the cluster restores it from a checkpoint.
func (w *world) apply(a Action) error {
	s := spec(a.Op)
	if s == nil {
		return errors.New("unknown action")
	}
	w.actionEvents, w.err = 0, nil
	if err := s.apply(w, a); err != nil {
		return err
	}
	return w.err
}

// fail stops the action with a broken limit.
func (w *world) fail(err *LimitError) {
	if w.err == nil {
		w.err = err
	}
}

// stopped reports whether the action broke a limit; its loops end then.
func (w *world) stopped() bool { return w.err != nil }

// logOf is a server's log: in memory while it runs, on disk while crashed.
func (w *world) logOf(id raft.NodeID) serverLog {
	s := w.servers[id-1]
	if s.node == nil {
		return s.disk.view()
	}
	l := serverLog{entries: s.node.Entries()}
	if snap := s.node.Snapshot(); snap != nil {
		l.start, l.startTerm = snap.Index, snap.Term
	}
	return l
}

func (w *world) server(id raft.NodeID) (*server, error) {
	if id < 1 || int(id) > len(w.servers) {
		return nil, errors.New("no server " + id.String() + " in a cluster of " + itoa(len(w.servers)))
	}
	return w.servers[id-1], nil
}

func (w *world) running(id raft.NodeID) (*server, error) {
	s, err := w.server(id)
	if err == nil && s.node == nil {
		err = refuse("crashed", "id", id.String())
	}
	return s, err
}

// upDown lists the running and the crashed servers.
func (w *world) upDown() (up, down []raft.NodeID) {
	for _, s := range w.servers {
		if s.node != nil {
			up = append(up, s.id)
		} else {
			down = append(down, s.id)
		}
	}
	return up, down
}

func (w *world) crash(s *server) {
	s.node = nil
	s.kv.Reset()
	w.emit(Event{Kind: EvCrash, Node: s.id})
	writes, reads := s.writes, s.reads
	s.writes, s.reads = nil, nil
	w.clientsLost(s, writes, reads, 0)
	w.loseUnsaved(s)
}

// start runs s from what its disk holds (a restart; amnesia says what the
// restart made it forget).
func (w *world) start(s *server, amnesia Amnesia) error {
	n, err := s.disk.restart(w.config(s.id))
	if err != nil {
		return err // cannot happen: the disk holds what a node wrote
	}
	s.node, s.role = n, n.Role()
	s.conf, s.confIndex = n.Membership(), n.ConfigIndex()
	s.kv.Reset()
	w.emit(Event{Kind: EvRestart, Node: s.id, Amnesia: amnesia, Index: s.disk.lastIndex(), Snapshot: s.disk.snapIndex()})
	w.check.restarted(s.id, s.disk.lastIndex(), s.disk.snapIndex())
	// A server restarted from a snapshot first resets its state machine
	// from it; otherwise it has nothing to do yet.
	w.handle(s)
	return nil
}

func (w *world) setFrozen(frozen bool) {
	w.frozen = frozen
	w.emit(Event{Kind: EvTimers, Found: frozen})
}

// drop removes in-flight message i.
func (w *world) drop(i int) {
	m := w.net.take(i)
	w.emit(Event{Kind: EvDrop, Node: m.From, Peer: m.To, Msg: m.ID, MsgType: m.Type, Summary: summarize(m.Message)})
}

// duplicate puts a copy of in-flight message i on the network.
func (w *world) duplicate(i int) error {
	if w.net.len() >= MaxInFlight {
		return &LimitError{Limit: "MaxInFlight", Value: MaxInFlight, What: "the network is full: " + itoa(w.net.len()) + " messages in flight"}
	}
	m := w.net.at(i)
	orig := m.ID
	m.ID = w.net.nextID
	w.net.nextID++
	w.net.insert(m)
	w.emit(Event{Kind: EvDuplicate, Node: m.From, Peer: m.To, Msg: orig, Dup: m.ID, MsgType: m.Type, Summary: summarize(m.Message)})
	return nil
}

func (w *world) clone() *world {
	c := *w
	c.servers = make([]*server, len(w.servers))
	for i, s := range w.servers {
		cs := &server{id: s.id, role: s.role, disk: s.disk.shared(), kv: s.kv.share(), conf: s.conf, confIndex: s.confIndex,
			drift: s.drift, tickFrac: s.tickFrac, writes: slices.Clone(s.writes), reads: slices.Clone(s.reads),
			unsaved: s.unsaved[:len(s.unsaved):len(s.unsaved)]}
		if s.node != nil {
			cs.node = s.node.Clone(worldRand{&c})
		}
		c.servers[i] = cs
	}
	c.net = w.net.clone()
	c.violations = w.violations[:len(w.violations):len(w.violations)]
	c.check = w.check.clone()
	c.clients = w.clients.clone()
	return &c
}

func (w *world) emit(e Event) {
	e.Seq, e.Time, e.Action = w.seq, w.now, w.action
	if e.Node != raft.None {
		if n := w.servers[e.Node-1].node; n != nil {
			e.Role, e.Vote, e.Leader = n.Role(), n.VotedFor(), n.Leader()
			if e.Kind != EvPropose && e.Kind != EvApply && e.Kind != EvSnapshot && e.Kind != EvRestore {
				e.Term = n.Term()
			}
		}
	}
	if w.actionEvents++; w.actionEvents > MaxEventsPerAction {
		w.fail(&LimitError{Limit: "MaxEventsPerAction", Value: MaxEventsPerAction,
			What: "the action would cause more than " + itoa(MaxEventsPerAction) + " events"})
		return // the action is undone: its events need no keeping
	}
	w.seq++
	if w.quiet {
		return
	}
	w.stats.count(&e)
	w.out.add(e)
}

func (w *world) reportViolation(v Violation) {
	v.Event = w.seq
	v.Action = w.action
	w.violations = append(w.violations, v)
	vv := v
	w.emit(Event{Kind: EvViolation, Violation: &vv, Node: v.Nodes[0]})
}

// handle does what server s's node asks in its Ready: persist, send, apply.
func (w *world) handle(s *server) {
	n := s.node
	w.landUnsaved(s)
	if !n.HasReady() {
		return
	}
	rd := n.Ready()
	// Each note carries the role the server had when it decided: the role
	// it ended its last step in, changed by the decisions that change it.
	role, confChanged := s.role, false
	for _, why := range rd.Notes {
		e := Event{Kind: EvNote, Node: s.id, Peer: why.Peer, Reason: why, DecidedAs: role}
		if w.handledMsg != 0 {
			e.Msg, e.MsgType = w.handledMsg, w.handled // the message the decision answers
		}
		w.emit(e)
		w.checkDecision(s, why, role, confChanged)
		confChanged = confChanged || changesConfig(why.Code)
		if r, ok := why.Code.Becomes(); ok {
			role = r
		}
	}
	if confChanged {
		s.conf = n.Membership()
	}
	s.confIndex = n.ConfigIndex()
	if role != n.Role() {
		panic("sim: " + s.id.String() + " became " + n.Role().String() + " with no reason saying so (raft.ReasonCode.Becomes)")
	}
	if s.role == raft.Leader || role == raft.Leader {
		w.heard(s) // a leader keeps no election timer, and starts one when it steps down
	}
	s.role = role
	if w.sc.UnsafeHost.PersistAfterSend {
		// The rule switched off: the messages leave first, and the write
		// waits for the server's next step.
		for _, m := range rd.Messages {
			w.send(m)
		}
		w.holdUnsaved(s, rd)
	} else {
		// Persist before any message leaves (Figure 2).
		w.persist(s, rd)
		for _, m := range rd.Messages {
			w.send(m)
		}
	}
	w.sentBy(s, rd.Messages)
	if rd.RestoreSnapshot {
		// The state machine starts over from the snapshot (Figure 13,
		// receiver rule 8, or a restart from a snapshot).
		s.kv.Restore(rd.Snapshot.Data)
		w.emit(Event{Kind: EvRestore, Node: s.id, Index: rd.Snapshot.Index, Term: rd.Snapshot.Term, Config: snapConfig(rd.Snapshot)})
		w.check.restored(s.id, rd.Snapshot.Index)
		w.snapshotOverWrites(s, rd.Snapshot.Index)
	}
	applied := n.AppliedIndex()
	entries := rd.CommittedEntries
	if w.sc.UnsafeHost.ApplyOutOfOrder && len(entries) > 1 {
		entries = slices.Clone(entries)
		slices.Reverse(entries) // the rule switched off: the last first
	}
	for _, e := range entries {
		w.check.applied(s.id, n.Term(), e, w.reportViolation)
		if e.Kind == raft.EntryCommand {
			s.kv.Apply(e.Data)
		}
		w.emit(Event{Kind: EvApply, Node: s.id, Index: e.Index, Term: e.Term, Text: e.Data, EntryKind: e.Kind})
		w.answerWrites(s, e)
		applied = e.Index
	}
	if len(rd.ReadStates) > 0 || len(s.reads) > 0 {
		w.readWork(s, rd.ReadStates, applied)
	}
	n.Advance()
	if len(rd.Entries) > 0 {
		w.check.wrote(s.id, n.Role(), n.Term(), rd.Entries[0].Index, len(rd.Entries), w.logOf, len(w.servers), w.reportViolation)
	}
	w.check.stepped(s.id, n.Role(), n.Term(), w.logOf(s.id), w.reportViolation)
	w.check.durable(s.id, n.Term(), n.CommitIndex(), n.LastIndex(), w.reportViolation)
	if every := raft.Index(w.sc.CompactEvery); every > 0 && n.AppliedIndex() >= n.SnapshotIndex()+every {
		w.compact(s)
	}
}

// persist writes what a Ready asks to s's disk, and records it.
func (w *world) persist(s *server, rd raft.Ready) {
	s.disk.save(rd)
	if rd.SaveSnapshot {
		w.emit(Event{Kind: EvSnapshot, Node: s.id, Index: rd.Snapshot.Index, Term: rd.Snapshot.Term, Config: snapConfig(rd.Snapshot)})
	}
	if rd.SaveHardState || len(rd.Entries) > 0 {
		e := Event{Kind: EvPersist, Node: s.id, Saved: rd.SaveHardState, Entries: rd.Entries}
		if len(rd.Entries) > 0 {
			e.Index = rd.Entries[0].Index
		}
		w.emit(e)
		// Term and Vote are what the disk holds, which
		// UnsafeRules.ForgetVote makes differ from the vote in memory.
		w.out.patchLast(w.seq-1, func(e *Event) { e.Term, e.Vote = s.disk.hs.Term, s.disk.hs.VotedFor })
		if len(s.disk.log) > MaxLogLength {
			w.fail(&LimitError{Limit: "MaxLogLength", Value: MaxLogLength, What: s.id.String() + "'s log would hold " + itoa(len(s.disk.log)) + " entries"})
		}
	}
}

// snapConfig is the configuration a snapshot holds, or nil.
func snapConfig(snap *raft.Snapshot) *raft.Membership {
	if len(snap.Config.Voters) == 0 {
		return nil
	}
	return &snap.Config
}

// compact replaces s's log through the last entry it applied with a
// snapshot of its state machine (§7), and stores it.
func (w *world) compact(s *server) error {
	if err := s.node.Compact(s.node.AppliedIndex(), s.kv.Snapshot()); err != nil {
		return err
	}
	w.handle(s)
	return nil
}

func (w *world) send(m raft.Message) {
	msg := Message{ID: w.net.nextID, SentAt: w.now, Message: m}
	w.net.nextID++
	w.emit(Event{Kind: EvSend, Node: m.From, Peer: m.To, Msg: msg.ID, MsgType: m.Type, Summary: summarize(m)})
	if w.net.blocked[m.From][m.To] {
		w.emit(Event{Kind: EvLost, Node: m.From, Peer: m.To, Msg: msg.ID, MsgType: m.Type, Summary: summarize(m), Loss: LostLinkCut})
		return
	}
	if w.net.dropPerMille > 0 && w.rng.Intn(1000) < w.net.dropPerMille {
		w.emit(Event{Kind: EvLost, Node: m.From, Peer: m.To, Msg: msg.ID, MsgType: m.Type, Summary: summarize(m), Loss: LostRandom})
		return
	}
	if w.net.len() >= MaxInFlight {
		w.emit(Event{Kind: EvLost, Node: m.From, Peer: m.To, Msg: msg.ID, MsgType: m.Type, Summary: summarize(m), Loss: LostNetworkFull})
		return
	}
	lat := w.net.latencyMin
	if span := w.net.latencyMax - w.net.latencyMin; span > 0 {
		lat += int64(w.rng.Intn(int(span) + 1))
	}
	msg.ArriveAt = w.now + lat
	w.net.insert(msg)
}

// deliver hands in-flight message i to its receiver now.
func (w *world) deliver(i int) {
	m := w.net.take(i)
	to := w.servers[m.To-1]
	switch {
	case to.node == nil:
		w.emit(Event{Kind: EvLost, Node: m.From, Peer: m.To, Msg: m.ID, MsgType: m.Type, Summary: summarize(m.Message), Loss: LostReceiverDown})
	case w.net.blocked[m.From][m.To]:
		w.emit(Event{Kind: EvLost, Node: m.From, Peer: m.To, Msg: m.ID, MsgType: m.Type, Summary: summarize(m.Message), Loss: LostLinkCut})
	default:
		w.emit(Event{Kind: EvDeliver, Node: m.To, Peer: m.From, Msg: m.ID, MsgType: m.Type, Summary: summarize(m.Message)})
		before, stale := staleReply(to, m.Message)
		term := to.node.Term()
		to.node.Step(m.Message)
		if (m.Type == raft.MsgAppend || m.Type == raft.MsgSnap) && to.node.Term() == m.Term && to.node.Role() == raft.Follower {
			w.heard(to)
		}
		w.handled, w.handledMsg = m.Type, m.ID
		w.handle(to)
		w.handledMsg = 0
		if stale {
			w.repliedStale(to, term, m.Message, before)
		}
	}
}

// nextTimer returns the time at which the next timer fires, or -1.
func (w *world) nextTimer() int64 {
	if w.frozen {
		return -1
	}
	next := int64(-1)
	for _, s := range w.servers {
		if s.node == nil {
			continue
		}
		t := w.now + s.msUntil(int64(s.node.TimerRemaining()))
		if next < 0 || t < next {
			next = t
		}
	}
	return next
}

// tickTo advances the clock to t one millisecond at a time, ticking every
// running server in id order, so timers fire at the right moment.
func (w *world) tickTo(t int64) {
	if w.frozen {
		w.now = max(w.now, t)
		return
	}
	for w.now < t && !w.stopped() {
		// Jump over milliseconds in which no timer fires.
		step := t - w.now
		if nt := w.nextTimer(); nt >= 0 && nt-w.now < step {
			step = max(nt-w.now, 1)
		}
		w.now += step
		for _, s := range w.servers {
			if s.node == nil {
				continue
			}
			// A clock that drifts ticks more or less often than once a
			// millisecond.
			var n int64
			n, s.tickFrac = s.ticks(step)
			for k := int64(0); k < n; k++ {
				s.node.Tick()
			}
			w.check.servers[s.id].quiet += int(n)
			w.handle(s)
			w.ticked(s)
		}
	}
}

// next runs to the next event: the earliest message arrives, or the earliest
// timer fires (timers first on a tie).
func (w *world) next() error {
	tt := w.nextTimer()
	ta, inFlight := w.net.firstArrival()
	if !inFlight && tt < 0 {
		return refuse("nothing-to-do")
	}
	if inFlight {
		if tt < 0 || ta < tt {
			w.tickTo(ta)
			w.deliver(0)
			return nil
		}
	}
	w.tickTo(tt)
	return nil
}

// advance runs every event due in the next ms milliseconds, in order.
func (w *world) advance(ms int64) {
	end := w.now + ms
	for !w.stopped() {
		tt := w.nextTimer()
		if ta, ok := w.net.firstArrival(); ok {
			if ta <= end && (tt < 0 || ta < tt) {
				w.tickTo(max(ta, w.now))
				w.deliver(0)
				continue
			}
		}
		if tt >= 0 && tt <= end {
			w.tickTo(tt)
			continue
		}
		break
	}
	w.tickTo(end)
}
