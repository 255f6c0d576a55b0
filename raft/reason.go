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
		AppendDeniedStaleTerm, AppendDeniedMissingEntry, AppendDeniedTermMismatch:
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
