package chapters

import (
	"strconv"
	"strings"

	"raftlab/raft/sim"
	"raftlab/raft/sim/lex"
)

// Adversary levels and search blocks.
//
// A level is a chapter whose front matter names a rule switch ("level:
// commit-earlier-terms"): the learner, with that rule switched off, tries
// to break safety by hand. It has one exercise, whose scenario switches
// off that rule and no other, whose goals include "ever violation …", and
// whose solution is the shortest known run that meets them. Verify checks
// too that with the rule back on the solution breaks nothing: the level's
// twin, where nothing the learner does can win.
//
// A search block shows the in-page search (a rule, a cluster size, a
// seed), which finds, shrinks and explains a run that breaks what the rule
// protects:
//
//	```search
//	unsafe: commit-earlier-terms    # or "any": the reader picks
//	nodes: 5                        # optional: 3 to 9
//	seed: 1                         # optional
//	```

// Search is a search block.
type Search struct {
	N      int // 1-based in the chapter
	Line   int
	Switch string // "" lets the reader pick
	Nodes  int    // 0: the search's choice
	Seed   int64
}

// Switches lists every switch name, for a search block that lets the
// reader pick.
func (s *Search) Switches() []string { return sim.SwitchNames() }

func parseSearch(file string, sp *special, n int) (*Search, error) {
	s := &Search{N: n, Line: sp.fence, Seed: 1}
	var keys lex.Keys
	keys.Known = []string{"unsafe", "nodes", "seed"}
	for _, l := range lex.Lines(sp.text, sp.line) {
		raw := l.Text
		if i := strings.Index(raw, "#"); i >= 0 {
			raw = raw[:i]
		}
		if raw = strings.TrimSpace(raw); raw == "" {
			continue
		}
		k, v, ok := lex.KeyValue(raw)
		if !ok {
			return nil, errAt(file, l.N, `search: expected "key: value", got `+quote(raw))
		}
		if msg := keys.Take(k, l.N); msg != "" {
			return nil, errAt(file, l.N, "search: "+msg)
		}
		var msg string
		switch k {
		case "unsafe":
			if v != "any" {
				sw, ok := sim.SwitchNamed(v)
				if !ok {
					msg = "unknown rule " + quote(v) + `; expected "any" or one of: ` + strings.Join(sim.SwitchNames(), ", ")
				}
				s.Switch = sw.Name
			}
		case "nodes":
			var n int64
			n, msg = lex.Number(v, 3, 9, false)
			s.Nodes = int(n)
		case "seed":
			var err error
			if s.Seed, err = strconv.ParseInt(v, 10, 64); err != nil {
				msg = "expected a whole number, got " + lex.Got(v)
			}
		}
		if msg != "" {
			return nil, errAt(file, l.N, "search: "+k+": "+msg)
		}
	}
	if keys.Line("unsafe") == 0 {
		return nil, errAt(file, sp.fence, `search: missing "unsafe" (a rule's name, or "any")`)
	}
	return s, nil
}

// checkLevel checks a level's one exercise against its switch.
func checkLevel(ch *Chapter) error {
	if len(ch.Exercises) != 1 {
		return errAt(ch.File, ch.keys.Line("level"), "a level has one exercise, got "+strconv.Itoa(len(ch.Exercises)))
	}
	ex := ch.Exercises[0]
	on := sim.SwitchesIn(ex.Scenario)
	if len(on) != 1 || on[0].Name != ch.Level.Name {
		names := make([]string, len(on))
		for i, s := range on {
			names[i] = s.Name
		}
		return errAt(ch.File, ex.Line, "the level's scenario must switch off "+quote(ch.Level.Name)+
			" and nothing else (unsafe: "+ch.Level.Name+"), got unsafe: "+strings.Join(names, ", "))
	}
	for _, g := range ex.Goals {
		if p, ok := g.Violation(); ok && p != 0 {
			return nil
		}
	}
	return errAt(ch.File, ex.GoalsLine-1, `a level's goals break safety: give one "ever violation PROPERTY" goal`)
}

// LevelProperty is the property a level's goals ask to break (0: any).
func (ch *Chapter) LevelProperty() sim.Property {
	for _, ex := range ch.Exercises {
		for _, g := range ex.Goals {
			if p, ok := g.Violation(); ok {
				return p
			}
		}
	}
	return 0
}
