package sim

import (
	"strconv"

	"raftlab/raft"
)

// A search plays moves on a world: single actions of the action table, and
// short plans of them that bring about the events bugs need — an election
// won with chosen votes while the others hear nothing (an election during
// a partition), an entry sent to one follower, a leader that crashes after
// some of its AppendEntries went out. Every move is a list of ordinary
// actions, so what a search finds is a run like any other: a scenario and
// its actions, which replay, shrink and open in the view.

// driver plays moves on a world and records the actions it took.
type driver struct {
	w     *world
	r     *rng
	run   []Action
	steps int // actions tried, refused ones included
	// clean ends every plan by dropping every message in flight, so that
	// the state after it is the servers' alone (the breadth-first search
	// compares states so).
	clean bool
	// maxRun bounds the run, base actions before run included; moves
	// stop there.
	maxRun, base int
}

// do applies a and records it; a refused action changes nothing.
func (d *driver) do(a Action) bool {
	if d.base+len(d.run) >= d.maxRun {
		return false
	}
	d.steps++
	if err := d.w.apply(a); err != nil {
		return false
	}
	d.run = append(d.run, a)
	return true
}

func (d *driver) server(id raft.NodeID) *server { return d.w.servers[id-1] }

func (d *driver) up(id raft.NodeID) bool { return id != raft.None && d.server(id).node != nil }

func (d *driver) isLeader(id raft.NodeID) bool {
	if id == raft.None {
		return false
	}
	n := d.server(id).node
	return n != nil && n.Role() == raft.Leader
}

// leaders lists the servers that believe they lead, of any term.
func (d *driver) leaders() []raft.NodeID {
	var out []raft.NodeID
	for _, s := range d.w.servers {
		if s.node != nil && s.node.Role() == raft.Leader {
			out = append(out, s.id)
		}
	}
	return out
}

// leader is the leader of the highest term, or None.
func (d *driver) leader() raft.NodeID {
	lead := raft.None
	for _, id := range d.leaders() {
		if lead == raft.None || d.server(id).node.Term() > d.server(lead).node.Term() {
			lead = id
		}
	}
	return lead
}

// pick returns one of ids at random, or None.
func (d *driver) pick(ids []raft.NodeID) raft.NodeID {
	if len(ids) == 0 {
		return raft.None
	}
	return ids[d.r.Intn(len(ids))]
}

// anyServer is a server at random.
func (d *driver) anyServer() raft.NodeID { return raft.NodeID(1 + d.r.Intn(len(d.w.servers))) }

// firstMessage is the id of the earliest message in flight from from to
// to (0: none).
func (d *driver) firstMessage(from, to raft.NodeID) int {
	id := 0
	d.w.net.each(func(_ int, m *Message) bool {
		if m.From == from && m.To == to {
			id = m.ID
			return false
		}
		return true
	})
	return id
}

// deliverFirst delivers the earliest message from from to to.
func (d *driver) deliverFirst(from, to raft.NodeID) bool {
	id := d.firstMessage(from, to)
	return id != 0 && d.do(Action{Op: OpDeliver, Msg: MsgSelector{ID: id}})
}

// messagesFrom lists the ids of the messages in flight from id.
func (d *driver) messagesFrom(id raft.NodeID, typ raft.MsgType) []int {
	var out []int
	d.w.net.each(func(_ int, m *Message) bool {
		if m.From == id && m.Type == typ {
			out = append(out, m.ID)
		}
		return true
	})
	return out
}

func (d *driver) finish() {
	if d.clean && d.w.net.len() > 0 {
		d.do(Action{Op: OpDropAll})
	}
}

// elect has c win an election with the votes of voters, whom it reaches
// alone: c (re)starts if it is down or leads already, stands, and its
// requests and their answers pass between it and voters only, for up to
// three elections in a row (a voter that has voted in a term refuses
// another candidate there, so c may need a later term).
func (d *driver) elect(c raft.NodeID, voters []raft.NodeID) bool {
	if !d.up(c) || d.isLeader(c) {
		d.do(Action{Op: OpRestart, Node: c})
	}
	for _, v := range voters {
		if !d.up(v) {
			d.do(Action{Op: OpRestart, Node: v})
		}
	}
	for try := 0; try < 3 && !d.isLeader(c); try++ {
		if !d.do(Action{Op: OpTimeout, Node: c}) {
			break
		}
		// A pre-vote round, then the vote, each a request and an answer.
		for round := 0; round < 2 && !d.isLeader(c); round++ {
			for _, v := range voters {
				if d.deliverFirst(c, v) {
					d.deliverFirst(v, c)
				}
			}
		}
	}
	d.finish()
	return d.isLeader(c)
}

