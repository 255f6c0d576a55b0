package raft_test

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"raftlab/raft"
)

// randNet is an in-test network for random schedules: servers driven one
// call at a time, messages held in flight and delivered in a random order
// (or lost, or duplicated), crashes and restarts from storage. Every Ready
// is handled in full right after the call that produced it.
//
// It checks Figure 3's properties from facts it reads, after every step:
// Election Safety (the leaders it sees), State Machine Safety (each state
// machine is a chain of hashes, applied in index order; two servers that
// applied index i agree on the hash there), Log Matching and Leader
// Completeness (every committed entry it has seen is in the log of every
// later leader, and a server's log holds everything it knows committed);
// and linearizability of the reads served. Two more checks read what a
// switched-off rule that breaks no safety property does break: the
// election timer (checkTimer) and a leader's progress on replies to
// earlier terms (deliver). Every violation starts with the name of the
// property, as propertyOf reads it.
type randNet struct {
	t      testing.TB
	rng    *rand.Rand
	cfgs   []raft.Config // by NodeID; [0] unused
	nodes  []*raft.Node  // nil while crashed
	stores []*raft.MemoryStorage
	sms    []stateMachine
	net    []raft.Message
	// held are messages delayed for long: released one at a time, rarely,
	// long after they were sent (a delayed packet).
	held []raft.Message
	// holdOneIn holds one message in this many (0: none), for scripted
	// tests that choose every delivery.
	holdOneIn int

	// strip removes every message's Reason as it leaves, as a transport
	// that drops the teaching field would.
	strip bool
	// transform, when set, may change each message as it leaves.
	transform func(*raft.Message)
	// onNotes and onReads, when set, are shown every Ready's notes and
	// read states.
	onNotes func(raft.NodeID, []raft.Reason)
	onReads func(raft.NodeID, []raft.ReadState)
	// cut[a][b] loses what a sends to b.
	cut [raft.MaxNodes + 1][raft.MaxNodes + 1]bool

	chain     map[raft.Index]uint64 // state machine hash after applying index i
	committed map[raft.Index]committedEntry
	// maxCommitted is the highest index seen committed anywhere; asked
	// maps a read's id to maxCommitted when it was asked: a linearizable
	// read must reflect at least that much.
	maxCommitted raft.Index
	asked        map[uint64]raft.Index
	nextRead     uint64
	readsServed  int
	leaders      map[raft.Term]raft.NodeID
	checked      map[raft.Term]bool // leaders checked for completeness
	proposed     int
	violations   []string

	// quiet[id] counts id's ticks since it last heard from a leader of its
	// term, granted a vote, stood for election, led, or changed
	// configuration; confAt[id] is the configuration it had then.
	quiet  []int
	confAt []raft.Index
}

// committedEntry is an entry seen committed, and the term of the server
// that first showed it so.
type committedEntry struct {
	entry  raft.Entry
	seenIn raft.Term
}

// stateMachine applies entries into a hash chain; its snapshot is the
// index and hash it reached.
type stateMachine struct {
	applied raft.Index
	hash    uint64
}

func (sm *stateMachine) apply(e raft.Entry) {
	h := fnv.New64a()
	var b [24]byte
	b[0] = byte(e.Kind)
	putU64(b[1:], sm.hash)
	putU64(b[9:], uint64(e.Term))
	h.Write(b[:17])
	h.Write([]byte(e.Data))
	sm.hash = h.Sum64()
	sm.applied = e.Index
}

func putU64(b []byte, v uint64) {
	for i := range 8 {
		b[i] = byte(v >> (8 * i))
	}
}

func (sm stateMachine) snapshot() string {
	return strconv.FormatUint(uint64(sm.applied), 10) + ":" + strconv.FormatUint(sm.hash, 16)
}

func restoreStateMachine(data string) stateMachine {
	a, b, _ := strings.Cut(data, ":")
	i, _ := strconv.ParseUint(a, 10, 64)
	h, _ := strconv.ParseUint(b, 16, 64)
	return stateMachine{applied: raft.Index(i), hash: h}
}

