package draw

import (
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRingFitsTheDrawing(t *testing.T) {
	for n := 1; n <= 9; n++ {
		r := NewRing(n)
		require.Len(t, r.Centers, n)
		for i, c := range r.Centers {
			assert.GreaterOrEqual(t, c.X-r.Reach(), 0.0, "n=%d server %d", n, i+1)
			assert.LessOrEqual(t, c.Y+r.Reach(), Size, "n=%d server %d", n, i+1)
			for j := i + 1; j < n; j++ {
				d := math.Hypot(c.X-r.Centers[j].X, c.Y-r.Centers[j].Y)
				assert.Greater(t, d, 2*r.Reach(), "n=%d: servers %d and %d overlap", n, i+1, j+1)
			}
		}
	}
}

func TestStaticIsEscapedSVG(t *testing.T) {
	var b strings.Builder
	Static(3, `a "cluster" <b>`, []string{"Leader"}, nil).WriteSVG(&b)
	s := b.String()
	assert.True(t, strings.HasPrefix(s, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 420 420" class="rl-ring" role="group" aria-label="a &quot;cluster&quot; &lt;b&gt;">`), s)
	assert.Equal(t, 3, strings.Count(s, `data-node=`))
	assert.Contains(t, s, `>S2</text>`)
	assert.Contains(t, s, `data-node="1" data-role="Leader"`)
	assert.Contains(t, s, `data-node="2" data-role="Follower"`)
	assert.NotContains(t, s, "tabindex")
}

type rect struct{ x, y, w, h float64 }

func overlaps(a, b rect) bool {
	return math.Abs(a.x-b.x) < a.w+b.w && math.Abs(a.y-b.y) < a.h+b.h
}

// Messages in flight never cover one another or a server, for the
// message loads of the chapters: every link busy both ways, several
// messages on one lane, all of them just sent.
func TestMessagesDoNotOverlap(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	cases := []struct {
		name string
		n    int
		msgs func() []Msg
	}{
		{"3 servers, every link both ways, just sent", 3, func() []Msg { return allLinks(3, 0, false) }},
		{"5 servers, a leader's AppendEntries and the replies", 5, func() []Msg {
			var ms []Msg
			for to := 2; to <= 5; to++ {
				ms = append(ms, Msg{ID: len(ms) + 1, From: 1, To: to})
				ms = append(ms, Msg{ID: len(ms) + 1, From: to, To: 1, F: 0.5})
			}
			return ms
		}},
		{"5 servers, every link both ways, just sent", 5, func() []Msg { return allLinks(5, 0, true) }},
		{"5 servers, two elections at once", 5, func() []Msg {
			ms := allLinks(5, 0, true)
			return append(ms, allLinks(5, 0.3, true)[:8]...)
		}},
		{"5 servers, random", 5, func() []Msg {
			var ms []Msg
			for i := 0; i < 14; i++ {
				a := rng.Intn(5) + 1
				b := (a+rng.Intn(4))%5 + 1
				ms = append(ms, Msg{ID: i + 1, From: a, To: b, F: rng.Float64(), Vote: rng.Intn(2) == 0})
			}
			return ms
		}},
	}
	for _, c := range cases {
		for rep := 0; rep < 5; rep++ {
			r := NewRing(c.n)
			ms := c.msgs()
			for k := range ms {
				ms[k].ID = k + 1
			}
			ps := r.Place(ms)
			var boxes []rect
			for i, p := range ps {
				w, h := ms[i].half()
				b := rect{p.X, p.Y, w, h}
				for j, o := range boxes {
					assert.False(t, overlaps(b, o), "%s: message %d covers message %d", c.name, i+1, j+1)
				}
				for s, ctr := range r.Centers {
					dx := math.Max(math.Abs(p.X-ctr.X)-w, 0)
					dy := math.Max(math.Abs(p.Y-ctr.Y)-h, 0)
					assert.GreaterOrEqual(t, math.Hypot(dx, dy), r.NodeR, "%s: message %d covers server %d", c.name, i+1, s+1)
				}
				boxes = append(boxes, b)
			}
		}
	}
}

func allLinks(n int, f float64, vote bool) []Msg {
	var ms []Msg
	for a := 1; a <= n; a++ {
		for b := 1; b <= n; b++ {
			if a != b {
				ms = append(ms, Msg{ID: len(ms) + 1, From: a, To: b, F: f, Vote: vote})
			}
		}
	}
	return ms
}
