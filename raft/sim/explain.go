package sim

import (
	"slices"

	"raftlab/raft"
)

// Explaining a run that breaks a property with a rule switched off: where
// the switched-off rule was used, which of those uses the break needed,
// and from which step on the break could no longer be avoided.
//
// A use of the rule is a step at which the run differs from what the
// servers would have done with the rule on: before each action, the world
// is copied with every rule on (raft.Node.CloneWithRules), the action
// plays in both, and the first event in which the two differ is the
// decision the rule changed — a commit the rule forbids, a vote it
// refuses, a write it would have stored first. A use is decisive when the
// run, with the rule on for that one action and off again after it, breaks
// nothing: the break needed that use.
//
// The point of no return is defined by the futures tried: after it, the
// cluster left alone — the network healed, no message lost, timers
// running, each future drawing its own timeouts and latencies, the crashed
// servers staying down in half the futures and restarting in the others —
// breaks the property in every one of NoReturnFutures futures of up to
// NoReturnMillis of virtual time, and so after every later step. It says
// that nothing short of a new fault avoids the break; it is bounded
// exploration, not a proof over every future.

// NoReturnFutures and NoReturnMillis bound the futures tried from each
// step.
const (
	NoReturnFutures = 8
	NoReturnMillis  = 3000
)

// RuleUse is a step at which a switched-off rule changed a decision.
type RuleUse struct {
	Action int         // index of the action, in the run
	Node   raft.NodeID // the server whose decision the rule changed
	// Event is the first event of the run that differs from the rule-on
	// copy's, and Safe the event the copy had there (Seq -1: none). A
	// decision that shows in no event (a timer restarted) is Silent: Event
	// is the last event of the server it changed, whose election timer
	// had run Elapsed ticks, and SafeElapsed in the copy.
	Event       Event
	Safe        Event
	Silent      bool
	Elapsed     int
	SafeElapsed int
	Decisive    bool
}

// Explanation explains a run that breaks Property.
type Explanation struct {
	Property Property
	// Violation is the first violation of Property; Broke the index of
	// the action that caused it.
	Violation Violation
	Broke     int
	Uses      []RuleUse
	// NoReturn is the history position (actions in effect) from which
	// every future tried breaks the property: the step that led there is
	// action NoReturn-1 (NoReturn 0: the start).
	NoReturn int
}

// maxUses bounds the uses an explanation lists: the latest ones.
const maxUses = 16

func (ex *Explanation) addUse(u RuleUse) {
	if len(ex.Uses) == maxUses {
		ex.Uses = append(ex.Uses[:0], ex.Uses[1:]...)
	}
	ex.Uses = append(ex.Uses, u)
}

// timerDifference finds a server whose election timer differs between the
// run and its rule-on copy, with the ticks each has run.
func timerDifference(w, shadow *world) (raft.NodeID, int, int, bool) {
	for i, s := range w.servers {
		o := shadow.servers[i]
		if s.node == nil || o.node == nil {
			continue
		}
		a, b := s.node.Status(), o.node.Status()
		if a.ElectionElapsed != b.ElectionElapsed || a.ElectionTimeout != b.ElectionTimeout {
			return s.id, a.ElectionElapsed, b.ElectionElapsed, true
		}
	}
	return 0, 0, 0, false
}