func newRandNet(t testing.TB, seed uint64, n int, opts ...func(*raft.Config)) *randNet {
	net := &randNet{
		t:         t,
		rng:       rand.New(rand.NewPCG(seed, 0x5eed)),
		cfgs:      make([]raft.Config, n+1),
		nodes:     make([]*raft.Node, n+1),
		stores:    make([]*raft.MemoryStorage, n+1),
		sms:       make([]stateMachine, n+1),
		quiet:     make([]int, n+1),
		confAt:    make([]raft.Index, n+1),
		chain:     map[raft.Index]uint64{},
		committed: map[raft.Index]committedEntry{},
		leaders:   map[raft.Term]raft.NodeID{},
		checked:   map[raft.Term]bool{},
		asked:     map[uint64]raft.Index{},
		holdOneIn: 25,
	}
	for _, id := range ids(n) {
		c := config(id, n)
		c.ElectionTimeoutMax = 20
		c.Rand = rand.New(rand.NewPCG(seed, uint64(id)))
		for _, o := range opts {
			o(&c)
		}
		net.cfgs[id] = c
		net.stores[id] = &raft.MemoryStorage{}
		net.restart(id)
	}
	return net
}

// newScriptedNet is a randNet for tests that choose every delivery: no
// message is held back at random.
func newScriptedNet(t testing.TB, n int, opts ...func(*raft.Config)) *randNet {
	net := newRandNet(t, 1, n, opts...)
	net.holdOneIn = 0
	return net
}

func (net *randNet) ids() []raft.NodeID { return ids(len(net.nodes) - 1) }

func (net *randNet) fail(format string, args ...any) {
	net.violations = append(net.violations, fmt.Sprintf(format, args...))
}

// propertyOf names the property a violation breaks: the words before its
// first colon.
func propertyOf(violation string) string {
	p, _, _ := strings.Cut(violation, ":")
	return p
}

// handle does what id's Ready asks: persist, send, restore or apply.
func (net *randNet) handle(id raft.NodeID) {
	n := net.nodes[id]
	for n.HasReady() {
		rd := n.Ready()
		net.stores[id].Save(rd)
		if net.onNotes != nil {
			net.onNotes(id, rd.Notes)
		}
		for _, m := range rd.Messages {
			if m.Type == raft.MsgVote || m.Type == raft.MsgPreVote || (m.Type == raft.MsgVoteResp && m.Success) {
				net.quiet[id] = 0 // it stood for election, or granted a vote
			}
			if net.strip {
				m.Reason = raft.Reason{}
			}
			if net.transform != nil {
				net.transform(&m)
			}
			if net.holdOneIn > 0 && net.rng.IntN(net.holdOneIn) == 0 {
				net.held = append(net.held, m)
			} else {
				net.net = append(net.net, m)
			}
		}
		if rd.RestoreSnapshot {
			net.sms[id] = restoreStateMachine(rd.Snapshot.Data)
			if net.sms[id].applied != rd.Snapshot.Index {
				net.fail("state machine safety: %v's snapshot through %d holds a state machine at %d", id, rd.Snapshot.Index, net.sms[id].applied)
			}
			net.checkChain(id)
		}
		for _, rs := range rd.ReadStates {
			net.checkRead(id, rs)
		}
		if net.onReads != nil && len(rd.ReadStates) > 0 {
			net.onReads(id, rd.ReadStates)
		}
		for _, e := range rd.CommittedEntries {
			sm := &net.sms[id]
			if e.Index != sm.applied+1 {
				net.fail("state machine order: %v applied %d after %d", id, e.Index, sm.applied)
			}
			sm.apply(e)
			net.checkChain(id)
		}
		n.Advance()
	}
	net.observe(id)
}

func (net *randNet) checkChain(id raft.NodeID) {
	sm := net.sms[id]
	if sm.applied == 0 {
		return
	}
	if h, ok := net.chain[sm.applied]; !ok {
		net.chain[sm.applied] = sm.hash
	} else if h != sm.hash {
		net.fail("state machine safety: %v differs from another server after index %d", id, sm.applied)
	}
}

