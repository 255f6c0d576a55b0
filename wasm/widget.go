//go:build js && wasm

package main

// A widget is one cluster of the page: the simulator's Cluster, the JS
// handle that drives it, its subscribers and (unless headless) its view.
// It holds no Raft logic: every change is a sim.Action, or a move in the
// simulator's history.

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"syscall/js"

	"raftlab/raft"
	"raftlab/raft/sim"
)

// Speeds are virtual milliseconds per real millisecond.
const (
	minSpeed     = 0.005
	maxSpeed     = 5
	defaultSpeed = 0.05
)

type widget struct {
	c  *sim.Cluster
	sc sim.Scenario

	handle js.Value
	ex     *exports

	eventSubs  []js.Value
	changeSubs []js.Value
	emitted    int // events handed to "event" subscribers

	version int // bumps on every change of the cluster
	view    *view
	playing bool
	speed   float64
	dead    bool

	goalWatches []*goalWatch // goal lists asked for through goals()
}

// options are what raftlab.create reads.
type options struct {
	scenario string
	nodes    int // 0: the scenario's
	seed     int64
	hasSeed  bool
	actions  string
	controls bool
	large    bool
	title    string
	fallback bool
	play     bool
	speed    float64
	notes    []string // options that could not be used (with fallback)
}

func readOptions(c *Call) options {
	o := c.Options(1, "options")
	var notes []string
	if o.Bool("fallback", false) {
		o = o.Lenient(&notes) // a page address must not stop the page
	}
	opt := options{
		scenario: o.String("scenario", ""),
		nodes:    o.Int("nodes", 0, 1, raft.MaxNodes),
		actions:  o.String("actions", ""),
		controls: o.Bool("controls", true),
		large:    o.Bool("large", false),
		title:    o.String("title", ""),
		fallback: o.Bool("fallback", false),
		play:     o.Bool("play", false),
		speed:    o.Float("speed", defaultSpeed, minSpeed, maxSpeed),
	}
	if o.Has("seed") {
		opt.seed, opt.hasSeed = int64(o.Int("seed", 0, -(1<<53-1), 1<<53-1)), true
	}
	opt.notes = notes
	return opt
}

// build makes the cluster the options describe. With fallback, a scenario
// that cannot be read gives the default cluster and actions that cannot be
// replayed stop where they fail; notice then says what went wrong.
// Without it, any problem is an error.
func build(opt options) (c *sim.Cluster, notice string, err error) {
	sc := sim.DefaultScenario()
	if opt.scenario != "" {
		parsed, perr := sim.ParseScenario("", opt.scenario)
		if perr != nil {
			if !opt.fallback {
				return nil, "", errors.New("options.scenario: " + perr.Error())
			}
			notice = say("notice.scenario", "error", perr.Error())
			opt.actions = ""
		} else {
			sc = parsed
		}
	}
	if opt.nodes != 0 {
		sc.Nodes = opt.nodes
	}
	if opt.hasSeed {
		sc.Seed = opt.seed
	}
	c, err = sim.New(sc)
	if err != nil && opt.fallback && notice == "" && opt.scenario != "" {
		notice = say("notice.scenario", "error", err.Error())
		sc = sim.DefaultScenario()
		if opt.nodes != 0 {
			sc.Nodes = opt.nodes
		}
		opt.actions = ""
		c, err = sim.New(sc)
	}
	if err != nil {
		return nil, "", errors.New("options.scenario: " + err.Error())
	}
	if opt.actions == "" {
		return c, notice, nil
	}
	as, err := sim.DecodeActions(opt.actions)
	if err != nil {
		if !opt.fallback {
			return nil, "", errors.New("options.actions: " + err.Error())
		}
		return c, say("notice.actionsText", "error", err.Error()), nil
	}
	if opt.fallback {
		err = c.DoAll(as) // keeps the actions before the one that failed
	} else {
		err = c.DoAtomic(as)
	}
	if err != nil {
		if !opt.fallback {
			return nil, "", errors.New("options.actions: " + err.Error())
		}
		notice = say("notice.actions", "error", err.Error())
	}
	return c, notice, nil
}

