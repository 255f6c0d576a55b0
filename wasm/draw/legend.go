package draw

// Samples for the legend: one server or one message, drawn as the ring
// draws them, in a small <svg> of its own.

// SampleNode is a server of the given role (Follower, Candidate, Leader,
// Down) with its timer arc drawn to left (0 to 1 of the circle).
func SampleNode(role string, left float64) *El { return SampleMember(role, "", left) }

// SampleMember is SampleNode for a server with a place in its
// configuration other than a voter's: member is "learner" or "outside"
// (NodeLabels.Member).
func SampleMember(role, member string, left float64) *El {
	const c, r = "32", 22.0
	svg := E("svg", "viewBox", "0 0 64 64", "class", "rl-sample", "aria-hidden", "true")
	g := E("g", "class", "rl-node", "data-role", role)
	if member != "" {
		g.Set("data-member", member)
	}
	hit := E("g", "class", "rl-hit")
	hit.Add(E("circle", "class", "rl-track", "cx", c, "cy", c, "r", Num(r+6)))
	hit.Add(E("circle", "class", "rl-timer", "cx", c, "cy", c, "r", Num(r+6), "pathLength", "100",
		"stroke-dasharray", "100 100", "stroke-dashoffset", Num(100*(1-left)), "transform", "rotate(-90 32 32)"))
	hit.Add(E("circle", "class", "rl-body", "cx", c, "cy", c, "r", Num(r)))
	hit.Add(E("circle", "class", "rl-inner", "cx", c, "cy", c, "r", Num(r-5)))
	d := r * 0.62
	hit.Add(E("line", "class", "rl-strike", "x1", Num(32-d), "y1", Num(32+d), "x2", Num(32+d), "y2", Num(32-d)))
	g.Add(hit)
	svg.Add(g)
	return svg
}

// SampleBadge is a message badge with its classes (as the view gives
// them: "rl-vote", "rl-append rl-reply rl-no", ...) and label.
func SampleBadge(class, label string, shape Shape) *El {
	svg := E("svg", "viewBox", "-26 -17 52 34", "class", "rl-sample rl-sample-badge", "aria-hidden", "true")
	g, hit, _ := Badge(shape, label)
	g.Set("class", "rl-msg "+class)
	hit.Attrs = []string{"class", "rl-hit"} // not focusable: a picture
	svg.Add(g)
	return svg
}
