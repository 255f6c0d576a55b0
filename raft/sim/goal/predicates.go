package goal

import (
	"slices"
	"strings"

	"raftlab/raft"
	"raftlab/raft/sim"
	"raftlab/raft/sim/lex"
)

// predicate is one word of the goal language with what follows it: how it
// is read, and how it is evaluated — on the state of one server at a
// moment, or on one event. A new predicate is one entry here (plus its
// description in tutorials/AUTHORING.md and a test).
type predicate struct {
	word  string // "applied entry" is two words
	alias string
	// event: something that happens ("ever"/"never" needed). alone: may
	// stand without a subject. server: may follow a server. needs: must
	// follow a server; an example for the message.
	event, alone, server bool
	needs                string
	parse                func(p *condParser, c *cond) string
	holds                func(c *cond, n *server, f *facts) bool // state predicates
	matches              func(c *cond, e *sim.Event, fx *effects) bool
}

// predicates are in the order messages list them.
var predicates = []predicate{
	{word: "leader", parse: role(raft.Leader), holds: holdsRole},
	{word: "candidate", parse: role(raft.Candidate), holds: holdsRole},
	{word: "follower", parse: role(raft.Follower), holds: holdsRole},
	{word: "pre-candidate", parse: role(raft.PreCandidate), holds: holdsRole},
	{word: "up", parse: nothing, holds: func(c *cond, n *server, f *facts) bool { return n.up }},
	{word: "down", parse: nothing, holds: func(c *cond, n *server, f *facts) bool { return !n.up }},
	{word: "term", parse: compare("term"), holds: func(c *cond, n *server, f *facts) bool {
		return c.cmp.test(uint64(n.term), c.n)
	}},
	{word: "voted-for", parse: parseVotedFor, holds: func(c *cond, n *server, f *facts) bool { return n.vote == c.other }},
	{word: "votes", parse: compare("votes"), holds: func(c *cond, n *server, f *facts) bool {
		votes := 0
		if n.up && n.role != raft.Follower {
			votes = n.votes
		}
		return c.cmp.test(uint64(votes), c.n)
	}},
	{word: "log", parse: parseLog, holds: holdsLog},
	{word: "log-length", parse: compare("log-length"), holds: func(c *cond, n *server, f *facts) bool {
		return c.cmp.test(uint64(n.last()), c.n)
	}},
	{word: "has", alias: "have", parse: parseHas, holds: func(c *cond, n *server, f *facts) bool {
		// An entry a snapshot replaced is held; its term is known only at
		// the snapshot's index.
		e, in := n.entry(c.index)
		compacted := c.index >= 1 && c.index <= n.start
		switch {
		case !in && !compacted:
			return false
		case c.hasTerm && in && uint64(e.Term) != c.term:
			return false
		case c.hasTerm && compacted && (c.index != n.start || uint64(n.startTerm) != c.term):
			return false
		}
		return !c.notApplied || n.applied < c.index
	}},
	{word: "commit", parse: compare("commit"), holds: func(c *cond, n *server, f *facts) bool {
		return c.cmp.test(uint64(n.commit), c.n)
	}},
	{word: "applied", parse: compare("applied"), holds: func(c *cond, n *server, f *facts) bool {
		return c.cmp.test(uint64(n.applied), c.n)
	}},
	{word: "snapshot", parse: compare("snapshot"), holds: func(c *cond, n *server, f *facts) bool {
		return c.cmp.test(uint64(n.start), c.n)
	}},
	// Membership, in the configuration the server itself uses
	// (dissertation §4.1: the latest in its log).
	{word: "voter", parse: nothing, holds: func(c *cond, n *server, f *facts) bool { return n.conf.IsVoter(n.id) }},
	{word: "learner", parse: nothing, holds: func(c *cond, n *server, f *facts) bool { return n.conf.IsLearner(n.id) }},
	{word: "outside", parse: nothing, holds: func(c *cond, n *server, f *facts) bool {
		return !n.conf.IsVoter(n.id) && !n.conf.IsLearner(n.id)
	}},
	{word: "voters", parse: parseVoters, holds: func(c *cond, n *server, f *facts) bool {
		return slices.Equal(n.conf.Voters, c.voters)
	}},
	{word: "joint", parse: nothing, holds: func(c *cond, n *server, f *facts) bool { return n.conf.Joint() }},

	{word: "stepped-down", event: true, server: true, needs: "ever S1 stepped-down term >= 3",
		parse: func(p *condParser, c *cond) string { return p.termQualifier(c, "stepped-down") },
		matches: func(c *cond, e *sim.Event, fx *effects) bool {
			return e.Kind == sim.EvNote && e.Reason.Code == raft.SteppedDown && c.onServer(e) &&
				(!c.hasTerm || c.termCmp.test(uint64(e.Reason.Term), c.term))
		}},
	{word: "reason", event: true, alone: true, server: true, parse: parseReason,
		matches: func(c *cond, e *sim.Event, fx *effects) bool {
			return e.Kind == sim.EvNote && e.Reason.Code == c.code && c.onServer(e)
		}},
	{word: "read", event: true, server: true, needs: "ever S2 read x missing", parse: parseRead,
		matches: func(c *cond, e *sim.Event, fx *effects) bool {
			return e.Kind == sim.EvRead && c.onServer(e) && e.Text == c.key &&
				(c.missing && !e.Found || !c.missing && e.Found && e.Value == c.value) &&
				(c.path == sim.ReadDefault || e.Path == c.path)
		}},
	{word: "applied entry", event: true, alone: true, server: true,
		parse: func(p *condParser, c *cond) string {
			if p.Peek() != "entry" {
				return "applied: " + p.Expected(`"entry I", like "ever applied entry 2 term 2"`)
			}
			p.Next()
			return p.entryRef(c, "applied entry")
		},
		matches: func(c *cond, e *sim.Event, fx *effects) bool {
			return e.Kind == sim.EvApply && c.onServer(e) && e.Index == c.index && (!c.hasTerm || uint64(e.Term) == c.term)
		}},
	{word: "violation", event: true, alone: true, parse: parseViolation,
		matches: func(c *cond, e *sim.Event, fx *effects) bool {
			// Without a property: any of Figure 3's safety properties.
			return e.Kind == sim.EvViolation && e.Violation != nil &&
				(c.prop == 0 && e.Violation.Property.Safety() || e.Violation.Property == c.prop)
		}},
	{word: "split-vote", event: true, alone: true, parse: nothing,
		matches: func(c *cond, e *sim.Event, fx *effects) bool { return fx.splitVote }},
	{word: "overwritten", event: true, alone: true,
		parse: func(p *condParser, c *cond) string {
			if p.Peek() != "entry" {
				return ""
			}
			p.Next()
			return p.entryRef(c, "overwritten entry")
		},
		matches: func(c *cond, e *sim.Event, fx *effects) bool {
			for _, k := range fx.overwritten {
				if (!c.hasIndex || k.Index == c.index) && (!c.hasTerm || uint64(k.Term) == c.term) {
					return true
				}
			}
			return false
		}},
}

