package sim

import (
	"maps"
	"slices"

	"raftlab/raft"
)

// Property is one of the safety properties of Figure 3 of the Raft paper.
type Property uint8

const (
	ElectionSafety     Property = iota + 1 // at most one leader per term
	LeaderAppendOnly                       // a leader never overwrites or deletes its entries
	LogMatching                            // same index and term ⇒ same entry and same log before it
	LeaderCompleteness                     // a committed entry is in the log of every later leader
	StateMachineSafety                     // no two servers apply different entries at one index
)

var propertyNames = [...]string{"", "Election Safety", "Leader Append-Only", "Log Matching",
	"Leader Completeness", "State Machine Safety"}

func (p Property) String() string {
	if int(p) < len(propertyNames) {
		return propertyNames[p]
	}
	return "property"
}

// Violation is a broken safety property with its evidence.
type Violation struct {
	Property Property
	Nodes    []raft.NodeID // the servers involved
	Term     raft.Term     // the term concerned (the leaders' term; the entry's term)
	Index    raft.Index    // the log index concerned, if any
	Got      raft.Term     // the term found at Index on Nodes[0], if relevant
	Want     raft.Term     // the term expected there, if relevant
	Event    int           // Seq of the event after which the checker saw it
	Action   int           // index of the action that caused it (-1: setup)
}

type entryKey struct {
	index raft.Index
	term  raft.Term
}

// entryDigest is what Log Matching compares: an entry and the term before it.
type entryDigest struct {
	kind     raft.EntryKind
	data     string
	prevTerm raft.Term
	owner    raft.NodeID // the first server seen holding it
}

type committedEntry struct {
	term       raft.Term
	kind       raft.EntryKind
	data       string
	commitTerm raft.Term   // a term by which it was known committed
	node       raft.NodeID // the server that applied or committed it first
}

// checker watches a run and reports the first violation of each kind it
// sees for each place. It keeps its own history (leaders by term, entries by
// index and term, applied entries), so it checks properties over the whole
// run, not just the present state.
type checker struct {
	leaders    map[raft.Term]raft.NodeID
	entries    map[entryKey]entryDigest
	committed  []committedEntry // index i at position i-1
	leaderLogs [raft.MaxNodes + 1]leaderLog
	reported   map[string]bool
}

// leaderLog is what a server held when last seen as leader of term.
type leaderLog struct {
	term    raft.Term
	entries []raft.Entry
}

func newChecker() *checker {
	return &checker{
		leaders:  map[raft.Term]raft.NodeID{},
		entries:  map[entryKey]entryDigest{},
		reported: map[string]bool{},
	}
}

func (c *checker) clone() *checker {
	d := &checker{
		leaders:   maps.Clone(c.leaders),
		entries:   maps.Clone(c.entries),
		committed: slices.Clone(c.committed),
		reported:  maps.Clone(c.reported),
	}
	for i, l := range c.leaderLogs {
		d.leaderLogs[i] = leaderLog{term: l.term, entries: slices.Clone(l.entries)}
	}
	return d
}

// observe checks one server after it changed; log is its whole log.
func (c *checker) observe(id raft.NodeID, role raft.Role, term raft.Term, log []raft.Entry, report func(Violation)) {
	// Log Matching: each (index, term) names one entry, preceded by one term.
	// By induction this gives the whole property.
	prevTerm := raft.Term(0)
	for _, e := range log {
		k := entryKey{e.Index, e.Term}
		d, ok := c.entries[k]
		if !ok {
			c.entries[k] = entryDigest{kind: e.Kind, data: e.Data, prevTerm: prevTerm, owner: id}
		} else if d.kind != e.Kind || d.data != e.Data || d.prevTerm != prevTerm {
			c.report(Violation{Property: LogMatching, Nodes: []raft.NodeID{id, d.owner}, Term: e.Term, Index: e.Index,
				Got: prevTerm, Want: d.prevTerm}, report)
		}
		prevTerm = e.Term
	}
	if role != raft.Leader {
		return
	}
	// Election Safety.
	if other, ok := c.leaders[term]; !ok {
		c.leaders[term] = id
	} else if other != id {
		c.report(Violation{Property: ElectionSafety, Nodes: []raft.NodeID{other, id}, Term: term}, report)
	}
	// Leader Append-Only: while leader of one term, what it held stays.
	ll := &c.leaderLogs[id]
	if ll.term == term {
		for i, e := range ll.entries {
			if i >= len(log) || log[i] != e {
				c.report(Violation{Property: LeaderAppendOnly, Nodes: []raft.NodeID{id}, Term: term, Index: e.Index}, report)
				break
			}
		}
	} else {
		// Newly seen as leader of this term: Leader Completeness over every
		// entry committed in an earlier term.
		c.checkCompleteness(id, term, log, report)
	}
	ll.term = term
	ll.entries = append(ll.entries[:0], log...)
}

func (c *checker) checkCompleteness(id raft.NodeID, term raft.Term, log []raft.Entry, report func(Violation)) {
	for i, ce := range c.committed {
		if ce.term == 0 || ce.commitTerm >= term {
			continue
		}
		idx := raft.Index(i + 1)
		if int(idx) > len(log) || log[idx-1].Term != ce.term || log[idx-1].Data != ce.data {
			got := raft.Term(0)
			if int(idx) <= len(log) {
				got = log[idx-1].Term
			}
			c.report(Violation{Property: LeaderCompleteness, Nodes: []raft.NodeID{id, ce.node}, Term: term, Index: idx,
				Got: got, Want: ce.term}, report)
		}
	}
}

// committedAt records that node, in term, knows entry e to be committed.
// leaders lists the current leaders so they can be checked against it.
func (c *checker) committedAt(node raft.NodeID, term raft.Term, e raft.Entry) {
	for raft.Index(len(c.committed)) < e.Index {
		c.committed = append(c.committed, committedEntry{})
	}
	ce := &c.committed[e.Index-1]
	if ce.term == 0 {
		*ce = committedEntry{term: e.Term, kind: e.Kind, data: e.Data, commitTerm: term, node: node}
	} else if ce.term == e.Term && term < ce.commitTerm {
		ce.commitTerm = term
	}
}

// applied checks State Machine Safety when node applies e.
func (c *checker) applied(node raft.NodeID, term raft.Term, e raft.Entry, report func(Violation)) {
	if int(e.Index) <= len(c.committed) {
		if ce := c.committed[e.Index-1]; ce.term != 0 && (ce.term != e.Term || ce.data != e.Data || ce.kind != e.Kind) {
			c.report(Violation{Property: StateMachineSafety, Nodes: []raft.NodeID{node, ce.node}, Term: e.Term, Index: e.Index,
				Got: e.Term, Want: ce.term}, report)
			return
		}
	}
	c.committedAt(node, term, e)
}

func (c *checker) report(v Violation, report func(Violation)) {
	key := v.Property.String() + ":" + itoa(int(v.Term)) + ":" + itoa(int(v.Index))
	for _, n := range v.Nodes {
		key += ":" + n.String()
	}
	if c.reported[key] {
		return
	}
	c.reported[key] = true
	report(v)
}