// observe records what id shows: a leader, committed entries.
func (net *randNet) observe(id raft.NodeID) {
	n := net.nodes[id]
	if n.ConfigIndex() != net.confAt[id] {
		net.quiet[id], net.confAt[id] = 0, n.ConfigIndex()
		if m := n.Membership(); len(m.Voters) == 0 {
			net.fail("configuration: %v uses %q, which has no voters", id, m)
		}
	}
	if n.Role() == raft.Leader {
		net.quiet[id] = 0
		if w, ok := net.leaders[n.Term()]; ok && w != id {
			net.fail("election safety: %v and %v both lead term %d", w, id, n.Term())
		}
		net.leaders[n.Term()] = id
		if !net.checked[n.Term()] {
			net.checked[n.Term()] = true
			for i, c := range net.committed {
				// Leader Completeness speaks of leaders of terms after the
				// one the entry committed in, which is no later than the
				// term of the server that first showed it committed.
				if n.Term() > c.seenIn && i > n.SnapshotIndex() && (i > n.LastIndex() || entryAt(n, i) != c.entry) {
					net.fail("leader completeness: leader %v of term %d lacks committed entry %d", id, n.Term(), i)
				}
			}
		}
	}
	last := n.LastIndex()
	if n.CommitIndex() > last {
		net.fail("commit durability: %v knows index %d committed but its log ends at %d: it lost committed entries", id, n.CommitIndex(), last)
	}
	for i := max(n.SnapshotIndex()+1, 1); i <= min(n.CommitIndex(), last); i++ {
		e := entryAt(n, i)
		net.maxCommitted = max(net.maxCommitted, i)
		if c, ok := net.committed[i]; !ok {
			net.committed[i] = committedEntry{entry: e, seenIn: n.Term()}
		} else if c.entry != e {
			net.fail("commitment: %v committed %+v at %d, another server %+v", id, e, i, c.entry)
		}
	}
}

// read asks id for a read (a lease read if lease), recording what it must
// reflect.
func (net *randNet) read(id raft.NodeID, lease bool) {
	n := net.nodes[id]
	if n == nil {
		return
	}
	net.nextRead++
	net.asked[net.nextRead] = net.maxCommitted
	if lease {
		n.LeaseRead(net.nextRead)
	} else {
		n.ReadIndex(net.nextRead)
	}
	net.handle(id)
}

// checkRead checks that a read's index covers every entry committed
// before it was asked: served there, it is linearizable (dissertation
// §6.4).
func (net *randNet) checkRead(id raft.NodeID, rs raft.ReadState) {
	want, ok := net.asked[rs.ID]
	if !ok {
		net.fail("reads: %v answered read #%d, which nobody asked or which was answered before", id, rs.ID)
		return
	}
	delete(net.asked, rs.ID)
	if rs.Refused {
		return
	}
	net.readsServed++
	if rs.Index < want {
		net.fail("linearizability: %v serves read #%d at index %d, but index %d was committed before it was asked", id, rs.ID, rs.Index, want)
	}
}

// entryAt is n's entry at i (which must be in its retained log).
func entryAt(n *raft.Node, i raft.Index) raft.Entry {
	return n.Entries()[i-n.SnapshotIndex()-1]
}

func (net *randNet) crash(id raft.NodeID) { net.nodes[id] = nil }

func (net *randNet) restart(id raft.NodeID) {
	n, err := net.stores[id].Restart(net.cfgs[id])
	if err != nil {
		net.t.Fatalf("%v: %v", id, err)
	}
	net.nodes[id] = n
	net.sms[id] = stateMachine{}
	net.quiet[id] = 0
	net.handle(id)
}

// tick advances id's clock, if it runs, and checks its election timer.
func (net *randNet) tick(id raft.NodeID) {
	n := net.nodes[id]
	if n == nil {
		return
	}
	net.quiet[id]++
	n.Tick()
	net.handle(id)
	net.checkTimer(id)
}

// checkTimer checks Rules for Servers, Followers 2 (§5.2) from outside: a
// voter that for more than ElectionTimeoutMax of its ticks has heard from
// no leader of its term and granted no vote must have stood for election
// (or a pre-vote). This is liveness: without it, the servers that could
// win may never stand.
func (net *randNet) checkTimer(id raft.NodeID) {
	limit := net.cfgs[id].ElectionTimeoutMax
	if net.quiet[id] <= limit {
		return
	}
	n := net.nodes[id]
	if m := n.Membership(); m.IsVoter(id) {
		net.fail("election timer: %v heard from no leader and granted no vote for %d ticks without standing (Followers 2: within ElectionTimeoutMax = %d)",
			id, net.quiet[id], limit)
	}
	net.quiet[id] = 0 // a server outside the configuration does not stand
}

