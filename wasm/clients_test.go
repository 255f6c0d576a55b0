//go:build js && wasm

package main

import (
	"syscall/js"
	"testing"
)

// Reads by path, a transfer, the client history and a read that is not
// linearizable, through the JavaScript API.
func TestHandleClientsAndTransfer(t *testing.T) {
	h := newHandle(t, map[string]any{"scenario": "nodes: 3\ntimers: frozen\nlatency: 10\nsetup:\n  timeout S1; flush; timeout S1; flush\n"})
	run(t, h, "propose", 1, "set x 3")
	run(t, h, "deliver", "S1>S2 append")
	run(t, h, "deliver", "S2>S1 append-reply")
	if v := run(t, h, "read", 2, "x", "local"); !v.IsNull() {
		t.Errorf("a stale local read gave %v, want null (not set)", v)
	}
	st := h.Call("state")
	vs := st.Get("violations")
	if vs.Length() != 1 || vs.Index(0).Get("safety").Bool() || vs.Index(0).Get("property").String() != "Linearizability" ||
		stringify(vs.Index(0).Get("ops")) != "[2,1]" || vs.Index(0).Get("key").String() != "x" {
		t.Errorf("violations %s", stringify(vs))
	}
	clients := st.Get("clients")
	if clients.Length() != 2 {
		t.Fatalf("clients %s", stringify(clients))
	}
	w, r := clients.Index(0), clients.Index(1)
	if w.Get("kind").String() != "write" || w.Get("command").String() != "set x 3" || w.Get("status").String() != "done" ||
		w.Get("index").Int() != 2 || w.Get("return").Type() != js.TypeNumber {
		t.Errorf("write %s", stringify(w))
	}
	if r.Get("kind").String() != "read" || r.Get("path").String() != "local" || !r.Get("value").IsNull() ||
		r.Get("callEvent").Int() != r.Get("returnEvent").Int() {
		t.Errorf("read %s", stringify(r))
	}

	// A ReadIndex read is not served at once: read() gives null, and the
	// server shows it among its reads.
	if v := run(t, h, "read", 3, "x", "read-index"); !v.IsNull() {
		t.Errorf("read-index read = %v, want null until it is served", v)
	}
	reads := h.Call("state").Get("nodes").Index(2).Get("reads")
	if reads.Length() != 1 || reads.Index(0).Get("path").String() != "read-index" || !reads.Index(0).Get("index").IsNull() {
		t.Errorf("S3's reads %s", stringify(reads))
	}
	if _, thrown := call(h.Get("read"), h, 1, "x", "quorum"); thrown.IsUndefined() ||
		thrown.Get("message").String() != `cluster.read: argument 3 (path) must be "local", "read-index" or "lease", got "quorum"` {
		t.Errorf("a bad path: %v", thrown)
	}

	run(t, h, "transfer", 1, "S3")
	if got := h.Call("state").Get("nodes").Index(0).Get("transferee"); got.Type() != js.TypeNumber || got.Int() != 3 {
		t.Errorf("S1's transferee %s", stringify(got))
	}
	run(t, h, "flush")
	if nodeRole(h, 2) != "Leader" {
		t.Errorf("after the transfer S3 is %s", nodeRole(h, 2))
	}
	if _, thrown := call(h.Get("transfer"), h, 3, 3); thrown.IsUndefined() {
		t.Error("a transfer to itself did not throw")
	}
}
