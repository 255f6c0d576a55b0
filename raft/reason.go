package raft

import "strconv"

// ReasonCode names a decision a server made that a learner may ask "why?"
// about. A Reason pairs the code with the numbers behind it; words for people
// are rendered from it through a table per language (see Render), so no
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

// reasons is what the core knows of each code: its stable machine name, the
// section of the paper behind it, whether it explains a refused request, and
// the role a server takes by the decision (changes is false when the
// decision keeps the role). Words for people — the sentence and the name of
// the Figure 2 rule — are in the words tables, keyed "reason.NAME" and
// "rule.NAME" (raftlab/raft/words), so that the core holds no sentence.
var reasons = [reasonCodeCount]struct {
	name, section string
	rejection     bool
	becomes       Role
	changes       bool
}{
	ReasonNone:               {name: "none"},
	VoteGranted:              {name: "vote-granted", section: "§5.2"},
	VoteDeniedStaleTerm:      {name: "vote-denied-stale-term", section: "§5.1", rejection: true},
	VoteDeniedAlreadyVoted:   {name: "vote-denied-already-voted", section: "§5.2", rejection: true},
	VoteDeniedLogTerm:        {name: "vote-denied-log-term", section: "§5.4.1", rejection: true},
	VoteDeniedLogIndex:       {name: "vote-denied-log-index", section: "§5.4.1", rejection: true},
	AppendAccepted:           {name: "append-accepted", section: "§5.3"},
	AppendDeniedStaleTerm:    {name: "append-denied-stale-term", section: "§5.1", rejection: true},
	AppendDeniedMissingEntry: {name: "append-denied-missing-entry", section: "§5.3", rejection: true},
	AppendDeniedTermMismatch: {name: "append-denied-term-mismatch", section: "§5.3", rejection: true},
	ElectionStarted:          {name: "election-started", section: "§5.2", becomes: Candidate, changes: true},
	BecameLeader:             {name: "became-leader", section: "§5.2", becomes: Leader, changes: true},
	SteppedDown:              {name: "stepped-down", section: "§5.1", becomes: Follower, changes: true},
	FollowedLeader:           {name: "followed-leader", section: "§5.2", becomes: Follower, changes: true},
	VoteReceived:             {name: "vote-received", section: "§5.2"},
	VoteRefused:              {name: "vote-refused", section: "§5.2"},
	ReplyIgnoredStale:        {name: "reply-ignored-stale", section: "§5.1"},
	ReplyIgnoredOld:          {name: "reply-ignored-old", section: "§5.3"},
	ReplyIgnoredRole:         {name: "reply-ignored-role", section: "§5.2"},
	EntriesTruncated:         {name: "entries-truncated", section: "§5.3"},
	CommitAdvanced:           {name: "commit-advanced", section: "§5.3"},
	CommitDeferred:           {name: "commit-deferred", section: "§5.4.2"},
	NextIndexBackedOff:       {name: "next-index-backed-off", section: "§5.3"},
	ProposalRejected:         {name: "proposal-rejected", section: "§8"},
	HeartbeatSent:            {name: "heartbeat-sent", section: "§5.2"},

	// Part 2 (issues 11 and 12).
	CommitAnnounced: {name: "commit-announced", section: "§5.3"},

	// Log compaction and InstallSnapshot (§7, Figure 13).
	LogCompacted:             {name: "log-compacted", section: "§7"},
	SnapshotSent:             {name: "snapshot-sent", section: "§7"},
	SnapshotDeniedStaleTerm:  {name: "snapshot-denied-stale-term", section: "§7", rejection: true},
	SnapshotIgnoredOld:       {name: "snapshot-ignored-old", section: "§7"},
	SnapshotInstalledKeptLog: {name: "snapshot-installed-kept-log", section: "§7"},
	SnapshotInstalled:        {name: "snapshot-installed", section: "§7"},
	SnapshotAcked:            {name: "snapshot-acked", section: "§7"},

	// Membership changes (§6; dissertation chapter 4).
	CampaignSkippedNotVoter:            {name: "campaign-skipped-not-voter", section: "dissertation §4.2.1"},
	ConfigLearnerAdded:                 {name: "config-learner-added", section: "dissertation §4.2.1"},
	ConfigVoterAdded:                   {name: "config-voter-added", section: "dissertation §4.1"},
	ConfigServerRemoved:                {name: "config-server-removed", section: "dissertation §4.1"},
	ConfigVoterDemoted:                 {name: "config-voter-demoted", section: "dissertation §4.1"},
	ConfigJointEntered:                 {name: "config-joint-entered", section: "§6"},
	ConfigJointLeft:                    {name: "config-joint-left", section: "§6"},
	ConfigRolledBack:                   {name: "config-rolled-back", section: "dissertation §4.1"},
	ConfigFromSnapshot:                 {name: "config-from-snapshot", section: "§7"},
	ConfigChangeRefusedPending:         {name: "config-change-refused-pending", section: "dissertation §4.1"},
	ConfigChangeRefusedTermUncommitted: {name: "config-change-refused-term-uncommitted", section: "dissertation §4.1"},
	LearnerCaughtUp:                    {name: "learner-caught-up", section: "dissertation §4.2.1"},
	CatchUpRound:                       {name: "catch-up-round", section: "dissertation §4.2.1"},
	CatchUpAborted:                     {name: "catch-up-aborted", section: "dissertation §4.2.1"},
	LeaderRemovedSteppedDown:           {name: "leader-removed-stepped-down", section: "dissertation §4.2.2", becomes: Follower, changes: true},
	ProposalRefusedTransfer:            {name: "proposal-refused-transfer", section: "dissertation §3.10"},

	// Liveness and leadership (dissertation §§3.10, 4.2.3, 6.2, 6.4, 9.6).
	PreVoteStarted:          {name: "pre-vote-started", section: "dissertation §9.6", becomes: PreCandidate, changes: true},
	PreVoteGranted:          {name: "pre-vote-granted", section: "dissertation §9.6"},
	PreVoteDeniedStaleTerm:  {name: "pre-vote-denied-stale-term", section: "dissertation §9.6", rejection: true},
	PreVoteDeniedLog:        {name: "pre-vote-denied-log", section: "dissertation §9.6", rejection: true},
	PreVoteReceived:         {name: "pre-vote-received", section: "dissertation §9.6"},
	PreVoteRefused:          {name: "pre-vote-refused", section: "dissertation §9.6"},
	PreVoteLost:             {name: "pre-vote-lost", section: "dissertation §9.6", becomes: Follower, changes: true},
	VoteIgnoredLeaderAlive:  {name: "vote-ignored-leader-alive", section: "dissertation §4.2.3"},
	CheckQuorumSteppedDown:  {name: "check-quorum-stepped-down", section: "dissertation §6.2", becomes: Follower, changes: true},
	TransferStarted:         {name: "transfer-started", section: "dissertation §3.10"},
	TimeoutNowSent:          {name: "timeout-now-sent", section: "dissertation §3.10"},
	TransferAborted:         {name: "transfer-aborted", section: "dissertation §3.10"},
	TransferRefusedNotVoter: {name: "transfer-refused-not-voter", section: "dissertation §3.10"},
	TimeoutNowReceived:      {name: "timeout-now-received", section: "dissertation §3.10"},
	TimeoutNowIgnored:       {name: "timeout-now-ignored", section: "dissertation §3.10"},
	ReadForwarded:           {name: "read-forwarded", section: "dissertation §6.4"},
	ReadWaitsForTerm:        {name: "read-waits-for-term", section: "dissertation §6.4"},
	ReadIndexRound:          {name: "read-index-round", section: "dissertation §6.4"},
	ReadIndexConfirmed:      {name: "read-index-confirmed", section: "dissertation §6.4"},
	ReadRefused:             {name: "read-refused", section: "dissertation §6.4"},
	LeaseReadServed:         {name: "lease-read-served", section: "dissertation §6.4.1"},
	LeaseExpired:            {name: "lease-expired", section: "dissertation §6.4.1"},
}

