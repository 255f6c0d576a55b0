package sim

import "strconv"

// The words of an explanation (explain.go), in one language.

// SwitchRule says what the rule a switch turns off says when it is on.
func (wd *Words) SwitchRule(s Switch) string { return wd.t.Get("switch." + s.Name) }

// RuleUseText says what the switched-off rule decided at a use, and what
// the rule would have decided.
func (wd *Words) RuleUseText(u RuleUse) []string {
	if u.Silent {
		return []string{wd.t.Say("explain.use.silent", "node", wd.node(u.Node),
			"got", strconv.Itoa(u.Elapsed), "safe", strconv.Itoa(u.SafeElapsed))}
	}
	var lines []string
	if u.Event.Seq >= 0 {
		lines = append(lines, wd.t.Say("explain.use", "got", wd.Text(u.Event)))
	}
	if u.Safe.Seq >= 0 {
		lines = append(lines, wd.t.Say("explain.use.safe", "safe", wd.Text(u.Safe)))
	}
	if u.Decisive {
		lines = append(lines, wd.t.Get("explain.decisive"))
	}
	return lines
}

// NoReturnText says what the point of no return means.
func (wd *Words) NoReturnText(p Property) string {
	return wd.t.Say("explain.no-return", "property", wd.Property(p),
		"futures", strconv.Itoa(NoReturnFutures), "millis", strconv.Itoa(NoReturnMillis))
}

// BrokeText says the run breaks p.
func (wd *Words) BrokeText(p Property) string {
	return wd.t.Say("explain.broke", "property", wd.Property(p))
}
