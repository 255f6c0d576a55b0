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
	Violations int
}

// Summarize counts the run so far.
func Summarize(c *Cluster) Summary {
	s := Summary{Actions: c.pos, Events: len(c.w.events), Violations: len(c.w.violations)}
	for _, e := range c.w.events {
		switch e.Kind {
		case EvSend:
			s.Messages++
		case EvNote:
			if e.Reason.Code == raft.BecameLeader {
				s.Leaders++
			}
		case EvApply:
			s.Committed = max(s.Committed, int(e.Index))
		}
		s.Terms = max(s.Terms, int(e.Term))
	}
	return s
}
