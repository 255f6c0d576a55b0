package sim

import (
	"strings"

	"raftlab/raft"
)

// HostRules are rules of Figure 2 that the program running a Raft server
// keeps, not the server's algorithm: the core hands out what to store, send
// and apply (raft.Ready), and its host — here the simulator — does it. The
// zero value keeps both; each field switches one off, for teaching, the way
// a host most often gets it wrong.
type HostRules struct {
	// PersistAfterSend sends a Ready's messages before it stores its
	// HardState and entries, where Figure 2 stores them first ("updated on
	// stable storage before responding to RPCs"). The write lands at the
	// server's next step; a crash before then loses it: a vote granted and
	// forgotten (Election Safety), entries acknowledged and lost (Leader
	// Completeness).
	PersistAfterSend bool
	// ApplyOutOfOrder applies a batch of newly committed entries last
	// first, where Figure 2 (Rules for Servers, All Servers 1) applies
	// log[lastApplied+1] next: each state machine sees the commands in a
	// different order (state machine order).
	ApplyOutOfOrder bool
}

// Switch is one rule a scenario can switch off ("unsafe: NAME"): a field
// of raft.UnsafeRules, or of HostRules for the two rules the simulator
// keeps as the host.
type Switch struct {
	Name    string // in scenario text and raftsim -unsafe: "commit-earlier-terms"
	Field   string // the field of raft.UnsafeRules or HostRules: "CommitEarlierTerms"
	Section string // where the paper, or Ongaro's dissertation, states the rule
	Host    bool   // a HostRules field
	core    func(*raft.UnsafeRules) *bool
	host    func(*HostRules) *bool
}

// switches is every switch, in the order scenario text writes them.
var switches = [...]Switch{
	coreSwitch("commit-earlier-terms", "CommitEarlierTerms", "§5.4.2", func(u *raft.UnsafeRules) *bool { return &u.CommitEarlierTerms }),
	coreSwitch("skip-up-to-date-check", "SkipUpToDateCheck", "§5.4.1", func(u *raft.UnsafeRules) *bool { return &u.SkipUpToDateCheck }),
	coreSwitch("forget-vote", "ForgetVote", "Figure 2", func(u *raft.UnsafeRules) *bool { return &u.ForgetVote }),
	coreSwitch("config-change-before-term-commit", "ConfigChangeBeforeTermCommit", "dissertation §4.1",
		func(u *raft.UnsafeRules) *bool { return &u.ConfigChangeBeforeTermCommit }),
	coreSwitch("reset-timer-on-any-vote", "ResetTimerOnAnyVote", "§5.2", func(u *raft.UnsafeRules) *bool { return &u.ResetTimerOnAnyVote }),
	coreSwitch("skip-commit-min", "SkipCommitMin", "Figure 2", func(u *raft.UnsafeRules) *bool { return &u.SkipCommitMin }),
	coreSwitch("truncate-on-every-append", "TruncateOnEveryAppend", "Figure 2", func(u *raft.UnsafeRules) *bool { return &u.TruncateOnEveryAppend }),
	coreSwitch("accept-stale-replies", "AcceptStaleReplies", "§5.1", func(u *raft.UnsafeRules) *bool { return &u.AcceptStaleReplies }),
	coreSwitch("back-off-on-stale-rejection", "BackOffOnStaleRejection", "§5.3",
		func(u *raft.UnsafeRules) *bool { return &u.BackOffOnStaleRejection }),
	coreSwitch("reapply-last-applied", "ReapplyLastApplied", "Figure 2", func(u *raft.UnsafeRules) *bool { return &u.ReapplyLastApplied }),
	coreSwitch("concurrent-config-changes", "ConcurrentConfigChanges", "dissertation §4.1",
		func(u *raft.UnsafeRules) *bool { return &u.ConcurrentConfigChanges }),
	coreSwitch("read-index-without-round", "ReadIndexWithoutRound", "dissertation §6.4",
		func(u *raft.UnsafeRules) *bool { return &u.ReadIndexWithoutRound }),
	coreSwitch("read-before-term-commit", "ReadBeforeTermCommit", "dissertation §6.4",
		func(u *raft.UnsafeRules) *bool { return &u.ReadBeforeTermCommit }),
	coreSwitch("lease-read-without-lease", "LeaseReadWithoutLease", "dissertation §6.4.1",
		func(u *raft.UnsafeRules) *bool { return &u.LeaseReadWithoutLease }),
	hostSwitch("persist-after-send", "PersistAfterSend", "Figure 2", func(h *HostRules) *bool { return &h.PersistAfterSend }),
	hostSwitch("apply-out-of-order", "ApplyOutOfOrder", "Figure 2", func(h *HostRules) *bool { return &h.ApplyOutOfOrder }),
}

func coreSwitch(name, field, section string, f func(*raft.UnsafeRules) *bool) Switch {
	return Switch{Name: name, Field: field, Section: section, core: f}
}

func hostSwitch(name, field, section string, f func(*HostRules) *bool) Switch {
	return Switch{Name: name, Field: field, Section: section, Host: true, host: f}
}

// Switches lists every switch.
func Switches() []Switch { return switches[:] }

// SwitchNamed finds a switch by its name ("commit-earlier-terms") or its
// field ("CommitEarlierTerms"), in any case.
func SwitchNamed(name string) (Switch, bool) {
	for _, s := range switches {
		if strings.EqualFold(s.Name, name) || strings.EqualFold(s.Field, name) {
			return s, true
		}
	}
	return Switch{}, false
}

// SwitchNames lists every switch's name, in order.
func SwitchNames() []string {
	out := make([]string, len(switches))
	for i, s := range switches {
		out[i] = s.Name
	}
	return out
}

// Set switches the rule off (on: true) or back on in sc.
func (s Switch) Set(sc *Scenario, on bool) {
	if s.Host {
		*s.host(&sc.UnsafeHost) = on
	} else {
		*s.core(&sc.Unsafe) = on
	}
}

// In reports whether sc switches the rule off.
func (s Switch) In(sc Scenario) bool {
	if s.Host {
		return *s.host(&sc.UnsafeHost)
	}
	return *s.core(&sc.Unsafe)
}

// SwitchesIn lists the switches sc turns on (the rules it switches off).
func SwitchesIn(sc Scenario) []Switch {
	var out []Switch
	for _, s := range switches {
		if s.In(sc) {
			out = append(out, s)
		}
	}
	return out
}
