package chapters

import (
	"strconv"

	"raftlab/raft"
	"raftlab/raft/sim"
	"raftlab/raft/sim/goal"
)

// Start returns a new cluster in the exercise's starting state.
func (ex *Exercise) Start() (*sim.Cluster, error) { return sim.New(ex.Scenario) }

// Verify plays every exercise of ch: no goal may be met at the start, the
// solution must run, and every goal must be met after it. A level's
// solution is played again with its rule on (its twin), where it must
// break nothing.
func Verify(ch *Chapter) error {
	for _, ex := range ch.Exercises {
		if err := verifyExercise(ch.File, ex); err != nil {
			return err
		}
		if ch.IsLevel {
			if err := verifyTwin(ch.File, ex); err != nil {
				return err
			}
		}
	}
	return nil
}

// verifyTwin plays a level's solution with every rule on, leaving out the
// actions the changed run refuses: no violation may follow.
func verifyTwin(file string, ex *Exercise) error {
	sc := ex.Scenario
	sc.Unsafe, sc.UnsafeHost = raft.UnsafeRules{}, sim.HostRules{}
	c, err := sim.New(sc)
	if err != nil {
		return errAt(file, ex.Line, "scenario with the rule on: "+err.Error())
	}
	for _, a := range ex.Solution {
		_ = c.Do(a)
	}
	if vs := c.Violations(); len(vs) > 0 {
		return errAt(file, ex.SolutionLine, "with the rule on, the solution still breaks "+vs[0].Property.String()+
			": the level must need the switched-off rule")
	}
	return nil
}

func verifyExercise(file string, ex *Exercise) error {
	c, err := ex.Start()
	if err != nil {
		return errAt(file, ex.Line, "scenario: "+err.Error())
	}
	w := goal.NewWatcher(ex.Goals)
	for i, met := range w.Update(c) {
		if met {
			return errAt(file, ex.Goals[i].Line, "goal "+quote(ex.Goals[i].Text)+
				" is met at the start; a goal is something the learner reaches")
		}
	}
	for i, a := range ex.Solution {
		if err := c.Do(a); err != nil {
			line := ex.SolutionLine
			if i < len(ex.SolutionLines) {
				line = ex.SolutionLines[i] // the failing action's own line
			}
			return errAt(file, line, "solution: action "+strconv.Itoa(i+1)+" ("+sim.FormatAction(a)+"): "+err.Error())
		}
		w.Update(c)
	}
	met, broken := w.Update(c), w.Broken()
	for i := range met {
		if broken[i] {
			return errAt(file, ex.Goals[i].Line, "goal "+quote(ex.Goals[i].Text)+" is broken by the solution: it happened before the other goals were met")
		}
		if !met[i] {
			return errAt(file, ex.Goals[i].Line, "goal "+quote(ex.Goals[i].Text)+" is not met after the solution (line "+
				strconv.Itoa(ex.SolutionLine)+")")
		}
	}
	return nil
}
