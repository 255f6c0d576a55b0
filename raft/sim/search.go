package sim

import (
	"errors"
	"slices"
	"strconv"

	"raftlab/raft"
)

// Search looks for a run that breaks what a switched-off rule protects:
// swarm schedules (search_mix.go) whose moves lean on the events that
// switch needs (search_hunts.go), and, for the bugs random schedules reach
// too rarely, a breadth-first search over small scopes (search_bfs.go),
// taking turns. It is deterministic: a seed gives the same schedules in the
// same order, so the same find after the same work, natively and in
// WebAssembly. It runs in slices (Run), so that a page can show progress
// and stop it; the caller measures time, the search only counts.
type Search struct {
	opt    SearchOptions
	sw     Switch
	tactic tactic
	bfs    *bfs
	units  int // work units taken: swarm schedules and breadth-first expansions
	prog   SearchProgress
	found  *Found
}

// SearchOptions says what to search for.
type SearchOptions struct {
	// Switch names the rule switched off ("commit-earlier-terms"; see
	// Switches).
	Switch string
	Seed   int64
	// Nodes fixes the cluster's size, 3 to 9 (0: the size each schedule
	// draws, or the one the switch's bug needs).
	Nodes int
	// MaxSchedules bounds the search (0: until found or stopped).
	MaxSchedules int
	// Scenario, when set, is where every schedule starts (a level's
	// cluster: its servers, network and setup), with the rule switched
	// off in it; schedules then draw only their moves, and Nodes is not
	// used.
	Scenario *Scenario
	// Property, when set, is the one property whose violation counts.
	Property Property
}

// SearchProgress is how far a search has come.
type SearchProgress struct {
	Schedules int // runs tried: swarm schedules, and moves of the breadth-first search
	Steps     int // actions tried in them
	Found     bool
	// Done: found, or the budget spent, or nothing left to try.
	Done bool
	// BFSStates and BFSDepth: the states the breadth-first search
	// explored, and how deep (0 when the switch has none).
	BFSStates, BFSDepth int
}

// Found is a run that broke a wanted property.
type Found struct {
	Scenario  Scenario
	Actions   []Action
	Violation Violation
	// Schedules and Steps: the work it took, the finding run included.
	Schedules, Steps int
	// BFS says the breadth-first search found it (else a swarm schedule).
	BFS bool
}

// maxSearchRun bounds one schedule's actions, and scheduleMoves its moves.
const (
	maxSearchRun  = 2000
	scheduleMoves = 300
)

