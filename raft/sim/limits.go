package sim

// Limits of the actions. The engine enforces each of them, and the
// JavaScript API takes its checks from the actions' Params, which name
// these same constants.
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

	// MaxScenarioBytes is the longest scenario text.
	MaxScenarioBytes = 1 << 20
	// MaxSetupActions is the most actions a scenario's setup holds.
	MaxSetupActions = 100000
	// MaxMarks is the most presenter marks a scenario holds, and
	// MaxMarkPosition the highest action count a mark can name.
	MaxMarks        = 100000
	MaxMarkPosition = 1000000
	// MaxLogLength is the most entries a server's log holds.
	MaxLogLength = 100000
)
