package sim

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"raftlab/raft"
	"raftlab/raft/sim/lex"
)

// The scenario text is one "key: value" per line, keys starting at the
// beginning of the line, in any order; '#' at the start of a line or after
// a space starts a comment. Keys not given keep their DefaultScenario
// values (but announce-commit, which is off unless given); only server,
// cut and mark may be given more than once. Each key
// is an entry of scenarioKeys (tutorials/AUTHORING.md describes them all):
//
//	nodes: 3
//	election-timeout: 150-300     # ms; "200" means 200-200
//	server S2: term 3 vote S1 log [1,1,2] commands ["set x 1", "set y 2", "del x"] crashed
//	partition: S1 S2 | S3 S4 S5   # servers in no group are each alone
//	pre-vote: on                  # also check-quorum, sticky-leader, announce-commit
//	reads: read-index             # or local, lease
//	cut: S1 > S2, S3 S4           # one way, both ways
//	setup:
//	  timeout S1                  # every following indented line holds
//	  deliver S1>S2 RequestVote   # setup actions
//
// A server line lists "term N", "vote SERVER", "log [TERMS]", "commands
// [...]" (one quoted command per log entry; without it entry i runs "set
// x<i> <i>"), "crashed" and "drift +20%" (its clock runs 20% fast; "-20%"
// slow), in any order.

// scenarioKey is one key, and how its value is read.
type scenarioKey struct {
	name string
	read func(p *scenarioParser, line int, server, v string) string
}

// scenarioKeys are the keys, in the order FormatScenario writes them.
var scenarioKeys = []scenarioKey{
	{"name", func(p *scenarioParser, _ int, _, v string) string { p.sc.Name = v; return "" }},
	{"nodes", numberKey(1, raft.MaxNodes, false, func(s *Scenario) *int { return &s.Nodes })},
	{"seed", func(p *scenarioParser, _ int, _, v string) (msg string) {
		var err error
		if p.sc.Seed, err = strconv.ParseInt(v, 10, 64); err != nil {
			msg = "expected a whole number, got " + lex.Got(v)
		}
		return msg
	}},
	{"election-timeout", rangeKey(1, maxTimeout, "150-300", func(s *Scenario) (*int, *int) {
		return &s.ElectionTimeoutMin, &s.ElectionTimeoutMax
	})},
	{"heartbeat", numberKey(1, maxTimeout, true, func(s *Scenario) *int { return &s.HeartbeatInterval })},
	{"latency", rangeKey(0, MaxLatency, "10-30", func(s *Scenario) (*int, *int) { return &s.LatencyMin, &s.LatencyMax })},
	{"drop", func(p *scenarioParser, _ int, _, v string) (msg string) {
		pm, msg := lex.PerMille(v)
		p.sc.DropPerMille = int(pm)
		return msg
	}},
	{"max-entries", numberKey(1, 1000, false, func(s *Scenario) *int { return &s.MaxEntries })},
	{"timers", func(p *scenarioParser, _ int, _, v string) string {
		if v = strings.ToLower(v); v != "frozen" && v != "running" {
			return `expected "frozen" or "running", got ` + lex.Got(v)
		}
		p.sc.FrozenTimers = v == "frozen"
		return ""
	}},
	{"unsafe", (*scenarioParser).unsafe},
	{"pre-vote", switchKey(func(s *Scenario) *bool { return &s.PreVote })},
	{"check-quorum", switchKey(func(s *Scenario) *bool { return &s.CheckQuorum })},
	{"sticky-leader", switchKey(func(s *Scenario) *bool { return &s.StickyLeader })},
	{"announce-commit", switchKey(func(s *Scenario) *bool { return &s.AnnounceCommit })},
	{"reads", readsKey},
	{"drift-bound", func(p *scenarioParser, _ int, _, v string) (msg string) {
		pm, msg := lex.PerMille(v)
		p.sc.DriftBound = int(pm)
		return msg
	}},
	{"voters", (*scenarioParser).voters},
	{"membership", func(p *scenarioParser, _ int, _, v string) string {
		if v = strings.ToLower(v); v != "single-server" && v != "joint" {
			return `expected "single-server" or "joint", got ` + lex.Got(v)
		}
		p.sc.JointConsensus = v == "joint"
		return ""
	}},
	{"compact-every", numberKey(1, MaxLogLength, false, func(s *Scenario) *int { return &s.CompactEvery })},
	{"heartbeats", func(p *scenarioParser, _ int, _, v string) string {
		if v = strings.ToLower(v); v != "empty" && v != "entries" {
			return `expected "empty" (Figure 2's heartbeats, without entries) or "entries", got ` + lex.Got(v)
		}
		p.sc.EmptyHeartbeats = v == "empty"
		return ""
	}},
	{"server", (*scenarioParser).server},
	{"partition", func(p *scenarioParser, line int, _, v string) (msg string) {
		p.sc.Partition, msg = readGroups(lex.Words(v, "|"))
		for _, g := range p.sc.Partition {
			p.use(line, "partition: ", g...)
		}
		return msg
	}},
	{"cut", (*scenarioParser).cut},
	{"mark", (*scenarioParser).mark},
	{"setup", (*scenarioParser).setup},
}

