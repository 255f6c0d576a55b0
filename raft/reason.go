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
// "rule.NAME" (raftlab/words), so that the core holds no sentence.
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
