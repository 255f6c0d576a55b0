package raft_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// appendTo returns the one AppendEntries to peer in rd.
func appendTo(t testing.TB, rd ready, peer raft.NodeID) raft.Message {
	t.Helper()
	var found []raft.Message
	for _, m := range rd.msgs(raft.MsgAppend) {
		if m.To == peer {
			found = append(found, m)
		}
	}
	require.Len(t, found, 1, "AppendEntries to %v in %+v", peer, rd.Messages)
	return found[0]
}

// TestLeaderProgressInit checks Figure 2's volatile state on leaders,
// reinitialized after election: nextIndex = leader's last log index + 1,
// matchIndex = 0.
func TestLeaderProgressInit(t *testing.T) {
	n, rd := leader(t, config(1, 3), raft.HardState{Term: 2}, mkLog(1, 1, 2))
	for _, p := range []raft.NodeID{2, 3} {
		pr := progressOf(t, n, p)
		assert.Equal(t, raft.Index(4), pr.Next, "last index before the no-op + 1")
		assert.Equal(t, raft.Index(0), pr.Match)
		assert.Equal(t, raft.ProgressProbe, pr.State)
		assert.True(t, pr.Paused, "the first AppendEntries is out")
		m := appendTo(t, rd, p)
		assert.Equal(t, raft.Index(3), m.PrevLogIndex)
		assert.Equal(t, raft.Term(2), m.PrevLogTerm)
	}

	t.Run("reinitialized after every election", func(t *testing.T) {
		step(n, raft.Message{Type: raft.MsgAppendResp, From: 2, To: 1, Term: 3, Success: true, MatchIndex: 4})
		require.Equal(t, raft.Index(4), progressOf(t, n, 2).Match)
		step(n, voteReq(3, 1, 4, 9, 3)) // S1 steps down, votes for S3
		n.FireTimeout()                 // and later runs again, in term 5
		drain(n)
		step(n, voteResp(2, 1, 5, true))
		require.Equal(t, raft.Leader, n.Role())
		pr := progressOf(t, n, 2)
		assert.Equal(t, raft.Index(0), pr.Match)
		assert.Equal(t, raft.Index(5), pr.Next)
	})
}

// TestLeaderMatchIndexFromReply checks Leaders 3: on success, matchIndex is
// what the request covered (prevLogIndex + entries, carried in the reply's
// MatchIndex), not the length of the follower's log; and it never goes back.
func TestLeaderMatchIndexFromReply(t *testing.T) {
	l, rd := leader(t, config(1, 3), raft.HardState{Term: 1}, mkLog(1))
	f := restartNode(t, config(2, 3), raft.HardState{Term: 1}, mkLog(1))

	r := step(f, appendTo(t, rd, 2)).only(t)
	require.True(t, r.Success)
	step(l, r)
	require.Equal(t, raft.Index(2), progressOf(t, l, 2).Match)

	l.Propose("a")
	l.Propose("b")
	rd = drain(l)
	apps := rd.msgs(raft.MsgAppend)
	require.Len(t, apps, 2, "pipelined: each proposal is sent at once")
	m3, m4 := apps[0], apps[1]
	require.Equal(t, raft.Index(2), m3.PrevLogIndex)
	require.Equal(t, raft.Index(3), m4.PrevLogIndex)

	r3 := step(f, m3).only(t)
	r4 := step(f, m4).only(t)
	late := step(f, m3).only(t) // a duplicated request, delivered late
	require.Equal(t, raft.Index(4), f.Status().LastIndex)
	assert.True(t, late.Success)
	assert.Equal(t, raft.Index(3), late.MatchIndex, "prevLogIndex + 1 entry, though the follower holds 4")

	step(l, late)
	assert.Equal(t, raft.Index(3), progressOf(t, l, 2).Match, "Leaders 3: matchIndex from the reply")
	assert.Equal(t, raft.Index(5), progressOf(t, l, 2).Next)
	step(l, r4)
	assert.Equal(t, raft.Index(4), progressOf(t, l, 2).Match)
	step(l, r3)
	assert.Equal(t, raft.Index(4), progressOf(t, l, 2).Match, "a reordered reply never lowers matchIndex")
	assert.Equal(t, raft.Index(4), l.Status().CommitIndex)
}

