package sim

import (
	"runtime"
	"testing"
)

// BenchmarkSoak plays clusters at the view's top speed (5 virtual ms per
// real ms, one advance per 60 Hz frame) and reports the peak of the Go heap
// in use and of the memory the runtime holds, sampled every 1,000 frames —
// under GOOS=js the latter is the WebAssembly memory. It is a measurement,
// not a pass/fail test:
//
//	go test ./raft/sim -run '^$' -bench Soak -benchtime 1x
//	GOOS=js GOARCH=wasm go test -exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec" ./raft/sim -run '^$' -bench Soak -benchtime 1x
func BenchmarkSoak(b *testing.B) {
	fast := DefaultScenario()
	fast.Nodes, fast.HeartbeatInterval, fast.ElectionTimeoutMin, fast.ElectionTimeoutMax = 9, 1, 2, 3
	for _, tc := range []struct {
		name    string
		sc      Scenario
		virtual int64 // ms
	}{
		{"playground-10min", DefaultScenario(), 10 * 60 * 1000},
		{"nine-fast-60s", fast, 60 * 5 * 1000}, // 60 s of wall time at speed 5
	} {
		b.Run(tc.name, func(b *testing.B) {
			var peakHeap, peakSys uint64
			for range b.N {
				c, err := New(tc.sc)
				if err != nil {
					b.Fatal(err)
				}
				for frame := 0; c.Now() < tc.virtual; frame++ {
					if err := c.Do(Action{Op: OpAdvance, Millis: 83}); err != nil {
						b.Fatal(err)
					}
					if frame%1000 == 0 {
						var m runtime.MemStats
						runtime.ReadMemStats(&m)
						peakHeap, peakSys = max(peakHeap, m.HeapInuse), max(peakSys, m.Sys)
					}
				}
				b.ReportMetric(float64(c.EventCount()), "events")
			}
			b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(peakSys)/(1<<20), "peak-sys-MB")
		})
	}
}
