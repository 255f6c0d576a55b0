//go:build js && wasm

package main

// Tests of the cluster handle without a view (raftlab.create(null, ...)),
// under node: every method, its errors, subscriptions, history and links.

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall/js"
	"testing"

	"raftlab/raft/sim"
	"raftlab/raft/words"
)

func stringify(v js.Value) string {
	return js.Global().Get("JSON").Call("stringify", v).String()
}

// newHandle makes a headless cluster with options (nil for none).
func newHandle(t *testing.T, opts any) js.Value {
	t.Helper()
	api := newAPI()
	res, thrown := call(api.Get("create"), api, nil, opts)
	if !thrown.IsUndefined() {
		t.Fatalf("create: %s", thrown.Get("message").String())
	}
	t.Cleanup(func() { call(res.Get("destroy"), res) })
	return res
}

// run calls h[name](args...) and fails the test if it throws.
func run(t *testing.T, h js.Value, name string, args ...any) js.Value {
	t.Helper()
	res, thrown := call(h.Get(name), h, args...)
	if !thrown.IsUndefined() {
		t.Fatalf("%s: threw %s", name, thrown.Get("message").String())
	}
	return res
}

func nodeRole(h js.Value, i int) string {
	return h.Call("state").Get("nodes").Index(i).Get("role").String()
}

func leader(h js.Value) int {
	nodes := h.Call("state").Get("nodes")
	for i := 0; i < nodes.Length(); i++ {
		if nodes.Index(i).Get("role").String() == "Leader" {
			return i + 1
		}
	}
	return 0
}

// electS1 freezes the timers and elects S1 by delivering every message.
func electS1(t *testing.T, h js.Value) {
	t.Helper()
	run(t, h, "freeze")
	run(t, h, "timeout", 1)
	for i := 0; leader(h) == 0; i++ {
		msgs := h.Call("state").Get("messages")
		if i > 50 || msgs.Length() == 0 {
			t.Fatalf("no leader: %s", stringify(h.Call("state").Get("nodes")))
		}
		run(t, h, "deliver", msgs.Index(0).Get("id").Int())
	}
}

func TestHandleStateShape(t *testing.T) {
	h := newHandle(t, nil)
	if !h.Get("element").IsNull() || h.Get("nodes").Int() != 5 {
		t.Fatalf("element %v, nodes %v", h.Get("element"), h.Get("nodes"))
	}
	st := run(t, h, "state")
	for _, k := range []string{"time", "frozen", "nodes", "messages", "blocked", "dropRate", "latency",
		"violations", "position", "recorded", "events"} {
		if st.Get(k).IsUndefined() {
			t.Errorf("state().%s is missing", k)
		}
	}
	n := st.Get("nodes").Index(1)
	for _, k := range []string{"id", "up", "role", "term", "vote", "leader", "log", "commitIndex", "lastApplied",
		"kv", "timerRemaining", "timerLength", "votes", "progress"} {
		if n.Get(k).IsUndefined() {
			t.Errorf("state().nodes[1].%s is missing", k)
		}
	}
	if n.Get("id").Int() != 2 || n.Get("role").String() != "Follower" || !n.Get("vote").IsNull() || n.Get("timerLength").Int() < 150 {
		t.Errorf("node 2: %s", stringify(n))
	}

	electS1(t, h)
	run(t, h, "timeout", 1) // heartbeats
	m := h.Call("state").Get("messages").Index(0)
	for _, k := range []string{"id", "from", "to", "type", "term", "sentAt", "arriveAt", "entries", "success",
		"prevLogIndex", "prevLogTerm", "leaderCommit", "lastLogIndex", "lastLogTerm", "matchIndex", "reason"} {
		if m.Get(k).IsUndefined() {
			t.Errorf("message.%s is missing", k)
		}
	}
	if m.Get("type").String() != "AppendEntries" || m.Get("from").Int() != 1 {
		t.Errorf("heartbeat: %s", stringify(m))
	}
	l := h.Call("state").Get("nodes").Index(0)
	if l.Get("progress").Length() != 5 || l.Get("log").Index(0).Get("kind").String() != "noop" {
		t.Errorf("leader: %s", stringify(l))
	}
}

