package goal

import (
	"raftlab/raft"
	"raftlab/raft/sim"
)

// Watcher evaluates goals over one cluster, incrementally. Goals are latched:
// once met, a goal stays met for as long as the cluster does not go back
// before the moment it was met (see the package doc).
type Watcher struct {
	goals    []Goal
	met      []bool
	happened []bool // bounds: their condition has held
	broken   []bool // bounds: it held before the others were met

	c         *sim.Cluster
	seen      int       // events processed
	last      sim.Event // the last event processed, to notice a changed history
	f         *facts
	started   bool        // the start (after the setup) has been looked at
	groupNode raft.NodeID // the server whose step the current events belong to
	open      bool        // a step of the run was read whose moment has not been looked at
}

// NewWatcher returns a watcher of goals; nothing is met until Update.
func NewWatcher(goals []Goal) *Watcher {
	w := &Watcher{goals: goals}
	w.reset(nil)
	return w
}

// Goals returns the goals watched.
func (w *Watcher) Goals() []Goal { return w.goals }

func (w *Watcher) reset(c *sim.Cluster) {
	n := len(w.goals)
	w.met, w.happened, w.broken = make([]bool, n), make([]bool, n), make([]bool, n)
	w.c, w.seen, w.last, w.started, w.groupNode, w.open = c, 0, sim.Event{}, false, raft.None, false
	w.f = nil
	if c != nil {
		track := false
		for i := range w.goals {
			for _, cd := range w.goals[i].conds {
				track = track || cd.pred.word == "overwritten"
			}
		}
		w.f = newFacts(c.StartState(), track)
	}
}

// Update reads the events c added since the last call and returns, for
// each goal, whether it is met. It starts over when c is not the cluster of
// the last call, or when c's history no longer begins with the events
// already read (an undo, a seek or a reset went back). Events the cluster
// no longer keeps (see sim.EventWindow) it reads from a replay of the run.
func (w *Watcher) Update(c *sim.Cluster) []bool {
	if c != w.c || c.EventCount() < w.seen || (w.seen > 0 && !w.sameLast(c)) || w.seen < c.FirstEvent() {
		w.reset(c)
	}
	if w.seen < c.FirstEvent() {
		until := c.EventCount()
		if err := c.Replay(func(e *sim.Event) {
			if e.Seq < until {
				w.feed(e)
			}
		}); err != nil {
			// The run can no longer be replayed (sim.MaxRunActions): start
			// from the oldest event kept, as if the run began there.
			w.seen = c.FirstEvent()
		}
	}
	evs := c.Events(w.seen)
	for i := range evs {
		w.feed(&evs[i])
	}
	if w.open {
		w.moment() // the last step read so far has ended: an Update follows a whole action
		w.open = false
	}
	if !w.started {
		w.start() // only setup so far: now is the start
	}
	return w.Met()
}

// feed reads one event. A moment ends when the next event does not
// continue its step (or at the end of Update).
func (w *Watcher) feed(e *sim.Event) {
	run := e.Action >= 0
	cont := w.seen > 0 && continues(*e, w.last, w.groupNode)
	if w.open && !cont {
		w.moment()
		w.open = false
	}
	if run && !w.started {
		w.start() // the state the setup left
	}
	if !cont {
		w.groupNode = e.Node
	}
	fx := w.f.apply(e, run)
	if run {
		w.event(e, &fx)
		w.open = true
	}
	w.last, w.seen = *e, e.Seq+1
}

// Met returns, for each goal, whether it is met (as of the last Update).
func (w *Watcher) Met() []bool { return append([]bool(nil), w.met...) }

// Broken returns, for each goal, whether it is a bound ("never …") whose
// condition happened before the other goals were met: it cannot be met
// again without going back.
func (w *Watcher) Broken() []bool { return append([]bool(nil), w.broken...) }

// Check returns which goals a cluster has met so far.
func Check(goals []Goal, c *sim.Cluster) []bool { return NewWatcher(goals).Update(c) }

