package sim

// eventLog keeps the latest events of a run: at least EventWindow of them
// (all of them while there are fewer), at most twice as many. Older events
// are dropped, so a run of any length holds little memory; EventCount still
// counts them, and a replay from the scenario (Cluster.Replay) gives them
// again.
type eventLog struct {
	events []Event
	first  int // Seq of events[0]
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
	if len(l.events) >= 2*EventWindow {
		// Keep the last EventWindow in a new array: slices handed out
		// earlier keep the old one, unchanged.
		drop := len(l.events) - EventWindow
		l.events = append(make([]Event, 0, 2*EventWindow), l.events[drop:]...)
		l.first += drop
	}
	l.events = append(l.events, e)
	if l.observe != nil {
		l.observe(&l.events[len(l.events)-1])
	}
}

// patchLast changes the event of sequence seq, the last one recorded.
func (l *eventLog) patchLast(seq int, f func(*Event)) {
	if l.sink != nil {
		return
	}
	if n := len(l.events); n > 0 && l.events[n-1].Seq == seq {
		f(&l.events[n-1])
	}
}

// truncate forgets the events from sequence seq on (the run went back).
func (l *eventLog) truncate(seq int) {
	k := max(0, min(seq-l.first, len(l.events)))
	if k == 0 {
		l.events, l.first = nil, seq
		return
	}
	l.events = l.events[:k:k] // the next event starts a new array: slices handed out stay as they were
}

// from returns the events from sequence seq on that are still kept.
func (l *eventLog) from(seq int) []Event {
	k := max(0, min(seq-l.first, len(l.events)))
	return l.events[k:len(l.events):len(l.events)]
}
