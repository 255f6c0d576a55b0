package raft_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// cluster is an in-test network of servers that the test drives one step at
// a time: fire a timer, deliver one chosen message, drop some, crash and
// restart a server from its storage. Every Ready is handled in full and in
// order right after the call that produced it: persist, send, apply, Advance.
//
// Along the way it records what each state machine applied (across
// restarts) and which server won each term, so that safety() can check the
// properties of Figure 3.
type cluster struct {
	t       testing.TB
	cfgs    []raft.Config // indexed by NodeID; [0] unused
	nodes   []*raft.Node  // nil while crashed
	stores  []*raft.MemoryStorage
	applied [][]raft.Entry // each state machine's applied entries, kept across restarts
	replay  []int          // entries the current incarnation has applied
	notes   [][]raft.Reason
	net     []raft.Message // in flight, oldest first
	leaders map[raft.Term]raft.NodeID
	// violations are safety properties seen broken while running.
	violations []string
}

// newCluster starts n servers with empty logs in term 0. Options change
// every server's configuration.
func newCluster(t testing.TB, n int, opts ...func(*raft.Config)) *cluster {
	t.Helper()
	c := &cluster{
		t:       t,
		cfgs:    make([]raft.Config, n+1),
		nodes:   make([]*raft.Node, n+1),
		stores:  make([]*raft.MemoryStorage, n+1),
		applied: make([][]raft.Entry, n+1),
		replay:  make([]int, n+1),
		notes:   make([][]raft.Reason, n+1),
		leaders: map[raft.Term]raft.NodeID{},
	}
	for _, id := range ids(n) {
		c.cfgs[id] = config(id, n)
		for _, o := range opts {
			o(&c.cfgs[id])
		}
		c.stores[id] = &raft.MemoryStorage{}
		c.restart(id)
	}
	return c
}

// preset gives id a persisted state, as if it had run before, and restarts
// it from there. Use it before anything else happens.
func (c *cluster) preset(id raft.NodeID, hs raft.HardState, terms ...raft.Term) {
	c.t.Helper()
	log := mkLog(terms...)
	for i := range log {
		log[i].Data = fmt.Sprintf("%d@%d", log[i].Term, log[i].Index)
	}
	c.stores[id] = &raft.MemoryStorage{HardState: hs, Entries: log}
	c.restart(id)
}

func (c *cluster) ids() []raft.NodeID { return ids(len(c.nodes) - 1) }

// node is the running server id; the test fails if it is crashed.
func (c *cluster) node(id raft.NodeID) *raft.Node {
	c.t.Helper()
	require.NotNil(c.t, c.nodes[id], "%v is crashed", id)
	return c.nodes[id]
}

func (c *cluster) status(id raft.NodeID) raft.Status { c.t.Helper(); return c.node(id).Status() }
func (c *cluster) role(id raft.NodeID) raft.Role     { c.t.Helper(); return c.node(id).Role() }
func (c *cluster) term(id raft.NodeID) raft.Term     { c.t.Helper(); return c.node(id).Term() }

// log is what id holds: its running log, or its storage while crashed.
func (c *cluster) log(id raft.NodeID) []raft.Entry {
	if c.nodes[id] == nil {
		return c.stores[id].Entries
	}
	return c.nodes[id].Entries()
}

// handle does what id's Ready asks, in the order Ready documents.
func (c *cluster) handle(id raft.NodeID) {
	c.t.Helper()
	n := c.nodes[id]
	if !n.HasReady() {
		return
	}
	rd := n.Ready()
	// 1. Persist, before anything leaves.
	c.stores[id].Save(rd)
	require.Equal(c.t, n.Entries(), c.stores[id].Entries, "%v: storage holds the server's log", id)
	// 2. Send: copy each message and its entries, since the Ready's slices
	// are the server's and valid only until Advance.
	for _, m := range rd.Messages {
		m.Entries = slices.Clone(m.Entries)
		c.net = append(c.net, m)
	}
	// 3. Apply.
	for _, e := range rd.CommittedEntries {
		c.apply(id, e)
	}
	c.notes[id] = append(c.notes[id], rd.Notes...)
	for _, r := range rd.Notes {
		if r.Code != raft.BecameLeader {
			continue
		}
		// Election Safety: at most one leader per term.
		if w, ok := c.leaders[r.Term]; ok && w != id {
			c.violations = append(c.violations, fmt.Sprintf("election safety: %v and %v both lead term %d", w, id, r.Term))
		}
		c.leaders[r.Term] = id
	}
	n.Advance()
	require.False(c.t, n.HasReady(), "%v: Advance consumed everything", id)
}

