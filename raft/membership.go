package raft

import (
	"errors"
	"slices"
	"strconv"
	"strings"
)

// Membership is a cluster configuration (§6; dissertation chapter 4): the
// servers whose votes count, and the servers that receive the log without
// voting. Lists are sorted and hold distinct ids; a server is in at most
// one of Voters and Learners.
type Membership struct {
	// Voters is the configuration in force (C_new during a joint change).
	Voters []NodeID
	// Learners receive entries but neither vote nor count towards a
	// majority; a new server catches up as one (dissertation §4.2.1).
	Learners []NodeID
	// Outgoing is C_old while a joint change is under way (§6): every
	// decision then needs a majority of Voters and of Outgoing.
	Outgoing []NodeID
}

// Joint reports whether m is a joint configuration C_old,new.
func (m Membership) Joint() bool { return len(m.Outgoing) > 0 }

// IsVoter reports whether id's vote counts in m (in C_new or C_old).
func (m Membership) IsVoter(id NodeID) bool {
	return slices.Contains(m.Voters, id) || slices.Contains(m.Outgoing, id)
}

// IsLearner reports whether id is a non-voting member of m.
func (m Membership) IsLearner(id NodeID) bool { return slices.Contains(m.Learners, id) }

// Members lists every server m replicates to — voters, learners and
// outgoing voters — sorted.
func (m Membership) Members() []NodeID {
	out := make([]NodeID, 0, len(m.Voters)+len(m.Learners)+len(m.Outgoing))
	out = append(out, m.Voters...)
	out = append(out, m.Learners...)
	for _, id := range m.Outgoing {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// Clone returns a copy that shares no slice with m.
func (m Membership) Clone() Membership {
	return Membership{Voters: slices.Clone(m.Voters), Learners: slices.Clone(m.Learners), Outgoing: slices.Clone(m.Outgoing)}
}

// Equal reports whether m and o describe the same configuration.
func (m Membership) Equal(o Membership) bool {
	return slices.Equal(m.Voters, o.Voters) && slices.Equal(m.Learners, o.Learners) && slices.Equal(m.Outgoing, o.Outgoing)
}

// validate checks the shape every configuration must have.
func (m Membership) validate() error {
	if len(m.Voters) == 0 {
		return errors.New("raft: a configuration needs at least one voter")
	}
	if len(m.Members()) > MaxNodes {
		return errors.New("raft: a configuration holds at most 9 servers")
	}
	for _, ids := range [...][]NodeID{m.Voters, m.Learners, m.Outgoing} {
		for i, id := range ids {
			if id == None || (i > 0 && ids[i-1] >= id) {
				return errors.New("raft: configuration lists must be sorted, distinct and non-zero")
			}
		}
	}
	for _, id := range m.Learners {
		if m.IsVoter(id) {
			return errors.New("raft: " + id.String() + " is both a voter and a learner")
		}
	}
	return nil
}

// String is the configuration as a configuration entry carries it, for
// example "voters S1 S2 S3 learners S4" or, during a joint change,
// "voters S1 S2 S4 outgoing S1 S2 S3".
func (m Membership) String() string {
	var b strings.Builder
	for _, part := range [...]struct {
		word string
		ids  []NodeID
	}{{"voters", m.Voters}, {"learners", m.Learners}, {"outgoing", m.Outgoing}} {
		if len(part.ids) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(part.word)
		for _, id := range part.ids {
			b.WriteByte(' ')
			b.WriteString(id.String())
		}
	}
	return b.String()
}

// ParseMembership reads what Membership.String wrote.
func ParseMembership(s string) (Membership, error) {
	var m Membership
	var list *[]NodeID
	for _, f := range strings.Fields(s) {
		switch f {
		case "voters":
			list = &m.Voters
		case "learners":
			list = &m.Learners
		case "outgoing":
			list = &m.Outgoing
		default:
			n, err := strconv.ParseUint(strings.TrimPrefix(f, "S"), 10, 8)
			if list == nil || err != nil || !strings.HasPrefix(f, "S") {
				return Membership{}, errors.New("raft: not a configuration: " + strconv.Quote(s))
			}
			*list = append(*list, NodeID(n))
		}
	}
	if err := m.validate(); err != nil {
		return Membership{}, err
	}
	return m, nil
}

// mergeIDs is the sorted union of two sorted lists.
func mergeIDs(a, b []NodeID) []NodeID {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

// diffIDs lists what b adds to a and what it removes, both sorted lists.
func diffIDs(a, b []NodeID) (added, removed []NodeID) {
	for _, id := range b {
		if !slices.Contains(a, id) {
			added = append(added, id)
		}
	}
	for _, id := range a {
		if !slices.Contains(b, id) {
			removed = append(removed, id)
		}
	}
	return added, removed
}
