package sim

import (
	"hash"
	"hash/fnv"

	"raftlab/raft"
)

// A bounded exhaustive search for a run shorter than a shrunk one: breadth
// first from the scenario's start, every action of a fixed vocabulary at
// every state — deliver, drop or duplicate any message in flight; fire the
// timer of, crash, restart or (for a client) propose at any server; with
// running timers, "next" — until a run breaks the property, or every run
// shorter than the shrunk one was tried, or the state budget is spent.
// States are told apart by everything a cluster holds that decides what
// happens next (fullHash); two runs that reach one state are one. When the
// search covers every run of up to limit-1 actions without breaking the
// property, no shorter run of this vocabulary exists: the run is shortest.

// ShortestProof is what the exhaustive search showed.
type ShortestProof struct {
	// Proved: no run of the vocabulary shorter than the shrunk one breaks
	// the property.
	Proved bool
	// Depth is the length through which every run was tried; States is
	// how many distinct states the search saw.
	Depth, States int
}

// maxShortestStates bounds the exhaustive search.
const maxShortestStates = 5000

type shortestNode struct {
	w      *world
	parent *shortestNode
	action Action
	depth  int
}

type shortest struct {
	sc        Scenario
	prop      Property
	limit     int // runs of fewer actions are searched
	maxStates int
	queue     []*shortestNode
	head      int
	seen      map[uint64]struct{}
	depth     int // every run of this many actions was tried
	gaveUp    bool
	h         hash.Hash64
}

func newShortest(sc Scenario, prop Property, limit, maxStates int) *shortest {
	s := &shortest{sc: sc, prop: prop, limit: limit, maxStates: maxStates, seen: map[uint64]struct{}{}, h: fnv.New64a()}
	w, err := newSearchWorld(&s.sc)
	if err != nil {
		s.gaveUp = true
		return s
	}
	s.seen[s.fullHash(w)] = struct{}{}
	s.queue = []*shortestNode{{w: w}}
	return s
}

func (s *shortest) done() bool { return s.gaveUp || s.head >= len(s.queue) }

func (s *shortest) result() ShortestProof {
	return ShortestProof{Proved: !s.gaveUp && s.head >= len(s.queue), Depth: s.depth, States: len(s.seen)}
}

// step explores every action from the next state. It returns a run that
// breaks the property, if one did.
func (s *shortest) step() ([]Action, Violation, bool) {
	if s.done() {
		return nil, Violation{}, false
	}
	n := s.queue[s.head]
	s.queue[s.head] = nil
	s.head++
	if n.depth > s.depth {
		s.depth = n.depth // every shorter run was tried
	}
	if n.depth+1 >= s.limit {
		return nil, Violation{}, false
	}
	for _, a := range s.vocabulary(n.w) {
		w := n.w.clone()
		seen := len(w.violations)
		if w.apply(a) != nil {
			continue
		}
		child := &shortestNode{w: w, parent: n, action: a, depth: n.depth + 1}
		for _, v := range w.violations[seen:] {
			if v.Property == s.prop {
				return child.run(), v, true
			}
		}
		h := s.fullHash(w)
		if _, ok := s.seen[h]; ok {
			continue
		}
		if len(s.seen) >= s.maxStates {
			s.gaveUp = true
			return nil, Violation{}, false
		}
		s.seen[h] = struct{}{}
		s.queue = append(s.queue, child)
	}
	n.w = nil
	if n.depth+1 > s.depth && s.head >= len(s.queue) {
		s.depth = n.depth + 1
	}
	return nil, Violation{}, false
}

func (n *shortestNode) run() []Action {
	out := make([]Action, n.depth)
	for p := n; p.parent != nil; p = p.parent {
		out[p.depth-1] = p.action
	}
	return out
}

// vocabulary lists the actions the search tries at w.
func (s *shortest) vocabulary(w *world) []Action {
	var out []Action
	w.net.each(func(_ int, m *Message) bool {
		for _, op := range []Op{OpDeliver, OpDrop, OpDuplicate} {
			out = append(out, Action{Op: op, Msg: MsgSelector{ID: m.ID}})
		}
		return true
	})
	for _, sv := range w.servers {
		if sv.node == nil {
			out = append(out, Action{Op: OpRestart, Node: sv.id})
			continue
		}
		out = append(out, Action{Op: OpTimeout, Node: sv.id}, Action{Op: OpCrash, Node: sv.id},
			Action{Op: OpPropose, Node: sv.id, Command: "set x 1"})
	}
	if !w.frozen {
		out = append(out, Action{Op: OpNext})
	}
	return out
}

// fullHash hashes what decides a world's future: the clock and its
// randomness, each server's node (Status and log), disk and state
// machine, the messages in flight (all but their ids) and the links.
func (s *shortest) fullHash(w *world) uint64 {
	h := s.h
	h.Reset()
	var b []byte
	num := func(v uint64) {
		b = append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24), byte(v>>32), byte(v>>40), byte(v>>48), byte(v>>56))
	}
	entries := func(es []raft.Entry) {
		num(uint64(len(es)))
		for _, e := range es {
			num(uint64(e.Term))
			num(uint64(e.Kind))
			b = append(b, e.Data...)
			b = append(b, 0)
		}
	}
	num(uint64(w.now))
	num(w.rng.state)
	if w.frozen {
		b = append(b, 1)
	}
	for _, sv := range w.servers {
		num(uint64(sv.disk.hs.Term))
		num(uint64(sv.disk.hs.VotedFor))
		num(uint64(sv.disk.snapIndex()))
		entries(sv.disk.log)
		num(uint64(len(sv.unsaved)))
		if sv.node == nil {
			b = append(b, 'd')
			continue
		}
		st := sv.node.Status()
		for _, v := range []uint64{uint64(st.Role), uint64(st.Term), uint64(st.VotedFor), uint64(st.Leader), uint64(st.CommitIndex),
			uint64(st.LastApplied), uint64(st.ElectionElapsed), uint64(st.ElectionTimeout), uint64(st.HeartbeatElapsed),
			uint64(st.ConfigIndex), uint64(st.Transferee), uint64(st.LeaseRemaining)} {
			num(v)
		}
		for _, v := range st.Votes {
			num(uint64(v))
		}
		for _, p := range st.Progress {
			num(uint64(p.ID))
			num(uint64(p.Next))
			num(uint64(p.Match))
			num(uint64(p.State))
		}
		entries(sv.node.Entries())
		b = append(b, sv.kv.Snapshot()...)
		b = append(b, 0)
	}
	w.net.each(func(_ int, m *Message) bool {
		for _, v := range []uint64{uint64(m.ArriveAt), uint64(m.Type), uint64(m.From), uint64(m.To), uint64(m.Term),
			uint64(m.LastLogIndex), uint64(m.LastLogTerm), uint64(m.PrevLogIndex), uint64(m.PrevLogTerm), uint64(m.LeaderCommit),
			uint64(m.MatchIndex), uint64(m.RequestTerm), uint64(m.ConflictIndex), uint64(m.ConflictTerm), m.Context} {
			num(v)
		}
		if m.Success {
			b = append(b, 1)
		}
		entries(m.Entries)
		return true
	})
	for from := range w.net.blocked {
		for to := range w.net.blocked[from] {
			if w.net.blocked[from][to] {
				b = append(b, byte(from), byte(to))
			}
		}
	}
	num(uint64(w.net.dropPerMille))
	num(uint64(len(w.violations)))
	h.Write(b)
	return h.Sum64()
}