// apply feeds e to id's state machine. After a restart the state machine
// starts empty and re-applies from index 1: what it applies again must be
// what it applied before (State Machine Safety across a crash).
func (c *cluster) apply(id raft.NodeID, e raft.Entry) {
	c.t.Helper()
	i := c.replay[id]
	require.Equal(c.t, raft.Index(i+1), e.Index, "%v applies in order, without gaps", id)
	c.replay[id]++
	if i < len(c.applied[id]) {
		if c.applied[id][i] != e {
			c.violations = append(c.violations, fmt.Sprintf("state machine safety: %v applied %v at index %d, and %v after a restart",
				id, c.applied[id][i], e.Index, e))
		}
		return
	}
	c.applied[id] = append(c.applied[id], e)
}

// fire expires id's timer: a follower or candidate campaigns, a leader
// sends heartbeats.
func (c *cluster) fire(id raft.NodeID) {
	c.t.Helper()
	c.node(id).FireTimeout()
	c.handle(id)
}

// tick advances id's clock k ticks.
func (c *cluster) tick(id raft.NodeID, k int) {
	c.t.Helper()
	for range k {
		c.node(id).Tick()
		c.handle(id)
	}
}

// propose asks id to append cmd.
func (c *cluster) propose(id raft.NodeID, cmd string) (raft.Index, bool) {
	c.t.Helper()
	idx, _, ok := c.node(id).Propose(cmd)
	c.handle(id)
	return idx, ok
}

// matches reports whether m goes from -> to and has one of types; None and
// an empty types list match anything.
func matches(m raft.Message, from, to raft.NodeID, types []raft.MsgType) bool {
	return (from == raft.None || m.From == from) && (to == raft.None || m.To == to) &&
		(len(types) == 0 || slices.Contains(types, m.Type))
}

// deliver hands the oldest in-flight message of type typ from -> to to its
// recipient (lost if the recipient is crashed), and returns it.
func (c *cluster) deliver(from, to raft.NodeID, typ raft.MsgType) raft.Message {
	c.t.Helper()
	i := slices.IndexFunc(c.net, func(m raft.Message) bool { return matches(m, from, to, []raft.MsgType{typ}) })
	require.GreaterOrEqual(c.t, i, 0, "no %v from %v to %v in flight: %v", typ, from, to, c.describeNet())
	m := c.net[i]
	c.net = slices.Delete(c.net, i, i+1)
	c.stepTo(m)
	return m
}

func (c *cluster) stepTo(m raft.Message) {
	c.t.Helper()
	if c.nodes[m.To] == nil {
		return
	}
	c.nodes[m.To].Step(m)
	c.handle(m.To)
}

// deliverAll delivers every message in flight, oldest first, including the
// ones sent in response, until none is left.
func (c *cluster) deliverAll() {
	c.t.Helper()
	for steps := 0; len(c.net) > 0; steps++ {
		require.Less(c.t, steps, 100000, "the network does not quiesce")
		m := c.net[0]
		c.net = c.net[1:]
		c.stepTo(m)
	}
}

// drop loses the in-flight messages from -> to of the given types (None
// and no types: any) and returns how many.
func (c *cluster) drop(from, to raft.NodeID, types ...raft.MsgType) int {
	before := len(c.net)
	c.net = slices.DeleteFunc(c.net, func(m raft.Message) bool { return matches(m, from, to, types) })
	return before - len(c.net)
}

