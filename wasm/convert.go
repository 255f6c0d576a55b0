//go:build js && wasm

package main

// Go values of the simulator turned into plain JS objects, field by field
// (no JSON, no reflection). Node ids are numbers (1 for S1); "no server"
// (no vote, no known leader) is null.

import (
	"syscall/js"

	"raftlab/raft"
	"raftlab/raft/sim"
)

var (
	jsObject = js.Global().Get("Object")
	jsArray  = js.Global().Get("Array")
)

func newArray(n int) js.Value { return jsArray.New(n) }

// nullObject is an object without a prototype: any key, "__proto__"
// included, is an own property.
func nullObject() js.Value { return jsObject.Call("create", js.Null()) }

// nodeValue is id as a JS value: a number, or null for raft.None.
func nodeValue(id raft.NodeID) any {
	if id == raft.None {
		return nil
	}
	return int(id)
}

func nodeList(ids []raft.NodeID) js.Value {
	a := newArray(len(ids))
	for i, id := range ids {
		a.SetIndex(i, int(id))
	}
	return a
}

// reasonObject is {code, text, section, rule}, or null for no reason.
func reasonObject(wd *sim.Words, r raft.Reason) any {
	if r.Code == raft.ReasonNone {
		return nil
	}
	o := newObject()
	o.Set("code", r.Code.String())
	o.Set("text", wd.Reason(r))
	o.Set("section", r.Code.Section())
	o.Set("rule", wd.Rule(r.Code))
	o.Set("rejection", r.Code.IsRejection())
	return o
}

func entryObject(e raft.Entry) js.Value {
	o := newObject()
	o.Set("index", int(e.Index))
	o.Set("term", int(e.Term))
	o.Set("kind", e.Kind.String())
	o.Set("data", e.Data)
	return o
}

func roleName(n *sim.NodeState) string {
	if !n.Up {
		return "Down"
	}
	return n.Role.String()
}

func nodeObject(n *sim.NodeState) js.Value {
	o := newObject()
	o.Set("id", int(n.ID))
	o.Set("name", n.ID.String())
	o.Set("up", n.Up)
	o.Set("role", roleName(n))
	o.Set("term", int(n.Term))
	o.Set("vote", nodeValue(n.Vote))
	o.Set("leader", nodeValue(n.Leader))
	log := newArray(len(n.Log))
	for i, e := range n.Log {
		log.SetIndex(i, entryObject(e))
	}
	o.Set("log", log)
	o.Set("commitIndex", int(n.CommitIndex))
	o.Set("lastApplied", int(n.LastApplied))
	kv := nullObject()
	for _, p := range n.KV {
		kv.Set(p.Key, p.Value)
	}
	o.Set("kv", kv)
	o.Set("timerRemaining", n.TimerRemaining)
	o.Set("timerLength", n.TimerLength)
	o.Set("votes", nodeList(n.Votes))
	prog := newArray(len(n.Progress))
	for i, p := range n.Progress {
		po := newObject()
		po.Set("id", int(p.ID))
		po.Set("next", int(p.Next))
		po.Set("match", int(p.Match))
		po.Set("state", p.State.String())
		prog.SetIndex(i, po)
	}
	o.Set("progress", prog)
	// The log's entries follow the snapshot through snapshotIndex (0:
	// none): log[0] has index snapshotIndex+1.
	o.Set("snapshotIndex", int(n.SnapshotIndex))
	o.Set("snapshotTerm", int(n.SnapshotTerm))
	o.Set("membership", membershipObject(n.Membership))
	o.Set("configIndex", int(n.ConfigIndex))
	o.Set("transferee", nodeValue(n.Transferee))
	o.Set("lease", n.Lease)
	o.Set("drift", float64(n.Drift)/10)
	reads := newArray(len(n.Reads))
	for i, r := range n.Reads {
		ro := newObject()
		ro.Set("op", r.Op)
		ro.Set("key", r.Key)
		ro.Set("path", r.Path.String())
		if r.Ready {
			ro.Set("index", int(r.Index))
		} else {
			ro.Set("index", js.Null())
		}
		reads.SetIndex(i, ro)
	}
	o.Set("reads", reads)
	return o
}

