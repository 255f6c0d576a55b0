package sim

import (
	"strings"

	"raftlab/raft/sim/lex"
)

// The scenario keys of Raft in practice: the switches (pre-vote: on),
// the way reads are served (reads: read-index), the clock drift a lease
// allows for (drift-bound: 10%) and a server's own drift (server S1:
// drift -30%).

// switchKey reads "on" or "off" into a switch.
func switchKey(field func(*Scenario) *bool) func(*scenarioParser, int, string, string) string {
	return func(p *scenarioParser, _ int, _, v string) string {
		switch strings.ToLower(v) {
		case "on":
			*field(&p.sc) = true
		case "off":
			*field(&p.sc) = false
		default:
			return `expected "on" or "off", got ` + lex.Got(v)
		}
		return ""
	}
}

func readsKey(p *scenarioParser, _ int, _, v string) string {
	path, ok := ReadPathByName(v)
	if !ok || path == ReadDefault {
		return "expected " + readPathList() + ", got " + lex.Got(v)
	}
	p.sc.Reads = path
	if path == ReadLocal {
		p.sc.Reads = ReadDefault // a scenario's default: written by no key
	}
	return ""
}

// MaxDrift bounds a server's clock drift, per mille: a clock may run up
// to twice as fast as real time, or down to a tenth of it.
const (
	MaxDrift = 1000
	MinDrift = -900
)

// readDrift reads a server's drift: "+20%" (fast) or "-20%" (slow).
func readDrift(w string) (int, string) {
	sign := 0
	switch {
	case strings.HasPrefix(w, "+"):
		sign = 1
	case strings.HasPrefix(w, "-"):
		sign = -1
	default:
		return 0, `expected how much faster or slower the clock runs, like "+20%" or "-20%", got ` + lex.Got(w)
	}
	pm, msg := lex.PerMille(w[1:])
	d := sign * int(pm)
	switch {
	case msg != "":
		return 0, msg
	case d > MaxDrift || d < MinDrift:
		return 0, "a clock runs at most " + lex.FormatPerMille(MaxDrift) + "% fast or " +
			lex.FormatPerMille(-MinDrift) + "% slow, got " + lex.Got(w)
	}
	return d, ""
}

func formatDrift(d int) string {
	if d < 0 {
		return "-" + lex.FormatPerMille(int64(-d)) + "%"
	}
	return "+" + lex.FormatPerMille(int64(d)) + "%"
}

// formatSwitches writes the keys above that differ from scenario text's
// defaults.
func formatSwitches(s Scenario, kv func(key, value string)) {
	for _, sw := range [...]struct {
		key string
		on  bool
	}{{"pre-vote", s.PreVote}, {"check-quorum", s.CheckQuorum}, {"sticky-leader", s.StickyLeader},
		{"announce-commit", s.AnnounceCommit}} {
		if sw.on {
			kv(sw.key, "on")
		}
	}
	if s.Reads > ReadLocal {
		kv("reads", s.Reads.String())
	}
	if s.DriftBound != 0 {
		kv("drift-bound", lex.FormatPerMille(int64(s.DriftBound))+"%")
	}
}
