package raft

// MemoryStorage is stable storage kept in memory: the HardState, the latest
// snapshot and the log after it, as a server has handed them out through
// Ready. A simulator keeps one per server, and a crashed server restarts
// from it.
type MemoryStorage struct {
	HardState HardState
	// Snapshot is the latest snapshot saved (zero Index: none).
	Snapshot Snapshot
	// Entries are the log entries after Snapshot.Index.
	Entries []Entry
}

// Save writes rd's Snapshot, HardState and Entries, in that order.
func (s *MemoryStorage) Save(rd Ready) {
	if rd.SaveSnapshot {
		s.saveSnapshot(rd.Snapshot)
	}
	if rd.SaveHardState {
		s.HardState = rd.HardState
	}
	if len(rd.Entries) > 0 {
		first := rd.Entries[0].Index
		if keep := first - 1 - s.Snapshot.Index; keep < Index(len(s.Entries)) {
			clear(s.Entries[keep:])
			s.Entries = s.Entries[:keep]
		}
		s.Entries = appendEntries(s.Entries, rd.Entries...)
	}
}

// saveSnapshot keeps snap and drops the log through its index. Entries
// after it stay only if the entry at its index has its term, as on the
// server (Figure 13, receiver rules 6-7).
func (s *MemoryStorage) saveSnapshot(snap *Snapshot) {
	if snap.Index <= s.Snapshot.Index {
		return // not newer than what is saved
	}
	var kept []Entry
	if t, ok := s.term(snap.Index); ok && t == snap.Term {
		kept = append(kept, s.Entries[snap.Index-s.Snapshot.Index:]...)
	}
	s.Snapshot = *snap
	s.Entries = kept
}

// term is the term of the entry at i, and whether storage knows it.
func (s *MemoryStorage) term(i Index) (Term, bool) {
	switch {
	case i == s.Snapshot.Index:
		return s.Snapshot.Term, true
	case i < s.Snapshot.Index || i > s.Snapshot.Index+Index(len(s.Entries)):
		return 0, false
	}
	return s.Entries[i-s.Snapshot.Index-1].Term, true
}

// Restart builds a server from what s holds.
func (s *MemoryStorage) Restart(cfg Config) (*Node, error) {
	return RestartFromSnapshot(cfg, s.HardState, s.Snapshot, s.Entries)
}
