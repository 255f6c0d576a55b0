package goal

import (
	"strconv"

	"raftlab/raft"
	"raftlab/raft/sim"
)

// The watcher needs the cluster's state after every step of a server, but a
// Cluster only shows its state now. So the watcher keeps a shadow of the
// state it needs, rebuilt from the scenario and the event stream alone:
// roles and terms come with every event, votes, commit and applied indexes
// from the servers' notes, and logs from proposals, elections (the no-op)
// and the entries each AppendEntries carried (a slice of its sender's log,
// recorded when it was sent). Tests compare the shadow with Cluster.State
// after every action of long random runs.

type entry struct {
	term raft.Term
	data string
}

type shadowNode struct {
	up       bool
	role     raft.Role
	term     raft.Term
	vote     raft.NodeID
	voteTerm raft.Term // the term vote was cast in
	log      []entry
	commit   raft.Index
	applied  raft.Index
	votes    int // votes in the latest election
}

// votedFor is the vote of the current term.
func (n *shadowNode) votedFor() raft.NodeID {
	if n.voteTerm == n.term {
		return n.vote
	}
	return raft.None
}

// appendRec is what an AppendEntries carried.
type appendRec struct {
	prev    raft.Index
	entries []entry
}

type entryKey struct {
	index raft.Index
	term  raft.Term
}

// effects are the facts one event establishes for event conditions.
type effects struct {
	overwritten []entryKey // entries once on a majority, removed by a conflict
	splitVote   bool
}

type termRecord struct {
	term       raft.Term
	candidates []raft.NodeID
	leader     bool
}

type shadow struct {
	nodes      []shadowNode
	forgetVote bool
	sends      map[int]appendRec // AppendEntries in flight, by message id
	delivered  appendRec         // the AppendEntries being handled
	hasAppend  bool

	// History, from the start on (the setup does not count).
	trackMajority bool              // some goal asks about overwritten entries
	onMajority    map[entryKey]bool // entries seen on a majority of servers
	terms         []termRecord      // elections, by term ascending
}

func newShadow(sc sim.Scenario) *shadow {
	s := &shadow{
		nodes:      make([]shadowNode, sc.Nodes),
		forgetVote: sc.Unsafe.ForgetVote,
		sends:      map[int]appendRec{},
		onMajority: map[entryKey]bool{},
	}
	for i := range s.nodes {
		s.nodes[i].up = true
	}
	for _, ss := range sc.Servers {
		if ss.ID < 1 || int(ss.ID) > sc.Nodes {
			continue
		}
		n := &s.nodes[ss.ID-1]
		n.term, n.vote, n.voteTerm, n.up = ss.Term, ss.VotedFor, ss.Term, !ss.Crashed
		for i, t := range ss.Log {
			// The same default command as the simulator's.
			data := "set x" + strconv.Itoa(i+1) + " " + strconv.Itoa(i+1)
			if i < len(ss.Commands) {
				data = ss.Commands[i]
			}
			n.log = append(n.log, entry{term: t, data: data})
		}
	}
	return s
}

func (s *shadow) node(id raft.NodeID) *shadowNode {
	if id < 1 || int(id) > len(s.nodes) {
		return nil
	}
	return &s.nodes[id-1]
}

func (s *shadow) quorum() int { return len(s.nodes)/2 + 1 }

// apply updates the shadow with one event. history says whether the event
// is part of the run (not the setup); only then are effects recorded.
func (s *shadow) apply(e sim.Event, history bool) effects {
	var fx effects
	n := s.node(e.Node)
	switch e.Kind {
	case sim.EvCrash:
		if n != nil {
			n.up, n.role, n.commit, n.applied, n.votes = false, raft.Follower, 0, 0, 0
		}
		return fx
	case sim.EvRestart:
		if n != nil {
			n.up, n.commit, n.applied, n.votes = true, 0, 0, 0
			if int(e.Index) < len(n.log) {
				n.log = n.log[:e.Index:e.Index]
			}
			if e.Amnesia == sim.AmnesiaVote || s.forgetVote {
				n.vote = raft.None
			}
		}
	case sim.EvPropose:
		if n != nil && int(e.Index) == len(n.log)+1 {
			n.log = append(n.log, entry{term: e.Term, data: e.Text})
		}
	case sim.EvApply:
		if n != nil {
			n.applied = e.Index
		}
	case sim.EvSend:
		if e.MsgType == raft.MsgAppend && n != nil {
			lo, hi := int(e.Summary.PrevLogIndex), int(e.Summary.PrevLogIndex)+e.Summary.Entries
			rec := appendRec{prev: e.Summary.PrevLogIndex}
			if hi <= len(n.log) {
				rec.entries = append([]entry(nil), n.log[lo:hi]...)
			}
			s.sends[e.Msg] = rec
		}
	case sim.EvDuplicate:
		if rec, ok := s.sends[e.Msg]; ok {
			s.sends[e.Dup] = rec
		}
	case sim.EvDrop, sim.EvLost:
		delete(s.sends, e.Msg)
	case sim.EvDeliver:
		s.hasAppend = false
		if rec, ok := s.sends[e.Msg]; ok {
			s.delivered, s.hasAppend = rec, true
			delete(s.sends, e.Msg)
		}
	case sim.EvNote:
		if n != nil {
			fx = s.note(e, n, history)
		}
	}
	// Every event of a running server carries its role and term after it
	// (for proposals and applies, the term is the entry's).
	if n != nil && n.up && e.Kind != sim.EvPropose && e.Kind != sim.EvApply && e.Kind != sim.EvNoAnswer {
		n.role, n.term = e.Role, e.Term
	}
	return fx
}

