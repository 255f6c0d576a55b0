package main

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"raftlab/raft/sim"
)

// errNotFound reports a search that found nothing in its budget (exit
// status 2).
var errNotFound = errors.New("not found")

// searchOptions are raftsim -search's flags.
type searchOptions struct {
	rule   string
	seed   int64
	nodes  int
	budget time.Duration
	site   string // the playground's address
	// start, when set, is the cluster every schedule starts from (a
	// level's), and property the one property that counts.
	start    *sim.Scenario
	property sim.Property
}

// startFrom reads -scenario and -property for -search.
func startFrom(o *searchOptions, file, property string) error {
	if property != "" {
		p, ok := sim.PropertyByKey(property)
		if !ok {
			return fmt.Errorf("-property: unknown property %q; expected one of: %s", property, strings.Join(sim.PropertyKeys(), ", "))
		}
		o.property = p
	}
	if file == "" {
		return nil
	}
	text, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	sc, err := sim.ParseScenario(file, string(text))
	if err != nil {
		return err
	}
	o.start = &sc
	return nil
}

// runSearch searches for a run that breaks what the rule protects, shrinks
// it and explains it: the shrunk run as an action list marked with the
// steps that used the rule and the point of no return, a playground link,
// and a last line that sums it up.
func runSearch(out io.Writer, o searchOptions) error {
	start := time.Now()
	h, err := sim.NewHunt(sim.SearchOptions{Switch: o.rule, Seed: o.seed, Nodes: o.nodes, Scenario: o.start, Property: o.property}, 5000)
	if err != nil {
		return err
	}
	sw, _ := sim.SwitchNamed(o.rule)
	fmt.Fprintf(out, "search: %s switched off — %s\n", sw.Name, sim.English.SwitchRule(sw))
	var took time.Duration
	for !h.Run(16) {
		if p := h.Progress(); p.Phase == sim.Searching && time.Since(start) > o.budget {
			break
		} else if p.Phase > sim.Searching && took == 0 {
			took = time.Since(start)
		}
	}
	res, ok := h.Result()
	if !ok {
		p := h.Progress().Search
		fmt.Fprintf(out, "not found in %v (%d schedules, %d steps)\n", time.Since(start).Round(time.Millisecond), p.Schedules, p.Steps)
		return errNotFound
	}
	if took == 0 {
		took = time.Since(start)
	}
	found, r := res.Found, res.Shrunk
	ex := sim.Explanation{Broke: -1}
	if res.Explanation != nil {
		ex = *res.Explanation
	}
	fmt.Fprintln(out, "scenario:")
	for _, l := range strings.Split(strings.TrimSpace(sim.FormatScenario(r.Scenario)), "\n") {
		fmt.Fprintln(out, "  "+l)
	}
	proof := fmt.Sprintf("not proved shortest: every run of up to %d actions tried (%d states)", r.Shortest.Depth, r.Shortest.States)
	if r.Shortest.Proved {
		proof = fmt.Sprintf("shortest: no run of fewer actions breaks it (%d states tried)", r.Shortest.States)
	}
	fmt.Fprintf(out, "the shrunk run: %d actions; %s\n", r.After, proof)
	if len(res.Run) != r.After {
		fmt.Fprintf(out, "shown in %d steps: the action in which the rule decided, split into the deliveries it made\n", len(res.Run))
	}
	fmt.Fprintln(out, "actions:")
	for i, a := range res.Run {
		fmt.Fprintf(out, "%4d  %s\n", i+1, sim.FormatAction(a))
		for _, u := range ex.Uses {
			if u.Action == i {
				for _, l := range sim.English.RuleUseText(u) {
					fmt.Fprintf(out, "      ↳ %s\n", l)
				}
			}
		}
		if i == ex.NoReturn-1 {
			fmt.Fprintf(out, "      ↳ %s\n", sim.English.NoReturnText(ex.Property))
		}
		if i == ex.Broke {
			fmt.Fprintf(out, "      ↳ %s\n", sim.English.ViolationText(ex.Violation))
		}
	}
	fmt.Fprintln(out, "playground:", playgroundLink(o.site, r.Scenario, res.Run))
	fmt.Fprintf(out, "found %s after %d schedules (%d steps) in %v; shrunk from %d to %d actions\n",
		r.Violation.Property, found.Schedules, found.Steps, took.Round(time.Millisecond), r.Before, r.After)
	return nil
}

// playgroundLink is the playground address that replays a run and
// explains it (explain=1: the view marks the steps that used the rule and
// the point of no return).
func playgroundLink(site string, sc sim.Scenario, run []sim.Action) string {
	// The encoded actions need no escaping but for these (as the page's
	// own links, wasm/widget.go).
	a := strings.NewReplacer("%2B", "+", "%2F", "/", "%3B", ";", "%2A", "*", "%7E", "~").Replace(url.QueryEscape(sim.EncodeActions(run)))
	return site + "?scenario=" + url.QueryEscape(sim.FormatScenario(sc)) + "&a=" + a + "&explain=1"
}