func (net *randNet) deliver(i int, keep bool) {
	m := net.net[i]
	if !keep {
		net.net = slices.Delete(net.net, i, i+1)
	}
	n := net.nodes[m.To]
	if n == nil || net.cut[m.From][m.To] {
		return
	}
	// A reply to a request of an earlier term than the leader's tells
	// nothing about the follower's log now: what the leader knows of it
	// must not move back (§5.3: nextIndex moves back on a failed
	// consistency check).
	staleReply := (m.Type == raft.MsgAppendResp || m.Type == raft.MsgSnapResp) && n.Role() == raft.Leader && m.RequestTerm < n.Term()
	var before raft.Progress
	if staleReply {
		before = leaderProgress(n, m.From)
	}
	term := n.Term()
	n.Step(m)
	if (m.Type == raft.MsgAppend || m.Type == raft.MsgSnap) && n.Term() == m.Term && n.Role() == raft.Follower {
		net.quiet[m.To] = 0 // it heard from the leader of its term
	}
	net.handle(m.To)
	if !staleReply || n.Term() != term || n.Role() != raft.Leader {
		return
	}
	if after := leaderProgress(n, m.From); after.Next < before.Next || after.Match != before.Match {
		net.fail("replication progress: %v moved its next/match index for %v from %d/%d to %d/%d on a reply to a term-%d request, which tells nothing of %v's log now",
			m.To, m.From, before.Next, before.Match, after.Next, after.Match, m.RequestTerm, m.From)
	}
}

// leaderProgress is what leader n knows of id's log (zero if nothing).
func leaderProgress(n *raft.Node, id raft.NodeID) raft.Progress {
	for _, pr := range n.Status().Progress {
		if pr.ID == id {
			return pr
		}
	}
	return raft.Progress{}
}

// deliverWhere delivers, oldest first, every message in flight for which
// keep holds, and the ones they cause that keep also accepts, until none
// is left; messages keep refuses stay in flight.
func (net *randNet) deliverWhere(keep func(raft.Message) bool) {
	for steps := 0; steps < 100000; steps++ {
		i := slices.IndexFunc(net.net, keep)
		if i < 0 {
			return
		}
		net.deliver(i, false)
	}
	net.t.Fatal("the network does not quiesce")
}

// dropWhere loses every message in flight for which drop holds.
func (net *randNet) dropWhere(drop func(raft.Message) bool) {
	net.net = slices.DeleteFunc(net.net, drop)
}

// between accepts messages whose sender and receiver are both in ids.
func between(ids ...raft.NodeID) func(raft.Message) bool {
	return func(m raft.Message) bool { return slices.Contains(ids, m.From) && slices.Contains(ids, m.To) }
}

func (net *randNet) leader() raft.NodeID {
	var lead raft.NodeID
	for _, id := range net.ids() {
		if n := net.nodes[id]; n != nil && n.Role() == raft.Leader && (lead == raft.None || n.Term() > net.nodes[lead].Term()) {
			lead = id
		}
	}
	return lead
}

// step takes one random action; extra, when set, is offered a share of
// the steps for feature-specific actions and reports whether it took one.
func (net *randNet) step(extra func(id raft.NodeID, k int) bool) {
	r := net.rng
	id := raft.NodeID(1 + r.IntN(len(net.nodes)-1))
	k := r.IntN(100)
	if extra != nil && k >= 90 && extra(id, r.IntN(100)) {
		return
	}
	switch {
	case k < 2 && len(net.held) > 0:
		i := r.IntN(len(net.held))
		net.net = append(net.net, net.held[i])
		net.held = slices.Delete(net.held, i, i+1)
	case k < 50 && len(net.net) > 0:
		i := r.IntN(min(len(net.net), 4)) // mostly in order,
		if r.IntN(4) == 0 {
			i = r.IntN(len(net.net)) // but some messages linger
		}
		net.deliver(i, r.IntN(10) == 0) // and some arrive twice
	case k < 55 && len(net.net) > 0:
		i := r.IntN(len(net.net))
		net.net = slices.Delete(net.net, i, i+1)
	case k < 75:
		net.tick(id)
	case k < 87:
		if n := net.nodes[id]; n != nil {
			if r.IntN(3) == 0 {
				cmds := make([]string, 1+r.IntN(5))
				for i := range cmds {
					net.proposed++
					cmds[i] = "c" + strconv.Itoa(net.proposed)
				}
				n.ProposeBatch(cmds)
			} else {
				net.proposed++
				n.Propose("c" + strconv.Itoa(net.proposed))
			}
			net.handle(id)
		}
	case k < 89:
		if net.nodes[id] != nil {
			net.crash(id)
		}
	default:
		if net.nodes[id] == nil {
			net.restart(id)
		}
	}
}

