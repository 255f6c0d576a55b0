package etcdbench

import "testing"

// cluster is one implementation's servers behind a FIFO network. Server 1
// has been elected and has committed its first entry everywhere.
type cluster interface {
	// propose has the leader append k commands in one proposal and
	// handles the leader's Ready.
	propose(k int)
	// deliverAll delivers every message in flight, oldest first, with
	// the messages they cause, handling each receiver's Ready.
	deliverAll()
	// delivered counts the messages delivered since the cluster was built.
	delivered() int
	// applied is the last index server id's state machine applied.
	applied(id int) uint64
	// lastIndex is the index of the leader's last entry.
	lastIndex() uint64
}

type builder func(tb testing.TB, n int) cluster

// replicate proposes total commands, perProposal at a time, delivering
// everything after each proposal.
func replicate(c cluster, total, perProposal int) {
	for done := 0; done < total; done += perProposal {
		c.propose(min(perProposal, total-done))
		c.deliverAll()
	}
}

// checkApplied fails unless every server applied the leader's whole log.
func checkApplied(tb testing.TB, c cluster, n int) {
	tb.Helper()
	want := c.lastIndex()
	for id := 1; id <= n; id++ {
		if got := c.applied(id); got != want {
			tb.Fatalf("server %d applied %d of %d entries", id, got, want)
		}
	}
}

// ring is a FIFO queue in a power-of-two ring that is reused.
type ring[M any] struct {
	buf        []M
	head, tail uint
}

func (r *ring[M]) len() int { return int(r.tail - r.head) }

func (r *ring[M]) push(m *M) {
	if r.len() == len(r.buf) {
		buf := make([]M, max(64, 2*len(r.buf)))
		n := r.len()
		for i := range n {
			buf[i] = r.buf[(r.head+uint(i))&uint(len(r.buf)-1)]
		}
		r.buf, r.head, r.tail = buf, 0, uint(n)
	}
	r.buf[r.tail&uint(len(r.buf)-1)] = *m
	r.tail++
}

// pop removes the oldest message and returns it by value.
func (r *ring[M]) pop() M {
	i := r.head & uint(len(r.buf)-1)
	m := r.buf[i]
	var zero M
	r.buf[i] = zero
	r.head++
	return m
}
