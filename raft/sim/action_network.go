package sim

import (
	"errors"
	"slices"

	"raftlab/raft"
)

// Actions on the network: partition, cut and restore links, heal, set the
// drop rate and the latency.

var partitionAction = actionSpec{
	word: "partition", js: "partition",
	params: []Param{{Name: "groups", Kind: KindGroups}},
	build:  func(v []Value) Action { return Action{Groups: v[0].Groups} },
	values: func(a Action) []Value { return []Value{{Groups: a.Groups}} },
	apply: func(w *world, a Action) error {
		var seen [raft.MaxNodes + 1]bool
		for _, g := range a.Groups {
			for _, id := range g {
				if _, err := w.server(id); err != nil {
					return err
				}
				if seen[id] {
					return errors.New(id.String() + " is in two groups")
				}
				seen[id] = true
			}
		}
		w.net.setPartition(a.Groups, len(w.servers))
		w.emit(Event{Kind: EvNetwork, Network: &a})
		return nil
	},
	weight: 2, rank: 10,
	random: func(w *world, r *rng) (Action, bool) {
		n := len(w.servers)
		if n < 2 {
			return Action{}, false
		}
		if w.sc.Reads != ReadDefault && r.Intn(2) == 0 {
			if a, ok := isolateLeader(w, r); ok {
				return a, true
			}
		}
		var a, b []raft.NodeID
		for id := 1; id <= n; id++ {
			if r.Intn(2) == 0 {
				a = append(a, raft.NodeID(id))
			} else {
				b = append(b, raft.NodeID(id))
			}
		}
		if len(a) == 0 || len(b) == 0 {
			return Action{}, false
		}
		return Action{Op: OpPartition, Groups: [][]raft.NodeID{a, b}}, true
	},
}

// isolateLeader cuts a leader off in a minority, with a follower or not:
// with reads meant to be linearizable, the stale reads a checker can catch
// are a deposed leader's, once the majority has elected another.
func isolateLeader(w *world, r *rng) (Action, bool) {
	n := len(w.servers)
	for _, s := range w.servers {
		if s.node == nil || s.node.Role() != raft.Leader {
			continue
		}
		minority := []raft.NodeID{s.id}
		if n >= 5 && r.Intn(2) == 0 {
			minority = append(minority, raft.NodeID((int(s.id)+r.Intn(n-1))%n+1))
		}
		var rest []raft.NodeID
		for id := raft.NodeID(1); int(id) <= n; id++ {
			if !slices.Contains(minority, id) {
				rest = append(rest, id)
			}
		}
		return Action{Op: OpPartition, Groups: [][]raft.NodeID{minority, rest}}, true
	}
	return Action{}, false
}

var linkParams = []Param{{Name: "link", Kind: KindLink}}

func linkBuild(v []Value) Action {
	return Action{From: v[0].Link.From, To: v[0].Link.To, OneWay: v[0].Link.OneWay}
}
func linkValues(a Action) []Value {
	return []Value{{Link: Link{From: a.From, To: a.To, OneWay: a.OneWay}}}
}

// setLink cuts or restores a link.
func setLink(w *world, a Action, blocked bool) error {
	if _, err := w.server(a.From); err != nil {
		return err
	}
	if _, err := w.server(a.To); err != nil {
		return err
	}
	if a.From == a.To {
		return errors.New("a link joins two different servers")
	}
	w.net.blocked[a.From][a.To] = blocked
	if !a.OneWay {
		w.net.blocked[a.To][a.From] = blocked
	}
	w.emit(Event{Kind: EvNetwork, Network: &a})
	return nil
}

var cutAction = actionSpec{
	word: "cut", js: "cut", params: linkParams, build: linkBuild, values: linkValues,
	apply:  func(w *world, a Action) error { return setLink(w, a, true) },
	weight: 2, rank: 12,
	random: func(w *world, r *rng) (Action, bool) {
		n := len(w.servers)
		if n < 2 {
			return Action{}, false
		}
		from, to := raft.NodeID(r.Intn(n)+1), raft.NodeID(r.Intn(n)+1)
		if from == to {
			return Action{}, false
		}
		return Action{Op: OpCut, From: from, To: to, OneWay: r.Intn(2) == 0}, true
	},
}

var restoreAction = actionSpec{
	word: "restore", js: "restore", params: linkParams, build: linkBuild, values: linkValues,
	apply: func(w *world, a Action) error { return setLink(w, a, false) },
}

var healAction = actionSpec{
	word: "heal", js: "heal", build: noArgs, values: noValues,
	apply: func(w *world, a Action) error {
		w.net.heal()
		w.emit(Event{Kind: EvNetwork, Network: &a})
		return nil
	},
	weight: 3, rank: 11,
	random: func(w *world, r *rng) (Action, bool) { return Action{Op: OpHeal}, true },
}

var dropRateAction = actionSpec{
	word: "drop-rate", js: "dropRate",
	params: []Param{{Name: "percent", Kind: KindPercent, Min: 0, Max: 1000}},
	build:  func(v []Value) Action { return Action{PerMille: int(v[0].N)} },
	values: func(a Action) []Value { return []Value{{N: int64(a.PerMille)}} },
	apply: func(w *world, a Action) error {
		if a.PerMille < 0 || a.PerMille > 1000 {
			return errors.New("the drop rate is between 0 and 100 percent")
		}
		w.net.dropPerMille = a.PerMille
		w.emit(Event{Kind: EvNetwork, Network: &a})
		return nil
	},
}

var latencyAction = actionSpec{
	word: "latency", js: "latency",
	params: []Param{{Name: "latency", Kind: KindRange, Min: 0, Max: MaxLatency}},
	build:  func(v []Value) Action { return Action{LatencyMin: v[0].N, LatencyMax: v[0].M} },
	values: func(a Action) []Value { return []Value{{N: a.LatencyMin, M: a.LatencyMax}} },
	apply: func(w *world, a Action) error {
		if a.LatencyMin < 0 || a.LatencyMax < a.LatencyMin || a.LatencyMax > MaxLatency {
			return errors.New("latency needs 0 ≤ min ≤ max ≤ " + itoa(MaxLatency) + " ms")
		}
		w.net.latencyMin, w.net.latencyMax = a.LatencyMin, a.LatencyMax
		w.emit(Event{Kind: EvNetwork, Network: &a})
		return nil
	},
}
