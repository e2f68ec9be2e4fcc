package matching

// How alike two needs are. A need-to-need score is the matcher's weighted
// features (match.DefaultWeights) plus the neighbourhood support: needs that
// describe one underlying need in other words score about 2; needs that
// share only a CPV class, a kind of organisation or an everyday word score
// below 1. The API, the pages and the broker's view read these thresholds
// from here, so they agree on what a match is.
const (
	// StrongMatch: the needs describe the same need.
	StrongMatch = 1.5
	// GoodMatch: alike enough to tell the buyer (the start page's news).
	GoodMatch = 1.0
	// SomeMatch: they share part of what they are about.
	SomeMatch = 0.5
	// LatentMatch: from here two needs of different organisations count
	// as one underlying need that could become a network (LatentNetworks).
	LatentMatch = 1.2
)

// Strength says in a word how alike two needs with this score are:
// "strong", "good", "some" or "weak" (the catalogue's
// match.strength.<word>).
func Strength(score float64) string {
	switch {
	case score >= StrongMatch:
		return "strong"
	case score >= GoodMatch:
		return "good"
	case score >= SomeMatch:
		return "some"
	}
	return "weak"
}
