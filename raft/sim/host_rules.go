package sim

import "raftlab/raft"

// The host's side of HostRules.PersistAfterSend: a Ready's write held back
// while its messages are already on their way.

// holdUnsaved keeps what rd asks to store until s's next step.
func (w *world) holdUnsaved(s *server, rd raft.Ready) {
	if !rd.SaveSnapshot && !rd.SaveHardState && len(rd.Entries) == 0 {
		return
	}
	s.unsaved = append(s.unsaved, raft.Ready{SaveSnapshot: rd.SaveSnapshot, Snapshot: rd.Snapshot,
		SaveHardState: rd.SaveHardState, HardState: rd.HardState, Entries: rd.Entries})
}

// landUnsaved stores the writes s held back, in order: the server has
// taken its next step.
func (w *world) landUnsaved(s *server) {
	for len(s.unsaved) > 0 {
		rd := s.unsaved[0]
		s.unsaved = s.unsaved[1:]
		w.persist(s, rd)
	}
	s.unsaved = nil
}

// loseUnsaved forgets the writes s held back: it crashed before storing
// them. The trace says what the disk never got.
func (w *world) loseUnsaved(s *server) {
	for _, rd := range s.unsaved {
		e := Event{Kind: EvLostWrite, Node: s.id, Saved: rd.SaveHardState, Entries: rd.Entries, Term: rd.HardState.Term, Vote: rd.HardState.VotedFor}
		if len(rd.Entries) > 0 {
			e.Index = rd.Entries[0].Index
		}
		w.emit(e)
	}
	s.unsaved = nil
}
