// Package raft is a Raft consensus server written as a pure state machine,
// following Figure 2 of "In Search of an Understandable Consensus Algorithm
// (Extended Version)" by Ongaro and Ousterhout, with the extensions of
// §6 and §7 of that paper and of Ongaro's dissertation ("Consensus:
// Bridging Theory and Practice", 2014) that practice needs.
//
// A Node does no I/O, starts no goroutines, reads no clock and draws no
// global randomness. Everything goes in through a method:
//
//   - Tick advances its logical clock (election and heartbeat timeouts);
//   - Step hands it one message: RequestVote, AppendEntries,
//     InstallSnapshot, a pre-vote, TimeoutNow, a forwarded read, or a
//     reply;
//   - Propose and ProposeBatch ask a leader to append commands;
//   - Compact hands it the application's snapshot (§7);
//   - AddServer, RemoveServer and ChangeVoters change the membership
//     (dissertation chapter 4; §6);
//   - TransferLeadership hands leadership over (dissertation §3.10);
//   - ReadIndex and LeaseRead ask for linearizable reads (§6.4);
//   - FireTimeout expires its timer now (a teaching action).
//
// Everything comes out as data through Ready: the snapshot, HardState and
// log entries to persist, the messages to send, a snapshot to reset the
// state machine from, the committed entries to apply, the reads that may be
// served, and Notes that explain each decision with a Reason ("vote denied:
// candidate's log is less up to date: last term 2 < 3"). The caller
// persists, sends, restores and applies, then calls Advance.
// MemoryStorage keeps what a server persisted, and restarts it.
//
// A Reason explains; it never steers. Every decision reads protocol fields
// only, so a transport may drop the Reasons, and Config.Quiet switches them
// off altogether for searches and benchmarks.
//
// The zero Config beyond the required fields is Figure 2 as the paper
// states it; each extension is a switch:
//
//   - AnnounceCommit: a leader tells followers a new commitIndex at once;
//   - CoalesceAppends: one AppendEntries per follower per Ready;
//   - JointConsensus: membership changes through C_old,new (§6) rather than
//     one server at a time;
//   - PreVote (dissertation §9.6), CheckQuorum (§6.2), StickyLeader (§4.2.3);
//   - LeaseDriftPerMille: the clock drift bound of lease reads (§6.4.1).
//
// UnsafeRules switch individual rules off, each the way learners most
// often get it wrong, so that a learner can watch what breaks: commitment
// by counting (Figure 8), votes, the receiver rules, replies of earlier
// terms, applying, membership changes (the bug published in 2015 among
// them) and reads. Swarm schedules in the tests find what every switch
// breaks within a fixed budget.
//
// The code is laid out like the paper: node.go holds the rules for all
// servers, follower.go the RequestVote and AppendEntries receivers,
// candidate.go elections (§5.2), prevote.go pre-votes, leader.go
// replication and commitment (§5.3, §5.4.2) with progress.go for what a
// leader knows of each follower, snapshot.go compaction and InstallSnapshot
// (§7, Figure 13), membership.go configurations, configuration.go the one
// a server uses, confchange.go the changes a leader makes and catchup.go
// new servers catching up (dissertation chapter 4), quorum.go the majority
// rules, transfer.go leadership transfer and read.go reads.
// Comments name the rule of Figure 2 or the section each piece of code
// carries out.
package raft
