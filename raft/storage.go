package raft

// MemoryStorage is stable storage kept in memory: the HardState and the log
// as a server has handed them out through Ready. A simulator keeps one per
// server, and a crashed server restarts from it.
type MemoryStorage struct {
	HardState HardState
	Entries   []Entry
}

// Save writes rd's HardState and Entries.
func (s *MemoryStorage) Save(rd Ready) {
	if rd.SaveHardState {
		s.HardState = rd.HardState
	}
	if len(rd.Entries) > 0 {
		first := rd.Entries[0].Index
		if first <= Index(len(s.Entries)) {
			clear(s.Entries[first-1:])
			s.Entries = s.Entries[:first-1]
		}
		s.Entries = append(s.Entries, rd.Entries...)
	}
}

// Restart builds a server from what s holds.
func (s *MemoryStorage) Restart(cfg Config) (*Node, error) {
	return Restart(cfg, s.HardState, s.Entries)
}
