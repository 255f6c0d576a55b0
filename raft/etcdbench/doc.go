// Package etcdbench measures raftlab's core side by side with etcd's raft
// (go.etcd.io/raft/v3) in one process: the same cluster sizes, the same
// proposals, the same in-memory storage and FIFO network, every Ready
// handled in full (persist, send, apply, advance).
//
// It is a module of its own so that the main module never depends on etcd.
// Run it from the repository root with
//
//	make bench-etcd
//
// or, in this directory, go test -run '^$' -bench . -benchmem.
package etcdbench