// leastUpToDate lists the ⌊n/2⌋ servers other than c whose logs are the
// least up to date (§5.4.1; ties by id): the voters most likely to grant
// c their votes, so that the most servers can win.
func (d *driver) leastUpToDate(c raft.NodeID) []raft.NodeID {
	type logEnd struct {
		id   raft.NodeID
		term raft.Term
		last raft.Index
	}
	var ends []logEnd
	for _, s := range d.w.servers {
		if s.id != c {
			l := d.w.logOf(s.id)
			t, _ := l.term(l.last())
			ends = append(ends, logEnd{s.id, t, l.last()})
		}
	}
	for i := 1; i < len(ends); i++ { // insertion sort: nine servers at most
		for j := i; j > 0 && (ends[j].term < ends[j-1].term || ends[j].term == ends[j-1].term && ends[j].last < ends[j-1].last); j-- {
			ends[j], ends[j-1] = ends[j-1], ends[j]
		}
	}
	voters := make([]raft.NodeID, len(d.w.servers)/2)
	for i := range voters {
		voters[i] = ends[i].id
	}
	return voters
}

// randomVoters lists ⌊n/2⌋ servers other than c, at random.
func (d *driver) randomVoters(c raft.NodeID) []raft.NodeID {
	n := len(d.w.servers)
	var voters []raft.NodeID
	for _, i := range d.r.perm(n) {
		if v := raft.NodeID(i + 1); v != c && len(voters) < n/2 {
			voters = append(voters, v)
		}
	}
	return voters
}

// replicate has leader l send f what f lacks next, answered, probing back
// as the consistency check asks, until f's log changes (a few rounds at
// most). The other followers hear nothing.
func (d *driver) replicate(l, f raft.NodeID) bool {
	if !d.isLeader(l) || !d.up(f) || l == f {
		return false
	}
	fs := d.server(f)
	last, term := fs.node.LastIndex(), fs.node.Term()
	d.do(Action{Op: OpTimeout, Node: l}) // a leader's timer sends AppendEntries
	for round := 0; round < 4 && d.isLeader(l) && d.up(f); round++ {
		if !d.deliverFirst(l, f) {
			break
		}
		d.deliverFirst(f, l)
		if n := fs.node; n != nil && (n.LastIndex() != last || n.Term() != term) {
			break
		}
	}
	d.finish()
	return true
}

// change asks leader l to add a server outside its configuration, remove
// a member, or (joint) make a random set of servers the voters.
func (d *driver) change(l raft.NodeID, joint bool) bool {
	if !d.isLeader(l) {
		return false
	}
	conf := d.server(l).node.Membership()
	var outside, members []raft.NodeID
	for _, s := range d.w.servers {
		if conf.IsVoter(s.id) || conf.IsLearner(s.id) {
			members = append(members, s.id)
		} else {
			outside = append(outside, s.id)
		}
	}
	switch k := d.r.Intn(3); {
	case k == 2 && joint:
		var voters []raft.NodeID
		for _, s := range d.w.servers {
			if d.r.Intn(2) == 0 {
				voters = append(voters, s.id)
			}
		}
		return len(voters) > 0 && d.do(Action{Op: OpChangeVoters, Node: l, Voters: voters})
	case k == 0 && len(outside) > 0 || len(members) <= 1:
		return len(outside) > 0 && d.do(Action{Op: OpAddServer, Node: l, Peer: d.pick(outside)})
	default:
		return d.do(Action{Op: OpRemoveServer, Node: l, Peer: d.pick(members)})
	}
}

