package sim

import "slices"

// Shrinking: a run that breaks a property, reduced to a short run that
// breaks the same property (the approach of delta debugging, Zeller and
// Hildebrandt 2002, and of the tools that shrink distributed systems' runs
// after it). First messages are named by sender, receiver and type where
// that picks the same message as the id did; then actions are removed
// (delta debugging: halves, quarters, ... single actions; then every
// stretch of up to eight actions in a row); then the
// schedule is made simpler (deliveries in a row become one flush, drops
// one drop-all, steps in a row one "next N"); then values (a shorter
// advance, a plainer command). The three rounds repeat while they gain.
// Last, a bounded exhaustive search (shortest.go) looks for a shorter run
// among every run of fewer actions, which proves the run shortest when it
// covers them all.
//
// A candidate is replayed from the scenario; an action it refuses (a
// message no longer in flight) is left out, and the run ends at the action
// that breaks the property, so a candidate that breaks it gives a run at
// most as long. A Shrinker runs in slices like a Search: one unit is one
// replay, or one state of the exhaustive search.
type Shrinker struct {
	sc     Scenario
	prop   Property
	best   []Action
	found  Violation
	before int
	// replays counts the runs replayed; rounds the rounds of passes.
	replays, rounds int
	passes          []shrinkPass
	pass            int
	gained          bool // the current round shortened or simplified the run
	last            []Action
	proof           *shortest
	proofStates     int // the exhaustive search's budget
	maxRounds       int
	done            bool
	// cps[k] is the world after the first k*shrinkCheckpoint actions of
	// best, which candidates that share them replay from.
	cps []*world
}

// shrinkCheckpoint is how many actions of the best run lie between two
// worlds kept to replay candidates from; maxShrinkReplays bounds the work
// of the passes (delta debugging is quadratic at worst), after which the
// exhaustive search runs on the best run so far.
const (
	shrinkCheckpoint = 8
	maxShrinkReplays = 20000
)

// Shrunk is a shrinking's result so far.
type Shrunk struct {
	Scenario  Scenario
	Actions   []Action
	Violation Violation
	// Before and After are the run's lengths, in actions.
	Before, After int
	Replays       int
	// Shortest says what the exhaustive search showed: it proves the run
	// shortest when it covered every run of up to After-1 actions.
	Shortest ShortestProof
	Done     bool
}

// shrinkPass proposes simpler runs made from the best one.
type shrinkPass interface {
	// next proposes a candidate, or false when the pass has nothing more
	// to try on best.
	next(best []Action) ([]Action, bool)
	// accepted says the last candidate broke the property; the best run
	// changed.
	accepted()
}

// SetProofBudget bounds the exhaustive search for a shorter run to so many
// states (default 5,000; 0 skips it).
func (s *Shrinker) SetProofBudget(states int) { s.proofStates = states }

// NewShrinker prepares to shrink run, which breaks prop in sc.
func NewShrinker(sc Scenario, run []Action, prop Property) *Shrinker {
	s := &Shrinker{sc: sc, prop: prop, before: len(run), maxRounds: 4, proofStates: maxShortestStates}
	if eff, v, ok := s.replay(run); ok {
		s.best, s.found = s.named(eff), v
	} else {
		s.best, s.done = slices.Clone(run), true // it does not break prop: nothing to shrink
	}
	s.newRound()
	return s
}

func (s *Shrinker) newRound() {
	s.passes = []shrinkPass{&ddmin{n: 2}, &windows{k: 2}, &coarsen{}, &simplifyValues{}}
	s.pass, s.gained = 0, false
	s.rounds++
}

// Run takes up to units more units of work and reports whether shrinking
// is done.
func (s *Shrinker) Run(units int) bool {
	for k := 0; k < units && !s.done; k++ {
		s.step()
	}
	return s.done
}

