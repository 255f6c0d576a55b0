package sim

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

const fullScenario = `# Figure 8, more or less
name: Log replication
nodes: 5
seed: 7
election-timeout: 150-300
heartbeat: 50
latency: 10-30
drop: 2.5%
timers: frozen            # or running
unsafe: commit-earlier-terms, skip-up-to-date-check, forget-vote
server S1: term 3 vote S1 log [1,1,2,3]
server S2: term 3 log [1,1,2] commands ["set x 1", "set y 2", "del x"]
server S3: term 1 log [1,1,1,1,1] crashed
partition: S1 S2 | S3 S4 S5
cut: S1 > S2        # one way;  "S1 S2" both ways
cut: S3 S4
mark: 3             # presenter pause after 3 actions
mark: 9, 7
setup:
  timeout S1
  deliver S1>S2 RequestVote
  # every following indented line is a setup action (the action grammar above)

  next; next
`

func fullScenarioWant() Scenario {
	return Scenario{
		Name: "Log replication", Nodes: 5, Seed: 7,
		ElectionTimeoutMin: 150, ElectionTimeoutMax: 300, HeartbeatInterval: 50,
		LatencyMin: 10, LatencyMax: 30, DropPerMille: 25, FrozenTimers: true,
		Unsafe: raft.UnsafeRules{CommitEarlierTerms: true, SkipUpToDateCheck: true, ForgetVote: true},
		Servers: []ServerSetup{
			{ID: 1, Term: 3, VotedFor: 1, Log: []raft.Term{1, 1, 2, 3}},
			{ID: 2, Term: 3, Log: []raft.Term{1, 1, 2}, Commands: []string{"set x 1", "set y 2", "del x"}},
			{ID: 3, Term: 1, Log: []raft.Term{1, 1, 1, 1, 1}, Crashed: true},
		},
		Partition: [][]raft.NodeID{{1, 2}, {3, 4, 5}},
		Cuts:      []Link{{From: 1, To: 2, OneWay: true}, {From: 3, To: 4}},
		Marks:     []int{3, 7, 9},
		Setup: []Action{
			{Op: OpTimeout, Node: 1},
			{Op: OpDeliver, Msg: MsgSelector{From: 1, To: 2, Type: raft.MsgVote}},
			{Op: OpNext},
			{Op: OpNext},
		},
	}
}

const fullScenarioCanonical = `name: Log replication
nodes: 5
seed: 7
election-timeout: 150-300
heartbeat: 50
latency: 10-30
drop: 2.5%
timers: frozen
unsafe: commit-earlier-terms, skip-up-to-date-check, forget-vote
server S1: term 3 vote S1 log [1,1,2,3]
server S2: term 3 log [1,1,2] commands ["set x 1", "set y 2", "del x"]
server S3: term 1 log [1,1,1,1,1] crashed
partition: S1 S2 | S3 S4 S5
cut: S1 > S2
cut: S3 S4
mark: 3, 7, 9
setup:
  timeout S1
  deliver S1>S2 RequestVote
  next
  next
`

func TestParseScenarioFull(t *testing.T) {
	got, err := ParseScenario("full.txt", fullScenario)
	require.NoError(t, err)
	assert.Equal(t, fullScenarioWant(), got)
	assert.Equal(t, fullScenarioCanonical, FormatScenario(got))
}

