package sim

import (
	"cmp"
	"slices"

	"raftlab/raft"
)

// Message is a message in flight through the simulated network.
type Message struct {
	ID       int
	SentAt   int64
	ArriveAt int64
	raft.Message
}

// network holds the messages in flight, ordered by arrival time then id so
// that the order is the same on every run, and the state of every link.
//
// Messages are kept in one slot per arrival time. A new message always has
// the highest id, so it goes at the end of its slot: sending and taking the
// earliest message cost no more than finding the slot, however many
// messages are in flight.
type network struct {
	slots        []slot // by arrival time, ascending
	count        int
	blocked      [raft.MaxNodes + 1][raft.MaxNodes + 1]bool // blocked[from][to]
	dropPerMille int
	latencyMin   int64
	latencyMax   int64
	nextID       int
	spare        [][]Message // emptied slots' arrays, for new slots
}

// slot is the messages arriving at one time, in id order, from head on.
type slot struct {
	at   int64
	msgs []Message
	head int
}

func (n *network) clone() network {
	c := *n
	c.slots = make([]slot, len(n.slots))
	for i, s := range n.slots {
		c.slots[i] = slot{at: s.at, msgs: slices.Clone(s.msgs[s.head:])}
	}
	c.spare = nil
	return c
}

// len is the number of messages in flight.
func (n *network) len() int { return n.count }

// insert adds m, whose id is higher than any in flight.
func (n *network) insert(m Message) {
	i, found := slices.BinarySearchFunc(n.slots, m.ArriveAt, func(s slot, t int64) int { return cmp.Compare(s.at, t) })
	if !found {
		var msgs []Message
		if k := len(n.spare); k > 0 {
			msgs, n.spare = n.spare[k-1], n.spare[:k-1]
		}
		n.slots = slices.Insert(n.slots, i, slot{at: m.ArriveAt, msgs: msgs})
	}
	n.slots[i].msgs = append(n.slots[i].msgs, m)
	n.count++
}

// locate finds the slot and the place in its msgs of the message at
// position i.
func (n *network) locate(i int) (int, int) {
	for s := range n.slots {
		sl := &n.slots[s]
		if i < len(sl.msgs)-sl.head {
			return s, sl.head + i
		}
		i -= len(sl.msgs) - sl.head
	}
	panic("sim: no message at that position")
}

// at returns the message at position i in arrival order.
func (n *network) at(i int) Message {
	s, k := n.locate(i)
	return n.slots[s].msgs[k]
}

// take removes and returns the message at position i.
func (n *network) take(i int) Message {
	s, k := n.locate(i)
	sl := &n.slots[s]
	m := sl.msgs[k]
	if k == sl.head {
		sl.msgs[k] = Message{} // drop the reference to the entries it carries
		sl.head++
	} else {
		sl.msgs = slices.Delete(sl.msgs, k, k+1)
	}
	if sl.head == len(sl.msgs) {
		if len(n.spare) < 64 {
			n.spare = append(n.spare, sl.msgs[:0])
		}
		n.slots = slices.Delete(n.slots, s, s+1)
	}
	n.count--
	return m
}

// each calls f for every message in arrival order until f returns false.
func (n *network) each(f func(i int, m *Message) bool) {
	i := 0
	for s := range n.slots {
		sl := &n.slots[s]
		for k := sl.head; k < len(sl.msgs); k++ {
			if !f(i, &sl.msgs[k]) {
				return
			}
			i++
		}
	}
}

// messages returns every message in arrival order.
func (n *network) messages() []Message {
	out := make([]Message, 0, n.count)
	n.each(func(_ int, m *Message) bool { out = append(out, *m); return true })
	return out
}

// find returns the position of the message sel picks, or -1.
func (n *network) find(sel MsgSelector) int {
	found := -1
	n.each(func(i int, m *Message) bool {
		if sel.ID != 0 && m.ID == sel.ID || sel.ID == 0 && (sel.From == raft.None || sel.From == m.From) &&
			(sel.To == raft.None || sel.To == m.To) && (sel.AnyType || sel.Type == m.Type) {
			found = i
			return false
		}
		return true
	})
	return found
}

// firstArrival is the arrival time of the earliest message; ok is false
// when none is in flight.
func (n *network) firstArrival() (int64, bool) {
	if n.count == 0 {
		return 0, false
	}
	return n.slots[0].at, true
}

func (n *network) setPartition(groups [][]raft.NodeID, nodes int) {
	// Servers left out of every group are each alone.
	var group [raft.MaxNodes + 1]int
	for id := 1; id <= nodes; id++ {
		group[id] = -id
	}
	for g, members := range groups {
		for _, id := range members {
			group[id] = g + 1
		}
	}
	for a := 1; a <= nodes; a++ {
		for b := 1; b <= nodes; b++ {
			n.blocked[a][b] = group[a] != group[b]
		}
	}
}

func (n *network) heal() { n.blocked = [raft.MaxNodes + 1][raft.MaxNodes + 1]bool{} }
