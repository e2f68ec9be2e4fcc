package main

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/match/eval"
	"github.com/arena-se/arena/internal/matching"
)

// reasonsBench counts the shared concepts the matcher names as reasons on
// both labelled sets, with and without the reference folder: for each
// record's top 10 shown as matches (alike from matching.ShowMatch), how
// many concepts are named and how many of them are common words of the
// set (a word in more than one text in ten, on either side). The
// concepts are match.Explainer's, before the service leaves out the stop
// list's words.
func reasonsBench(needsPath, projectsPath, dataDir string) error {
	comp, err := match.ReadCompounds(dataDir)
	if err != nil {
		return err
	}
	fmt.Println("| set | reference folder | shown matches | concepts named per match | of them common words |")
	fmt.Println("|---|---|---|---|---|")
	for _, set := range []struct{ name, path string }{{"needs", needsPath}, {"SweCRIS", projectsPath}} {
		recs, err := eval.ReadFile(set.path)
		if err != nil {
			return err
		}
		common := commonWords(recs)
		for _, c := range []*match.Compounds{comp, nil} {
			shown, named, generic := reasonCounts(recs, match.NewAnalyzer(c), common)
			folder := "yes"
			if c == nil {
				folder = "no"
			}
			fmt.Printf("| %s | %s | %d | %.2f | %d (%.1f %%) |\n", set.name, folder, shown,
				float64(named)/float64(max(shown, 1)), generic, 100*float64(generic)/float64(max(named, 1)))
		}
	}
	return nil
}

// reasonCounts indexes recs and explains each record's shown top 10.
func reasonCounts(recs []eval.Record, an *match.Analyzer, common map[string]bool) (shown, named, generic int) {
	ix := match.RecordIndex(an, recs)
	needs := map[string]*match.Need{}
	for _, r := range recs {
		needs[r.ID] = match.RecordNeed(r)
	}
	for _, r := range recs {
		q := needs[r.ID]
		ex := ix.Explainer(q)
		for _, m := range ix.Similar(q, 10, nil) {
			if m.Pair < matching.ShowMatch {
				continue
			}
			shown++
			for _, sc := range ex.Explain(needs[m.ID], 6) {
				named++
				if common[strings.ToLower(sc.Need)] || common[strings.ToLower(sc.Item)] {
					generic++
				}
			}
		}
	}
	return shown, named, generic
}

// commonWords are the words, as written and lower-cased, in more than one
// text of ten.
func commonWords(recs []eval.Record) map[string]bool {
	df := map[string]int{}
	for _, r := range recs {
		seen := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(r.Title+" "+r.Description), func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) }) {
			if !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}
	out := map[string]bool{}
	for w, n := range df {
		if n*10 > len(recs) {
			out[w] = true
		}
	}
	return out
}
