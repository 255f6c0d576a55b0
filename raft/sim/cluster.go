package sim

import (
	"slices"
)

// Cluster is a simulated Raft cluster with a history. A run is fully
// described by its Scenario and its action list; the same run always gives
// the same events, natively and in WebAssembly.
//
// Memory stays bounded however long a cluster runs (see limits.go): it
// keeps the latest EventWindow events, the latest MaxHistory actions with a
// checkpoint every CheckpointEvery of them, and the actions before those
// merged into a short run. Positions (Position, Seek, Event.Action) count
// every action since the start.
type Cluster struct {
	sc    Scenario
	start State // before the setup
	out   *eventLog
	w     *world

	// The history: base actions are folded into the starting point of the
	// history (cps[0] is the world after them); actions are recorded after
	// it, and the first pos of them are in effect.
	base    int
	actions []Action
	counts  []int // the events each recorded action caused
	pos     int
	// cps[k] is the world after base + k*CheckpointEvery actions.
	// Checkpoints stay contiguous: cps[k] exists only if every earlier one
	// does.
	cps []*world
	// prefix is the folded actions, merged (with the events each caused);
	// lost says it outgrew MaxRunActions, so the run can no longer be
	// written out.
	prefix       []Action
	prefixCounts []int
	lost         bool
	// lazy skips checkpoints while recording (a random run); Seek makes
	// them when it first passes.
	lazy bool
	// quiet is the event count when the last action in effect began and
	// ended without an event (-1 otherwise): only such an advance grows.
	quiet int
}

// New starts a cluster in the scenario's starting state (setup included).
func New(sc Scenario) (*Cluster, error) {
	c := &Cluster{}
	if err := c.init(sc); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Cluster) init(sc Scenario) error {
	sc.Servers = slices.Clone(sc.Servers)
	w, err := newWorld(&sc)
	if err != nil {
		return err
	}
	start := w.state()
	if err := w.setup(); err != nil {
		return err
	}
	*c = Cluster{sc: sc, start: start, out: w.out, w: w, cps: []*world{w.clone()}, quiet: -1}
	return nil
}

// StartState is the cluster's state before the scenario's setup ran: the
// servers as the scenario describes them. With the events, it tells every
// state the cluster went through.
func (c *Cluster) StartState() State { return c.start }

// Scenario returns the scenario the cluster started from.
func (c *Cluster) Scenario() Scenario { return c.sc }

// Do applies one action and records it. An invalid action returns an error
// and changes nothing; so does an action that would break a limit while it
// runs (a *LimitError). When the cluster was seeked back, Do discards the
// actions after the current position (like typing after an undo).
func (c *Cluster) Do(a Action) error {
	// An advance merges into the advance before it when that one caused
	// no event: playing the cluster advances it every frame, and frames in
	// which nothing happens should not each be a step of history, while a
	// step back still goes back one frame's events. Advancing a then b
	// equals advancing a+b. A merged advance stays within MaxAdvance.
	merge := a.Op == OpAdvance && c.pos > 0 && c.actions[c.pos-1].Op == OpAdvance &&
		c.quiet == c.w.seq && c.actions[c.pos-1].Millis+a.Millis <= MaxAdvance
	start := c.w.seq
	c.w.action = c.base + c.pos
	if merge {
		c.w.action--
	}
	if err := c.w.apply(a); err != nil {
		if c.w.err != nil {
			c.seek(c.pos, true) // it stopped half-way: go back to before it
		}
		return err
	}
	c.quiet = -1
	if c.w.seq == start {
		c.quiet = start
	}
	if merge {
		c.actions, c.counts = c.actions[:c.pos], c.counts[:c.pos]
		c.actions[c.pos-1].Millis += a.Millis
		if c.pos%CheckpointEvery == 0 {
			// The checkpoint after the merged action no longer matches it.
			c.cps = c.cps[:min(c.pos/CheckpointEvery, len(c.cps))]
		}
		return nil
	}
	c.actions = append(c.actions[:c.pos], a)
	c.counts = append(c.counts[:c.pos], c.w.seq-start)
	c.pos++
	// Checkpoints past the new position describe a discarded future.
	keep := c.pos/CheckpointEvery + 1
	if c.pos%CheckpointEvery == 0 {
		keep--
	}
	c.cps = c.cps[:min(keep, len(c.cps))]
	if c.lazy && c.pos >= MaxHistory {
		// A random run grows past MaxHistory: make the checkpoints it
		// skipped (Seek makes them as it passes), so the history can fold.
		c.lazy = false
		c.seek(c.pos, true)
	}
	if c.pos%CheckpointEvery == 0 && !c.lazy && len(c.cps) == keep {
		c.cps = append(c.cps, c.w.clone())
	}
	if c.pos > MaxHistory && len(c.cps) > 1 {
		c.fold()
	}
	return nil
}

