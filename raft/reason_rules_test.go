package raft_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
	"raftlab/raft/sim"
)

// reviewedRules is the reviewed copy of the rule label and paper section of
// every reason code. Each row was checked once against Figure 2 and §5–§8 of
// the extended Raft paper (the accuracy review of chapters 1–8, findings M3
// and I13 among them); the comment quotes what the label points at. The
// table is frozen: changing a label or a section in raft/reason.go fails
// this test until the new text has been checked against the paper and
// copied here. A new reason code needs a reviewed row before it can pass.
var reviewedRules = map[string]struct{ rule, section string }{
	// RequestVote receiver 2: "If votedFor is null or candidateId, and
	// candidate's log is at least as up-to-date as receiver's log, grant vote".
	"vote-granted": {"RequestVote receiver rule 2", "§5.2"},
	// RequestVote receiver 1: "Reply false if term < currentTerm (§5.1)".
	"vote-denied-stale-term": {"RequestVote receiver rule 1", "§5.1"},
	// RequestVote receiver 2, first half: votedFor is someone else.
	"vote-denied-already-voted": {"RequestVote receiver rule 2", "§5.2"},
	// RequestVote receiver 2, second half; "up-to-date" is defined in §5.4.1
	// (later last term wins, then the longer log).
	"vote-denied-log-term":  {"RequestVote receiver rule 2 (up-to-date log)", "§5.4.1"},
	"vote-denied-log-index": {"RequestVote receiver rule 2 (up-to-date log)", "§5.4.1"},
	// AppendEntries receiver 3–5: delete conflicts, append new entries, set
	// commitIndex = min(leaderCommit, index of last new entry).
	"append-accepted": {"AppendEntries receiver rules 3-5", "§5.3"},
	// AppendEntries receiver 1: "Reply false if term < currentTerm (§5.1)".
	"append-denied-stale-term": {"AppendEntries receiver rule 1", "§5.1"},
	// AppendEntries receiver 2: "Reply false if log doesn't contain an entry
	// at prevLogIndex whose term matches prevLogTerm (§5.3)".
	"append-denied-missing-entry": {"AppendEntries receiver rule 2", "§5.3"},
	"append-denied-term-mismatch": {"AppendEntries receiver rule 2", "§5.3"},
	// A follower's timeout (Followers 2) makes it a candidate, which starts
	// an election (Candidates 1); a candidate's timeout starts a new one
	// (Candidates 4). Finding I13.
	"election-started": {"Rules for Servers: Followers 2; Candidates 1 and 4", "§5.2"},
	// Candidates 2: "If votes received from majority of servers: become leader".
	"became-leader": {"Rules for Servers: Candidates 2", "§5.2"},
	// All Servers 2: "If RPC request or response contains term T >
	// currentTerm: set currentTerm = T, convert to follower (§5.1)".
	"stepped-down": {"Rules for Servers: All Servers 2", "§5.1"},
	// Candidates 3: "If AppendEntries RPC received from new leader: convert
	// to follower".
	"followed-leader": {"Rules for Servers: Candidates 3", "§5.2"},
	// Counting votes toward Candidates 2's majority.
	"vote-received": {"Rules for Servers: Candidates 2", "§5.2"},
	"vote-refused":  {"Rules for Servers: Candidates 2", "§5.2"},
	// Figure 2 has no rule for a reply that answers an older term's request;
	// All Servers 2 is for a higher term only. §5.1: terms expose obsolete
	// information. Finding M3.
	"reply-ignored-stale": {"not in Figure 2: a reply to a request of an earlier term is out of date", "§5.1"},
	// Leaders 3: nextIndex and matchIndex follow the request in flight; a
	// late refusal of a request already moved past changes nothing.
	"reply-ignored-old": {"Rules for Servers: Leaders 3", "§5.3"},
	// No Figure 2 rule: a reply nobody waits for (a vote reply after the
	// election is decided). Finding I13 (it cited Candidates 2).
	"reply-ignored-role": {"not in Figure 2: nothing waits for this reply any more (for a vote reply: the election is decided)", "§5.2"},
	// AppendEntries receiver 3: "If an existing entry conflicts with a new
	// one (same index but different terms), delete the existing entry and
	// all that follow it (§5.3)".
	"entries-truncated": {"AppendEntries receiver rule 3", "§5.3"},
	// Leaders 4 (the leader) and AppendEntries receiver 5 (a follower).
	"commit-advanced": {"Rules for Servers: Leaders 4; AppendEntries receiver rule 5", "§5.3"},
	// Leaders 4's "log[N].term == currentTerm"; why: §5.4.2.
	"commit-deferred": {"Rules for Servers: Leaders 4", "§5.4.2"},
	// Leaders 3: "If AppendEntries fails because of log inconsistency:
	// decrement nextIndex and retry (§5.3)".
	"next-index-backed-off": {"Rules for Servers: Leaders 3", "§5.3"},
	// Not a Figure 2 rule (Leaders 2 is the leader appending a command).
	// §8: a server that is not the leader rejects the client's request and
	// names the most recent leader it has heard from. Finding I13.
	"proposal-rejected": {"not in Figure 2: a server that is not the leader turns clients away and names the leader it knows", "§8"},
	// Leaders 1: "Upon election: send initial empty AppendEntries RPCs
	// (heartbeat) to each server; repeat during idle periods (§5.2)".
	"heartbeat-sent": {"Rules for Servers: Leaders 1", "§5.2"},

	// Part 2 (issues 11 and 12): rules of Figure 13 and of the dissertation
	// (Ongaro, Consensus: Bridging Theory and Practice, 2014). The comments
	// paraphrase the text they point at.

	// Figure 2 has followers learn leaderCommit from the next AppendEntries;
	// sending one at once is an optimization (Config.AnnounceCommit).
	"commit-announced": {"not in Figure 2: a leader may tell followers a new commitIndex at once instead of with the next AppendEntries", "§5.3"},
	// §7: Each server takes snapshots independently, covering just the
	// committed entries in its log.
	"log-compacted": {"not in Figure 2: a server replaces the log prefix its state machine holds with a snapshot", "§7"},
	// §7: the leader must occasionally send snapshots to followers that lag
	// behind ... when the leader has already discarded the next log entry.
	"snapshot-sent": {"not in Figure 2: a leader sends InstallSnapshot to a follower that needs entries it has compacted away", "§7"},
	// Figure 13 receiver 1: Reply immediately if term < currentTerm.
	"snapshot-denied-stale-term": {"InstallSnapshot receiver rule 1", "§7"},
	// Figure 13 has no rule for a snapshot older than what is committed;
	// installing it would move the state machine back. Receivers answer with
	// their commitIndex so the leader moves on.
	"snapshot-ignored-old": {"not in Figure 2: a snapshot that commitIndex has passed holds nothing new and would set the state machine back", "§7"},
	// Figure 13 receiver 6: If existing log entry has same index and term as
	// snapshot's last included entry, retain log entries following it.
	"snapshot-installed-kept-log": {"InstallSnapshot receiver rule 6", "§7"},
	// Figure 13 receivers 7-8: Discard the entire log; Reset state machine
	// using snapshot contents (and load snapshot's cluster configuration).
	"snapshot-installed": {"InstallSnapshot receiver rules 7-8", "§7"},
	// Leaders 3's update nextIndex and matchIndex for follower, after the
	// snapshot's reply.
	"snapshot-acked": {"Rules for Servers: Leaders 3", "§7"},
	// Dissertation §4.2.1: new servers join as non-voting members; only
	// voters stand for election.
	"campaign-skipped-not-voter": {"not in Figure 2: only a server whose vote counts in its configuration stands for election", "dissertation §4.2.1"},
	// Dissertation §4.2.1: the new server joins the cluster as a
	// non-voting member.
	"config-learner-added": {"not in Figure 2: a new server first catches up as a member without a vote", "dissertation §4.2.1"},
	// Dissertation §4.1: a server always uses the latest configuration in
	// its log, regardless of whether that entry is committed.
	"config-voter-added":    {"not in Figure 2: a configuration takes effect as soon as its entry is in the log", "dissertation §4.1"},
	"config-server-removed": {"not in Figure 2: a configuration takes effect as soon as its entry is in the log", "dissertation §4.1"},
	"config-voter-demoted":  {"not in Figure 2: a configuration takes effect as soon as its entry is in the log", "dissertation §4.1"},
	// §6: Agreement (for elections and entry commitment) requires separate
	// majorities from both the old and new configurations.
	"config-joint-entered": {"not in Figure 2: joint consensus, decisions need majorities of both C_old and C_new", "§6"},
	// §6: Once C_old,new has been committed ... it is now safe for the
	// leader to create a log entry describing C_new.
	"config-joint-left": {"not in Figure 2: once C_old,new has committed, the leader appends C_new", "§6"},
	// Dissertation §4.1: a log entry for a configuration change can be
	// removed (if leadership changes); in this case, a server must be
	// prepared to fall back to the previous configuration in its log.
	"config-rolled-back": {"not in Figure 2: a server uses the latest configuration in its log, so losing an entry undoes its configuration", "dissertation §4.1"},
	// Figure 13 receiver 8: (and load snapshot's cluster configuration).
	"config-from-snapshot": {"InstallSnapshot receiver rule 8", "§7"},
	// Dissertation §4.1: the leader ... does not begin a new configuration
	// change until the previous one has committed.
	"config-change-refused-pending": {"not in Figure 2: one configuration change at a time, after the previous one commits", "dissertation §4.1"},
	// The fix Ongaro posted to raft-dev in 2015 (in the dissertation's
	// errata): a leader may not append a new configuration entry until it
	// has committed an entry from its current term.
	"config-change-refused-term-uncommitted": {"not in Figure 2: a leader changes the configuration only after an entry of its own term commits (the 2015 fix)", "dissertation §4.1"},
	// Dissertation §4.2.1: If the last round lasts less than an election
	// timeout, then the leader adds the new server to the cluster.
	"learner-caught-up": {"not in Figure 2: a new server votes once a round of replication takes less than an election timeout", "dissertation §4.2.1"},
	// Dissertation §4.2.1: The replication of entries to the new server is
	// split into rounds.
	"catch-up-round": {"not in Figure 2: a new server catches up in rounds of replication", "dissertation §4.2.1"},
	// Dissertation §4.2.1: the leader should abort the change if the new
	// server is unavailable or is so slow that it will never catch up.
	"catch-up-aborted": {"not in Figure 2: a new server that cannot catch up is not added", "dissertation §4.2.1"},
	// Dissertation §4.2.2: the leader steps down ... once the C_new entry
	// is committed.
	"leader-removed-stepped-down": {"not in Figure 2: a leader outside the new configuration steps down once it commits", "dissertation §4.2.2"},
	// Dissertation §3.10: during a transfer the prior leader stops
	// accepting new client requests.
	"proposal-refused-transfer": {"not in Figure 2: during a leadership transfer the leader stops accepting client requests", "dissertation §3.10"},
	// Dissertation §9.6: the candidate would first ask other servers whether its log was up-to-date enough to get their vote; its term stays.
	"pre-vote-started": {"not in Figure 2: before raising its term, a server asks whether it could win (pre-vote)", "dissertation §9.6"},
	// Dissertation §9.6: a pre-vote is granted to a candidate that could win a real election.
	"pre-vote-granted": {"not in Figure 2: a pre-vote is granted to a candidate that could win (later term, log up to date)", "dissertation §9.6"},
	// Dissertation §9.6: a proposed term no later than ours could not win here.
	"pre-vote-denied-stale-term": {"not in Figure 2: a pre-vote is granted to a candidate that could win (later term, log up to date)", "dissertation §9.6"},
	// Dissertation §9.6 with §5.4.1's up-to-date comparison.
	"pre-vote-denied-log": {"not in Figure 2: a pre-vote is granted to a candidate that could win (later term, log up to date)", "dissertation §9.6"},
	// Dissertation §9.6: Only if the candidate believed it could get votes from a majority of the cluster would it increment its term.
	"pre-vote-received": {"not in Figure 2: a pre-candidate stands for election once a majority would vote for it", "dissertation §9.6"},
	// Dissertation §9.6: counting the answers.
	"pre-vote-refused": {"not in Figure 2: a pre-candidate stands for election once a majority would vote for it", "dissertation §9.6"},
	// Dissertation §9.6: a candidate that could not win does not disrupt the cluster.
	"pre-vote-lost": {"not in Figure 2: a pre-candidate that could not win does not raise its term", "dissertation §9.6"},
	// Dissertation §4.2.3: if a server receives a RequestVote request within the minimum election timeout of hearing from a current leader, it does not update its term or grant its vote.
	"vote-ignored-leader-alive": {"not in Figure 2: a server that hears from a leader ignores vote requests for an election timeout", "dissertation §4.2.3"},
	// Dissertation §6.2: a leader steps down if an election timeout elapses without a successful round of heartbeats to a majority of its cluster.
	"check-quorum-stepped-down": {"not in Figure 2: a leader that has not heard from a majority within an election timeout steps down", "dissertation §6.2"},
	// Dissertation §3.10: The prior leader stops accepting new client requests and brings the target's log up to date.
	"transfer-started": {"not in Figure 2: leadership transfer: stop taking requests and bring the target up to date", "dissertation §3.10"},
	// Dissertation §3.10: The prior leader sends a TimeoutNow request to the target server.
	"timeout-now-sent": {"not in Figure 2: leadership transfer: once the target is up to date, tell it to time out now", "dissertation §3.10"},
	// Dissertation §3.10: If the transfer does not complete within an election timeout, the prior leader aborts the transfer and resumes accepting client requests.
	"transfer-aborted": {"not in Figure 2: an unfinished leadership transfer is abandoned after an election timeout", "dissertation §3.10"},
	// Dissertation §3.10: the target must be a voter to be elected.
	"transfer-refused-not-voter": {"not in Figure 2: only a voter can take over leadership", "dissertation §3.10"},
	// Dissertation §3.10: the target starts a new election at once.
	"timeout-now-received": {"not in Figure 2: the target of a leadership transfer starts an election at once", "dissertation §3.10"},
	// Dissertation §3.10: a server whose vote does not count cannot be elected.
	"timeout-now-ignored": {"not in Figure 2: only a voter can take over leadership", "dissertation §3.10"},
	// Dissertation §6.4: followers issue a request to the leader just to learn its current commit index.
	"read-forwarded": {"not in Figure 2: a follower asks the leader for the read index", "dissertation §6.4"},
	// Dissertation §6.4 step 1: If the leader has not yet marked an entry from its current term committed, it waits until it has done so.
	"read-waits-for-term": {"not in Figure 2: a leader serves reads only once an entry of its term has committed", "dissertation §6.4"},
	// Dissertation §6.4 steps 2-3: save commitIndex as the read index, then send a new round of heartbeats.
	"read-index-round": {"not in Figure 2: a leader confirms it still leads with a round of heartbeats before serving reads", "dissertation §6.4"},
	// Dissertation §6.4 step 4: once a majority acknowledged, serve the read when lastApplied reaches the read index.
	"read-index-confirmed": {"not in Figure 2: a confirmed read is served once the state machine applied the read index", "dissertation §6.4"},
	// Dissertation §6.4: only a leader that confirms its leadership serves reads.
	"read-refused": {"not in Figure 2: only a leader that confirms its leadership serves reads", "dissertation §6.4"},
	// Dissertation §6.4.1: with a lease, the leader serves reads without the heartbeat round.
	"lease-read-served": {"not in Figure 2: a leader whose lease holds serves reads without a round of heartbeats", "dissertation §6.4.1"},
	// Dissertation §6.4.1: without a lease, fall back to §6.4's ReadIndex.
	"lease-expired": {"not in Figure 2: without a lease, a read goes the ReadIndex way", "dissertation §6.4.1"},
}

