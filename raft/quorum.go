package raft

// Quorum rules, kept apart from the rest so that they can be read and
// tested on their own. A decision — an election won, an entry committed, a
// leader confirmed — needs a majority of the voters (§5.2, §5.3); during a
// joint change it needs a majority of C_new and a majority of C_old (§6).

// VoteResult is where an election stands.
type VoteResult uint8

const (
	VotePending VoteResult = iota // not decided yet: answers are missing
	VoteWon                       // a majority (of each configuration) granted
	VoteLost                      // a majority (of some configuration) refused
)

// majority is how many of n voters make a majority: more than half.
func majority(n int) int { return n/2 + 1 }

// majorityCommitted is the highest index that a majority of voters has
// acknowledged. An empty set of voters constrains nothing (it returns the
// largest index), so that it can be combined with another set by min.
func majorityCommitted(voters []NodeID, acked func(NodeID) Index) Index {
	var q quorumIndex
	for _, id := range voters {
		q.add(acked(id))
	}
	return q.committed()
}

// quorumIndex collects the indexes a set of voters acknowledged, to find
// the highest one a majority of them reaches: sorted, descending, the
// majority-th. At most MaxNodes voters (validation sees to it); no
// allocation.
type quorumIndex struct {
	acked [MaxNodes]Index
	k     int
}

func (q *quorumIndex) add(v Index) {
	if q.k == len(q.acked) {
		return
	}
	i := q.k // insertion sort, descending
	for i > 0 && q.acked[i-1] < v {
		q.acked[i] = q.acked[i-1]
		i--
	}
	q.acked[i] = v
	q.k++
}

func (q *quorumIndex) committed() Index {
	if q.k == 0 {
		return ^Index(0)
	}
	return q.acked[majority(q.k)-1]
}

// majorityVote tallies answers from voters: won once a majority granted,
// lost once a majority can no longer be reached.
func majorityVote(voters []NodeID, answer func(NodeID) (granted, known bool)) VoteResult {
	if len(voters) == 0 {
		return VoteWon
	}
	yes, no := 0, 0
	for _, id := range voters {
		if g, ok := answer(id); ok {
			if g {
				yes++
			} else {
				no++
			}
		}
	}
	need := majority(len(voters))
	switch {
	case yes >= need:
		return VoteWon
	case len(voters)-no < need:
		return VoteLost
	}
	return VotePending
}

// Committed is the highest index a quorum of m has acknowledged: a
// majority of Voters and, during a joint change, of Outgoing too (§6).
func (m Membership) Committed(acked func(NodeID) Index) Index {
	return min(majorityCommitted(m.Voters, acked), majorityCommitted(m.Outgoing, acked))
}

// Vote tallies an election under m: won only with a majority of Voters and
// (joint) of Outgoing, lost as soon as either majority is out of reach.
func (m Membership) Vote(answer func(NodeID) (granted, known bool)) VoteResult {
	in, out := majorityVote(m.Voters, answer), majorityVote(m.Outgoing, answer)
	switch {
	case in == VoteLost || out == VoteLost:
		return VoteLost
	case in == VoteWon && out == VoteWon:
		return VoteWon
	}
	return VotePending
}

// HasQuorum reports whether the servers for which ok holds include a
// majority of Voters and (joint) of Outgoing.
func (m Membership) HasQuorum(ok func(NodeID) bool) bool {
	return m.Vote(func(id NodeID) (bool, bool) { return ok(id), true }) == VoteWon
}
