package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/match/eval"
	"github.com/arena-se/arena/internal/refdata"
)

// longword times what one long input costs: the analyser, CPV suggestion
// (with the dev set's needs voting, as the product does), a need match
// (ranking and reasons, as GET /needs/{id}/matches) and a collection of the
// dev set's texts with one more item (as matches?kind=networks after a
// network's description changed), for one word of each length and for a
// text of ordinary words of each length; the median of three runs. Each
// long word is new (random letters), so no cache answers for it.
func longword(ctx context.Context, needsPath, dataDir, lengths string) error {
	recs, err := eval.ReadFile(needsPath)
	if err != nil {
		return err
	}
	set, _, err := refdata.ReadDir(dataDir)
	if err != nil {
		return err
	}
	comp, err := match.ReadCompounds(dataDir)
	if err != nil {
		return err
	}
	an := match.NewAnalyzer(comp)
	ix := match.RecordIndex(an, recs)
	byID := map[string]*match.Need{}
	items := make([]match.Item, 0, len(recs)+1)
	var prose strings.Builder
	for _, r := range recs {
		byID[r.ID] = match.RecordNeed(r)
		items = append(items, match.Item{ID: r.ID, Title: r.Title, Body: r.Description})
		prose.WriteString(r.Title + ". " + r.Description + "\n")
	}
	sug := match.NewCPVSuggester(an, set.CPV)
	bg, err := match.ReadBackground(dataDir, an)
	if err != nil {
		return err
	}
	sug.SetBackground(bg)
	query := match.RecordNeed(recs[0])

	rng := rand.New(rand.NewPCG(1, 2))
	letters := []rune("abcdefghijklmnopqrstuvwxyzåäö")
	word := func(n int) string {
		b := make([]rune, n)
		for i := range b {
			b[i] = letters[rng.IntN(len(letters))]
		}
		return string(b)
	}
	words := []rune(prose.String())
	text := func(n int) string {
		t := make([]rune, 0, n)
		for len(t) < n {
			t = append(t, words[:min(len(words), n-len(t))]...)
		}
		return string(t)
	}
	needMatch := func(title, desc string) error {
		q := &match.Need{ID: "q", Org: "q", Title: title, Description: desc}
		ms, err := ix.SimilarContext(ctx, q, 10, nil)
		for _, m := range ms {
			ix.Explain(q, byID[m.ID], 6)
		}
		return err
	}
	suggest := func(title, desc string) error {
		_, err := sug.Suggest(ctx, title, desc, ix, "", "q", nil, 8)
		return err
	}
	cases := []struct {
		name string
		run  func(s string) error
	}{
		{"analyser", func(s string) error { an.Tokens(s); return nil }},
		{"cpv (title)", func(s string) error { return suggest(s, "") }},
		{"cpv (desc.)", func(s string) error { return suggest("Gatubelysning", s) }},
		{"need match", func(s string) error { return needMatch("Gatubelysning", s) }},
		{"networks", func(s string) error {
			c, err := match.NewCollection(ctx, an, append(items[:len(items):len(items)], match.Item{ID: "long", Title: "Nätverk", Body: s}))
			if err != nil {
				return err
			}
			_, err = c.Rank(ctx, query, 10, match.DefaultMinItemScore, nil)
			return err
		}},
	}
	fmt.Printf("milliseconds per request (median of 3); one word of random letters, then a text of the dev set's words\n")
	fmt.Printf("%-8s %-6s", "chars", "input")
	for _, c := range cases {
		fmt.Printf(" %12s", c.name)
	}
	fmt.Println()
	for _, l := range strings.Split(lengths, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(l))
		if err != nil {
			return err
		}
		for _, input := range []struct {
			name string
			make func(int) string
		}{{"word", word}, {"text", text}} {
			fmt.Printf("%-8d %-6s", n, input.name)
			for _, c := range cases {
				var took []time.Duration
				for range 3 {
					s := input.make(n)
					t0 := time.Now()
					if err := c.run(s); err != nil {
						return err
					}
					took = append(took, time.Since(t0))
				}
				fmt.Printf(" %12.1f", float64(pct(took, 50).Microseconds())/1000)
			}
			fmt.Println()
		}
	}
	return nil
}
