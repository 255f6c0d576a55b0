//go:build !js

package e2e

// The soak benchmark (issue 8): the module's memory while clusters play for
// a long time, sampled from the WebAssembly memory (which only grows, so a
// sample is the peak so far). It reports figures and checks nothing; it
// runs only when asked:
//
//	RAFTLAB_SOAK=1 go test ./site/e2e -run Soak -v -timeout 10m
//
// The two runs: the default playground playing at top speed (5 virtual ms
// per ms) for 10 virtual minutes, and nine servers with a 1 ms heartbeat
// and a 2-3 ms election timeout playing at speed 5 for 60 s of wall time.

import (
	"net/url"
	"os"
	"testing"
	"time"
)

func TestSoak(t *testing.T) {
	if os.Getenv("RAFTLAB_SOAK") != "1" {
		t.Skip("the soak benchmark runs with RAFTLAB_SOAK=1")
	}
	runs := []struct {
		name    string
		query   string
		virtual int64         // stop when the cluster's time reaches this, or
		wall    time.Duration // after this long
	}{
		{"the default playground at top speed, 10 virtual minutes", "?speed=5", 600000, 4 * time.Minute},
		{"9 servers, heartbeat 1, election timeout 2-3, speed 5, 60 s", "?speed=5&scenario=" +
			url.QueryEscape("nodes: 9\nheartbeat: 1\nelection-timeout: 2-3\n"), 0, time.Minute},
	}
	base := ServeSite(t)
	for _, run := range runs {
		ctx := StartBrowser(t)
		Navigate(t, ctx, base+"/playground.html"+run.query)
		WaitReady(t, ctx)
		Eval(t, ctx, `(raftlabLoader.handles[0].play(), 0)`, nil)
		start := time.Now()
		var peak, first int64
		var sample struct {
			Memory int64   `json:"memory"`
			Time   int64   `json:"time"`
			Events int     `json:"events"`
			Dead   *string `json:"dead"`
		}
		for {
			time.Sleep(time.Second)
			if err := EvalErr(ctx, `(() => { const d = __raftlabBridge.dead(); let s = {time: -1, events: -1};
				try { s = raftlabLoader.handles[0].state(); } catch (e) {}
				return {memory: raftlabLoader.memoryBytes(), time: s.time, events: s.events, dead: d}; })()`, &sample); err != nil {
				t.Fatalf("%s: sampling: %v", run.name, err)
			}
			if first == 0 {
				first = sample.Memory
			}
			peak = max(peak, sample.Memory)
			elapsed := time.Since(start)
			if sample.Dead != nil {
				t.Logf("%s: the runtime DIED after %.0f s of wall time (virtual time %d ms): %s", run.name, elapsed.Seconds(), sample.Time, *sample.Dead)
				break
			}
			if (run.virtual > 0 && sample.Time >= run.virtual) || elapsed >= run.wall {
				break
			}
		}
		t.Logf("%s: %.0f s of wall time, virtual time %d ms, %d events in history; wasm memory %.1f MB after 1 s, peak %.1f MB",
			run.name, time.Since(start).Seconds(), sample.Time, sample.Events, float64(first)/(1<<20), float64(peak)/(1<<20))
	}
}
