package matching

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/arena-se/arena/internal/match"
)

// TestRealConcepts: a shared concept whose words are too common ("ta",
// "fram") is no reason of a match, unless such words are all the match
// shares; without a stop list every concept is given.
func TestRealConcepts(t *testing.T) {
	dir := os.Getenv("ARENA_TEST_DATA_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	stop, err := match.ReadStopWords(dir)
	if err != nil {
		t.Fatal(err)
	}
	if stop == nil {
		stop = map[string]bool{"ta": true, "fram": true, "kommande": true} // no reference folder: the words of the case
	}
	sc := func(pairs ...string) []match.SharedConcept {
		var out []match.SharedConcept
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, match.SharedConcept{Need: pairs[i], Item: pairs[i+1]})
		}
		return out
	}
	s := &Service{ReasonStop: stop}
	for _, c := range []struct{ in, want []match.SharedConcept }{
		{sc("innovationsupphandling", "innovationsupphandling", "ta", "ta", "fram", "fram", "upphandlande", "upphandlat"),
			sc("innovationsupphandling", "innovationsupphandling", "upphandlande", "upphandlat")},
		{sc("Fram", "fram", "trygghetslarm", "larm"), sc("trygghetslarm", "larm")},
		{sc("ta", "ta", "fram", "fram"), sc("ta", "ta", "fram", "fram")}, // all it shares: kept
		{nil, nil},
	} {
		if got := s.realConcepts(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("realConcepts(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	if got := (&Service{}).realConcepts(sc("ta", "ta", "larm", "larm")); len(got) != 2 {
		t.Errorf("without a stop list: %v", got)
	}
}
