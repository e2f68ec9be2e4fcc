package matching_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/refdata"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// oneWord is a single word of n letters, the same for the same n and
// prefix of a longer one: before words were cut, splitting it took time
// growing with the square of n.
func oneWord(n int) string {
	rng := rand.New(rand.NewPCG(9, 9))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + rng.IntN(26))
	}
	return string(b)
}

// TestLongWordInANetworkCountsAsItsCap: a network whose description is one
// word as long as a description may be ranks exactly as the same network
// whose word is cut at the analyser's limit: the words past it are never
// read, so the collection of networks costs what ordinary ones cost.
func TestLongWordInANetworkCountsAsItsCap(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		q := w.need(t, "q", "falun", "Trygghetslarm för äldre", "Digitala trygghetslarm i hemtjänsten.", arena.VisibilityPublic)
		for _, desc := range []string{oneWord(arena.NeedDescriptionMax), oneWord(48)} {
			w.network(t, &arena.Network{Name: "Nätverk för trygghetslarm", Kind: arena.NetworkStrategic, Open: true, Description: desc}, arena.MemberActive, nil)
		}
		res, err := w.svc.Matches(w.actors["falun"], q.ID, matching.KindNetworks, 10, w.clockAt)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Items) != 2 || res.Items[0].Score != res.Items[1].Score || titles(res.Items[:1]) != titles(res.Items[1:]) {
			t.Fatalf("a network of one long word ranks unlike the same network cut at 48 letters: %+v", res.Items)
		}
	})
}

// TestServiceStopsWhenTheCallerGoes: every service function answers the
// context's error, and does no more work, once its caller has gone.
func TestServiceStopsWhenTheCallerGoes(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		if err := db.LoadReference(context.Background(), &refdata.Set{CPV: testCPV}); err != nil {
			t.Fatal(err)
		}
		q := w.need(t, "q", "falun", "Trygghetslarm för äldre", "Digitala trygghetslarm i hemtjänsten.", arena.VisibilityPublic)
		w.need(t, "other", "molndal", "Digitala trygghetslarm", "Trygghetslarm för äldre i hemtjänsten.", arena.VisibilityPublic)
		n := w.network(t, &arena.Network{Name: "Nätverk för trygghetslarm", Kind: arena.NetworkStrategic, Open: true}, arena.MemberActive, map[string]string{"falun": "q"})
		call := &arena.FundingCall{Title: "Trygghetslarm för äldre", Description: "Stöd till digitala trygghetslarm."}
		w.call(t, call)
		gone := func(actor string) context.Context {
			ctx, cancel := context.WithCancel(w.actors[actor])
			cancel()
			return ctx
		}
		for name, run := range map[string]func() error{
			"Matches, needs": func() error {
				_, err := w.svc.Matches(gone("falun"), q.ID, matching.KindNeeds, 10, w.clockAt)
				return err
			},
			"Matches, networks": func() error {
				_, err := w.svc.Matches(gone("falun"), q.ID, matching.KindNetworks, 10, w.clockAt)
				return err
			},
			"SuggestCPV": func() error {
				_, err := w.svc.SuggestCPV(gone("falun"), "Trygghetslarm", "", 0, 5)
				return err
			},
			"CallFits": func() error {
				_, err := w.svc.CallFits(gone("falun"), call.ID, w.clockAt)
				return err
			},
			"LatentNetworks": func() error {
				_, err := w.svc.LatentNetworks(gone("broker"), w.clockAt)
				return err
			},
			"NetworkCallFits": func() error {
				members := []arena.NetworkMember{{NetworkID: n.ID, OrgID: w.orgs["falun"].ID, Status: arena.MemberActive}}
				_, err := w.svc.NetworkCallFits(gone("falun"), n, members, []*arena.FundingCall{call}, arena.DateOf(w.clockAt))
				return err
			},
			"Sync": func() error { return w.svc.Sync(gone("broker")) },
		} {
			if err := run(); !errors.Is(err, context.Canceled) {
				t.Errorf("%s for a caller gone: %v, want %v", name, err, context.Canceled)
			}
		}
	})
}
