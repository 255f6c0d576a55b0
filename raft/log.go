package raft

import "slices"

// raftLog is a server's log. It starts after an offset so that a snapshot
// can later replace a prefix (§7): entries[0] has index offset+1, and
// offsetTerm is the term of the entry at index offset (0 when offset is 0).
type raftLog struct {
	offset     Index
	offsetTerm Term
	entries    []Entry
}

// lastIndex is the index of the last entry (offset when empty).
func (l *raftLog) lastIndex() Index { return l.offset + Index(len(l.entries)) }

// lastTerm is the term of the last entry.
func (l *raftLog) lastTerm() Term {
	if len(l.entries) == 0 {
		return l.offsetTerm
	}
	return l.entries[len(l.entries)-1].Term
}

// term returns the term of the entry at i, and false if the log has no
// entry there (past the end, or compacted away).
func (l *raftLog) term(i Index) (Term, bool) {
	switch {
	case i == l.offset:
		return l.offsetTerm, true
	case i < l.offset || i > l.lastIndex():
		return 0, false
	}
	return l.entries[i-l.offset-1].Term, true
}

// slice returns entries [lo, hi] (inclusive) sharing the log's array; the
// capacity is clipped so that appends by the caller cannot write into the log.
func (l *raftLog) slice(lo, hi Index) []Entry {
	if lo > hi {
		return nil
	}
	a, b := lo-l.offset-1, hi-l.offset
	return l.entries[a:b:b]
}

// truncateAfter removes every entry with index > i.
func (l *raftLog) truncateAfter(i Index) {
	// Copy rather than reslice: messages in flight may share the old array
	// (see slice), and later appends must not overwrite what they carry.
	l.entries = slices.Clone(l.entries[:i-l.offset])
}

// append adds e at the end; e.Index must be lastIndex+1.
func (l *raftLog) append(e Entry) { l.entries = append(l.entries, e) }

// firstIndexOfTerm returns the first index in the log holding term t,
// searching backwards from i (used for the conflict hint, §5.3).
func (l *raftLog) firstIndexOfTerm(t Term, from Index) Index {
	i := from
	for i > l.offset+1 && l.entries[i-1-l.offset-1].Term == t {
		i--
	}
	return i
}

// lastIndexOfTerm returns the last index holding term t, or 0 if none.
func (l *raftLog) lastIndexOfTerm(t Term) Index {
	for i := len(l.entries) - 1; i >= 0; i-- {
		switch et := l.entries[i].Term; {
		case et == t:
			return l.offset + Index(i) + 1
		case et < t:
			return 0
		}
	}
	return 0
}

// isUpToDate is the comparison of §5.4.1: a log whose last entry has a later
// term is more up to date; with equal last terms, the longer log is.
func isUpToDate(candTerm Term, candIndex Index, myTerm Term, myIndex Index) bool {
	return candTerm > myTerm || (candTerm == myTerm && candIndex >= myIndex)
}
