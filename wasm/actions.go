//go:build js && wasm

package main

// The arguments of the handle's action methods. Each method and its
// arguments come from the simulator's action table (sim.Actions): this file
// reads each kind of argument from JavaScript, with the limits the table
// gives, and the simulator checks the action again when it runs.

import (
	"math"
	"slices"
	"syscall/js"

	"raftlab/raft"
	"raftlab/raft/sim"
	"raftlab/raft/sim/lex"
)

// params reads the arguments of an action method.
func (w *widget) params(c *Call, ps []sim.Param) []sim.Value {
	vals := make([]sim.Value, len(ps))
	i := 0 // the JavaScript argument
	for k, p := range ps {
		v := &vals[k]
		switch p.Kind {
		case sim.KindCount:
			if c.Given(i) {
				v.N = int64(c.Int(i, p.Name, int(p.Min), int(p.Max)))
			}
		case sim.KindMillis:
			v.N = int64(c.Int(i, p.Name, int(p.Min), int(p.Max)))
		case sim.KindRange:
			v.N = int64(c.Int(i, "min", int(p.Min), int(p.Max)))
			v.M = int64(c.Int(i+1, "max", int(p.Min), int(p.Max)))
			if v.N > v.M {
				c.Fail("the minimum " + itoa(int(v.N)) + " is more than the maximum " + itoa(int(v.M)))
			}
			i++
		case sim.KindPercent:
			x := c.Number(i, p.Name)
			pm := math.Round(x * 10)
			if pm < float64(p.Min) || pm > float64(p.Max) || math.Abs(pm-x*10) > 1e-6 {
				c.argFail(i, p.Name, "a percentage from 0 to 100 with at most one decimal", c.arg(i))
			}
			v.N = int64(pm)
		case sim.KindServer:
			v.Node = w.nodeArg(c, i, p.Name)
		case sim.KindMessage:
			v.Msg = msgSelector(c, i, p.Name)
		case sim.KindCommand:
			cmd, err := sim.ParseCommand(c.String(i, p.Name))
			if err != nil {
				c.Fail(argName(i, p.Name) + ": " + err.Error())
			}
			v.Text = cmd.String()
		case sim.KindKey:
			key := c.String(i, p.Name)
			if key == "" || len(lex.Words(key, "")) != 1 || lex.Words(key, "")[0] != key {
				c.Fail(argName(i, p.Name) + " must be one word of letters, digits, '_', '.' or '-', got " + quote(key))
			}
			if err := sim.CheckKey(key); err != nil {
				c.Fail(argName(i, p.Name) + ": " + err.Error())
			}
			v.Text = key
		case sim.KindAmnesia:
			v.Amnesia, v.N = amnesia(c, i, p)
		case sim.KindLink:
			v.Link = sim.Link{From: w.nodeArg(c, i, "from"), To: w.nodeArg(c, i+1, "to")}
			if c.Given(i + 2) {
				v.Link.OneWay = c.Bool(i+2, "oneWay")
			}
			i += 2
		case sim.KindGroups:
			v.Groups = w.groups(c, i, p.Name)
		case sim.KindReadPath:
			if c.Given(i) {
				path, ok := sim.ReadPathByName(c.String(i, p.Name))
				if !ok || path == sim.ReadDefault {
					c.Fail(argName(i, p.Name) + ` must be "local", "read-index" or "lease", got ` + quote(c.String(i, p.Name)))
				}
				v.Path = path
			}
		case sim.KindServers:
			v.Servers = w.servers(c, i, p.Name)
		}
		i++
	}
	return vals
}

func argName(i int, name string) string { return "argument " + itoa(i+1) + " (" + name + ")" }

// msgSelector reads argument i: a message id, or a selector as the action
// text writes it ("S2>S3", "S2>S3 RequestVote", "*>S1 append-reply", "7").
func msgSelector(c *Call, i int, name string) sim.MsgSelector {
	v := c.arg(i)
	switch v.Type() {
	case js.TypeNumber:
		if id, ok := toInt(v, 1, sim.MaxMessageID); ok {
			return sim.MsgSelector{ID: id}
		}
	case js.TypeString:
		sel, err := sim.ParseSelector(v.String())
		if err != nil {
			c.Fail(argName(i, name) + ": " + err.Error())
		}
		return sel
	}
	c.argFail(i, name, `a message id or a selector like "S2>S3 RequestVote"`, v)
	return sim.MsgSelector{}
}

