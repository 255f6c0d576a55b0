package raft_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// TestAppendEntriesReceiver checks the AppendEntries receiver of Figure 2 on
// a follower S1 whose leader is S2, one rule per case.
func TestAppendEntriesReceiver(t *testing.T) {
	cases := []struct {
		name   string
		hs     raft.HardState
		log    []raft.Term
		commit raft.Index // reached first through a matching heartbeat
		req    raft.Message

		success       bool
		why           raft.Reason
		matchIndex    raft.Index
		conflictTerm  raft.Term
		conflictIndex raft.Index
		after         []raft.Term // the log afterwards
		saved         []raft.Term // Ready.Entries' terms
		savedFrom     raft.Index  // Ready.Entries[0].Index
		truncated     *raft.Reason
		commitAfter   raft.Index
	}{
		{
			name: "AppendEntries receiver 1: stale term rejected, reply carries our term",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 2},
			req: appendReq(2, 1, 2, 2, 2, 2, ents(3, 2)...),
			why: raft.Reason{Code: raft.AppendDeniedStaleTerm, Peer: 2, Term: 3, Got: 2, Want: 3},
			// MatchIndex echoes prevLogIndex on every rejection.
			matchIndex: 2,
			after:      []raft.Term{1, 2},
		},
		{
			name: "AppendEntries receiver 2: no entry at prevLogIndex: rejected, ConflictIndex = lastIndex+1",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 1},
			req:        appendReq(2, 1, 3, 5, 3, 5, ents(6, 3)...),
			why:        raft.Reason{Code: raft.AppendDeniedMissingEntry, Peer: 2, Term: 3, Index: 5, Got: 2},
			matchIndex: 5, conflictIndex: 3,
			after: []raft.Term{1, 1},
		},
		{
			name:       "AppendEntries receiver 2: empty log, prevLogIndex 1: rejected, ConflictIndex 1",
			hs:         raft.HardState{Term: 3},
			req:        appendReq(2, 1, 3, 1, 1, 0),
			why:        raft.Reason{Code: raft.AppendDeniedMissingEntry, Peer: 2, Term: 3, Index: 1, Got: 0},
			matchIndex: 1, conflictIndex: 1,
		},
		{
			name: "AppendEntries receiver 2: term mismatch at prevLogIndex: rejected, ConflictTerm and its first index",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 1, 2, 2, 2, 2, 2},
			req:        appendReq(2, 1, 3, 7, 3, 7, ents(8, 3)...),
			why:        raft.Reason{Code: raft.AppendDeniedTermMismatch, Peer: 2, Term: 3, Index: 7, Got: 2, Want: 3},
			matchIndex: 7, conflictTerm: 2, conflictIndex: 3,
			after: []raft.Term{1, 1, 2, 2, 2, 2, 2},
		},
		{
			name: "AppendEntries receiver 2: term mismatch at index 1: ConflictIndex 1",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{2, 2},
			req:        appendReq(2, 1, 3, 2, 3, 0),
			why:        raft.Reason{Code: raft.AppendDeniedTermMismatch, Peer: 2, Term: 3, Index: 2, Got: 2, Want: 3},
			matchIndex: 2, conflictTerm: 2, conflictIndex: 1,
			after: []raft.Term{2, 2},
		},
		{
			name: "AppendEntries receiver 3: a conflicting entry and all that follow it are deleted",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 1, 2, 2},
			req:     appendReq(2, 1, 3, 2, 1, 0, ents(3, 3)...),
			success: true, matchIndex: 3,
			why:       raft.Reason{Code: raft.AppendAccepted, Peer: 2, Term: 3, Index: 2, Got: 1},
			truncated: &raft.Reason{Code: raft.EntriesTruncated, Peer: 2, Term: 3, Index: 3, Got: 4},
			after:     []raft.Term{1, 1, 3},
			saved:     []raft.Term{3}, savedFrom: 3,
		},
		{
			name: "AppendEntries receiver 3: the conflict is found past the entries that match",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 1, 1, 1, 1},
			req:     appendReq(2, 1, 3, 1, 1, 0, ents(2, 1, 1, 3)...),
			success: true, matchIndex: 4,
			why:       raft.Reason{Code: raft.AppendAccepted, Peer: 2, Term: 3, Index: 1, Got: 1},
			truncated: &raft.Reason{Code: raft.EntriesTruncated, Peer: 2, Term: 3, Index: 4, Got: 5},
			after:     []raft.Term{1, 1, 1, 3},
			saved:     []raft.Term{3}, savedFrom: 4,
		},
		{
			name: "AppendEntries receiver 4: only entries not already in the log are appended",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 3},
			req:     appendReq(2, 1, 3, 1, 1, 0, ents(2, 3, 3, 3)...),
			success: true, matchIndex: 4,
			why:   raft.Reason{Code: raft.AppendAccepted, Peer: 2, Term: 3, Index: 1, Got: 2},
			after: []raft.Term{1, 3, 3, 3},
			saved: []raft.Term{3, 3}, savedFrom: 3,
		},
		{
			name: "AppendEntries receiver 4: a late, shorter request whose entries all match never truncates",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 3, 3, 3},
			req:     appendReq(2, 1, 3, 1, 1, 0, ents(2, 3)...),
			success: true, matchIndex: 2,
			why:   raft.Reason{Code: raft.AppendAccepted, Peer: 2, Term: 3, Index: 1, Got: 0},
			after: []raft.Term{1, 3, 3, 3},
		},
		{
			name: "AppendEntries receiver 4: a heartbeat never truncates",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 3, 3, 3},
			req:     appendReq(2, 1, 3, 2, 3, 0),
			success: true, matchIndex: 2,
			why:   raft.Reason{Code: raft.AppendAccepted, Peer: 2, Term: 3, Index: 2},
			after: []raft.Term{1, 3, 3, 3},
		},
		{
			name: "AppendEntries receiver 5: commitIndex = leaderCommit when the new entries reach it",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1},
			req:     appendReq(2, 1, 3, 1, 1, 2, ents(2, 3, 3)...),
			success: true, matchIndex: 3,
			why:   raft.Reason{Code: raft.AppendAccepted, Peer: 2, Term: 3, Index: 1, Got: 2, Want: 2},
			after: []raft.Term{1, 3, 3},
			saved: []raft.Term{3, 3}, savedFrom: 2,
			commitAfter: 2,
		},
		{
			name:    "AppendEntries receiver 5: commitIndex = index of last new entry when leaderCommit is beyond it",
			hs:      raft.HardState{Term: 3},
			req:     appendReq(2, 1, 3, 0, 0, 5, ents(1, 1, 1)...),
			success: true, matchIndex: 2,
			why:   raft.Reason{Code: raft.AppendAccepted, Peer: 2, Term: 3, Index: 0, Got: 2, Want: 2},
			after: []raft.Term{1, 1},
			saved: []raft.Term{1, 1}, savedFrom: 1,
			commitAfter: 2,
		},
		{
			name: "AppendEntries receiver 5: a heartbeat with leaderCommit beyond the matched prefix does not commit unverified entries",
			// Entries 3 and 4 are left over from an old leader of term 2;
			// the new leader (term 3) has verified only through index 2.
			hs: raft.HardState{Term: 3}, log: []raft.Term{1, 1, 2, 2},
			req:     appendReq(2, 1, 3, 2, 1, 4),
			success: true, matchIndex: 2,
			why:         raft.Reason{Code: raft.AppendAccepted, Peer: 2, Term: 3, Index: 2, Want: 2},
			after:       []raft.Term{1, 1, 2, 2},
			commitAfter: 2,
		},
		{
			name: "AppendEntries receiver 5: a smaller leaderCommit never lowers commitIndex",
			hs:   raft.HardState{Term: 3}, log: []raft.Term{1, 1, 1},
			commit:  3,
			req:     appendReq(2, 1, 3, 1, 1, 1),
			success: true, matchIndex: 1,
			why:         raft.Reason{Code: raft.AppendAccepted, Peer: 2, Term: 3, Index: 1, Want: 3},
			after:       []raft.Term{1, 1, 1},
			commitAfter: 3,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := restartNode(t, config(1, 3), tc.hs, mkLog(tc.log...))
			if tc.commit > 0 {
				st := n.Status()
				step(n, appendReq(2, 1, tc.hs.Term, st.LastIndex, st.LastTerm, tc.commit))
				require.Equal(t, tc.commit, n.Status().CommitIndex)
			}
			rd := step(n, tc.req)

			reply := rd.only(t)
			assert.Equal(t, raft.MsgAppendResp, reply.Type)
			assert.Equal(t, raft.NodeID(2), reply.To)
			assert.Equal(t, tc.hs.Term, reply.Term)
			assert.Equal(t, tc.success, reply.Success)
			assert.Equal(t, tc.why, reply.Reason)
			assert.Equal(t, tc.matchIndex, reply.MatchIndex, "MatchIndex")
			assert.Equal(t, tc.conflictTerm, reply.ConflictTerm, "ConflictTerm")
			assert.Equal(t, tc.conflictIndex, reply.ConflictIndex, "ConflictIndex")

			assert.Equal(t, tc.why, rd.Notes[len(rd.Notes)-1], "the decision is the last note")
			why, ok := rd.note(raft.EntriesTruncated)
			if tc.truncated != nil {
				assert.True(t, ok, "notes: %v", rd.codes())
				assert.Equal(t, *tc.truncated, why)
			} else {
				assert.False(t, ok, "no truncation expected: %v", rd.codes())
			}

			assert.Equal(t, tc.after, termsOf(n.Entries()), "log afterwards")
			for i, e := range n.Entries() {
				assert.Equal(t, raft.Index(i+1), e.Index)
			}
			assert.Equal(t, tc.saved, termsOf(rd.Entries), "entries handed out for persistence")
			if len(rd.Entries) > 0 {
				assert.Equal(t, tc.savedFrom, rd.Entries[0].Index)
			}
			assert.Equal(t, tc.commitAfter, n.Status().CommitIndex, "commitIndex")
			if tc.commitAfter > tc.commit {
				assert.Len(t, rd.CommittedEntries, int(tc.commitAfter-tc.commit))
			} else {
				assert.Empty(t, rd.CommittedEntries)
			}
			if tc.success {
				assert.Equal(t, raft.NodeID(2), n.Leader())
			}
		})
	}
}

