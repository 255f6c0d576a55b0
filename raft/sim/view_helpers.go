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
	saved.actions = slices.Clone(c.actions)
	saved.checkpoints = slices.Clone(c.checkpoints) // checkpoint worlds are never changed in place
	if err := c.DoAll(as); err != nil {
		*c = saved
		return err
	}
	return nil
}