func (c *cond) onServer(e *sim.Event) bool { return c.subj.kind != subjServer || e.Node == c.subj.id }

func nothing(p *condParser, c *cond) string { return "" }

func role(r raft.Role) func(p *condParser, c *cond) string {
	return func(p *condParser, c *cond) string {
		c.role = r
		return p.termQualifier(c, strings.ToLower(r.String()))
	}
}

func holdsRole(c *cond, n *server, f *facts) bool {
	return n.up && n.role == c.role && (!c.hasTerm || c.termCmp.test(uint64(n.term), c.term))
}

func compare(what string) func(p *condParser, c *cond) string {
	return func(p *condParser, c *cond) string {
		var msg string
		c.cmp, c.n, msg = p.cmpNumber(what)
		return msg
	}
}

func parseVotedFor(p *condParser, c *cond) (msg string) {
	if !p.Skip("none") {
		if c.other, msg = p.Server(); msg != "" {
			msg = "voted-for: " + msg
		}
	}
	return msg
}

// parseVoters reads the servers after "voters": "S1 S2 S3", in any order.
func parseVoters(p *condParser, c *cond) string {
	for p.Raw() != "" {
		id, msg := p.Server()
		switch {
		case msg != "":
			return "voters: " + msg
		case slices.Contains(c.voters, id):
			return "voters: " + id.String() + " is listed twice"
		}
		c.voters = append(c.voters, id)
	}
	if len(c.voters) == 0 {
		return "voters: " + p.Expected(`servers, like "voters S1 S2 S3"`)
	}
	slices.Sort(c.voters)
	return ""
}

