package sim

import (
	"slices"
	"strconv"
	"strings"

	"raftlab/raft"
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

// psKeys are the scenario keys, in the order FormatScenario writes them.
var psKeys = [...]string{
	"name", "nodes", "seed", "election-timeout", "heartbeat", "latency", "drop",
	"max-entries", "timers", "unsafe", "server", "partition", "cut", "setup", "mark",
}

// psUnsafe are the names of the unsafe rules, in the order they are written.
var psUnsafe = [...]string{"commit-earlier-terms", "skip-up-to-date-check", "forget-vote"}

const (
	psMaxTimeout = 60000   // ms, election timeout and heartbeat
	psMaxMark    = 1000000 // action count
	psMaxTerm    = 1 << 53
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
	if firstLine < 1 {
		firstLine = 1
	}
	p := psParser{file: file, sc: DefaultScenario()}
	if err := p.parse(firstLine, text); err != nil {
		return Scenario{}, err
	}
	return p.sc, nil
}

// psParser holds what parsing has found so far, and where.
type psParser struct {
	file string
	sc   Scenario

	keyLine       [len(psKeys)]int       // line a key was first given on
	serverLine    [raft.MaxNodes + 1]int // line each server was described on
	partitionLine int                    // line of "partition:"
	cutLines      []int                  // line of each cut
	setupLines    []int                  // line of each setup action
	marks         []int                  // marks in the order given
	markLines     []int                  // line of each of marks
}

func (p *psParser) errAt(line int, msg string) *ParseError {
	return &ParseError{File: p.file, Line: line, Msg: msg}
}

func (p *psParser) parse(first int, text string) error {
	inSetup := false
	for i, raw := range strings.Split(text, "\n") {
		line := first + i
		content := psStripComment(strings.TrimRight(raw, "\r"))
		if strings.TrimSpace(content) == "" {
			continue
		}
		if content[0] == ' ' || content[0] == '\t' {
			if !inSetup {
				return p.errAt(line, "unexpected indented line "+peQuote(strings.TrimSpace(content))+
					`; only the actions under "setup:" are indented, keys start at the beginning of the line`)
			}
			if err := p.setupActions(line, content); err != nil {
				return err
			}
			continue
		}
		inSetup = false
		k, value, ok := strings.Cut(content, ":")
		if !ok {
			return p.errAt(line, `expected "key: value", got `+peQuote(strings.TrimSpace(content)))
		}
		words := strings.Fields(k)
		key := strings.ToLower(strings.Join(words, " "))
		value = strings.TrimSpace(value)
		if strings.HasPrefix(value, "#") {
			value = "" // "key:# comment"
		}
		var server string
		if len(words) > 1 && strings.EqualFold(words[0], "server") {
			key, server = "server", strings.Join(words[1:], " ")
		}
		ki := slices.Index(psKeys[:], key)
		if ki < 0 {
			return p.errAt(line, "unknown key "+peQuote(strings.TrimSpace(k))+"; expected one of: "+
				strings.Join(psKeys[:], ", "))
		}
		if prev := p.keyLine[ki]; prev != 0 && key != "server" && key != "cut" && key != "mark" {
			return p.errAt(line, "duplicate key "+peQuote(key)+"; it was already given on line "+strconv.Itoa(prev))
		}
		if p.keyLine[ki] == 0 {
			p.keyLine[ki] = line
		}
		if msg := p.value(line, key, server, value); msg != "" {
			return p.errAt(line, msg)
		}
		if key == "setup" {
			inSetup = true
			if value != "" {
				if err := p.setupActions(line, value); err != nil {
					return err
				}
			}
		}
	}
	return p.validate()
}

// value handles one "key: value" line; it returns "" or the error message.
func (p *psParser) value(line int, key, server, v string) string {
	sc := &p.sc
	fail := func(msg string) string { return key + ": " + msg }
	switch key {
	case "name":
		sc.Name = v
	case "nodes":
		n, ok := paNat(v, 1, raft.MaxNodes)
		if !ok {
			return fail("expected a number of servers from 1 to " + strconv.Itoa(raft.MaxNodes) + ", got " + peGot(v))
		}
		sc.Nodes = int(n)
	case "seed":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fail("expected a whole number, got " + peGot(v))
		}
		sc.Seed = n
	case "election-timeout":
		lo, hi, msg := paRange(paTokens(v), 1, psMaxTimeout, "150-300")
		if msg != "" {
			return fail(msg)
		}
		sc.ElectionTimeoutMin, sc.ElectionTimeoutMax = int(lo), int(hi)
	case "heartbeat":
		n, ok := paNat(strings.TrimSuffix(strings.ToLower(v), "ms"), 1, psMaxTimeout)
		if !ok {
			return fail("expected milliseconds from 1 to " + strconv.Itoa(psMaxTimeout) + ", like \"50\", got " + peGot(v))
		}
		sc.HeartbeatInterval = int(n)
	case "max-entries":
		n, ok := paNat(v, 1, 1000)
		if !ok {
			return fail("expected the most entries one AppendEntries carries, 1 to 1000, got " + peGot(v))
		}
		sc.MaxEntries = int(n)
	case "latency":
		lo, hi, msg := paRange(paTokens(v), 0, paMaxLatency, "10-30")
		if msg != "" {
			return fail(msg)
		}
		sc.LatencyMin, sc.LatencyMax = int(lo), int(hi)
	case "drop":
		pm, msg := paPermille(strings.TrimSpace(v))
		if msg != "" {
			return fail(msg)
		}
		sc.DropPerMille = int(pm)
	case "timers":
		switch strings.ToLower(v) {
		case "frozen":
			sc.FrozenTimers = true
		case "running":
			sc.FrozenTimers = false
		default:
			return fail(`expected "frozen" or "running", got ` + peGot(v))
		}
	case "unsafe":
		return p.unsafe(v)
	case "server":
		return p.server(line, server, v)
	case "partition":
		groups, msg := paGroups(paTokens(v))
		if msg != "" {
			return fail(msg)
		}
		sc.Partition, p.partitionLine = groups, line
	case "cut":
		for _, piece := range strings.Split(v, ",") {
			l, msg := paLink(paTokens(piece))
			if msg != "" {
				return fail(msg)
			}
			for i, c := range sc.Cuts {
				if psLinkCovers(c, l) {
					return fail(psFormatLink(l) + " is already cut on line " + strconv.Itoa(p.cutLines[i]))
				}
			}
			sc.Cuts = append(sc.Cuts, l)
			p.cutLines = append(p.cutLines, line)
		}
	case "mark":
		return p.mark(line, v)
	case "setup":
		// The actions follow (setupActions).
	}
	return ""
}

