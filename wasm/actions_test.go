//go:build js && wasm

package main

import (
	"strings"
	"testing"

	"syscall/js"
)

// jsFunc compiles a JavaScript function from its source (tests only).
func jsFunc(src string) js.Value { return js.Global().Get("Function").New("return " + src).Invoke() }

// partition() checks an array's length before reading its elements: a
// Proxy posing as an array of 2^31 groups, or of a million, is refused after
// a few reads (issue 8: it used to read every group first, or hang).
func TestPartitionReadsBoundedArguments(t *testing.T) {
	h := newHandle(t, nil)
	for _, length := range []int{1 << 31, 1000000} {
		counter := jsFunc(`function(n) {
			const c = {reads: 0};
			c.array = new Proxy([], {get(target, key) { c.reads++; return key === 'length' ? n : [1]; }});
			return c;
		}`).Invoke(length)
		// The bridge (raftlab-loader.js) reads arguments before Go does,
		// and refuses an array this long itself.
		wantThrow(t, h, "partition", "cluster.partition: argument 1 holds an array of "+itoa(length)+
			" elements, more than 1000", counter.Get("array"))
		if reads := counter.Get("reads").Int(); reads > 10 {
			t.Errorf("%d groups: %d reads before refusing", length, reads)
		}
	}
	big := jsFunc(`function() { return [Array.from({length: 100000}, () => 1)]; }`).Invoke()
	wantThrow(t, h, "partition", "cluster.partition: argument 1 holds an array of 100000 elements, more than 1000", big)
}

// A seed is any 64-bit integer: given as a string of digits, it reaches the
// scenario exactly, and link() and run() carry it, so the cluster rebuilds.
func TestSeedRoundTripsAny64BitInteger(t *testing.T) {
	for _, seed := range []string{"9223372036854775807", "-9223372036854775808", "12345678901"} {
		h := newHandle(t, map[string]any{"seed": seed, "nodes": 3})
		run(t, h, "advance", 500)
		want := stringify(h.Call("state"))
		if sc := run(t, h, "run").Get("scenario").String(); !strings.Contains(sc, "seed: "+seed+"\n") {
			t.Errorf("run().scenario lost the seed %s:\n%s", seed, sc)
		}
		link := run(t, h, "link").String()
		if !strings.Contains(link, "seed="+seed+"&") {
			t.Errorf("link %q lost the seed %s", link, seed)
		}
		again := newHandle(t, map[string]any{"seed": seed, "nodes": 3, "actions": "advance+500"})
		if got := stringify(again.Call("state")); !sameRun(got, want) {
			t.Errorf("seed %s rebuilt a different state", seed)
		}
	}
}

// events() after a virtual hour of playing returns the latest events only,
// and costs as much as a short run's (issue 8: it built every event of the
// hour, 23 s).
func TestEventsAfterAnHourAreBounded(t *testing.T) {
	h := newHandle(t, nil)
	for i := 0; i < 72; i++ {
		run(t, h, "advance", 50000) // an hour, in steps an action can hold
	}
	total := h.Call("state").Get("events").Int()
	evs := run(t, h, "events")
	if evs.Length() > 40000 || evs.Length() == 0 || total < 1000000 {
		t.Errorf("events(): %d of %d events", evs.Length(), total)
	}
	if last := evs.Index(evs.Length() - 1).Get("seq").Int(); last != total-1 {
		t.Errorf("the last event is %d, want %d", last, total-1)
	}
}

// The lang option picks the words of the cluster's trace, reasons and
// view; a language without a words table is refused.
func TestLangOption(t *testing.T) {
	h := newHandle(t, map[string]any{"lang": "en", "nodes": 3})
	run(t, h, "timeout", 1)
	if line := run(t, h, "trace").Index(1).String(); !strings.Contains(line, "election timeout: start election for term 1") {
		t.Errorf("trace line %q", line)
	}
	wantThrow(t, newAPI(), "create", "raftlab.create: options.lang must be one of the languages there are words for (en), got string",
		nil, map[string]any{"lang": "xx"})
}

// Two hours in two actions, on the default cluster: each is refused with the
// limit's name and the module keeps running (issue 8: the runtime died at
// 4 GB, during mount for a page address).
func TestAnHourIsRefusedNotFatal(t *testing.T) {
	h := newHandle(t, nil)
	want := "cluster.advance: the action would cause more than 500000 events (the limit is 500000, sim.MaxEventsPerAction); nothing was changed"
	wantThrow(t, h, "advance", want, 3600000)
	wantThrow(t, h, "advance", want, 3600000)
	wantThrow(t, h, "do", "cluster.do: action 1 (advance 3600000): the action would cause more than 500000 events "+
		"(the limit is 500000, sim.MaxEventsPerAction); nothing was changed", "advance 3600000; advance 3600000")
	if p := h.Call("state").Get("position").Int(); p != 0 {
		t.Errorf("position %d after refused actions", p)
	}
	run(t, h, "advance", 1000)
	mounted := newHandle(t, map[string]any{"actions": "advance+3600000;advance+3600000", "fallback": true})
	if p := mounted.Call("state").Get("position").Int(); p != 0 {
		t.Errorf("a page address of two hours mounts at position %d", p)
	}
}
