package raft

import "strconv"

// ReasonCode names a decision a server made that a learner may ask "why?"
// about. A Reason pairs the code with the numbers behind it; words for people
// are rendered from it through a table per language (see Templates), so no
// sentence is assembled here.
type ReasonCode uint8

const (
	ReasonNone ReasonCode = iota

	// RequestVote receiver decisions (Figure 2, RequestVote RPC).
	VoteGranted            // granted the vote to Peer for Term
	VoteDeniedStaleTerm    // candidate's term Got < our currentTerm Want
	VoteDeniedAlreadyVoted // already voted for server Got in Term; Peer asked
	VoteDeniedLogTerm      // candidate's last log term Got < ours Want (§5.4.1)
	VoteDeniedLogIndex     // equal last terms (Term); candidate's last index Got < ours Want (§5.4.1)

	// AppendEntries receiver decisions (Figure 2, AppendEntries RPC).
	AppendAccepted           // log matches through Index; Got entries appended, commit now Want
	AppendDeniedStaleTerm    // leader's term Got < our currentTerm Want
	AppendDeniedMissingEntry // no entry at prevLogIndex Index; our log ends at Got
	AppendDeniedTermMismatch // entry at prevLogIndex Index has term Got, not prevLogTerm Want

	// Other things a server does or notices.
	ElectionStarted    // timed out; became candidate for Term
	BecameLeader       // won the election for Term with Got votes of Want servers
	SteppedDown        // saw Term from Peer, higher than our term Want (all servers rule)
	FollowedLeader     // candidate saw AppendEntries from Peer, leader of Term (§5.2)
	VoteReceived       // Peer granted its vote for Term; Got votes so far, Want needed
	VoteRefused        // Peer refused its vote for Term
	ReplyIgnoredStale  // a reply from Peer carries term Got, but we are in term Want
	ReplyIgnoredOld    // a reply from Peer answers an older request (rejected index Index, match Got)
	ReplyIgnoredRole   // a reply from Peer arrived when we no longer wait for it (now Term's follower or leader)
	EntriesTruncated   // conflicting entries from Index to Got removed (§5.3 receiver rule 3)
	CommitAdvanced     // commitIndex moved from Want to Got
	CommitDeferred     // entry Index is on a majority but has term Got, not current term Want (§5.4.2)
	NextIndexBackedOff // leader moved nextIndex for Peer from Want to Got after a rejection
	ProposalRejected   // not the leader; the leader we know of is Peer
	HeartbeatSent      // leader sent AppendEntries to every peer for Term

	// Codes added for Part 2 (issues 11 and 12), in the order they came.
	CommitAnnounced // leader sent AppendEntries at once to announce commitIndex Index (Config.AnnounceCommit)

	// Log compaction and InstallSnapshot (§7, Figures 12 and 13).
	LogCompacted             // the application's snapshot replaced the log through Index; Got entries dropped (§7)
	SnapshotSent             // leader sent Peer its snapshot through Index: Peer needs the entry after Got, which is compacted (§7)
	SnapshotDeniedStaleTerm  // leader's term Got < our currentTerm Want (Figure 13 receiver rule 1)
	SnapshotIgnoredOld       // snapshot through Index is not beyond our commitIndex Got: nothing to install
	SnapshotInstalledKeptLog // installed the snapshot through Index; the log (ending at Got) matched there, entries after it kept (Figure 13 rule 6)
	SnapshotInstalled        // installed the snapshot through Index; the log (ending at Got) discarded (Figure 13 rule 7)
	SnapshotAcked            // Peer answered a snapshot: its log matches ours through Index; its nextIndex is now Got

	// Membership changes (§6; dissertation chapter 4).
	CampaignSkippedNotVoter            // election timeout on a server whose vote does not count in its configuration: no campaign
	ConfigLearnerAdded                 // configuration of entry Index adds Peer as a learner (Got voters)
	ConfigVoterAdded                   // configuration of entry Index makes Peer a voter (Got voters)
	ConfigServerRemoved                // configuration of entry Index removes Peer (Got voters)
	ConfigVoterDemoted                 // configuration of entry Index makes voter Peer a learner (Got voters)
	ConfigJointEntered                 // joint configuration of entry Index: Got new voters, Want old voters, both majorities needed
	ConfigJointLeft                    // configuration of entry Index is C_new alone: Got voters
	ConfigRolledBack                   // configuration entry Index was truncated away; back to the configuration of entry Got
	ConfigFromSnapshot                 // installed snapshot holds the configuration (from entry Index, Got voters)
	ConfigChangeRefusedPending         // a configuration change waits: entry Index is not committed (commitIndex Got)
	ConfigChangeRefusedTermUncommitted // a configuration change waits: no entry of Term committed yet (commitIndex Got)
	LearnerCaughtUp                    // learner Peer reached Index in round Got, which took Want ticks: close enough to vote
	CatchUpRound                       // learner Peer starts round Got, to reach Index (the last round took Want ticks)
	CatchUpAborted                     // learner Peer did not catch up after Got rounds (Want ticks): the leader gives up
	LeaderRemovedSteppedDown           // the configuration of entry Index, without this leader, committed: it steps down
	ProposalRefusedTransfer            // leader refused a proposal while handing leadership to Peer

	// Liveness and leadership (dissertation §§3.10, 4.2.3, 6.2, 6.4, 9.6).
	PreVoteStarted          // election timeout with Config.PreVote: ask whether a majority would vote in Term (ours + 1), term unchanged
	PreVoteGranted          // would vote for Peer in its proposed Term: that term is later than ours and its log is up to date
	PreVoteDeniedStaleTerm  // would not vote for Peer: its proposed term Got is not later than our currentTerm Want
	PreVoteDeniedLog        // would not vote for Peer in Term: its last log term Got, ours Want (last index Index): its log is less up to date
	PreVoteReceived         // Peer would vote for us in Term; Got would so far, Want needed
	PreVoteRefused          // Peer would not vote for us in Term
	PreVoteLost             // a majority would not vote for us in Term: stay a follower, term unchanged
	VoteIgnoredLeaderAlive  // ignored Peer's request to vote in Term: we heard from a leader Got ticks ago, less than the minimum election timeout Want
	CheckQuorumSteppedDown  // leader heard from only Got of the Want servers a majority needs within an election timeout: steps down
	TransferStarted         // leader hands leadership to Peer: stops taking requests; Peer holds Got of our Index entries
	TimeoutNowSent          // Peer's log matches ours through Index: told it to campaign now
	TransferAborted         // transfer to Peer did not complete in Got ticks (an election timeout): take requests again
	TransferRefusedNotVoter // cannot hand leadership to Peer: not a voter
	TimeoutNowReceived      // leader Peer asked us to campaign now: start an election at once
	TimeoutNowIgnored       // Peer asked us to campaign, but our vote does not count in our configuration
	ReadForwarded           // read Got forwarded to the leader Peer
	ReadWaitsForTerm        // read Got from Peer waits: no entry of Term committed yet (commitIndex Want may be behind)
	ReadIndexRound          // reads at commitIndex Index wait for a majority to answer heartbeat round Got
	ReadIndexConfirmed      // read Got from Peer confirmed: serve it once applied through Index
	ReadRefused             // read Got cannot be served here (leader we know: Peer): retry
	LeaseReadServed         // read Got served under the lease at Index; the lease lasts Want more ticks
	LeaseExpired            // read Got: no lease holds; confirm with a heartbeat round instead
	reasonCodeCount
)

