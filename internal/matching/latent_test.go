package matching_test

import (
	"slices"
	"strings"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

func TestStrength(t *testing.T) {
	for _, c := range []struct {
		score float64
		want  string
	}{
		{4.2, "strong"}, {matching.StrongMatch, "strong"}, {1.59, "good"}, {matching.GoodMatch, "good"},
		{1.29, "some"}, {matching.SomeMatch, "some"}, {matching.ShowMatch - 0.01, "weak"}, {0.5, "weak"}, {0, "weak"}, {-1, "weak"},
	} {
		if got := matching.Strength(c.score); got != c.want {
			t.Errorf("Strength(%v) = %q, want %q", c.score, got, c.want)
		}
	}
	// A shown match has a strength, and the broker's groups are linked by
	// shown matches only.
	if !(matching.SomeMatch == matching.ShowMatch && matching.LatentMatch == matching.ShowMatch && matching.ShowMatch < matching.GoodMatch && matching.GoodMatch < matching.StrongMatch) {
		t.Error("the thresholds are out of order")
	}
}

// latentWorld has two pairs of needs of different organisations that
// describe one need each, and needs that must stay out of every group.
func latentWorld(t *testing.T, db *store.DB) *world {
	w := newWorld(t, db)
	v := int64(2_000_000)
	alarm := "Digitala trygghetslarm med larmmottagning dygnet runt för hemtjänstens brukare, med mobila larm och GPS."
	snow := "Snöröjning och halkbekämpning av kommunens gator, gång- och cykelvägar och parkeringar under vintersäsongen."
	w.need(t, "alarm1", "falun", "Digitala trygghetslarm i hemtjänsten", alarm, arena.VisibilityPublic)
	w.needs["alarm1"].EstimatedValueSEK = &v
	if err := db.Needs.Update(w.actors["falun"], w.needs["alarm1"], w.needs["alarm1"].Version); err != nil {
		t.Fatal(err)
	}
	w.sync(t)
	w.need(t, "alarm2", "molndal", "Trygghetslarm, digitala, för hemtjänsten", alarm, arena.VisibilityPublic)
	w.need(t, "snow1", "boras", "Snöröjning och halkbekämpning", snow, arena.VisibilityPublic)
	w.need(t, "snow2", "orebro", "Vinterväghållning: snöröjning och halkbekämpning", snow, arena.VisibilityPublic)
	// Unrelated to all: in no group.
	w.need(t, "taxi", "orebro", "Skolskjuts med taxi", "Skolskjuts för elever i grundskolan med taxi och specialfordon.", arena.VisibilityPublic)
	// The same need again, but Borås already brought it to a network (as
	// an invited member): taken, in no group.
	w.need(t, "alarm3", "boras", "Trygghetslarm i hemtjänsten, digitala", alarm, arena.VisibilityPublic)
	w.network(t, &arena.Network{Name: "Larm i Sjuhärad", Kind: arena.NetworkTactical, Open: true}, arena.MemberInvited, map[string]string{"boras": "alarm3"})
	// The same need again, of an organisation already in the group, but
	// not public: in no group.
	w.need(t, "alarm4", "molndal", "Trygghetslarm i hemtjänsten, digitala, internt", alarm, arena.VisibilityOrganisation)
	return w
}

// TestLatentNetworks: the broker's latent networks are groups of public,
// free needs of different organisations, each need linked to the group by
// matches at LatentMatch or more, largest first, with the strongest pair's
// reasons and the summed value.
func TestLatentNetworks(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := latentWorld(t, db)
		groups, err := w.svc.LatentNetworks(w.actors["broker"], w.clockAt)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, g := range groups {
			var keys []string
			for _, n := range g.Needs {
				keys = append(keys, w.keyOf(n.ID))
				if n.OrgName != w.orgName(n.OrgID) {
					t.Errorf("%s: organisation %q", n.Title, n.OrgName)
				}
			}
			got = append(got, strings.Join(keys, "+"))
		}
		slices.Sort(got)
		if want := []string{"alarm1+alarm2", "snow1+snow2"}; !slices.Equal(got, want) {
			t.Fatalf("groups %v, want %v", got, want)
		}
		for _, g := range groups {
			if g.Needs[0].ID == w.needs["alarm1"].ID && g.ValueSEK != 2_000_000 {
				t.Errorf("summed value %d", g.ValueSEK)
			}
			if len(g.Reasons) == 0 || g.Reasons[0].Key != "reason.concepts" {
				t.Errorf("group %v: reasons %v", got, g.Reasons)
			}
		}
		// Each group is connected by matches at LatentMatch or more, as
		// Matches gives them to the broker.
		for _, g := range groups {
			linked := map[int64]bool{g.Needs[0].ID: true}
			for changed := true; changed; {
				changed = false
				for _, n := range g.Needs {
					res, err := w.svc.Matches(w.actors["broker"], n.ID, matching.KindNeeds, 5, w.clockAt)
					if err != nil {
						t.Fatal(err)
					}
					for _, it := range res.Items {
						if it.Score >= matching.LatentMatch && linked[it.ID] != linked[n.ID] && inGroup(g, it.ID) {
							linked[it.ID], linked[n.ID], changed = true, true, true
						}
					}
				}
			}
			for _, n := range g.Needs {
				if !linked[n.ID] {
					t.Errorf("%s is in a group it is not linked to", n.Title)
				}
			}
		}

		for who, code := range map[string]string{"falun": arena.EFORBIDDEN, "anonymous": arena.EUNAUTHORIZED} {
			if _, err := w.svc.LatentNetworks(w.actors[who], w.clockAt); arena.ErrorCode(err) != code {
				t.Errorf("%s: %v, want %s", who, err, code)
			}
		}
	})
}

func inGroup(g matching.LatentGroup, id int64) bool {
	return slices.ContainsFunc(g.Needs, func(n matching.LatentNeed) bool { return n.ID == id })
}

func (w *world) keyOf(id int64) string {
	for k, n := range w.needs {
		if n.ID == id {
			return k
		}
	}
	return "?"
}

func (w *world) orgName(id int64) string {
	for _, o := range w.orgs {
		if o.ID == id {
			return o.Name
		}
	}
	return "?"
}
