package sim

import (
	"slices"
	"strconv"
	"strings"

	"raftlab/raft"
	"raftlab/raft/sim/lex"
)

// The scenario text is one "key: value" per line, keys starting at the
// beginning of the line; '#' at the start of a line or after a space starts
// a comment. Keys not given keep their DefaultScenario values.
//
//	name: Log replication
//	nodes: 3                      # 1 to 9
//	seed: 7
//	election-timeout: 150-300     # ms; "200" means 200-200
//	heartbeat: 50                 # ms, shorter than the election timeout
//	max-entries: 1                # entries per AppendEntries (default 64)
//	latency: 10-30                # ms
//	drop: 2.5%                    # up to one decimal
//	timers: frozen                # or running
//	unsafe: commit-earlier-terms, skip-up-to-date-check, forget-vote
//	server S1: term 3 vote S1 log [1,1,2,3]
//	server S2: term 3 log [1,1,2] commands ["set x 1", "set y 2", "del x"]
//	server S3: term 1 log [1,1,1,1,1] crashed
//	partition: S1 S2 | S3 S4 S5   # servers in no group are each alone
//	cut: S1 > S2                  # one way; "S1 S2" both ways; may repeat
//	mark: 3, 7                    # presenter pauses; may repeat
//	setup:
//	  timeout S1                  # every following indented line is
//	  deliver S1>S2 RequestVote   # a setup action
//
// Only server, cut and mark may be given more than once. A server line
// lists, in any order, "term N", "vote SERVER", "log [TERMS]", "commands
// [...]" (one quoted command per log entry; without it entry i runs
// "set x<i> <i>") and "crashed". A name is trimmed and cannot hold " #".

// scenarioKeys are the scenario keys, in the order FormatScenario writes them.
var scenarioKeys = [...]string{
	"name", "nodes", "seed", "election-timeout", "heartbeat", "latency", "drop",
	"max-entries", "timers", "unsafe", "server", "partition", "cut", "setup", "mark",
}

// unsafeNames are the names of the unsafe rules, in the order they are written.
var unsafeNames = [...]string{"commit-earlier-terms", "skip-up-to-date-check", "forget-vote"}

const (
	maxTimeout = 60000 // ms, election timeout and heartbeat
	maxTerm    = 1 << 53
)

// ParseScenario parses scenario text (the format is above), starting from
// DefaultScenario. file names the text in errors, which are *ParseError:
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
	file string
	sc   Scenario

	keyLine       [len(scenarioKeys)]int // line a key was first given on
	serverLine    [raft.MaxNodes + 1]int // line each server was described on
	partitionLine int                    // line of "partition:"
	cutLines      []int                  // line of each cut
	setupLines    []int                  // line of each setup action
	markLines     map[int]int            // line of each mark
}

func parseScenario(file string, first int, text string) (*scenarioParser, error) {
	p := &scenarioParser{file: file, sc: DefaultScenario(), markLines: map[int]int{}}
	if len(text) > MaxScenarioBytes {
		return p, &ParseError{File: file, Line: max(first, 1), Msg: "the scenario is " + itoa(len(text)) +
			" bytes long; the limit is " + itoa(MaxScenarioBytes) + " (sim.MaxScenarioBytes)"}
	}
	return p, p.parse(first, text)
}

func (p *scenarioParser) errAt(line int, msg string) *ParseError {
	return &ParseError{File: p.file, Line: line, Msg: msg}
}

