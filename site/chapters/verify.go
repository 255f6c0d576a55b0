package chapters

import (
	"strconv"

	"raftlab/raft/sim"
	"raftlab/raft/sim/goal"
)

// Start returns a new cluster in the exercise's starting state.
func (ex *Exercise) Start() (*sim.Cluster, error) { return sim.New(ex.Scenario) }

// Verify plays every exercise of ch: no goal may be met at the start, the
// solution must run, and every goal must be met after it.
func Verify(ch *Chapter) error {
	for _, ex := range ch.Exercises {
		if err := verifyExercise(ch.File, ex); err != nil {
			return err
		}
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
