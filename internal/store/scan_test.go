package store

import (
	"encoding/json"
	"slices"
	"testing"
)

// TestStringList holds the fast reading of stored string lists to
// encoding/json: the same list where it reads one, and no answer where
// json.Unmarshal must read it.
func TestStringList(t *testing.T) {
	for _, xs := range [][]string{{}, {"48000000-8"}, {"a", "b", "c"}, {"vård och omsorg", ""}, {`say "hi"`}, {`back\slash`}, {"<&>"}, {"tab\there"}} {
		b, _ := json.Marshal(xs)
		var want []string
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		got, ok := stringList(string(b))
		if ok && !slices.Equal(got, want) {
			t.Errorf("stringList(%s) = %q, want %q", b, got, want)
		}
		if !ok && !slices.ContainsFunc([]byte(b), func(c byte) bool { return c == '\\' }) {
			t.Errorf("stringList(%s) gave up on a list without escapes", b)
		}
	}
	for _, s := range []string{"", "[", `["a"`, `["a",]`, `["a" ,"b"]`, `[1]`, `{"a":1}`, `["a"]x`, `[ "a" ]`, `["a"]]`} {
		if got, ok := stringList(s); ok {
			var want []string
			if err := json.Unmarshal([]byte(s), &want); err != nil || !slices.Equal(got, want) {
				t.Errorf("stringList(%q) = %q, %v; json.Unmarshal gives %q, %v", s, got, ok, want, err)
			}
		}
	}
}
