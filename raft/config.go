package raft

import "errors"

// Rand is the source of randomness a server draws its election timeouts
// from (§5.2). The caller passes it in, seeded, so that runs replay;
// *math/rand/v2.Rand satisfies it, and FromIntn adapts *math/rand.Rand.
type Rand interface {
	// IntN returns a number in [0, n); n is positive.
	IntN(n int) int
}

// Intner is the shape of math/rand's (version 1) random source.
type Intner interface {
	Intn(n int) int
}

// FromIntn adapts a source with an Intn method, such as *math/rand.Rand,
// to Rand.
func FromIntn(r Intner) Rand { return intnRand{r} }

type intnRand struct{ r Intner }

func (r intnRand) IntN(n int) int { return r.r.Intn(n) }

// UnsafeRules switch rules off for teaching, each the way learners most
// often get it wrong. The zero value keeps every rule on; each field names
// the rule it breaks and what breaking it leads to. Most break safety:
// random schedules find a violation of a Figure 3 property or of
// linearizable reads. ResetTimerOnAnyVote and BackOffOnStaleRejection
// break no safety property here, only liveness and efficiency; and
// SkipCommitMin shows only when a leader sends Figure 2's empty
// heartbeats, as their comments say.
type UnsafeRules struct {
	// CommitEarlierTerms lets a leader commit an entry of an earlier term
	// by counting replicas, which §5.4.2 (Figure 8) forbids.
	CommitEarlierTerms bool
	// SkipUpToDateCheck grants votes without the §5.4.1 log comparison.
	SkipUpToDateCheck bool
	// ForgetVote leaves votedFor out of the persisted HardState, so a
	// restarted server may vote twice in one term (Figure 2, persistent state).
	ForgetVote bool
	// ConfigChangeBeforeTermCommit lets a new leader change the
	// configuration before an entry of its own term has committed: the
	// single-server change bug that Ongaro published in 2015, where two
	// configurations without a common majority can both be used.
	ConfigChangeBeforeTermCommit bool

	// ResetTimerOnAnyVote resets the election timer on every RequestVote,
	// denied ones included, where Figure 2 (Rules for Servers, Followers 2;
	// §5.2) resets it only on AppendEntries from the current leader or on
	// granting a vote. No safety property breaks: it harms liveness only.
	// Candidates whose logs are behind, which nobody will elect, keep the
	// servers that could win from ever standing, and elections drag on or
	// never end. A follower that heard from no leader and granted no vote
	// for longer than ElectionTimeoutMax ticks without standing shows it.
	ResetTimerOnAnyVote bool
	// SkipCommitMin has a follower set commitIndex = leaderCommit, capped
	// only by the end of its log, where AppendEntries receiver rule 5 says
	// min(leaderCommit, index of last new entry): entries after the ones
	// the request carried have not been checked against the leader's log,
	// and may be a stale suffix of an earlier term, which the follower then
	// commits and applies (State Machine Safety). A leader of this core
	// hides the bug: its AppendEntries start where the two logs part and
	// carry its entries from there, so a request the follower accepts
	// either cuts the stale suffix off or shows there is none. Figure 2's
	// empty heartbeats (prevLogIndex = nextIndex-1, no entries) expose it.
	SkipCommitMin bool
	// TruncateOnEveryAppend deletes every entry after prevLogIndex on each
	// AppendEntries, where receiver rule 3 deletes entries only from the
	// first conflict (same index, different term): a late or duplicated
	// request then cuts off entries the follower has acknowledged, which
	// the leader may have counted towards a commit, so committed entries
	// are lost (commitIndex passes the end of the log; Leader Completeness).
	TruncateOnEveryAppend bool
	// AcceptStaleReplies acts on a reply whose term is older than
	// currentTerm instead of dropping it (§5.1; the dissertation's TLA+
	// specification, DropStaleResponse): a candidate counts a vote granted
	// for an earlier term, so two leaders win one term (Election Safety),
	// and a leader counts an acknowledgement of an earlier term's log
	// towards a commit.
	AcceptStaleReplies bool
	// BackOffOnStaleRejection lowers nextIndex when a follower refuses a
	// request of an earlier term (an AppendEntries the leader sent in an
	// older term, answered in its current one), as if the consistency
	// check had failed (§5.3: nextIndex moves back only on a log
	// inconsistency). Safety holds here: the backoff never goes below
	// matchIndex+1 and a follower keeps entries that agree (receiver rule
	// 3), so resending is harmless. What breaks is the work done: a leader
	// fresh in office (matchIndex 0) probes again from index 1 and resends
	// its whole log, or its snapshot. A leader's nextIndex moving back on a
	// reply to an earlier term's request shows it.
	BackOffOnStaleRejection bool
	// ReapplyLastApplied hands the committed entries out from lastApplied
	// instead of lastApplied+1 (Figure 2, Rules for Servers, All Servers 1:
	// increment lastApplied, then apply log[lastApplied]), so the last
	// entry of each batch is applied again with the next one: the state
	// machine applies an entry twice, out of order.
	ReapplyLastApplied bool
	// ConcurrentConfigChanges lets a leader start a membership change
	// while the previous one has not committed (dissertation §4.1: one
	// change at a time). Two single-server changes in a row make a
	// configuration that differs from the last committed one by two
	// servers, and the two can have majorities that do not overlap: two
	// leaders in one term, committed entries lost.
	ConcurrentConfigChanges bool
	// ReadIndexWithoutRound serves a ReadIndex read at once, without the
	// round of heartbeats that confirms the leader is still the leader
	// (dissertation §6.4, step 3): a deposed leader that has not heard of
	// its successor serves stale data (linearizability).
	ReadIndexWithoutRound bool
	// ReadBeforeTermCommit serves reads before an entry of the leader's
	// own term has committed (dissertation §6.4, step 1): a new leader's
	// commitIndex may lag behind entries its predecessor committed, and a
	// read served there misses them (linearizability).
	ReadBeforeTermCommit bool
	// LeaseReadWithoutLease serves a lease read whether or not the lease
	// holds (dissertation §6.4.1: only while a majority's heartbeat
	// answers are recent enough that no other leader can have been
	// elected): a deposed leader serves stale data (linearizability).
	LeaseReadWithoutLease bool
}