func (p *psParser) unsafe(v string) string {
	var u raft.UnsafeRules
	words := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	if len(words) == 1 && strings.EqualFold(words[0], "none") {
		words = nil
	}
	for _, w := range words {
		var rule *bool
		switch strings.ToLower(w) {
		case psUnsafe[0]:
			rule = &u.CommitEarlierTerms
		case psUnsafe[1]:
			rule = &u.SkipUpToDateCheck
		case psUnsafe[2]:
			rule = &u.ForgetVote
		default:
			return "unsafe: unknown rule " + peQuote(w) + "; expected any of: " + strings.Join(psUnsafe[:], ", ")
		}
		if *rule {
			return "unsafe: " + strings.ToLower(w) + " is listed twice"
		}
		*rule = true
	}
	p.sc.Unsafe = u
	return ""
}

func (p *psParser) mark(line int, v string) string {
	words := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	if len(words) == 0 {
		return `mark: expected action counts like "3" or "3, 7", got nothing`
	}
	for _, w := range words {
		n, ok := paNat(w, 1, psMaxMark)
		if !ok {
			return "mark: expected a number of actions from 1 to " + strconv.Itoa(psMaxMark) + ", got " + peGot(w)
		}
		if i := slices.Index(p.marks, int(n)); i >= 0 {
			return "mark: " + w + " is already a mark on line " + strconv.Itoa(p.markLines[i])
		}
		p.marks = append(p.marks, int(n))
		p.markLines = append(p.markLines, line)
	}
	p.sc.Marks = slices.Clone(p.marks)
	slices.Sort(p.sc.Marks)
	return ""
}