func (s *shadow) note(e sim.Event, n *shadowNode, history bool) effects {
	var fx effects
	r := e.Reason
	switch r.Code {
	case raft.ElectionStarted:
		n.vote, n.voteTerm, n.votes = e.Node, r.Term, 1
		if history {
			fx.splitVote = s.startElection(e.Node, r.Term)
		}
	case raft.VoteGranted:
		n.vote, n.voteTerm = r.Peer, r.Term
	case raft.VoteReceived:
		n.votes = int(r.Got)
	case raft.BecameLeader:
		n.votes = int(r.Got)
		// §8: the new leader's no-op.
		n.log = append(n.log, entry{term: r.Term})
		if history {
			s.termRecord(r.Term).leader = true
		}
	case raft.CommitAdvanced:
		n.commit = raft.Index(r.Got)
	case raft.AppendAccepted:
		if s.hasAppend {
			removed := s.appendEntries(n, s.delivered)
			fx.overwritten = s.overwritten(removed, history)
			s.hasAppend = false
		}
	}
	return fx
}

type removedEntry struct {
	index raft.Index
	term  raft.Term
}

// appendEntries is AppendEntries receiver rules 3 and 4 on the shadow log;
// it returns the entries a conflict removed.
func (s *shadow) appendEntries(n *shadowNode, rec appendRec) []removedEntry {
	var removed []removedEntry
	for i, en := range rec.entries {
		idx := int(rec.prev) + 1 + i
		if idx <= len(n.log) {
			if n.log[idx-1].term == en.term {
				continue
			}
			for j := idx; j <= len(n.log); j++ {
				removed = append(removed, removedEntry{index: raft.Index(j), term: n.log[j-1].term})
			}
			n.log = append([]entry(nil), n.log[:idx-1]...)
		}
		n.log = append(n.log, rec.entries[i:]...)
		break
	}
	return removed
}

func (s *shadow) overwritten(removed []removedEntry, history bool) []entryKey {
	if !history {
		return nil
	}
	var out []entryKey
	for _, r := range removed {
		k := entryKey{index: r.index, term: r.term}
		if s.onMajority[k] {
			out = append(out, k)
		}
	}
	return out
}

func (s *shadow) termRecord(t raft.Term) *termRecord {
	i := 0
	for i < len(s.terms) && s.terms[i].term < t {
		i++
	}
	if i == len(s.terms) || s.terms[i].term != t {
		s.terms = append(s.terms, termRecord{})
		copy(s.terms[i+1:], s.terms[i:])
		s.terms[i] = termRecord{term: t}
	}
	return &s.terms[i]
}

// startElection records that id became a candidate for t, and reports
// whether an earlier term is now over with two or more candidates and no
// leader (a split vote).
func (s *shadow) startElection(id raft.NodeID, t raft.Term) bool {
	rec := s.termRecord(t)
	seen := false
	for _, c := range rec.candidates {
		seen = seen || c == id
	}
	if !seen {
		rec.candidates = append(rec.candidates, id)
	}
	for i := range s.terms {
		if r := &s.terms[i]; r.term < t && len(r.candidates) >= 2 && !r.leader {
			return true
		}
	}
	return false
}

// observe records, at a moment of the run, which entries are on a majority.
func (s *shadow) observe() {
	if !s.trackMajority {
		return
	}
	q := s.quorum()
	for i := range s.nodes {
		for idx, en := range s.nodes[i].log {
			k := entryKey{index: raft.Index(idx + 1), term: en.term}
			if s.onMajority[k] {
				continue
			}
			if s.holders(k.index, k.term) >= q {
				s.onMajority[k] = true
			}
		}
	}
}

// holders counts the servers whose log has an entry of term t at idx.
func (s *shadow) holders(idx raft.Index, t raft.Term) int {
	count := 0
	for i := range s.nodes {
		if log := s.nodes[i].log; int(idx) <= len(log) && idx > 0 && log[idx-1].term == t {
			count++
		}
	}
	return count
}
