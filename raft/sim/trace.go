package sim

import (
	"strconv"
	"strings"

	"raftlab/raft"
)

// Words is every word the trace uses, for one language. Sentences are
// templates with {placeholders}; code never assembles a sentence, so a
// translation is another Words value.
type Words struct {
	Reasons    raft.ReasonTemplates
	Events     [eventKindCount]string
	Rejection  string // an EvNote whose reason is a rejection
	Roles      [3]string
	MsgTypes   [4]string
	Losses     [4]string
	Amnesia    [3]string
	Network    [opCount]string
	Timers     [2]string // unfrozen, frozen
	Found      [2]string // absent, present
	Properties [6]string
	Violations [6]string
	// Message summaries by type: RequestVote, its reply, AppendEntries,
	// its reply (granted/success, refused/failure).
	Summaries  [4]string
	ReplyWords [2]string // refused, granted / failed, succeeded
	Setup      string
}

// English is the trace in English.
var English = Words{
	Reasons: raft.EnglishTemplates,
	Events: [eventKindCount]string{
		EvNote:      "{node} {role}: {reason}",
		EvSend:      "{node} {role} → {peer} {type} #{msg} {summary}",
		EvDeliver:   "{node} {role} ← {peer} {type} #{msg} {summary}",
		EvDrop:      "dropped {type} #{msg} {node}→{peer}",
		EvLost:      "lost {type} #{msg} {node}→{peer}: {loss}",
		EvDuplicate: "duplicated {type} #{msg} {node}→{peer} as #{dup}",
		EvTimeout:   "{node} {role}: timer fired by hand",
		EvPropose:   "{node} {role}: client request \"{text}\" appended at index {index}, term {term}",
		EvRedirect:  "{node} {role}: client request \"{text}\" refused: not the leader; leader is {peer}",
		EvNoAnswer:  "{node}: no answer to \"{text}\": the server is down",
		EvRead:      "{node} {role}: local read of {text}: {found}",
		EvApply:     "{node} {role}: apply entry {index} (term {term}) \"{text}\"",
		EvCrash:     "{node} crashed",
		EvRestart:   "{node} restarted from disk: term {term}, {index} entries{amnesia}",
		EvNetwork:   "network: {network}",
		EvTimers:    "timers {timers}",
		EvViolation: "SAFETY VIOLATION: {violation}",
	},
	Rejection: "{node} {role} rejects {rejected} from {peer}: {reason}",
	Roles:     [3]string{"Follower", "Candidate", "Leader"},
	MsgTypes:  [4]string{"RequestVote", "RequestVoteReply", "AppendEntries", "AppendEntriesReply"},
	Losses:    [4]string{"", "the link is cut", "the network lost it", "the receiver is down"},
	Amnesia:   [3]string{"", " (forgot its vote)", " (lost the tail of its log)"},
	Network: [opCount]string{
		OpPartition: "partition {groups}",
		OpCut:       "cut {link}",
		OpRestore:   "restore {link}",
		OpHeal:      "healed: every link restored",
		OpDropRate:  "drop rate {permille}‰",
		OpLatency:   "latency {min}–{max} ms",
	},
	Timers:     [2]string{"running", "frozen"},
	Found:      [2]string{"not set", "{value}"},
	Properties: [6]string{"", "Election Safety", "Leader Append-Only", "Log Matching", "Leader Completeness", "State Machine Safety"},
	Violations: [6]string{"",
		"Election Safety: {a} and {b} are both leaders of term {term}",
		"Leader Append-Only: {a}, leader of term {term}, lost or changed its entry {index}",
		"Log Matching: {a} and {b} hold entry {index} of term {term} with different contents or history",
		"Leader Completeness: {a}, leader of term {term}, lacks committed entry {index} (term {want}; it has term {got})",
		"State Machine Safety: {a} applied entry {index} of term {got}, but {b} applied term {want} there",
	},
	Summaries: [4]string{
		"(term {term}, last log {lastIndex}/{lastTerm})",
		"(term {term}, {reply})",
		"(term {term}, prev {prevIndex}/{prevTerm}, {entries} entries, commit {commit})",
		"(term {term}, {reply}, match {match})",
	},
	ReplyWords: [2]string{"no", "yes"},
	Setup:      "setup",
}

// fill replaces {name} placeholders using value.
func fill(t string, value func(name string) string) string {
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		if t[i] != '{' {
			b.WriteByte(t[i])
			continue
		}
		j := strings.IndexByte(t[i:], '}')
		if j < 0 {
			b.WriteString(t[i:])
			break
		}
		b.WriteString(value(t[i+1 : i+j]))
		i += j
	}
	return b.String()
}