// membershipObject is a configuration: {voters, learners, outgoing}, each
// an array of server numbers (outgoing: C_old during a joint change).
func membershipObject(m raft.Membership) js.Value {
	o := newObject()
	o.Set("voters", nodeList(m.Voters))
	o.Set("learners", nodeList(m.Learners))
	o.Set("outgoing", nodeList(m.Outgoing))
	return o
}

func messageObject(wd *sim.Words, m *sim.Message) js.Value {
	o := newObject()
	o.Set("id", m.ID)
	o.Set("from", int(m.From))
	o.Set("to", int(m.To))
	o.Set("type", m.Type.String())
	o.Set("term", int(m.Term))
	o.Set("sentAt", m.SentAt)
	o.Set("arriveAt", m.ArriveAt)
	o.Set("entries", len(m.Entries))
	o.Set("success", m.Success)
	o.Set("prevLogIndex", int(m.PrevLogIndex))
	o.Set("prevLogTerm", int(m.PrevLogTerm))
	o.Set("leaderCommit", int(m.LeaderCommit))
	o.Set("lastLogIndex", int(m.LastLogIndex))
	o.Set("lastLogTerm", int(m.LastLogTerm))
	o.Set("matchIndex", int(m.MatchIndex))
	if m.Type == raft.MsgSnap && m.Snapshot != nil {
		o.Set("snapshotIndex", int(m.Snapshot.Index))
		o.Set("snapshotTerm", int(m.Snapshot.Term))
		o.Set("membership", membershipObject(m.Snapshot.Config))
	}
	o.Set("reason", reasonObject(wd, m.Reason))
	return o
}

func violationObject(wd *sim.Words, v sim.Violation) js.Value {
	o := newObject()
	o.Set("property", v.Property.String())
	o.Set("text", wd.ViolationText(v))
	o.Set("nodes", nodeList(v.Nodes))
	o.Set("index", int(v.Index))
	o.Set("term", int(v.Term))
	if len(v.Config.Voters) > 0 {
		o.Set("membership", membershipObject(v.Config)) // the configuration the decision was made in
	}
	if len(v.Committed.Voters) > 0 {
		o.Set("committed", membershipObject(v.Committed))
	}
	o.Set("safety", v.Property.Safety())
	if v.Property == sim.Linearizability {
		ops := newArray(len(v.Ops))
		for i, op := range v.Ops {
			ops.SetIndex(i, op)
		}
		o.Set("ops", ops)
		o.Set("key", v.Key)
	}
	return o
}

// clientOpObject is one client operation of the history.
func clientOpObject(op *sim.ClientOp) js.Value {
	o := newObject()
	o.Set("id", op.ID)
	o.Set("node", int(op.Node))
	o.Set("key", op.Key)
	if op.Write {
		o.Set("kind", "write")
		o.Set("command", op.Command)
	} else {
		o.Set("kind", "read")
		o.Set("path", op.Path.String())
	}
	o.Set("status", op.Status.String())
	o.Set("call", op.Call)
	o.Set("callEvent", op.CallEvent)
	if op.Return >= 0 {
		o.Set("return", op.Return)
		o.Set("returnEvent", op.ReturnEvent)
	} else {
		o.Set("return", js.Null())
		o.Set("returnEvent", js.Null())
	}
	if !op.Write && op.Status == sim.OpDone {
		if op.Found {
			o.Set("value", op.Value)
		} else {
			o.Set("value", js.Null())
		}
	}
	if op.Index != 0 {
		o.Set("index", int(op.Index))
	}
	return o
}

