package etcdbench

import (
	"testing"

	"raftlab/raft"
)

// ours is raftlab's core, configured as a real deployment would: commits
// announced at once (as etcd does), explanations off, batches proposed
// with ProposeBatch.
type ours struct {
	nodes   []*raft.Node // by id; [0] unused
	stores  []raft.MemoryStorage
	done    []raft.Index
	q       ring[raft.Message]
	n       int
	batch   []string
	handled int
}

func newOurs(tb testing.TB, n int) cluster {
	c := &ours{nodes: make([]*raft.Node, n+1), stores: make([]raft.MemoryStorage, n+1), done: make([]raft.Index, n+1)}
	peers := make([]raft.NodeID, n)
	for i := range peers {
		peers[i] = raft.NodeID(i + 1)
	}
	for _, id := range peers {
		nd, err := raft.New(raft.Config{ID: id, Peers: peers, ElectionTimeoutMin: 10, ElectionTimeoutMax: 10,
			HeartbeatTicks: 1, AnnounceCommit: true, CoalesceAppends: true, Quiet: true})
		if err != nil {
			tb.Fatal(err)
		}
		c.nodes[id] = nd
	}
	c.nodes[1].FireTimeout()
	c.handle(1)
	c.deliverAll()
	if c.nodes[1].Role() != raft.Leader {
		tb.Fatal("S1 did not win")
	}
	c.n = 0
	return c
}

func (c *ours) handle(id raft.NodeID) {
	nd := c.nodes[id]
	for nd.HasReady() {
		c.handleOne(nd, id)
	}
}

func (c *ours) handleOne(nd *raft.Node, id raft.NodeID) {
	rd := nd.Ready()
	c.stores[id].Save(rd)
	for i := range rd.Messages {
		c.q.push(&rd.Messages[i])
	}
	if k := len(rd.CommittedEntries); k > 0 {
		c.done[id] = rd.CommittedEntries[k-1].Index
	}
	nd.Advance()
}

func (c *ours) propose(k int) {
	if cap(c.batch) < k {
		c.batch = make([]string, k)
	}
	cmds := c.batch[:k]
	for i := range cmds {
		cmds[i] = "x"
	}
	if _, _, ok := c.nodes[1].ProposeBatch(cmds); !ok {
		panic("S1 lost leadership")
	}
	c.handle(1)
}

func (c *ours) deliverAll() {
	for c.q.len() > 0 {
		m := c.q.pop()
		c.nodes[m.To].Step(m)
		c.n++
		c.handle(m.To)
	}
}

func (c *ours) delivered() int        { return c.n }
func (c *ours) applied(id int) uint64 { return uint64(c.done[id]) }
func (c *ours) lastIndex() uint64     { return uint64(c.nodes[1].LastIndex()) }