// Explain explains how (sc, run) breaks prop. It fails when the run does
// not break it.
func Explain(sc Scenario, run []Action, prop Property) (Explanation, bool) {
	ex := Explanation{Property: prop, Broke: -1}
	w, err := newWorld(&sc)
	if err != nil || w.setup() != nil {
		return ex, false
	}
	for i, a := range run {
		shadow := w.ruleOn()
		shadow.out = newEventLog()
		shadow.out.truncate(shadow.seq)
		start := w.seq
		seen := len(w.violations)
		w.action = i
		if w.apply(a) != nil {
			return ex, false // the run must play as it was recorded
		}
		{
			shadow.action = i
			_ = shadow.apply(a)
			got, safe := decisions(w.out.from(start)), decisions(shadow.out.from(start))
			if k, ok := firstDifference(got, safe); ok {
				use := RuleUse{Action: i, Event: eventAt(got, k), Safe: eventAt(safe, k)}
				use.Node = use.Event.Node
				if use.Event.Seq < 0 {
					use.Node = use.Safe.Node
				}
				ex.addUse(use)
			} else if id, a, b, ok := timerDifference(w, shadow); ok {
				use := RuleUse{Action: i, Node: id, Event: Event{Seq: -1}, Safe: Event{Seq: -1}, Silent: true, Elapsed: a, SafeElapsed: b}
				for _, e := range got {
					if e.Node == id {
						use.Event = e
					}
				}
				ex.addUse(use)
			}
		}
		for _, v := range w.violations[seen:] {
			if v.Property == prop {
				ex.Violation, ex.Broke = v, i
				break
			}
		}
		if ex.Broke >= 0 {
			break
		}
	}
	if ex.Broke < 0 {
		return ex, false
	}
	run = run[:ex.Broke+1]
	for i := range ex.Uses {
		ex.Uses[i].Decisive = !breaksWithRuleOnAt(sc, run, ex.Uses[i].Action, prop)
	}
	ex.NoReturn = noReturn(sc, run, prop)
	return ex, true
}

// decisions leaves out the checker's reports: what the servers did.
func decisions(events []Event) []Event {
	out := events[:0]
	for _, e := range events {
		if e.Kind != EvViolation {
			out = append(out, e)
		}
	}
	return out
}

// Clarify explains run and, where the switched-off rule was used inside an
// action of many steps (a flush, a "next N"), replaces that action by the
// single deliveries or steps it took, so that the decision the rule
// changed has a step of its own; then it explains again. It returns the
// clearer run (as long as it breaks prop the same) and its explanation.
func Clarify(sc Scenario, run []Action, prop Property) ([]Action, Explanation, bool) {
	ex, ok := Explain(sc, run, prop)
	for round := 0; ok && round < 4; round++ {
		i := -1
		for _, u := range ex.Uses {
			if a := run[u.Action]; a.Op == OpFlush || a.Op == OpNext && a.Steps > 1 || a.Op == OpAdvance && sc.FrozenTimers {
				i = u.Action
				break
			}
		}
		if i < 0 {
			break
		}
		steps, good := expand(sc, run, i)
		if !good {
			break
		}
		clearer := slices.Concat(run[:i], steps, run[i+1:])
		cex, cok := Explain(sc, clearer, prop)
		if !cok {
			break
		}
		run, ex = clearer[:cex.Broke+1], cex
	}
	return run, ex, ok
}

// expand returns the single steps action i of run takes: for a flush, a
// delivery of the earliest message at a time, named by sender, receiver
// and type; for "next N", N nexts; for an advance while the timers are
// frozen, the deliveries of the messages due, then the rest of the time.
func expand(sc Scenario, run []Action, i int) ([]Action, bool) {
	a := run[i]
	if a.Op == OpNext {
		return slices.Repeat([]Action{{Op: OpNext}}, a.Steps), true
	}
	w, err := newWorldOf(&sc, true)
	if err != nil || w.setup() != nil {
		return nil, false
	}
	for _, b := range run[:i] {
		_ = w.apply(b)
	}
	if w.frozen != sc.FrozenTimers {
		return nil, false // the run unfroze the timers: an advance runs them
	}
	end := w.now + a.Millis
	due := func() bool {
		if a.Op != OpAdvance {
			return w.net.len() > 0
		}
		t, ok := w.net.firstArrival()
		return ok && t <= end
	}
	var out []Action
	for k := 0; k < maxFlush && due(); k++ {
		m := w.net.at(0)
		d := Action{Op: OpDeliver, Msg: MsgSelector{From: m.From, To: m.To, Type: m.Type}}
		if w.net.find(d.Msg) != 0 {
			d.Msg = MsgSelector{ID: m.ID}
		}
		if w.apply(d) != nil {
			return nil, false
		}
		out = append(out, d)
	}
	if a.Op == OpAdvance && end > w.now {
		out = append(out, Action{Op: OpAdvance, Millis: end - w.now})
	}
	return out, len(out) > 0
}