// Reason is a decision with its evidence. Which fields matter depends on
// Code; each code's comment says what they hold.
type Reason struct {
	Code  ReasonCode
	Peer  NodeID
	Term  Term
	Index Index
	Got   uint64
	Want  uint64
}

var reasonCodeNames = [reasonCodeCount]string{
	"none",
	"vote-granted", "vote-denied-stale-term", "vote-denied-already-voted",
	"vote-denied-log-term", "vote-denied-log-index",
	"append-accepted", "append-denied-stale-term", "append-denied-missing-entry",
	"append-denied-term-mismatch",
	"election-started", "became-leader", "stepped-down", "followed-leader",
	"vote-received", "vote-refused", "reply-ignored-stale", "reply-ignored-old", "reply-ignored-role",
	"entries-truncated", "commit-advanced", "commit-deferred", "next-index-backed-off",
	"proposal-rejected", "heartbeat-sent",
	"commit-announced",
	"log-compacted",
	"snapshot-sent",
	"snapshot-denied-stale-term",
	"snapshot-ignored-old",
	"snapshot-installed-kept-log",
	"snapshot-installed",
	"snapshot-acked",
	"campaign-skipped-not-voter",
	"config-learner-added",
	"config-voter-added",
	"config-server-removed",
	"config-voter-demoted",
	"config-joint-entered",
	"config-joint-left",
	"config-rolled-back",
	"config-from-snapshot",
	"config-change-refused-pending",
	"config-change-refused-term-uncommitted",
	"learner-caught-up",
	"catch-up-round",
	"catch-up-aborted",
	"leader-removed-stepped-down",
	"proposal-refused-transfer",
	"pre-vote-started",
	"pre-vote-granted",
	"pre-vote-denied-stale-term",
	"pre-vote-denied-log",
	"pre-vote-received",
	"pre-vote-refused",
	"pre-vote-lost",
	"vote-ignored-leader-alive",
	"check-quorum-stepped-down",
	"transfer-started",
	"timeout-now-sent",
	"transfer-aborted",
	"transfer-refused-not-voter",
	"timeout-now-received",
	"timeout-now-ignored",
	"read-forwarded",
	"read-waits-for-term",
	"read-index-round",
	"read-index-confirmed",
	"read-refused",
	"lease-read-served",
	"lease-expired",
}

