package raft_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// Helpers for the single-node unit tests: build a server from a persisted
// state, feed it hand-made messages, and read what it hands out.

// ids returns S1..Sn.
func ids(n int) []raft.NodeID {
	out := make([]raft.NodeID, n)
	for i := range out {
		out[i] = raft.NodeID(i + 1)
	}
	return out
}

// config is a valid configuration with a fixed election timeout of 10 ticks
// (no Rand) and heartbeats every 3.
func config(id raft.NodeID, n int) raft.Config {
	return raft.Config{ID: id, Peers: ids(n), ElectionTimeoutMin: 10, ElectionTimeoutMax: 10, HeartbeatTicks: 3}
}

// mkLog builds a log from its entries' terms, from index 1.
func mkLog(terms ...raft.Term) []raft.Entry {
	out := make([]raft.Entry, len(terms))
	for i, t := range terms {
		out[i] = raft.Entry{Term: t, Index: raft.Index(i + 1), Data: "e" + string(rune('a'+i%26))}
	}
	return out
}

// termsOf is the inverse of mkLog, for short assertions.
func termsOf(es []raft.Entry) []raft.Term {
	if len(es) == 0 {
		return nil
	}
	out := make([]raft.Term, len(es))
	for i, e := range es {
		out[i] = e.Term
	}
	return out
}

// restartNode builds a server of an n-server cluster from a persisted state
// and drains the (empty) first Ready.
func restartNode(t testing.TB, c raft.Config, hs raft.HardState, log []raft.Entry) *raft.Node {
	t.Helper()
	n, err := raft.Restart(c, hs, log)
	require.NoError(t, err)
	require.False(t, n.HasReady(), "a freshly restarted server has nothing to hand out")
	return n
}

// ready is a Ready whose slices the test owns (a Ready's own slices are
// valid only until Advance).
type ready struct {
	raft.Ready
}

// drain takes the server's Ready, copies it, and advances.
func drain(n *raft.Node) ready {
	rd := n.Ready()
	out := ready{rd}
	out.Entries = slices.Clone(rd.Entries)
	out.Messages = slices.Clone(rd.Messages)
	out.CommittedEntries = slices.Clone(rd.CommittedEntries)
	out.Notes = slices.Clone(rd.Notes)
	n.Advance()
	return out
}

// step hands m to n and drains the resulting Ready.
func step(n *raft.Node, m raft.Message) ready {
	n.Step(m)
	return drain(n)
}

// msgs returns the messages of type typ.
func (r ready) msgs(typ raft.MsgType) []raft.Message {
	var out []raft.Message
	for _, m := range r.Messages {
		if m.Type == typ {
			out = append(out, m)
		}
	}
	return out
}

// only returns the one message in r, failing otherwise.
func (r ready) only(t testing.TB) raft.Message {
	t.Helper()
	require.Len(t, r.Messages, 1, "messages: %+v", r.Messages)
	return r.Messages[0]
}

// note returns the first note with code c.
func (r ready) note(c raft.ReasonCode) (raft.Reason, bool) {
	for _, n := range r.Notes {
		if n.Code == c {
			return n, true
		}
	}
	return raft.Reason{}, false
}

func (r ready) hasNote(c raft.ReasonCode) bool {
	_, ok := r.note(c)
	return ok
}

// codes lists the notes' codes in order.
func (r ready) codes() []raft.ReasonCode {
	out := make([]raft.ReasonCode, len(r.Notes))
	for i, n := range r.Notes {
		out[i] = n.Code
	}
	return out
}

// voteReq is a RequestVote from a candidate.
func voteReq(from, to raft.NodeID, term raft.Term, lastIndex raft.Index, lastTerm raft.Term) raft.Message {
	return raft.Message{Type: raft.MsgVote, From: from, To: to, Term: term, LastLogIndex: lastIndex, LastLogTerm: lastTerm}
}

// voteResp is a RequestVote reply.
func voteResp(from, to raft.NodeID, term raft.Term, granted bool) raft.Message {
	return raft.Message{Type: raft.MsgVoteResp, From: from, To: to, Term: term, Success: granted}
}

// appendReq is an AppendEntries from a leader.
func appendReq(from, to raft.NodeID, term raft.Term, prev raft.Index, prevTerm raft.Term, commit raft.Index, entries ...raft.Entry) raft.Message {
	return raft.Message{Type: raft.MsgAppend, From: from, To: to, Term: term, PrevLogIndex: prev, PrevLogTerm: prevTerm,
		LeaderCommit: commit, Entries: entries}
}

// ents builds entries of the given terms starting at index from.
func ents(from raft.Index, terms ...raft.Term) []raft.Entry {
	out := make([]raft.Entry, len(terms))
	for i, t := range terms {
		out[i] = raft.Entry{Term: t, Index: from + raft.Index(i), Data: "new"}
	}
	return out
}

// candidate restarts id from (hs, log) and makes it campaign once.
func candidate(t testing.TB, c raft.Config, hs raft.HardState, log []raft.Entry) (*raft.Node, ready) {
	t.Helper()
	n := restartNode(t, c, hs, log)
	n.FireTimeout()
	rd := drain(n)
	require.Equal(t, raft.Candidate, n.Role())
	return n, rd
}

// leader restarts c.ID from (hs, log), makes it campaign and feeds it
// grants from the lowest other peers until it wins. It returns the Ready of
// the winning step (BecameLeader, the no-op, the first AppendEntries).
func leader(t testing.TB, c raft.Config, hs raft.HardState, log []raft.Entry) (*raft.Node, ready) {
	t.Helper()
	n, _ := candidate(t, c, hs, log)
	for _, p := range c.Peers {
		if p == c.ID {
			continue
		}
		rd := step(n, voteResp(p, c.ID, n.Term(), true))
		if n.Role() == raft.Leader {
			return n, rd
		}
	}
	t.Fatalf("%v did not win", c.ID)
	return nil, ready{}
}

// progressOf is the leader's Progress for peer.
func progressOf(t testing.TB, n *raft.Node, peer raft.NodeID) raft.Progress {
	t.Helper()
	for _, p := range n.Status().Progress {
		if p.ID == peer {
			return p
		}
	}
	t.Fatalf("no progress for %v", peer)
	return raft.Progress{}
}

// fakeRand returns queued values and records the bounds it was asked for.
type fakeRand struct {
	vals  []int
	asked []int
}

func (r *fakeRand) IntN(n int) int {
	r.asked = append(r.asked, n)
	if len(r.vals) == 0 {
		return 0
	}
	v := r.vals[0]
	r.vals = r.vals[1:]
	return v
}