// amnesia reads what a restart forgets: nothing, "forget-vote" or
// {loseTail: N}.
func amnesia(c *Call, i int, p sim.Param) (sim.Amnesia, int64) {
	v := c.arg(i)
	switch {
	case v.IsUndefined() || v.IsNull():
		return sim.AmnesiaNone, 0
	case v.Type() == js.TypeString && v.String() == "forget-vote":
		return sim.AmnesiaVote, 0
	case v.Type() == js.TypeObject && !isArray(v) && !v.Get("loseTail").IsUndefined():
		n, ok := toInt(v.Get("loseTail"), int(p.Min), int(p.Max))
		if !ok {
			c.Fail(argName(i, p.Name) + ".loseTail must be " + intRange(int(p.Min), int(p.Max)) + ", got " + describe(v.Get("loseTail")))
		}
		return sim.AmnesiaLogTail, int64(n)
	}
	c.argFail(i, p.Name, `"forget-vote", {loseTail: N} or nothing`, v)
	return 0, 0
}

// groups reads a partition: an array of non-empty arrays of servers. It
// checks each array's length before reading its elements, so a huge or
// endless array costs nothing.
func (w *widget) groups(c *Call, i int, name string) [][]raft.NodeID {
	v := c.arg(i)
	if v.Type() != js.TypeObject || !isArray(v) || v.Length() == 0 || v.Length() > raft.MaxNodes {
		c.argFail(i, name, "an array of groups of servers, like [[1, 2], [3, 4, 5]]", v)
	}
	groups := make([][]raft.NodeID, v.Length())
	for k := range groups {
		g := v.Index(k)
		if g.Type() != js.TypeObject || !isArray(g) || g.Length() == 0 || g.Length() > raft.MaxNodes {
			c.Fail(argName(i, name) + ": group " + itoa(k+1) + " must be a non-empty array of at most " +
				itoa(raft.MaxNodes) + " servers, got " + describe(g))
		}
		for j := 0; j < g.Length(); j++ {
			groups[k] = append(groups[k], w.nodeValue(c, g.Index(j), argName(i, name)+": group "+itoa(k+1)+", server "+itoa(j+1)))
		}
	}
	return groups
}

// servers reads distinct servers: an array like [3, 4, 5] or ["S3", "S4"],
// returned sorted. Its length is checked before its elements are read.
func (w *widget) servers(c *Call, i int, name string) []raft.NodeID {
	v := c.arg(i)
	if v.Type() != js.TypeObject || !isArray(v) || v.Length() == 0 || v.Length() > raft.MaxNodes {
		c.argFail(i, name, "a non-empty array of distinct servers, like [3, 4, 5]", v)
	}
	ids := make([]raft.NodeID, v.Length())
	for k := range ids {
		ids[k] = w.nodeValue(c, v.Index(k), argName(i, name)+": server "+itoa(k+1))
		for _, seen := range ids[:k] {
			if seen == ids[k] {
				c.Fail(argName(i, name) + ": " + ids[k].String() + " is listed twice")
			}
		}
	}
	slices.Sort(ids)
	return ids
}

// readValue is what read() returns: the value read, or null (the key not
// set, or a read by ReadIndex or lease not served yet).
func readValue(evs []sim.Event) any {
	for _, e := range evs {
		if e.Kind == sim.EvRead && e.Found {
			return e.Value
		}
	}
	return nil
}

// nodeArg reads argument i as a server of this cluster: a number 1..N or a
// name "S1".."SN".
func (w *widget) nodeArg(c *Call, i int, name string) raft.NodeID {
	return w.nodeValue(c, c.arg(i), argName(i, name))
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
		if id, msg := lex.Server(s); msg == "" && int(id) <= n {
			return id
		}
		c.Fail(what + " must be " + want + ", got " + quote(s))
	}
	c.Fail(what + " must be " + want + ", got " + describe(v))
	return 0
}
