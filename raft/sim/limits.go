package sim

import "strconv"

// The limits of the simulator, each enforced by the engine. The
// JavaScript API takes its argument checks from the actions' Params,
// which name these same constants.
//
// Memory is bounded by design. A cluster keeps the last EventWindow
// events in a ring (older ones are dropped; EventCount still counts them,
// Replay gives them again), the last
// MaxHistory actions (older ones can no longer be undone: they are folded
// into the starting point of the history, and merged — consecutive
// advances and nexts — into the run that Run returns), and a checkpoint
// every CheckpointEvery actions of that history, so seeking restores the
// nearest checkpoint and replays at most CheckpointEvery-1 actions.
// Checkpoints share the servers' logs, which are never changed in place.
// An action that would break a limit while it runs (more than
// MaxEventsPerAction events, a log longer than MaxLogLength) is refused and
// changes nothing; a message sent while MaxInFlight are in flight is lost.
const (
	// MaxNext is the most events one "next N" runs.
	MaxNext = 100000
	// MaxAdvance is the longest advance of one action, in virtual
	// milliseconds: one hour.
	MaxAdvance = 3600000
	// MaxLatency is the longest message latency, in milliseconds.
	MaxLatency = 10000
	// MaxLoseTail is the most entries a restart can lose ("lose-tail N").
	MaxLoseTail = 1000000
	// MaxMessageID is the largest message id an action can name.
	MaxMessageID = 1<<31 - 1

	// MaxEventsPerAction is the most events one action may cause; one that
	// would cause more is refused ("advance less at a time"). It bounds the
	// work of one call; an hour of a busy cluster is more.
	MaxEventsPerAction = 500000
	// EventWindow is how many of the latest events a cluster keeps.
	EventWindow = 20000
	// MaxHistory is how many of the latest actions can be undone.
	MaxHistory = 1024
	// CheckpointEvery is how many actions lie between two checkpoints.
	CheckpointEvery = 32
	// MaxRunActions is the most actions (after merging) a run can be
	// described by; a longer run plays on but Run reports it cannot be
	// written out.
	MaxRunActions = 10000
	// MaxInFlight is the most messages in flight; the network loses a
	// message sent beyond it.
	MaxInFlight = 5000
	// MaxLogLength is the most entries a server's log holds.
	MaxLogLength = 100000
	// MaxViolations is the most safety violations a cluster records.
	MaxViolations = 1000

	// MaxScenarioBytes is the longest scenario text.
	MaxScenarioBytes = 1 << 20
	// MaxSetupActions is the most actions a scenario's setup holds.
	MaxSetupActions = 100000
	// MaxMarks is the most presenter marks a scenario holds, and
	// MaxMarkPosition the highest action count a mark can name.
	MaxMarks        = 100000
	MaxMarkPosition = 1000000
)

// LimitError is an action refused because it would break a limit.
type LimitError struct {
	Limit string // the constant's name, e.g. "MaxEventsPerAction"
	Value int    // its value
	What  string // what would have gone past it
}

func (e *LimitError) Error() string {
	return e.What + " (the limit is " + strconv.Itoa(e.Value) + ", sim." + e.Limit + "); nothing was changed"
}
