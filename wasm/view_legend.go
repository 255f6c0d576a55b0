//go:build js && wasm

package main

// The legend: what the drawing's shapes, lines and marks mean, each next
// to a sample drawn as the ring draws it (raftlab/wasm/draw). It is a
// <details> under the drawing, closed unless a page opens it (chapter 1
// does).

import (
	"honnef.co/go/js/dom/v2"

	"raftlab/wasm/draw"
)

func (v *view) buildLegend(parent dom.Element) {
	d := v.el("details", "class", "rl-legend")
	d.AppendChild(v.text("summary", v.word("legend.title")))
	ul := v.el("ul", "class", "rl-legend-list")
	item := func(sample *draw.El, key string) {
		li := v.el("li")
		li.Underlying().Call("appendChild", v.dom(sample, nil))
		li.AppendChild(v.text("span", v.word(key)))
		ul.AppendChild(li)
	}
	item(draw.SampleNode("Follower", 1), "legend.follower")
	item(draw.SampleNode("PreCandidate", 0.7), "legend.precandidate")
	item(draw.SampleNode("Candidate", 0.6), "legend.candidate")
	item(draw.SampleNode("Leader", 0.8), "legend.leader")
	item(draw.SampleNode("Down", 0), "legend.down")
	item(draw.SampleNode("Follower", 0.35), "legend.timer")
	item(draw.SampleMember("Follower", "learner", 1), "legend.learner")
	item(draw.SampleBadge("rl-vote", v.word("msg.RequestVote"), draw.ShapeRound), "legend.rv")
	item(draw.SampleBadge("rl-vote rl-reply", v.word("msg.RequestVoteReply.yes"), draw.ShapeRound), "legend.reply")
	item(draw.SampleBadge("rl-vote rl-reply rl-no", v.word("msg.RequestVoteReply.no"), draw.ShapeRound), "legend.replyNo")
	item(draw.SampleBadge("rl-append", v.word("msg.AppendEntries.n", "n", "2"), draw.ShapeSquare), "legend.ae")
	item(draw.SampleBadge("rl-snap", v.word("msg.InstallSnapshot"), draw.ShapeSnapshot), "legend.is")
	// Log cells, as the logs table draws them.
	li := v.el("li")
	cells := v.el("span", "class", "rl-legend-cells", "aria-hidden", "true")
	cells.AppendChild(v.text("span", "1", "class", "rl-entry rl-t1 rl-committed"))
	cells.AppendChild(v.text("span", "2", "class", "rl-entry rl-t2"))
	li.AppendChild(cells)
	li.AppendChild(v.text("span", v.word("legend.log")))
	ul.AppendChild(li)
	li = v.el("li")
	cells = v.el("span", "class", "rl-legend-cells", "aria-hidden", "true")
	cells.AppendChild(v.text("span", v.word("log.snapshot", "index", "4", "term", "1"), "class", "rl-entry rl-snapblock"))
	li.AppendChild(cells)
	li.AppendChild(v.text("span", v.word("legend.snapshot")))
	ul.AppendChild(li)
	for _, key := range []string{"legend.transfer", "legend.reads"} {
		li := v.el("li", "class", "rl-legend-text")
		li.AppendChild(v.text("span", v.word(key)))
		ul.AppendChild(li)
	}
	d.AppendChild(ul)
	parent.AppendChild(d)
}