func create(c *Call) (any, error) {
	var host js.Value
	if v := c.arg(0); !v.IsNull() {
		host = c.Element(0, "element").Underlying()
	}
	opt := readOptions(c)
	cl, notice, err := build(opt)
	if err != nil {
		return nil, err
	}
	for _, n := range opt.notes {
		notice = strings.TrimSpace(notice + " " + say("notice.option", "error", n))
	}
	w := &widget{c: cl, sc: cl.Scenario(), speed: opt.speed}
	w.emitted = cl.EventCount()
	w.handle = newObject()
	w.ex = newExports(w.handle, "cluster")
	w.publish()
	w.handle.Set("nodes", w.sc.Nodes)
	if host.IsUndefined() {
		w.handle.Set("element", js.Null())
		if notice != "" {
			js.Global().Get("console").Call("warn", "raftlab: "+notice)
		}
		return w.handle, nil
	}
	w.view = newView(w, host, opt, notice)
	w.handle.Set("element", w.view.root)
	if opt.play {
		w.setPlaying(true)
	}
	return w.handle, nil
}

// publish puts the handle's methods on it.
func (w *widget) publish() {
	fn := w.ex.fn
	self := func(c *Call) any { return c.This }
	action := func(name string, make func(c *Call) sim.Action) {
		fn(name, func(c *Call) (any, error) {
			return self(c), w.do(make(c))
		})
	}

	fn("state", func(c *Call) (any, error) {
		st := w.c.State()
		return stateObject(&st), nil
	})
	fn("do", func(c *Call) (any, error) {
		text := c.String(0, "actions")
		as, err := sim.ParseActions(text)
		if err != nil {
			var pe *sim.ParseError
			if errors.As(err, &pe) && !strings.Contains(strings.TrimSpace(text), "\n") {
				return nil, errors.New(pe.Msg)
			}
			return nil, err
		}
		if len(as) == 0 {
			c.Fail("argument 1 (actions) holds no action")
		}
		if err := w.c.DoAtomic(as); err != nil {
			return nil, err
		}
		w.changed()
		return self(c), nil
	})
	action("next", func(c *Call) sim.Action {
		a := sim.Action{Op: sim.OpNext}
		if c.Given(0) {
			if n := c.Int(0, "count", 1, 100000); n > 1 {
				a.Amount = int64(n)
			}
		}
		return a
	})
	action("advance", func(c *Call) sim.Action {
		return sim.Action{Op: sim.OpAdvance, Amount: int64(c.Int(0, "ms", 1, 3600000))}
	})
	for _, m := range []struct {
		name string
		op   sim.Op
	}{{"deliver", sim.OpDeliver}, {"drop", sim.OpDrop}, {"duplicate", sim.OpDuplicate}} {
		action(m.name, func(c *Call) sim.Action {
			return sim.Action{Op: m.op, Msg: msgSelector(c, 0)}
		})
	}
	action("flush", func(c *Call) sim.Action { return sim.Action{Op: sim.OpFlush} })
	action("timeout", func(c *Call) sim.Action {
		return sim.Action{Op: sim.OpTimeout, Node: w.nodeArg(c, 0, "node")}
	})
	action("crash", func(c *Call) sim.Action {
		return sim.Action{Op: sim.OpCrash, Node: w.nodeArg(c, 0, "node")}
	})
	action("propose", func(c *Call) sim.Action {
		id := w.nodeArg(c, 0, "node")
		cmd, err := sim.ParseCommand(c.String(1, "command"))
		if err != nil {
			c.Fail("argument 2 (command): " + err.Error())
		}
		return sim.Action{Op: sim.OpPropose, Node: id, Command: cmd.String()}
	})
	fn("read", func(c *Call) (any, error) {
		id := w.nodeArg(c, 0, "node")
		key := c.String(1, "key")
		if strings.TrimSpace(key) != key || strings.ContainsAny(key, " \t\n") || key == "" {
			c.Fail("argument 2 (key) must be one word of letters, digits, '_', '.' or '-', got " + quote(key))
		}
		if _, err := sim.ParseCommand("del " + key); err != nil {
			c.Fail("argument 2 (key): " + err.Error())
		}
		if err := w.c.Do(sim.Action{Op: sim.OpRead, Node: id, Key: key}); err != nil {
			return nil, err
		}
		var value any
		if ev := w.c.Events(w.c.EventCount() - 1); len(ev) == 1 && ev[0].Kind == sim.EvRead && ev[0].Found {
			value = ev[0].Value
		}
		w.changed()
		return value, nil
	})
	action("restart", func(c *Call) sim.Action {
		a := sim.Action{Op: sim.OpRestart, Node: w.nodeArg(c, 0, "node")}
		v := c.arg(1)
		switch {
		case v.IsUndefined() || v.IsNull():
		case v.Type() == js.TypeString && v.String() == "forget-vote":
			a.Amnesia = sim.AmnesiaVote
		case v.Type() == js.TypeObject && !isArray(v) && !v.Get("loseTail").IsUndefined():
			n, ok := toInt(v.Get("loseTail"), 1, 1000000)
			if !ok {
				c.Fail("argument 2 (amnesia).loseTail must be " + intRange(1, 1000000) + ", got " + describe(v.Get("loseTail")))
			}
			a.Amnesia, a.Amount = sim.AmnesiaLogTail, int64(n)
		default:
			c.argFail(1, "amnesia", `"forget-vote", {loseTail: N} or nothing`, v)
		}
		return a
	})
	action("partition", func(c *Call) sim.Action {
		v := c.arg(0)
		if v.Type() != js.TypeObject || !isArray(v) || v.Length() == 0 {
			c.argFail(0, "groups", "an array of groups of servers, like [[1, 2], [3, 4, 5]]", v)
		}
		var groups [][]raft.NodeID
		for i := 0; i < v.Length(); i++ {
			g := v.Index(i)
			if g.Type() != js.TypeObject || !isArray(g) || g.Length() == 0 {
				c.Fail("argument 1 (groups): group " + itoa(i+1) + " must be a non-empty array of servers, got " + describe(g))
			}
			var ids []raft.NodeID
			for j := 0; j < g.Length(); j++ {
				ids = append(ids, w.nodeValue(c, g.Index(j), "argument 1 (groups): group "+itoa(i+1)+", server "+itoa(j+1)))
			}
			groups = append(groups, ids)
		}
		return sim.Action{Op: sim.OpPartition, Groups: groups}
	})
	link := func(op sim.Op) func(c *Call) sim.Action {
		return func(c *Call) sim.Action {
			a := sim.Action{Op: op, From: w.nodeArg(c, 0, "from"), To: w.nodeArg(c, 1, "to")}
			if c.Given(2) {
				a.OneWay = c.Bool(2, "oneWay")
			}
			return a
		}
	}
	action("cut", link(sim.OpCut))
	action("restore", link(sim.OpRestore))
	action("heal", func(c *Call) sim.Action { return sim.Action{Op: sim.OpHeal} })
	action("dropAll", func(c *Call) sim.Action { return sim.Action{Op: sim.OpDropAll} })
	action("dropRate", func(c *Call) sim.Action {
		p := c.Number(0, "percent")
		pm := math.Round(p * 10)
		if p < 0 || p > 100 || math.Abs(pm-p*10) > 1e-6 {
			c.argFail(0, "percent", "a percentage from 0 to 100 with at most one decimal", c.arg(0))
		}
		return sim.Action{Op: sim.OpDropRate, Amount: int64(pm)}
	})
	action("latency", func(c *Call) sim.Action {
		lo := c.Int(0, "min", 0, 10000)
		hi := c.Int(1, "max", 0, 10000)
		if lo > hi {
			c.Fail("the minimum " + itoa(lo) + " is more than the maximum " + itoa(hi))
		}
		return sim.Action{Op: sim.OpLatency, Amount: int64(lo), Amount2: int64(hi)}
	})
	action("freeze", func(c *Call) sim.Action { return sim.Action{Op: sim.OpFreeze} })
	action("unfreeze", func(c *Call) sim.Action { return sim.Action{Op: sim.OpUnfreeze} })

	fn("undo", func(c *Call) (any, error) {
		ok := w.c.Undo()
		if ok {
			w.changed()
		}
		return ok, nil
	})
	fn("redo", func(c *Call) (any, error) {
		ok := w.c.Redo()
		if ok {
			w.changed()
		}
		return ok, nil
	})
	fn("seek", func(c *Call) (any, error) {
		k := c.Int(0, "position", 0, len(w.c.Actions()))
		if k != w.c.Position() {
			w.c.Seek(k)
			w.changed()
		}
		return self(c), nil
	})
	fn("reset", func(c *Call) (any, error) {
		w.c.Reset()
		w.changed()
		return self(c), nil
	})
	fn("play", func(c *Call) (any, error) {
		if w.view == nil {
			return nil, errors.New("this cluster has no view to play in; use next() or advance(ms)")
		}
		w.setPlaying(true)
		return self(c), nil
	})
	fn("pause", func(c *Call) (any, error) {
		w.setPlaying(false)
		return self(c), nil
	})
	fn("playing", func(c *Call) (any, error) { return w.playing, nil })
	fn("speed", func(c *Call) (any, error) {
		if c.Given(0) {
			x := c.Number(0, "speed")
			if x < minSpeed || x > maxSpeed {
				c.argFail(0, "speed", "a number from "+ftoa(minSpeed)+" to "+ftoa(maxSpeed), c.arg(0))
			}
			w.speed = x
			if w.view != nil {
				w.view.speedChanged()
			}
		}
		return w.speed, nil
	})
	fn("on", func(c *Call) (any, error) {
		subs := w.subs(c)
		f := c.arg(1)
		if f.Type() != js.TypeFunction {
			c.argFail(1, "callback", "a function", f)
		}
		if len(*subs) == 0 && subs == &w.eventSubs {
			w.emitted = w.c.EventCount() // a new subscriber hears new events only
		}
		*subs = append(*subs, f)
		return self(c), nil
	})
	fn("off", func(c *Call) (any, error) {
		subs := w.subs(c)
		f := c.arg(1)
		*subs = slices.DeleteFunc(*subs, func(s js.Value) bool { return s.Equal(f) })
		return self(c), nil
	})
	fn("events", func(c *Call) (any, error) {
		evs := w.c.Events(w.fromArg(c))
		a := newArray(len(evs))
		for i := range evs {
			a.SetIndex(i, eventObject(&evs[i]))
		}
		return a, nil
	})
	fn("trace", func(c *Call) (any, error) {
		evs := w.c.Events(w.fromArg(c))
		a := newArray(len(evs))
		for i := range evs {
			a.SetIndex(i, sim.English.Line(evs[i]))
		}
		return a, nil
	})
	fn("run", func(c *Call) (any, error) {
		o := newObject()
		o.Set("scenario", sim.FormatScenario(w.sc))
		o.Set("actions", encodeRun(w.c.Applied()))
		return o, nil
	})
	fn("link", func(c *Call) (any, error) { return w.link(), nil })
	w.publishLessons()
	fn("destroy", func(c *Call) (any, error) {
		w.destroy()
		return nil, nil
	})
}

