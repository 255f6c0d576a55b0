package sim

import "slices"

// Hunt goes the whole way from a switched-off rule to an explained run: it
// searches (Search), shrinks what it found (Shrinker), then explains the
// shrunk run (Explain), in slices of work, so that a page can show each
// phase's progress and stop it. Stopped while shrinking, the best run so
// far is a run that breaks the property all the same.
type Hunt struct {
	search      *Search
	shrink      *Shrinker
	proofStates int
	found       Found
	ex          *Explanation
	clear       []Action // the shrunk run as Clarify splits it
	phase       HuntPhase
}

// HuntPhase is where a hunt is.
type HuntPhase uint8

const (
	Searching HuntPhase = iota
	Shrinking
	Explaining
	HuntDone     // found, shrunk and explained
	HuntNotFound // the search's budget is spent
)

var huntPhaseNames = [...]string{"searching", "shrinking", "explaining", "done", "not-found"}

func (p HuntPhase) String() string {
	if int(p) < len(huntPhaseNames) {
		return huntPhaseNames[p]
	}
	return "phase"
}

// HuntProgress is how far a hunt has come.
type HuntProgress struct {
	Phase  HuntPhase
	Search SearchProgress
	// Shrunk is the shrinking's result so far (from Shrinking on).
	Shrunk *Shrunk
}

// HuntResult is what a hunt found: the run as found, as shrunk, and its
// explanation (when the hunt got that far). Run is the shrunk run as
// Clarify split it (the steps the explanation counts): the same actions,
// but for a flush or an advance in which the rule decided, shown as the
// single deliveries it made.
type HuntResult struct {
	Switch      Switch
	Found       Found
	Shrunk      Shrunk
	Run         []Action
	Explanation *Explanation
}

// NewHunt prepares a hunt; proofStates bounds the exhaustive search for a
// shorter run (Shrinker.SetProofBudget).
func NewHunt(opt SearchOptions, proofStates int) (*Hunt, error) {
	s, err := NewSearch(opt)
	if err != nil {
		return nil, err
	}
	return &Hunt{search: s, proofStates: proofStates}, nil
}

// Run takes up to units more units of work and reports whether the hunt
// is over. The explanation is one unit, however long.
func (h *Hunt) Run(units int) bool {
	for ; units > 0 && h.phase < HuntDone; units-- {
		switch h.phase {
		case Searching:
			if h.search.Run(1) {
				f, ok := h.search.Found()
				if !ok {
					h.phase = HuntNotFound
					break
				}
				h.found = f
				h.shrink = NewShrinker(f.Scenario, f.Actions, f.Violation.Property)
				h.shrink.SetProofBudget(h.proofStates)
				h.phase = Shrinking
			}
		case Shrinking:
			if h.shrink.Run(1) {
				h.phase = Explaining
			}
		case Explaining:
			r := h.shrink.Result()
			if run, ex, ok := Clarify(r.Scenario, r.Actions, r.Violation.Property); ok {
				h.ex, h.clear = &ex, run
			}
			h.phase = HuntDone
		}
	}
	return h.phase >= HuntDone
}

// Progress tells how far the hunt has come.
func (h *Hunt) Progress() HuntProgress {
	p := HuntProgress{Phase: h.phase, Search: h.search.Progress()}
	if h.shrink != nil {
		r := h.shrink.Result()
		p.Shrunk = &r
	}
	return p
}

// Result is what the hunt found so far: false before the search found
// anything.
func (h *Hunt) Result() (HuntResult, bool) {
	if h.shrink == nil {
		return HuntResult{}, false
	}
	r := HuntResult{Switch: h.search.Switch(), Found: h.found, Shrunk: h.shrink.Result(), Explanation: h.ex}
	r.Run = r.Shrunk.Actions
	if h.clear != nil {
		r.Run = slices.Clone(h.clear)
	}
	return r, true
}
