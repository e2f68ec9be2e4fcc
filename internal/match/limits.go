package match

import arena "github.com/arena-se/arena"

// Bounds on the work one input can cause, whatever the store let through:
// the analyser cuts every word at maxWordRunes, and the matcher and the CPV
// suggester read at most these many runes of each text, so analysing,
// ranking and suggesting for one need or item costs at most a constant,
// and below the caps the work grows linearly with the text.
const (
	maxWordRunes  = 48                       // real Swedish compounds stop at 30–40 letters: 48 keeps them whole
	maxTitleRunes = arena.NeedTitleMax       // titles, names, sectors and each tag, as a need's title
	maxTextRunes  = arena.NeedDescriptionMax // descriptions and item bodies, as a need's description
	maxItemTags   = arena.ListMax            // tags of an item read: as many as a list of the domain holds
)

// clip returns the first n runes of s, reading no further.
func clip(s string, n int) string {
	if len(s) <= n { // no more bytes than n, so no more runes
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
