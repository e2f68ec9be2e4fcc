package matching

// How alike two needs are, judged on the pair's own score (match.Match.Pair,
// Item.Alike): the matcher's weighted features, before the neighbourhood's
// support, which orders the list but lifts unrelated needs when the
// query's neighbours are alike, and depends on what else the index holds
// (the same two needs score 2.4 to 5.4 with it in indexes of 2 to 6 needs,
// 2.3 to 2.6 without). The thresholds are calibrated on both labelled sets
// at once, the needs (../shared/eval/needs.jsonl) and the SweCRIS research
// projects (projects-swecris.jsonl), with and without the reference
// folder: `arena-bench threshold` prints, for every score, the share of the
// top 10 above it that is relevant and the share of the relevant it keeps,
// and picks them by rule (docs/benchmarks.md). The API, the pages, the
// notifications and the broker's view read them from here, so they agree
// on what a match is.
const (
	// ShowMatch: below it a need is not shown as a match at all ("no
	// similar needs yet" rather than noise). It is the score where the F1
	// of precision and kept, averaged over both sets with and without the
	// reference folder, is highest.
	ShowMatch = 0.8
	// SomeMatch: they share part of what they are about (shown).
	SomeMatch = ShowMatch
	// GoodMatch: alike enough to tell the buyer without their asking (a
	// notification): the lowest score from which 85 % of the needs shown
	// are relevant, with and without the reference folder on average.
	GoodMatch = 1.3
	// StrongMatch: the needs describe the same need: the lowest score from
	// which 90 % are relevant.
	StrongMatch = 1.6
	// LatentMatch: from here two needs of different organisations count
	// as one underlying need that could become a network (LatentNetworks):
	// the same threshold as a shown match, so the broker's groups hold no
	// need the need's own page would not show.
	LatentMatch = ShowMatch
)

// Strength says in a word how alike two needs with this score are:
// "strong", "good", "some" or, below a shown match, "weak" (the
// catalogue's match.strength.<word>).
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