// figure2Parts are the ways a rule label may begin: a part of Figure 2, the
// InstallSnapshot receiver of Figure 13, or an explicit statement that no
// Figure 2 rule covers the decision.
var figure2Parts = []string{"RequestVote receiver", "AppendEntries receiver", "Rules for Servers: ",
	"InstallSnapshot receiver", "not in Figure 2: "}

// TestReasonRulesAreTheReviewedOnes ties every reason code to its reviewed
// Figure 2 rule label and paper section.
func TestReasonRulesAreTheReviewedOnes(t *testing.T) {
	seen := map[string]bool{}
	for i := 1; i < codeCount; i++ {
		c := raft.ReasonCode(i)
		t.Run(c.String(), func(t *testing.T) {
			seen[c.String()] = true
			want, ok := reviewedRules[c.String()]
			require.True(t, ok, "reason %q has no reviewed row: check its rule label %q and section %q against "+
				"Figure 2 and the paper, then add them to reviewedRules", c, sim.English.Rule(c), c.Section())
			assert.Equal(t, want.rule, sim.English.Rule(c), "the rule label changed: review it against Figure 2, then update reviewedRules")
			assert.Equal(t, want.section, c.Section(), "the section changed: review it against the paper, then update reviewedRules")
			named := false
			for _, p := range figure2Parts {
				named = named || strings.HasPrefix(sim.English.Rule(c), p)
			}
			assert.True(t, named, "the label %q names a part of Figure 2 or says it is not in Figure 2", sim.English.Rule(c))
		})
	}
	for name := range reviewedRules {
		assert.True(t, seen[name], "reviewedRules has a row for %q, which is not a reason code", name)
	}
}

