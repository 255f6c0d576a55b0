package etcdbench

import (
	"io"
	"log"
	"math"
	"testing"

	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
)

// etcd is etcd's RawNode with its MemoryStorage and synchronous storage
// writes (the default), logging discarded.
type etcd struct {
	nodes  []*raft.RawNode // by id; [0] unused
	stores []*raft.MemoryStorage
	done   []uint64
	q      ring[pb.Message]
	n      int
	data   []byte
	batch  []pb.Entry
}

var quietLogger = &raft.DefaultLogger{Logger: log.New(io.Discard, "", 0)}

func newEtcd(tb testing.TB, n int) cluster {
	c := &etcd{nodes: make([]*raft.RawNode, n+1), stores: make([]*raft.MemoryStorage, n+1), done: make([]uint64, n+1),
		data: []byte("x")}
	voters := make([]uint64, n)
	for i := range voters {
		voters[i] = uint64(i + 1)
	}
	for id := 1; id <= n; id++ {
		s := raft.NewMemoryStorage()
		// Start as a bootstrapped cluster: a snapshot at index 1 that
		// holds the configuration.
		if err := s.ApplySnapshot(pb.Snapshot{Metadata: pb.SnapshotMetadata{Index: 1, Term: 1,
			ConfState: pb.ConfState{Voters: voters}}}); err != nil {
			tb.Fatal(err)
		}
		rn, err := raft.NewRawNode(&raft.Config{ID: uint64(id), ElectionTick: 10, HeartbeatTick: 1, Storage: s,
			MaxSizePerMsg: math.MaxUint64, MaxInflightMsgs: 1 << 16, Logger: quietLogger})
		if err != nil {
			tb.Fatal(err)
		}
		c.nodes[id], c.stores[id], c.done[id] = rn, s, 1
	}
	if err := c.nodes[1].Campaign(); err != nil {
		tb.Fatal(err)
	}
	c.handle(1)
	c.deliverAll()
	if st := c.nodes[1].BasicStatus(); st.RaftState != raft.StateLeader {
		tb.Fatal("1 did not win")
	}
	c.n = 0
	return c
}

func (c *etcd) handle(id uint64) {
	rn := c.nodes[id]
	for rn.HasReady() {
		c.handleOne(rn, id)
	}
}

func (c *etcd) handleOne(rn *raft.RawNode, id uint64) {
	rd := rn.Ready()
	s := c.stores[id]
	if !raft.IsEmptyHardState(rd.HardState) {
		s.SetHardState(rd.HardState)
	}
	s.Append(rd.Entries)
	for i := range rd.Messages {
		c.q.push(&rd.Messages[i])
	}
	if k := len(rd.CommittedEntries); k > 0 {
		c.done[id] = rd.CommittedEntries[k-1].Index
	}
	rn.Advance(rd)
}

func (c *etcd) propose(k int) {
	if k == 1 {
		if err := c.nodes[1].Propose(c.data); err != nil {
			panic(err)
		}
	} else {
		if cap(c.batch) < k {
			c.batch = make([]pb.Entry, k)
		}
		ents := c.batch[:k]
		for i := range ents {
			ents[i] = pb.Entry{Data: c.data}
		}
		if err := c.nodes[1].Step(pb.Message{Type: pb.MsgProp, From: 1, Entries: ents}); err != nil {
			panic(err)
		}
	}
	c.handle(1)
}

func (c *etcd) deliverAll() {
	for c.q.len() > 0 {
		m := c.q.pop()
		if err := c.nodes[m.To].Step(m); err != nil {
			panic(err)
		}
		c.n++
		c.handle(m.To)
	}
}

func (c *etcd) delivered() int        { return c.n }
func (c *etcd) applied(id int) uint64 { return c.done[id] }
func (c *etcd) lastIndex() uint64 {
	i, _ := c.stores[1].LastIndex()
	return i
}