// String is the code's stable machine name, used in traces and URLs.
func (c ReasonCode) String() string {
	if c < reasonCodeCount {
		return reasonCodeNames[c]
	}
	return "reason(" + strconv.Itoa(int(c)) + ")"
}

// ReasonCodeByName is the inverse of ReasonCode.String.
func ReasonCodeByName(name string) (ReasonCode, bool) {
	for i, n := range reasonCodeNames {
		if n == name {
			return ReasonCode(i), true
		}
	}
	return ReasonNone, false
}

// IsRejection reports whether the code explains a refused request.
func (c ReasonCode) IsRejection() bool {
	switch c {
	case VoteDeniedStaleTerm, VoteDeniedAlreadyVoted, VoteDeniedLogTerm, VoteDeniedLogIndex,
		AppendDeniedStaleTerm, AppendDeniedMissingEntry, AppendDeniedTermMismatch, SnapshotDeniedStaleTerm,
		PreVoteDeniedStaleTerm, PreVoteDeniedLog:
		return true
	}
	return false
}

var reasonSections = [reasonCodeCount]string{
	"",
	"§5.2", "§5.1", "§5.2", "§5.4.1", "§5.4.1",
	"§5.3", "§5.1", "§5.3", "§5.3",
	"§5.2", "§5.2", "§5.1", "§5.2",
	"§5.2", "§5.2", "§5.1", "§5.3", "§5.2",
	"§5.3", "§5.3", "§5.4.2", "§5.3",
	"§8", "§5.2",
	"§5.3",
	"§7",
	"§7",
	"§7",
	"§7",
	"§7",
	"§7",
	"§7",
	"dissertation §4.2.1",
	"dissertation §4.2.1",
	"dissertation §4.1",
	"dissertation §4.1",
	"dissertation §4.1",
	"§6",
	"§6",
	"dissertation §4.1",
	"§7",
	"dissertation §4.1",
	"dissertation §4.1",
	"dissertation §4.2.1",
	"dissertation §4.2.1",
	"dissertation §4.2.1",
	"dissertation §4.2.2",
	"dissertation §3.10",
	"dissertation §9.6",
	"dissertation §9.6",
	"dissertation §9.6",
	"dissertation §9.6",
	"dissertation §9.6",
	"dissertation §9.6",
	"dissertation §9.6",
	"dissertation §4.2.3",
	"dissertation §6.2",
	"dissertation §3.10",
	"dissertation §3.10",
	"dissertation §3.10",
	"dissertation §3.10",
	"dissertation §3.10",
	"dissertation §3.10",
	"dissertation §6.4",
	"dissertation §6.4",
	"dissertation §6.4",
	"dissertation §6.4",
	"dissertation §6.4",
	"dissertation §6.4.1",
	"dissertation §6.4.1",
}

