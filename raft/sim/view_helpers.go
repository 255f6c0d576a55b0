package sim

import "slices"

// Helpers for the page's view and JavaScript API (wasm/): small additions
// that need the cluster's insides.

// DoAtomic applies actions in order. If one fails, the cluster is left
// exactly as it was before the call (its state, history and redo future),
// and the error names the failing action as DoAll does.
func (c *Cluster) DoAtomic(as []Action) error {
	if len(as) == 1 {
		return c.Do(as[0]) // Do changes nothing when it fails
	}
	saved := *c
	saved.w = c.w.clone()
	saved.actions, saved.counts = slices.Clone(c.actions), slices.Clone(c.counts)
	saved.cps = slices.Clone(c.cps) // checkpoint worlds are never changed in place
	if err := c.DoAll(as); err != nil {
		*c = saved
		c.out.truncate(c.w.seq)
		return err
	}
	return nil
}