func TestParseScenarioDefaults(t *testing.T) {
	tests := []struct {
		name string
		text string
		want func(*Scenario)
	}{
		{"empty", "", func(*Scenario) {}},
		{"comments only", "# nothing\n\n   # indented comment\n", func(*Scenario) {}},
		{"nodes only", "nodes: 3", func(s *Scenario) { s.Nodes = 3 }},
		{"empty name", "name:", func(s *Scenario) { s.Name = "" }},
		{"comment right after the colon", "name:# none", func(s *Scenario) { s.Name = "" }},
		{"name with colon and hash", "name: Part 2: C# basics # a comment", func(s *Scenario) { s.Name = "Part 2: C# basics" }},
		{"case-insensitive keys, CRLF", "Nodes: 3\r\nTIMERS: Frozen\r\n", func(s *Scenario) { s.Nodes, s.FrozenTimers = 3, true }},
		{"single election timeout", "election-timeout: 200", func(s *Scenario) { s.ElectionTimeoutMin, s.ElectionTimeoutMax = 200, 200 }},
		{"spaced range", "election-timeout: 150 - 300ms\nlatency: 0-0", func(s *Scenario) {
			s.ElectionTimeoutMin, s.ElectionTimeoutMax, s.LatencyMin, s.LatencyMax = 150, 300, 0, 0
		}},
		{"heartbeat ms", "heartbeat: 20ms", func(s *Scenario) { s.HeartbeatInterval = 20 }},
		{"negative seed", "seed: -3", func(s *Scenario) { s.Seed = -3 }},
		{"drop without percent", "drop: 10", func(s *Scenario) { s.DropPerMille = 100 }},
		{"unsafe none", "unsafe: none", func(*Scenario) {}},
		{"unsafe one", "unsafe: forget-vote", func(s *Scenario) { s.Unsafe.ForgetVote = true }},
		{"unsafe reads", "unsafe: read-index-without-round, lease-read-without-lease", func(s *Scenario) {
			s.Unsafe.ReadIndexWithoutRound, s.Unsafe.LeaseReadWithoutLease = true, true
		}},
		{"bare server", "server S2:", func(s *Scenario) { s.Servers = []ServerSetup{{ID: 2}} }},
		{"server any order", "server s1: crashed log [1, 2] term 2 vote none", func(s *Scenario) {
			s.Servers = []ServerSetup{{ID: 1, Term: 2, Log: []raft.Term{1, 2}, Crashed: true}}
		}},
		{"empty log and commands", "server S1: term 1 log [] commands []", func(s *Scenario) {
			s.Servers = []ServerSetup{{ID: 1, Term: 1}}
		}},
		{"commands normalized", `server S1: term 1 log [1] commands [" SET  x 1 "]`, func(s *Scenario) {
			s.Servers = []ServerSetup{{ID: 1, Term: 1, Log: []raft.Term{1}, Commands: []string{"set x 1"}}}
		}},
		{"partition single group", "partition: S1 S2", func(s *Scenario) { s.Partition = [][]raft.NodeID{{1, 2}} }},
		{"cuts on one line", "cut: S1>S2, S2 S3", func(s *Scenario) {
			s.Cuts = []Link{{From: 1, To: 2, OneWay: true}, {From: 2, To: 3}}
		}},
		{"reverse one-way cuts", "cut: S1>S2\ncut: S2>S1", func(s *Scenario) {
			s.Cuts = []Link{{From: 1, To: 2, OneWay: true}, {From: 2, To: 1, OneWay: true}}
		}},
		{"inline setup", "setup: timeout S1; next\n\tnext 2", func(s *Scenario) {
			s.Setup = []Action{{Op: OpTimeout, Node: 1}, {Op: OpNext}, {Op: OpNext, Steps: 2}}
		}},
		{"setup block ends at a key", "setup:\n  timeout S2\nnodes: 3", func(s *Scenario) {
			s.Nodes = 3
			s.Setup = []Action{{Op: OpTimeout, Node: 2}}
		}},
		{"empty setup", "setup:", func(*Scenario) {}},
		{"switches on", "pre-vote: on\ncheck-quorum: ON\nsticky-leader: on\nannounce-commit: on", func(s *Scenario) {
			s.PreVote, s.CheckQuorum, s.StickyLeader, s.AnnounceCommit = true, true, true, true
		}},
		{"switches off", "pre-vote: off\nannounce-commit: off", func(*Scenario) {}},
		{"reads by index", "reads: read-index", func(s *Scenario) { s.Reads = ReadByIndex }},
		{"reads under a lease", "reads: Lease", func(s *Scenario) { s.Reads = ReadByLease }},
		{"reads local", "reads: local", func(*Scenario) {}},
		{"drift bound", "drift-bound: 12.5%", func(s *Scenario) { s.DriftBound = 125 }},
		{"server clocks", "server S1: drift -30%\nserver S2: drift +100% term 1", func(s *Scenario) {
			s.Servers = []ServerSetup{{ID: 1, Drift: -300}, {ID: 2, Term: 1, Drift: 1000}}
		}},
		{"voters in any order", "voters: S3, s1 S2", func(s *Scenario) { s.Voters = []raft.NodeID{1, 2, 3} }},
		{"membership and compaction", "membership: Joint\ncompact-every: 10\nunsafe: config-change-before-term-commit", func(s *Scenario) {
			s.JointConsensus, s.CompactEvery, s.Unsafe.ConfigChangeBeforeTermCommit = true, 10, true
		}},
		{"single-server membership", "membership: single-server", func(*Scenario) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseScenario("", tt.text)
			require.NoError(t, err)
			want := baseScenario()
			tt.want(&want)
			assert.Equal(t, want, got)

			again, err := ParseScenario("", FormatScenario(got))
			require.NoError(t, err, FormatScenario(got))
			assert.Equal(t, got, again)
		})
	}
}