// TestLeaderFastBackoff checks Leaders 3 (on a consistency-check failure,
// decrement nextIndex and retry) with the conflict hint of §5.3: the leader
// skips a whole conflicting term per round trip, and the logs end up equal.
func TestLeaderFastBackoff(t *testing.T) {
	cases := []struct {
		name        string
		leaderHS    raft.Term
		leaderLog   []raft.Term
		followerHS  raft.Term
		followerLog []raft.Term
		// One per rejection: the hint and the nextIndex the leader moves to.
		hints []raft.Message
		nexts []raft.Index
	}{
		{
			name:     "Leaders 3 fast backoff: the leader has the conflicting term: nextIndex = its last index of that term + 1",
			leaderHS: 3, leaderLog: []raft.Term{1, 2, 2, 2, 3, 3},
			followerHS: 3, followerLog: []raft.Term{1, 2, 2, 2, 2, 2, 2},
			hints: []raft.Message{{ConflictTerm: 2, ConflictIndex: 2}},
			nexts: []raft.Index{5},
		},
		{
			name:     "Leaders 3 fast backoff: the leader lacks the conflicting term: nextIndex = ConflictIndex",
			leaderHS: 3, leaderLog: []raft.Term{1, 1, 3, 3},
			followerHS: 2, followerLog: []raft.Term{1, 1, 2, 2, 2},
			hints: []raft.Message{{ConflictTerm: 2, ConflictIndex: 3}},
			nexts: []raft.Index{3},
		},
		{
			name:     "Leaders 3 fast backoff: the follower's log is short: nextIndex = its last index + 1",
			leaderHS: 1, leaderLog: []raft.Term{1, 1, 1, 1},
			followerHS: 1, followerLog: []raft.Term{1},
			hints: []raft.Message{{ConflictIndex: 2}},
			nexts: []raft.Index{2},
		},
		{
			name:     "Leaders 3 fast backoff: one round trip per conflicting term",
			leaderHS: 4, leaderLog: []raft.Term{1, 1, 1, 4, 4},
			followerHS: 3, followerLog: []raft.Term{1, 2, 2, 3, 3, 3},
			hints: []raft.Message{{ConflictTerm: 3, ConflictIndex: 4}, {ConflictTerm: 2, ConflictIndex: 2}},
			nexts: []raft.Index{4, 2},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, rd := leader(t, config(1, 3), raft.HardState{Term: tc.leaderHS}, mkLog(tc.leaderLog...))
			f := restartNode(t, config(2, 3), raft.HardState{Term: tc.followerHS}, mkLog(tc.followerLog...))
			req := appendTo(t, rd, 2)
			next := raft.Index(len(tc.leaderLog) + 1)
			for i := range tc.hints {
				rej := step(f, req).only(t)
				require.False(t, rej.Success, "rejection %d", i+1)
				assert.Equal(t, tc.hints[i].ConflictTerm, rej.ConflictTerm, "ConflictTerm %d", i+1)
				assert.Equal(t, tc.hints[i].ConflictIndex, rej.ConflictIndex, "ConflictIndex %d", i+1)

				rd := step(l, rej)
				why, ok := rd.note(raft.NextIndexBackedOff)
				require.True(t, ok, "notes: %v", rd.codes())
				assert.Equal(t, raft.Reason{Code: raft.NextIndexBackedOff, Peer: 2, Term: l.Term(), Got: uint64(tc.nexts[i]), Want: uint64(next)}, why)
				next = tc.nexts[i]
				pr := progressOf(t, l, 2)
				assert.Equal(t, next, pr.Next)
				assert.Equal(t, raft.ProgressProbe, pr.State)
				req = appendTo(t, rd, 2)
				assert.Equal(t, next-1, req.PrevLogIndex, "retry from the new nextIndex")
				assert.Equal(t, l.Entries()[next-1:], req.Entries, "with every entry from nextIndex on")
			}
			ok := step(f, req).only(t)
			require.True(t, ok.Success)
			rd = step(l, ok)
			assert.Empty(t, rd.Messages, "caught up")
			pr := progressOf(t, l, 2)
			last := l.Status().LastIndex
			assert.Equal(t, last, pr.Match)
			assert.Equal(t, last+1, pr.Next)
			assert.Equal(t, raft.ProgressReplicate, pr.State)
			assert.Equal(t, l.Entries(), f.Entries(), "logs converge")
			assert.Equal(t, last, l.Status().CommitIndex, "the no-op is on a majority: committed")
		})
	}
}

