//go:build js && wasm

package main

// Words for people come from the words tables (raftlab/raft/words, one content
// file per language), so that a translation is a new file and no sentence
// is assembled in code. A message may hold {name} placeholders, filled from
// name, value pairs. Each cluster speaks its own language (the lang option
// of raftlab.create): its trace, reasons and violations through w.words
// (sim.Words), its view's words through v.word. There is no English-only
// path: a word the view shows goes through its cluster's table.

// word returns a message in the cluster's language: v.word("node.label",
// "id", "S3", ...). It is not inlined: the view calls it at some 150 places,
// none of them hot, and a copy of the table lookup at each one cost the
// module about 6 KB (brotli).
//
//go:noinline
func (v *view) word(key string, kv ...string) string { return v.w.words.Say(key, kv...) }
