package sim

import (
	"errors"

	"raftlab/raft"
)

// Actions on servers: fire a timer, crash, restart.

var serverParam = Param{Name: "node", Kind: KindServer}

// notWithLeases keeps timers fired by hand, crashes and restarts out of
// lease schedules (RandomOptions.Leases): each lets a server stand or vote
// within an election timeout of a leader's heartbeat, which a lease
// cannot survive.
func notWithLeases(opt *RandomOptions) bool { return !opt.Leases }

func nodeBuild(v []Value) Action  { return Action{Node: v[0].Node} }
func nodeValues(a Action) []Value { return []Value{{Node: a.Node}} }

var timeoutAction = actionSpec{
	word: "timeout", js: "timeout", params: []Param{serverParam},
	build: nodeBuild, values: nodeValues,
	apply: func(w *world, a Action) error {
		s, err := w.running(a.Node)
		if err != nil {
			return err
		}
		w.emit(Event{Kind: EvTimeout, Node: s.id})
		s.node.FireTimeout()
		w.handle(s)
		return nil
	},
	weight: 3, rank: 7,
	randomIf: notWithLeases,
	random: func(w *world, r *rng) (Action, bool) {
		up, _ := w.upDown()
		if len(up) == 0 {
			return Action{}, false
		}
		return Action{Op: OpTimeout, Node: up[r.Intn(len(up))]}, true
	},
}

var crashAction = actionSpec{
	word: "crash", js: "crash", params: []Param{serverParam},
	build: nodeBuild, values: nodeValues,
	apply: func(w *world, a Action) error {
		s, err := w.running(a.Node)
		if err != nil {
			return err
		}
		w.crash(s)
		return nil
	},
	weight: 3, rank: 8,
	randomIf: notWithLeases,
	random: func(w *world, r *rng) (Action, bool) {
		// Keep a majority up most of the time so that progress is possible.
		up, _ := w.upDown()
		if len(up) <= len(w.servers)/2+1 && r.Intn(4) > 0 || len(up) == 0 {
			return Action{}, false
		}
		return Action{Op: OpCrash, Node: up[r.Intn(len(up))]}, true
	},
}

var restartAction = actionSpec{
	word: "restart", js: "restart",
	params: []Param{serverParam, {Name: "amnesia", Kind: KindAmnesia, Min: 1, Max: MaxLoseTail}},
	build: func(v []Value) Action {
		return Action{Node: v[0].Node, Amnesia: v[1].Amnesia, LoseTail: int(v[1].N)}
	},
	values: func(a Action) []Value {
		return []Value{{Node: a.Node}, {Amnesia: a.Amnesia, N: int64(a.LoseTail)}}
	},
	apply: func(w *world, a Action) error {
		s, err := w.server(a.Node)
		if err != nil {
			return err
		}
		if a.Amnesia == AmnesiaLogTail && (a.LoseTail < 1 || a.LoseTail > len(s.disk.log)) {
			return errors.New(s.id.String() + " has " + itoa(len(s.disk.log)) + " entries on disk; cannot lose " + itoa(a.LoseTail))
		}
		if s.node != nil {
			w.crash(s)
		}
		switch a.Amnesia {
		case AmnesiaVote:
			s.disk.hs.VotedFor = raft.None
		case AmnesiaLogTail:
			s.disk.loseTail(a.LoseTail)
		}
		return w.start(s, a.Amnesia)
	},
	weight: 5, rank: 9,
	randomIf: notWithLeases,
	random: func(w *world, r *rng) (Action, bool) {
		_, down := w.upDown()
		if len(down) == 0 {
			return Action{}, false
		}
		return Action{Op: OpRestart, Node: down[r.Intn(len(down))]}, true
	},
}
