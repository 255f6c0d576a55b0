package sim

import (
	"errors"

	"raftlab/raft"
)

// maxFlush bounds OpFlush, which could otherwise run forever when every
// delivery causes another message.
const maxFlush = 10000

func (w *world) server(id raft.NodeID) (*server, error) {
	if id < 1 || int(id) > len(w.servers) {
		return nil, errors.New("no server " + id.String() + " in a cluster of " + itoa(len(w.servers)))
	}
	return w.servers[id-1], nil
}

func (w *world) running(id raft.NodeID) (*server, error) {
	s, err := w.server(id)
	if err == nil && s.node == nil {
		err = errors.New(id.String() + " is crashed; restart it first")
	}
	return s, err
}

func (w *world) checkLink(a Action) error {
	if _, err := w.server(a.From); err != nil {
		return err
	}
	if _, err := w.server(a.To); err != nil {
		return err
	}
	if a.From == a.To {
		return errors.New("a link joins two different servers")
	}
	return nil
}

// apply validates a and, only if it is valid, carries it out. An invalid
// action changes nothing.
func (w *world) apply(a Action) error {
	switch a.Op {
	case OpNext:
		for k := int64(0); k < max(a.Amount, 1); k++ {
			if err := w.next(); err != nil {
				if k > 0 {
					return nil // ran out of events after some: not an error
				}
				return err
			}
		}
	case OpAdvance:
		if a.Amount <= 0 {
			return errors.New("advance takes a positive number of milliseconds")
		}
		w.advance(a.Amount)
	case OpDeliver, OpDrop, OpDuplicate:
		i := w.net.find(a.Msg)
		if i < 0 {
			return errors.New("no such message in flight")
		}
		switch a.Op {
		case OpDeliver:
			w.deliver(i)
		case OpDrop:
			m := w.net.take(i)
			w.emit(Event{Kind: EvDrop, Node: m.From, Peer: m.To, Msg: m.ID, MsgType: m.Type, Summary: summarize(m.Message)})
		case OpDuplicate:
			m := w.net.inFlight[i]
			orig := m.ID
			m.ID = w.net.nextID
			w.net.nextID++
			w.net.insert(m)
			w.emit(Event{Kind: EvDuplicate, Node: m.From, Peer: m.To, Msg: orig, Dup: m.ID, MsgType: m.Type, Summary: summarize(m.Message)})
		}
	case OpDropAll:
		for len(w.net.inFlight) > 0 {
			m := w.net.take(0)
			w.emit(Event{Kind: EvDrop, Node: m.From, Peer: m.To, Msg: m.ID, MsgType: m.Type, Summary: summarize(m.Message)})
		}
	case OpFlush:
		for k := 0; k < maxFlush && len(w.net.inFlight) > 0; k++ {
			w.deliver(0)
		}
	case OpTimeout:
		s, err := w.running(a.Node)
		if err != nil {
			return err
		}
		w.emit(Event{Kind: EvTimeout, Node: s.id})
		s.node.FireTimeout()
		w.handle(s)
	case OpPropose:
		if _, err := ParseCommand(a.Command); err != nil {
			return err
		}
		s, err := w.server(a.Node)
		if err != nil {
			return err
		}
		if s.node == nil {
			w.emit(Event{Kind: EvNoAnswer, Node: s.id, Text: a.Command})
			return nil
		}
		if idx, term, ok := s.node.Propose(a.Command); ok {
			w.emit(Event{Kind: EvPropose, Node: s.id, Index: idx, Term: term, Text: a.Command})
		} else {
			w.emit(Event{Kind: EvRedirect, Node: s.id, Peer: s.node.Leader(), Text: a.Command})
		}
		w.handle(s)
	case OpRead:
		s, err := w.server(a.Node)
		if err != nil {
			return err
		}
		if s.node == nil {
			w.emit(Event{Kind: EvNoAnswer, Node: s.id, Text: a.Key})
			return nil
		}
		v, ok := s.kv.Get(a.Key)
		w.emit(Event{Kind: EvRead, Node: s.id, Text: a.Key, Value: v, Found: ok})
	case OpCrash:
		s, err := w.running(a.Node)
		if err != nil {
			return err
		}
		s.node = nil
		s.kv.Reset()
		w.emit(Event{Kind: EvCrash, Node: s.id})
	case OpRestart:
		s, err := w.server(a.Node)
		if err != nil {
			return err
		}
		if a.Amnesia == AmnesiaLogTail && (a.Amount < 1 || int(a.Amount) > len(s.storage.Entries)) {
			return errors.New(s.id.String() + " has " + itoa(len(s.storage.Entries)) + " entries on disk; cannot lose " + itoa(int(a.Amount)))
		}
		if s.node != nil {
			s.node = nil
			w.emit(Event{Kind: EvCrash, Node: s.id})
		}
		switch a.Amnesia {
		case AmnesiaVote:
			s.storage.HardState.VotedFor = raft.None
		case AmnesiaLogTail:
			s.storage.Entries = s.storage.Entries[:len(s.storage.Entries)-int(a.Amount)]
		}
		n, err := s.storage.Restart(w.config(s.id))
		if err != nil {
			return err // cannot happen: storage holds what a node wrote
		}
		s.node = n
		s.kv.Reset()
		w.emit(Event{Kind: EvRestart, Node: s.id, Amnesia: a.Amnesia, Index: raft.Index(len(s.storage.Entries))})
		w.check.observe(s.id, n.Role(), n.Term(), n.Entries(), w.reportViolation)
	case OpPartition:
		seen := map[raft.NodeID]bool{}
		for _, g := range a.Groups {
			for _, id := range g {
				if _, err := w.server(id); err != nil {
					return err
				}
				if seen[id] {
					return errors.New(id.String() + " is in two groups")
				}
				seen[id] = true
			}
		}
		w.net.setPartition(a.Groups, len(w.servers))
		w.emit(Event{Kind: EvNetwork, Network: a})
	case OpCut, OpRestore:
		if err := w.checkLink(a); err != nil {
			return err
		}
		blocked := a.Op == OpCut
		w.net.blocked[a.From][a.To] = blocked
		if !a.OneWay {
			w.net.blocked[a.To][a.From] = blocked
		}
		w.emit(Event{Kind: EvNetwork, Network: a})
	case OpHeal:
		w.net.heal()
		w.emit(Event{Kind: EvNetwork, Network: a})
	case OpDropRate:
		if a.Amount < 0 || a.Amount > 1000 {
			return errors.New("the drop rate is between 0 and 100 percent")
		}
		w.net.dropPerMille = int(a.Amount)
		w.emit(Event{Kind: EvNetwork, Network: a})
	case OpLatency:
		if a.Amount < 0 || a.Amount2 < a.Amount || a.Amount2 > 10000 {
			return errors.New("latency needs 0 ≤ min ≤ max ≤ 10000 ms")
		}
		w.net.latencyMin, w.net.latencyMax = a.Amount, a.Amount2
		w.emit(Event{Kind: EvNetwork, Network: a})
	case OpFreeze, OpUnfreeze:
		w.frozen = a.Op == OpFreeze
		w.emit(Event{Kind: EvTimers, Found: w.frozen})
	default:
		return errors.New("unknown action")
	}
	return nil
}
