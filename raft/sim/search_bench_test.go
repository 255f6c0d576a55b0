package sim

import (
	"slices"
	"testing"
	"time"
)

// BenchmarkSearch measures, for every switch the simulator reaches, the
// search natively over seeds 1 to 10: the median time to find a violation
// (searching only), the steps it plays per second, and the median length
// of the run found and shrunk. It is a measurement, not a test:
//
//	go test ./raft/sim -run '^$' -bench 'Search$' -benchtime 1x
//
// (site/e2e's BenchmarkSearchInChromium measures the same in the browser.)
func BenchmarkSearch(b *testing.B) {
	for _, sw := range Switches() {
		b.Run(sw.Name, func(b *testing.B) {
			var ms, steps, found, shrunk []float64
			for b.Loop() {
				ms, steps, found, shrunk = nil, nil, nil, nil
				for seed := int64(1); seed <= 10; seed++ {
					s, err := NewSearch(SearchOptions{Switch: sw.Name, Seed: seed, Nodes: searchNodes(sw), MaxSchedules: searchBudget})
					if err != nil {
						b.Fatal(err)
					}
					start := time.Now()
					for !s.Run(64) {
					}
					ms = append(ms, float64(time.Since(start).Microseconds())/1000)
					steps = append(steps, float64(s.Progress().Steps))
					f, ok := s.Found()
					if !ok {
						continue
					}
					found = append(found, float64(len(f.Actions)))
					sh := NewShrinker(f.Scenario, f.Actions, f.Violation.Property)
					sh.SetProofBudget(0)
					for !sh.Run(256) {
					}
					shrunk = append(shrunk, float64(sh.Result().After))
				}
			}
			var total, took float64
			for i := range ms {
				total, took = total+steps[i], took+ms[i]
			}
			b.ReportMetric(medianOf(ms), "ms/find")
			b.ReportMetric(total/took*1000, "steps/s")
			b.ReportMetric(float64(len(found)), "found/10")
			b.ReportMetric(medianOf(found), "found-actions")
			b.ReportMetric(medianOf(shrunk), "shrunk-actions")
		})
	}
}

func medianOf(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