func TestHandleProposeAndRead(t *testing.T) {
	h := newHandle(t, map[string]any{"nodes": 3, "seed": 4})
	electS1(t, h)
	run(t, h, "propose", "S1", "set x 3")
	run(t, h, "propose", 1, "set __proto__ 7")
	run(t, h, "flush")
	run(t, h, "timeout", 1)
	run(t, h, "flush")
	if v := run(t, h, "read", 2, "x"); v.Type() != js.TypeString || v.String() != "3" {
		t.Errorf("read S2 x = %v", v)
	}
	if v := run(t, h, "read", "s3", "y"); !v.IsNull() {
		t.Errorf("read S3 y = %v, want null", v)
	}
	kv := h.Call("state").Get("nodes").Index(2).Get("kv")
	own := js.Global().Get("Object").Call("keys", kv)
	if stringify(own) != `["__proto__","x"]` || kv.Get("__proto__").String() != "7" {
		t.Errorf("kv keys %s", stringify(own))
	}
	run(t, h, "crash", 2)
	if v := run(t, h, "read", 2, "x"); !v.IsNull() {
		t.Errorf("read at a crashed server = %v, want null", v)
	}
	if nodeRole(h, 1) != "Down" {
		t.Errorf("crashed S2 has role %s", nodeRole(h, 1))
	}
	run(t, h, "restart", 2, "forget-vote")
	run(t, h, "crash", 3)
	run(t, h, "restart", 3, map[string]any{"loseTail": 1})
	if n := h.Call("state").Get("nodes").Index(2).Get("log").Length(); n != 2 {
		t.Errorf("S3 restarted losing 1 of 3 entries has %d", n)
	}
}