func (s *Shrinker) step() {
	if s.proof != nil {
		if run, v, ok := s.proof.step(); ok {
			// A shorter run than all the shrinking found: take it.
			s.best, s.found = s.named(run), v
			s.proof = newShortest(s.sc, s.prop, len(s.best), s.proof.maxStates)
		}
		s.done = s.proof.done()
		return
	}
	if s.pass == len(s.passes) || s.replays >= maxShrinkReplays {
		if s.gained && s.rounds < s.maxRounds && s.replays < maxShrinkReplays {
			s.newRound()
		} else {
			s.proof = newShortest(s.sc, s.prop, len(s.best), s.proofStates)
		}
		return
	}
	cand, ok := s.passes[s.pass].next(s.best)
	if !ok {
		s.pass++
		return
	}
	s.replays++
	if eff, v, ok := s.replay(cand); ok && simpler(eff, s.best) {
		s.best, s.found, s.gained, s.cps = eff, v, true, nil
		s.passes[s.pass].accepted()
	}
}

// simpler reports whether a is shorter than b, or as long and made of
// plainer actions.
func simpler(a, b []Action) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return weight(a) < weight(b)
}

// weight measures how plain a run is: advances are long, commands wordy.
func weight(run []Action) int {
	w := 0
	for _, a := range run {
		w += int(min(a.Millis, 1<<20)) + len(a.Command) + a.LoseTail + a.Steps
		if a.Msg.ID != 0 {
			w++ // a message by id is harder to read than by sender and type
		}
	}
	return w
}

// Result is the shrinking's result so far.
func (s *Shrinker) Result() Shrunk {
	r := Shrunk{Scenario: s.sc, Actions: slices.Clone(s.best), Violation: s.found, Before: s.before, After: len(s.best),
		Replays: s.replays, Done: s.done}
	if s.proof != nil {
		r.Shortest = s.proof.result()
	}
	return r
}

// replay plays run from the scenario, leaving out the actions the cluster
// refuses, and ends it at the first action that breaks the property. It
// returns the actions played and the violation, or false. A run that
// begins as the best one does starts from the latest world kept along it.
func (s *Shrinker) replay(run []Action) ([]Action, Violation, bool) {
	s.checkpoints()
	k := min(commonPrefix(run, s.best)/shrinkCheckpoint, len(s.cps)-1)
	var w *world
	if k >= 0 {
		w = s.cps[k].clone()
	} else {
		sc := s.sc
		var err error
		if w, err = newSearchWorld(&sc); err != nil {
			return nil, Violation{}, false
		}
		k = 0
	}
	played := slices.Clone(run[:k*shrinkCheckpoint])
	for _, a := range run[k*shrinkCheckpoint:] {
		if len(played) >= maxSearchRun {
			break
		}
		seen := len(w.violations)
		if w.apply(a) != nil {
			continue
		}
		played = append(played, a)
		for _, v := range w.violations[seen:] {
			if v.Property == s.prop {
				return played, v, true
			}
		}
	}
	return nil, Violation{}, false
}

// checkpoints keeps worlds along the best run (which breaks the property
// only at its last action, so every world before it is clean).
func (s *Shrinker) checkpoints() {
	if s.cps != nil || s.best == nil {
		return
	}
	sc := s.sc
	w, err := newSearchWorld(&sc)
	if err != nil {
		return
	}
	s.cps = []*world{w.clone()}
	for i, a := range s.best[:len(s.best)-1] {
		_ = w.apply(a) // the best run plays every one of its actions
		if (i+1)%shrinkCheckpoint == 0 {
			s.cps = append(s.cps, w.clone())
		}
	}
}

// commonPrefix is how many actions a and b begin with alike.
func commonPrefix(a, b []Action) int {
	n := 0
	for n < len(a) && n < len(b) && sameAction(a[n], b[n]) {
		n++
	}
	return n
}

// sameAction compares two actions by their text, which says all of an
// action.
func sameAction(a, b Action) bool {
	return a.Op == b.Op && a.Node == b.Node && a.Msg == b.Msg && formatAction(a, compactText) == formatAction(b, compactText)
}

