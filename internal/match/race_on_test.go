//go:build race

package match

// raceOn: the tests run under the race detector, ten times slower; the
// quality tests of the large labelled set are left to the run without it.
const raceOn = true