// TestLeaderNoBackoffOnStaleTermRejection: a follower that refused an
// AppendEntries of an older term (receiver rule 1) says nothing about its
// log, even when its reply carries the leader's current term.
func TestLeaderNoBackoffOnStaleTermRejection(t *testing.T) {
	// S1 leads term 1 and sends S2 the no-op; the request is delayed.
	l, rd := leader(t, config(1, 5), raft.HardState{}, nil)
	require.Equal(t, raft.Term(1), l.Term())
	delayed := appendTo(t, rd, 2)
	// S1 hears of term 2, and wins term 3 with the votes of S2, S4 and S5.
	step(l, voteReq(3, 1, 2, 0, 0))
	l.FireTimeout()
	drain(l)
	f := restartNode(t, config(2, 5), raft.HardState{}, nil)
	grant := step(f, voteReq(1, 2, 3, 1, 1)).only(t)
	require.True(t, grant.Success)
	step(l, grant)
	rd = step(l, voteResp(4, 1, 3, true))
	require.Equal(t, raft.Leader, l.Role())
	require.Equal(t, raft.Term(3), l.Term())
	fresh := appendTo(t, rd, 2)
	before := progressOf(t, l, 2)

	// The term-1 request reaches S2, now in term 3: refused, with term 3.
	rej := step(f, delayed).only(t)
	require.False(t, rej.Success)
	require.Equal(t, raft.AppendDeniedStaleTerm, rej.Reason.Code)
	require.Equal(t, raft.Term(3), rej.Term)

	assert.Equal(t, raft.Term(1), rej.RequestTerm, "the reply echoes the refused request's term")

	rd = step(l, rej)
	assert.Empty(t, rd.Messages, "no retry")
	assert.Equal(t, before, progressOf(t, l, 2), "no backoff")
	why, ok := rd.note(raft.ReplyIgnoredStale)
	require.True(t, ok, "notes: %v", rd.codes())
	assert.Equal(t, raft.Reason{Code: raft.ReplyIgnoredStale, Peer: 2, Term: 3, Got: 1, Want: 3}, why,
		"the reply answers a request of term 1")

	// A rejection of the current request does move nextIndex: S2 lacks
	// S1's entry 1, so the leader retries from there and catches S2 up.
	rej = step(f, fresh).only(t)
	require.Equal(t, raft.AppendDeniedMissingEntry, rej.Reason.Code)
	rd = step(l, rej)
	assert.True(t, rd.hasNote(raft.NextIndexBackedOff))
	assert.Equal(t, raft.Index(1), progressOf(t, l, 2).Next)
	step(l, step(f, appendTo(t, rd, 2)).only(t))
	assert.Equal(t, raft.Index(2), progressOf(t, l, 2).Match)
	assert.Equal(t, l.Entries(), f.Entries())
}

// TestLeaderStaleRejectionWithoutReason: the leader tells a refusal of an
// older term's request from protocol fields alone (the reply echoes the
// request's term), so a transport that drops the explanation changes
// nothing — even when the stale request's prevLogIndex is exactly where the
// leader probes now.
func TestLeaderStaleRejectionWithoutReason(t *testing.T) {
	// S1 leads term 2, S2 acknowledges the no-op, and S1's next heartbeat
	// to S2 (prevLogIndex 2) is delayed.
	l, rd := leader(t, config(1, 3), raft.HardState{Term: 1}, mkLog(1))
	f := restartNode(t, config(2, 3), raft.HardState{Term: 1}, mkLog(1))
	step(l, step(f, appendTo(t, rd, 2)).only(t))
	l.FireTimeout()
	delayed := appendTo(t, drain(l), 2)
	require.Equal(t, raft.Index(2), delayed.PrevLogIndex)
	// S1 hears of term 3 and wins term 4 with S2's vote; its probe to S2
	// starts at prevLogIndex 2 as well.
	step(l, voteReq(3, 1, 3, 0, 0))
	l.FireTimeout()
	drain(l)
	step(l, step(f, voteReq(1, 2, 4, 2, 2)).only(t))
	require.Equal(t, raft.Leader, l.Role())
	before := progressOf(t, l, 2)
	require.Equal(t, raft.Index(3), before.Next)

	for _, strip := range []bool{true, false} {
		rej := step(f, delayed).only(t)
		require.False(t, rej.Success)
		require.Equal(t, raft.Term(4), rej.Term)
		require.Equal(t, raft.Term(2), rej.RequestTerm, "the reply echoes the refused request's term")
		require.Equal(t, raft.Index(2), rej.MatchIndex)
		if strip {
			rej.Reason = raft.Reason{}
		}
		rd := step(l, rej)
		assert.Empty(t, rd.Messages, "strip=%v: no retry", strip)
		assert.Equal(t, before, progressOf(t, l, 2), "strip=%v: no backoff", strip)
		assert.Equal(t, []raft.Reason{{Code: raft.ReplyIgnoredStale, Peer: 2, Term: 4, Got: 2, Want: 4}}, rd.Notes)
	}
}