// TestRenderTermMismatch renders the reason of AppendEntries receiver 2's
// term mismatch case.
func TestRenderTermMismatch(t *testing.T) {
	n := restartNode(t, config(1, 3), raft.HardState{Term: 3}, mkLog(1, 1, 2, 2, 2, 2, 2))
	rd := step(n, appendReq(2, 1, 3, 7, 3, 0))
	assert.Equal(t, "append-denied-term-mismatch peer=S2 term=3 index=7 got=2 want=3", rd.only(t).Reason.String())
}

// TestInFlightEntriesSurviveTruncation checks the promise that lets callers
// keep messages past Advance without copying their entries: a truncation
// never rewrites an array that an earlier message or Ready shares.
func TestInFlightEntriesSurviveTruncation(t *testing.T) {
	// S1 leads term 2 of five servers and sends S2 a batch; S1 then steps
	// down, becomes a follower of S3 in term 3, and has its uncommitted tail
	// overwritten.
	n, _ := leader(t, config(1, 5), raft.HardState{Term: 1}, mkLog(1))
	// S2 acknowledges the no-op, so S1 stops probing and sends proposals at once.
	step(n, raft.Message{Type: raft.MsgAppendResp, From: 2, To: 1, Term: 2, Success: true, MatchIndex: 2})
	n.Propose("a")
	n.Propose("b")
	rd := n.Ready()
	held := rd.Messages[len(rd.Messages)-1] // kept past Advance without copying
	saved := rd.Entries                     // likewise
	n.Advance()
	require.Equal(t, raft.Index(0), n.Status().CommitIndex)
	require.Equal(t, raft.NodeID(2), held.To)
	require.NotEmpty(t, held.Entries)
	want := append([]raft.Entry(nil), held.Entries...)
	wantSaved := append([]raft.Entry(nil), saved...)

	rd2 := step(n, appendReq(3, 1, 3, 1, 1, 0, raft.Entry{Term: 3, Index: 2, Data: "X"}, raft.Entry{Term: 3, Index: 3, Data: "Y"},
		raft.Entry{Term: 3, Index: 4, Data: "Z"}))
	require.True(t, rd2.hasNote(raft.EntriesTruncated))
	require.Equal(t, []raft.Term{1, 3, 3, 3}, termsOf(n.Entries()))
	assert.Equal(t, want, held.Entries, "a message in flight still carries what was sent")
	assert.Equal(t, wantSaved, saved)
}