// eventAt is events[k], or a zero event when the other copy had more.
func eventAt(events []Event, k int) Event {
	if k < len(events) {
		return events[k]
	}
	return Event{Seq: -1}
}

// firstDifference finds the first event in which two copies' events of one
// action differ.
func firstDifference(a, b []Event) (int, bool) {
	for k := 0; k < len(a) || k < len(b); k++ {
		if k >= len(a) || k >= len(b) || English.Text(a[k]) != English.Text(b[k]) {
			return k, true
		}
	}
	return 0, false
}

// ruleOn copies w with every rule switched back on.
func (w *world) ruleOn() *world {
	c := w.clone()
	sc := *w.sc
	sc.Unsafe, sc.UnsafeHost = raft.UnsafeRules{}, HostRules{}
	c.sc = &sc
	for _, s := range c.servers {
		if s.node != nil {
			s.node = s.node.CloneWithRules(worldRand{c}, raft.UnsafeRules{})
		}
	}
	return c
}

// ruleOff copies w with the scenario's rules switched off again.
func (w *world) ruleOff(sc *Scenario) *world {
	c := w.clone()
	c.sc = sc
	for _, s := range c.servers {
		if s.node != nil {
			s.node = s.node.CloneWithRules(worldRand{c}, sc.Unsafe)
		}
	}
	return c
}

// breaksWithRuleOnAt replays run with the rules on for action at alone,
// and reports whether it still breaks prop (actions the changed run
// refuses are left out).
func breaksWithRuleOnAt(sc Scenario, run []Action, at int, prop Property) bool {
	w, err := newWorldOf(&sc, true)
	if err != nil || w.setup() != nil {
		return true
	}
	for i, a := range run {
		if i == at {
			on := w.ruleOn()
			_ = on.apply(a)
			w = on.ruleOff(&sc)
			if len(w.violations) > 0 && hasProperty(w.violations, prop) {
				return true
			}
			continue
		}
		seen := len(w.violations)
		if w.apply(a) == nil && hasProperty(w.violations[seen:], prop) {
			return true
		}
	}
	return false
}

func hasProperty(vs []Violation, p Property) bool {
	for _, v := range vs {
		if v.Property == p {
			return true
		}
	}
	return false
}

// noReturn walks back from the break and returns the earliest position
// from which every future tried breaks prop.
func noReturn(sc Scenario, run []Action, prop Property) int {
	w, err := newWorldOf(&sc, true)
	if err != nil || w.setup() != nil {
		return len(run)
	}
	states := []*world{w.clone()}
	for _, a := range run[:len(run)-1] {
		_ = w.apply(a)
		states = append(states, w.clone())
	}
	k := len(run) // after the last action the property is broken already
	for ; k > 0; k-- {
		if !everyFutureBreaks(states[k-1], prop, int64(k)) {
			break
		}
	}
	return k
}

// everyFutureBreaks reports whether every future tried from w breaks prop.
func everyFutureBreaks(w *world, prop Property, salt int64) bool {
	for f := range NoReturnFutures {
		fw := w.clone()
		fw.rng = newRNG(salt<<8 ^ int64(f) ^ 0x0f07)
		seen := len(fw.violations)
		fw.net.heal()
		fw.net.dropPerMille = 0
		fw.frozen = false
		if f%2 == 1 {
			for _, s := range fw.servers {
				if s.node == nil {
					_ = fw.start(s, AmnesiaNone)
				}
			}
		}
		broke := false
		for t := 0; t < NoReturnMillis && !broke; t += 100 {
			fw.advance(100)
			broke = hasProperty(fw.violations[seen:], prop)
		}
		if !broke {
			return false
		}
	}
	return true
}