// numberKey reads a number (milliseconds when ms is set) into a field.
func numberKey(lo, hi int64, ms bool, field func(*Scenario) *int) func(*scenarioParser, int, string, string) string {
	return func(p *scenarioParser, _ int, _, v string) string {
		n, msg := lex.Number(v, lo, hi, ms)
		*field(&p.sc) = int(n)
		return msg
	}
}

// rangeKey reads milliseconds "MIN-MAX" into two fields.
func rangeKey(lo, hi int64, example string, fields func(*Scenario) (*int, *int)) func(*scenarioParser, int, string, string) string {
	return func(p *scenarioParser, _ int, _, v string) string {
		a, b, msg := lex.Range(lex.Words(v, ""), lo, hi, example)
		min, max := fields(&p.sc)
		*min, *max = int(a), int(b)
		return msg
	}
}

const (
	maxTimeout = 60000 // ms, election timeout and heartbeat
	maxTerm    = 1 << 53
)

// ParseScenario parses scenario text (the format is above), starting from
// DefaultScenario with announce-commit off. file names the text in errors, which are *ParseError:
//
//	chapter3.md:12: server S4: the cluster has only 3 nodes
func ParseScenario(file, text string) (Scenario, error) {
	return ParseScenarioAt(file, 1, text)
}

// ParseScenarioAt is ParseScenario for text embedded in a larger file (a
// scenario block in a Markdown chapter): text's first line is line
// firstLine of file, and errors give lines of file.
func ParseScenarioAt(file string, firstLine int, text string) (Scenario, error) {
	p, err := parseScenario(file, firstLine, text)
	if err != nil {
		return Scenario{}, err
	}
	return p.sc, nil
}

// NewFromText parses scenario text as ParseScenarioAt does and starts a
// cluster in it, after adjust (if any) changed it. A setup action that
// fails when it runs is reported at its line:
//
//	chapter3.md:14: setup: deliver S1>S2: no such message in flight
func NewFromText(file string, firstLine int, text string, adjust ...func(*Scenario)) (*Cluster, error) {
	p, err := parseScenario(file, firstLine, text)
	if err != nil {
		return nil, err
	}
	for _, f := range adjust {
		f(&p.sc)
	}
	c, err := New(p.sc)
	if ae, ok := err.(*ActionError); ok && ae.Setup && ae.N <= len(p.setupLines) {
		return nil, &ParseError{File: file, Line: p.setupLines[ae.N-1], Msg: "setup: " + FormatAction(ae.Action) + ": " + ae.Err.Error()}
	}
	return c, err
}

// scenarioParser holds what parsing has found so far, and where.
type scenarioParser struct {
	file       string
	sc         Scenario
	keys       lex.Keys
	servers    [raft.MaxNodes + 1]int // the line each server is described on
	cutLines   []int
	setupLines []int
	marks      map[int]int // the line of each mark
	uses       []serverUse
}