func (p *scenarioParser) parse(first int, text string) error {
	inSetup := false
	for _, l := range lex.Lines(text, first) {
		content, _ := lex.CutComment(l.Text)
		if strings.TrimSpace(content) == "" {
			continue
		}
		if content[0] == ' ' || content[0] == '\t' {
			if !inSetup {
				return p.errAt(l.N, "unexpected indented line "+lex.Quote(strings.TrimSpace(content))+
					`; only the actions under "setup:" are indented, keys start at the beginning of the line`)
			}
			if err := p.setupActions(l.N, content); err != nil {
				return err
			}
			continue
		}
		inSetup = false
		key, value, ok := lex.KeyValue(content)
		if !ok {
			return p.errAt(l.N, `expected "key: value", got `+lex.Quote(strings.TrimSpace(content)))
		}
		if strings.HasPrefix(value, "#") {
			value = "" // "key:# comment"
		}
		var server string
		k, _, _ := strings.Cut(content, ":")
		if f := strings.Fields(k); len(f) > 1 && strings.EqualFold(f[0], "server") {
			key, server = "server", strings.Join(f[1:], " ")
		}
		ki := slices.Index(scenarioKeys[:], key)
		if ki < 0 {
			return p.errAt(l.N, "unknown key "+lex.Quote(strings.TrimSpace(k))+"; expected one of: "+
				strings.Join(scenarioKeys[:], ", "))
		}
		if prev := p.keyLine[ki]; prev != 0 && key != "server" && key != "cut" && key != "mark" {
			return p.errAt(l.N, "duplicate key "+lex.Quote(key)+"; it was already given on line "+strconv.Itoa(prev))
		}
		if p.keyLine[ki] == 0 {
			p.keyLine[ki] = l.N
		}
		if msg := p.value(l.N, key, server, value); msg != "" {
			return p.errAt(l.N, msg)
		}
		if key == "setup" {
			inSetup = true
			if err := p.setupActions(l.N, value); err != nil {
				return err
			}
		}
	}
	return p.validate()
}

// value handles one "key: value" line; it returns "" or the error message.
func (p *scenarioParser) value(line int, key, server, v string) string {
	sc := &p.sc
	msg := ""
	switch key {
	case "name":
		sc.Name = v
	case "nodes":
		n, ok := lex.Nat(v, 1, raft.MaxNodes)
		if !ok {
			msg = "expected a number of servers from 1 to " + strconv.Itoa(raft.MaxNodes) + ", got " + lex.Got(v)
		}
		sc.Nodes = int(n)
	case "seed":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			msg = "expected a whole number, got " + lex.Got(v)
		}
		sc.Seed = n
	case "election-timeout":
		var lo, hi int64
		lo, hi, msg = lex.Range(lex.Words(v, ""), 1, maxTimeout, "150-300")
		sc.ElectionTimeoutMin, sc.ElectionTimeoutMax = int(lo), int(hi)
	case "heartbeat":
		n, ok := lex.Millis(v, 1, maxTimeout)
		if !ok {
			msg = "expected milliseconds from 1 to " + strconv.Itoa(maxTimeout) + ", like \"50\", got " + lex.Got(v)
		}
		sc.HeartbeatInterval = int(n)
	case "max-entries":
		n, ok := lex.Nat(v, 1, 1000)
		if !ok {
			msg = "expected the most entries one AppendEntries carries, 1 to 1000, got " + lex.Got(v)
		}
		sc.MaxEntries = int(n)
	case "latency":
		var lo, hi int64
		lo, hi, msg = lex.Range(lex.Words(v, ""), 0, MaxLatency, "10-30")
		sc.LatencyMin, sc.LatencyMax = int(lo), int(hi)
	case "drop":
		var pm int64
		pm, msg = lex.PerMille(v)
		sc.DropPerMille = int(pm)
	case "timers":
		switch strings.ToLower(v) {
		case "frozen", "running":
			sc.FrozenTimers = strings.EqualFold(v, "frozen")
		default:
			msg = `expected "frozen" or "running", got ` + lex.Got(v)
		}
	case "unsafe":
		return p.unsafe(v)
	case "server":
		return p.server(line, server, v)
	case "partition":
		sc.Partition, msg = readGroups(lex.Words(v, "|"))
		p.partitionLine = line
	case "cut":
		for _, piece := range strings.Split(v, ",") {
			l, m := readLink(lex.Words(piece, ">"))
			if m != "" {
				return key + ": " + m
			}
			for i, c := range sc.Cuts {
				if linkCovers(c, l) {
					return key + ": " + formatLink(l, scenarioText) + " is already cut on line " + strconv.Itoa(p.cutLines[i])
				}
			}
			sc.Cuts = append(sc.Cuts, l)
			p.cutLines = append(p.cutLines, line)
		}
	case "mark":
		return p.mark(line, v)
	}
	if msg != "" {
		return key + ": " + msg
	}
	return ""
}