// TestReasonSentencesFitTheCase plays the runs in which the accuracy review
// found a reason sentence that contradicted the trace (findings W2 and I12),
// and checks what the sentence now says in each case the code covers.
func TestReasonSentencesFitTheCase(t *testing.T) {
	threeFrozen := "nodes: 3\ntimers: frozen\nlatency: 10\n"
	chapter3 := threeFrozen + `server S1: term 2 log [1,1,2]
server S2: term 2 log [1,1,2]
server S3: term 1 log [1,1,1,1,1]
setup:
  timeout S1
  deliver S1>S2 RequestVote; deliver S2>S1 RequestVoteReply
  deliver S1>S3 RequestVote; drop S3>S1
  drop S1>S2 AppendEntries; drop S1>S3 AppendEntries
`
	cases := []struct {
		name, scenario, actions string
		code                    raft.ReasonCode
		want                    raft.Reason // the fields the code fills
		sentence                string
	}{
		{
			// W2: a follower in term 3 refuses S1's term-1 AppendEntries;
			// the refusal, carrying term 3, reaches S1, now leader of term
			// 3. The number in the sentence is the request's term.
			name:     "W2: refusal of an older term's request",
			scenario: threeFrozen,
			actions: "timeout S1; flush; timeout S1; timeout S3; deliver S3>S1 RequestVote; deliver S3>S2 RequestVote; " +
				"timeout S1; deliver S1>S2 RequestVote; deliver S2>S1 RequestVoteReply; " +
				"deliver S1>S2 AppendEntries; deliver S2>S1 AppendEntriesReply",
			code:     raft.ReplyIgnoredStale,
			want:     raft.Reason{Code: raft.ReplyIgnoredStale, Peer: 2, Term: 3, Got: 1, Want: 3},
			sentence: "ignore reply from S2: it answers a request sent in term 1 or earlier, and we are now in term 3",
		},
		{
			// Chapter 7: S2's yes to S1's term-2 request arrives after S1
			// moved to term 3; the reply itself carries term 2.
			name: "a reply of a lower term",
			scenario: "nodes: 5\ntimers: frozen\nlatency: 10\n" +
				"server S1: term 1 log [1]\nserver S2: term 1 log [1]\nserver S3: term 1 log [1]\n" +
				"server S4: term 1 log [1]\nserver S5: term 1 log [1]\nsetup:\n  timeout S1; flush\n  timeout S1; flush\n",
			actions: "partition S1 S2 | S3 S4 S5; timeout S3; deliver S3>S4 RequestVote; deliver S4>S3 RequestVoteReply; " +
				"deliver S3>S5 RequestVote; deliver S5>S3 RequestVoteReply; propose S1 set x 1; deliver S1>S2 AppendEntries; " +
				"heal; timeout S3; deliver S3>S1 AppendEntries; deliver S2>S1 AppendEntriesReply",
			code:     raft.ReplyIgnoredStale,
			want:     raft.Reason{Code: raft.ReplyIgnoredStale, Peer: 2, Term: 3, Got: 2, Want: 3},
			sentence: "ignore reply from S2: it answers a request sent in term 2 or earlier, and we are now in term 3",
		},
		{
			// I12: the duplicate of S3's refusal at prevLogIndex 3 arrives
			// after nextIndex has moved back; matchIndex is still 0.
			name:     "I12: a refusal of a request already retried further back",
			scenario: chapter3,
			actions: "propose S1 set x 3; timeout S1; deliver S1>S3 AppendEntries; dup S3>S1; " +
				"deliver S3>S1 AppendEntriesReply; deliver S3>S1 AppendEntriesReply",
			code: raft.ReplyIgnoredOld,
			want: raft.Reason{Code: raft.ReplyIgnoredOld, Peer: 3, Term: 3, Index: 3, Got: 0},
			sentence: "ignore old refusal from S3 at prevLogIndex 3: we have moved past that request " +
				"(we know S3 matches our log through index 0, or we already retry from further back)",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := sim.ParseScenario("test", tc.scenario)
			require.NoError(t, err)
			c, err := sim.New(sc)
			require.NoError(t, err)
			as, err := sim.ParseActions(tc.actions)
			require.NoError(t, err)
			require.NoError(t, c.DoAll(as))
			var notes []raft.Reason
			for _, e := range c.Events(0) {
				if e.Kind == sim.EvNote && e.Reason.Code == tc.code {
					notes = append(notes, e.Reason)
				}
			}
			require.Len(t, notes, 1, "one %s decision in the run", tc.code)
			assert.Equal(t, tc.want, notes[0])
			assert.Equal(t, tc.sentence, sim.English.Reason(notes[0]))
		})
	}
}