func TestHandleErrorsChangeNothing(t *testing.T) {
	h := newHandle(t, nil)
	run(t, h, "freeze")
	for _, c := range []struct {
		name string
		args []any
		want string
	}{
		{"timeout", []any{42}, `cluster.timeout: argument 1 (node) must be a server of this cluster: 1 to 5 or "S1" to "S5", got number 42`},
		{"timeout", []any{"S6"}, `cluster.timeout: argument 1 (node) must be a server of this cluster: 1 to 5 or "S1" to "S5", got "S6"`},
		{"timeout", nil, `cluster.timeout: argument 1 (node) must be a server of this cluster: 1 to 5 or "S1" to "S5", got undefined`},
		{"propose", []any{1, 5}, `cluster.propose: argument 2 (command) must be a string, got number 5`},
		{"propose", []any{1, "set x y z"}, `cluster.propose: argument 2 (command): expected "set KEY VALUE", got "set x y z"`},
		{"do", []any{"fly me"}, `cluster.do: unknown action "fly"; expected one of: ` + sim.ActionNames()},
		{"do", []any{"timeout S1\nfly"}, `cluster.do: line 2: unknown action "fly"; expected one of: ` + sim.ActionNames()},
		{"do", []any{"  # nothing"}, `cluster.do: argument 1 (actions) holds no action`},
		{"next", nil, `cluster.next: nothing to do: no message is in flight and the timers are frozen`},
		{"next", []any{0}, `cluster.next: argument 1 (count) must be an integer from 1 to 100000, got number 0`},
		{"advance", []any{-5}, `cluster.advance: argument 1 (ms) must be an integer from 1 to 3600000, got number -5`},
		{"deliver", []any{7}, `cluster.deliver: no such message in flight`},
		{"deliver", []any{"S2-S3"}, `cluster.deliver: argument 1 (message): expected a message id or FROM>TO, got "S2-S3"`},
		{"drop", []any{true}, `cluster.drop: argument 1 (message) must be a message id or a selector like "S2>S3 RequestVote", got true`},
		{"crash", []any{2.5}, `cluster.crash: argument 1 (node) must be a server of this cluster: 1 to 5 or "S1" to "S5", got number 2.5`},
		{"restart", []any{1, map[string]any{"loseTail": 3}}, `cluster.restart: S1 has 0 entries on disk; cannot lose 3`},
		{"restart", []any{1, map[string]any{"loseTail": 0}}, `cluster.restart: argument 2 (amnesia).loseTail must be an integer from 1 to 1000000, got number 0`},
		{"partition", []any{[]any{[]any{1, 2}, []any{2, 3}}}, `cluster.partition: S2 is in two groups`},
		{"partition", []any{[]any{}}, `cluster.partition: argument 1 (groups) must be an array of groups of servers, like [[1, 2], [3, 4, 5]], got array`},
		{"cut", []any{1, 1}, `cluster.cut: a link joins two different servers`},
		{"cut", []any{1, 2, "yes"}, `cluster.cut: argument 3 (oneWay) must be a boolean, got string`},
		{"dropRate", []any{2.55}, `cluster.dropRate: argument 1 (percent) must be a percentage from 0 to 100 with at most one decimal, got number 2.55`},
		{"dropRate", []any{101}, `cluster.dropRate: argument 1 (percent) must be a percentage from 0 to 100 with at most one decimal, got number 101`},
		{"latency", []any{30, 10}, `cluster.latency: the minimum 30 is more than the maximum 10`},
		{"read", []any{1, "a b"}, `cluster.read: argument 2 (key) must be one word of letters, digits, '_', '.' or '-', got "a b"`},
		{"read", []any{1, "x!"}, `cluster.read: argument 2 (key): the key "x!" contains "!"; use only letters, digits, '_', '.' and '-'`},
		{"seek", []any{9}, `cluster.seek: argument 1 (position) must be an integer from 0 to 1, got number 9`},
		{"speed", []any{100}, `cluster.speed: argument 1 (speed) must be a number from 0.005 to 5, got number 100`},
		{"play", nil, `cluster.play: this cluster has no view to play in; use next() or advance(ms)`},
		{"on", []any{"change", 3}, `cluster.on: argument 2 (callback) must be a function, got number 3`},
		{"events", []any{-1}, `cluster.events: argument 1 (from) must be an integer from 0 to 2147483648, got number -1`},
	} {
		before := stringify(h.Call("state"))
		wantThrow(t, h, c.name, c.want, c.args...)
		if after := stringify(h.Call("state")); after != before {
			t.Errorf("%s%v changed the state", c.name, c.args)
		}
	}
	// Still works.
	run(t, h, "timeout", "S2")
	if nodeRole(h, 1) != "Candidate" {
		t.Errorf("after the errors, timeout made S2 %s", nodeRole(h, 1))
	}
	// A do() of several actions is all or nothing.
	before := stringify(h.Call("state"))
	wantThrow(t, h, "do", "cluster.do: action 2 (deliver 999): no such message in flight", "timeout S3; deliver 999")
	if stringify(h.Call("state")) != before {
		t.Error("a failed do() changed the state")
	}
	if ok := run(t, h, "redo"); ok.Bool() {
		t.Error("a failed do() left something to redo")
	}
}