func (p *scenarioParser) unsafe(v string) string {
	var u raft.UnsafeRules
	words := lex.List(v)
	if len(words) == 1 && strings.EqualFold(words[0], "none") {
		words = nil
	}
	for _, w := range words {
		rules := [...]*bool{&u.CommitEarlierTerms, &u.SkipUpToDateCheck, &u.ForgetVote}
		i := slices.Index(unsafeNames[:], strings.ToLower(w))
		switch {
		case i < 0:
			return "unsafe: unknown rule " + lex.Quote(w) + "; expected any of: " + strings.Join(unsafeNames[:], ", ")
		case *rules[i]:
			return "unsafe: " + strings.ToLower(w) + " is listed twice"
		}
		*rules[i] = true
	}
	p.sc.Unsafe = u
	return ""
}

func (p *scenarioParser) mark(line int, v string) string {
	words := lex.List(v)
	if len(words) == 0 {
		return `mark: expected action counts like "3" or "3, 7", got nothing`
	}
	for _, w := range words {
		n, ok := lex.Nat(w, 1, MaxMarkPosition)
		switch {
		case !ok:
			return "mark: expected a number of actions from 1 to " + strconv.Itoa(MaxMarkPosition) + ", got " + lex.Got(w)
		case p.markLines[int(n)] != 0:
			return "mark: " + w + " is already a mark on line " + strconv.Itoa(p.markLines[int(n)])
		case len(p.sc.Marks) == MaxMarks:
			return "mark: more than " + strconv.Itoa(MaxMarks) + " marks (sim.MaxMarks)"
		}
		p.markLines[int(n)] = line
		p.sc.Marks = append(p.sc.Marks, int(n))
	}
	slices.Sort(p.sc.Marks)
	return ""
}

// setupActions parses the actions on one setup line (';' may separate
// several).
func (p *scenarioParser) setupActions(line int, text string) error {
	for _, piece := range strings.Split(text, ";") {
		if strings.TrimSpace(piece) == "" {
			continue
		}
		a, msg := parseAction(piece)
		if msg != "" {
			return p.errAt(line, "setup: "+msg)
		}
		if len(p.sc.Setup) == MaxSetupActions {
			return p.errAt(line, "setup: more than "+strconv.Itoa(MaxSetupActions)+" actions (sim.MaxSetupActions)")
		}
		p.sc.Setup = append(p.sc.Setup, a)
		p.setupLines = append(p.setupLines, line)
	}
	return nil
}

// serverWord is a word or the inside of a [...] list on a server line.
type serverWord struct {
	text string
	list bool
}

// serverWords splits a server line into words and [...] lists.
func serverWords(s string) ([]serverWord, string) {
	var out []serverWord
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ' || c == '\t' || c == ',':
			i++
		case c == '[':
			j, quoted := i+1, false
			for j < len(s) && (quoted || s[j] != ']') {
				quoted = quoted != (s[j] == '"')
				j++
			}
			if j == len(s) && quoted {
				return nil, "a quoted command is not closed: " + lex.Quote(s[i:])
			} else if j == len(s) {
				return nil, "a list is not closed with ']': " + lex.Quote(s[i:])
			}
			out = append(out, serverWord{text: s[i+1 : j], list: true})
			i = j + 1
		case c == '"' || c == ']':
			return nil, "unexpected " + lex.Quote(s[i:i+1]) + `; quoted commands go in a list, like commands ["set x 1", "del x"]`
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t,[]\"", rune(s[j])) {
				j++
			}
			out = append(out, serverWord{text: s[i:j]})
			i = j
		}
	}
	return out, ""
}

func (w serverWord) String() string {
	if w.list {
		return "[" + w.text + "]"
	}
	return w.text
}

var serverAttrs = []string{"term", "vote", "log", "commands", "crashed"}