// do applies one action; an invalid action changes nothing.
func (w *widget) do(a sim.Action) error {
	if err := w.c.Do(a); err != nil {
		return err
	}
	w.changed()
	return nil
}

// changed is called after every change of the cluster: it tells the
// subscribers and the view.
func (w *widget) changed() {
	w.version++
	if w.view != nil {
		w.view.invalidate()
	}
	w.notify()
}

func (w *widget) notify() {
	if len(w.eventSubs) == 0 {
		w.emitted = w.c.EventCount()
	}
	for len(w.eventSubs) > 0 {
		n := w.c.EventCount()
		if w.emitted > n { // the history went back: those events are gone
			w.emitted = n
		}
		if w.emitted == n {
			break
		}
		e := w.c.Events(w.emitted)[0]
		w.emitted++
		obj := eventObject(&e)
		for _, f := range w.eventSubs {
			post("an \"event\" callback", f, obj)
		}
	}
	for _, f := range w.changeSubs {
		post("a \"change\" callback", f)
	}
}

func (w *widget) subs(c *Call) *[]js.Value {
	switch kind := c.String(0, "kind"); kind {
	case "event":
		return &w.eventSubs
	case "change":
		return &w.changeSubs
	default:
		c.Fail(`argument 1 (kind) must be "event" or "change", got ` + quote(kind))
	}
	return nil
}

