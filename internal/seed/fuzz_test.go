package seed

// Fuzz test of the report's reader: ParseReport is strict about what
// report.json may hold, and what it accepts is whole, writes back as the
// same report and builds domain records that Validate judges without
// panicking.

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/arena-se/arena"
)

// fzSmallReport is a report of one record of each kind, all referring
// to each other.
const fzSmallReport = `{
  "organizations": [{"key": "falun", "name": "Falu kommun", "kind": "kommun", "country": "", "scb_code": "2080", "website": "https://www.falun.se", "source": "rapporten 5.1.2"},
                    {"key": "vinnova", "name": "Vinnova", "kind": "statlig_myndighet"}],
  "funders": [{"key": "vinnova", "name": "Vinnova", "kind": "agency", "org": "vinnova", "source": "rapporten 4.1"}],
  "networks": [{"key": "belok", "name": "Belok", "kind": "strategic", "sector": "fastigheter", "owner": "falun", "coordinator": "falun",
                "start_year": 2001, "end_year": null, "status": "active", "open": true,
                "members": [{"org": "falun", "role": "buyer", "tier": "core", "note": "huvudman"}],
                "funding_periods": [{"funder": "vinnova", "start_date": "2026-01-01", "end_date": "2026-12-04", "amount_sek": 500000}]},
               {"key": "belok-grupp", "name": "Beloks arbetsgrupp", "kind": "tactical", "parent": "belok"}],
  "calls": [{"key": "checkar", "funder": "vinnova", "title": "Checkar för innovationsupphandling", "eligible_org_kinds": ["kommun", "region"],
             "themes": ["innovation"], "opens_date": "2026-02-01", "closes_date": "2026-09-30", "co_funding_rate": 0.5}],
  "projects": [{"key": "procsibe", "title": "ProcSIBE", "category": "research", "funder": "vinnova", "call": "checkar", "coordinator": "falun",
                "participants": ["Falu kommun", "Mölndals stad"], "start_year": 2019, "end_year": 2022}],
  "experts": [{"key": "kth", "name": "KTH", "kind": "research_environment", "org": "falun", "subject_areas": ["brandskydd"]}]
}`

// FuzzParseReport: ParseReport refuses a report with an error, or reads
// one whose keys are unique and whose references resolve, that written
// out as JSON reads back the same, and whose records Validate as domain
// records returns nil or an EINVALID error.
func FuzzParseReport(f *testing.F) {
	f.Add(reportJSON)
	f.Add([]byte(fzSmallReport))
	for _, s := range []string{
		`{}`, `{"organizations": []}`, `{"organizations": [{"key": "a", "name": "A", "kind": "kommun"}]} x`,
		`{"organizations": [{"key": "a"}, {"key": "a"}]}`, `{"organizations": [{"key": ""}]}`, `{"organisations": []}`,
		`{"funders": [{"key": "f", "org": "saknas"}]}`, `{"networks": [{"key": "n", "parent": "n"}]}`,
		`{"networks": [{"key": "n", "members": [{"org": ""}]}]}`, `{"calls": [{"key": "c", "opens_date": "2026-13-01", "funder": "f"}]}`,
		`{"calls": [{"key": "c", "opens_date": 20260101}]}`, `{"networks": [{"key": "n", "start_year": 1e400}]}`,
		`{"projects": [{"key": "p", "funder": "f", "call": "c"}], "calls": [{"key": "c", "funder": "g"}], "funders": [{"key": "f"}, {"key": "g"}]}`,
		`{"organizations": [{"key": "\u00e5", "name": "Ålands \u0000 kommun", "kind": "Kommun", "country": "se", "website": "javascript:x"}]}`,
		"{\"experts\": [{\"key\": \"e\", \"name\": \"\xff\"}]}", `[]`, `null`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseReport(data)
		if err != nil {
			if r != nil {
				t.Fatalf("ParseReport gave %+v with %v", r, err)
			}
			return
		}
		if err := r.check(); err != nil {
			t.Fatalf("ParseReport accepted a report that does not check: %v", err)
		}
		out, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("the report does not encode: %v", err)
		}
		again, err := ParseReport(out)
		if err != nil || !reflect.DeepEqual(again, r) {
			t.Fatalf("the report written out (%s) reads as %+v, %v", out, again, err)
		}
		one := new(int64(1))
		for _, rec := range fzRecords(r, one) {
			if err := rec.Validate(); err != nil {
				var e *arena.Error
				if !errors.As(err, &e) || e.Code != arena.EINVALID || e.Field == "" {
					t.Fatalf("%T: Validate = %#v", rec, err)
				}
			}
		}
	})
}

// fzRecords are the domain records of the report, with every stored id 1.
func fzRecords(r *Report, id *int64) []interface{ Validate() error } {
	var out []interface{ Validate() error }
	add := func(v interface{ Validate() error }) { out = append(out, v) }
	for _, o := range r.Organizations {
		v := o.Arena()
		add(&v)
	}
	for _, f := range r.Funders {
		v := f.Arena(id)
		add(&v)
	}
	for _, n := range r.Networks {
		v := n.Arena(nil, id, id)
		add(&v)
		for _, m := range n.Members {
			v := m.Arena(1, 1)
			add(&v)
		}
		for _, p := range n.FundingPeriods {
			v := p.Arena(1, id)
			add(&v)
		}
	}
	for _, c := range r.Calls {
		v := c.Arena(1)
		add(&v)
	}
	for _, p := range r.Projects {
		v := p.Arena(id, id, id)
		add(&v)
	}
	for _, e := range r.Experts {
		v := e.Arena(id)
		add(&v)
	}
	return out
}
