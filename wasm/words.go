//go:build js && wasm

package main

import "strings"

// Words for people come from one table per language, so that a translation
// replaces the table and no sentence is assembled in code. A message may
// hold {name} placeholders, filled by say.
var english = map[string]string{
	"cluster.label": "A Raft cluster of {n} servers",
	"node.label":    "Server {id}, {role}",
	"role.Follower": "Follower",
}

// words is the table in use.
var words = english

// say returns the message key with its placeholders filled from kv, given as
// name, value pairs: say("node.label", "id", "3", "role", "Follower").
func say(key string, kv ...string) string {
	msg, ok := words[key]
	if !ok {
		msg = english[key]
	}
	if len(kv) == 0 {
		return msg
	}
	pairs := make([]string, 0, len(kv))
	for i := 0; i+1 < len(kv); i += 2 {
		pairs = append(pairs, "{"+kv[i]+"}", kv[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(msg)
}
