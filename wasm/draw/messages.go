package draw

import (
	"cmp"
	"math"
	"slices"
)

// Message badges: a circle for RequestVote and its reply, a rounded
// rectangle for AppendEntries and its reply.
const (
	VoteBadgeR   = 15.0
	AppendBadgeW = 46.0
	AppendBadgeH = 24.0
	// crowded is the number of messages in flight above which they are put
	// where their trip says, without moving them apart: at that many (a
	// large cluster playing fast) they cross too quickly to read anyway.
	crowded = 64
)

// Msg is a message in flight, as the drawing needs it.
type Msg struct {
	ID       int
	From, To int     // servers, 1-based
	F        float64 // the part of its trip done, 0 to 1
	Vote     bool    // RequestVote or its reply: a round badge
}

func (m Msg) half() (w, h float64) {
	if m.Vote {
		return VoteBadgeR, VoteBadgeR
	}
	return AppendBadgeW / 2, AppendBadgeH / 2
}

// Lane is where the messages of one directed link travel: from A to B
// along U, shifted sideways along P (to the right of the direction of
// travel, so the two directions of a link use two lanes).
type Lane struct {
	A, B       Point
	U, P       Point
	Start, End float64 // along U from A: where a badge's centre may go
	Side       float64 // the sideways shift of a badge's centre
}

// Lane returns the lane from server a to server b for a badge of half
// width w and half height h.
func (r Ring) Lane(a, b int, w, h float64) Lane {
	pa, pb := r.Centers[a-1], r.Centers[b-1]
	dx, dy := pb.X-pa.X, pb.Y-pa.Y
	d := math.Hypot(dx, dy)
	l := Lane{A: pa, B: pb}
	if d == 0 {
		return l
	}
	l.U = Point{dx / d, dy / d}
	l.P = Point{-l.U.Y, l.U.X}
	along := math.Abs(l.U.X)*w + math.Abs(l.U.Y)*h // the badge's reach along U
	side := math.Abs(l.P.X)*w + math.Abs(l.P.Y)*h  // and sideways
	l.Side = side + 2
	l.Start = r.Reach() + along + 1
	l.End = d - r.Reach() - along - 1
	if l.End < l.Start {
		l.Start, l.End = d/2, d/2
	}
	return l
}

// At is the point of the lane at distance along from A, shifted sideways
// by side.
func (l Lane) At(along, side float64) Point {
	return Point{l.A.X + l.U.X*along + l.P.X*side, l.A.Y + l.U.Y*along + l.P.Y*side}
}

// Place returns where to draw each message (the centre of its badge), in
// the order given. A message goes on its link's lane at the part of its
// trip done; where that would cover a message already placed or a
// server, it slides along its lane to the nearest free place, then, if
// the lane is full, moves out sideways. Older messages (lower ids) are
// placed first, so a new message never moves an old one.
func (r Ring) Place(msgs []Msg) []Point {
	out := make([]Point, len(msgs))
	order := make([]int, len(msgs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(msgs[a].ID, msgs[b].ID) })
	type box struct{ x, y, w, h float64 }
	placed := make([]box, 0, len(msgs))
	free := func(p Point, w, h float64) bool {
		for _, b := range placed {
			if math.Abs(p.X-b.x) < w+b.w+3 && math.Abs(p.Y-b.y) < h+b.h+3 {
				return false
			}
		}
		for _, c := range r.Centers {
			dx := math.Max(math.Abs(p.X-c.X)-w, 0)
			dy := math.Max(math.Abs(p.Y-c.Y)-h, 0)
			if dx*dx+dy*dy < r.Reach()*r.Reach() {
				return false
			}
		}
		return p.X-w >= 0 && p.Y-h >= 0 && p.X+w <= Size && p.Y+h <= Size
	}
	for _, i := range order {
		m := msgs[i]
		w, h := m.half()
		if m.From < 1 || m.To < 1 || m.From > r.N || m.To > r.N || m.From == m.To {
			continue
		}
		l := r.Lane(m.From, m.To, w, h)
		want := l.Start + math.Max(0, math.Min(1, m.F))*(l.End-l.Start)
		p := l.At(want, l.Side)
		if len(msgs) <= crowded && !free(p, w, h) {
			p = r.slide(l, want, w, h, free)
		}
		out[i] = p
		placed = append(placed, box{p.X, p.Y, w, h})
	}
	return out
}

// slide finds the free place nearest to want on the lane, then on lanes
// further out to the side, then anywhere near; failing all, it keeps want.
func (r Ring) slide(l Lane, want, w, h float64, free func(Point, float64, float64) bool) Point {
	const step = 4.0
	for k := 0; k < 4; k++ {
		side := l.Side + float64(k)*(2*l.Side+2)
		for d := 0.0; want-d >= l.Start || want+d <= l.End; d += step {
			for _, a := range [2]float64{want + d, want - d} {
				if a < l.Start || a > l.End {
					continue
				}
				if p := l.At(a, side); free(p, w, h) {
					return p
				}
			}
		}
	}
	c := l.At(want, l.Side)
	for rad := step; rad <= 120; rad += step {
		for k := 0; k < 16; k++ {
			a := 2 * math.Pi * float64(k) / 16
			if p := (Point{c.X + rad*math.Cos(a), c.Y + rad*math.Sin(a)}); free(p, w, h) {
				return p
			}
		}
	}
	return c
}

// Shape is a message badge's shape.
type Shape uint8

const (
	ShapeSquare   Shape = iota // AppendEntries and the like: a rounded rectangle
	ShapeRound                 // the vote family: a circle
	ShapeSnapshot              // InstallSnapshot and its reply: a rectangle with a second one inside
	Shapes
)

// Badge draws a message's badge at the origin (the view moves it): G holds
// Hit, the shape that takes the focus and the clicks, and the label
// beside it. A snapshot's badge is as large as a square one, with an inner
// frame, so that it differs by shape as well as by colour.
func Badge(shape Shape, label string) (g, hit, text *El) {
	g = E("g")
	hit = E("g", "class", "rl-hit", "tabindex", "0", "role", "button")
	rect := func(class string, inset float64) {
		hit.Add(E("rect", "class", class, "x", Num(-AppendBadgeW/2+inset), "y", Num(-AppendBadgeH/2+inset),
			"width", Num(AppendBadgeW-2*inset), "height", Num(AppendBadgeH-2*inset), "rx", "4"))
	}
	switch shape {
	case ShapeRound:
		hit.Add(E("circle", "class", "rl-shape", "r", Num(VoteBadgeR)))
	case ShapeSnapshot:
		rect("rl-shape", 0)
		rect("rl-frame", 3)
	default:
		rect("rl-shape", 0)
	}
	g.Add(hit)
	text = E("text", "aria-hidden", "true")
	text.Text = label
	g.Add(text)
	return g, hit, text
}