// read has a client read a key (of the few that commands write) at the
// server that believes it leads in the earliest term, three times in
// four, or else at id: a stale read needs a deposed leader that does not
// know it.
func (d *driver) read(id raft.NodeID) bool {
	if d.r.Intn(4) > 0 {
		for _, s := range d.w.servers {
			if s.node != nil && s.node.Role() == raft.Leader && (!d.isLeader(id) || s.node.Term() < d.server(id).node.Term()) {
				id = s.id
			}
		}
	}
	return d.do(Action{Op: OpRead, Node: id, Key: "k" + strconv.Itoa(d.r.Intn(2))})
}

// propose asks server id to run a command.
func (d *driver) propose(id raft.NodeID) bool {
	return d.do(Action{Op: OpPropose, Node: id, Command: "set k" + strconv.Itoa(d.r.Intn(3)) + " " + strconv.Itoa(1+d.r.Intn(99))})
}

// crashAfterAppend has leader l append a command (or, when changes is
// set, half the time a membership change), sends it to some of its
// followers (each with chance one half), and crashes l before the others
// get it: their AppendEntries are dropped. The entry is left on some
// servers only, as in Figure 8 (a).
func (d *driver) crashAfterAppend(l raft.NodeID, changes, joint bool) bool {
	if !d.isLeader(l) {
		return false
	}
	if changes && d.r.Intn(2) == 0 {
		if !d.change(l, joint) {
			return false
		}
	} else if !d.propose(l) {
		return false
	}
	for _, id := range d.messagesFrom(l, raft.MsgAppend) {
		if d.r.Intn(2) == 0 {
			d.do(Action{Op: OpDeliver, Msg: MsgSelector{ID: id}})
		}
	}
	d.do(Action{Op: OpCrash, Node: l})
	for _, id := range d.messagesFrom(l, raft.MsgAppend) {
		d.do(Action{Op: OpDrop, Msg: MsgSelector{ID: id}})
	}
	d.finish()
	return true
}

// deliverAndMaybeCrash delivers message id and, when that advanced a
// leader's commitIndex, crashes that leader at once with chance
// perMille/1000, dropping what it sent in answer: the leader knew the entry
// committed, and nobody else did.
func (d *driver) deliverAndMaybeCrash(id int, perMille int) bool {
	i := d.w.net.find(MsgSelector{ID: id})
	if i < 0 {
		return false
	}
	to := d.server(d.w.net.at(i).To)
	var commit raft.Index
	wasLeader := to.node != nil && to.node.Role() == raft.Leader
	if wasLeader {
		commit = to.node.CommitIndex()
	}
	sent := d.w.net.nextID
	if !d.do(Action{Op: OpDeliver, Msg: MsgSelector{ID: id}}) {
		return false
	}
	if !wasLeader || to.node == nil || to.node.Role() != raft.Leader || to.node.CommitIndex() <= commit || d.r.Intn(1000) >= perMille {
		return true
	}
	var answers []int
	d.w.net.each(func(_ int, m *Message) bool {
		if m.ID >= sent && m.From == to.id {
			answers = append(answers, m.ID)
		}
		return true
	})
	d.do(Action{Op: OpCrash, Node: to.id})
	for _, a := range answers {
		d.do(Action{Op: OpDrop, Msg: MsgSelector{ID: a}})
	}
	return true
}

// partitionMinority cuts a minority off, holding id (often the leader):
// an election can follow among the others while id does not know.
func (d *driver) partitionMinority(id raft.NodeID) bool {
	n := len(d.w.servers)
	minority := []raft.NodeID{id}
	var rest []raft.NodeID
	for _, i := range d.r.perm(n) {
		o := raft.NodeID(i + 1)
		switch {
		case o == id:
		case len(minority) < (n-1)/2 && d.r.Intn(3) == 0:
			minority = append(minority, o)
		default:
			rest = append(rest, o)
		}
	}
	return d.do(Action{Op: OpPartition, Groups: [][]raft.NodeID{sortedIDs(minority), sortedIDs(rest)}})
}

func sortedIDs(ids []raft.NodeID) []raft.NodeID {
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && ids[j] < ids[j-1]; j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
	return ids
}

// perm returns a random permutation of 0..n-1.
func (r *rng) perm(n int) []int {
	p := make([]int, n)
	for i := range p {
		j := r.Intn(i + 1)
		p[i] = p[j]
		p[j] = i
	}
	return p
}