func (w *widget) fromArg(c *Call) int {
	if !c.Given(0) {
		return 0
	}
	return c.Int(0, "from", 0, 1<<31)
}

func (w *widget) setPlaying(on bool) {
	if w.view == nil || w.playing == on {
		return
	}
	w.playing = on
	w.view.playingChanged()
}

func (w *widget) destroy() {
	if w.dead {
		return
	}
	w.dead = true
	w.playing = false
	if w.view != nil {
		w.view.destroy()
		w.view = nil
	}
	w.eventSubs, w.changeSubs = nil, nil
	w.ex.release()
}

// --- node and message arguments ------------------------------------------

// nodeArg reads argument i as a server of this cluster: a number 1..N or a
// name "S1".."SN".
func (w *widget) nodeArg(c *Call, i int, name string) raft.NodeID {
	return w.nodeValue(c, c.arg(i), "argument "+itoa(i+1)+" ("+name+")")
}

func (w *widget) nodeValue(c *Call, v js.Value, what string) raft.NodeID {
	n := w.sc.Nodes
	want := "a server of this cluster: 1 to " + itoa(n) + ` or "S1" to "S` + itoa(n) + `"`
	switch v.Type() {
	case js.TypeNumber:
		if id, ok := toInt(v, 1, n); ok {
			return raft.NodeID(id)
		}
	case js.TypeString:
		s := v.String()
		if len(s) >= 2 && (s[0] == 'S' || s[0] == 's') {
			if id, err := strconv.Atoi(s[1:]); err == nil && id >= 1 && id <= n {
				return raft.NodeID(id)
			}
		}
		c.Fail(what + " must be " + want + ", got " + quote(s))
	}
	c.Fail(what + " must be " + want + ", got " + describe(v))
	return 0
}