// serverUse is a mention of servers, which must be in the cluster.
type serverUse struct {
	line int
	what string
	ids  []raft.NodeID
}

func (p *scenarioParser) use(line int, what string, ids ...raft.NodeID) {
	p.uses = append(p.uses, serverUse{line, what, ids})
}

func parseScenario(file string, first int, text string) (*scenarioParser, error) {
	p := &scenarioParser{file: file, sc: baseScenario(), marks: map[int]int{}}
	for _, k := range scenarioKeys {
		p.keys.Known = append(p.keys.Known, k.name)
	}
	p.keys.Repeat = []string{"server", "cut", "mark"}
	if len(text) > MaxScenarioBytes {
		return p, &ParseError{File: file, Line: max(first, 1), Msg: "the scenario is " + itoa(len(text)) +
			" bytes long; the limit is " + itoa(MaxScenarioBytes) + " (sim.MaxScenarioBytes)"}
	}
	if err := p.parse(first, text); err != nil {
		return p, err
	}
	return p, p.validate()
}

func (p *scenarioParser) parse(first int, text string) error {
	inSetup := false
	for _, l := range lex.Lines(text, first) {
		content, _ := lex.CutComment(l.Text)
		key, value, ok := lex.KeyValue(content)
		msg := ""
		switch {
		case strings.TrimSpace(content) == "":
			continue
		case content[0] == ' ' || content[0] == '\t':
			msg = "unexpected indented line " + lex.Quote(strings.TrimSpace(content)) +
				`; only the actions under "setup:" are indented, keys start at the beginning of the line`
			if inSetup {
				msg = p.setup(l.N, "", content)
			}
		case !ok:
			msg = `expected "key: value", got ` + lex.Quote(strings.TrimSpace(content))
		default:
			if strings.HasPrefix(value, "#") {
				value = "" // "key:# comment"
			}
			server := ""
			if f := strings.Fields(strings.Split(content, ":")[0]); len(f) > 1 && strings.EqualFold(f[0], "server") {
				key, server = "server", strings.Join(f[1:], " ")
			}
			inSetup = key == "setup"
			if msg = p.keys.Take(key, l.N); msg == "" {
				msg = scenarioKeys[slices.Index(p.keys.Known, key)].read(p, l.N, server, value)
				if msg != "" && key != "server" && key != "setup" {
					msg = key + ": " + msg
				}
			}
		}
		if msg != "" {
			return &ParseError{File: p.file, Line: l.N, Msg: msg}
		}
	}
	return nil
}

func (p *scenarioParser) unsafe(_ int, _, v string) string {
	var sc Scenario
	words := lex.List(strings.ToLower(v))
	if len(words) == 1 && words[0] == "none" {
		words = nil
	}
	for _, w := range words {
		i := slices.IndexFunc(switches[:], func(s Switch) bool { return s.Name == w })
		switch {
		case i < 0:
			return "unknown rule " + lex.Quote(w) + "; expected any of: " + strings.Join(SwitchNames(), ", ")
		case switches[i].In(sc):
			return w + " is listed twice"
		}
		switches[i].Set(&sc, true)
	}
	p.sc.Unsafe, p.sc.UnsafeHost = sc.Unsafe, sc.UnsafeHost
	return ""
}