var reasonRules = [reasonCodeCount]string{
	"",
	"RequestVote receiver rule 2",
	"RequestVote receiver rule 1",
	"RequestVote receiver rule 2",
	"RequestVote receiver rule 2 (up-to-date log)",
	"RequestVote receiver rule 2 (up-to-date log)",
	"AppendEntries receiver rules 3-5",
	"AppendEntries receiver rule 1",
	"AppendEntries receiver rule 2",
	"AppendEntries receiver rule 2",
	"Rules for Servers: Followers 2; Candidates 1 and 4",
	"Rules for Servers: Candidates 2",
	"Rules for Servers: All Servers 2",
	"Rules for Servers: Candidates 3",
	"Rules for Servers: Candidates 2",
	"Rules for Servers: Candidates 2",
	"not in Figure 2: a reply to a request of an earlier term is out of date",
	"Rules for Servers: Leaders 3",
	"not in Figure 2: nothing waits for this reply any more (for a vote reply: the election is decided)",
	"AppendEntries receiver rule 3",
	"Rules for Servers: Leaders 4; AppendEntries receiver rule 5",
	"Rules for Servers: Leaders 4",
	"Rules for Servers: Leaders 3",
	"not in Figure 2: a server that is not the leader turns clients away and names the leader it knows",
	"Rules for Servers: Leaders 1",
	"not in Figure 2: a leader may tell followers a new commitIndex at once instead of with the next AppendEntries",
	"not in Figure 2: a server replaces the log prefix its state machine holds with a snapshot",
	"not in Figure 2: a leader sends InstallSnapshot to a follower that needs entries it has compacted away",
	"InstallSnapshot receiver rule 1",
	"not in Figure 2: a snapshot that commitIndex has passed holds nothing new and would set the state machine back",
	"InstallSnapshot receiver rule 6",
	"InstallSnapshot receiver rules 7-8",
	"Rules for Servers: Leaders 3",
	"not in Figure 2: only a server whose vote counts in its configuration stands for election",
	"not in Figure 2: a new server first catches up as a member without a vote",
	"not in Figure 2: a configuration takes effect as soon as its entry is in the log",
	"not in Figure 2: a configuration takes effect as soon as its entry is in the log",
	"not in Figure 2: a configuration takes effect as soon as its entry is in the log",
	"not in Figure 2: joint consensus, decisions need majorities of both C_old and C_new",
	"not in Figure 2: once C_old,new has committed, the leader appends C_new",
	"not in Figure 2: a server uses the latest configuration in its log, so losing an entry undoes its configuration",
	"InstallSnapshot receiver rule 8",
	"not in Figure 2: one configuration change at a time, after the previous one commits",
	"not in Figure 2: a leader changes the configuration only after an entry of its own term commits (the 2015 fix)",
	"not in Figure 2: a new server votes once a round of replication takes less than an election timeout",
	"not in Figure 2: a new server catches up in rounds of replication",
	"not in Figure 2: a new server that cannot catch up is not added",
	"not in Figure 2: a leader outside the new configuration steps down once it commits",
	"not in Figure 2: during a leadership transfer the leader stops accepting client requests",
	"not in Figure 2: before raising its term, a server asks whether it could win (pre-vote)",
	"not in Figure 2: a pre-vote is granted to a candidate that could win (later term, log up to date)",
	"not in Figure 2: a pre-vote is granted to a candidate that could win (later term, log up to date)",
	"not in Figure 2: a pre-vote is granted to a candidate that could win (later term, log up to date)",
	"not in Figure 2: a pre-candidate stands for election once a majority would vote for it",
	"not in Figure 2: a pre-candidate stands for election once a majority would vote for it",
	"not in Figure 2: a pre-candidate that could not win does not raise its term",
	"not in Figure 2: a server that hears from a leader ignores vote requests for an election timeout",
	"not in Figure 2: a leader that has not heard from a majority within an election timeout steps down",
	"not in Figure 2: leadership transfer: stop taking requests and bring the target up to date",
	"not in Figure 2: leadership transfer: once the target is up to date, tell it to time out now",
	"not in Figure 2: an unfinished leadership transfer is abandoned after an election timeout",
	"not in Figure 2: only a voter can take over leadership",
	"not in Figure 2: the target of a leadership transfer starts an election at once",
	"not in Figure 2: only a voter can take over leadership",
	"not in Figure 2: a follower asks the leader for the read index",
	"not in Figure 2: a leader serves reads only once an entry of its term has committed",
	"not in Figure 2: a leader confirms it still leads with a round of heartbeats before serving reads",
	"not in Figure 2: a confirmed read is served once the state machine applied the read index",
	"not in Figure 2: only a leader that confirms its leadership serves reads",
	"not in Figure 2: a leader whose lease holds serves reads without a round of heartbeats",
	"not in Figure 2: without a lease, a read goes the ReadIndex way",
}