// setupActions parses the actions on one setup line (';' may separate
// several).
func (p *psParser) setupActions(line int, text string) error {
	for _, piece := range strings.Split(text, ";") {
		if strings.TrimSpace(piece) == "" {
			continue
		}
		a, msg := paParse(piece)
		if msg != "" {
			return p.errAt(line, "setup: "+msg)
		}
		p.sc.Setup = append(p.sc.Setup, a)
		p.setupLines = append(p.setupLines, line)
	}
	return nil
}

// psToken is a word or the inside of a [...] list on a server line.
type psToken struct {
	text string
	list bool
}

// psServerTokens splits a server line into words and [...] lists.
func psServerTokens(s string) ([]psToken, string) {
	var out []psToken
	i := 0
	for i < len(s) {
		switch c := s[i]; {
		case c == ' ' || c == '\t' || c == ',':
			i++
		case c == '[':
			j, quoted := i+1, false
			for j < len(s) && (quoted || s[j] != ']') {
				if s[j] == '"' {
					quoted = !quoted
				}
				j++
			}
			if j == len(s) {
				if quoted {
					return nil, "a quoted command is not closed: " + peQuote(s[i:])
				}
				return nil, "a list is not closed with ']': " + peQuote(s[i:])
			}
			out = append(out, psToken{text: s[i+1 : j], list: true})
			i = j + 1
		case c == '"' || c == ']':
			return nil, "unexpected " + peQuote(s[i:i+1]) + `; quoted commands go in a list, like commands ["set x 1", "del x"]`
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t,[]\"", rune(s[j])) {
				j++
			}
			out = append(out, psToken{text: s[i:j]})
			i = j
		}
	}
	return out, ""
}