func TestParseScenarioErrors(t *testing.T) {
	const keys = "name, nodes, seed, election-timeout, heartbeat, latency, drop, max-entries, timers, unsafe, pre-vote, check-quorum, sticky-leader, announce-commit, reads, drift-bound, voters, membership, compact-every, heartbeats, server, partition, cut, mark, setup"
	tests := []struct {
		name, text, want string
	}{
		{"unknown key", "name: x\nnodes: 3\n\nnodez: 4", `chapter3.md:4: unknown key "nodez"; expected one of: ` + keys},
		{"no colon", "nodes 3", `chapter3.md:1: expected "key: value", got "nodes 3"`},
		{"duplicate key", "nodes: 3\nseed: 1\nnodes: 4", `chapter3.md:3: nodes is already given on line 1`},
		{"duplicate setup", "setup:\n  next\nsetup:", `chapter3.md:3: setup is already given on line 1`},
		{"indented key", "nodes: 3\n  seed: 4", `chapter3.md:2: unexpected indented line "seed: 4"; only the actions under "setup:" are indented, keys start at the beginning of the line`},
		{"nodes zero", "nodes: 0", `chapter3.md:1: nodes: expected a number from 1 to 9, got "0"`},
		{"nodes ten", "nodes: 10", `chapter3.md:1: nodes: expected a number from 1 to 9, got "10"`},
		{"seed empty", "seed:# none", `chapter3.md:1: seed: expected a whole number, got nothing`},
		{"seed", "seed: abc", `chapter3.md:1: seed: expected a whole number, got "abc"`},
		{"election-timeout form", "election-timeout: fast", `chapter3.md:1: election-timeout: expected MIN-MAX in milliseconds from 1 to 60000, like "150-300", got "fast"`},
		{"election-timeout order", "election-timeout: 300-150", `chapter3.md:1: election-timeout: the minimum 300 is more than the maximum 150`},
		{"election-timeout zero", "election-timeout: 0-100", `chapter3.md:1: election-timeout: expected MIN-MAX in milliseconds from 1 to 60000, like "150-300", got "0-100"`},
		{"heartbeat", "heartbeat: 0", `chapter3.md:1: heartbeat: expected milliseconds from 1 to 60000, got "0"`},
		{"heartbeat too long", "name: x\nheartbeat: 200\nelection-timeout: 150-300",
			`chapter3.md:2: heartbeat: 200 ms is not shorter than the election timeout minimum 150 ms; a leader must send heartbeats before its followers time out`},
		{"election too short for default heartbeat", "election-timeout: 40-80",
			`chapter3.md:1: heartbeat: 50 ms is not shorter than the election timeout minimum 40 ms; a leader must send heartbeats before its followers time out`},
		{"latency", "latency: 10-20000", `chapter3.md:1: latency: expected MIN-MAX in milliseconds from 0 to 10000, like "10-30", got "10-20000"`},
		{"drop", "drop: 2.25%", `chapter3.md:1: drop: expected a percentage with at most one decimal, got "2.25%"`},
		{"timers", "timers: stopped", `chapter3.md:1: timers: expected "frozen" or "running", got "stopped"`},
		{"unsafe unknown", "unsafe: skip-checks", `chapter3.md:1: unsafe: unknown rule "skip-checks"; expected any of: commit-earlier-terms, skip-up-to-date-check, forget-vote, config-change-before-term-commit, reset-timer-on-any-vote, skip-commit-min, truncate-on-every-append, accept-stale-replies, back-off-on-stale-rejection, reapply-last-applied, concurrent-config-changes, read-index-without-round, read-before-term-commit, lease-read-without-lease, persist-after-send, apply-out-of-order`},
		{"unsafe twice", "unsafe: forget-vote, forget-vote", `chapter3.md:1: unsafe: forget-vote is listed twice`},
		{"voters empty", "voters:", `chapter3.md:1: voters: expected the servers whose votes count, like "S1 S2 S3", got nothing`},
		{"voters twice", "voters: S1 S2 S1", `chapter3.md:1: voters: S1 is listed twice`},
		{"voters name", "voters: S1 all", `chapter3.md:1: voters: expected a server like S2, got "all"`},
		{"voters beyond nodes", "nodes: 3\nvoters: S1 S4", `chapter3.md:2: voters: S4: the cluster has only 3 nodes`},
		{"membership", "membership: direct", `chapter3.md:1: membership: expected "single-server" or "joint", got "direct"`},
		{"compact-every", "compact-every: 0", `chapter3.md:1: compact-every: expected a number from 1 to 100000, got "0"`},
		{"server beyond nodes", "nodes: 3\nserver S4: term 1", `chapter3.md:2: server S4: the cluster has only 3 nodes`},
		{"server beyond nodes given later", "server S4: term 1\nnodes: 3", `chapter3.md:1: server S4: the cluster has only 3 nodes`},
		{"one node", "nodes: 1\nserver S2:", `chapter3.md:2: server S2: the cluster has only 1 node`},
		{"server id", "server S10: term 1", `chapter3.md:1: server: no server "S10"; servers are S1 to S9`},
		{"server name", "server leader: term 1", `chapter3.md:1: server: expected a server like S2, got "leader"`},
		{"server missing", "server: S1 term 1", `chapter3.md:1: expected the server before the colon, like "server S1: term 2 log [1,2]"`},
		{"server twice", "server S1: term 1\nserver S1: term 2", `chapter3.md:2: server S1: this server is already described on line 1`},
		{"server unknown attribute", "server S1: term 1 leader", `chapter3.md:1: server S1: unknown "leader"; expected "term N", "vote SERVER", "log [TERMS]", "commands [...]", "crashed" or "drift +N%"`},
		{"switch not on or off", "pre-vote: yes", `chapter3.md:1: pre-vote: expected "on" or "off", got "yes"`},
		{"reads unknown", "reads: quorum", `chapter3.md:1: reads: expected "local", "read-index", "lease", got "quorum"`},
		{"drift-bound too much", "drift-bound: 120%", `chapter3.md:1: drift-bound: expected a percentage from 0 to 100 like 2.5, got "120%"`},
		{"server drift without sign", "server S1: drift 20%", `chapter3.md:1: server S1: drift: expected how much faster or slower the clock runs, like "+20%" or "-20%", got "20%"`},
		{"server drift too slow", "server S1: drift -95%", `chapter3.md:1: server S1: drift: a clock runs at most 100% fast or 90% slow, got "-95%"`},
		{"server attribute twice", "server S1: term 1 term 2", `chapter3.md:1: server S1: term is given twice`},
		{"server term missing", "server S1: term", `chapter3.md:1: server S1: term: expected a number, got nothing`},
		{"server term", "server S1: term x", `chapter3.md:1: server S1: term: expected a number, got "x"`},
		{"server log not a list", "server S1: term 1 log 1,1", `chapter3.md:1: server S1: log: expected the entries' terms in brackets, like [1,1,2], got "1"`},
		{"server log unclosed", "server S1: term 1 log [1,1", `chapter3.md:1: server S1: a list is not closed with ']': "[1,1"`},
		{"server log bad term", "server S1: term 1 log [1,a]", `chapter3.md:1: server S1: log: expected the entries' terms, numbers from 1 like [1,1,2], got "a"`},
		{"server log term zero", "server S1: term 1 log [0,1]", `chapter3.md:1: server S1: log: expected the entries' terms, numbers from 1 like [1,1,2], got "0"`},
		{"server log decreasing", "server S1: term 3 log [1,2,1]", `chapter3.md:1: server S1: log: entry 3 has term 1 after an entry of term 2; terms never decrease along a log`},
		{"server log beyond term", "server S1: term 2 log [1,2,3]", `chapter3.md:1: server S1: log: entry 3 has term 3, later than the server's term 2; give "term 3" or more`},
		{"server log without term", "server S1: log [1,1]", `chapter3.md:1: server S1: log: entry 1 has term 1, later than the server's term 0; give "term 1" or more`},
		{"server vote beyond nodes", "nodes: 3\nserver S1: term 1 vote S5", `chapter3.md:2: server S1: vote S5: the cluster has only 3 nodes`},
		{"server vote bad", "server S1: term 1 vote me", `chapter3.md:1: server S1: vote: expected a server like S2, got "me"`},
		{"server commands count", `server S2: term 3 log [1,1,2] commands ["set x 1", "del x"]`, `chapter3.md:1: server S2: 2 commands for a log of 3 entries; give one command per entry`},
		{"server commands count one", `server S2: term 3 log [1] commands []`, `chapter3.md:1: server S2: 0 commands for a log of 1 entry; give one command per entry`},
		{"server command invalid", `server S2: term 3 log [1,1] commands ["set x 1", "put y 2"]`, `chapter3.md:1: server S2: commands: command 2: expected a command "set KEY VALUE" or "del KEY", got "put y 2"`},
		{"server commands unquoted", `server S2: term 3 log [1] commands [set x 1]`, `chapter3.md:1: server S2: commands: expected a quoted command like "set x 1", got "set x 1"`},
		{"server commands no comma", `server S2: term 3 log [1,1] commands ["set x 1" "del x"]`, `chapter3.md:1: server S2: commands: expected ',' between commands, got '"del x"'`},
		{"server commands unclosed quote", `server S2: term 3 log [1] commands ["set x 1]`, `chapter3.md:1: server S2: a list is not closed with ']': '["set x 1]'`},
		{"server stray quote", `server S2: term 3 "set x 1"`, `chapter3.md:1: server S2: unexpected '"'; quoted commands go in a list, like commands ["set x 1", "del x"]`},
		{"partition repeat", "partition: S1 S2 | S2 S3", `chapter3.md:1: partition: S2 is listed twice; a server is in one group only`},
		{"partition empty group", "partition: S1 S2 |", `chapter3.md:1: partition: group 2 is empty; expected servers separated by |, like "S1 S2 | S3"`},
		{"partition beyond nodes", "nodes: 3\npartition: S1 S2 | S3 S4", `chapter3.md:2: partition: S4: the cluster has only 3 nodes`},
		{"duplicate partition", "partition: S1 | S2\npartition: S3 | S4", `chapter3.md:2: partition is already given on line 1`},
		{"cut same", "cut: S1 S1", `chapter3.md:1: cut: expected two different servers, got S1 twice`},
		{"cut form", "cut: S1", `chapter3.md:1: cut: expected two servers, like "S1 S2" (both ways) or "S1>S2" (one way), got "S1"`},
		{"cut beyond nodes", "nodes: 3\ncut: S1 > S7", `chapter3.md:2: cut: S7: the cluster has only 3 nodes`},
		{"cut twice", "cut: S1 S2\ncut: S2>S1", `chapter3.md:2: cut: S2 > S1 is already cut on line 1`},
		{"cut twice both ways", "cut: S2 S1\ncut: S1 S2", `chapter3.md:2: cut: S1 S2 is already cut on line 1`},
		{"mark zero", "mark: 0", `chapter3.md:1: mark: expected a number from 1 to 1000000, got "0"`},
		{"mark empty", "mark:", `chapter3.md:1: mark: expected action counts like "3" or "3, 7", got nothing`},
		{"mark twice", "mark: 3, 7\nmark: 7", `chapter3.md:2: mark: 7 is already a mark on line 1`},
		{"setup action", "nodes: 3\nsetup:\n  timeout S1\n  deliver S2-S3\n", `chapter3.md:4: setup: deliver: expected a message id or FROM>TO, got "S2-S3"`},
		{"setup action after comment", "setup:\n  # start\n\n  next; jump", `chapter3.md:4: setup: unknown action "jump"; expected one of: ` + ActionNames()},
		{"setup inline", "setup: flush now", `chapter3.md:1: setup: flush: expected nothing after "flush", got "now"`},
		{"setup server beyond nodes", "nodes: 3\nsetup:\n  next\n  deliver S1>S4 vote", `chapter3.md:4: setup: deliver S1>S4 RequestVote: S4: the cluster has only 3 nodes`},
		{"earliest error wins", "nodes: 2\nserver S3:\nsetup:\n  timeout S3", `chapter3.md:2: server S3: the cluster has only 2 nodes`},
		{"setup ended by a key", "setup:\n  next\nname: x\n  next", `chapter3.md:4: unexpected indented line "next"; only the actions under "setup:" are indented, keys start at the beginning of the line`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseScenario("chapter3.md", tt.text)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.want, err.Error())
			assert.Equal(t, "chapter3.md", pe.File)
		})
	}
}