// inFlight counts the messages from -> to of the given types.
func (c *cluster) inFlight(from, to raft.NodeID, types ...raft.MsgType) int {
	k := 0
	for _, m := range c.net {
		if matches(m, from, to, types) {
			k++
		}
	}
	return k
}

// crash stops id: its volatile state is gone, its storage stays. Messages
// it already sent stay in flight; those sent to it are lost on delivery.
func (c *cluster) crash(id raft.NodeID) {
	c.t.Helper()
	c.node(id)
	c.nodes[id] = nil
}

// restart rebuilds id from its storage alone.
func (c *cluster) restart(id raft.NodeID) {
	c.t.Helper()
	n, err := c.stores[id].Restart(c.cfgs[id])
	require.NoError(c.t, err)
	c.nodes[id] = n
	c.replay[id] = 0
	c.handle(id)
}

// notesOf returns the notes id has handed out with code code.
func (c *cluster) notesOf(id raft.NodeID, code raft.ReasonCode) []raft.Reason {
	var out []raft.Reason
	for _, r := range c.notes[id] {
		if r.Code == code {
			out = append(out, r)
		}
	}
	return out
}

func (c *cluster) describeNet() string {
	s := ""
	for _, m := range c.net {
		s += fmt.Sprintf(" %v→%v:%v(t%d)", m.From, m.To, m.Type, m.Term)
	}
	return s
}

// safety checks the properties of Figure 3 that can be seen from outside,
// and returns what is broken:
//   - Election Safety (recorded while running);
//   - Log Matching: if two logs hold an entry with the same index and term,
//     they are identical up to that index;
//   - State Machine Safety: applied sequences are prefixes of one another
//     (and a restarted state machine re-applies the same entries);
//   - Leader Completeness, for the leader of the highest term: its log holds
//     every entry anyone applied.
func (c *cluster) safety() []string {
	out := slices.Clone(c.violations)
	all := c.ids()
	for _, a := range all {
		for _, b := range all {
			if a >= b {
				continue
			}
			la, lb := c.log(a), c.log(b)
			for i := min(len(la), len(lb)) - 1; i >= 0; i-- {
				if la[i].Term == lb[i].Term {
					if !slices.Equal(la[:i+1], lb[:i+1]) {
						out = append(out, fmt.Sprintf("log matching: %v and %v agree on the term at index %d but differ before", a, b, i+1))
					}
					break
				}
			}
			aa, ab := c.applied[a], c.applied[b]
			k := min(len(aa), len(ab))
			if !slices.Equal(aa[:k], ab[:k]) {
				i := slices.IndexFunc(aa[:k], func(e raft.Entry) bool { return e != ab[e.Index-1] })
				out = append(out, fmt.Sprintf("state machine safety: %v applied %+v at index %d, %v applied %+v", a, aa[i], i+1, b, ab[i]))
			}
		}
	}
	var top raft.NodeID
	for _, id := range all {
		if n := c.nodes[id]; n != nil && n.Role() == raft.Leader && (top == raft.None || n.Term() > c.nodes[top].Term()) {
			top = id
		}
	}
	if top != raft.None {
		log := c.log(top)
		for _, id := range all {
			for _, e := range c.applied[id] {
				if int(e.Index) > len(log) || log[e.Index-1] != e {
					out = append(out, fmt.Sprintf("leader completeness: %v applied %+v, which leader %v lacks", id, e, top))
					break
				}
			}
		}
	}
	return out
}

// assertSafe fails the test if a safety property is broken.
func (c *cluster) assertSafe() {
	c.t.Helper()
	require.Empty(c.t, c.safety())
}

// commands lists the commands in entries, skipping no-ops.
func commands(es []raft.Entry) []string {
	var out []string
	for _, e := range es {
		if e.Kind == raft.EntryCommand {
			out = append(out, e.Data)
		}
	}
	return out
}
