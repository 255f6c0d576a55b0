package etcdbench

import (
	"fmt"
	"runtime"
	"testing"
)

var impls = []struct {
	name  string
	build builder
}{
	{"raftlab", newOurs},
	{"etcd", newEtcd},
}

const benchEntries = 10000

// BenchmarkReplicate replicates benchEntries commands through a fresh
// cluster per iteration (elected before the timer starts), 1 or 64
// commands per proposal, and reports per delivered message: ns/msg and
// allocs/msg (heap allocations in the whole loop, harness and storage
// included); msgs/entry; and entries/s committed and applied on every
// server.
func BenchmarkReplicate(b *testing.B) {
	for _, n := range []int{3, 5} {
		for _, per := range []int{1, 64} {
			for _, impl := range impls {
				b.Run(fmt.Sprintf("N=%d/per=%d/%s", n, per, impl.name), func(b *testing.B) {
					var msgs int
					var mallocs uint64
					var ms runtime.MemStats
					for b.Loop() {
						b.StopTimer()
						c := impl.build(b, n)
						runtime.ReadMemStats(&ms)
						before := ms.Mallocs
						b.StartTimer()

						replicate(c, benchEntries, per)

						b.StopTimer()
						runtime.ReadMemStats(&ms)
						mallocs += ms.Mallocs - before
						msgs += c.delivered()
						checkApplied(b, c, n)
						b.StartTimer()
					}
					ns := float64(b.Elapsed().Nanoseconds())
					b.ReportMetric(ns/float64(msgs), "ns/msg")
					b.ReportMetric(float64(mallocs)/float64(msgs), "allocs/msg")
					b.ReportMetric(float64(msgs)/float64(b.N)/benchEntries, "msgs/entry")
					b.ReportMetric(float64(b.N)*benchEntries/b.Elapsed().Seconds(), "entries/s")
				})
			}
		}
	}
}

// TestHarnesses runs both implementations on a small load so that the
// benchmark's harnesses stay correct: every server applies every entry.
func TestHarnesses(t *testing.T) {
	for _, impl := range impls {
		for _, n := range []int{1, 3, 5} {
			for _, per := range []int{1, 7, 64} {
				t.Run(fmt.Sprintf("%s/N=%d/per=%d", impl.name, n, per), func(t *testing.T) {
					c := impl.build(t, n)
					replicate(c, 300, per)
					if got := c.lastIndex(); got < 300 {
						t.Fatalf("leader's log ends at %d", got)
					}
					checkApplied(t, c, n)
				})
			}
		}
	}
}
