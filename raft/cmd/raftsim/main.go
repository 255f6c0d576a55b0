// Command raftsim runs the raftlab simulator from the command line and
// prints the readable trace: a scenario file with its actions, or a seeded
// random fault schedule with the safety checker on.
//
//	go run ./raft/cmd/raftsim -scenario FILE [-actions "timeout S1; flush"]
//	go run ./raft/cmd/raftsim -random -seed 7 -events 500 -nodes 5
//	go run ./raft/cmd/raftsim -search -unsafe commit-earlier-terms [-seed N] [-nodes N] [-budget 10s]
//	go run ./raft/cmd/raftsim -search -unsafe forget-vote -scenario FILE [-property election-safety]
//
// -search looks for a run that breaks what the switched-off rule
// protects, shrinks it and explains it: it prints the run as an action
// list, marked with the steps that used the rule and the point of no
// return, a playground link, and a last line "found PROPERTY after N
// schedules (M steps) in T; shrunk from A to B actions", or "not found in
// T" (exit status 2). With -scenario, every schedule starts from that
// cluster (a level's), and -property names the one property that counts.
//
// -json prints the structured events, one JSON object per line, instead.
// The last line summarizes the run. The exit status is 1 when the checker
// found a violation.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"raftlab/raft"
	"raftlab/raft/sim"
)

// errViolation reports that the checker found a violation (exit status 1).
var errViolation = errors.New("safety violation")

type unsafeFlags []string

func (u *unsafeFlags) String() string     { return strings.Join(*u, ",") }
func (u *unsafeFlags) Set(s string) error { *u = append(*u, s); return nil }

func main() {
	var (
		scenarioFile = flag.String("scenario", "", "scenario file to run")
		actions      = flag.String("actions", "", "actions to run after the scenario's setup (';' or newline separated)")
		random       = flag.Bool("random", false, "run a seeded random fault schedule")
		seed         = flag.Int64("seed", 1, "seed of the random schedule")
		events       = flag.Int("events", 500, "number of actions in the random schedule")
		nodes        = flag.Int("nodes", 5, "servers in the random schedule")
		compaction   = flag.Bool("compaction", false, "random schedule: servers compact their logs")
		membership   = flag.Bool("membership", false, "random schedule: spares outside the configuration, servers added and removed")
		joint        = flag.Bool("joint", false, "random schedule: membership changes by joint consensus")
		switches     = flag.Bool("switches", false, "random schedule with pre-vote, check-quorum, sticky leaders, commit announcements, ReadIndex reads and leadership transfers")
		leases       = flag.Bool("leases", false, "random schedule with the switches, lease reads, and no timer fired by hand nor restart")
		noCheck      = flag.Bool("no-check-quorum", false, "with -switches or -leases: leave check-quorum off")
		asJSON       = flag.Bool("json", false, "print structured events as JSON lines")
		search       = flag.Bool("search", false, "search for a run that breaks what the -unsafe rule protects")
		property     = flag.String("property", "", "with -search: the one property that counts ("+strings.Join(sim.PropertyKeys(), ", ")+")")
		budget       = flag.Duration("budget", 10*time.Second, "how long -search may look")
		site         = flag.String("site", "http://127.0.0.1:8080/playground.html", "the playground address -search links to")
		unsafe       unsafeFlags
	)
	flag.Var(&unsafe, "unsafe", "switch a rule off (repeatable): "+strings.Join(sim.SwitchNames(), ", "))
	flag.Parse()
	if *search {
		if len(unsafe) != 1 {
			fmt.Fprintln(os.Stderr, "raftsim: -search needs exactly one -unsafe rule")
			os.Exit(2)
		}
		n := 0
		flag.Visit(func(f *flag.Flag) {
			if f.Name == "nodes" {
				n = *nodes
			}
		})
		o := searchOptions{rule: unsafe[0], seed: *seed, nodes: n, budget: *budget, site: *site}
		err := startFrom(&o, *scenarioFile, *property)
		if err == nil {
			err = runSearch(os.Stdout, o)
		}
		switch {
		case err == errNotFound:
			os.Exit(2)
		case err != nil:
			fmt.Fprintln(os.Stderr, "raftsim:", err)
			os.Exit(2)
		}
		os.Exit(1) // found: a violation, as for any run
	}
	var opt *sim.RandomOptions
	if *random {
		opt = &sim.RandomOptions{Nodes: *nodes, Seed: *seed, Actions: *events, Compaction: *compaction, Membership: *membership, Joint: *joint,
			Switches: *switches, Leases: *leases, NoCheckQuorum: *noCheck}
	}
	err := run(os.Stdout, *scenarioFile, *actions, opt, unsafe, *asJSON)
	switch {
	case err == errViolation:
		os.Exit(1)
	case err != nil:
		fmt.Fprintln(os.Stderr, "raftsim:", err)
		os.Exit(2)
	}
}

