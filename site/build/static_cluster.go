package build

import (
	"html/template"
	"strings"

	"raftlab/raft/sim"
	"raftlab/raft/words"
	"raftlab/wasm/draw"
)

// StaticCluster is the first frame of a cluster, written into a page so
// that the servers show before the module has loaded: the ring drawn by
// the view's own geometry and words (raftlab/wasm/draw) in the scenario's
// starting state — servers, roles, terms and votes, in the words of t. The view replaces it when the
// module runs (it empties the element it mounts into). It is hidden from
// screen readers, which hear the page's loading status instead.
func StaticCluster(sc sim.Scenario, t *words.Table) template.HTML {
	n := sc.Nodes
	var roles []string
	var labels []draw.NodeLabels
	if c, err := sim.New(sc); err == nil {
		st := c.State()
		n = len(st.Nodes)
		for i := range st.Nodes {
			ns := &st.Nodes[i]
			r := ns.Role.String()
			if !ns.Up {
				r = "Down"
			}
			roles = append(roles, r)
			labels = append(labels, draw.NodeWords(t.Say, ns))
		}
	}
	svg := draw.Static(n, "", roles, labels)
	var b strings.Builder
	b.WriteString(`<figure class="rl-cluster rl-static" aria-hidden="true"><div class="rl-main"><div class="rl-stage">`)
	svg.WriteSVG(&b)
	b.WriteString(`</div></div></figure>`)
	return template.HTML(b.String()) // built from escaped parts only (draw.El.WriteSVG)
}