// server handles "server S1: term 3 vote S1 log [1,1,2,3] ...".
func (p *psParser) server(line int, name, v string) string {
	if name == "" {
		return `expected the server before the colon, like "server S1: term 2 log [1,2]"`
	}
	id, msg := paServer(name, false)
	if msg != "" {
		return "server: " + msg
	}
	fail := func(msg string) string { return "server " + id.String() + ": " + msg }
	if prev := p.serverLine[id]; prev != 0 {
		return fail("this server is already described on line " + strconv.Itoa(prev))
	}
	p.serverLine[id] = line

	toks, msg := psServerTokens(v)
	if msg != "" {
		return fail(msg)
	}
	ss := ServerSetup{ID: id}
	var given [5]bool // term, vote, log, commands, crashed
	const attrs = `expected "term N", "vote SERVER", "log [TERMS]", "commands [...]" or "crashed"`
	hasCommands := false
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.list {
			return fail("unexpected list [" + t.text + "]; " + attrs)
		}
		word := strings.ToLower(t.text)
		attr := slices.Index([]string{"term", "vote", "log", "commands", "crashed"}, word)
		if attr < 0 {
			return fail("unknown " + peQuote(t.text) + "; " + attrs)
		}
		if given[attr] {
			return fail(word + " is given twice")
		}
		given[attr] = true
		if word == "crashed" {
			ss.Crashed = true
			continue
		}
		if i+1 == len(toks) {
			return fail(word + ": expected a value after " + peQuote(word) + ", got nothing")
		}
		i++
		arg := toks[i]
		switch word {
		case "term":
			n, ok := paNat(arg.text, 0, psMaxTerm)
			if arg.list || !ok {
				return fail("term: expected a number, got " + peGot(psTokenText(arg)))
			}
			ss.Term = raft.Term(n)
		case "vote":
			if arg.list {
				return fail("vote: expected a server like S1, got " + peGot(psTokenText(arg)))
			}
			if !strings.EqualFold(arg.text, "none") {
				vid, msg := paServer(arg.text, false)
				if msg != "" {
					return fail("vote: " + msg)
				}
				ss.VotedFor = vid
			}
		case "log":
			if !arg.list {
				return fail("log: expected the entries' terms in brackets, like [1,1,2], got " + peGot(arg.text))
			}
			for k, w := range strings.FieldsFunc(arg.text, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
				n, ok := paNat(w, 0, psMaxTerm)
				if !ok {
					return fail("log: expected the entries' terms, numbers like [1,1,2], got " + peGot(w))
				}
				if n == 0 {
					return fail("log: entry " + strconv.Itoa(k+1) + " has term 0; entries' terms start at 1")
				}
				if k > 0 && raft.Term(n) < ss.Log[k-1] {
					return fail("log: entry " + strconv.Itoa(k+1) + " has term " + w + " after an entry of term " +
						strconv.FormatUint(uint64(ss.Log[k-1]), 10) + "; terms never decrease along a log")
				}
				ss.Log = append(ss.Log, raft.Term(n))
			}
		case "commands":
			if !arg.list {
				return fail(`commands: expected quoted commands in brackets, like ["set x 1", "del x"], got ` + peGot(arg.text))
			}
			cmds, msg := psCommands(arg.text)
			if msg != "" {
				return fail("commands: " + msg)
			}
			ss.Commands, hasCommands = cmds, true
		}
	}
	for k, t := range ss.Log {
		if t > ss.Term {
			ts := strconv.FormatUint(uint64(t), 10)
			return fail("log: entry " + strconv.Itoa(k+1) + " has term " + ts + ", later than the server's term " +
				strconv.FormatUint(uint64(ss.Term), 10) + `; give "term ` + strconv.FormatUint(uint64(ss.Log[len(ss.Log)-1]), 10) + `" or more`)
		}
	}
	if hasCommands && len(ss.Commands) != len(ss.Log) {
		return fail(psCount(len(ss.Commands), "command") + " for a log of " + psCount(len(ss.Log), "entry") +
			"; give one command per entry")
	}
	p.sc.Servers = append(p.sc.Servers, ss)
	return ""
}

func psTokenText(t psToken) string {
	if t.list {
		return "[" + t.text + "]"
	}
	return t.text
}

func psCount(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	if strings.HasSuffix(what, "y") {
		return strconv.Itoa(n) + " " + what[:len(what)-1] + "ies"
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// psCommands parses the inside of ["set x 1", "del x"]; an empty list is
// nil.
func psCommands(s string) ([]string, string) {
	var out []string
	i := 0
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i == len(s) {
			break
		}
		if s[i] != '"' {
			return nil, `expected a quoted command like "set x 1", got ` + peGot(s[i:])
		}
		j := strings.IndexByte(s[i+1:], '"')
		if j < 0 {
			return nil, "a quoted command is not closed: " + peQuote(s[i:])
		}
		text := s[i+1 : i+1+j]
		c, err := ParseCommand(text)
		if err != nil {
			return nil, "command " + strconv.Itoa(len(out)+1) + ": " + err.(*ParseError).Msg
		}
		out = append(out, c.String())
		i += j + 2
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i < len(s) {
			if s[i] != ',' {
				return nil, "expected ',' between commands, got " + peGot(s[i:])
			}
			i++
		}
	}
	return out, ""
}

// psLinkCovers reports whether cut c already cuts every link l cuts.
func psLinkCovers(c, l Link) bool {
	has := func(from, to raft.NodeID) bool {
		return c.From == from && c.To == to || !c.OneWay && c.From == to && c.To == from
	}
	return has(l.From, l.To) && (l.OneWay || has(l.To, l.From))
}

func psFormatLink(l Link) string { return paFormatLink(l, psReadable) }

var psReadable = paText{sep: " ", arrow: " > ", bar: " | "}

// psStripComment removes a '#' comment: '#' at the start of the line or
// after a space or tab, outside double quotes.
func psStripComment(line string) string {
	quoted := false
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '"':
			quoted = !quoted
		case '#':
			if !quoted && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
				return line[:i]
			}
		}
	}
	return line
}

