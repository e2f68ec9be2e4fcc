package seed

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/arena-se/arena"
)

func load(t *testing.T) *Report {
	t.Helper()
	r, err := LoadReport()
	if err != nil {
		t.Fatalf("LoadReport: %v", err)
	}
	return r
}

// ids hands out placeholder positive ids for keys, one space per collection.
type ids map[string]int64

func (m ids) of(kind, key string) int64 {
	k := kind + "/" + key
	if m[k] == 0 {
		m[k] = int64(len(m) + 1)
	}
	return m[k]
}

func (m ids) opt(kind, key string) *int64 {
	if key == "" {
		return nil
	}
	id := m.of(kind, key)
	return &id
}

func TestLoadReport(t *testing.T) {
	r := load(t)
	if len(r.Organizations) == 0 || len(r.Funders) == 0 || len(r.Networks) == 0 || len(r.Experts) == 0 {
		t.Fatalf("empty collections: %d orgs, %d funders, %d networks, %d experts",
			len(r.Organizations), len(r.Funders), len(r.Networks), len(r.Experts))
	}
}

func TestReferencesResolve(t *testing.T) {
	r := load(t)
	set := func(keys ...string) map[string]bool {
		m := map[string]bool{}
		for _, k := range keys {
			m[k] = true
		}
		return m
	}
	var orgKeys, funderKeys, networkKeys, callKeys []string
	for _, o := range r.Organizations {
		orgKeys = append(orgKeys, o.Key)
	}
	for _, f := range r.Funders {
		funderKeys = append(funderKeys, f.Key)
	}
	for _, n := range r.Networks {
		networkKeys = append(networkKeys, n.Key)
	}
	for _, c := range r.Calls {
		callKeys = append(callKeys, c.Key)
	}
	orgs, funders, networks, calls := set(orgKeys...), set(funderKeys...), set(networkKeys...), set(callKeys...)
	check := func(where string, m map[string]bool, key string, required bool) {
		t.Helper()
		if key == "" {
			if required {
				t.Errorf("%s: missing required reference", where)
			}
			return
		}
		if !m[key] {
			t.Errorf("%s: unresolved reference %q", where, key)
		}
	}
	for _, f := range r.Funders {
		check("funder "+f.Key+" org", orgs, f.Org, false)
	}
	for _, n := range r.Networks {
		check("network "+n.Key+" parent", networks, n.Parent, false)
		check("network "+n.Key+" owner", orgs, n.Owner, false)
		check("network "+n.Key+" coordinator", orgs, n.Coordinator, false)
		for _, m := range n.Members {
			check("network "+n.Key+" member", orgs, m.Org, true)
		}
		for _, p := range n.FundingPeriods {
			check("network "+n.Key+" funding period", funders, p.Funder, false)
		}
	}
	for _, c := range r.Calls {
		check("call "+c.Key+" funder", funders, c.Funder, true)
	}
	for _, p := range r.Projects {
		check("project "+p.Key+" funder", funders, p.Funder, false)
		check("project "+p.Key+" call", calls, p.Call, false)
		check("project "+p.Key+" coordinator", orgs, p.Coordinator, false)
	}
	for _, e := range r.Experts {
		check("expert "+e.Key+" org", orgs, e.Org, false)
	}
}

// sourceRE matches a citation of one or more report sections, e.g.
// "rapporten 5.1.2" or "rapporten 4.4.1, 4.4.2".
var sourceRE = regexp.MustCompile(`^rapporten \d+(\.\d+)*(, \d+(\.\d+)*)*$`)

func TestEveryRecordCitesTheReport(t *testing.T) {
	r := load(t)
	cite := func(what, source string) {
		t.Helper()
		if !sourceRE.MatchString(source) {
			t.Errorf("%s: source %q does not cite a report section", what, source)
		}
	}
	for _, o := range r.Organizations {
		cite("organization "+o.Key, o.Source)
	}
	for _, f := range r.Funders {
		cite("funder "+f.Key, f.Source)
	}
	for _, n := range r.Networks {
		cite("network "+n.Key, n.Source)
		for i, p := range n.FundingPeriods {
			cite(fmt.Sprintf("network %s funding period %d", n.Key, i), p.Source)
		}
	}
	for _, c := range r.Calls {
		cite("call "+c.Key, c.Source)
	}
	for _, p := range r.Projects {
		cite("project "+p.Key, p.Source)
	}
	for _, e := range r.Experts {
		cite("expert "+e.Key, e.Source)
	}
}

