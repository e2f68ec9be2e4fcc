package arena

import (
	"testing"
)

func TestWatchValidate(t *testing.T) {
	ok := func() *Watch {
		return &Watch{Name: " Byggen i Dalarna ", Target: WatchNeeds, Filters: map[string]string{"cpv": "45000000", "lan": " 20 ", "q": "  "}}
	}
	w := ok()
	if err := w.Validate(); err != nil {
		t.Fatal(err)
	}
	if w.Name != "Byggen i Dalarna" || len(w.Filters) != 2 || w.Filters["lan"] != "20" {
		t.Errorf("normalised = %+v; want the name trimmed, lan trimmed and the empty q dropped", w)
	}
	for _, c := range []struct {
		name  string
		edit  func(*Watch)
		field string
	}{
		{"no name", func(w *Watch) { w.Name = " " }, "name"},
		{"long name", func(w *Watch) { w.Name = string(make([]rune, NameMax+1)) }, "name"},
		{"unknown target", func(w *Watch) { w.Target = "experts" }, "target"},
		{"no target", func(w *Watch) { w.Target = "" }, "target"},
		{"a filter of another register", func(w *Watch) { w.Filters["theme"] = "x" }, "filters"},
		{"an unknown filter", func(w *Watch) { w.Filters["colour"] = "red" }, "filters"},
		{"NUL in a value", func(w *Watch) { w.Filters["q"] = "a\x00b" }, "q"},
		{"invalid UTF-8", func(w *Watch) { w.Filters["q"] = "\xff" }, "q"},
		{"long value", func(w *Watch) { w.Filters["q"] = string(make([]byte, ShortTextMax+1)) }, "q"},
	} {
		w := ok()
		c.edit(w)
		err := w.Validate()
		if ErrorCode(err) != EINVALID || ErrorField(err) != c.field {
			t.Errorf("%s: %v; want EINVALID on %q", c.name, err, c.field)
		}
	}
	for target, names := range WatchFilters {
		if !target.Valid() || len(names) == 0 || names[0] != "q" {
			t.Errorf("target %q: filters %v; every register is searched by words (q)", target, names)
		}
	}
}

func TestWatchRules(t *testing.T) {
	anna, olle := falunMember, molndalAdmin // users 12 and 21, of organisations 1 and 2
	mine := &Watch{Meta: Meta{ID: 7}, UserID: 12, Name: "x", Target: WatchNeeds}

	if !CanSeeWatch(anna, mine) || CanSeeWatch(olle, mine) || CanSeeWatch(broker, mine) || CanSeeWatch(nil, mine) || !CanSeeWatch(SystemActor(), mine) {
		t.Error("a watch is seen by its keeper and the platform alone (not a broker)")
	}
	if err := CanChangeWatch(anna, nil, &Watch{}, WatchesMax-1); err != nil {
		t.Errorf("anna's %dth watch: %v", WatchesMax, err)
	}
	wantErr(t, "one watch too many", CanChangeWatch(anna, nil, &Watch{}, WatchesMax), EINVALID, "name")
	wantErr(t, "anonymous", CanChangeWatch(anonymous, nil, &Watch{}, 0), EUNAUTHORIZED, "")
	wantErr(t, "another's watch", CanChangeWatch(olle, mine, mine, 0), EFORBIDDEN, "")
	wantErr(t, "a broker and another's watch", CanChangeWatch(broker, mine, nil, 0), EFORBIDDEN, "")
	if err := CanChangeWatch(anna, mine, nil, 0); err != nil {
		t.Errorf("anna deletes her own: %v", err)
	}
	v := &Watch{UserID: 21}
	StampWatch(anna, mine, v)
	if v.UserID != 12 {
		t.Errorf("an update moved the watch to user %d", v.UserID)
	}
	v = &Watch{UserID: 21}
	StampWatch(anna, nil, v)
	if v.UserID != 12 {
		t.Errorf("a new watch is kept by user %d; want its maker", v.UserID)
	}

	need := &Need{OrgID: 2}
	if !NotifyOfWatch(anna, mine, true, need) {
		t.Error("anna's watch catches olle's listed need")
	}
	for name, ok := range map[string]bool{
		"not listed":           NotifyOfWatch(anna, mine, false, need),
		"another's watch":      NotifyOfWatch(olle, mine, true, &Need{OrgID: 1}),
		"the keeper's own org": NotifyOfWatch(anna, mine, true, &Need{OrgID: 1}),
		"paused":               NotifyOfWatch(anna, &Watch{UserID: 12, Paused: true}, true, need),
		"the platform":         NotifyOfWatch(SystemActor(), mine, true, need),
		"nobody":               NotifyOfWatch(nil, mine, true, need),
	} {
		if ok {
			t.Errorf("%s: told", name)
		}
	}
	if !NotifyOfWatch(anna, &Watch{UserID: 12, Target: WatchCalls}, true, nil) {
		t.Error("a listed call is told")
	}
}

func TestCPVSubtree(t *testing.T) {
	for in, want := range map[string]string{"45000000": "45", "45210000-2": "4521", "45331210": "4533121", "33141411": "33141411", "03000000": "03", "40000000": "40", " 45100000 ": "451"} {
		if got, err := CPVSubtree(in); err != nil || got != want {
			t.Errorf("CPVSubtree(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "4500", "4500000x", "45000000-", "45000000-12"} {
		if _, err := CPVSubtree(in); ErrorCode(err) != EINVALID {
			t.Errorf("CPVSubtree(%q): %v; want EINVALID", in, err)
		}
	}
}
