package sim

import (
	"cmp"
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
	// Decisions under changing configurations (§6; dissertation ch. 4).
	ElectedWithoutQuorum   // a leader won without votes from a majority of its configuration
	CommittedWithoutQuorum // a leader committed an entry a majority of its configuration does not hold
	CommonMajority         // a leader's configuration shares no majority with the latest committed one
	// Not Figure 3's, but what a switched-off rule breaks when it breaks
	// none of those (checker_order.go, checker_liveness.go).
	CommitDurability    // a server's log holds every entry it knows committed
	StateMachineOrder   // a state machine applies each entry once, in index order
	ElectionTimer       // a voter that hears from no leader and grants no vote stands (liveness)
	ReplicationProgress // a reply to an earlier term's request moves no nextIndex back
	// Linearizability is not a property of the log: the clients' history
	// is linearizable (dissertation §6.4; linearizability.go checks it).
	Linearizability
	propertyCount
)

var propertyNames = [propertyCount]string{"", "Election Safety", "Leader Append-Only", "Log Matching",
	"Leader Completeness", "State Machine Safety", "Election Quorum", "Commit Quorum", "Common Majority",
	"Commit Durability", "State Machine Order", "Election Timer", "Replication Progress", "Linearizability"}

// Safety reports whether p is a safety property of the replicated log and
// its state machines (Figure 3's, those of changing configurations, commit
// durability and state machine order), which Raft guarantees whatever the
// clients do. Linearizability also depends on how reads are served, and
// the two checks (Check) break no safety property.
func (p Property) Safety() bool {
	return p >= ElectionSafety && p < propertyCount && p != Linearizability && !p.Check()
}

// Check reports whether p is one of the checks of rules whose breaking
// breaks no safety property: the election timer (liveness) and the
// leader's replication progress (its work).
func (p Property) Check() bool { return p == ElectionTimer || p == ReplicationProgress }

// propertyKeys name the properties in the words tables and the goal
// language.
var propertyKeys = [propertyCount]string{"", "election-safety", "leader-append-only", "log-matching",
	"leader-completeness", "state-machine-safety", "election-quorum", "commit-quorum", "common-majority",
	"commit-durability", "state-machine-order", "election-timer", "replication-progress", "linearizability"}

// String is the property's name (for the first five, the paper's), a
// stable identifier.
func (p Property) String() string {
	if p < propertyCount {
		return propertyNames[p]
	}
	return "property"
}

// Key is the property's name in the words tables and the goal language:
// "election-safety", "common-majority".
func (p Property) Key() string {
	if p < propertyCount {
		return propertyKeys[p]
	}
	return ""
}

// PropertyByKey finds a property by its Key.
func PropertyByKey(key string) (Property, bool) {
	for p := Property(1); p < propertyCount; p++ {
		if propertyKeys[p] == key {
			return p, true
		}
	}
	return 0, false
}

// PropertyKeys lists every property's Key, in order.
func PropertyKeys() []string { return append([]string(nil), propertyKeys[1:]...) }

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
	// Config is the configuration the decision was made in, and Count how
	// many of its voters voted for the leader (ElectedWithoutQuorum) or
	// hold the entry (CommittedWithoutQuorum). Committed is the latest
	// committed configuration, which Config shares no majority with
	// (CommonMajority), from the entry at Index.
	Config    raft.Membership
	Count     int
	Committed raft.Membership
	// Last is a second index: CommitDurability, where the log ends;
	// StateMachineOrder, the index applied before Index;
	// ReplicationProgress, nextIndex after the reply (Index: before).
	// Count is also ElectionTimer's ticks without hearing from a leader,
	// granting a vote or standing.
	Last raft.Index

	// Linearizability: Ops[0] is the read of Key that no order of the
	// operations on Key explains, which gave Seen (SeenSet false: the key
	// not set); Ops[1], when the checker names one, is the operation it
	// contradicts: a write of Other (OtherWrite) answered before the read
	// was made, or an earlier read that saw Other (OtherSet false: not
	// set).
	Ops        []int
	Key        string
	Seen       string
	SeenSet    bool
	Other      string
	OtherSet   bool
	OtherWrite bool
}

