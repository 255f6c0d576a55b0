package raft_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// With EmptyHeartbeats a leader's heartbeat is Figure 2's empty
// AppendEntries: no entries, prevLogIndex nextIndex-1, its commitIndex;
// without it, a heartbeat carries the entries from nextIndex.
func TestEmptyHeartbeats(t *testing.T) {
	for _, empty := range []bool{false, true} {
		c := config(1, 3)
		c.EmptyHeartbeats = empty
		l, _ := leader(t, c, raft.HardState{Term: 1}, mkLog(1, 1))
		drain(l)
		l.FireTimeout() // a leader's timer sends heartbeats
		rd := drain(l)
		require.Len(t, rd.Messages, 2)
		for _, m := range rd.Messages {
			require.Equal(t, raft.MsgAppend, m.Type)
			if empty {
				assert.Empty(t, m.Entries, "Figure 2's heartbeat carries no entries")
				assert.Equal(t, nextIndex(l, m.To)-1, m.PrevLogIndex, "at nextIndex-1")
			} else {
				assert.Equal(t, raft.Index(len(m.Entries))+m.PrevLogIndex, l.LastIndex(), "the entries from nextIndex")
			}
		}
	}
}

// nextIndex is what leader l holds as id's nextIndex.
func nextIndex(l *raft.Node, id raft.NodeID) raft.Index {
	for _, pr := range l.Status().Progress {
		if pr.ID == id {
			return pr.Next
		}
	}
	return 0
}
