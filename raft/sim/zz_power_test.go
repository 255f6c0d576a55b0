package sim

import (
	"testing"

	"raftlab/raft"
)

func TestLeasePowerTmp(t *testing.T) {
	found := 0
	for i := 0; i < 500; i++ {
		opt := RandomOptions{Nodes: 3 + 2*(i%3), Seed: int64(i + 1), Actions: 500, Leases: true, Unsafe: raft.UnsafeRules{LeaseReadWithoutLease: true}}
		c, _ := RandomRun(opt)
		if len(c.Violations()) > 0 {
			found++
			if found == 1 {
				t.Logf("seed %d: %s", opt.Seed, English.ViolationText(c.Violations()[0]))
			}
		}
	}
	t.Logf("found in %d of 500", found)
}