func psOnly(nodes int) string {
	if nodes == 1 {
		return "the cluster has only 1 node"
	}
	return "the cluster has only " + strconv.Itoa(nodes) + " nodes"
}

// validate checks what depends on several lines, reporting the problem on
// the earliest line.
func (p *psParser) validate() error {
	sc := &p.sc
	var errLine int
	var errMsg string
	report := func(line int, msg string) {
		if errMsg == "" || line < errLine {
			errLine, errMsg = line, msg
		}
	}
	exists := func(id raft.NodeID) bool { return int(id) <= sc.Nodes }

	for _, ss := range sc.Servers {
		line := p.serverLine[ss.ID]
		switch {
		case !exists(ss.ID):
			report(line, "server "+ss.ID.String()+": "+psOnly(sc.Nodes))
		case ss.VotedFor != raft.None && !exists(ss.VotedFor):
			report(line, "server "+ss.ID.String()+": vote "+ss.VotedFor.String()+": "+psOnly(sc.Nodes))
		}
	}
	if sc.ElectionTimeoutMin > 0 && sc.HeartbeatInterval >= sc.ElectionTimeoutMin {
		line := p.keyLine[slices.Index(psKeys[:], "heartbeat")]
		if line == 0 {
			line = p.keyLine[slices.Index(psKeys[:], "election-timeout")]
		}
		report(line, "heartbeat: "+strconv.Itoa(sc.HeartbeatInterval)+
			" ms is not shorter than the election timeout minimum "+strconv.Itoa(sc.ElectionTimeoutMin)+
			" ms; a leader must send heartbeats before its followers time out")
	}
	for _, g := range sc.Partition {
		for _, id := range g {
			if !exists(id) {
				report(p.partitionLine, "partition: "+id.String()+": "+psOnly(sc.Nodes))
			}
		}
	}
	for i, c := range sc.Cuts {
		for _, id := range []raft.NodeID{c.From, c.To} {
			if !exists(id) {
				report(p.cutLines[i], "cut: "+id.String()+": "+psOnly(sc.Nodes))
			}
		}
	}
	for i, a := range sc.Setup {
		for _, id := range psActionServers(a) {
			if !exists(id) {
				report(p.setupLines[i], "setup: "+FormatAction(a)+": "+id.String()+": "+psOnly(sc.Nodes))
			}
		}
	}
	if errMsg != "" {
		return p.errAt(errLine, errMsg)
	}
	return nil
}

// psActionServers lists the servers an action names.
func psActionServers(a Action) []raft.NodeID {
	ids := []raft.NodeID{a.Node, a.Msg.From, a.Msg.To, a.From, a.To}
	for _, g := range a.Groups {
		ids = append(ids, g...)
	}
	return slices.DeleteFunc(ids, func(id raft.NodeID) bool { return id == raft.None })
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
	kv("drop", paFormatPermille(int64(s.DropPerMille))+"%")
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
			rules = append(rules, psUnsafe[i])
		}
	}
	if len(rules) > 0 {
		kv("unsafe", strings.Join(rules, ", "))
	}
	for _, ss := range s.Servers {
		kv("server "+ss.ID.String(), psFormatServer(ss))
	}
	if len(s.Partition) > 0 {
		kv("partition", paFormatGroups(s.Partition, psReadable))
	}
	for _, c := range s.Cuts {
		kv("cut", psFormatLink(c))
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

func psFormatServer(ss ServerSetup) string {
	var parts []string
	if ss.Term != 0 {
		parts = append(parts, "term "+strconv.FormatUint(uint64(ss.Term), 10))
	}
	if ss.VotedFor != raft.None {
		parts = append(parts, "vote "+ss.VotedFor.String())
	}
	if len(ss.Log) > 0 {
		terms := make([]string, len(ss.Log))
		for i, t := range ss.Log {
			terms[i] = strconv.FormatUint(uint64(t), 10)
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
