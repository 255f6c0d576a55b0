package sim

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft"
)

// actionCases covers every Op: the text, the action, and the canonical text
// (empty when the text is already canonical).
var actionCases = []struct {
	in        string
	want      Action
	canonical string
}{
	{"next", Action{Op: OpNext}, ""},
	{"next 1", Action{Op: OpNext}, "next"},
	{"next 5", Action{Op: OpNext, Steps: 5}, ""},
	{"advance 100", Action{Op: OpAdvance, Millis: 100}, ""},
	{"advance 250ms", Action{Op: OpAdvance, Millis: 250}, "advance 250"},
	{"deliver 7", Action{Op: OpDeliver, Msg: MsgSelector{ID: 7}}, ""},
	{"deliver S2>S3", Action{Op: OpDeliver, Msg: MsgSelector{From: 2, To: 3, AnyType: true}}, ""},
	{"deliver s2 > s3", Action{Op: OpDeliver, Msg: MsgSelector{From: 2, To: 3, AnyType: true}}, "deliver S2>S3"},
	{"deliver S2>S3 RequestVote", Action{Op: OpDeliver, Msg: MsgSelector{From: 2, To: 3, Type: raft.MsgVote}}, ""},
	{"deliver *>S1 append-reply", Action{Op: OpDeliver, Msg: MsgSelector{To: 1, Type: raft.MsgAppendResp}}, "deliver *>S1 AppendEntriesReply"},
	{"deliver S1>* vote-reply", Action{Op: OpDeliver, Msg: MsgSelector{From: 1, Type: raft.MsgVoteResp}}, "deliver S1>* RequestVoteReply"},
	{"drop S1>S2 pre-vote", Action{Op: OpDrop, Msg: MsgSelector{From: 1, To: 2, Type: raft.MsgPreVote}}, "drop S1>S2 PreVote"},
	{"dup S2>S1 InstallSnapshotReply", Action{Op: OpDuplicate, Msg: MsgSelector{From: 2, To: 1, Type: raft.MsgSnapResp}}, ""},
	{"deliver *>*", Action{Op: OpDeliver, Msg: MsgSelector{AnyType: true}}, ""},
	{"drop S1>S2 append", Action{Op: OpDrop, Msg: MsgSelector{From: 1, To: 2, Type: raft.MsgAppend}}, "drop S1>S2 AppendEntries"},
	{"drop 12", Action{Op: OpDrop, Msg: MsgSelector{ID: 12}}, ""},
	{"dup S3>S1 vote", Action{Op: OpDuplicate, Msg: MsgSelector{From: 3, To: 1, Type: raft.MsgVote}}, "dup S3>S1 RequestVote"},
	{"duplicate 3", Action{Op: OpDuplicate, Msg: MsgSelector{ID: 3}}, "dup 3"},
	{"flush", Action{Op: OpFlush}, ""},
	{"timeout S2", Action{Op: OpTimeout, Node: 2}, ""},
	{"propose S1 set x 3", Action{Op: OpPropose, Node: 1, Command: "set x 3"}, ""},
	{"propose s1  SET  x  3", Action{Op: OpPropose, Node: 1, Command: "set x 3"}, "propose S1 set x 3"},
	{"propose S1 del x", Action{Op: OpPropose, Node: 1, Command: "del x"}, ""},
	{"read S2 x", Action{Op: OpRead, Node: 2, Key: "x"}, ""},
	{"read S2 x read-index", Action{Op: OpRead, Node: 2, Key: "x", Path: ReadByIndex}, ""},
	{"read S1 x LEASE", Action{Op: OpRead, Node: 1, Key: "x", Path: ReadByLease}, "read S1 x lease"},
	{"read S3 y local", Action{Op: OpRead, Node: 3, Key: "y", Path: ReadLocal}, ""},
	{"transfer S1 S3", Action{Op: OpTransfer, Node: 1, To: 3}, ""},
	{"crash S1", Action{Op: OpCrash, Node: 1}, ""},
	{"restart S1", Action{Op: OpRestart, Node: 1}, ""},
	{"restart S1 forget-vote", Action{Op: OpRestart, Node: 1, Amnesia: AmnesiaVote}, ""},
	{"restart S1 lose-tail 2", Action{Op: OpRestart, Node: 1, Amnesia: AmnesiaLogTail, LoseTail: 2}, ""},
	{"partition S1 S2 | S3 S4 S5", Action{Op: OpPartition, Groups: [][]raft.NodeID{{1, 2}, {3, 4, 5}}}, ""},
	{"partition S3|S1", Action{Op: OpPartition, Groups: [][]raft.NodeID{{3}, {1}}}, "partition S3 | S1"},
	{"partition S1 S2", Action{Op: OpPartition, Groups: [][]raft.NodeID{{1, 2}}}, ""},
	{"cut S1 S2", Action{Op: OpCut, From: 1, To: 2}, ""},
	{"cut S1>S2", Action{Op: OpCut, From: 1, To: 2, OneWay: true}, ""},
	{"cut S1 > S2", Action{Op: OpCut, From: 1, To: 2, OneWay: true}, "cut S1>S2"},
	{"restore S2 S1", Action{Op: OpRestore, From: 2, To: 1}, ""},
	{"restore S1>S2", Action{Op: OpRestore, From: 1, To: 2, OneWay: true}, ""},
	{"heal", Action{Op: OpHeal}, ""},
	{"drop-all", Action{Op: OpDropAll}, ""},
	{"drop-rate 2.5", Action{Op: OpDropRate, PerMille: 25}, ""},
	{"drop-rate 2.5%", Action{Op: OpDropRate, PerMille: 25}, "drop-rate 2.5"},
	{"drop-rate 0", Action{Op: OpDropRate}, ""},
	{"drop-rate 100", Action{Op: OpDropRate, PerMille: 1000}, ""},
	{"drop-rate 0.1", Action{Op: OpDropRate, PerMille: 1}, ""},
	{"drop-rate 7.0", Action{Op: OpDropRate, PerMille: 70}, "drop-rate 7"},
	{"latency 10 30", Action{Op: OpLatency, LatencyMin: 10, LatencyMax: 30}, ""},
	{"latency 10-30", Action{Op: OpLatency, LatencyMin: 10, LatencyMax: 30}, "latency 10 30"},
	{"latency 0 10000", Action{Op: OpLatency, LatencyMin: 0, LatencyMax: 10000}, ""},
	{"latency 20", Action{Op: OpLatency, LatencyMin: 20, LatencyMax: 20}, "latency 20 20"},
	{"freeze", Action{Op: OpFreeze}, ""},
	{"unfreeze", Action{Op: OpUnfreeze}, ""},
	{"  UnFreeze\t", Action{Op: OpUnfreeze}, "unfreeze"},
	{"compact S3", Action{Op: OpCompact, Node: 3}, ""},
	{"add-server S1 S4", Action{Op: OpAddServer, Node: 1, Peer: 4}, ""},
	{"remove-server s2 s2", Action{Op: OpRemoveServer, Node: 2, Peer: 2}, "remove-server S2 S2"},
	{"change-voters S1 S5 S3 S4", Action{Op: OpChangeVoters, Node: 1, Voters: []raft.NodeID{3, 4, 5}}, "change-voters S1 S3 S4 S5"},
	{"change-voters S2 S2", Action{Op: OpChangeVoters, Node: 2, Voters: []raft.NodeID{2}}, ""},
}

