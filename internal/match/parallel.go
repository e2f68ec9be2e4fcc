package match

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// ranges cuts [0, n) into four ranges for each core (so that no core
// waits long for the last), and returns where each begins.
func ranges(n int) []int {
	k := max(1, min(4*runtime.GOMAXPROCS(0), n))
	out := make([]int, k)
	for i := range out {
		out[i] = i * n / k
	}
	return out
}

// inParallel runs fn(k, lo, hi) for each range k of [0, n), beginning at
// starts[k] (ranges), on every core.
func inParallel(starts []int, n int, fn func(k, lo, hi int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(starts)) {
		wg.Go(func() {
			for k := int(next.Add(1) - 1); k < len(starts); k = int(next.Add(1) - 1) {
				hi := n
				if k+1 < len(starts) {
					hi = starts[k+1]
				}
				fn(k, starts[k], hi)
			}
		})
	}
	wg.Wait()
}