func TestRecordsPassDomainValidation(t *testing.T) {
	r := load(t)
	id := ids{}
	for _, o := range r.Organizations {
		v := o.Arena()
		if err := v.Validate(); err != nil {
			t.Errorf("organization %s: %v", o.Key, err)
		}
		if (o.Kind == arena.OrgKommun || o.Kind == arena.OrgRegion) && o.SCBCode == "" {
			t.Errorf("organization %s: a %s carries its SCB code", o.Key, o.Kind)
		}
	}
	for _, f := range r.Funders {
		v := f.Arena(id.opt("org", f.Org))
		if err := v.Validate(); err != nil {
			t.Errorf("funder %s: %v", f.Key, err)
		}
	}
	for _, n := range r.Networks {
		networkID := id.of("network", n.Key)
		v := n.Arena(id.opt("network", n.Parent), id.opt("org", n.Owner), id.opt("org", n.Coordinator))
		v.ID = networkID
		if err := v.Validate(); err != nil {
			t.Errorf("network %s: %v", n.Key, err)
		}
		for _, m := range n.Members {
			mv := m.Arena(networkID, id.of("org", m.Org))
			if err := mv.Validate(); err != nil {
				t.Errorf("network %s member %s: %v", n.Key, m.Org, err)
			}
		}
		for i, p := range n.FundingPeriods {
			pv := p.Arena(networkID, id.opt("funder", p.Funder))
			if err := pv.Validate(); err != nil {
				t.Errorf("network %s funding period %d: %v", n.Key, i, err)
			}
		}
	}
	for _, c := range r.Calls {
		v := c.Arena(id.of("funder", c.Funder))
		if err := v.Validate(); err != nil {
			t.Errorf("call %s: %v", c.Key, err)
		}
	}
	for _, p := range r.Projects {
		v := p.Arena(id.opt("funder", p.Funder), id.opt("call", p.Call), id.opt("org", p.Coordinator))
		if err := v.Validate(); err != nil {
			t.Errorf("project %s: %v", p.Key, err)
		}
	}
	for _, e := range r.Experts {
		v := e.Arena(id.opt("org", e.Org))
		if err := v.Validate(); err != nil {
			t.Errorf("expert %s: %v", e.Key, err)
		}
	}
}

func TestCounts(t *testing.T) {
	r := load(t)
	// Nine agency-funded projects (4.4.2–4.4.4) and four EU projects (4.5).
	if len(r.Projects) != 13 {
		t.Errorf("got %d projects, want 13", len(r.Projects))
	}
	wantCalls := map[string]string{
		"vinnova_checkar_innovationsupphandling": "vinnova",
		"bioinnovation_hypotesprovning_steg1":    "bioinnovation",
	}
	if len(r.Calls) != len(wantCalls) {
		t.Errorf("got %d calls, want %d", len(r.Calls), len(wantCalls))
	}
	for _, c := range r.Calls {
		if f, ok := wantCalls[c.Key]; !ok {
			t.Errorf("unexpected call %q", c.Key)
		} else if f != c.Funder {
			t.Errorf("call %s: funder %q, want %q", c.Key, c.Funder, f)
		}
		// Vinnova's checkar fund innovation procurement of any subject
		// (4.2); BioInnovation's call is about a biobased economy.
		if want := c.Key == "vinnova_checkar_innovationsupphandling"; c.General != want || c.Arena(1).General != want {
			t.Errorf("call %s: general %v, want %v", c.Key, c.General, want)
		}
	}
	for _, f := range r.Funders {
		if f.Key == "bioinnovation" && f.Kind != arena.FunderSIP {
			t.Errorf("BioInnovation is a strategic innovation programme, got %q", f.Kind)
		}
	}
}

