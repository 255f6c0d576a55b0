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

// entry returns the entry at i, which must be in the log (offset < i <=
// lastIndex). It is a copy: the log's array is never written in place.
func (l *raftLog) entry(i Index) Entry { return l.entries[i-l.offset-1] }

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

// compact drops every entry through i, whose term is t, and keeps the
// rest (§7). The kept entries move to a new array, so that the dropped
// ones can be freed and arrays shared with messages stay untouched.
func (l *raftLog) compact(i Index, t Term) {
	l.entries = slices.Clone(l.entries[i-l.offset:])
	l.offset, l.offsetTerm = i, t
}

// reset discards the whole log; it now starts after index i of term t
// (Figure 13, InstallSnapshot receiver rule 7).
func (l *raftLog) reset(i Index, t Term) {
	l.entries = nil
	l.offset, l.offsetTerm = i, t
}

// append adds e at the end; e.Index must be lastIndex+1.
func (l *raftLog) append(e Entry) {
	l.entries = appendEntries(l.entries, e)
}

// appendEntries appends es to log, doubling the array when it is full.
func appendEntries(log []Entry, es ...Entry) []Entry {
	return append(reserve(log, len(es)), es...)
}

// reserve makes room in log for k more entries, doubling the array when it
// is full. (append grows a large slice by a quarter at a time: a log that
// only grows would be copied about five times over on its way to its size,
// against twice with doubling.)
func reserve(log []Entry, k int) []Entry {
	need := len(log) + k
	if need <= cap(log) {
		return log
	}
	grown := make([]Entry, len(log), max(need, 2*cap(log), 16))
	copy(grown, log)
	return grown
}

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