// Section names the section of the Raft paper that states the rule behind c.
func (c ReasonCode) Section() string {
	if c < reasonCodeCount {
		return reasonSections[c]
	}
	return ""
}

// Rule names the Figure 2 rule behind c.
func (c ReasonCode) Rule() string {
	if c < reasonCodeCount {
		return reasonRules[c]
	}
	return ""
}

// EnglishTemplates renders reasons in English. Placeholders: {peer}, {term},
// {index}, {got}, {want}. A translation is another table of the same shape.
var EnglishTemplates = [reasonCodeCount]string{
	"",
	"granted vote to {peer} for term {term}",
	"candidate's term {got} is older than current term {want}",
	"already voted for S{got} in term {term}",
	"candidate's log is less up to date: last term {got} < {want}",
	"candidate's log is less up to date: last term {term} equal, last index {got} < {want}",
	"log matches at prevLogIndex {index}; appended {got} entries, commitIndex {want}",
	"leader's term {got} is older than current term {want}",
	"no entry at prevLogIndex {index}: log ends at {got}",
	"term mismatch at prevLogIndex {index}: {got} ≠ {want}",
	"election timeout: start election for term {term}",
	"won election for term {term} with {got} of {want} votes",
	"saw term {term} from {peer} (was {want}): adopt it, become follower",
	"{peer} is leader of term {term}: become follower",
	"vote from {peer} for term {term}: has {got}, needs {want}",
	"{peer} refused its vote for term {term}",
	"ignore reply from {peer}: it answers a request sent in term {got} or earlier, and we are now in term {want}",
	"ignore old refusal from {peer} at prevLogIndex {index}: we have moved past that request (we know {peer} matches our log through index {got}, or we already retry from further back)",
	"ignore reply from {peer}: no longer waiting for one",
	"remove conflicting entries {index}–{got}",
	"commitIndex {want} → {got}",
	"entry {index} is on a majority but its term {got} ≠ current term {want}: not committed by counting",
	"nextIndex for {peer}: {want} → {got}",
	"not the leader; leader is {peer}",
	"send heartbeats for term {term}",
	"tell followers at once: commitIndex is {index}",
	"compact the log through index {index}: {got} entries replaced by a snapshot",
	"send {peer} the snapshot through index {index}: the entry after {got} is compacted away",
	"leader's term {got} is older than current term {want}",
	"ignore snapshot through index {index}: commitIndex is already {got}",
	"install snapshot through index {index}; the log matches there: keep the entries after it (log ends at {got})",
	"install snapshot through index {index}: discard the log (it ended at {got}) and reset the state machine",
	"{peer} answered the snapshot: its log matches ours through index {index}, nextIndex {got}",
	"election timeout, but not a voter in its configuration: no election",
	"use the configuration of entry {index}: {peer} joins as a learner, without a vote, to catch up",
	"use the configuration of entry {index}: {peer} votes; {got} voters",
	"use the configuration of entry {index}: {peer} is removed; {got} voters",
	"use the configuration of entry {index}: {peer} no longer votes; {got} voters",
	"use the joint configuration of entry {index}: decisions need a majority of the {got} new voters and of the {want} old",
	"use the new configuration of entry {index} alone: {got} voters",
	"configuration entry {index} removed with the log: back to the configuration of entry {got}",
	"use the configuration the snapshot holds (entry {index}): {got} voters",
	"refuse a configuration change: the one in entry {index} is not committed yet (commitIndex {got})",
	"refuse a configuration change: no entry of term {term} is committed yet (commitIndex {got})",
	"{peer} caught up: round {got} reached index {index} in {want} ticks, less than an election timeout",
	"{peer} needs another round: round {got} must reach index {index} (the last took {want} ticks)",
	"give up on {peer}: not caught up after {got} rounds ({want} ticks)",
	"the configuration of entry {index}, without this server, is committed: step down",
	"refuse: leadership is being handed to {peer}",
	"election timeout: ask the others whether they would vote for us in term {term} (pre-vote; our term stays)",
	"pre-vote for {peer} in term {term}: yes (our term and vote stay as they are)",
	"pre-vote for {peer}: no, its term {got} is not later than current term {want}",
	"pre-vote for {peer} in term {term}: no, its log is less up to date (last term {got}; ours {want}, last index {index})",
	"{peer} would vote for us in term {term}: {got} would, {want} needed",
	"{peer} would not vote for us in term {term}",
	"a majority would not vote for us in term {term}: no election, stay a follower",
	"ignore {peer}'s vote request for term {term}: a leader was heard {got} ticks ago, within the minimum election timeout {want}",
	"heard from only {got} servers (a majority needs {want}) within an election timeout: step down",
	"hand leadership to {peer}: take no more requests; {peer} holds {got} of our {index} entries",
	"{peer} is up to date (index {index}): tell it to start an election now",
	"transfer to {peer} did not complete within an election timeout ({got} ticks): take requests again",
	"cannot hand leadership to {peer}: it is not a voter",
	"{peer} hands over leadership: start an election now",
	"{peer} hands over leadership, but we are not a voter: no election",
	"read #{got}: ask the leader {peer} for a read index",
	"read #{got} from {peer} waits: no entry of term {term} is committed yet, so commitIndex {want} may be behind",
	"read index {index}: confirm leadership with heartbeat round {got}",
	"read #{got} confirmed (with {peer}): serve it once index {index} is applied",
	"read #{got} refused: not served here (the leader we know is {peer}); retry",
	"read #{got} under the lease: serve it once index {index} is applied (lease: {want} more ticks)",
	"read #{got}: no lease holds; confirm leadership with a heartbeat round instead",
}