type committedEntry struct {
	term       raft.Term
	kind       raft.EntryKind
	data       string
	commitTerm raft.Term   // a term by which it was known committed
	node       raft.NodeID // the server that applied it first
}

type termLeader struct {
	term raft.Term
	id   raft.NodeID
}

// checked is what the checker keeps of one server.
type checked struct {
	leaderTerm raft.Term  // the term it was last seen leading (0: none since it started)
	leaderLast raft.Index // its last index then
	// verified is the index through which its log is known to hold the
	// committed entries, so Leader Completeness reads only the rest.
	verified int
	// Its latest votes, in a ring (checker_config.go).
	grants    [grantMemory]grant
	nextGrant uint8
	// applied is the last index its state machine applied; quiet counts
	// its ticks since it last heard from a leader, granted a vote, stood
	// or led (checker_liveness.go).
	applied raft.Index
	quiet   int
}

type violationKey struct {
	prop  Property
	term  raft.Term
	index raft.Index
	a, b  raft.NodeID
}

// checker watches a run and reports the first violation of each kind it
// sees for each place. It is fed the facts of each step — what a server
// wrote to its log, its role and term after the step, what it applied —
// and checks each against the rest, so its cost grows with what changed,
// not with the length of the logs. What it keeps across the run (leaders
// by term, committed entries) is shared with checkpoints and copied only
// where it changes.
type checker struct {
	leaders   []termLeader // by term, ascending
	committed cowList[committedEntry]
	servers   [raft.MaxNodes + 1]checked
	reported  []violationKey
	config    committedConfig
}

func (c *checker) clone() *checker {
	d := *c
	d.leaders = c.leaders[:len(c.leaders):len(c.leaders)]
	d.committed = c.committed.clone()
	d.reported = c.reported[:len(c.reported):len(c.reported)]
	return &d
}

// serverLog is a server's log as the checker reads it: the entries after
// its snapshot (entries[0] has index start+1), and the snapshot's last
// index and term (zero: no snapshot).
type serverLog struct {
	entries   []raft.Entry
	start     raft.Index
	startTerm raft.Term
}

func (l serverLog) last() raft.Index { return l.start + raft.Index(len(l.entries)) }

// entry returns the entry at i, and false if the log does not hold it
// (compacted away, or past the end).
func (l serverLog) entry(i raft.Index) (raft.Entry, bool) {
	if i <= l.start || i > l.last() {
		return raft.Entry{}, false
	}
	return l.entries[i-l.start-1], true
}

// term returns the term at i (0 at index 0), and false if the log no
// longer or not yet knows it.
func (l serverLog) term(i raft.Index) (raft.Term, bool) {
	if i == l.start {
		return l.startTerm, true
	}
	e, ok := l.entry(i)
	return e.Term, ok
}

// logOf gives a server's log: in memory while it runs, on disk while crashed.
type logOf func(id raft.NodeID) serverLog

// wrote checks what server id wrote from index first on: Log Matching
// against every other server's log, and Leader Append-Only.
func (c *checker) wrote(id raft.NodeID, role raft.Role, term raft.Term, first raft.Index, n int, logs logOf, servers int, report func(Violation)) {
	log := logs(id)
	if cs := &c.servers[id]; role == raft.Leader && cs.leaderTerm == term && first <= cs.leaderLast {
		c.report(Violation{Property: LeaderAppendOnly, Nodes: []raft.NodeID{id}, Term: term, Index: first}, report)
	}
	for i := first; i < first+raft.Index(n); i++ {
		e, ok := log.entry(i)
		if !ok {
			break
		}
		prev, prevKnown := log.term(i - 1)
		for o := raft.NodeID(1); int(o) <= servers; o++ {
			if o == id {
				continue
			}
			other := logs(o)
			oe, ok := other.entry(i)
			if !ok || oe.Term != e.Term {
				continue
			}
			// Log Matching: each (index, term) names one entry, preceded by
			// one term. By induction this gives the whole property. (Where
			// a snapshot hides the term before, the entry alone is compared.)
			oprev, oprevKnown := other.term(i - 1)
			if oe.Kind != e.Kind || oe.Data != e.Data || prevKnown && oprevKnown && oprev != prev {
				c.report(Violation{Property: LogMatching, Nodes: []raft.NodeID{id, o}, Term: e.Term, Index: i,
					Got: prev, Want: oprev}, report)
			}
		}
	}
	cs := &c.servers[id]
	cs.verified = min(cs.verified, int(first)-1)
}