func (p *scenarioParser) voters(line int, _, v string) string {
	var ids []raft.NodeID
	for _, w := range lex.List(v) {
		id, msg := lex.Server(w)
		switch {
		case msg != "":
			return msg
		case slices.Contains(ids, id):
			return id.String() + " is listed twice"
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return `expected the servers whose votes count, like "S1 S2 S3", got nothing`
	}
	slices.Sort(ids)
	p.sc.Voters = ids
	p.use(line, "voters: ", ids...)
	return ""
}

func (p *scenarioParser) cut(line int, _, v string) string {
	for _, piece := range strings.Split(v, ",") {
		l, msg := readLink(lex.Words(piece, ">"))
		if msg != "" {
			return msg
		}
		cuts := func(c Link, from, to raft.NodeID) bool {
			return c.From == from && c.To == to || !c.OneWay && c.From == to && c.To == from
		}
		for i, c := range p.sc.Cuts {
			if cuts(c, l.From, l.To) && (l.OneWay || cuts(c, l.To, l.From)) {
				return formatLink(l, scenarioText) + " is already cut on line " + strconv.Itoa(p.cutLines[i])
			}
		}
		p.sc.Cuts, p.cutLines = append(p.sc.Cuts, l), append(p.cutLines, line)
		p.use(line, "cut: ", l.From, l.To)
	}
	return ""
}

func (p *scenarioParser) mark(line int, _, v string) string {
	words := lex.List(v)
	if len(words) == 0 {
		return `expected action counts like "3" or "3, 7", got nothing`
	}
	for _, w := range words {
		n, msg := lex.Number(w, 1, MaxMarkPosition, false)
		switch {
		case msg != "":
			return msg
		case p.marks[int(n)] != 0:
			return w + " is already a mark on line " + strconv.Itoa(p.marks[int(n)])
		case len(p.sc.Marks) == MaxMarks:
			return "more than " + strconv.Itoa(MaxMarks) + " marks (sim.MaxMarks)"
		}
		p.marks[int(n)] = line
		p.sc.Marks = append(p.sc.Marks, int(n))
	}
	slices.Sort(p.sc.Marks)
	return ""
}

// setup reads the actions on one setup line (';' may separate several).
func (p *scenarioParser) setup(line int, _, text string) string {
	as, _, _, msg := readActions(text, line)
	if msg != "" {
		return "setup: " + msg
	}
	if len(p.sc.Setup)+len(as) > MaxSetupActions {
		return "setup: more than " + strconv.Itoa(MaxSetupActions) + " actions (sim.MaxSetupActions)"
	}
	for _, a := range as {
		p.sc.Setup, p.setupLines = append(p.sc.Setup, a), append(p.setupLines, line)
		p.use(line, "setup: "+FormatAction(a)+": ", a.Servers()...)
	}
	return ""
}

// server reads "server S1: term 3 vote S1 log [1,1,2,3] ...".
func (p *scenarioParser) server(line int, name, v string) string {
	if name == "" {
		return `expected the server before the colon, like "server S1: term 2 log [1,2]"`
	}
	id, msg := lex.Server(name)
	if msg != "" {
		return "server: " + msg
	}
	ss := ServerSetup{ID: id}
	if msg = p.serverAttrs(&ss, v); msg == "" && p.servers[id] != 0 {
		msg = "this server is already described on line " + strconv.Itoa(p.servers[id])
	}
	if msg != "" {
		return "server " + id.String() + ": " + msg
	}
	p.servers[id] = line
	p.use(line, "server ", id)
	p.use(line, "server "+id.String()+": vote ", ss.VotedFor)
	p.sc.Servers = append(p.sc.Servers, ss)
	return ""
}

// serverAttrs reads a server line's attributes into ss.
func (p *scenarioParser) serverAttrs(ss *ServerSetup, v string) string {
	words, msg := lex.Tokens(v, ",")
	c := &lex.Cursor{Words: words}
	given := map[string]bool{}
	hasCommands := false
	for msg == "" && c.Raw() != "" {
		attr := c.Peek()
		if given[attr] {
			return attr + " is given twice"
		}
		given[attr] = true
		c.Next()
		switch arg := c.Raw(); attr {
		case "crashed":
			ss.Crashed = true
		case "drift":
			ss.Drift, msg = readDrift(c.Next())
		case "term":
			var n int64
			n, msg = c.Number(0, maxTerm, false)
			ss.Term = raft.Term(n)
		case "vote":
			if !c.Skip("none") {
				ss.VotedFor, msg = c.Server()
			}
		case "log":
			msg = readLog(ss, c.Next())
		case "commands":
			if !strings.HasPrefix(arg, "[") {
				return `commands: expected quoted commands in brackets, like ["set x 1", "del x"], got ` + lex.Got(arg)
			}
			ss.Commands, msg = readCommands(c.Next())
			hasCommands = true
		default:
			if strings.HasPrefix(attr, `"`) {
				return `unexpected '"'; quoted commands go in a list, like commands ["set x 1", "del x"]`
			}
			return "unknown " + lex.Quote(attr) + `; expected "term N", "vote SERVER", "log [TERMS]", "commands [...]", "crashed" or "drift +N%"`
		}
		if msg != "" {
			msg = attr + ": " + msg
		}
	}
	switch {
	case msg != "":
	case len(ss.Log) > 0 && ss.Log[len(ss.Log)-1] > ss.Term:
		k := slices.IndexFunc(ss.Log, func(t raft.Term) bool { return t > ss.Term })
		msg = "log: entry " + strconv.Itoa(k+1) + " has term " + u64(uint64(ss.Log[k])) + ", later than the server's term " +
			u64(uint64(ss.Term)) + `; give "term ` + u64(uint64(ss.Log[len(ss.Log)-1])) + `" or more`
	case hasCommands && len(ss.Commands) != len(ss.Log):
		msg = count(len(ss.Commands), "command", "commands") + " for a log of " + count(len(ss.Log), "entry", "entries") +
			"; give one command per entry"
	}
	return msg
}

// readLog reads the entries' terms of a server line: "[1,1,2]".
func readLog(ss *ServerSetup, arg string) string {
	if !strings.HasPrefix(arg, "[") {
		return "expected the entries' terms in brackets, like [1,1,2], got " + lex.Got(arg)
	}
	terms, msg := lex.Terms(arg, 1, maxTerm)
	switch {
	case msg != "":
		return msg
	case len(terms) > MaxLogLength:
		return "more than " + itoa(MaxLogLength) + " entries (sim.MaxLogLength)"
	}
	for k := 1; k < len(terms); k++ {
		if terms[k] < terms[k-1] {
			return "entry " + strconv.Itoa(k+1) + " has term " + u64(uint64(terms[k])) + " after an entry of term " +
				u64(uint64(terms[k-1])) + "; terms never decrease along a log"
		}
	}
	if len(terms) > 0 {
		ss.Log = terms
	}
	return ""
}

func u64(v uint64) string { return strconv.FormatUint(v, 10) }

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// readCommands reads ["set x 1", "del x"]; an empty list is nil.
func readCommands(list string) ([]string, string) {
	var out []string
	s := strings.TrimLeft(list[1:len(list)-1], " \t")
	for s != "" {
		if s[0] != '"' {
			return nil, `expected a quoted command like "set x 1", got ` + lex.Got(s)
		}
		text, rest, _ := strings.Cut(s[1:], `"`)
		c, r := parseCommand(text)
		if r != nil {
			return nil, "command " + strconv.Itoa(len(out)+1) + ": " + r.Error()
		}
		out = append(out, c.String())
		if s = strings.TrimLeft(rest, " \t"); s != "" && s[0] != ',' {
			return nil, "expected ',' between commands, got " + lex.Got(s)
		} else if s != "" {
			s = strings.TrimLeft(s[1:], " \t")
		}
	}
	return out, ""
}

// validate checks what depends on several lines, reporting the problem on
// the earliest line.
func (p *scenarioParser) validate() error {
	sc := &p.sc
	err := &ParseError{File: p.file}
	report := func(line int, msg string) {
		if err.Msg == "" || line < err.Line {
			err.Line, err.Msg = line, msg
		}
	}
	for _, u := range p.uses {
		for _, id := range u.ids {
			if int(id) > sc.Nodes {
				report(u.line, u.what+id.String()+": the cluster has only "+count(sc.Nodes, "node", "nodes"))
				break
			}
		}
	}
	if sc.HeartbeatInterval >= sc.ElectionTimeoutMin {
		line := cmp.Or(p.keys.Line("heartbeat"), p.keys.Line("election-timeout"))
		report(line, "heartbeat: "+strconv.Itoa(sc.HeartbeatInterval)+
			" ms is not shorter than the election timeout minimum "+strconv.Itoa(sc.ElectionTimeoutMin)+
			" ms; a leader must send heartbeats before its followers time out")
	}
	if err.Msg != "" {
		return err
	}
	return nil
}

// FormatScenario writes s as canonical scenario text: the keys in the
// order of scenarioKeys, those that are empty left out. ParseScenario gives
// s back for every scenario it returns.
func FormatScenario(s Scenario) string {
	var b strings.Builder
	kv := func(key, value string) { writeKeyValue(&b, key, value) }
	kv("name", s.Name)
	kv("nodes", strconv.Itoa(s.Nodes))
	kv("seed", strconv.FormatInt(s.Seed, 10))
	kv("election-timeout", strconv.Itoa(s.ElectionTimeoutMin)+"-"+strconv.Itoa(s.ElectionTimeoutMax))
	kv("heartbeat", strconv.Itoa(s.HeartbeatInterval))
	kv("latency", strconv.Itoa(s.LatencyMin)+"-"+strconv.Itoa(s.LatencyMax))
	kv("drop", lex.FormatPerMille(int64(s.DropPerMille))+"%")
	if s.MaxEntries != 0 {
		kv("max-entries", strconv.Itoa(s.MaxEntries))
	}
	timers := "running"
	if s.FrozenTimers {
		timers = "frozen"
	}
	kv("timers", timers)
	var rules []string
	for _, r := range SwitchesIn(s) {
		rules = append(rules, r.Name)
	}
	if len(rules) > 0 {
		kv("unsafe", strings.Join(rules, ", "))
	}
	if s.Voters != nil {
		ids := make([]string, len(s.Voters))
		for i, id := range s.Voters {
			ids[i] = id.String()
		}
		kv("voters", strings.Join(ids, " "))
	}
	if s.JointConsensus {
		kv("membership", "joint")
	}
	if s.CompactEvery != 0 {
		kv("compact-every", strconv.Itoa(s.CompactEvery))
	}
	if s.EmptyHeartbeats {
		kv("heartbeats", "empty")
	}
	formatSwitches(s, kv)
	for _, ss := range s.Servers {
		kv("server "+ss.ID.String(), formatServer(ss))
	}
	if len(s.Partition) > 0 {
		kv("partition", formatGroups(s.Partition, scenarioText))
	}
	for _, c := range s.Cuts {
		kv("cut", formatLink(c, scenarioText))
	}
	if len(s.Marks) > 0 {
		marks := make([]string, len(s.Marks))
		for i, m := range s.Marks {
			marks[i] = strconv.Itoa(m)
		}
		kv("mark", strings.Join(marks, ", "))
	}
	if len(s.Setup) > 0 {
		kv("setup", "")
		for _, a := range s.Setup {
			b.WriteString("  " + FormatAction(a) + "\n")
		}
	}
	return b.String()
}

// writeKeyValue writes one "key: value" line. It is not inlined: FormatScenario
// calls it for every key, and a copy at each call made the function many
// times its size in the WebAssembly module.
//
//go:noinline
func writeKeyValue(b *strings.Builder, key, value string) {
	b.WriteString(strings.TrimSpace(key + ": " + value))
	b.WriteByte('\n')
}

func formatServer(ss ServerSetup) string {
	var parts []string
	if ss.Term != 0 {
		parts = append(parts, "term "+u64(uint64(ss.Term)))
	}
	if ss.VotedFor != raft.None {
		parts = append(parts, "vote "+ss.VotedFor.String())
	}
	if len(ss.Log) > 0 {
		terms := make([]string, len(ss.Log))
		for i, t := range ss.Log {
			terms[i] = u64(uint64(t))
		}
		parts = append(parts, "log ["+strings.Join(terms, ",")+"]")
	}
	if len(ss.Commands) > 0 {
		parts = append(parts, `commands ["`+strings.Join(ss.Commands, `", "`)+`"]`)
	}
	if ss.Crashed {
		parts = append(parts, "crashed")
	}
	if ss.Drift != 0 {
		parts = append(parts, "drift "+formatDrift(ss.Drift))
	}
	return strings.Join(parts, " ")
}