func (w *Watcher) sameLast(c *sim.Cluster) bool {
	a, ok := c.Event(w.seen - 1)
	b := &w.last
	return ok && a.Seq == b.Seq && a.Time == b.Time && a.Action == b.Action && a.Kind == b.Kind &&
		a.Node == b.Node && a.Peer == b.Peer && a.Msg == b.Msg && a.Dup == b.Dup &&
		a.MsgType == b.MsgType && a.Index == b.Index && a.Term == b.Term && a.Role == b.Role &&
		a.Text == b.Text && a.Value == b.Value && a.Found == b.Found && a.Reason == b.Reason &&
		a.Amnesia == b.Amnesia && a.Summary == b.Summary
}

// continues reports whether next belongs to the same step of a server as
// prev: a server's notes, sends and applies follow what made it step (a
// delivery, a timeout, a request; or nothing, for a timer that ran out), and
// the checker's reports follow them.
func continues(next, prev sim.Event, node raft.NodeID) bool {
	if next.Action != prev.Action || next.Time != prev.Time {
		return false
	}
	switch next.Kind {
	case sim.EvViolation:
		return true
	case sim.EvNote, sim.EvSend, sim.EvApply:
		return next.Node == node
	case sim.EvLost:
		return next.Node == node && next.Loss != sim.LostReceiverDown
	}
	return false
}

// start looks at the starting state: the moment after the setup.
func (w *Watcher) start() {
	w.moment()
	w.f.markMajority()
	w.started = true
}

// event checks the event conditions against one event of the run.
func (w *Watcher) event(e *sim.Event, fx *effects) {
	for i := range w.goals {
		g := &w.goals[i]
		if !g.event || w.met[i] || !g.conds[0].pred.matches(&g.conds[0], e, fx) {
			continue
		}
		if g.mode == modeNever {
			w.happened[i] = true
		} else {
			w.met[i] = true
		}
	}
}

// moment looks at the state after a step (or at the start).
func (w *Watcher) moment() {
	for i := range w.goals {
		g := &w.goals[i]
		if g.event || w.met[i] {
			continue
		}
		holds := true
		for k := range g.conds {
			if !g.conds[k].holds(w.f) {
				holds = false
				break
			}
		}
		if !holds {
			continue
		}
		if g.mode == modeNever {
			w.happened[i] = true
		} else {
			w.met[i] = true
		}
	}
	// Bounds: met once every other goal is, if they still hold.
	all := true
	for i := range w.goals {
		if w.goals[i].mode != modeNever && !w.met[i] {
			all = false
		}
	}
	for i := range w.goals {
		if w.goals[i].mode != modeNever || w.met[i] {
			continue
		}
		if w.happened[i] {
			w.broken[i] = true
		} else if all {
			w.met[i] = true
		}
	}
}

// holds evaluates a state condition at this moment.
func (c *cond) holds(f *facts) bool {
	if c.subj.kind == subjServer {
		n := f.server(c.subj.id)
		return n != nil && c.pred.holds(c, n, f)
	}
	if c.subj.kind == subjMajority {
		return f.majority(func(n *server) bool { return c.pred.holds(c, n, f) })
	}
	count := 0
	for i := range f.servers {
		if c.pred.holds(c, &f.servers[i], f) {
			count++
		}
	}
	switch c.subj.kind {
	case subjAny:
		return count >= 1
	case subjAll:
		return count == len(f.servers)
	case subjNo:
		return count == 0
	case subjAtLeast:
		return count >= c.subj.count
	}
	return false
}

// Servers lists the servers g names, so that a chapter can check them
// against its cluster's size.
func (g Goal) Servers() []raft.NodeID {
	var ids []raft.NodeID
	for _, c := range g.conds {
		if c.subj.kind == subjServer {
			ids = append(ids, c.subj.id)
		}
		if c.other != raft.None {
			ids = append(ids, c.other)
		}
	}
	return ids
}

// MinServers is the smallest cluster g makes sense in: "4 servers have …"
// needs at least 4.
func (g Goal) MinServers() int {
	m := 0
	for _, c := range g.conds {
		if c.subj.kind == subjAtLeast {
			m = max(m, c.subj.count)
		}
	}
	return m
}
