package matching_test

import (
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// TestNothingMatchesNoise: the demo's needs, as written. Falun's and
// Mölndal's trygghetslarm are shown to each other, good enough to be told
// of; the fire-hydrant sensors, the biobank and the food waste are shown
// to nobody, although the sensors' nearest needs (the two alarms) lift
// them high in the ranking; a need like no other shows nothing ("no
// similar needs yet"), and the broker's latent networks hold the alarms
// only.
func TestNothingMatchesNoise(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		pub := arena.VisibilityPublic
		w.need(t, "falun", "falun", "Trygghetslarm med digital larmkedja för hemtjänsten", "Vi behöver trygghetslarm för ca 1 200 brukare i ordinärt boende som fungerar i en helt digital larmkedja, med larmmottagning dygnet runt och uppföljning av åtgärdstider. Effekten vi söker är ökad trygghet för äldre som bor hemma.", pub, "35121700")
		w.need(t, "molndal", "molndal", "Digitala larm för trygghet i hemmet", "Mölndal vill pröva ny teknik som skapar trygghet för personer med hemtjänst: larm som fungerar även utanför bostaden, rörelsesensorer och tillsyn på natten utan att störa. Vi vill gärna samverka med andra kommuner i en gemensam marknadsdialog.", pub)
		w.need(t, "hydrant", "boras", "Sensorer på brandposter för att upptäcka obehörigt uttag", "Vi vill veta när och var någon tar vatten ur brandposterna, för att minska svinn och risk för föroreningar i ledningsnätet. Lösningen ska larma i realtid och tåla vinterförhållanden.", pub)
		w.need(t, "biobank", "orebro", "Automatiserad hantering av prover i biobank", "Regionen behöver minska manuell hantering av prover i biobanken och korta ledtiderna mellan provtagning och analys. Vi söker lösningar som kan integreras med befintliga laboratoriesystem.", pub)
		w.need(t, "waste", "orebro", "Minska matsvinn i skolköken", "Vi vill mäta och minska matsvinnet i skolköken och få stöd för att planera portioner efter hur många elever som äter.", pub)

		shown := func(key string) map[string]matching.Item {
			res, err := w.svc.Matches(w.actors["broker"], w.needs[key].ID, matching.KindNeeds, 10, w.clockAt)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]matching.Item{}
			for _, it := range res.Items {
				out[w.keyOf(it.ID)] = it
			}
			return out
		}
		for _, pair := range [][2]string{{"falun", "molndal"}, {"molndal", "falun"}} {
			it, ok := shown(pair[0])[pair[1]]
			if !ok || it.Alike < matching.GoodMatch || it.Strength == "weak" || it.Strength == "some" {
				t.Errorf("%s → %s: %+v (shown %v), want a good match", pair[0], pair[1], it, ok)
			}
		}
		for _, key := range []string{"hydrant", "biobank", "waste"} {
			if got := shown(key); len(got) != 0 {
				t.Errorf("%s shows %s", key, titles(mapItems(got)))
			}
			for _, other := range []string{"falun", "molndal"} {
				if it, ok := shown(other)[key]; ok {
					t.Errorf("%s shows %s: %+v", other, key, it)
				}
			}
		}
		groups, err := w.svc.LatentNetworks(w.actors["broker"], w.clockAt)
		if err != nil {
			t.Fatal(err)
		}
		if len(groups) != 1 || len(groups[0].Needs) != 2 {
			t.Fatalf("latent networks %+v; want the two alarms only", groups)
		}
		for _, n := range groups[0].Needs {
			if k := w.keyOf(n.ID); k != "falun" && k != "molndal" {
				t.Errorf("latent network holds %s", k)
			}
		}
	})
}

func mapItems(m map[string]matching.Item) []matching.Item {
	var out []matching.Item
	for _, it := range m {
		out = append(out, it)
	}
	return out
}