// TestLeaderIgnoresOldRejections checks that a rejection of a request the
// leader has moved past (a duplicate, a reordered reply) does not move
// nextIndex again.
func TestLeaderIgnoresOldRejections(t *testing.T) {
	t.Run("Leaders 3: a duplicated rejection after the backoff is ignored", func(t *testing.T) {
		l, rd := leader(t, config(1, 3), raft.HardState{Term: 1}, mkLog(1, 1, 1, 1))
		f := restartNode(t, config(2, 3), raft.HardState{Term: 1}, mkLog(1))
		rej := step(f, appendTo(t, rd, 2)).only(t)
		require.Equal(t, raft.Index(4), rej.MatchIndex)
		rd = step(l, rej)
		require.Equal(t, raft.Index(2), progressOf(t, l, 2).Next)
		retry := appendTo(t, rd, 2)
		before := progressOf(t, l, 2)

		rd = step(l, rej)
		assert.Equal(t, []raft.Reason{{Code: raft.ReplyIgnoredOld, Peer: 2, Term: 2, Index: 4, Got: 0}}, rd.Notes)
		assert.Empty(t, rd.Messages)
		assert.Equal(t, before, progressOf(t, l, 2))

		// After the retry succeeds, the old rejection is older than matchIndex.
		step(l, step(f, retry).only(t))
		require.Equal(t, raft.Index(5), progressOf(t, l, 2).Match)
		rd = step(l, rej)
		assert.Equal(t, []raft.Reason{{Code: raft.ReplyIgnoredOld, Peer: 2, Term: 2, Index: 4, Got: 5}}, rd.Notes)
		assert.Empty(t, rd.Messages)
	})
	t.Run("Leaders 3: a rejection at prevLogIndex = matchIndex is old", func(t *testing.T) {
		// One entry per AppendEntries, so that matchIndex can land exactly
		// on the prevLogIndex of the first, rejected, request.
		c := config(1, 3)
		c.MaxEntriesPerAppend = 1
		l, rd := leader(t, c, raft.HardState{Term: 1}, mkLog(1, 1))
		f := restartNode(t, config(2, 3), raft.HardState{Term: 1}, mkLog(1))
		rej := step(f, appendTo(t, rd, 2)).only(t)
		require.Equal(t, raft.Index(2), rej.MatchIndex)
		rd = step(l, rej)
		rd = step(l, step(f, appendTo(t, rd, 2)).only(t))
		require.Equal(t, raft.Index(2), progressOf(t, l, 2).Match)
		appendTo(t, rd, 2) // the no-op, pipelined
		before := progressOf(t, l, 2)
		require.Equal(t, raft.ProgressReplicate, before.State)

		// The duplicate of the first rejection arrives now.
		rd = step(l, rej)
		assert.Equal(t, []raft.Reason{{Code: raft.ReplyIgnoredOld, Peer: 2, Term: 2, Index: 2, Got: 2}}, rd.Notes)
		assert.Empty(t, rd.Messages, "nothing is sent again")
		assert.Equal(t, before, progressOf(t, l, 2))
	})
}