func parseLog(p *condParser, c *cond) string {
	var msg string
	switch {
	case p.Skip("="):
		c.other, msg = p.Server()
	case strings.HasPrefix(p.Raw(), "["):
		c.terms, msg = lex.Terms(p.Next(), 1, maxNumber)
	default:
		msg = p.Expected(`the entries' terms like [1,1,2] or "= S1"`)
	}
	if msg != "" {
		return "log: " + msg
	}
	return ""
}

func holdsLog(c *cond, n *server, f *facts) bool {
	if c.terms != nil {
		// The terms a snapshot replaced are not known: such a log matches
		// no list of terms.
		if n.start > 0 || len(n.log) != len(c.terms) {
			return false
		}
		for i, e := range n.log {
			if e.Term != c.terms[i] {
				return false
			}
		}
		return true
	}
	o := f.server(c.other)
	if o == nil || o.start != n.start || o.startTerm != n.startTerm || len(o.log) != len(n.log) {
		return false
	}
	for i := range n.log {
		if n.log[i].Term != o.log[i].Term || n.log[i].Data != o.log[i].Data {
			return false
		}
	}
	return true
}

func parseHas(p *condParser, c *cond) string {
	if !p.Skip("entry") {
		return strings.ToLower(p.Words[p.I-1]) + ": " + p.Expected(`"entry I", like "has entry 2 term 2"`)
	}
	msg := p.entryRef(c, "entry")
	c.notApplied = p.Skip("not-applied")
	return msg
}

func parseReason(p *condParser, c *cond) string {
	name := strings.ToLower(p.Next())
	code, ok := raft.ReasonCodeByName(name)
	if !ok || code == raft.ReasonNone {
		return "reason: unknown reason " + lex.Quote(name) + "; expected one of: " + reasonList()
	}
	c.code = code
	return ""
}

func reasonList() string {
	var names []string
	for code := raft.ReasonCode(1); int(code) < raft.ReasonCodes; code++ {
		names = append(names, code.String())
	}
	return strings.Join(names, ", ")
}

func parseRead(p *condParser, c *cond) string {
	if c.key = p.Next(); c.key == "" {
		return `read: expected a key, like "read x missing" or "read x = 3", got nothing`
	}
	switch {
	case p.Skip("missing"):
		c.missing = true
	case p.Skip("="):
		if c.value = p.Next(); c.value == "" {
			return "read " + c.key + " =: expected a value, got nothing"
		}
	default:
		return "read " + c.key + ": " + p.Expected(`"missing" or "= VALUE"`)
	}
	// How the read was served, if the goal says: local, read-index, lease.
	if w := p.Raw(); w != "" {
		path, ok := sim.ReadPathByName(w)
		if !ok || path == sim.ReadDefault {
			return "read " + c.key + ": " + p.Expected(`nothing or how the read was served: "local", "read-index" or "lease"`)
		}
		c.path = path
		p.Next()
	}
	return ""
}

func parseViolation(p *condParser, c *cond) string {
	prop, ok := sim.PropertyByKey(p.Peek())
	switch {
	case p.Raw() == "":
	case !ok:
		return "violation: unknown property " + lex.Quote(p.Raw()) + "; expected one of: " + strings.Join(sim.PropertyKeys(), ", ")
	default:
		c.prop = prop
		p.Next()
	}
	return ""
}