// NewSearch prepares a search; Run runs it.
func NewSearch(opt SearchOptions) (*Search, error) {
	sw, ok := SwitchNamed(opt.Switch)
	if !ok {
		return nil, errors.New("no rule switch " + strconv.Quote(opt.Switch) + "; expected one of: " + joinNames(SwitchNames()))
	}
	if opt.Nodes != 0 && (opt.Nodes < 3 || opt.Nodes > 9) {
		return nil, errors.New("a search runs on 3 to 9 servers")
	}
	if opt.Scenario != nil {
		sc := *opt.Scenario
		sc.Servers = slices.Clone(sc.Servers)
		opt.Scenario, opt.Nodes = &sc, sc.Nodes
		if _, err := New(sc); err != nil {
			return nil, err
		}
	}
	s := &Search{opt: opt, sw: sw, tactic: tactics[sw.Name]}
	if s.tactic.bfs != nil {
		scope := *s.tactic.bfs
		if opt.Nodes != 0 {
			scope.nodes = opt.Nodes
		}
		var err error
		if s.bfs, err = newBFS(scope, s.bfsScenario(scope), opt.Seed); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func joinNames(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out
}

// Switch is the switch searched for.
func (s *Search) Switch() Switch { return s.sw }

// Progress tells how far the search has come.
func (s *Search) Progress() SearchProgress {
	p := s.prog
	if s.bfs != nil {
		p.BFSStates, p.BFSDepth = s.bfs.states, s.bfs.depth
	}
	return p
}

// Found returns what the search found, if it has.
func (s *Search) Found() (Found, bool) {
	if s.found == nil {
		return Found{}, false
	}
	f := *s.found
	f.Actions = slices.Clone(f.Actions)
	return f, true
}

// Run takes up to units more units of work — a swarm schedule, or all the
// moves from one state of the breadth-first search — and reports whether
// the search is done.
func (s *Search) Run(units int) bool {
	for k := 0; k < units && !s.prog.Done; k++ {
		if s.opt.MaxSchedules > 0 && s.prog.Schedules >= s.opt.MaxSchedules {
			s.prog.Done = true
			break
		}
		u := s.units
		s.units++
		if s.bfs != nil && !s.bfs.done() && u%s.tactic.bfsEvery == 0 {
			s.bfsUnit()
		} else {
			s.swarmUnit(u)
		}
	}
	return s.prog.Done
}

// wants reports whether a violation of p counts.
func (s *Search) wants(p Property) bool {
	if s.opt.Property != 0 {
		return p == s.opt.Property
	}
	return s.tactic.wants(p)
}

// wanted reports whether w has broken a property the search looks for
// since it had seen violations.
func (s *Search) wanted(w *world, seen int) bool {
	for _, v := range w.violations[seen:] {
		if s.wants(v.Property) {
			return true
		}
	}
	return false
}

// firstWanted is the first violation of a wanted property in w.
func (s *Search) firstWanted(w *world) Violation {
	for _, v := range w.violations {
		if s.wants(v.Property) {
			return v
		}
	}
	return Violation{}
}

func (s *Search) bfsUnit() {
	w, run, runs, steps := s.bfs.expand(s.wanted)
	s.prog.Schedules += runs
	s.prog.Steps += steps
	if w != nil {
		s.setFound(s.bfs.sc, w, run, true)
	}
}

func (s *Search) swarmUnit(u int) {
	seed := s.opt.Seed<<24 ^ int64(u)
	r := newRNG(seed ^ 0x5a12)
	m := drawMix(&r)
	if s.opt.Nodes != 0 {
		m.nodes = s.opt.Nodes
	}
	if s.tactic.focus != nil {
		s.tactic.focus(&m, s.opt.Nodes)
	}
	sc := m.scenario(seed)
	if s.opt.Scenario != nil {
		sc = *s.opt.Scenario
		sc.Seed = seed
	}
	s.sw.Set(&sc, true)
	w, err := newSearchWorld(&sc)
	if err != nil {
		panic("sim: a search's scenario does not start: " + err.Error()) // drawMix makes valid ones
	}
	d := &driver{w: w, r: &r, maxRun: maxSearchRun}
	s.prog.Schedules++
	lastLeader, lastTerm := d.leader(), d.termOf(d.leader())
	for range scheduleMoves {
		seen := len(w.violations)
		d.play(&m, m.pickMove(&r))
		if lead := d.leader(); lead != 0 && (lead != lastLeader || d.termOf(lead) != lastTerm) {
			lastLeader, lastTerm = lead, d.termOf(lead)
			if r.Intn(1000) < m.eagerPerMille {
				if m.weight[mvChange] > 0 && r.Intn(2) == 0 {
					d.change(lead, m.joint)
				} else {
					d.propose(lead)
				}
			}
		}
		if s.wanted(w, seen) {
			s.prog.Steps += d.steps
			s.setFound(sc, w, d.run, false)
			return
		}
		if len(d.run) >= maxSearchRun {
			break
		}
	}
	s.prog.Steps += d.steps
}

func (s *Search) setFound(sc Scenario, w *world, run []Action, bfs bool) {
	s.prog.Found, s.prog.Done = true, true
	s.found = &Found{Scenario: sc, Actions: run, Violation: s.firstWanted(w),
		Schedules: s.prog.Schedules, Steps: s.prog.Steps, BFS: bfs}
}

// bfsScenario is the cluster the breadth-first search starts from: timers
// frozen (moves fire them), one latency, the switch off.
func (s *Search) bfsScenario(scope bfsScope) Scenario {
	if s.opt.Scenario != nil {
		sc := *s.opt.Scenario
		s.sw.Set(&sc, true)
		return sc
	}
	sc := DefaultScenario()
	sc.Name = "search"
	sc.Nodes, sc.MaxEntries, sc.FrozenTimers = scope.nodes, scope.maxEntries, true
	sc.LatencyMin, sc.LatencyMax = 10, 10
	sc.Seed = s.opt.Seed
	s.sw.Set(&sc, true)
	return sc
}

func (d *driver) termOf(id raft.NodeID) raft.Term {
	if id == 0 || d.server(id).node == nil {
		return 0
	}
	return d.server(id).node.Term()
}

// newSearchWorld starts a world for a search: quiet, nothing kept but
// the state and the violations.
func newSearchWorld(sc *Scenario) (*world, error) {
	w, err := newWorldOf(sc, true)
	if err != nil {
		return nil, err
	}
	if err := w.setup(); err != nil {
		return nil, err
	}
	return w, nil
}
