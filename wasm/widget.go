//go:build js && wasm

package main

// A widget is one cluster of the page: the simulator's Cluster, the JS
// handle that drives it, its subscribers and (unless headless) its view.
// It holds no Raft logic: every change is a sim.Action, or a move in the
// simulator's history.

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"syscall/js"

	"raftlab/raft"
	"raftlab/raft/sim"
	"raftlab/raft/words"
)

// Speeds are virtual milliseconds per real millisecond.
const (
	minSpeed     = 0.005
	maxSpeed     = 5
	defaultSpeed = 0.05
)

type widget struct {
	c     *sim.Cluster
	sc    sim.Scenario
	words *sim.Words // the cluster's language

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

	// explain, with the explain option, explains the run the cluster was
	// made with (view_explain.go); nil otherwise, or when the run breaks
	// nothing.
	explain *explained
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
	lang     string
	notes    []string // options that could not be used (with fallback)
	// explain: explain how the run breaks a property (the steps that
	// used a switched-off rule, the point of no return). safe: switch
	// every rule of the scenario back on, and leave out the actions the
	// changed run refuses (a level's twin).
	explain, safe bool
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
		lang:     o.String("lang", "en"),
		explain:  o.Bool("explain", false),
		safe:     o.Bool("safe", false),
	}
	if _, ok := words.For(opt.lang); !ok {
		o.fail("lang", "one of the languages there are words for ("+strings.Join(words.Languages(), ", ")+")", o.get("lang"))
		opt.lang = "en"
	}
	if o.Has("seed") {
		// A seed is any 64-bit integer: a number (exact up to 2^53) or its
		// decimal digits as a string, which is how link() and the
		// playground's address carry a longer one.
		if v := o.get("seed"); v.Type() == js.TypeString {
			n, err := strconv.ParseInt(v.String(), 10, 64)
			if err != nil {
				o.fail("seed", "an integer from -9007199254740991 to 9007199254740991, or a string of the decimal digits of any 64-bit integer", v)
			} else {
				opt.seed, opt.hasSeed = n, true
			}
		} else {
			n := o.Int("seed", 1<<53, -(1<<53 - 1), 1<<53-1) // 1<<53: not given right
			if n != 1<<53 {
				opt.seed, opt.hasSeed = int64(n), true
			}
		}
	}
	opt.notes = notes
	return opt
}

