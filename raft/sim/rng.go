package sim

import "math/bits"

// rng is the run's only source of randomness: SplitMix64. Its whole state is
// one word, so a checkpoint copies it, and the same seed gives the same
// numbers natively and in WebAssembly.
type rng struct{ state uint64 }

func newRNG(seed int64) rng { return rng{state: uint64(seed)} }

func (r *rng) next() uint64 {
	r.state += 0x9e3779b97f4a7c15
	z := r.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Intn returns a number in [0, n); n must be positive.
func (r *rng) Intn(n int) int {
	// Lemire's multiply-shift; the tiny bias is irrelevant here and the
	// result is identical on every platform.
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}
