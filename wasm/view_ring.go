//go:build js && wasm

package main

// A placeholder view: a ring of N servers drawn as SVG. The real view (roles,
// terms, logs, messages) replaces it; it keeps the same conventions:
//   - every node is a <g class="rl-node" data-node="ID" data-role="ROLE"
//     tabindex="0" aria-label="..."> that CSS styles by data-role;
//   - text from options or the URL only ever reaches the page through text
//     nodes and setAttribute, never as HTML.

import (
	"math"
	"strconv"

	"honnef.co/go/js/dom/v2"
)

const svgNS = "http://www.w3.org/2000/svg"

type ringView struct {
	host  dom.Element // the element given to raftlab.create
	root  dom.Element // the <figure> this view owns inside host
	nodes []dom.Element
}

// newRingView replaces the content of host with a ring of n servers and an
// optional caption.
func newRingView(host dom.Element, n int, title string) *ringView {
	doc := dom.GetWindow().Document()
	v := &ringView{host: host}

	host.SetTextContent("") // the view owns the host (drops the loading text)
	v.root = doc.CreateElement("figure")
	v.root.SetAttribute("class", "rl-cluster")

	svg := doc.CreateElementNS(svgNS, "svg")
	svg.SetAttribute("viewBox", "0 0 200 200")
	svg.SetAttribute("class", "rl-ring")
	svg.SetAttribute("role", "group")
	label := say("cluster.label", "n", strconv.Itoa(n))
	if title != "" {
		label = title
	}
	svg.SetAttribute("aria-label", label)

	const cx, cy, ring, radius = 100.0, 100.0, 70.0, 17.0
	for i := 0; i < n; i++ {
		id := strconv.Itoa(i + 1)
		angle := -math.Pi/2 + 2*math.Pi*float64(i)/float64(n)
		x, y := cx, cy
		if n > 1 {
			x, y = cx+ring*math.Cos(angle), cy+ring*math.Sin(angle)
		}

		g := doc.CreateElementNS(svgNS, "g")
		g.SetAttribute("class", "rl-node")
		g.SetAttribute("data-node", id)
		g.SetAttribute("data-role", "Follower")
		g.SetAttribute("tabindex", "0")
		g.SetAttribute("aria-label", say("node.label", "id", id, "role", say("role.Follower")))

		c := doc.CreateElementNS(svgNS, "circle")
		c.SetAttribute("cx", num(x))
		c.SetAttribute("cy", num(y))
		c.SetAttribute("r", num(radius))
		g.AppendChild(c)

		t := doc.CreateElementNS(svgNS, "text")
		t.SetAttribute("x", num(x))
		t.SetAttribute("y", num(y))
		t.SetAttribute("aria-hidden", "true")
		t.AppendChild(doc.CreateTextNode(id))
		g.AppendChild(t)

		svg.AppendChild(g)
		v.nodes = append(v.nodes, g)
	}
	v.root.AppendChild(svg)

	if title != "" {
		cap := doc.CreateElement("figcaption")
		cap.SetAttribute("class", "rl-caption")
		cap.AppendChild(doc.CreateTextNode(title))
		v.root.AppendChild(cap)
	}
	host.AppendChild(v.root)
	return v
}

// destroy removes what the view drew.
func (v *ringView) destroy() {
	v.root.Remove()
	v.nodes = nil
}

// num formats a coordinate with at most two decimals.
func num(f float64) string {
	return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
}
