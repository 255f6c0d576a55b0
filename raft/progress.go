package raft

import "strconv"

// ProgressState says how a leader is replicating to one follower.
type ProgressState uint8

const (
	// ProgressProbe: the leader is still searching for the point where
	// the logs agree (§5.3) and sends one AppendEntries at a time.
	ProgressProbe ProgressState = iota
	// ProgressReplicate: the logs are known to agree through Match; the
	// leader sends new entries as they come and advances Next without
	// waiting (pipelining). §5.3 allows it: nextIndex is only a guess that
	// a rejection corrects.
	ProgressReplicate
	// ProgressSnapshot: the follower needs entries the leader has
	// compacted away; an InstallSnapshot is on its way (§7).
	ProgressSnapshot
)

var progressStateNames = [...]string{"probe", "replicate", "snapshot"}

func (s ProgressState) String() string {
	if int(s) < len(progressStateNames) {
		return progressStateNames[s]
	}
	return "ProgressState(" + strconv.Itoa(int(s)) + ")"
}

// Progress is what a leader knows of one follower's log.
type Progress struct {
	ID NodeID
	// Next is nextIndex: the index of the next entry to send (Figure 2).
	Next Index
	// Match is matchIndex: the highest index known to be replicated.
	Match Index
	// State says how the leader replicates to the follower.
	State ProgressState
	// Paused means a probe or a snapshot is outstanding; the next goes on
	// its reply or on a heartbeat.
	Paused bool
	// Active: the follower answered in this term since the last
	// check-quorum round (Config.CheckQuorum, dissertation §6.2).
	Active bool
	// AckedRound is the latest heartbeat round the follower answered
	// (Message.Context; ReadIndex and leases, dissertation §6.4).
	AckedRound uint64

	// A learner catching up before it may vote (dissertation §4.2.1): the
	// round number (-1: the leader gave up on it), the index the round
	// must reach, and when it started (leader ticks); CaughtUp once a
	// round took less than an election timeout.
	Round      int
	RoundEnd   Index
	RoundStart int
	CaughtUp   bool
}