// build makes the cluster the options describe. With fallback, a scenario
// that cannot be read gives the default cluster and actions that cannot be
// replayed stop where they fail; notice then says what went wrong.
// Without it, any problem is an error.
func build(opt options) (c *sim.Cluster, notice string, err error) {
	words := sim.WordsFor(opt.lang)
	say := words.Say // notices in the cluster's language
	adjust := func(sc *sim.Scenario) {
		if opt.nodes != 0 {
			sc.Nodes = opt.nodes
		}
		if opt.hasSeed {
			sc.Seed = opt.seed
		}
		if opt.safe {
			sc.Unsafe, sc.UnsafeHost = raft.UnsafeRules{}, sim.HostRules{}
		}
	}
	if opt.scenario != "" {
		c, err = sim.NewFromText("", 1, opt.scenario, adjust)
		if err != nil && opt.fallback {
			notice = say("notice.scenario", "error", err.Error())
			opt.actions = ""
			c, err = nil, nil
		}
	}
	if c == nil && err == nil {
		sc := sim.DefaultScenario()
		adjust(&sc)
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
	if opt.safe {
		skipped := 0
		for _, a := range as {
			if c.Do(a) != nil {
				skipped++ // the rule on, the run went otherwise
			}
		}
		if skipped > 0 {
			notice = say("notice.safe", "n", itoa(skipped))
		}
		return c, notice, nil
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
		notice = say("notice.actions", "error", words.ErrorText(err))
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
	w := &widget{c: cl, sc: cl.Scenario(), speed: opt.speed, words: sim.WordsFor(opt.lang)}
	if opt.explain {
		w.explain = explainRun(cl)
	}
	for _, n := range opt.notes {
		notice = strings.TrimSpace(notice + " " + w.words.Say("notice.option", "error", n))
	}
	w.emitted = cl.EventCount()
	w.handle = newObject()
	w.ex = newExports(w.handle, "cluster")
	w.ex.refused = w.refused
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

// refused words an action the cluster refused (a sim.Refusal) in the
// cluster's language: its key, the refusal alone, and the whole message
// (with the action's place in a list). For any other error — a program's
// mistake, whose English message is for its author — all are "".
func (w *widget) refused(err error) (key, said, message string) {
	r, said, message := w.words.Refused(err)
	if r == nil {
		return "", "", ""
	}
	return r.Key, said, message
}

// publish puts the handle's methods on it.
func (w *widget) publish() {
	fn := w.ex.fn
	self := func(c *Call) any { return c.This }
	fn("explanation", func(c *Call) (any, error) { return w.explanationValue(), nil })
	fn("state", func(c *Call) (any, error) {
		st := w.c.State()
		return stateObject(w.words, &st), nil
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
	// One method per action of the simulator's table, with the arguments
	// and limits the table gives.
	for _, info := range sim.Actions() {
		if info.JS == "" {
			continue
		}
		fn(info.JS, func(c *Call) (any, error) {
			a := sim.BuildAction(info.Op, w.params(c, info.Params))
			before := w.c.EventCount()
			if err := w.c.Do(a); err != nil {
				return nil, err
			}
			w.changed()
			if info.Op == sim.OpRead {
				return readValue(w.c.Events(before)), nil
			}
			return self(c), nil
		})
	}
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
		k := c.Int(0, "position", w.c.Oldest(), w.c.Recorded())
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
			a.SetIndex(i, eventObject(w.words, &evs[i]))
		}
		return a, nil
	})
	fn("trace", func(c *Call) (any, error) {
		evs := w.c.Events(w.fromArg(c))
		a := newArray(len(evs))
		for i := range evs {
			a.SetIndex(i, w.words.Line(evs[i]))
		}
		return a, nil
	})
	fn("run", func(c *Call) (any, error) {
		o := newObject()
		o.Set("scenario", sim.FormatScenario(w.sc))
		run, err := w.c.Run()
		if err != nil {
			return nil, err
		}
		o.Set("actions", sim.EncodeActions(run))
		return o, nil
	})
	fn("link", func(c *Call) (any, error) { return w.link() })
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
		// Events older than the cluster keeps (sim.EventWindow) are not
		// told: a callback that fell that far behind hears the latest.
		w.emitted = max(w.emitted, w.c.FirstEvent())
		if w.emitted == n {
			break
		}
		e, _ := w.c.Event(w.emitted)
		w.emitted++
		obj := eventObject(w.words, &e)
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

// --- runs and links ------------------------------------------------------

// link returns a playground URL that reproduces the current state: the
// scenario (or just nodes and seed when it is otherwise the default) and
// the actions in effect.
func (w *widget) link() (string, error) {
	enc := js.Global().Get("encodeURIComponent")
	var q []string
	plain := sim.DefaultScenario()
	plain.Nodes, plain.Seed = w.sc.Nodes, w.sc.Seed
	if sim.FormatScenario(plain) == sim.FormatScenario(w.sc) {
		if w.sc.Nodes != sim.DefaultScenario().Nodes {
			q = append(q, "nodes="+itoa(w.sc.Nodes))
		}
		if w.sc.Seed != sim.DefaultScenario().Seed {
			q = append(q, "seed="+strconv.FormatInt(w.sc.Seed, 10))
		}
	} else {
		q = append(q, "scenario="+enc.Invoke(sim.FormatScenario(w.sc)).String())
	}
	run, err := w.c.Run()
	if err != nil {
		return "", err
	}
	if a := sim.EncodeActions(run); a != "" {
		// The encoded actions need no escaping but for these: '+' is
		// read back as a space, which the action text accepts too.
		a = strings.NewReplacer("%2B", "+", "%2F", "/", "%3B", ";", "%2A", "*").Replace(enc.Invoke(a).String())
		q = append(q, "a="+a)
	}
	base := playgroundURL(w.words.Lang())
	if len(q) == 0 {
		return base, nil
	}
	return base + "?" + strings.Join(q, "&"), nil
}

// playgroundURL is the address of the playground in lang: playground.html
// next to the loader for English, LANG/playground.html for another
// language (the site's folders, see site/build).
func playgroundURL(lang string) string {
	page := "playground.html"
	if lang != "en" {
		page = lang + "/" + page
	}
	if l := js.Global().Get("raftlabLoader"); l.Type() == js.TypeObject {
		if p := l.Get("playground"); p.Type() == js.TypeString {
			return strings.TrimSuffix(p.String(), "playground.html") + page
		}
	}
	if doc := js.Global().Get("document"); doc.Type() == js.TypeObject {
		return js.Global().Get("URL").New(page, doc.Get("baseURI")).Get("href").String()
	}
	return page
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