// run plays a random schedule (random, when not nil) or a scenario file
// with actions.
func run(out io.Writer, scenarioFile, actions string, random *sim.RandomOptions, unsafe []string, asJSON bool) error {
	var rules sim.Scenario // only its switches
	for _, u := range unsafe {
		sw, ok := sim.SwitchNamed(u)
		if !ok {
			return fmt.Errorf("-unsafe: unknown rule %q; expected any of: %s", u, strings.Join(sim.SwitchNames(), ", "))
		}
		sw.Set(&rules, true)
	}
	// Events are written as they happen, so a run of any length is written
	// whole although a cluster keeps only its latest events.
	next := 0
	var werr error
	enc := json.NewEncoder(out)
	write := func(e *sim.Event) {
		if e.Seq < next || werr != nil {
			return // recorded again after the cluster went back
		}
		next = e.Seq + 1
		if asJSON {
			werr = enc.Encode(eventJSON(*e))
		} else {
			_, werr = io.WriteString(out, sim.English.Line(*e)+"\n")
		}
	}
	var c *sim.Cluster
	switch {
	case random != nil:
		opt := *random
		opt.Unsafe, opt.UnsafeHost, opt.Observe = rules.Unsafe, rules.UnsafeHost, write
		var err error
		c, err = sim.RandomRun(opt)
		if err != nil {
			return err
		}
	case scenarioFile != "":
		text, err := os.ReadFile(scenarioFile)
		if err != nil {
			return err
		}
		c, err = sim.NewFromText(scenarioFile, 1, string(text), func(sc *sim.Scenario) {
			if unsafe != nil {
				sc.Unsafe, sc.UnsafeHost = rules.Unsafe, rules.UnsafeHost
			}
		})
		if err != nil {
			return err
		}
		if next = c.FirstEvent(); next > 0 {
			fmt.Fprintf(out, "(the first %d events of the setup are not kept)\n", next)
		}
		for _, e := range c.Events(0) {
			write(&e)
		}
		as, err := sim.ParseActions(actions)
		if err != nil {
			return fmt.Errorf("-actions: %w", err)
		}
		// An action's events wait until it is done: one the cluster
		// refuses is undone whole, and its events are then not written.
		// The wait holds at most sim.MaxEventsPerAction events.
		var pending []sim.Event
		c.Observe(func(e *sim.Event) { pending = append(pending, *e) })
		for i, a := range as {
			pending = pending[:0]
			if err := c.Do(a); err != nil {
				return &sim.ActionError{N: i + 1, Action: a, Err: err}
			}
			for j := range pending {
				write(&pending[j])
			}
		}
	default:
		return fmt.Errorf("give -scenario FILE or -random (see -help)")
	}
	if werr != nil {
		return werr
	}
	s := sim.Summarize(c)
	fmt.Fprintf(out, "summary: %d actions, %d events, %d messages, %d terms, %d leaders, %d committed entries, %d violations, %d reads not linearizable\n",
		s.Actions, s.Events, s.Messages, s.Terms, s.Leaders, s.Committed, s.Violations, s.NotLinearizable)
	if s.Violations > 0 {
		return errViolation
	}
	return nil
}

// jsonEvent is the structured form of an event, with names instead of codes.
type jsonEvent struct {
	Seq       int    `json:"seq"`
	Time      int64  `json:"time"`
	Action    int    `json:"action"`
	Kind      string `json:"kind"`
	Node      string `json:"node,omitempty"`
	Role      string `json:"role,omitempty"`
	Term      uint64 `json:"term"`
	Peer      string `json:"peer,omitempty"`
	Msg       int    `json:"msg,omitempty"`
	MsgType   string `json:"msgType,omitempty"`
	Reason    string `json:"reason,omitempty"`
	Section   string `json:"section,omitempty"`
	Index     uint64 `json:"index,omitempty"`
	Op        int    `json:"op,omitempty"`
	Path      string `json:"path,omitempty"`
	Text      string `json:"text,omitempty"`
	Violation string `json:"violation,omitempty"`
	Line      string `json:"line"`
}

func eventJSON(e sim.Event) jsonEvent {
	j := jsonEvent{Seq: e.Seq, Time: e.Time, Action: e.Action, Kind: e.Kind.String(), Term: uint64(e.Term),
		Msg: e.Msg, Index: uint64(e.Index), Op: e.Op, Path: e.Path.String(), Text: e.Text, Line: sim.English.Text(e)}
	if e.Node != raft.None {
		j.Node, j.Role = e.Node.String(), e.Role.String()
		if e.Kind == sim.EvNote {
			j.Role = e.DecidedAs.String() // the role it decided in, as the line says
		}
	}
	if e.Peer != raft.None {
		j.Peer = e.Peer.String()
	}
	if e.Msg != 0 {
		j.MsgType = e.MsgType.String()
	}
	if e.Kind == sim.EvNote {
		j.Reason, j.Section = e.Reason.Code.String(), e.Reason.Code.Section()
	}
	if e.Violation != nil {
		j.Violation = e.Violation.Property.String()
	}
	return j
}