// stepped checks server id after a step in which it is role in term:
// Election Safety and, when it is newly leader, Leader Completeness.
func (c *checker) stepped(id raft.NodeID, role raft.Role, term raft.Term, log serverLog, report func(Violation)) {
	if role != raft.Leader {
		return
	}
	i, found := slices.BinarySearchFunc(c.leaders, term, func(l termLeader, t raft.Term) int { return cmp.Compare(l.term, t) })
	switch {
	case !found && i == len(c.leaders):
		c.leaders = append(c.leaders, termLeader{term, id})
	case !found:
		c.leaders = slices.Concat(c.leaders[:i], []termLeader{{term, id}}, c.leaders[i:]) // a copy: checkpoints share the array
	case c.leaders[i].id != id:
		c.report(Violation{Property: ElectionSafety, Nodes: []raft.NodeID{c.leaders[i].id, id}, Term: term}, report)
	}
	cs := &c.servers[id]
	if cs.leaderTerm != term {
		c.checkCompleteness(id, term, log, report)
	}
	cs.leaderTerm, cs.leaderLast = term, log.last()
}

// checkCompleteness checks that a new leader of term holds every entry
// committed in an earlier term. Entries its snapshot replaced count as
// held: a snapshot holds only entries the server applied, which State
// Machine Safety checks.
func (c *checker) checkCompleteness(id raft.NodeID, term raft.Term, log serverLog, report func(Violation)) {
	cs := &c.servers[id]
	cs.verified = min(cs.verified, int(log.last()))
	matching := true
	for i := cs.verified; i < c.committed.len(); i++ {
		ce, index := c.committed.at(i), raft.Index(i+1)
		e, ok := log.entry(index)
		has := index <= log.start || ok && e.Term == ce.term && e.Data == ce.data
		if has && matching {
			cs.verified = i + 1
			continue
		}
		matching = false
		if !has && ce.term != 0 && ce.commitTerm < term {
			got, _ := log.term(index)
			c.report(Violation{Property: LeaderCompleteness, Nodes: []raft.NodeID{id, ce.node}, Term: term, Index: index,
				Got: got, Want: ce.term}, report)
		}
	}
}

// restarted forgets what server id's volatile state told: it leads nothing
// now, its log, which now ends at last, may have lost its tail, and its
// state machine starts over (from its snapshot through snap).
func (c *checker) restarted(id raft.NodeID, last, snap raft.Index) {
	cs := &c.servers[id]
	cs.leaderTerm, cs.leaderLast, cs.verified = 0, 0, min(cs.verified, int(last))
	cs.applied, cs.quiet = snap, 0
}

// applied checks State Machine Safety and order when node, in term,
// applies e.
func (c *checker) applied(node raft.NodeID, term raft.Term, e raft.Entry, report func(Violation)) {
	c.inOrder(node, e.Index, report)
	i := int(e.Index) - 1
	if i < c.committed.len() {
		ce := c.committed.at(i)
		if ce.term != 0 && (ce.term != e.Term || ce.data != e.Data || ce.kind != e.Kind) {
			c.report(Violation{Property: StateMachineSafety, Nodes: []raft.NodeID{node, ce.node}, Term: e.Term, Index: e.Index,
				Got: e.Term, Want: ce.term}, report)
			return
		}
	}
	for c.committed.len() <= i {
		c.committed.push(committedEntry{})
	}
	switch ce := c.committed.at(i); {
	case ce.term == 0:
		c.committed.set(i, committedEntry{term: e.Term, kind: e.Kind, data: e.Data, commitTerm: term, node: node})
	case ce.term == e.Term && term < ce.commitTerm:
		ce.commitTerm = term
		c.committed.set(i, ce)
	}
}

func (c *checker) report(v Violation, report func(Violation)) {
	k := violationKey{prop: v.Property, term: v.Term, index: v.Index, a: v.Nodes[0]}
	if len(v.Nodes) > 1 {
		k.b = v.Nodes[1]
	}
	if slices.Contains(c.reported, k) || len(c.reported) >= MaxViolations {
		return
	}
	c.reported = append(c.reported, k)
	report(v)
}