// Config describes one server.
type Config struct {
	ID NodeID
	// Peers lists the voters of the configuration the cluster starts
	// with; every server is given the same list. A server may be outside
	// it (a spare, to be added later). Configuration entries in the log,
	// or a snapshot's configuration, replace it (§6).
	Peers []NodeID
	// ElectionTimeoutMin and ElectionTimeoutMax bound the randomized
	// election timeout in ticks, both inclusive (§5.2).
	ElectionTimeoutMin int
	ElectionTimeoutMax int
	// HeartbeatTicks is how often a leader sends AppendEntries when idle.
	HeartbeatTicks int
	// MaxEntriesPerAppend caps one AppendEntries; 0 means no cap.
	MaxEntriesPerAppend int
	// Rand draws election timeouts; nil always picks the minimum.
	Rand Rand

	// AnnounceCommit makes a leader send AppendEntries to every follower
	// as soon as its commitIndex advances, so that followers apply without
	// waiting for the next heartbeat. Off, followers learn leaderCommit
	// from the next AppendEntries, as Figure 2 alone describes (the
	// teaching chapters show that delay).
	AnnounceCommit bool
	// EmptyHeartbeats makes a leader's heartbeats carry no entries, as
	// Figure 2 describes them ("empty AppendEntries RPCs"): prevLogIndex is
	// nextIndex-1 and leaderCommit its commitIndex; a follower that lacks
	// entries says so, and the leader sends them in answer. Off, a
	// heartbeat carries the entries from nextIndex, which also repairs a
	// log at once. Both are safe; the empty form shows why a follower
	// commits only min(leaderCommit, index of its last new entry)
	// (UnsafeRules.SkipCommitMin).
	EmptyHeartbeats bool
	// CoalesceAppends makes a pipelined leader put everything it has for a
	// follower into one AppendEntries per Ready (up to MaxEntriesPerAppend
	// entries each) instead of one per proposal.
	CoalesceAppends bool
	// Quiet switches explanations off: no Notes in Ready and no Reason in
	// messages. Decisions are the same; searches and benchmarks run faster.
	Quiet bool

	// JointConsensus changes membership through a joint configuration
	// C_old,new, then C_new (§6), which allows any change at once; off, one
	// server at a time (dissertation §4.1).
	JointConsensus bool
	// CatchUpRounds is how many rounds of replication a new server gets to
	// catch up before the leader gives up (dissertation §4.2.1); 0 means 10.
	CatchUpRounds int

	// PreVote makes a server whose election timer fires first ask the
	// others whether they would vote for it, without raising its term, and
	// stand only if a majority would (dissertation §9.6).
	PreVote bool
	// CheckQuorum makes a leader that has not heard from a majority within
	// an election timeout step down (dissertation §6.2).
	CheckQuorum bool
	// StickyLeader makes a server ignore RequestVote and pre-votes that
	// arrive within the minimum election timeout of hearing from a leader
	// (dissertation §4.2.3), so that a server that was cut off cannot
	// disrupt a working cluster. Lease reads rely on it.
	StickyLeader bool
	// LeaseDriftPerMille bounds how much faster than the leader's any clock
	// may run, per mille: a lease lasts ElectionTimeoutMin ticks shortened
	// by that much (dissertation §6.4.1). 0 trusts the clocks to agree.
	LeaseDriftPerMille int
	// Unsafe switches safety rules off for teaching.
	Unsafe UnsafeRules
}

// MaxNodes is the largest cluster a Config may describe.
const MaxNodes = 9

func (c *Config) validate() error {
	switch {
	case c.ID == None:
		return errors.New("raft: Config.ID must not be zero")
	case len(c.Peers) == 0 || len(c.Peers) > MaxNodes:
		return errors.New("raft: Config.Peers must list 1 to 9 servers")
	case c.ElectionTimeoutMin <= 0 || c.ElectionTimeoutMax < c.ElectionTimeoutMin:
		return errors.New("raft: need 0 < ElectionTimeoutMin <= ElectionTimeoutMax")
	case c.HeartbeatTicks <= 0 || c.HeartbeatTicks >= c.ElectionTimeoutMin:
		return errors.New("raft: need 0 < HeartbeatTicks < ElectionTimeoutMin")
	case c.MaxEntriesPerAppend < 0:
		return errors.New("raft: MaxEntriesPerAppend must not be negative")
	case c.CatchUpRounds < 0:
		return errors.New("raft: CatchUpRounds must not be negative")
	case c.LeaseDriftPerMille < 0:
		return errors.New("raft: LeaseDriftPerMille must not be negative")
	}
	seen := map[NodeID]bool{}
	for _, p := range c.Peers {
		if p == None || seen[p] {
			return errors.New("raft: Config.Peers must be distinct and non-zero")
		}
		seen[p] = true
	}
	return nil
}