// String is the code's stable machine name, used in traces, goals and URLs.
func (c ReasonCode) String() string {
	if c < reasonCodeCount {
		return reasons[c].name
	}
	return "reason(" + strconv.Itoa(int(c)) + ")"
}

// ReasonCodeByName is the inverse of ReasonCode.String.
func ReasonCodeByName(name string) (ReasonCode, bool) {
	for i := range reasons {
		if reasons[i].name == name {
			return ReasonCode(i), true
		}
	}
	return ReasonNone, false
}

// ReasonCodes is the number of codes, ReasonNone included: codes are 0 to
// ReasonCodes-1.
const ReasonCodes = int(reasonCodeCount)

// IsRejection reports whether the code explains a refused request.
func (c ReasonCode) IsRejection() bool { return c < reasonCodeCount && reasons[c].rejection }

// Section names the section of the Raft paper that states the rule behind c.
func (c ReasonCode) Section() string {
	if c < reasonCodeCount {
		return reasons[c].section
	}
	return ""
}

// Becomes returns the role a server takes by this decision, and false when
// the decision leaves its role as it was. Every change of role is noted
// with one of these codes, so a reader of the notes knows the role a server
// had at each decision.
func (c ReasonCode) Becomes() (Role, bool) {
	if c < reasonCodeCount {
		return reasons[c].becomes, reasons[c].changes
	}
	return Follower, false
}

// Render fills a sentence of a words table with r's numbers. Placeholders:
// {peer}, {term}, {index}, {got}, {want}; others, and an unclosed brace,
// stay as written.
func (r Reason) Render(template string) string {
	t := template
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

// String is r for Go programmers and logs: the code's machine name and the
// numbers behind it, such as "vote-denied-log-term peer=S2 term=3 got=1
// want=2". Sentences for people come from the words tables (see Render).
func (r Reason) String() string {
	out := []byte(r.Code.String())
	field := func(name string, v uint64, s string) {
		if v != 0 {
			out = append(out, ' ')
			out = append(out, name...)
			out = append(out, '=')
			if s != "" {
				out = append(out, s...)
			} else {
				out = strconv.AppendUint(out, v, 10)
			}
		}
	}
	field("peer", uint64(r.Peer), r.Peer.String())
	field("term", uint64(r.Term), "")
	field("index", uint64(r.Index), "")
	field("got", r.Got, "")
	field("want", r.Want, "")
	return string(out)
}