// stateObject is the whole of st as a plain JS object.
func stateObject(wd *sim.Words, st *sim.State) js.Value {
	o := newObject()
	o.Set("time", st.Time)
	o.Set("frozen", st.Frozen)
	nodes := newArray(len(st.Nodes))
	for i := range st.Nodes {
		nodes.SetIndex(i, nodeObject(&st.Nodes[i]))
	}
	o.Set("nodes", nodes)
	msgs := newArray(len(st.Messages))
	for i := range st.Messages {
		msgs.SetIndex(i, messageObject(wd, &st.Messages[i]))
	}
	o.Set("messages", msgs)
	blocked := newArray(len(st.Blocked))
	for i, l := range st.Blocked {
		lo := newObject()
		lo.Set("from", int(l.From))
		lo.Set("to", int(l.To))
		blocked.SetIndex(i, lo)
	}
	o.Set("blocked", blocked)
	o.Set("dropRate", float64(st.DropRate)/10)
	lat := newObject()
	lat.Set("min", st.LatencyMin)
	lat.Set("max", st.LatencyMax)
	o.Set("latency", lat)
	vs := newArray(len(st.Violations))
	for i, v := range st.Violations {
		vs.SetIndex(i, violationObject(wd, v))
	}
	o.Set("violations", vs)
	clients := newArray(len(st.Clients))
	for i := range st.Clients {
		clients.SetIndex(i, clientOpObject(&st.Clients[i]))
	}
	o.Set("clients", clients)
	o.Set("clientsLeftOut", st.ClientsLeftOut)
	o.Set("position", st.Position)
	o.Set("recorded", st.Recorded)
	o.Set("oldest", st.Oldest)
	o.Set("events", st.Events)
	return o
}

// eventObject is one event: the fields every event has, those its kind
// uses, and its trace line in the cluster's language.
func eventObject(wd *sim.Words, e *sim.Event) js.Value {
	o := newObject()
	o.Set("seq", e.Seq)
	o.Set("time", e.Time)
	o.Set("action", e.Action)
	o.Set("kind", e.Kind.String())
	o.Set("node", nodeValue(e.Node))
	o.Set("peer", nodeValue(e.Peer))
	o.Set("term", int(e.Term))
	switch e.Kind {
	case sim.EvSend, sim.EvDeliver, sim.EvDrop, sim.EvLost, sim.EvDuplicate:
		o.Set("msg", e.Msg)
		o.Set("type", e.MsgType.String())
		o.Set("entries", e.Summary.Entries)
		if e.MsgType.IsResponse() {
			o.Set("success", e.Summary.Success)
		}
		if e.Kind == sim.EvDuplicate {
			o.Set("dup", e.Dup)
		}
	case sim.EvPropose, sim.EvApply:
		o.Set("index", int(e.Index))
		o.Set("text", e.Text)
		if e.Kind == sim.EvApply {
			o.Set("entryKind", e.EntryKind.String())
		}
	case sim.EvChangeVoters:
		o.Set("text", e.Text)
	case sim.EvRedirect, sim.EvNoAnswer, sim.EvLostRequest, sim.EvReadAsk, sim.EvReadFailed:
		o.Set("text", e.Text)
	case sim.EvAnswer:
		o.Set("text", e.Text)
		o.Set("index", int(e.Index))
		o.Set("done", e.Found)
	case sim.EvRead:
		o.Set("text", e.Text)
		o.Set("index", int(e.Index))
		if e.Found {
			o.Set("value", e.Value)
		} else {
			o.Set("value", js.Null())
		}
	case sim.EvNote:
		o.Set("reason", reasonObject(wd, e.Reason))
		o.Set("decidedAs", e.DecidedAs.String())
	case sim.EvViolation:
		if e.Violation != nil {
			o.Set("violation", violationObject(wd, *e.Violation))
		}
	case sim.EvSnapshot, sim.EvRestore:
		o.Set("index", int(e.Index))
		if e.Config != nil {
			o.Set("membership", membershipObject(*e.Config))
		}
	case sim.EvRestart:
		o.Set("index", int(e.Index))
		o.Set("snapshotIndex", int(e.Snapshot))
	case sim.EvPersist:
		o.Set("index", int(e.Index))
		o.Set("entries", len(e.Entries))
		o.Set("vote", nodeValue(e.Vote))
	}
	if e.Op != 0 {
		o.Set("op", e.Op)
	}
	if e.Path != sim.ReadDefault {
		o.Set("path", e.Path.String())
	}
	if e.Kind != sim.EvPersist && e.Node != raft.None {
		o.Set("vote", nodeValue(e.Vote))
		o.Set("leader", nodeValue(e.Leader))
	}
	o.Set("line", wd.Line(*e))
	return o
}