// TestLeaderPipelining checks that the leader probes one request at a time
// until a follower's log is found to match, then sends each new entry at
// once (nextIndex is a guess that a rejection corrects, §5.3).
func TestLeaderPipelining(t *testing.T) {
	l, rd := leader(t, config(1, 3), raft.HardState{Term: 1}, mkLog(1))
	probe := appendTo(t, rd, 2)
	l.Propose("a")
	rd = drain(l)
	assert.Empty(t, rd.Messages, "a probe is outstanding: wait for its reply")

	f := restartNode(t, config(2, 3), raft.HardState{Term: 1}, mkLog(1))
	rd = step(l, step(f, probe).only(t))
	m := appendTo(t, rd, 2)
	assert.Equal(t, raft.Index(2), m.PrevLogIndex, "the rest follows on the reply")
	assert.Equal(t, []raft.Term{1}, []raft.Term{m.Entries[0].Term - 1})
	assert.Len(t, m.Entries, 1)
	assert.Equal(t, raft.Index(4), progressOf(t, l, 2).Next)

	l.Propose("b")
	rd = drain(l)
	m = appendTo(t, rd, 2)
	assert.Equal(t, raft.Index(3), m.PrevLogIndex, "no longer probing: sent at once")
	assert.Equal(t, raft.Index(5), progressOf(t, l, 2).Next)
}

// TestLeaderMaxEntriesPerAppend checks that a follower more than
// MaxEntriesPerAppend behind is sent the next batch on each success, not
// only on the next proposal or heartbeat.
func TestLeaderMaxEntriesPerAppend(t *testing.T) {
	c := config(1, 3)
	c.MaxEntriesPerAppend = 2
	l, rd := leader(t, c, raft.HardState{Term: 1}, mkLog(1, 1, 1, 1, 1))
	f := restartNode(t, config(2, 3), raft.HardState{Term: 1}, nil)
	m := appendTo(t, rd, 2)
	var sizes []int
	for range 10 {
		r := step(f, m).only(t)
		rd = step(l, r)
		if len(rd.Messages) == 0 {
			break
		}
		m = appendTo(t, rd, 2)
		assert.LessOrEqual(t, len(m.Entries), 2)
		sizes = append(sizes, len(m.Entries))
	}
	assert.Equal(t, []int{2, 2, 2}, sizes, "after the rejection of the probe, three batches of two")
	assert.Equal(t, l.Entries(), f.Entries())
	assert.Equal(t, raft.Index(6), progressOf(t, l, 2).Match)
}

// TestLeaderCommitRule checks Rules for Servers, Leaders 4 and §5.4.2: a
// leader commits an entry by counting replicas only if it is of its current
// term; an earlier-term entry on a majority waits (CommitDeferred), and is
// committed indirectly with the first current-term entry. UnsafeRules.
// CommitEarlierTerms switches the rule off.
func TestLeaderCommitRule(t *testing.T) {
	run := func(t *testing.T, unsafe bool) (l *raft.Node, afterOld, afterNew ready) {
		c := config(1, 3)
		c.MaxEntriesPerAppend = 1
		c.Unsafe.CommitEarlierTerms = unsafe
		// S1 has an entry of term 2 at index 2 that S2 lacks; S1 wins term 4
		// and appends its no-op at index 3.
		l, rd := leader(t, c, raft.HardState{Term: 3}, mkLog(1, 2))
		require.Equal(t, raft.Term(4), l.Term())
		f := restartNode(t, config(2, 3), raft.HardState{Term: 3}, mkLog(1))
		rd = step(l, step(f, appendTo(t, rd, 2)).only(t)) // missing entry: back off to 2
		m := appendTo(t, rd, 2)
		require.Equal(t, []raft.Term{2}, termsOf(m.Entries), "one entry per request: the term-2 entry alone")
		afterOld = step(l, step(f, m).only(t))
		require.Equal(t, raft.Index(2), progressOf(t, l, 2).Match, "index 2 is now on S1 and S2: a majority")
		afterNew = step(l, step(f, appendTo(t, afterOld, 2)).only(t))
		require.Equal(t, raft.Index(3), progressOf(t, l, 2).Match)
		return l, afterOld, afterNew
	}
	t.Run("§5.4.2: an earlier-term entry on a majority is not committed by counting", func(t *testing.T) {
		l, afterOld, afterNew := run(t, false)
		why, ok := afterOld.note(raft.CommitDeferred)
		require.True(t, ok, "notes: %v", afterOld.codes())
		assert.Equal(t, raft.Reason{Code: raft.CommitDeferred, Term: 4, Index: 2, Got: 2, Want: 4}, why)
		assert.False(t, afterOld.hasNote(raft.CommitAdvanced))
		assert.Empty(t, afterOld.CommittedEntries)

		why, ok = afterNew.note(raft.CommitAdvanced)
		require.True(t, ok, "notes: %v", afterNew.codes())
		assert.Equal(t, raft.Reason{Code: raft.CommitAdvanced, Term: 4, Got: 3, Want: 0}, why)
		assert.Equal(t, []raft.Term{1, 2, 4}, termsOf(afterNew.CommittedEntries), "the earlier entries are committed indirectly")
		assert.Equal(t, raft.Index(3), l.Status().CommitIndex)
	})
	t.Run("UnsafeRules.CommitEarlierTerms: the earlier-term entry is committed by counting", func(t *testing.T) {
		l, afterOld, afterNew := run(t, true)
		assert.False(t, afterOld.hasNote(raft.CommitDeferred))
		why, ok := afterOld.note(raft.CommitAdvanced)
		require.True(t, ok, "notes: %v", afterOld.codes())
		assert.Equal(t, raft.Reason{Code: raft.CommitAdvanced, Term: 4, Got: 2, Want: 0}, why)
		assert.Equal(t, []raft.Term{1, 2}, termsOf(afterOld.CommittedEntries))
		assert.Equal(t, []raft.Term{4}, termsOf(afterNew.CommittedEntries))
		assert.Equal(t, raft.Index(3), l.Status().CommitIndex)
	})
	t.Run("Leaders 4: commitIndex moves only when a majority has matchIndex ≥ N", func(t *testing.T) {
		l, _ := leader(t, config(1, 5), raft.HardState{Term: 1}, nil)
		ack := func(from raft.NodeID) ready {
			return step(l, raft.Message{Type: raft.MsgAppendResp, From: from, To: 1, Term: 2, Success: true, MatchIndex: 1})
		}
		rd := ack(2)
		assert.Equal(t, raft.Index(0), l.Status().CommitIndex, "2 of 5")
		assert.Empty(t, rd.CommittedEntries)
		rd = ack(2)
		assert.Equal(t, raft.Index(0), l.Status().CommitIndex, "the same server twice is still 2 of 5")
		rd = ack(4)
		assert.Equal(t, raft.Index(1), l.Status().CommitIndex, "3 of 5")
		assert.Equal(t, []raft.Entry{{Term: 2, Index: 1, Kind: raft.EntryNoop}}, rd.CommittedEntries)
	})
}

