package sim

import "slices"

// checkpointEvery is how many actions lie between two checkpoints: seeking
// restores the nearest checkpoint at or before the target and replays the
// rest.
const checkpointEvery = 32

// Cluster is a simulated Raft cluster with a history. A run is fully
// described by its Scenario and its action list; the same run always gives
// the same events, natively and in WebAssembly.
type Cluster struct {
	sc      Scenario
	start   State // before the setup
	w       *world
	actions []Action // every action recorded; the first pos are applied
	pos     int
	// checkpoints[k] is the world after k*checkpointEvery actions.
	checkpoints []*world
	// lazy skips checkpoints while recording (a random run); Seek makes
	// them when it first passes.
	lazy bool
	// quiet is the event count when the last action in effect began and
	// ended without an event (-1 otherwise): only such an advance grows.
	quiet int
}

// New starts a cluster in the scenario's starting state (setup included).
func New(sc Scenario) (*Cluster, error) {
	c := &Cluster{sc: sc, quiet: -1}
	c.sc.Servers = slices.Clone(sc.Servers)
	w, err := newWorld(&c.sc)
	if err != nil {
		return nil, err
	}
	c.start = w.state()
	if err := w.setup(); err != nil {
		return nil, err
	}
	c.w = w
	c.checkpoints = []*world{w.clone()}
	return c, nil
}

// StartState is the cluster's state before the scenario's setup ran: the
// servers as the scenario describes them. With the events, it tells every
// state the cluster went through.
func (c *Cluster) StartState() State { return c.start }

// Scenario returns the scenario the cluster started from.
func (c *Cluster) Scenario() Scenario { return c.sc }

// Do applies one action and records it. An invalid action returns an error
// and changes nothing. When the cluster was seeked back, Do discards the
// actions after the current position (like typing after an undo).
func (c *Cluster) Do(a Action) error {
	// An advance merges into the advance before it when that one caused
	// no event: playing the cluster advances it every frame, and frames in
	// which nothing happens should not each be a step of history, while a
	// step back still goes back one frame's events. Advancing a then b
	// equals advancing a+b. A merged advance stays within what the action
	// text can say.
	merge := a.Op == OpAdvance && c.pos > 0 && c.actions[c.pos-1].Op == OpAdvance &&
		c.quiet == len(c.w.events) && c.actions[c.pos-1].Millis+a.Millis <= MaxAdvance
	start := len(c.w.events)
	if merge {
		c.w.action = c.pos - 1
	} else {
		c.w.action = c.pos
	}
	if err := c.w.apply(a); err != nil {
		return err
	}
	c.quiet = -1
	if len(c.w.events) == start {
		c.quiet = start
	}
	if merge {
		c.actions = c.actions[:c.pos]
		c.actions[c.pos-1].Millis += a.Millis
		if c.pos%checkpointEvery == 0 {
			// The checkpoint after the merged action no longer matches it.
			c.checkpoints = c.checkpoints[:min(c.pos/checkpointEvery, len(c.checkpoints))]
		}
		return nil
	}
	c.actions = append(c.actions[:c.pos], a)
	c.pos++
	// Checkpoints past the new position describe a discarded future.
	// Checkpoints stay contiguous: checkpoints[k] exists only if every
	// earlier one does.
	keep := c.pos/checkpointEvery + 1
	if c.pos%checkpointEvery == 0 {
		keep--
	}
	c.checkpoints = c.checkpoints[:min(keep, len(c.checkpoints))]
	if c.pos%checkpointEvery == 0 && !c.lazy && len(c.checkpoints) == keep {
		c.checkpoints = append(c.checkpoints, c.w.clone())
	}
	return nil
}

// DoAll applies actions in order and stops at the first error, naming it.
func (c *Cluster) DoAll(as []Action) error {
	for i, a := range as {
		if err := c.Do(a); err != nil {
			return &ActionError{N: i + 1, Action: a, Err: err}
		}
	}
	return nil
}

// Actions returns the recorded actions; the first Position of them are in
// effect.
func (c *Cluster) Actions() []Action { return slices.Clone(c.actions) }

// Position is the number of recorded actions in effect.
func (c *Cluster) Position() int { return c.pos }

// Applied returns the actions in effect: with the scenario, they describe
// the current state exactly.
func (c *Cluster) Applied() []Action { return slices.Clone(c.actions[:c.pos]) }

// Undo takes back the last action in effect. It reports false when there is
// nothing to undo.
func (c *Cluster) Undo() bool {
	if c.pos == 0 {
		return false
	}
	c.Seek(c.pos - 1)
	return true
}

// Redo re-applies the next recorded action after an Undo or Seek.
func (c *Cluster) Redo() bool {
	if c.pos >= len(c.actions) {
		return false
	}
	c.Seek(c.pos + 1)
	return true
}

// Seek puts the cluster in the state after the first k recorded actions,
// clamped to the recorded range. It restores the nearest checkpoint and
// replays the actions after it.
func (c *Cluster) Seek(k int) {
	k = max(0, min(k, len(c.actions)))
	cp := min(k/checkpointEvery, len(c.checkpoints)-1)
	c.w = c.checkpoints[cp].clone()
	for i := cp * checkpointEvery; i < k; i++ {
		c.w.action = i
		// Recorded actions were valid when recorded and replay identically.
		_ = c.w.apply(c.actions[i])
		if (i+1)%checkpointEvery == 0 && (i+1)/checkpointEvery == len(c.checkpoints) {
			c.checkpoints = append(c.checkpoints, c.w.clone())
		}
	}
	c.pos = k
	c.quiet = -1
}

// Reset goes back to the starting state and forgets every action.
func (c *Cluster) Reset() {
	c.w = c.checkpoints[0].clone()
	c.checkpoints = c.checkpoints[:1]
	c.actions = nil
	c.pos = 0
	c.quiet = -1
}

// Events returns the events from sequence number from on. The slice is
// shared: do not change it.
func (c *Cluster) Events(from int) []Event {
	from = max(0, min(from, len(c.w.events)))
	return c.w.events[from:len(c.w.events):len(c.w.events)]
}

// EventCount is the number of events so far, setup included.
func (c *Cluster) EventCount() int { return len(c.w.events) }

// Violations returns every safety violation found so far.
func (c *Cluster) Violations() []Violation { return slices.Clone(c.w.violations) }

// Now is the virtual time in milliseconds.
func (c *Cluster) Now() int64 { return c.w.now }