// fold moves the oldest CheckpointEvery actions out of the history into the
// merged prefix of the run.
func (c *Cluster) fold() {
	if !c.lost {
		c.prefix, c.prefixCounts = merged(c.prefix, c.prefixCounts, c.actions[:CheckpointEvery], c.counts[:CheckpointEvery])
		if len(c.prefix) > MaxRunActions {
			c.prefix, c.prefixCounts, c.lost = nil, nil, true
		}
	}
	c.actions = slices.Clone(c.actions[CheckpointEvery:])
	c.counts = slices.Clone(c.counts[CheckpointEvery:])
	c.pos -= CheckpointEvery
	c.base += CheckpointEvery
	c.cps = slices.Clone(c.cps[1:])
}

// merged returns run followed by as (counts give the events each action
// caused), merging an action into the one before it when replaying the two
// as one gives the same events within the limits of one action:
// consecutive advances (advance a, then b, runs every event due in the
// next a+b milliseconds in time order) and consecutive nexts (a next that
// ran out of events is never followed by another). It copies run rather
// than change it.
func merged(run []Action, counts []int, as []Action, n []int) ([]Action, []int) {
	run, counts = slices.Clone(run), slices.Clone(counts)
	for i, a := range as {
		if k := len(run) - 1; k >= 0 && counts[k]+n[i] <= MaxEventsPerAction {
			last := &run[k]
			switch {
			case a.Op == OpAdvance && last.Op == OpAdvance && last.Millis+a.Millis <= MaxAdvance:
				last.Millis += a.Millis
				counts[k] += n[i]
				continue
			case a.Op == OpNext && last.Op == OpNext && max(last.Steps, 1)+max(a.Steps, 1) <= MaxNext:
				last.Steps = max(last.Steps, 1) + max(a.Steps, 1)
				counts[k] += n[i]
				continue
			}
		}
		run, counts = append(run, a), append(counts, n[i])
	}
	return run, counts
}

// DoAll applies actions in order and stops at the first error, an
// *ActionError naming it.
func (c *Cluster) DoAll(as []Action) error {
	for i, a := range as {
		if err := c.Do(a); err != nil {
			return &ActionError{N: i + 1, Action: a, Err: err}
		}
	}
	return nil
}

// Position is the number of actions in effect since the start.
func (c *Cluster) Position() int { return c.base + c.pos }

// Recorded is the number of actions recorded since the start; after an
// undo it is more than Position.
func (c *Cluster) Recorded() int { return c.base + len(c.actions) }

// Oldest is the earliest position Seek can go back to: MaxHistory actions
// before the latest, at most.
func (c *Cluster) Oldest() int { return c.base }

// History returns the recorded actions that can still be undone or redone,
// from position Oldest on.
func (c *Cluster) History() []Action { return slices.Clone(c.actions) }

// errRunLost says a run is too long to be written out.
var errRunLost = refuse("run-too-long", "max", itoa(MaxRunActions))