// server handles "server S1: term 3 vote S1 log [1,1,2,3] ...".
func (p *scenarioParser) server(line int, name, v string) string {
	if name == "" {
		return `expected the server before the colon, like "server S1: term 2 log [1,2]"`
	}
	id, msg := lex.Server(name)
	if msg != "" {
		return "server: " + msg
	}
	fail := func(msg string) string { return "server " + id.String() + ": " + msg }
	if prev := p.serverLine[id]; prev != 0 {
		return fail("this server is already described on line " + strconv.Itoa(prev))
	}
	p.serverLine[id] = line

	words, msg := serverWords(v)
	if msg != "" {
		return fail(msg)
	}
	ss := ServerSetup{ID: id}
	var given [5]bool
	hasCommands := false
	for i := 0; i < len(words); i++ {
		attr := slices.Index(serverAttrs, strings.ToLower(words[i].text))
		switch {
		case words[i].list:
			return fail("unexpected list " + words[i].String() + `; expected "term N", "vote SERVER", "log [TERMS]", "commands [...]" or "crashed"`)
		case attr < 0:
			return fail("unknown " + lex.Quote(words[i].text) + `; expected "term N", "vote SERVER", "log [TERMS]", "commands [...]" or "crashed"`)
		case given[attr]:
			return fail(serverAttrs[attr] + " is given twice")
		}
		given[attr] = true
		word := serverAttrs[attr]
		if word == "crashed" {
			ss.Crashed = true
			continue
		}
		if i+1 == len(words) {
			return fail(word + ": expected a value after " + lex.Quote(word) + ", got nothing")
		}
		i++
		arg := words[i]
		switch word {
		case "term":
			n, ok := lex.Nat(arg.text, 0, maxTerm)
			if arg.list || !ok {
				return fail("term: expected a number, got " + lex.Got(arg.String()))
			}
			ss.Term = raft.Term(n)
		case "vote":
			if arg.list {
				return fail("vote: expected a server like S1, got " + lex.Got(arg.String()))
			}
			if !strings.EqualFold(arg.text, "none") {
				if ss.VotedFor, msg = lex.Server(arg.text); msg != "" {
					return fail("vote: " + msg)
				}
			}
		case "log":
			if msg := readLog(&ss, arg); msg != "" {
				return fail("log: " + msg)
			}
		case "commands":
			if !arg.list {
				return fail(`commands: expected quoted commands in brackets, like ["set x 1", "del x"], got ` + lex.Got(arg.text))
			}
			if ss.Commands, msg = readCommands(arg.text); msg != "" {
				return fail("commands: " + msg)
			}
			hasCommands = true
		}
	}
	for k, t := range ss.Log {
		if t > ss.Term {
			return fail("log: entry " + strconv.Itoa(k+1) + " has term " + u64(uint64(t)) + ", later than the server's term " +
				u64(uint64(ss.Term)) + `; give "term ` + u64(uint64(ss.Log[len(ss.Log)-1])) + `" or more`)
		}
	}
	if hasCommands && len(ss.Commands) != len(ss.Log) {
		return fail(count(len(ss.Commands), "command", "commands") + " for a log of " + count(len(ss.Log), "entry", "entries") +
			"; give one command per entry")
	}
	p.sc.Servers = append(p.sc.Servers, ss)
	return ""
}

// readLog reads the entries' terms of a server line: "[1,1,2]".
func readLog(ss *ServerSetup, arg serverWord) string {
	if !arg.list {
		return "expected the entries' terms in brackets, like [1,1,2], got " + lex.Got(arg.text)
	}
	terms, bad, ok := lex.Terms(arg.text, 0, maxTerm)
	switch {
	case !ok:
		return "expected the entries' terms, numbers like [1,1,2], got " + lex.Got(bad)
	case len(terms) > MaxLogLength:
		return "more than " + itoa(MaxLogLength) + " entries (sim.MaxLogLength)"
	}
	for k, t := range terms {
		if t == 0 {
			return "entry " + strconv.Itoa(k+1) + " has term 0; entries' terms start at 1"
		}
		if k > 0 && t < terms[k-1] {
			return "entry " + strconv.Itoa(k+1) + " has term " + u64(uint64(t)) + " after an entry of term " +
				u64(uint64(terms[k-1])) + "; terms never decrease along a log"
		}
	}
	ss.Log = terms
	return ""
}

