package sim

// eventLog keeps the latest EventWindow events of a run in a ring, whose
// array is allocated once: a run of any length holds the same memory and
// makes no garbage of old events. EventCount still counts every event, and
// a replay from the scenario (Cluster.Replay) gives the dropped ones again.
type eventLog struct {
	buf   []Event // a ring once it holds EventWindow events
	start int     // where the oldest kept event is in buf
	n     int     // events kept
	first int     // Seq of the oldest kept event
	// sink, when set, is given each event instead (Cluster.Replay).
	sink func(*Event)
	// observe, when set, is given each event as it is kept (Cluster.Observe).
	observe func(*Event)
}

func newEventLog() *eventLog { return &eventLog{} }

func (l *eventLog) add(e Event) {
	if l.sink != nil {
		ev := e // e itself must not escape: add runs for every event
		l.sink(&ev)
		return
	}
	var i int
	switch {
	case l.n < len(l.buf):
		i = (l.start + l.n) % len(l.buf)
		l.buf[i] = e
		l.n++
	case len(l.buf) < EventWindow: // still growing: no event was dropped yet, start is 0
		l.buf = append(l.buf, e)
		i = len(l.buf) - 1
		l.n++
	default: // full: the new event takes the oldest's place
		i = l.start
		l.buf[i] = e
		l.start = (l.start + 1) % len(l.buf)
		l.first++
	}
	if l.observe != nil {
		l.observe(&l.buf[i])
	}
}

func (l *eventLog) at(k int) *Event { return &l.buf[(l.start+k)%len(l.buf)] }

// patchLast changes the event of sequence seq, the last one recorded.
func (l *eventLog) patchLast(seq int, f func(*Event)) {
	if l.sink == nil && l.n > 0 && l.at(l.n-1).Seq == seq {
		f(l.at(l.n - 1))
	}
}

// truncate forgets the events from sequence seq on (the run went back).
func (l *eventLog) truncate(seq int) {
	l.n = max(0, min(seq-l.first, l.n))
	if l.n == 0 {
		l.first, l.start = seq, 0
	}
}

// from returns a copy of the events from sequence seq on that are kept.
func (l *eventLog) from(seq int) []Event {
	k := max(0, min(seq-l.first, l.n))
	out := make([]Event, l.n-k)
	for i := range out {
		out[i] = *l.at(k + i)
	}
	return out
}

// get returns the event of sequence seq, if it is kept.
func (l *eventLog) get(seq int) (Event, bool) {
	if k := seq - l.first; k >= 0 && k < l.n {
		return *l.at(k), true
	}
	return Event{}, false
}