// Run returns the actions in effect, as few as can say them: with the
// scenario, they rebuild the current state exactly. Consecutive advances
// and consecutive nexts come merged (see merged), so an hour of playing is
// a few actions. A run longer than MaxRunActions, even merged, cannot be
// written out: Run returns an error.
func (c *Cluster) Run() ([]Action, error) {
	if c.lost {
		return nil, errRunLost
	}
	run, _ := merged(c.prefix, c.prefixCounts, c.actions[:c.pos], c.counts[:c.pos])
	return run, nil
}

// Undo takes back the last action in effect. It reports false when there is
// nothing to undo.
func (c *Cluster) Undo() bool {
	if c.pos == 0 {
		return false
	}
	c.Seek(c.Position() - 1)
	return true
}

// Redo re-applies the next recorded action after an Undo or Seek.
func (c *Cluster) Redo() bool {
	if c.pos >= len(c.actions) {
		return false
	}
	c.Seek(c.Position() + 1)
	return true
}

// Seek puts the cluster in the state after the first k actions since the
// start, clamped to the range from Oldest to Recorded. It restores the
// nearest checkpoint and replays the actions after it.
func (c *Cluster) Seek(k int) { c.seek(k-c.base, false) }

// seek goes to position k of the history. Forward it plays on from where
// the cluster is (the events up to there are kept already); backward, or
// with restore, it restores the nearest checkpoint at or before k.
func (c *Cluster) seek(k int, restore bool) {
	k = max(0, min(k, len(c.actions)))
	from := c.pos
	if restore || k < c.pos {
		from = min(k/CheckpointEvery, len(c.cps)-1) * CheckpointEvery
		c.w = c.cps[from/CheckpointEvery].clone()
		c.out.truncate(c.w.seq)
	}
	for i := from; i < k; i++ {
		c.w.action = c.base + i
		// Recorded actions were valid when recorded and replay identically.
		_ = c.w.apply(c.actions[i])
		if (i+1)%CheckpointEvery == 0 && (i+1)/CheckpointEvery == len(c.cps) {
			c.cps = append(c.cps, c.w.clone())
		}
	}
	c.pos = k
	c.quiet = -1
}

// Reset goes back to the starting state and forgets every action.
func (c *Cluster) Reset() {
	lazy := c.lazy
	if err := c.init(c.sc); err != nil {
		panic("sim: a cluster's scenario no longer starts: " + err.Error()) // it started before
	}
	c.lazy = lazy
}

// Events returns a copy of the events from sequence number from on, of
// those the cluster still keeps (see FirstEvent).
func (c *Cluster) Events(from int) []Event { return c.out.from(from) }

// Event returns the event of sequence number seq, if the cluster still
// keeps it.
func (c *Cluster) Event(seq int) (Event, bool) { return c.out.get(seq) }

// Observe calls f with every event from now on as it is recorded, so that
// a tool can write out a run of any length. After a Seek back or a refused
// action, the events from the restored checkpoint on are recorded again:
// f sees their sequence numbers go back.
func (c *Cluster) Observe(f func(*Event)) { c.out.observe = f }

// FirstEvent is the sequence number of the oldest event the cluster still
// keeps; Replay gives the ones before it.
func (c *Cluster) FirstEvent() int { return min(c.out.first, c.w.seq) }

// EventCount is the number of events so far, setup included.
func (c *Cluster) EventCount() int { return c.w.seq }

// Replay plays the run again from the scenario, in a world of its own, and
// calls f with every event from the first: the events the cluster no
// longer keeps, and the rest. It fails when the run can no longer be
// written out (see Run).
func (c *Cluster) Replay(f func(*Event)) error {
	run, err := c.Run()
	if err != nil {
		return err
	}
	sc := c.sc
	w, err := newWorld(&sc)
	if err != nil {
		return err
	}
	w.out.sink = f
	if err := w.setup(); err != nil {
		return err
	}
	for i, a := range run {
		w.action = i
		_ = w.apply(a)
	}
	return nil
}

// Violations returns every safety violation found so far.
func (c *Cluster) Violations() []Violation { return slices.Clone(c.w.violations) }

// Now is the virtual time in milliseconds.
func (c *Cluster) Now() int64 { return c.w.now }