// named replaces each message named by id with the same message named by
// sender, receiver and type, where that selector picks it.
func (s *Shrinker) named(run []Action) []Action {
	sc := s.sc
	w, err := newSearchWorld(&sc)
	if err != nil {
		return run
	}
	out := slices.Clone(run)
	for i, a := range out {
		if a.Msg.ID != 0 && (a.Op == OpDeliver || a.Op == OpDrop || a.Op == OpDuplicate) {
			if k := w.net.find(a.Msg); k >= 0 {
				m := w.net.at(k)
				sel := MsgSelector{From: m.From, To: m.To, Type: m.Type}
				if w.net.find(sel) == k {
					out[i].Msg = sel
				}
			}
		}
		_ = w.apply(out[i])
	}
	return out
}

// ddmin removes chunks of the run: halves, then quarters, down to single
// actions, keeping each removal after which the property still breaks.
// Done, the run is 1-minimal: no single action can be left out.
type ddmin struct {
	n, i int
	cand []Action
}

func (d *ddmin) next(best []Action) ([]Action, bool) {
	for {
		if len(best) < 2 {
			return nil, false
		}
		d.n = min(max(d.n, 2), len(best))
		if d.i >= d.n {
			if d.n == len(best) {
				return nil, false
			}
			d.n, d.i = min(2*d.n, len(best)), 0
		}
		lo, hi := d.i*len(best)/d.n, (d.i+1)*len(best)/d.n
		d.i++
		if lo < hi {
			return slices.Concat(best[:lo], best[hi:]), true
		}
	}
}

func (d *ddmin) accepted() { d.n, d.i = max(d.n-1, 2), max(d.i-1, 0) }

// windows removes every stretch of k actions in a row, for k from 2 to 8:
// a plan of several actions (an election: a timeout, its requests and
// answers) that only together can go, wherever it starts, which the
// chunks of ddmin, cut at fixed places, miss.
type windows struct{ k, at int }

func (p *windows) next(best []Action) ([]Action, bool) {
	for ; p.k <= 8; p.k, p.at = p.k+1, 0 {
		if p.at+p.k <= len(best) {
			at := p.at
			p.at++
			return slices.Concat(best[:at], best[at+p.k:]), true
		}
	}
	return nil, false
}

func (p *windows) accepted() { p.at-- }

// coarsen makes the schedule simpler: each stretch of deliveries in a row
// becomes one flush, of drops one drop-all, of nexts one "next N", of
// advances one advance. (Clarify, explain.go, splits again a flush in
// which the switched-off rule decided.)
type coarsen struct{ at int }

func (c *coarsen) next(best []Action) ([]Action, bool) {
	for ; c.at < len(best); c.at++ {
		op := best[c.at].Op
		end := c.at + 1
		for end < len(best) && best[end].Op == op {
			end++
		}
		var with Action
		switch {
		case op == OpDeliver:
			with = Action{Op: OpFlush}
		case op == OpDrop:
			with = Action{Op: OpDropAll}
		case op == OpNext && end-c.at > 1:
			with = Action{Op: OpNext}
			for _, a := range best[c.at:end] {
				with.Steps += max(a.Steps, 1)
			}
		case op == OpAdvance && end-c.at > 1:
			with = Action{Op: OpAdvance}
			for _, a := range best[c.at:end] {
				with.Millis += a.Millis
			}
		default:
			continue
		}
		at := c.at
		c.at = end
		return slices.Concat(best[:at], []Action{with}, best[end:]), true
	}
	return nil, false
}

func (c *coarsen) accepted() { c.at = 0 }

// simplifyValues makes values plainer: an advance half as long, a command
// "set x 1", a restart that loses one entry fewer.
type simplifyValues struct{ at int }

func (p *simplifyValues) next(best []Action) ([]Action, bool) {
	for ; p.at < len(best); p.at++ {
		a := best[p.at]
		switch {
		case a.Op == OpAdvance && a.Millis > 1:
			a.Millis /= 2
		case a.Op == OpPropose && a.Command != "set x 1":
			a.Command = "set x 1"
		case a.Op == OpRestart && a.Amnesia == AmnesiaLogTail && a.LoseTail > 1:
			a.LoseTail--
		default:
			continue
		}
		cand := slices.Clone(best)
		cand[p.at] = a
		p.at++
		return cand, true
	}
	return nil, false
}

func (p *simplifyValues) accepted() { p.at-- } // try the same action again: halve once more
