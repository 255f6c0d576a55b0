package sim

import (
	"hash/fnv"
	"slices"

	"raftlab/raft"
)

// A breadth-first search over small scopes, for the bugs random schedules
// reach too rarely, such as Figure 8 on five servers: from the start, every
// plan move of driver (an election won with the least up-to-date voters, an
// entry sent to one follower, a command proposed, a crash, a restart),
// each ending with the network empty, breadth first, within a depth and
// term and log bounds. States are compared by their shape — which servers
// are up and lead, their logs' terms, their commit indexes —, up to a
// renaming of the servers: a state whose shape was seen is not explored
// again. Comparing by shape merges states that differ in votes and terms
// only, so the search is not exhaustive; it is a heuristic that finds
// short runs quickly, and what it finds is a real run.

// bfsScope bounds a breadth-first search.
type bfsScope struct {
	nodes      int
	maxEntries int
	maxDepth   int // moves from the start
	maxTerm    raft.Term
	maxLog     int // entries in a log
	propose    bool
	crash      bool // crash and restart moves (elect restarts a crashed candidate anyway)
}

// bfsNode is a state the search reached: its world, and the run to it as
// the actions of the last move after its parent's run, so that a step
// down copies no run.
type bfsNode struct {
	w      *world
	parent *bfsNode
	own    []Action
	length int // actions of the whole run
	depth  int
}

// run is the whole run to n.
func (n *bfsNode) run() []Action {
	out := make([]Action, n.length)
	for p := n; p != nil; p = p.parent {
		copy(out[p.length-len(p.own):], p.own)
	}
	return out
}

// bfs is a breadth-first search in progress.
type bfs struct {
	scope bfsScope
	sc    Scenario
	r     rng // orders the moves, so that seeds search in different orders
	queue []*bfsNode
	head  int
	seen  map[uint64]struct{}
	// states counts the states explored; depth is the depth reached.
	states, depth int
}

// maxBFSStates bounds the states one search keeps: past it, states found
// are not queued (the search narrows to what it has).
const maxBFSStates = 20000

func newBFS(scope bfsScope, sc Scenario, seed int64) (*bfs, error) {
	w, err := newSearchWorld(&sc)
	if err != nil {
		return nil, err
	}
	b := &bfs{scope: scope, sc: sc, r: newRNG(seed ^ 0xbf5), seen: map[uint64]struct{}{}}
	b.seen[w.shape()] = struct{}{}
	b.queue = append(b.queue, &bfsNode{w: w})
	return b, nil
}

// done reports whether the search has explored everything within scope.
func (b *bfs) done() bool { return b.head >= len(b.queue) }

// expand explores every move from the next state in the queue. It returns
// the world and the whole run of a move that broke a wanted property (nil
// if none did), and the runs and actions it tried.
func (b *bfs) expand(wanted func(*world, int) bool) (found *world, run []Action, runs, steps int) {
	n := b.queue[b.head]
	b.queue[b.head] = nil
	b.head++
	b.depth = max(b.depth, n.depth)
	moves := b.moves(n.w)
	for _, k := range b.r.perm(len(moves)) {
		d := &driver{w: n.w.clone(), r: &b.r, clean: true, maxRun: maxSearchRun, base: n.length}
		seen := len(d.w.violations)
		ok := moves[k](d)
		runs++
		steps += d.steps
		if !ok {
			continue
		}
		child := &bfsNode{w: d.w, parent: n, own: d.run, length: n.length + len(d.run), depth: n.depth + 1}
		if wanted(d.w, seen) {
			return d.w, child.run(), runs, steps
		}
		if n.depth+1 >= b.scope.maxDepth || !b.inScope(d.w) {
			continue
		}
		h := d.w.shape()
		if _, ok := b.seen[h]; ok {
			continue
		}
		b.states++
		if len(b.seen) < maxBFSStates {
			b.seen[h] = struct{}{}
			b.queue = append(b.queue, child)
		}
	}
	n.w = nil // explored: only its run is needed, by its children
	if b.head > 1024 && b.head*2 > len(b.queue) {
		b.queue = slices.Clone(b.queue[b.head:]) // drop the explored half
		b.head = 0
	}
	return nil, nil, runs, steps
}

// moves lists the moves from w.
func (b *bfs) moves(w *world) []func(*driver) bool {
	var out []func(*driver) bool
	for _, s := range w.servers {
		c := s.id
		out = append(out, func(d *driver) bool { return d.elect(c, d.leastUpToDate(c)) })
		if s.node == nil {
			if b.scope.crash {
				out = append(out, func(d *driver) bool { return d.do(Action{Op: OpRestart, Node: c}) })
			}
			continue
		}
		if b.scope.crash {
			out = append(out, func(d *driver) bool { return d.do(Action{Op: OpCrash, Node: c}) })
		}
		if s.node.Role() != raft.Leader {
			continue
		}
		if b.scope.propose {
			out = append(out, func(d *driver) bool { return d.propose(c) })
		}
		for _, f := range w.servers {
			if f.id != c && f.node != nil {
				to := f.id
				out = append(out, func(d *driver) bool { return d.replicate(c, to) })
			}
		}
	}
	return out
}

// inScope reports whether w is within the terms and log lengths searched.
func (b *bfs) inScope(w *world) bool {
	for _, s := range w.servers {
		if s.node != nil && s.node.Term() > b.scope.maxTerm || len(w.logOf(s.id).entries) > b.scope.maxLog {
			return false
		}
	}
	return true
}

// shape hashes what the search compares states by: for each server
// whether it is up and leads, its log's terms and its commit index, the
// servers sorted so that renaming them gives the same shape.
func (w *world) shape() uint64 {
	per := make([][]byte, len(w.servers))
	for i, s := range w.servers {
		b := make([]byte, 0, 16)
		switch {
		case s.node == nil:
			b = append(b, 'd')
		case s.node.Role() == raft.Leader:
			b = append(b, 'L', byte(s.node.CommitIndex()))
		default:
			b = append(b, 'f', byte(s.node.CommitIndex()))
		}
		for _, e := range w.logOf(s.id).entries {
			b = append(b, byte(e.Term))
		}
		per[i] = b
	}
	slices.SortFunc(per, func(a, b []byte) int { return slices.Compare(a, b) })
	h := fnv.New64a()
	for _, b := range per {
		h.Write(b)
		h.Write([]byte{0xff})
	}
	return h.Sum64()
}
