package sim

import "raftlab/raft"

// Summary counts what happened in a run.
type Summary struct {
	Actions    int
	Events     int
	Messages   int // messages sent
	Terms      int // highest term reached
	Leaders    int // distinct (term, leader) pairs
	Committed  int // highest index applied anywhere
	Violations int // of the safety properties of Figure 3
	// NotLinearizable counts the reads the linearizability checker found
	// no order for (one per key at most).
	NotLinearizable int
}

// count adds one event; the world keeps the counts as it records events, so
// they cover the whole run however few events it still keeps.
func (s *Summary) count(e *Event) {
	s.Events++
	switch e.Kind {
	case EvSend:
		s.Messages++
	case EvNote:
		if e.Reason.Code == raft.BecameLeader {
			s.Leaders++
		}
	case EvApply:
		s.Committed = max(s.Committed, int(e.Index))
	case EvViolation:
		if e.Violation.Property.Safety() {
			s.Violations++
		} else {
			s.NotLinearizable++
		}
	}
	s.Terms = max(s.Terms, int(e.Term))
}

// Summarize counts the run so far.
func Summarize(c *Cluster) Summary {
	s := c.w.stats
	s.Actions = c.Position()
	return s
}