func TestParseAction(t *testing.T) {
	seen := map[Op]bool{}
	for _, tt := range actionCases {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseAction(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			canonical := tt.canonical
			if canonical == "" {
				canonical = tt.in
			}
			assert.Equal(t, canonical, FormatAction(got))
		})
		seen[tt.want.Op] = true
	}
	for op := OpNone + 1; op < opCount; op++ {
		assert.True(t, seen[op], "no test case for Op %d", op)
	}
}

func TestFormatActionRoundTrip(t *testing.T) {
	for _, tt := range actionCases {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseAction(FormatAction(tt.want))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestFormatActionInvalid(t *testing.T) {
	for _, a := range []Action{{}, {Op: opCount}, {Op: 200}} {
		_, err := ParseAction(FormatAction(a))
		assert.Error(t, err, "%+v", a)
	}
	// A hand-built "next" run once either way comes back as Amount 0.
	assert.Equal(t, "next", FormatAction(Action{Op: OpNext, Steps: 1}))
}

func TestParseActionErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", "expected an action, got nothing"},
		{"   ", "expected an action, got nothing"},
		{"jump S1", `unknown action "jump"; expected one of: ` + ActionNames()},
		{"next; next", `expected one action, got several: "next; next"`},
		{"next 0", `next: expected a number from 1 to 100000, got "0"`},
		{"next -1", `next: expected a number from 1 to 100000, got "-1"`},
		{"next +2", `next: expected a number from 1 to 100000, got "+2"`},
		{"next 2 3", `next: expected nothing after "next 2", got "3"`},
		{"next 100001", `next: expected a number from 1 to 100000, got "100001"`},
		{"advance", `advance: expected milliseconds from 1 to 3600000, got nothing`},
		{"advance 0", `advance: expected milliseconds from 1 to 3600000, got "0"`},
		{"advance 1.5", `advance: expected milliseconds from 1 to 3600000, got "1.5"`},
		{"deliver", "deliver: expected a message id or FROM>TO, got nothing"},
		{"deliver S2-S3", `deliver: expected a message id or FROM>TO, got "S2-S3"`},
		{"deliver S2 S3", `deliver: expected a message id or FROM>TO, got "S2 S3"`},
		{"deliver 0", `deliver: expected a message id or FROM>TO, got "0"`},
		{"deliver 7 vote", `deliver: expected a message id or FROM>TO, got "7 vote"`},
		{"deliver S2>", `deliver: expected a message id or FROM>TO, got "S2 >"`},
		{"drop S2>S3 ping", `drop: unknown message type "ping"; expected RequestVote, RequestVoteReply, AppendEntries, AppendEntriesReply, ` +
			`InstallSnapshot, InstallSnapshotReply, PreVote, PreVoteReply, TimeoutNow, ReadIndex, ReadIndexReply ` +
			`(or vote, vote-reply, append, append-reply, snapshot, snapshot-reply, pre-vote, pre-vote-reply, timeout-now, ` +
			`read-index, read-index-reply)`},
		{"dup S2>S3 vote extra", `dup: expected FROM>TO and at most a message type, got "S2>S3 vote extra"`},
		{"deliver S0>S1", `deliver: from: no server "S0"; servers are S1 to S9`},
		{"deliver S1>S10", `deliver: to: no server "S10"; servers are S1 to S9`},
		{"deliver X>S1", `deliver: from: expected a server like S2 or *, got "X"`},
		{"deliver S1>S1", `deliver: a server sends no messages to itself: "S1>S1"`},
		{"flush now", `flush: expected nothing after "flush", got "now"`},
		{"heal S1", `heal: expected nothing after "heal", got "S1"`},
		{"timeout", "timeout: expected a server like S2, got nothing"},
		{"timeout *", `timeout: expected a server like S2, got "*"`},
		{"timeout S", `timeout: expected a server like S2, got "S"`},
		{"timeout 2", `timeout: expected a server like S2, got "2"`},
		{"timeout S2 S3", `timeout: expected nothing after "timeout S2", got "S3"`},
		{"crash S12", `crash: no server "S12"; servers are S1 to S9`},
		{"restart S1 forget", `restart: expected nothing, "forget-vote" or "lose-tail N" after the server, got "forget"`},
		{"restart S1 lose-tail", `restart: expected how many entries to lose, like "lose-tail 2", got "lose-tail"`},
		{"restart S1 lose-tail 0", `restart: expected how many entries to lose, like "lose-tail 2", got "lose-tail 0"`},
		{"restart S1 forget-vote lose-tail 2", `restart: expected nothing, "forget-vote" or "lose-tail N" after the server, got "forget-vote lose-tail 2"`},
		{"propose S1", `propose: expected a command "set KEY VALUE" or "del KEY", got nothing`},
		{"propose S1 put x 1", `propose: expected a command "set KEY VALUE" or "del KEY", got "put x 1"`},
		{"propose S1 set x", `propose: expected "set KEY VALUE", got "set x"`},
		{"propose set x 1", `propose: expected a server like S2, got "set"`},
		{"read S2", `read: expected a key, got nothing`},
		{"read S2 x!", `read: the key "x!" contains "!"; use only letters, digits, '_', '.' and '-'`},
		{"read S2 x quorum", `read: expected nothing or how to read: "local", "read-index", "lease", got "quorum"`},
		{"read S2 x lease now", `read: expected nothing after "read S2 x lease", got "now"`},
		{"transfer S1", `transfer: expected a server like S2, got nothing`},
		{"partition", `partition: expected groups of servers separated by |, like "S1 S2 | S3", got nothing`},
		{"partition S1 | | S2", `partition: group 2 is empty; expected servers separated by |, like "S1 S2 | S3"`},
		{"partition | S2", `partition: group 1 is empty; expected servers separated by |, like "S1 S2 | S3"`},
		{"partition S1 |", `partition: group 2 is empty; expected servers separated by |, like "S1 S2 | S3"`},
		{"partition S1 S2 | S2", `partition: S2 is listed twice; a server is in one group only`},
		{"partition S1 | *", `partition: expected a server like S2, got "*"`},
		{"cut S1", `cut: expected two servers, like "S1 S2" (both ways) or "S1>S2" (one way), got "S1"`},
		{"cut S1 S2 S3", `cut: expected two servers, like "S1 S2" (both ways) or "S1>S2" (one way), got "S1 S2 S3"`},
		{"cut S1 S1", `cut: expected two different servers, got S1 twice`},
		{"restore", `restore: expected two servers, like "S1 S2" (both ways) or "S1>S2" (one way), got nothing`},
		{"restore *>S1", `restore: expected a server like S2, got "*"`},
		{"drop-rate", `drop-rate: expected a percentage from 0 to 100 like 2.5, got nothing`},
		{"drop-rate 2.55", `drop-rate: expected a percentage with at most one decimal, got "2.55"`},
		{"drop-rate 101", `drop-rate: expected a percentage from 0 to 100 like 2.5, got "101"`},
		{"drop-rate 100.5", `drop-rate: expected a percentage from 0 to 100 like 2.5, got "100.5"`},
		{"drop-rate -1", `drop-rate: expected a percentage from 0 to 100 like 2.5, got "-1"`},
		{"drop-rate .5", `drop-rate: expected a percentage from 0 to 100 like 2.5, got ".5"`},
		{"drop-rate 5.", `drop-rate: expected a percentage from 0 to 100 like 2.5, got "5."`},
		{"latency", `latency: expected MIN MAX in milliseconds from 0 to 10000, like "10 30", got nothing`},
		{"latency 30 10", `latency: the minimum 30 is more than the maximum 10`},
		{"latency 10 10001", `latency: expected MIN MAX in milliseconds from 0 to 10000, like "10 30", got "10 10001"`},
		{"latency 1 2 3", `latency: expected MIN MAX in milliseconds from 0 to 10000, like "10 30", got "1 2 3"`},
		{"freeze 1", `freeze: expected nothing after "freeze", got "1"`},
		{"compact", `compact: expected a server like S2, got nothing`},
		{"add-server S1", `add-server: expected a server like S2, got nothing`},
		{"remove-server S1 S2 S3", `remove-server: expected nothing after "remove-server S1 S2", got "S3"`},
		{"change-voters S1", `change-voters: expected servers, like "S1 S2 S3", got nothing`},
		{"change-voters S1 S2 S2", `change-voters: S2 is listed twice`},
		{"change-voters S1 S2 | S3", `change-voters: expected a server like S2, got "|"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseAction(tt.in)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.want, pe.Msg)
			assert.Zero(t, pe.Line)
			assert.Empty(t, pe.File)
		})
	}
}

func TestParseActions(t *testing.T) {
	text := `# a lesson
timeout S1

deliver S1>S2 RequestVote   # the vote request
next; next 3 ;advance 10
  heal
;;drop-all
`
	got, err := ParseActions(text)
	require.NoError(t, err)
	assert.Equal(t, []Action{
		{Op: OpTimeout, Node: 1},
		{Op: OpDeliver, Msg: MsgSelector{From: 1, To: 2, Type: raft.MsgVote}},
		{Op: OpNext},
		{Op: OpNext, Steps: 3},
		{Op: OpAdvance, Millis: 10},
		{Op: OpHeal},
		{Op: OpDropAll},
	}, got)

	empty, err := ParseActions("\n# nothing\n  \n")
	require.NoError(t, err)
	assert.Empty(t, empty)
}

func TestParseActionsErrors(t *testing.T) {
	tests := []struct {
		name, text string
		line       int
		msg        string
	}{
		{"first line", "jump", 1, `unknown action "jump"; expected one of: ` + ActionNames()},
		{"after comments", "# intro\n\nnext\ndeliver S2-S3 # oops\n", 4, `deliver: expected a message id or FROM>TO, got "S2-S3"`},
		{"second on a line", "next\nnext; timeout S0", 2, `timeout: no server "S0"; servers are S1 to S9`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseActions(tt.text)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.line, pe.Line)
			assert.Equal(t, tt.msg, pe.Msg)
			assert.Equal(t, "line "+strconv.Itoa(tt.line)+": "+tt.msg, err.Error())
		})
	}
}

func mustActions(t testing.TB, text string) []Action {
	t.Helper()
	as, err := ParseActions(text)
	require.NoError(t, err)
	return as
}

func TestEncodeActions(t *testing.T) {
	tests := []struct {
		name    string
		in      string // readable actions
		encoded string
		decoded string // readable form of what DecodeActions returns; "" means in
	}{
		{"empty", "", "", ""},
		{"doc example",
			"timeout S1; deliver S1>S2 RequestVote; next 3; advance 150; partition S1 S2 | S3",
			"timeout+S1;deliver+S1~S2+vote;next+3;advance+150;partition+S1+S2/S3", ""},
		{"every op",
			"next 2; advance 5; deliver 7; deliver *>S1 append-reply; drop S2>S3; dup S1>* vote-reply; flush; timeout S2; " +
				"propose S1 set my_key.1 v-2; propose S1 del x; read S2 x; crash S1; restart S1; restart S2 forget-vote; " +
				"restart S3 lose-tail 2; partition S1 | S2 S3 | S4; cut S1 S2; cut S1>S2; restore S1 S2; restore S2>S1; " +
				"heal; drop-rate 2.5; latency 10 30; freeze; unfreeze",
			"next+2;advance+5;deliver+7;deliver+*~S1+append-reply;drop+S2~S3;dup+S1~*+vote-reply;flush;timeout+S2;" +
				"propose+S1+set+my_key.1+v-2;propose+S1+del+x;read+S2+x;crash+S1;restart+S1;restart+S2+forget-vote;" +
				"restart+S3+lose-tail+2;partition+S1/S2+S3/S4;cut+S1+S2;cut+S1~S2;restore+S1+S2;restore+S2~S1;" +
				"heal;drop-rate+2.5;latency+10+30;freeze;unfreeze",
			""},
		{"written as given", "next; next 3; advance 10; advance 20", "next;next+3;advance+10;advance+20", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			as := mustActions(t, tt.in)
			enc := EncodeActions(as)
			assert.Equal(t, tt.encoded, enc)
			assert.NotContains(t, enc, " ")

			dec, err := DecodeActions(enc)
			require.NoError(t, err)
			want := tt.decoded
			if want == "" {
				want = tt.in
			}
			assert.Equal(t, mustActions(t, want), dec)

			// The readable form decodes as well.
			plain, err := DecodeActions(tt.in)
			require.NoError(t, err)
			assert.Equal(t, as, plain)

			// Encoding is stable: the decoded actions encode the same.
			assert.Equal(t, enc, EncodeActions(dec))
		})
	}
}

func TestEncodeActionsURLSafe(t *testing.T) {
	var as []Action
	for _, c := range actionCases {
		as = append(as, c.want)
	}
	enc := EncodeActions(as)
	for _, r := range enc {
		ok := 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("-._~+;/*", r)
		assert.True(t, ok, "character %q needs percent-encoding in %s", r, enc)
	}
}

func TestDecodeActionsMixedAndErrors(t *testing.T) {
	got, err := DecodeActions("deliver S1~S2 vote;next+2\ncut S1>S2;partition S1 S2/S3")
	require.NoError(t, err)
	assert.Equal(t, mustActions(t, "deliver S1>S2 vote; next 2; cut S1>S2; partition S1 S2 | S3"), got)

	_, err = DecodeActions("next;timeout+S1;deliver+S2-S3")
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, `action 3: deliver: expected a message id or FROM>TO, got "S2-S3"`, pe.Error())
}

func FuzzParseAction(f *testing.F) {
	for _, c := range actionCases {
		f.Add(c.in)
	}
	for _, s := range []string{"", "deliver S2-S3", "next;next", "partition S1 || S2", "drop-rate 99.9%",
		"latency 5-5", "restart s9 LOSE-TAIL 1000000", "deliver 2147483647", "advance 3600000ms"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAction(s)
		if err != nil {
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			return
		}
		text := FormatAction(a)
		b, err := ParseAction(text)
		require.NoError(t, err, "FormatAction gave %q for %q", text, s)
		require.Equal(t, a, b, "round trip of %q via %q", s, text)
		require.Equal(t, text, FormatAction(b))

		dec, err := DecodeActions(EncodeActions([]Action{a}))
		require.NoError(t, err)
		require.Equal(t, []Action{a}, dec)
	})
}

func FuzzDecodeActions(f *testing.F) {
	f.Add("timeout+S1;deliver+S1~S2+vote;next+3;advance+150;partition+S1+S2/S3")
	f.Add("next\nnext # c\nadvance 1;advance 2")
	f.Fuzz(func(t *testing.T, s string) {
		as, err := DecodeActions(s)
		if err != nil {
			return
		}
		enc := EncodeActions(as)
		again, err := DecodeActions(enc)
		require.NoError(t, err, "encoded %q", enc)
		require.Equal(t, enc, EncodeActions(again))
	})
}