func u64(v uint64) string { return strconv.FormatUint(v, 10) }

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// readCommands reads the inside of ["set x 1", "del x"]; an empty list is
// nil.
func readCommands(s string) ([]string, string) {
	var out []string
	s = strings.TrimLeft(s, " \t")
	for s != "" {
		if s[0] != '"' {
			return nil, `expected a quoted command like "set x 1", got ` + lex.Got(s)
		}
		text, rest, ok := strings.Cut(s[1:], `"`)
		if !ok {
			return nil, "a quoted command is not closed: " + lex.Quote(s)
		}
		c, msg := parseCommand(text)
		if msg != "" {
			return nil, "command " + strconv.Itoa(len(out)+1) + ": " + msg
		}
		out = append(out, c.String())
		s = strings.TrimLeft(rest, " \t")
		if s != "" {
			if s[0] != ',' {
				return nil, "expected ',' between commands, got " + lex.Got(s)
			}
			s = strings.TrimLeft(s[1:], " \t")
		}
	}
	return out, ""
}

// linkCovers reports whether cut c already cuts every link l cuts.
func linkCovers(c, l Link) bool {
	has := func(from, to raft.NodeID) bool {
		return c.From == from && c.To == to || !c.OneWay && c.From == to && c.To == from
	}
	return has(l.From, l.To) && (l.OneWay || has(l.To, l.From))
}

var scenarioText = textStyle{sep: " ", arrow: " > ", bar: " | "}

func onlyNodes(nodes int) string {
	return "the cluster has only " + count(nodes, "node", "nodes")
}

// validate checks what depends on several lines, reporting the problem on
// the earliest line.
func (p *scenarioParser) validate() error {
	sc := &p.sc
	var errLine int
	var errMsg string
	report := func(line int, msg string) {
		if errMsg == "" || line < errLine {
			errLine, errMsg = line, msg
		}
	}
	beyond := func(line int, what string, ids ...raft.NodeID) {
		for _, id := range ids {
			if int(id) > sc.Nodes {
				report(line, what+id.String()+": "+onlyNodes(sc.Nodes))
				return
			}
		}
	}
	for _, ss := range sc.Servers {
		line := p.serverLine[ss.ID]
		if int(ss.ID) > sc.Nodes {
			report(line, "server "+ss.ID.String()+": "+onlyNodes(sc.Nodes))
		} else {
			beyond(line, "server "+ss.ID.String()+": vote ", ss.VotedFor)
		}
	}
	if sc.ElectionTimeoutMin > 0 && sc.HeartbeatInterval >= sc.ElectionTimeoutMin {
		line := p.keyLine[slices.Index(scenarioKeys[:], "heartbeat")]
		if line == 0 {
			line = p.keyLine[slices.Index(scenarioKeys[:], "election-timeout")]
		}
		report(line, "heartbeat: "+strconv.Itoa(sc.HeartbeatInterval)+
			" ms is not shorter than the election timeout minimum "+strconv.Itoa(sc.ElectionTimeoutMin)+
			" ms; a leader must send heartbeats before its followers time out")
	}
	for _, g := range sc.Partition {
		beyond(p.partitionLine, "partition: ", g...)
	}
	for i, c := range sc.Cuts {
		beyond(p.cutLines[i], "cut: ", c.From, c.To)
	}
	for i, a := range sc.Setup {
		beyond(p.setupLines[i], "setup: "+FormatAction(a)+": ", a.Servers()...)
	}
	if errMsg != "" {
		return p.errAt(errLine, errMsg)
	}
	return nil
}

// FormatScenario writes s as canonical scenario text: every scalar key,
// then servers, partition, cuts, marks and setup actions when there are
// any. ParseScenario gives s back for every scenario it returns.
func FormatScenario(s Scenario) string {
	var b strings.Builder
	kv := func(key, value string) {
		b.WriteString(key)
		b.WriteByte(':')
		if value != "" {
			b.WriteByte(' ')
			b.WriteString(value)
		}
		b.WriteByte('\n')
	}
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
	if s.FrozenTimers {
		kv("timers", "frozen")
	} else {
		kv("timers", "running")
	}
	var rules []string
	for i, on := range []bool{s.Unsafe.CommitEarlierTerms, s.Unsafe.SkipUpToDateCheck, s.Unsafe.ForgetVote} {
		if on {
			rules = append(rules, unsafeNames[i])
		}
	}
	if len(rules) > 0 {
		kv("unsafe", strings.Join(rules, ", "))
	}
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
			b.WriteString("  ")
			b.WriteString(FormatAction(a))
			b.WriteByte('\n')
		}
	}
	return b.String()
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
	return strings.Join(parts, " ")
}