// TestPropose checks Leaders 2 (append the command to the local log) and
// that a server that is not the leader refuses and names the leader it
// knows (§5.1, §8).
func TestPropose(t *testing.T) {
	t.Run("§5.1: a follower refuses and names the leader it knows", func(t *testing.T) {
		n := restartNode(t, config(1, 3), raft.HardState{Term: 2}, nil)
		step(n, appendReq(3, 1, 2, 0, 0, 0))
		idx, term, ok := n.Propose("x")
		assert.False(t, ok)
		assert.Equal(t, raft.Index(0), idx)
		assert.Equal(t, raft.Term(2), term)
		rd := drain(n)
		assert.Equal(t, []raft.Reason{{Code: raft.ProposalRejected, Peer: 3, Term: 2}}, rd.Notes)
		assert.Empty(t, rd.Messages)
		assert.Empty(t, rd.Entries)
		assert.Empty(t, n.Entries())
	})
	t.Run("§5.1: a follower that knows no leader says so", func(t *testing.T) {
		n := restartNode(t, config(1, 3), raft.HardState{Term: 2}, nil)
		_, _, ok := n.Propose("x")
		assert.False(t, ok)
		rd := drain(n)
		assert.Equal(t, []raft.Reason{{Code: raft.ProposalRejected, Peer: raft.None, Term: 2}}, rd.Notes)
	})
	t.Run("§5.1: a candidate refuses", func(t *testing.T) {
		n, _ := candidate(t, config(1, 3), raft.HardState{Term: 2}, nil)
		_, _, ok := n.Propose("x")
		assert.False(t, ok)
		assert.Empty(t, n.Entries())
	})
	t.Run("Leaders 2: the leader appends the command of its term", func(t *testing.T) {
		n, _ := leader(t, config(1, 3), raft.HardState{Term: 2}, mkLog(1, 2))
		idx, term, ok := n.Propose("x")
		assert.True(t, ok)
		assert.Equal(t, raft.Index(4), idx)
		assert.Equal(t, raft.Term(3), term)
		rd := drain(n)
		e := raft.Entry{Term: 3, Index: 4, Kind: raft.EntryCommand, Data: "x"}
		assert.Equal(t, []raft.Entry{e}, rd.Entries)
		assert.Equal(t, e, n.Entries()[3])
	})
}