// msgSelector reads argument i: a message id, or a selector in the action
// grammar ("S2>S3", "S2>S3 RequestVote", "*>S1 append-reply", "7").
func msgSelector(c *Call, i int) sim.MsgSelector {
	v := c.arg(i)
	switch v.Type() {
	case js.TypeNumber:
		if id, ok := toInt(v, 1, 1<<31-1); ok {
			return sim.MsgSelector{ID: id}
		}
	case js.TypeString:
		a, err := sim.ParseAction("deliver " + v.String())
		if err != nil {
			var pe *sim.ParseError
			msg := err.Error()
			if errors.As(err, &pe) {
				msg = strings.TrimPrefix(pe.Msg, "deliver: ")
			}
			c.Fail("argument " + itoa(i+1) + " (message): " + msg)
		}
		return a.Msg
	}
	c.argFail(i, "message", `a message id or a selector like "S2>S3 RequestVote"`, v)
	return sim.MsgSelector{}
}

// --- runs and links ------------------------------------------------------

// maxAdvance is the longest advance the action text accepts; the cluster
// merges consecutive advances without that bound.
const maxAdvance = 3600000

// encodeRun encodes actions for a URL, splitting advances the text could
// not hold.
func encodeRun(as []sim.Action) string {
	out := make([]sim.Action, 0, len(as))
	for _, a := range as {
		for a.Op == sim.OpAdvance && a.Amount > maxAdvance {
			out = append(out, sim.Action{Op: sim.OpAdvance, Amount: maxAdvance})
			a.Amount -= maxAdvance
		}
		out = append(out, a)
	}
	return sim.EncodeActions(out)
}

// link returns a playground URL that reproduces the current state: the
// scenario (or just nodes and seed when it is otherwise the default) and
// the actions in effect.
func (w *widget) link() string {
	enc := js.Global().Get("encodeURIComponent")
	var q []string
	plain := sim.DefaultScenario()
	plain.Nodes, plain.Seed = w.sc.Nodes, w.sc.Seed
	// A seed beyond what a JS number holds exactly goes in the scenario.
	exactSeed := w.sc.Seed <= 1<<53-1 && w.sc.Seed >= -(1<<53-1)
	if exactSeed && sim.FormatScenario(plain) == sim.FormatScenario(w.sc) {
		if w.sc.Nodes != sim.DefaultScenario().Nodes {
			q = append(q, "nodes="+itoa(w.sc.Nodes))
		}
		if w.sc.Seed != sim.DefaultScenario().Seed {
			q = append(q, "seed="+strconv.FormatInt(w.sc.Seed, 10))
		}
	} else {
		q = append(q, "scenario="+enc.Invoke(sim.FormatScenario(w.sc)).String())
	}
	if a := encodeRun(w.c.Applied()); a != "" {
		// The encoded actions need no escaping but for these: '+' is
		// read back as a space, which the action text accepts too.
		a = strings.NewReplacer("%2B", "+", "%2F", "/", "%3B", ";", "%2A", "*").Replace(enc.Invoke(a).String())
		q = append(q, "a="+a)
	}
	base := playgroundURL()
	if len(q) == 0 {
		return base
	}
	return base + "?" + strings.Join(q, "&")
}

// playgroundURL is the address of playground.html next to the loader.
func playgroundURL() string {
	if l := js.Global().Get("raftlabLoader"); l.Type() == js.TypeObject {
		if p := l.Get("playground"); p.Type() == js.TypeString {
			return p.String()
		}
	}
	if doc := js.Global().Get("document"); doc.Type() == js.TypeObject {
		return js.Global().Get("URL").New("playground.html", doc.Get("baseURI")).Get("href").String()
	}
	return "playground.html"
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
