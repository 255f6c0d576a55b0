//go:build js && wasm

package main

import "strings"

// Words for people come from one table per language, so that a translation
// replaces the table and no sentence is assembled in code. A message may
// hold {name} placeholders, filled by say. The trace lines and the reasons
// come from the simulator's own table (sim.English).
var english = map[string]string{
	"cluster.label": "A Raft cluster of {n} servers",
	"node.label":    "{id}, {role}, term {term}, {vote}",
	"node.voted":    "voted for {id}",
	"node.novote":   "no vote",
	"node.term":     "term {term}",
	"node.vote":     "vote {id}",
	"node.vote0":    "vote —",
	"node.votes":    "votes {got}/{need}",
	"node.down":     "down",

	"role.Follower":  "Follower",
	"role.Candidate": "Candidate",
	"role.Leader":    "Leader",
	"role.Down":      "Down",

	"msg.RequestVote":            "RV",
	"msg.RequestVoteReply.yes":   "RV✓",
	"msg.RequestVoteReply.no":    "RV✗",
	"msg.AppendEntries":          "AE",
	"msg.AppendEntries.n":        "AE {n}",
	"msg.AppendEntriesReply.yes": "AE✓",
	"msg.AppendEntriesReply.no":  "AE✗",
	"msg.label":                  "{type} #{id} from {from} to {to}, term {term}",
	"msg.title":                  "{type} #{id}: {from} → {to}",
	"msg.gone":                   "Message #{id} is no longer in flight.",
	"msg.timing":                 "sent at {sent} ms, arrives at {arrive} ms",
	"msg.why":                    "Why: {text}",
	"msg.rule":                   "Figure 2: {rule} ({section})",
	"field.term":                 "term",
	"field.lastLog":              "last log (index/term)",
	"field.prev":                 "prevLogIndex/prevLogTerm",
	"field.entries":              "entries",
	"field.leaderCommit":         "leaderCommit",
	"field.granted":              "voteGranted",
	"field.success":              "success",
	"field.match":                "matchIndex",
	"field.timing":               "in flight",
	"field.yes":                  "yes",
	"field.no":                   "no",
	"field.vote":                 "votedFor",
	"field.leader":               "leader",
	"field.commit":               "commitIndex",
	"field.applied":              "lastApplied",
	"field.timer":                "timer",
	"field.timerValue":           "{left} of {length} ms left",
	"field.timerFrozen":          "{left} of {length} ms left (frozen)",
	"field.log":                  "log",
	"field.logValue":             "{n} entries",
	"field.votes":                "votes",
	"field.progress":             "next/match",
	"field.kv":                   "state",
	"field.none":                 "none",
	"node.title":                 "{id} · {role} · term {term}",
	"node.menu":                  "Actions for {id}",
	"act.timeout":                "Time out",
	"act.crash":                  "Crash",
	"act.restart":                "Restart",
	"act.restartForget":          "Restart, forgetting its vote",
	"act.isolate":                "Isolate",
	"act.propose":                "Propose",
	"act.proposeLabel":           "Command",
	"act.read":                   "Read",
	"act.readLabel":              "Key",
	"act.readResult":             "{id} read {key}: {value}",
	"act.readNone":               "{id} read {key}: not set",
	"act.readDown":               "{id} is down: no answer",
	"act.deliver":                "Deliver",
	"act.drop":                   "Drop",
	"act.duplicate":              "Duplicate",
	"act.close":                  "Close",
	"panel.hint":                 "Select a server or a message to act on it. Press ? for the keys.",
	"panel.label":                "Inspector",
	"ctl.label":                  "Cluster controls",
	"ctl.play":                   "Play",
	"ctl.pause":                  "Pause",
	"ctl.back":                   "Back",
	"ctl.backTitle":              "Step back: undo the last action (←)",
	"ctl.next":                   "Next",
	"ctl.nextTitle":              "Run to the next event (→)",
	"ctl.playTitle":              "Play or pause (space)",
	"ctl.speed":                  "Speed",
	"ctl.speedValue":             "{x}×",
	"ctl.freeze":                 "Freeze timers",
	"ctl.cut":                    "Cut links",
	"ctl.cutTitle":               "Click two servers to cut the link between them, or restore it",
	"ctl.cutPick":                "Cut links: pick the second server (Esc to stop).",
	"ctl.cutFirst":               "Cut links: pick a server.",
	"ctl.heal":                   "Heal",
	"ctl.healTitle":              "Restore every link",
	"ctl.reset":                  "Reset",
	"ctl.resetTitle":             "Back to the start, forgetting every action",
	"ctl.copy":                   "Copy link",
	"ctl.copyTitle":              "Copy a link that reproduces this exact state",
	"ctl.copied":                 "Link copied.",
	"ctl.copyManual":             "Copy this link:",
	"ctl.help":                   "?",
	"ctl.helpTitle":              "Keyboard help (?)",
	"ctl.history":                "History",
	"ctl.historyValue":           "action {pos} of {rec} · {time} ms",
	"ctl.frozen":                 "timers frozen",
	"log.label":                  "Logs, aligned by index",
	"log.server":                 "Server",
	"log.state":                  "State",
	"log.cell":                   "index {index}, term {term}: {data}",
	"log.cellCommitted":          "index {index}, term {term}: {data} (committed)",
	"log.noop":                   "no-op",
	"log.marks":                  "commit {commit} · applied {applied}",
	"log.more":                   "…",
	"trace.label":                "Trace",
	"trace.filter":               "Show",
	"trace.all":                  "all servers",
	"trace.why":                  "why: {rule} ({section})",
	"trace.gap":                  "… (lines skipped while playing; pause to see them all)",
	"trace.empty":                "Nothing has happened yet.",
	"violations.title":           "Safety violation",
	"help.title":                 "Keys",
	"help.space":                 "play or pause",
	"help.right":                 "next event",
	"help.left":                  "step back",
	"help.digits":                "focus server 1–9",
	"help.enter":                 "on a server or a message: open its actions",
	"help.escape":                "close this, or the inspector",
	"help.help":                  "show this help",
	"notice.scenario":            "The scenario could not be read: {error}. Showing the default cluster instead.",
	"notice.actionsText":         "The actions could not be read: {error}. No action was replayed.",
	"notice.actions":             "The actions could not all be replayed: {error}. The cluster stops before that action.",
	"status.error":               "Not done: {error}",
	"link.cut":                   "{from} → {to} cut",

	// Added by the page work (issues 8 and 10); engine moves them into the
	// per-language tables.
	"notice.option":       "An option was not used: {error}; the default is shown instead.",
	"field.refusedPrev":   "refused prevLogIndex",
	"field.conflictTerm":  "conflict term",
	"field.conflictIndex": "conflict index",
	"act.done":            "✓ {action}: done.",
	// Badges of the message types the core gained (§7, dissertation §3.10,
	// §6.4, §9.6).
	"msg.InstallSnapshot":          "IS",
	"msg.InstallSnapshotReply.yes": "IS✓",
	"msg.InstallSnapshotReply.no":  "IS✗",
	"msg.PreVote":                  "PV",
	"msg.PreVoteReply.yes":         "PV✓",
	"msg.PreVoteReply.no":          "PV✗",
	"msg.TimeoutNow":               "TN",
	"msg.ReadIndex":                "RI",
	"msg.ReadIndexReply.yes":       "RI✓",
	"msg.ReadIndexReply.no":        "RI✗",
	"legend.title":                 "What the drawing shows",
	"legend.follower":              "A follower (a plain circle): it answers messages and starts nothing, until its timer runs out.",
	"legend.candidate":             "A candidate (a dashed ring) asks for votes. \"votes 1/2\": it has 1 vote, and needs 2 to win (a majority).",
	"legend.leader":                "The leader (a double ring; ♛ beside its name in the logs) sends its log to everyone.",
	"legend.down":                  "A crashed server (grey, struck through, \"down\"): it keeps only what is on its disk.",
	"legend.timer":                 "The arc around a server is its election timer running down (grey and still while the timers are frozen); when it is empty, the timer fires.",
	"legend.rv":                    "RV: a RequestVote, a candidate asking for a vote (round badges are about votes).",
	"legend.reply":                 "A reply is hollow: RV✓ grants the vote, AE✓ takes the entries.",
	"legend.replyNo":               "A refusal is hollow and dashed: RV✗, AE✗. Select it to see why.",
	"legend.ae":                    "AE 2: an AppendEntries carrying 2 entries (AE alone is a heartbeat).",
	"legend.log":                   "A log cell shows the term of its entry, and is coloured by it: solid once this server knows the entry is committed, hatched until then.",
}

// words is the table in use.
var words = english

// say returns the message key with its placeholders filled from kv, given as
// name, value pairs: say("node.label", "id", "S3", ...).
func say(key string, kv ...string) string {
	msg, ok := words[key]
	if !ok {
		msg = english[key]
	}
	if len(kv) == 0 || strings.IndexByte(msg, '{') < 0 {
		return msg
	}
	var b strings.Builder
	b.Grow(len(msg) + 16)
	for i := 0; i < len(msg); i++ {
		c := msg[i]
		if c != '{' {
			b.WriteByte(c)
			continue
		}
		j := strings.IndexByte(msg[i:], '}')
		if j < 0 {
			b.WriteString(msg[i:])
			break
		}
		name := msg[i+1 : i+j]
		found := false
		for k := 0; k+1 < len(kv); k += 2 {
			if kv[k] == name {
				b.WriteString(kv[k+1])
				found = true
				break
			}
		}
		if !found {
			b.WriteString(msg[i : i+j+1])
		}
		i += j
	}
	return b.String()
}
