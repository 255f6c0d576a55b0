// Package goal is the goal language of raftlab's tutorials: conditions over
// a simulated cluster's state and history that a chapter's page ticks off as
// the learner reaches them. The same code runs natively (the site builder
// validates chapters, tests play their solutions) and in WebAssembly (the
// page checks goals live), so it uses no fmt, encoding/json or regexp.
//
// # The language
//
// One goal per line. '#' starts a comment (a chapter shows it as the goal's
// words); blank lines are ignored. Words are case-insensitive.
//
//	goal      = [ "ever" | "never" ] condition { "and" condition }
//	condition = subject predicate | event
//	subject   = S1 … S9 | any | all | no | majority | N servers
//
// State predicates describe one moment of the cluster ("S2 leader term >=
// 1", "S3 log [1,1,2]", "majority has entry 2 term 2"); events describe
// something that happens and need "ever" or "never" ("ever S1
// stepped-down", "ever reason vote-denied-log-term", "ever split-vote",
// "ever overwritten entry 3"). Each predicate is one entry of the table in
// predicates.go — its words, how it is read, how it is evaluated — and
// tutorials/AUTHORING.md describes every one for authors (a test checks that
// it names every word). CMP is one of = >= <= > < and may be left out (it
// means =). A subject other than a server counts servers: "any leader", "no
// leader", "all applied >= 2", "3 servers have entry 2" (at least 3; "has"
// and "have" are the same word). Crashed servers count too: they are down,
// hold their log on disk, and have commit and applied 0. "and" joins state
// conditions that must hold at the same moment:
//
//	S1 applied >= 2 and S2 has entry 2 not-applied
//
// # When a goal is met
//
// The cluster is looked at after every step of a server (one delivered
// message, one timer, one request: the events it causes form one group) and
// at the start, after the scenario's setup. History starts at the start too:
// events of the setup do not count. A restart is a crash and then a start,
// so for one moment the server is down.
//
//   - A goal without a prefix, or with "ever", is met at the first moment
//     its condition holds, and stays met (it is latched): a chapter ticks it
//     off. "S2 leader" and "ever S2 leader" mean the same.
//   - "never C" is a bound: it holds while C has not happened. It counts as
//     met once every other goal of its list is met while it still holds
//     (so it is not met at the start), and it is broken for good if C
//     happens first. A list of bounds only is met at the start.
//
// A Watcher follows one cluster: Update reads only the events added since
// the last call, and starts over when the cluster went back (an undo or a
// seek removed events) or is another cluster, so goals met after the moment
// the cluster went back to are unmet again.
package goal