func TestHandleHistoryAndSubscriptions(t *testing.T) {
	h := newHandle(t, nil)
	var lines []string
	var kinds []string
	changes := 0
	onEvent := js.FuncOf(func(_ js.Value, args []js.Value) any {
		lines = append(lines, args[0].Get("line").String())
		kinds = append(kinds, args[0].Get("kind").String())
		return nil
	})
	defer onEvent.Release()
	onChange := js.FuncOf(func(js.Value, []js.Value) any { changes++; return nil })
	defer onChange.Release()
	run(t, h, "on", "event", onEvent)
	run(t, h, "on", "change", onChange)

	run(t, h, "do", "freeze; timeout S1; deliver S1>S2 RequestVote")
	if changes != 1 {
		t.Errorf("%d change callbacks for one do(), want 1", changes)
	}
	trace := run(t, h, "trace")
	if trace.Length() != len(lines) || trace.Length() == 0 {
		t.Fatalf("trace() has %d lines, the event callback saw %d", trace.Length(), len(lines))
	}
	for i, l := range lines {
		if trace.Index(i).String() != l {
			t.Errorf("line %d: trace %q, event %q", i, trace.Index(i).String(), l)
		}
	}
	if !strings.Contains(strings.Join(lines, "\n"), "S2 Follower: granted vote to S1 for term 1") {
		t.Errorf("trace:\n%s", strings.Join(lines, "\n"))
	}
	evs := run(t, h, "events", 2)
	if evs.Length() != len(lines)-2 || evs.Index(0).Get("seq").Int() != 2 {
		t.Errorf("events(2): %d events, first seq %v", evs.Length(), evs.Index(0).Get("seq"))
	}
	var note js.Value
	for i := 0; i < evs.Length(); i++ {
		if evs.Index(i).Get("kind").String() == "note" {
			note = evs.Index(i)
			break
		}
	}
	if note.IsUndefined() || note.Get("reason").Get("code").String() == "" || note.Get("reason").Get("section").String() == "" {
		t.Errorf("a note event without its reason: %v", note)
	}

	st := h.Call("state")
	if st.Get("position").Int() != 3 || st.Get("recorded").Int() != 3 {
		t.Errorf("position %v recorded %v", st.Get("position"), st.Get("recorded"))
	}
	if !run(t, h, "undo").Bool() || h.Call("state").Get("position").Int() != 2 {
		t.Error("undo")
	}
	if !run(t, h, "redo").Bool() || h.Call("state").Get("position").Int() != 3 {
		t.Error("redo")
	}
	run(t, h, "seek", 0)
	if st := h.Call("state"); st.Get("position").Int() != 0 || st.Get("recorded").Int() != 3 || st.Get("frozen").Bool() {
		t.Errorf("after seek(0): %s", stringify(st))
	}
	n := len(lines)
	run(t, h, "seek", 3)
	if len(lines)-n != trace.Length() {
		t.Errorf("seeking forward again gave %d event callbacks, want the %d events again", len(lines)-n, trace.Length())
	}
	run(t, h, "off", "event", onEvent)
	run(t, h, "reset")
	if st := h.Call("state"); st.Get("position").Int() != 0 || st.Get("recorded").Int() != 0 {
		t.Errorf("after reset: %s", stringify(st))
	}
	if run(t, h, "undo").Bool() {
		t.Error("undo after reset")
	}
}

// A link (or run()) rebuilds the same state in a new cluster.
func TestHandleLinkReplays(t *testing.T) {
	sc := "name: replay\nnodes: 4\nseed: 11\nlatency: 5-40\n"
	h := newHandle(t, map[string]any{"scenario": sc})
	run(t, h, "advance", 700)
	run(t, h, "next", 20)
	if l := leader(h); l != 0 {
		run(t, h, "propose", l, "set k v")
	}
	run(t, h, "partition", []any{[]any{1, 2}, []any{"S3", "S4"}})
	run(t, h, "advance", 900)
	run(t, h, "heal")
	run(t, h, "cut", 2, 3, true)
	run(t, h, "dropRate", 5)
	run(t, h, "latency", 1, 9)
	run(t, h, "advance", 1234)
	run(t, h, "undo")
	run(t, h, "advance", 50)
	want := stringify(h.Call("state"))

	link := run(t, h, "link").String()
	if !strings.HasPrefix(link, "playground.html?scenario=") || !strings.Contains(link, "&a=") {
		t.Fatalf("link %q", link)
	}
	_, query, _ := strings.Cut(link, "?")
	opts := js.Global().Get("raftlabLoader").Call("mountOptions", "?"+query)
	if opts.Get("scenario").String() != run(t, h, "run").Get("scenario").String() {
		t.Errorf("the link's scenario %q differs from run()'s", opts.Get("scenario").String())
	}
	h2 := newHandle(t, opts)
	if got := stringify(h2.Call("state")); !sameRun(got, want) {
		t.Errorf("the link rebuilt a different state:\n got %s\nwant %s", got, want)
	}

	r := run(t, h, "run")
	h3 := newHandle(t, map[string]any{"scenario": r.Get("scenario"), "actions": r.Get("actions")})
	if got := stringify(h3.Call("state")); !sameRun(got, want) {
		t.Errorf("run() rebuilt a different state:\n got %s\nwant %s", got, want)
	}

	// A plain cluster links with nodes and seed only.
	p := newHandle(t, map[string]any{"nodes": 3, "seed": 9})
	run(t, p, "advance", 10)
	if got := run(t, p, "link").String(); got != "playground.html?nodes=3&seed=9&a=advance+10" {
		t.Errorf("plain link %q", got)
	}
}

