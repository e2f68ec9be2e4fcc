package arena

import "testing"

// TestFundingCallFitsNeed: the one rule of whether a call can fund a need.
// A call fits no need of an organisation kind it does not
// accept and nothing once closed; a themed call that passes fits by text
// (General false); a general call fits whatever the subject while the need
// is before its procurement and not planned before the call opens.
func TestFundingCallFitsNeed(t *testing.T) {
	publicSector := []OrgKind{OrgKommun, OrgRegion, OrgAgency, OrgKommunalforbund, OrgMunicipalCo, OrgCentralPurchase}
	checkar := func() FundingCall {
		return FundingCall{FunderID: 1, Title: "Checkar för innovationsupphandling", EligibleOrgKinds: publicSector, General: true,
			OpensDate: entDate(2026, 9, 1), ClosesDate: entDate(2027, 1, 31)}
	}
	alarm := func() Need {
		return Need{OrgID: 1, Title: "Trygghetslarm för äldre", Visibility: VisibilityPublic, Intent: IntentPlan, PlannedDate: entDate(2027, 3, 1)}
	}
	today := NewDate(2026, 11, 27)
	for _, tc := range []struct {
		name        string
		call        func(*FundingCall)
		need        func(*Need)
		kind        OrgKind
		ok, general bool
	}{
		{"general call, published need of a kommun", nil, nil, OrgKommun, true, true},
		{"every intent before the procurement", nil, func(n *Need) { n.Intent = IntentDecided }, OrgRegion, true, true},
		{"exploring", nil, func(n *Need) { n.Intent = IntentExplore }, OrgKommun, true, true},
		{"shared with the organisation only", nil, func(n *Need) { n.Visibility = VisibilityOrganisation }, OrgKommun, true, true},
		{"no planned date", nil, func(n *Need) { n.PlannedDate = nil }, OrgKommun, true, true},
		{"no opening date", func(c *FundingCall) { c.OpensDate = nil }, func(n *Need) { n.PlannedDate = entDate(2020, 1, 1) }, OrgKommun, true, true},
		{"planned on the opening day", nil, func(n *Need) { n.PlannedDate = entDate(2026, 9, 1) }, OrgKommun, true, true},
		{"closing today", func(c *FundingCall) { c.ClosesDate = new(today) }, nil, OrgKommun, true, true},
		{"open to every kind", func(c *FundingCall) { c.EligibleOrgKinds = nil }, nil, OrgCompany, true, true},
		{"planned before the call opens: by text only", nil, func(n *Need) { n.PlannedDate = entDate(2026, 8, 31) }, OrgKommun, true, false},
		{"intent unknown: by text only", nil, func(n *Need) { n.Intent = "" }, OrgKommun, true, false},
		{"themed call: by text only", func(c *FundingCall) { c.General = false }, nil, OrgKommun, true, false},
		{"a draft, seen by its organisation", nil, func(n *Need) { n.Visibility = VisibilityDraft }, OrgKommun, true, true},
		{"themed call, draft", func(c *FundingCall) { c.General = false }, func(n *Need) { n.Visibility = VisibilityDraft }, OrgKommun, true, false},
		{"a company's need", nil, nil, OrgCompany, false, false},
		{"themed call, a company's need", func(c *FundingCall) { c.General = false }, nil, OrgCompany, false, false},
		{"closed", func(c *FundingCall) { c.ClosesDate = entDate(2026, 11, 26) }, nil, OrgKommun, false, false},
	} {
		c, n := checkar(), alarm()
		if tc.call != nil {
			tc.call(&c)
		}
		if tc.need != nil {
			tc.need(&n)
		}
		fit, ok := c.FitsNeed(&n, tc.kind, today)
		if ok != tc.ok || fit.General != tc.general {
			t.Errorf("%s: fits %v, general %v; want %v, %v", tc.name, ok, fit.General, tc.ok, tc.general)
		}
		if fit.General {
			if fit.Why.Key != "reason.call.general" || fit.Why.Args["kind"] != tc.kind.Term().In(Plural) {
				t.Errorf("%s: why %v", tc.name, fit.Why)
			}
		} else if fit.Why.Key != "" {
			t.Errorf("%s: why %v without a general fit", tc.name, fit.Why)
		}
	}
}

// TestFundingCallFitsOrgs: a call fits a group of organisations (a
// network's active members) when it is not closed and accepts one of
// their kinds; a general call then fits whatever the subject.
func TestFundingCallFitsOrgs(t *testing.T) {
	today := NewDate(2026, 11, 27)
	general := FundingCall{Title: "Checkar", EligibleOrgKinds: []OrgKind{OrgKommun, OrgRegion}, General: true}
	themed := FundingCall{Title: "Biobaserad ekonomi", EligibleOrgKinds: []OrgKind{OrgKommun, OrgRegion}}
	openToAll := FundingCall{Title: "Checkar", General: true}
	closed := FundingCall{Title: "Checkar", General: true, ClosesDate: entDate(2026, 1, 31)}
	for _, tc := range []struct {
		name        string
		c           FundingCall
		kinds       []OrgKind
		ok, general bool
		why         OrgKind
	}{
		{"general, a company and a region", general, []OrgKind{OrgCompany, OrgRegion}, true, true, OrgRegion},
		{"general, companies only", general, []OrgKind{OrgCompany}, false, false, ""},
		{"themed", themed, []OrgKind{OrgKommun}, true, false, ""},
		{"general open to all, no members", openToAll, nil, true, false, ""},
		{"general open to all, a company", openToAll, []OrgKind{OrgCompany}, true, true, OrgCompany},
		{"closed", closed, []OrgKind{OrgKommun}, false, false, ""},
	} {
		fit, ok := tc.c.FitsOrgs(tc.kinds, today)
		if ok != tc.ok || fit.General != tc.general {
			t.Errorf("%s: fits %v, general %v; want %v, %v", tc.name, ok, fit.General, tc.ok, tc.general)
		}
		if tc.why != "" && fit.Why.Args["kind"] != tc.why.Term().In(Plural) {
			t.Errorf("%s: why %v", tc.name, fit.Why)
		}
	}
}
