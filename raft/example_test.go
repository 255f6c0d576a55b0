package raft_test

import (
	"fmt"

	"raftlab/raft"
)

// Example drives three servers by hand: S1's election timer fires, every
// message is delivered in order, S1 wins, and a command is committed. Each
// note prints as its reason code and numbers; raft/sim renders them as
// sentences from a words table.
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
	// S1: election-started term=1
	// S2: stepped-down peer=S1 term=1
	// S2: vote-granted peer=S1 term=1
	// S3: stepped-down peer=S1 term=1
	// S3: vote-granted peer=S1 term=1
	// S1: vote-received peer=S2 term=1 got=2 want=2
	// S1: became-leader term=1 got=2 want=3
	// S1: reply-ignored-role peer=S3 term=1
	// S2: append-accepted peer=S1 term=1 got=1
	// S3: append-accepted peer=S1 term=1 got=1
	// S1: commit-advanced term=1 got=1
	// S2: commit-advanced term=1 got=1
	// S2: append-accepted peer=S1 term=1 index=1 got=1 want=1
	// S3: commit-advanced term=1 got=1
	// S3: append-accepted peer=S1 term=1 index=1 got=1 want=1
	// S1: commit-advanced term=1 got=2 want=1
	// S1: apply entry 2 "x=3"
	// S2: commit-advanced term=1 got=2 want=1
	// S2: append-accepted peer=S1 term=1 index=2 want=2
	// S2: apply entry 2 "x=3"
	// S3: commit-advanced term=1 got=2 want=1
	// S3: append-accepted peer=S1 term=1 index=2 want=2
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
	// S1: config-learner-added peer=S4 term=1 index=2 got=3
	// S1: learner-caught-up peer=S4 term=1 index=2 got=1
	// S1: config-voter-added peer=S4 term=1 index=3 got=4
	// S1 uses voters S1 S2 S3 S4
	// S2 uses voters S1 S2 S3 S4
	// S3 uses voters S1 S2 S3 S4
	// S4 uses voters S1 S2 S3 S4
}
