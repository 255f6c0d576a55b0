package sim

import (
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
type network struct {
	inFlight     []Message
	blocked      [raft.MaxNodes + 1][raft.MaxNodes + 1]bool // blocked[from][to]
	dropPerMille int
	latencyMin   int64
	latencyMax   int64
	nextID       int
}

func (n *network) clone() network {
	c := *n
	c.inFlight = slices.Clone(n.inFlight)
	return c
}

func (n *network) insert(m Message) {
	i, _ := slices.BinarySearchFunc(n.inFlight, m, func(a, b Message) int {
		if a.ArriveAt != b.ArriveAt {
			return cmpInt64(a.ArriveAt, b.ArriveAt)
		}
		return a.ID - b.ID
	})
	n.inFlight = slices.Insert(n.inFlight, i, m)
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// take removes and returns the message at position i.
func (n *network) take(i int) Message {
	m := n.inFlight[i]
	n.inFlight = slices.Delete(n.inFlight, i, i+1)
	return m
}

// find returns the position of the message sel picks, or -1.
func (n *network) find(sel MsgSelector) int {
	for i, m := range n.inFlight {
		if sel.ID != 0 {
			if m.ID == sel.ID {
				return i
			}
			continue
		}
		if (sel.From == raft.None || sel.From == m.From) && (sel.To == raft.None || sel.To == m.To) &&
			(sel.AnyType || sel.Type == m.Type) {
			return i
		}
	}
	return -1
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