// state is what the servers show, for comparing runs step by step: the
// volatile and persistent state in full, and the log by its length and
// last term (compare logs in full with logs).
func (net *randNet) state() string {
	b := make([]byte, 0, 256)
	for _, id := range net.ids() {
		n := net.nodes[id]
		if n == nil {
			b = append(b, "down;"...)
			continue
		}
		st := n.Status()
		b = fmt.Appendf(b, "%v %v t%d v%v l%v c%d a%d i%d/%d e%d/%d h%d v%v p%v sm%v;",
			id, st.Role, st.Term, st.VotedFor, st.Leader, st.CommitIndex, st.LastApplied, st.LastIndex, st.LastTerm,
			st.ElectionElapsed, st.ElectionTimeout, st.HeartbeatElapsed, st.Votes, st.Progress, net.sms[id])
	}
	b = fmt.Appendf(b, " in flight %d, held %d", len(net.net), len(net.held))
	return string(b)
}

// logs lists every running server's log.
func (net *randNet) logs() [][]raft.Entry {
	out := make([][]raft.Entry, len(net.nodes))
	for _, id := range net.ids() {
		if n := net.nodes[id]; n != nil {
			out[id] = n.Entries()
		}
	}
	return out
}

// healMembers heals like heal, but ticks only the server with the most
// up-to-date log and the servers its configuration names: a server removed
// without learning it would otherwise keep disrupting the cluster with
// elections (dissertation §4.2.3), which is no failure of safety.
func (net *randNet) healMembers(rounds int) {
	for _, id := range net.ids() {
		if net.nodes[id] == nil {
			net.restart(id)
		}
	}
	for range rounds {
		var best *raft.Node
		for _, id := range net.ids() {
			n := net.nodes[id]
			if st := n.Status(); best == nil || st.LastTerm > best.Status().LastTerm ||
				(st.LastTerm == best.Status().LastTerm && st.LastIndex > best.LastIndex()) {
				best = n
			}
		}
		m := best.Membership()
		for _, id := range net.ids() {
			if m.IsVoter(id) || m.IsLearner(id) || net.nodes[id] == best {
				net.tick(id)
			}
		}
		for steps := 0; len(net.net) > 0 && steps < 100000; steps++ {
			net.deliver(0, false)
		}
		net.net = append(net.net, net.held...)
		net.held = nil
	}
}

// heal restarts every server and runs ticks and deliveries until the
// cluster has one leader that every server follows and the commit indexes
// agree, or rounds run out.
func (net *randNet) heal(rounds int) {
	for _, id := range net.ids() {
		if net.nodes[id] == nil {
			net.restart(id)
		}
	}
	for range rounds {
		for _, id := range net.ids() {
			net.tick(id)
		}
		for steps := 0; len(net.net) > 0 && steps < 100000; steps++ {
			net.deliver(0, false)
		}
	}
}

// compact has id's application compact its log through what it applied.
func (net *randNet) compact(id raft.NodeID) {
	n := net.nodes[id]
	if n == nil || net.sms[id].applied <= n.SnapshotIndex() || net.sms[id].applied > n.LastIndex() {
		return // nothing new applied, or (a commit durability violation) no longer in the log
	}
	if err := n.Compact(net.sms[id].applied, net.sms[id].snapshot()); err != nil {
		net.t.Fatalf("%v: %v", id, err)
	}
	net.handle(id)
}
