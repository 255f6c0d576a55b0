package raft

import (
	"encoding/binary"
	"errors"
)

// stateVersion tags the encoding AppendRaftState writes.
const stateVersion = 1

// AppendRaftState appends to b, in a compact binary form, what Raft itself
// keeps on stable storage: the HardState, the snapshot's metadata (last
// included index and term, configuration) and the log after it (Figure 2,
// persistent state; §7). The snapshot's Data is not included: it is the
// application's state machine image, which an application stores beside
// it. After a compaction the result is proportional to the entries kept.
func (s *MemoryStorage) AppendRaftState(b []byte) []byte {
	b = append(b, stateVersion)
	b = binary.AppendUvarint(b, uint64(s.HardState.Term))
	b = append(b, byte(s.HardState.VotedFor))
	b = binary.AppendUvarint(b, uint64(s.Snapshot.Index))
	b = binary.AppendUvarint(b, uint64(s.Snapshot.Term))
	for _, ids := range [...][]NodeID{s.Snapshot.Config.Voters, s.Snapshot.Config.Learners, s.Snapshot.Config.Outgoing} {
		b = binary.AppendUvarint(b, uint64(len(ids)))
		for _, id := range ids {
			b = append(b, byte(id))
		}
	}
	b = binary.AppendUvarint(b, uint64(len(s.Entries)))
	prev := s.Snapshot.Term
	for _, e := range s.Entries {
		b = binary.AppendUvarint(b, uint64(e.Term-prev)) // terms never decrease along a log
		prev = e.Term
		b = append(b, byte(e.Kind))
		b = binary.AppendUvarint(b, uint64(len(e.Data)))
		b = append(b, e.Data...)
	}
	return b
}

var errBadState = errors.New("raft: persisted state is not valid")

// UnmarshalRaftState replaces s with the state AppendRaftState wrote in b.
// The snapshot's Data comes back empty: the application restores it from
// where it keeps it. Malformed input is refused, never trusted for sizes.
func (s *MemoryStorage) UnmarshalRaftState(b []byte) error {
	d := decoder{b: b}
	if d.byte() != stateVersion {
		return errors.New("raft: persisted state has an unknown version")
	}
	var out MemoryStorage
	out.HardState.Term = Term(d.uvarint())
	out.HardState.VotedFor = NodeID(d.byte())
	out.Snapshot.Index = Index(d.uvarint())
	out.Snapshot.Term = Term(d.uvarint())
	for _, ids := range [...]*[]NodeID{&out.Snapshot.Config.Voters, &out.Snapshot.Config.Learners, &out.Snapshot.Config.Outgoing} {
		n := d.count(1)
		for range n {
			*ids = append(*ids, NodeID(d.byte()))
		}
	}
	n := d.count(3)
	if n > 0 {
		out.Entries = make([]Entry, 0, n)
	}
	term := out.Snapshot.Term
	for i := range n {
		term += Term(d.uvarint())
		e := Entry{Term: term, Index: out.Snapshot.Index + Index(i+1), Kind: EntryKind(d.byte())}
		e.Data = string(d.bytes(d.count(1)))
		out.Entries = append(out.Entries, e)
	}
	if d.err || len(d.b) > 0 {
		return errBadState
	}
	*s = out
	return nil
}

// decoder reads what AppendRaftState wrote; a short or malformed input
// sets err and yields zeros from then on.
type decoder struct {
	b   []byte
	err bool
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.err = true
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) uvarint() uint64 {
	v, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.err = true
		d.b = nil
		return 0
	}
	d.b = d.b[k:]
	return v
}

// count reads a length whose items take at least per bytes each, and
// refuses one the remaining input could not hold.
func (d *decoder) count(per int) int {
	v := d.uvarint()
	if v > uint64(len(d.b)/per) {
		d.err = true
		d.b = nil
		return 0
	}
	return int(v)
}

func (d *decoder) bytes(n int) []byte {
	if n > len(d.b) {
		d.err = true
		d.b = nil
		return nil
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}
