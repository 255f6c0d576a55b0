package raft_test

import (
	"fmt"

	"raftlab/raft"
)

// Example drives three servers by hand: S1's election timer fires, every
// message is delivered in order, S1 wins, and a command is committed.
func Example() {
	ids := []raft.NodeID{1, 2, 3}
	nodes := map[raft.NodeID]*raft.Node{}
	storage := map[raft.NodeID]*raft.MemoryStorage{}
	for _, id := range ids {
		n, err := raft.New(raft.Config{ID: id, Peers: ids,
			ElectionTimeoutMin: 10, ElectionTimeoutMax: 20, HeartbeatTicks: 3})
		if err != nil {
			panic(err)
		}
		nodes[id], storage[id] = n, &raft.MemoryStorage{}
	}

	var inFlight []raft.Message
	// handle does what a Ready asks, in order: persist, send, apply.
	handle := func(id raft.NodeID) {
		n := nodes[id]
		rd := n.Ready()
		storage[id].Save(rd)
		for _, why := range rd.Notes {
			if why.Code != raft.HeartbeatSent {
				fmt.Printf("%v: %v\n", id, why)
			}
		}
		inFlight = append(inFlight, rd.Messages...)
		for _, e := range rd.CommittedEntries {
			if e.Kind == raft.EntryCommand {
				fmt.Printf("%v: apply entry %d %q\n", id, e.Index, e.Data)
			}
		}
		n.Advance()
	}
	deliverAll := func() {
		for len(inFlight) > 0 {
			m := inFlight[0]
			inFlight = inFlight[1:]
			nodes[m.To].Step(m)
			handle(m.To)
		}
	}

	nodes[1].FireTimeout()
	handle(1)
	deliverAll()

	nodes[1].Propose("x=3")
	handle(1)
	deliverAll()

	nodes[1].FireTimeout() // the leader's heartbeat carries the new commit index
	handle(1)
	deliverAll()

	// Output:
	// S1: election timeout: start election for term 1
	// S2: saw term 1 from S1 (was 0): adopt it, become follower
	// S2: granted vote to S1 for term 1
	// S3: saw term 1 from S1 (was 0): adopt it, become follower
	// S3: granted vote to S1 for term 1
	// S1: vote from S2 for term 1: has 2, needs 2
	// S1: won election for term 1 with 2 of 3 votes
	// S1: ignore reply from S3: no longer waiting for one
	// S2: log matches at prevLogIndex 0; appended 1 entries, commitIndex 0
	// S3: log matches at prevLogIndex 0; appended 1 entries, commitIndex 0
	// S1: commitIndex 0 → 1
	// S2: commitIndex 0 → 1
	// S2: log matches at prevLogIndex 1; appended 1 entries, commitIndex 1
	// S3: commitIndex 0 → 1
	// S3: log matches at prevLogIndex 1; appended 1 entries, commitIndex 1
	// S1: commitIndex 1 → 2
	// S1: apply entry 2 "x=3"
	// S2: commitIndex 1 → 2
	// S2: log matches at prevLogIndex 2; appended 0 entries, commitIndex 2
	// S2: apply entry 2 "x=3"
	// S3: commitIndex 1 → 2
	// S3: log matches at prevLogIndex 2; appended 0 entries, commitIndex 2
	// S3: apply entry 2 "x=3"
}

// ExampleNode_AddServer grows a three-server cluster by a fourth server,
// S4, started outside the configuration: the leader first adds it as a
// learner, replicates its log to it, and makes it a voter once it has
// caught up (dissertation §4.2.1).
func ExampleNode_AddServer() {
	nodes := map[raft.NodeID]*raft.Node{}
	for _, id := range []raft.NodeID{1, 2, 3, 4} {
		// Every server starts from the same configuration, S1-S3.
		n, err := raft.New(raft.Config{ID: id, Peers: []raft.NodeID{1, 2, 3},
			ElectionTimeoutMin: 10, ElectionTimeoutMax: 10, HeartbeatTicks: 3, AnnounceCommit: true})
		if err != nil {
			panic(err)
		}
		nodes[id] = n
	}
	var inFlight []raft.Message
	handle := func(id raft.NodeID) {
		n := nodes[id]
		rd := n.Ready()
		if id == 1 {
			for _, why := range rd.Notes {
				switch why.Code {
				case raft.ConfigLearnerAdded, raft.LearnerCaughtUp, raft.ConfigVoterAdded:
					fmt.Printf("%v: %v\n", id, why)
				}
			}
		}
		inFlight = append(inFlight, rd.Messages...)
		n.Advance()
	}
	deliverAll := func() {
		for len(inFlight) > 0 {
			m := inFlight[0]
			inFlight = inFlight[1:]
			nodes[m.To].Step(m)
			handle(m.To)
		}
	}
	nodes[1].FireTimeout()
	handle(1)
	deliverAll()

	if _, err := nodes[1].AddServer(4); err != nil {
		panic(err)
	}
	handle(1)
	deliverAll()
	for _, id := range []raft.NodeID{1, 2, 3, 4} {
		fmt.Printf("%v uses %v\n", id, nodes[id].Membership())
	}
	// Output:
	// S1: use the configuration of entry 2: S4 joins as a learner, without a vote, to catch up
	// S1: S4 caught up: round 1 reached index 2 in 0 ticks, less than an election timeout
	// S1: use the configuration of entry 3: S4 votes; 4 voters
	// S1 uses voters S1 S2 S3 S4
	// S2 uses voters S1 S2 S3 S4
	// S3 uses voters S1 S2 S3 S4
	// S4 uses voters S1 S2 S3 S4
}