// sameRun compares two state() JSON texts except the history counters (a
// replay merges consecutive next and advance actions).
func sameRun(a, b string) bool {
	re := regexp.MustCompile(`"(position|recorded)":\d+`)
	return re.ReplaceAllString(a, "") == re.ReplaceAllString(b, "")
}

func TestCreateOptions(t *testing.T) {
	api := newAPI()
	wantThrow(t, api, "create", `raftlab.create: options.scenario: line 1: nodes: expected a number from 1 to 9, got "ten"`,
		nil, map[string]any{"scenario": "nodes: ten"})
	wantThrow(t, api, "create", `raftlab.create: options.actions: action 1: unknown action "fly"; expected one of: `+sim.ActionNames(),
		nil, map[string]any{"actions": "fly"})
	wantThrow(t, api, "create", `raftlab.create: options.actions: action 2 (deliver 99): no such message in flight`,
		nil, map[string]any{"actions": "timeout+S1;deliver+99"})
	wantThrow(t, api, "create", `raftlab.create: options.seed must be an integer from -9007199254740991 to 9007199254740991, `+
		`or a string of the decimal digits of any 64-bit integer, got string`, nil, map[string]any{"seed": "x"})

	// With fallback, a broken scenario gives the default cluster.
	h := newHandle(t, map[string]any{"scenario": "nodes: ten", "fallback": true, "actions": "timeout+S1"})
	if h.Get("nodes").Int() != 5 || h.Call("state").Get("position").Int() != 0 {
		t.Errorf("fallback: %d nodes, position %v", h.Get("nodes").Int(), h.Call("state").Get("position"))
	}
	h = newHandle(t, map[string]any{"actions": "timeout+S1;deliver+99;next", "fallback": true})
	if h.Call("state").Get("position").Int() != 1 {
		t.Errorf("fallback keeps the actions before the failing one: position %v", h.Call("state").Get("position"))
	}
	h = newHandle(t, map[string]any{"scenario": "nodes: 3\ntimers: frozen\nserver S1: term 2 log [1,2]\n", "seed": 5})
	st := h.Call("state")
	if h.Get("nodes").Int() != 3 || !st.Get("frozen").Bool() || st.Get("nodes").Index(0).Get("log").Length() != 2 {
		t.Errorf("scenario: %s", stringify(st))
	}
	if !strings.Contains(run(t, h, "run").Get("scenario").String(), "seed: 5") {
		t.Error("the seed option does not reach the scenario")
	}
}

func TestDestroyedHandleThrows(t *testing.T) {
	api := newAPI()
	h, _ := call(api.Get("create"), api, nil)
	run(t, h, "destroy")
	wantThrow(t, h, "state", "cluster.state: this object was destroyed")
	wantThrow(t, h, "timeout", "cluster.timeout: this object was destroyed", 1)
}

// Every key word() (or a say function) is called with is in the English table.
func TestWordsKeysExist(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	re := regexp.MustCompile(`(?:say|word)\("([a-zA-Z.]+)"`)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			if !words.English.Has(m[1]) && !strings.HasSuffix(m[1], ".") {
				t.Errorf("%s: say(%q): no such key in the English table", f, m[1])
			}
		}
	}
	for _, k := range []string{"role.Follower", "role.Candidate", "role.Leader", "role.Down",
		"msg.RequestVoteReply.yes", "msg.RequestVoteReply.no", "msg.AppendEntriesReply.yes", "msg.AppendEntriesReply.no"} {
		if !words.English.Has(k) {
			t.Errorf("no key %q", k)
		}
	}
}
