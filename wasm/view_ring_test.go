//go:build js && wasm

package main

import (
	"strings"
	"testing"

	"raftlab/raft"
	"raftlab/raft/sim"
	"raftlab/raft/words"
	"raftlab/wasm/draw"
)

// Every message type the core sends has a badge of its own words, and the
// vote family is drawn round.
func TestEveryMessageHasABadge(t *testing.T) {
	seen := map[string]raft.MsgType{}
	for typ := raft.MsgType(0); !strings.HasPrefix(typ.String(), "MsgType("); typ++ {
		for _, ok := range []bool{true, false} {
			m := sim.Message{Message: raft.Message{Type: typ, Success: ok}}
			label := msgLabel(&m, words.English.Say)
			if label == "" || strings.Contains(label, "msg.") || strings.Contains(label, "{") {
				t.Errorf("%s (success %v): badge %q", typ, ok, label)
			}
			if prev, dup := seen[label]; dup && prev != typ {
				t.Errorf("%s and %s share the badge %q", prev, typ, label)
			}
			seen[label] = typ
		}
	}
	for _, typ := range []raft.MsgType{raft.MsgVote, raft.MsgVoteResp, raft.MsgPreVote, raft.MsgPreVoteResp} {
		if !roundBadge(typ) {
			t.Errorf("%s is not drawn round", typ)
		}
	}
	if roundBadge(raft.MsgAppend) || roundBadge(raft.MsgSnap) {
		t.Error("AppendEntries or InstallSnapshot drawn round")
	}
	// InstallSnapshot is a kind of its own: a shape and a class of its own.
	for _, typ := range []raft.MsgType{raft.MsgSnap, raft.MsgSnapResp} {
		m := sim.Message{Message: raft.Message{Type: typ}}
		if msgShape(typ) != draw.ShapeSnapshot || !strings.Contains(msgClass(&m, false), "rl-snap") {
			t.Errorf("%s is not drawn as a snapshot", typ)
		}
	}
	if msgShape(raft.MsgAppend) == draw.ShapeSnapshot {
		t.Error("AppendEntries drawn as a snapshot")
	}
}
