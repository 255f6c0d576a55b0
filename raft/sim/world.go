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
// clock, randomness, events and the checker. A checkpoint is a clone of it.
type world struct {
	sc     *Scenario
	rng    rng
	now    int64
	frozen bool

	servers []*server // servers[i] has id i+1
	net     network

	events     []Event
	violations []Violation
	check      *checker
	action     int // index of the action being applied (-1: setup)
}

// server is one simulated machine: the Raft node while it runs, its disk,
// and its state machine.
type server struct {
	id      raft.NodeID
	node    *raft.Node // nil while crashed
	storage raft.MemoryStorage
	kv      KV
}

// worldRand lets the servers draw election timeouts from the world's rng.
type worldRand struct{ w *world }

func (r worldRand) IntN(n int) int { return r.w.rng.Intn(n) }

func (w *world) config(id raft.NodeID) raft.Config {
	peers := make([]raft.NodeID, len(w.servers))
	for i := range peers {
		peers[i] = raft.NodeID(i + 1)
	}
	return raft.Config{
		ID:                  id,
		Peers:               peers,
		ElectionTimeoutMin:  w.sc.ElectionTimeoutMin,
		ElectionTimeoutMax:  w.sc.ElectionTimeoutMax,
		HeartbeatTicks:      w.sc.HeartbeatInterval,
		MaxEntriesPerAppend: cmp.Or(w.sc.MaxEntries, 64),
		Rand:                worldRand{w},
		Unsafe:              w.sc.Unsafe,
	}
}

func newWorld(sc *Scenario) (*world, error) {
	if sc.Nodes < 1 || sc.Nodes > raft.MaxNodes {
		return nil, errors.New("a cluster has 1 to 9 servers")
	}
	w := &world{sc: sc, rng: newRNG(sc.Seed), frozen: sc.FrozenTimers, check: newChecker(), action: -1}
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
		s.storage.HardState = raft.HardState{Term: setup.Term, VotedFor: setup.VotedFor}
		for i, t := range setup.Log {
			cmd := "set x" + itoa(i+1) + " " + itoa(i+1)
			if i < len(setup.Commands) {
				cmd = setup.Commands[i]
			}
			s.storage.Entries = append(s.storage.Entries, raft.Entry{Term: t, Index: raft.Index(i + 1), Data: cmd})
		}
	}
	for i, s := range w.servers {
		crashed := slices.ContainsFunc(sc.Servers, func(ss ServerSetup) bool { return ss.ID == s.id && ss.Crashed })
		if crashed {
			continue
		}
		n, err := s.storage.Restart(w.config(s.id))
		if err != nil {
			return nil, errors.New(s.id.String() + ": " + err.Error())
		}
		w.servers[i].node = n
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
		if s.node != nil {
			w.check.observe(s.id, s.node.Role(), s.node.Term(), s.node.Entries(), w.reportViolation)
		}
	}
	for i, a := range sc.Setup {
		if err := w.apply(a); err != nil {
			return nil, errors.New("setup action " + itoa(i+1) + " (" + FormatAction(a) + "): " + err.Error())
		}
	}
	return w, nil
}

func (w *world) clone() *world {
	c := *w
	c.servers = make([]*server, len(w.servers))
	for i, s := range w.servers {
		cs := &server{id: s.id, kv: s.kv.Clone()}
		cs.storage.HardState = s.storage.HardState
		cs.storage.Entries = slices.Clone(s.storage.Entries)
		if s.node != nil {
			cs.node = s.node.Clone(worldRand{&c})
		}
		c.servers[i] = cs
	}
	c.net = w.net.clone()
	c.events = w.events[:len(w.events):len(w.events)]
	c.violations = w.violations[:len(w.violations):len(w.violations)]
	c.check = w.check.clone()
	return &c
}

func (w *world) emit(e Event) {
	e.Seq = len(w.events)
	e.Time = w.now
	e.Action = w.action
	if e.Node != raft.None {
		if n := w.servers[e.Node-1].node; n != nil {
			e.Role = n.Role()
			if e.Kind != EvPropose && e.Kind != EvApply {
				e.Term = n.Term()
			}
		}
	}
	w.events = append(w.events, e)
}

func (w *world) reportViolation(v Violation) {
	v.Event = len(w.events)
	v.Action = w.action
	w.violations = append(w.violations, v)
	vv := v
	w.emit(Event{Kind: EvViolation, Violation: &vv, Node: v.Nodes[0]})
}

// handle does what server s's node asks in its Ready: persist, send, apply.
func (w *world) handle(s *server) {
	n := s.node
	if !n.HasReady() {
		return
	}
	rd := n.Ready()
	// Persist before any message leaves (Figure 2).
	s.storage.Save(rd)
	for _, why := range rd.Notes {
		w.emit(Event{Kind: EvNote, Node: s.id, Peer: why.Peer, Reason: why})
	}
	for _, m := range rd.Messages {
		w.send(m)
	}
	for _, e := range rd.CommittedEntries {
		w.check.applied(s.id, n.Term(), e, w.reportViolation)
		if e.Kind == raft.EntryCommand {
			s.kv.Apply(e.Data)
		}
		w.emit(Event{Kind: EvApply, Node: s.id, Index: e.Index, Term: e.Term, Text: e.Data})
	}
	n.Advance()
	w.check.observe(s.id, n.Role(), n.Term(), n.Entries(), w.reportViolation)
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
		to.node.Step(m.Message)
		w.handle(to)
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
		t := w.now + int64(s.node.TimerRemaining())
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
	for w.now < t {
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
			for k := int64(0); k < step; k++ {
				s.node.Tick()
			}
			w.handle(s)
		}
	}
}

// next runs to the next event: the earliest message arrives, or the earliest
// timer fires (timers first on a tie).
func (w *world) next() error {
	tt := w.nextTimer()
	if len(w.net.inFlight) == 0 && tt < 0 {
		return errors.New("nothing to do: no message is in flight and the timers are frozen")
	}
	if len(w.net.inFlight) > 0 {
		if ta := w.net.inFlight[0].ArriveAt; tt < 0 || ta < tt {
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
	for {
		tt := w.nextTimer()
		if len(w.net.inFlight) > 0 {
			if ta := w.net.inFlight[0].ArriveAt; ta <= end && (tt < 0 || ta < tt) {
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