func u(v uint64) string { return strconv.FormatUint(v, 10) }

// Line renders e as one readable trace line in the given language, prefixed
// by the virtual time.
func (wd *Words) Line(e Event) string {
	return strconv.FormatInt(e.Time, 10) + "ms " + wd.Text(e)
}

// Text renders e without the time.
func (wd *Words) Text(e Event) string {
	t := wd.Events[e.Kind]
	if e.Kind == EvNote && e.Reason.Code.IsRejection() {
		t = wd.Rejection
	}
	return fill(t, func(name string) string {
		switch name {
		case "node":
			return e.Node.String()
		case "peer":
			return e.Peer.String()
		case "role":
			return wd.Roles[e.Role]
		case "term":
			return u(uint64(e.Term))
		case "index":
			return u(uint64(e.Index))
		case "msg":
			return strconv.Itoa(e.Msg)
		case "dup":
			return strconv.Itoa(e.Dup)
		case "type":
			return wd.MsgTypes[e.MsgType]
		case "summary":
			return wd.Summary(e.MsgType, e.Summary)
		case "reason":
			return e.Reason.Render(&wd.Reasons)
		case "rejected":
			if e.Reason.Code <= raft.VoteDeniedLogIndex {
				return wd.MsgTypes[raft.MsgVote]
			}
			return wd.MsgTypes[raft.MsgAppend]
		case "loss":
			return wd.Losses[e.Loss]
		case "text":
			return e.Text
		case "found":
			if e.Found {
				return fill(wd.Found[1], func(string) string { return e.Value })
			}
			return wd.Found[0]
		case "amnesia":
			return wd.Amnesia[e.Amnesia]
		case "network":
			return wd.NetworkText(e.Network)
		case "timers":
			if e.Found {
				return wd.Timers[1]
			}
			return wd.Timers[0]
		case "violation":
			if e.Violation != nil {
				return wd.ViolationText(*e.Violation)
			}
		}
		return ""
	})
}

// Summary renders what a trace line shows of a message.
func (wd *Words) Summary(t raft.MsgType, s MsgSummary) string {
	return fill(wd.Summaries[t], func(name string) string {
		switch name {
		case "term":
			return u(uint64(s.Term))
		case "lastIndex":
			return u(uint64(s.LastLogIndex))
		case "lastTerm":
			return u(uint64(s.LastLogTerm))
		case "prevIndex":
			return u(uint64(s.PrevLogIndex))
		case "prevTerm":
			return u(uint64(s.PrevLogTerm))
		case "entries":
			return strconv.Itoa(s.Entries)
		case "commit":
			return u(uint64(s.LeaderCommit))
		case "match":
			return u(uint64(s.MatchIndex))
		case "reply":
			if s.Success {
				return wd.ReplyWords[1]
			}
			return wd.ReplyWords[0]
		}
		return ""
	})
}

// NetworkText renders a network action.
func (wd *Words) NetworkText(a Action) string {
	return fill(wd.Network[a.Op], func(name string) string {
		switch name {
		case "groups":
			var parts []string
			for _, g := range a.Groups {
				var ids []string
				for _, id := range g {
					ids = append(ids, id.String())
				}
				parts = append(parts, strings.Join(ids, " "))
			}
			return strings.Join(parts, " | ")
		case "link":
			if a.OneWay {
				return a.From.String() + "→" + a.To.String()
			}
			return a.From.String() + "↔" + a.To.String()
		case "permille":
			return strconv.FormatInt(a.Amount, 10)
		case "min":
			return strconv.FormatInt(a.Amount, 10)
		case "max":
			return strconv.FormatInt(a.Amount2, 10)
		}
		return ""
	})
}

// ViolationText renders a violation in one sentence.
func (wd *Words) ViolationText(v Violation) string {
	return fill(wd.Violations[v.Property], func(name string) string {
		switch name {
		case "a":
			return v.Nodes[0].String()
		case "b":
			if len(v.Nodes) > 1 {
				return v.Nodes[1].String()
			}
		case "term":
			return u(uint64(v.Term))
		case "index":
			return u(uint64(v.Index))
		case "got":
			return u(uint64(v.Got))
		case "want":
			return u(uint64(v.Want))
		}
		return ""
	})
}

// Trace renders events as lines, one per event.
func (wd *Words) Trace(events []Event) string {
	var b strings.Builder
	for _, e := range events {
		b.WriteString(wd.Line(e))
		b.WriteByte('\n')
	}
	return b.String()
}
