// Package raft is a Raft consensus server written as a pure state machine,
// following Figure 2 of "In Search of an Understandable Consensus Algorithm
// (Extended Version)" by Ongaro and Ousterhout.
//
// A Node does no I/O, starts no goroutines, reads no clock and draws no
// global randomness. Everything goes in through a method:
//
//   - Tick advances its logical clock (election and heartbeat timeouts);
//   - Step hands it one RequestVote or AppendEntries request or reply;
//   - Propose asks a leader to append a command;
//   - FireTimeout expires its timer now (a teaching action).
//
// Everything comes out as data through Ready: the HardState and log entries
// to persist, the messages to send, the committed entries to apply, and
// Notes that explain each decision with a Reason ("vote denied: candidate's
// log is less up to date: last term 2 < 3"). The caller persists, sends and
// applies, then calls Advance.
//
// The code is laid out like the paper: node.go holds the rules for all
// servers, follower.go the RequestVote and AppendEntries receivers,
// candidate.go elections (§5.2), leader.go replication and commitment (§5.3,
// §5.4.2). Comments name the rule of Figure 2 or the section each piece of
// code carries out. UnsafeRules switches individual safety rules off so that
// a learner can watch what breaks.
package raft
