package main

import (
	"math"
	"time"
)

// Latency histogram: buckets that grow by 1 %, from 1 µs to about 160 s,
// so a quantile is within 1 % of the true value and memory stays the same
// however long the run.
const (
	histMin    = time.Microsecond
	histGrowth = 1.01
	histN      = 1900
)

var logGrowth = math.Log(histGrowth)

// hist counts latencies; the zero value is ready to use. It is not safe for
// concurrent use: each worker keeps its own and they are merged at the end.
type hist struct {
	counts [histN]uint64
	n      uint64
	sum    time.Duration
	max    time.Duration
}

// bucketOf is the bucket a latency falls in: bucket i > 0 holds
// (histMin·g^(i-1), histMin·g^i], bucket 0 everything up to histMin.
func bucketOf(d time.Duration) int {
	if d <= histMin {
		return 0
	}
	i := int(math.Ceil(math.Log(float64(d)/float64(histMin)) / logGrowth))
	return min(max(i, 1), histN-1)
}

// bucketUpper is the largest latency bucket i holds.
func bucketUpper(i int) time.Duration {
	return time.Duration(float64(histMin) * math.Pow(histGrowth, float64(i)))
}

func (h *hist) record(d time.Duration) {
	h.counts[bucketOf(d)]++
	h.n++
	h.sum += d
	h.max = max(h.max, d)
}

func (h *hist) merge(o *hist) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.sum += o.sum
	h.max = max(h.max, o.max)
}

// quantile is the latency at or below which the fraction q of the samples
// fall, rounded up to its bucket's bound (never above the largest sample).
func (h *hist) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	rank = min(max(rank, 1), h.n)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return min(bucketUpper(i), h.max)
		}
	}
	return h.max
}

func (h *hist) mean() time.Duration {
	if h.n == 0 {
		return 0
	}
	return h.sum / time.Duration(h.n)
}
