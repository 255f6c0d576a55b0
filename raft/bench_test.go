package raft_test

import (
	"fmt"
	"runtime"
	"testing"

	"raftlab/raft"
)

// benchNet is a minimal, allocation-light network for benchmarks: servers
// in one goroutine, every message delivered in FIFO order through a ring
// buffer that is reused, every Ready handled in full (persist to
// MemoryStorage, send, apply, Advance). No maps in the hot path.
//
// Messages are copied into the ring by value; their Entries still share the
// sender's log array, which the core promises never to rewrite (a truncation
// copies; see TestInFlightEntriesSurviveTruncation).
type benchNet struct {
	nodes     []*raft.Node // by NodeID; [0] unused
	stores    []raft.MemoryStorage
	applied   []raft.Index // last index each state machine applied
	q         msgRing
	delivered int
}

// msgRing is a FIFO queue of messages in a power-of-two ring.
type msgRing struct {
	buf        []raft.Message
	head, tail uint
}

func (r *msgRing) len() int { return int(r.tail - r.head) }

func (r *msgRing) push(m *raft.Message) {
	if r.len() == len(r.buf) {
		r.grow()
	}
	r.buf[r.tail&uint(len(r.buf)-1)] = *m
	r.tail++
}

// pop returns the oldest message; the pointer is valid until the next push.
func (r *msgRing) pop() *raft.Message {
	m := &r.buf[r.head&uint(len(r.buf)-1)]
	r.head++
	return m
}

func (r *msgRing) grow() {
	buf := make([]raft.Message, max(64, 2*len(r.buf)))
	n := r.len()
	for i := range n {
		buf[i] = r.buf[(r.head+uint(i))&uint(len(r.buf)-1)]
	}
	r.buf, r.head, r.tail = buf, 0, uint(n)
}

func newBenchNet(tb testing.TB, n int) *benchNet {
	net := &benchNet{
		nodes:   make([]*raft.Node, n+1),
		stores:  make([]raft.MemoryStorage, n+1),
		applied: make([]raft.Index, n+1),
	}
	net.q.grow()
	for _, id := range ids(n) {
		c := config(id, n)
		nd, err := raft.New(c)
		if err != nil {
			tb.Fatal(err)
		}
		net.nodes[id] = nd
	}
	// S1 wins term 1 and commits its no-op everywhere.
	net.nodes[1].FireTimeout()
	net.handle(1)
	net.deliverAll()
	if net.nodes[1].Role() != raft.Leader {
		tb.Fatal("S1 did not win")
	}
	net.nodes[1].FireTimeout()
	net.handle(1)
	net.deliverAll()
	net.delivered = 0
	return net
}

func (net *benchNet) handle(id raft.NodeID) {
	nd := net.nodes[id]
	if !nd.HasReady() {
		return
	}
	rd := nd.Ready()
	net.stores[id].Save(rd)
	for i := range rd.Messages {
		net.q.push(&rd.Messages[i])
	}
	if k := len(rd.CommittedEntries); k > 0 {
		net.applied[id] = rd.CommittedEntries[k-1].Index
	}
	nd.Advance()
}

func (net *benchNet) deliverAll() {
	for net.q.len() > 0 {
		m := net.q.pop()
		to := m.To
		net.nodes[to].Step(*m)
		net.delivered++
		net.handle(to)
	}
}

// replicate has the leader S1 append entries commands, batch per round
// (one Ready per round), delivers everything after each round, and ends
// with a heartbeat so that every server learns the last commit index.
func (net *benchNet) replicate(entries, batch int) {
	l := net.nodes[1]
	for done := 0; done < entries; {
		k := min(batch, entries-done)
		for range k {
			if _, _, ok := l.Propose("x"); !ok {
				panic("S1 lost leadership")
			}
		}
		done += k
		net.handle(1)
		net.deliverAll()
	}
	l.FireTimeout()
	net.handle(1)
	net.deliverAll()
}

// check verifies that every server holds and applied the whole log.
func (net *benchNet) check(tb testing.TB, want raft.Index) {
	for id := 1; id < len(net.nodes); id++ {
		nd := net.nodes[id]
		if st := nd.Status(); st.LastIndex != want || st.CommitIndex != want || net.applied[id] != want ||
			len(net.stores[id].Entries) != int(want) {
			tb.Fatalf("S%d: last %d commit %d applied %d stored %d, want %d",
				id, st.LastIndex, st.CommitIndex, net.applied[id], len(net.stores[id].Entries), want)
		}
	}
}

const benchEntries = 10000

// BenchmarkReplicate measures the core under a FIFO network: each
// iteration replicates benchEntries commands through a fresh 3- or 5-server
// cluster (elected before the timer starts). Reported per delivered
// message: ns/msg and allocs/msg (heap allocations in the whole loop,
// harness and storage included); and entries/s committed and applied on
// every server.
func BenchmarkReplicate(b *testing.B) {
	for _, n := range []int{3, 5} {
		for _, batch := range []int{1, 64} {
			b.Run(fmt.Sprintf("N=%d/batch=%d", n, batch), func(b *testing.B) {
				var msgs int
				var mallocs uint64
				var ms runtime.MemStats
				for b.Loop() {
					b.StopTimer()
					net := newBenchNet(b, n)
					runtime.ReadMemStats(&ms)
					before := ms.Mallocs
					b.StartTimer()

					net.replicate(benchEntries, batch)

					b.StopTimer()
					runtime.ReadMemStats(&ms)
					mallocs += ms.Mallocs - before
					msgs += net.delivered
					net.check(b, benchEntries+1)
					b.StartTimer()
				}
				ns := float64(b.Elapsed().Nanoseconds())
				b.ReportMetric(ns/float64(msgs), "ns/msg")
				b.ReportMetric(float64(mallocs)/float64(msgs), "allocs/msg")
				b.ReportMetric(float64(msgs)/float64(b.N)/benchEntries, "msgs/entry")
				b.ReportMetric(float64(b.N)*benchEntries/b.Elapsed().Seconds(), "entries/s")
			})
		}
	}
}

// TestBenchHarness runs the benchmark's network on a small load so that
// plain `go test` keeps it correct.
func TestBenchHarness(t *testing.T) {
	for _, n := range []int{1, 3, 5} {
		for _, batch := range []int{1, 7, 64} {
			net := newBenchNet(t, n)
			net.replicate(300, batch)
			net.check(t, 301)
			if n > 1 {
				if got, want := net.delivered, 2*(n-1)*(300+1); got != want {
					t.Errorf("N=%d batch=%d: %d messages delivered, want %d (one AppendEntries and one reply per follower per entry, and a heartbeat)",
						n, batch, got, want)
				}
			}
			for id := 2; id <= n; id++ {
				if len(net.nodes[id].Entries()) != 301 || net.stores[id].Entries[300] != net.nodes[1].Entries()[300] {
					t.Errorf("S%d differs from the leader", id)
				}
			}
		}
	}
}