func TestNetworks(t *testing.T) {
	r := load(t)
	byKey := map[string]Network{}
	for _, n := range r.Networks {
		byKey[n.Key] = n
	}
	want := map[string]struct {
		kind    arena.NetworkKind
		country string
	}{
		"bebo":                         {arena.NetworkStrategic, ""},
		"belok":                        {arena.NetworkStrategic, ""},
		"besma":                        {arena.NetworkStrategic, ""},
		"lagan":                        {arena.NetworkStrategic, ""},
		"skr_socialtjanst":             {arena.NetworkTactical, ""},
		"svenskt_vatten_avloppsrening": {arena.NetworkTactical, ""},
		"sgu_samverkan_for_innovation": {arena.NetworkStrategic, ""},
		"sfk_konstgras":                {arena.NetworkStrategic, ""},
		"hallbar_utveckling_skane":     {arena.NetworkStrategic, ""},
		"infrasweden2030":              {arena.NetworkStrategic, ""},
		"pianoo_bestallargrupper":      {arena.NetworkStrategic, "NL"},
		"forum_baeredygtige_indkob":    {arena.NetworkStrategic, "DK"},
		"keino_bestallargrupper":       {arena.NetworkTactical, "FI"},
		"big_buyers_initiative":        {arena.NetworkStrategic, "EU"},
		"innobrokers":                  {arena.NetworkStrategic, "EU"},
	}
	for key, w := range want {
		n, ok := byKey[key]
		if !ok {
			t.Errorf("network %q missing", key)
			continue
		}
		if n.Kind != w.kind {
			t.Errorf("network %s: kind %q, want %q", key, n.Kind, w.kind)
		}
		if n.Country != w.country {
			t.Errorf("network %s: country %q, want %q", key, n.Country, w.country)
		}
	}
	if byKey["keino_bestallargrupper"].Status != arena.NetworkEnded {
		t.Errorf("KEINO's buyer groups were stopped; status %q", byKey["keino_bestallargrupper"].Status)
	}
	// The groups whose funding the report says ends in 2022.
	for _, key := range []string{"skr_socialtjanst", "svenskt_vatten_avloppsrening", "sgu_samverkan_for_innovation", "sfk_konstgras"} {
		found := false
		for _, p := range byKey[key].FundingPeriods {
			if p.EndDate != nil && p.EndDate.String() == "2022-12-31" && strings.Contains(p.Note, "2022") {
				found = true
			}
		}
		if !found {
			t.Errorf("network %s: no funding period ending 2022-12-31 with a note quoting the report", key)
		}
	}
}

func TestParseReportRejects(t *testing.T) {
	cases := map[string]string{
		"unknown field":     `{"organizations":[{"key":"a","name":"A","kind":"kommun","source":"rapporten 1","extra":1}]}`,
		"duplicate key":     `{"organizations":[{"key":"a","name":"A","kind":"kommun"},{"key":"a","name":"B","kind":"kommun"}]}`,
		"empty key":         `{"organizations":[{"key":"","name":"A","kind":"kommun"}]}`,
		"unknown org":       `{"funders":[{"key":"f","name":"F","kind":"agency","org":"nope"}]}`,
		"unknown funder":    `{"calls":[{"key":"c","funder":"nope","title":"C"}]}`,
		"missing funder":    `{"calls":[{"key":"c","title":"C"}]}`,
		"unknown call":      `{"projects":[{"key":"p","title":"P","category":"research","call":"nope"}]}`,
		"unknown network":   `{"networks":[{"key":"n","name":"N","kind":"tactical","parent":"nope"}]}`,
		"unknown member":    `{"networks":[{"key":"n","name":"N","kind":"tactical","members":[{"org":"nope"}]}]}`,
		"unknown period":    `{"networks":[{"key":"n","name":"N","kind":"tactical","funding_periods":[{"funder":"nope"}]}]}`,
		"bad date":          `{"networks":[{"key":"n","name":"N","kind":"tactical","funding_periods":[{"end_date":"2022"}]}]}`,
		"trailing data":     `{} {}`,
		"call funder clash": `{"funders":[{"key":"a","name":"A","kind":"agency"},{"key":"b","name":"B","kind":"agency"}],"calls":[{"key":"c","funder":"a","title":"C"}],"projects":[{"key":"p","title":"P","category":"research","funder":"b","call":"c"}]}`,
	}
	for name, data := range cases {
		if _, err := ParseReport([]byte(data)); err == nil {
			t.Errorf("%s: ParseReport accepted %s", name, data)
		}
	}
	if _, err := ParseReport([]byte(`{"organizations":[{"key":"a","name":"A","kind":"kommun"}]}`)); err != nil {
		t.Errorf("minimal report rejected: %v", err)
	}
}

func TestDateJSON(t *testing.T) {
	r, err := ParseReport([]byte(`{"networks":[{"key":"n","name":"N","kind":"tactical","funding_periods":[{"end_date":"2022-12-31","start_date":null}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	p := r.Networks[0].FundingPeriods[0]
	if p.StartDate != nil || p.EndDate == nil || p.EndDate.String() != "2022-12-31" {
		t.Fatalf("dates parsed as %v, %v", p.StartDate, p.EndDate)
	}
	b, err := json.Marshal(p.EndDate)
	if err != nil || string(b) != `"2022-12-31"` {
		t.Errorf("marshalled as %s, %v", b, err)
	}
	if d := p.Arena(1, nil).EndDate; d == nil || d.String() != "2022-12-31" {
		t.Errorf("arena end date %v", d)
	}
}