// Render fills a template with r's numbers.
func (r Reason) Render(templates *ReasonTemplates) string {
	if r.Code >= reasonCodeCount {
		return r.Code.String()
	}
	t := templates[r.Code]
	out := make([]byte, 0, len(t)+16)
	for i := 0; i < len(t); i++ {
		if t[i] != '{' {
			out = append(out, t[i])
			continue
		}
		j := i + 1
		for j < len(t) && t[j] != '}' {
			j++
		}
		if j == len(t) {
			// An unclosed brace (a slip in a translated table) stays as written.
			out = append(out, t[i:]...)
			break
		}
		switch t[i+1 : j] {
		case "peer":
			out = append(out, r.Peer.String()...)
		case "term":
			out = strconv.AppendUint(out, uint64(r.Term), 10)
		case "index":
			out = strconv.AppendUint(out, uint64(r.Index), 10)
		case "got":
			out = strconv.AppendUint(out, r.Got, 10)
		case "want":
			out = strconv.AppendUint(out, r.Want, 10)
		default:
			out = append(out, t[i:j+1]...)
		}
		i = j
	}
	return string(out)
}

// String renders r in English.
func (r Reason) String() string { return r.Render(&EnglishTemplates) }

// ReasonTemplates is a table of words for reasons, one per language.
type ReasonTemplates = [reasonCodeCount]string