func TestParseScenarioAt(t *testing.T) {
	chapter := "# Chapter 3\n\nSome prose.\n\n```raft-scenario\nnodes: 3\nserver S4: term 1\n```\n"
	// The block's text starts on line 6 of the chapter.
	start := strings.Index(chapter, "nodes:")
	end := strings.Index(chapter[start:], "```") + start
	_, err := ParseScenarioAt("chapter3.md", 6, chapter[start:end])
	require.Error(t, err)
	assert.Equal(t, "chapter3.md:7: server S4: the cluster has only 3 nodes", err.Error())

	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 7, pe.Line)

	_, err = ParseScenario("", "nodes: 3\nserver S4:")
	assert.EqualError(t, err, "line 2: server S4: the cluster has only 3 nodes")
	_, err = ParseScenarioAt("x.md", 0, "nodez: 1")
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 1, pe.Line, "a first line below 1 counts as 1")
}

func TestFormatScenarioRoundTrip(t *testing.T) {
	minimal := DefaultScenario()
	minimal.Name = ""
	tests := []struct {
		name string
		sc   Scenario
	}{
		{"default", DefaultScenario()},
		{"full", fullScenarioWant()},
		{"minimal", minimal},
		{"membership", Scenario{Name: "spares", Nodes: 5, Seed: 2, ElectionTimeoutMin: 150, ElectionTimeoutMax: 300,
			HeartbeatInterval: 50, Voters: []raft.NodeID{1, 2, 4}, JointConsensus: true, CompactEvery: 7,
			Unsafe: raft.UnsafeRules{ConfigChangeBeforeTermCommit: true},
			Setup: []Action{{Op: OpAddServer, Node: 1, Peer: 3}, {Op: OpRemoveServer, Node: 2, Peer: 2},
				{Op: OpChangeVoters, Node: 1, Voters: []raft.NodeID{3, 4, 5}}, {Op: OpCompact, Node: 4}}}},
		{"one node", Scenario{Name: "solo", Nodes: 1, Seed: -9, ElectionTimeoutMin: 100, ElectionTimeoutMax: 100,
			HeartbeatInterval: 10, LatencyMin: 0, LatencyMax: 0, DropPerMille: 1000}},
		{"figure 8", Scenario{
			Name: "Figure 8: why a leader does not count replicas of old terms", Nodes: 5, Seed: 8,
			ElectionTimeoutMin: 150, ElectionTimeoutMax: 300, HeartbeatInterval: 50, LatencyMin: 5, LatencyMax: 5,
			FrozenTimers: true, Unsafe: raft.UnsafeRules{CommitEarlierTerms: true},
			Servers: []ServerSetup{
				{ID: 5, Term: 3, VotedFor: 5, Log: []raft.Term{1, 3}},
				{ID: 1, Term: 4, VotedFor: 1, Log: []raft.Term{1, 2, 4}, Commands: []string{"set a 1", "set b-2 x.y", "del a"}},
				{ID: 2, Term: 2, Log: []raft.Term{1, 2}, Crashed: true},
			},
			Cuts:  []Link{{From: 4, To: 5}, {From: 2, To: 1, OneWay: true}},
			Marks: []int{1, 2, 10},
			Setup: []Action{
				{Op: OpCrash, Node: 1},
				{Op: OpRestart, Node: 1, Amnesia: AmnesiaLogTail, LoseTail: 1},
				{Op: OpPartition, Groups: [][]raft.NodeID{{1}, {2, 3}}},
				{Op: OpPropose, Node: 5, Command: "set z 9"},
				{Op: OpDropRate, PerMille: 5},
				{Op: OpNext, Steps: 4},
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := FormatScenario(tt.sc)
			got, err := ParseScenario("round-trip", text)
			require.NoError(t, err, text)
			assert.Equal(t, tt.sc, got, text)
			assert.Equal(t, text, FormatScenario(got), "canonical text is stable")
		})
	}
}

func FuzzParseScenario(f *testing.F) {
	f.Add(fullScenario)
	f.Add(fullScenarioCanonical)
	f.Add("nodes: 3\nserver S1: term 2 log [1,2] commands [\"set x 1\", \"del x\"]\nsetup: next")
	f.Add("cut: S1>S2, S2 S3\nmark: 3, 7\npartition: S1 | S2")
	f.Add("name:#")
	f.Fuzz(func(t *testing.T, text string) {
		sc, err := ParseScenario("fuzz", text)
		if err != nil {
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			return
		}
		out := FormatScenario(sc)
		again, err := ParseScenario("fuzz", out)
		require.NoError(t, err, "FormatScenario gave\n%s", out)
		require.Equal(t, sc, again, "round trip via\n%s", out)
		require.Equal(t, out, FormatScenario(again))
	})
}

// A scenario saved with a UTF-8 byte-order mark reads as without it, and a
// setup that fails when it runs names its line.
func TestScenarioByteOrderMarkAndSetupLine(t *testing.T) {
	sc, err := ParseScenario("s.txt", "\uFEFFnodes: 3\nseed: 4\n")
	require.NoError(t, err)
	assert.Equal(t, 3, sc.Nodes)
	_, err = NewFromText("s.txt", 1, "nodes: 3\ntimers: frozen\nsetup:\n  timeout S1\n  # the votes\n  deliver S1>S2; deliver S2>S3\n")
	assert.EqualError(t, err, "s.txt:6: setup: deliver S2>S3: no such message in flight")
}
