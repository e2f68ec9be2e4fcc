package ocds

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
)

func TestFixtureOrgNumbersAreReal(t *testing.T) {
	for _, o := range testInput().Orgs {
		if o.OrgNumber == "" {
			continue
		}
		if n, err := arena.NormalizeOrgNumber(o.OrgNumber); err != nil || n != o.OrgNumber {
			t.Errorf("%s: %q → %q, %v", o.Name, o.OrgNumber, n, err)
		}
	}
}

// releasesByOCID builds the release package of the fixture, checks it
// against the schema and returns its releases by ocid.
func releasesByOCID(t *testing.T, in Input) (*ReleasePackage, map[string]Release) {
	t.Helper()
	pkg, err := Releases(testConfig, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := testValidator(t).ReleasePackage(mustJSON(t, pkg)); err != nil {
		t.Fatal(err)
	}
	m := map[string]Release{}
	for _, r := range pkg.Releases {
		m[r.OCID] = r
	}
	return pkg, m
}

func TestReleasePackage(t *testing.T) {
	pkg, rels := releasesByOCID(t, testInput())
	if pkg.URI != "https://arena.example.se/api/v1/ocds/releases" || pkg.Version != "1.1" || pkg.PublishedDate != "2026-10-01T12:00:00Z" {
		t.Errorf("package head: %q %q %q", pkg.URI, pkg.Version, pkg.PublishedDate)
	}
	if pkg.Publisher != (Publisher{Name: "Arena", URI: "https://arena.example.se/"}) || pkg.License == "" || pkg.PublicationPolicy == "" {
		t.Errorf("publisher, license, policy: %+v %q %q", pkg.Publisher, pkg.License, pkg.PublicationPolicy)
	}
	var got []string
	for _, r := range pkg.Releases {
		got = append(got, r.OCID)
	}
	want := []string{"ocds-abc123-need-11", "ocds-abc123-need-12", "ocds-abc123-need-14", "ocds-abc123-need-15",
		"ocds-abc123-proc-21", extOCID, "ocds-abc123-proc-23", "ocds-abc123-proc-24"}
	if !slices.Equal(got, want) {
		t.Errorf("ocids (the draft need left out, input order):\n got %v\nwant %v", got, want)
	}
	if _, ok := rels["ocds-abc123-need-13"]; ok {
		t.Error("a draft need was published")
	}
}

func TestNeedRelease(t *testing.T) {
	_, rels := releasesByOCID(t, testInput())
	r := rels["ocds-abc123-need-11"]
	if r.ID != "ocds-abc123-need-11-v3" || r.Date != "2026-03-14T10:15:30Z" || !slices.Equal(r.Tag, []string{"planning"}) ||
		r.InitiationType != "tender" || r.Language != "sv" {
		t.Errorf("head: id %q date %q tag %v initiation %q language %q", r.ID, r.Date, r.Tag, r.InitiationType, r.Language)
	}
	wantParty := Party{ID: "SE-ON-212000-2262", Name: "Ludvika kommun",
		Identifier: &Identifier{Scheme: "SE-ON", ID: "212000-2262", LegalName: "Ludvika kommun"},
		Address:    &Address{CountryName: "Sverige"}, ContactPoint: &ContactPoint{URL: "https://www.ludvika.se"}, Roles: []string{"buyer"}}
	if len(r.Parties) != 1 || !reflect.DeepEqual(r.Parties[0], wantParty) {
		t.Errorf("parties: %s", mustJSON(t, r.Parties))
	}
	if *r.Buyer != (OrganizationReference{ID: "SE-ON-212000-2262", Name: "Ludvika kommun"}) {
		t.Errorf("buyer: %+v", r.Buyer)
	}
	p := r.Planning
	if !strings.HasPrefix(p.Rationale, "Vi vill att hushållsavfallet") {
		t.Errorf("rationale: %q", p.Rationale)
	}
	if p.Budget == nil || *p.Budget.Amount != (Value{Amount: 12_500_000, Currency: "SEK"}) || p.Budget.Description != "Uppskattat värde. Budget är avsatt." {
		t.Errorf("budget: %s", mustJSON(t, p.Budget))
	}
	if len(p.Documents) != 1 || p.Documents[0].URL != "https://arena.example.se/behov/11" || p.Documents[0].DocumentType != "needsAssessment" {
		t.Errorf("documents: %s", mustJSON(t, p.Documents))
	}
	tn := r.Tender
	if tn.ID != r.OCID || tn.Title != "Eldrivna sopbilar" || tn.Status != "planning" || tn.MainProcurementCategory != "goods" ||
		*tn.Value != (Value{Amount: 12_500_000, Currency: "SEK"}) {
		t.Errorf("tender: %s", mustJSON(t, tn))
	}
	if tn.TenderPeriod == nil || tn.TenderPeriod.StartDate != "2026-09-01T00:00:00+02:00" {
		t.Errorf("planned date (summer time in Sweden): %s", mustJSON(t, tn.TenderPeriod))
	}
	wantItem := Item{ID: "1", Description: "Eldrivna sopbilar",
		Classification:            &Classification{Scheme: "CPV", ID: "34144511", Description: "Sopbilar"},
		AdditionalClassifications: []Classification{{Scheme: "CPV", ID: "90511000", Description: "Insamling av avfall"}},
		Quantity:                  new(4.0), Unit: &Unit{Name: "fordon"}}
	if len(tn.Items) != 1 || !reflect.DeepEqual(tn.Items[0], wantItem) {
		t.Errorf("items: %s", mustJSON(t, tn.Items))
	}
	if r.RelatedProcesses != nil || r.Awards != nil || r.Contracts != nil {
		t.Errorf("a need has no related processes, awards or contracts: %s", mustJSON(t, r))
	}

	winter := rels["ocds-abc123-need-14"]
	if winter.Tender.TenderPeriod.StartDate != "2027-01-15T00:00:00+01:00" || winter.Tender.MainProcurementCategory != "works" {
		t.Errorf("winter date and works: %s", mustJSON(t, winter.Tender))
	}
	if oslo := rels["ocds-abc123-need-15"].Parties[0]; oslo.ID != "arena-org-3" || oslo.Identifier != nil ||
		oslo.Address.CountryName != "Norge" || oslo.ContactPoint != nil {
		t.Errorf("an organisation without a number, abroad, with a bad website: %s", mustJSON(t, oslo))
	}
}

// TestNeedWithoutDetails: a need with only a title leaves out every field
// it has no value for, rather than writing empty strings or nulls.
func TestNeedWithoutDetails(t *testing.T) {
	pkg, err := Releases(testConfig, testInput())
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(mustJSON(t, pkg), &doc); err != nil {
		t.Fatal(err)
	}
	bare := doc["releases"].([]any)[1].(map[string]any)
	if bare["ocid"] != "ocds-abc123-need-12" {
		t.Fatalf("release 1 is %v", bare["ocid"])
	}
	planning := bare["planning"].(map[string]any)
	tender := bare["tender"].(map[string]any)
	for _, k := range []string{"rationale", "budget"} {
		if _, ok := planning[k]; ok {
			t.Errorf("planning.%s written for a need without it", k)
		}
	}
	for _, k := range []string{"description", "items", "value", "tenderPeriod", "mainProcurementCategory"} {
		if _, ok := tender[k]; ok {
			t.Errorf("tender.%s written for a need without it", k)
		}
	}
	walk(doc, "", func(path string, v any) {
		if v == nil || v == "" {
			t.Errorf("%s is %#v", path, v)
		}
		if a, ok := v.([]any); ok && len(a) == 0 {
			t.Errorf("%s is an empty array", path)
		}
	})
}

func walk(v any, path string, f func(string, any)) {
	f(path, v)
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			walk(c, path+"/"+k, f)
		}
	case []any:
		for i, c := range x {
			walk(c, fmt.Sprintf("%s/%d", path, i), f)
		}
	}
}

func TestProcurementReleases(t *testing.T) {
	_, rels := releasesByOCID(t, testInput())

	planned := rels["ocds-abc123-proc-21"]
	if planned.ID != "ocds-abc123-proc-21-v1" || !slices.Equal(planned.Tag, []string{"planning"}) || planned.Tender.Status != "planned" ||
		planned.Tender.TenderPeriod.StartDate != "2026-10-01T00:00:00+02:00" || planned.Buyer.ID != "SE-ON-212000-2262" {
		t.Errorf("planned: %s", mustJSON(t, planned))
	}
	wantRel := []RelatedProcess{
		{ID: "arena-network-7", Relationship: []string{"planning"}, Title: "Fossilfria transporter i Dalarna", URI: "https://arena.example.se/natverk/7"},
		{ID: "arena-need-11", Relationship: []string{"planning"}, Title: "Eldrivna sopbilar", Scheme: "ocid",
			Identifier: "ocds-abc123-need-11", URI: "https://arena.example.se/api/v1/ocds/records/ocds-abc123-need-11"},
	}
	if !reflect.DeepEqual(planned.RelatedProcesses, wantRel) {
		t.Errorf("related processes of Ludvika's procurement (its need in the network; not its draft):\n%s", mustJSON(t, planned.RelatedProcesses))
	}

	awarded := rels[extOCID]
	if awarded.ID != "ocds-abc123-proc-22-v4" || !slices.Equal(awarded.Tag, []string{"award"}) || awarded.Buyer.Name != "Falu kommun" {
		t.Errorf("awarded: id %q tag %v buyer %+v", awarded.ID, awarded.Tag, awarded.Buyer)
	}
	if tn := awarded.Tender; tn.ID != "FK-2026-17" || tn.Status != "complete" || tn.TenderPeriod.StartDate != "2026-06-01T00:00:00+02:00" {
		t.Errorf("awarded tender (the upphandlings-ID, the announcement): %s", mustJSON(t, tn))
	}
	if len(awarded.Awards) != 1 || awarded.Awards[0] != (Award{ID: "ocds-abc123-proc-22-award", Title: "Trygghetslarm, digitala", Status: "active", Date: "2026-09-15T00:00:00+02:00"}) {
		t.Errorf("award: %s", mustJSON(t, awarded.Awards))
	}
	if len(awarded.RelatedProcesses) != 2 || awarded.RelatedProcesses[1].Identifier != "ocds-abc123-need-12" {
		t.Errorf("Falun's procurement relates to its need: %s", mustJSON(t, awarded.RelatedProcesses))
	}

	handover := rels["ocds-abc123-proc-23"]
	if !slices.Equal(handover.Tag, []string{"implementation"}) || len(handover.Parties) != 2 ||
		handover.Parties[1].Name != "Adda Inköpscentral" || !slices.Equal(handover.Parties[1].Roles, []string{"procuringEntity"}) ||
		handover.Tender.ProcuringEntity.ID != "arena-central-adda-inköpscentral" ||
		handover.Tender.ProcurementMethodDetails != "Överlämnad till inköpscentral (Adda Inköpscentral)" {
		t.Errorf("hand-over: %s", mustJSON(t, handover))
	}
	if len(handover.Contracts) != 1 {
		t.Fatalf("contracts: %s", mustJSON(t, handover.Contracts))
	}
	c := handover.Contracts[0]
	if c.AwardID != handover.Awards[0].ID || c.Status != "active" || c.Period.StartDate != "2026-11-01T00:00:00+01:00" ||
		c.Implementation.Milestones[0] != (Milestone{ID: "evaluation", Title: "Utvärdering", Type: "assessment", Status: "met", DateMet: "2027-11-28T00:00:00+01:00"}) {
		t.Errorf("contract: %s", mustJSON(t, c))
	}

	withdrawn := rels["ocds-abc123-proc-24"]
	if !slices.Equal(withdrawn.Tag, []string{"tenderCancellation"}) || withdrawn.Tender.Status != "cancelled" ||
		withdrawn.Tender.Description != "Avbruten: Inga anbud kom in." || len(withdrawn.RelatedProcesses) != 2 {
		t.Errorf("withdrawn: %s", mustJSON(t, withdrawn))
	}
}

// TestEveryStage: each stage of a member procurement, and a withdrawal from
// each, gives a release the schema accepts with the tag and statuses of
// that stage.
func TestEveryStage(t *testing.T) {
	d := func(m time.Month, day int) *arena.Date { return date(2026, m, day) }
	full := arena.MemberProcurement{PlannedDate: d(1, 10), AnnouncedDate: d(2, 10), AwardedDate: d(4, 10), ImplementedDate: d(6, 10), EvaluatedDate: d(12, 10)}
	upTo := func(s arena.ProcurementStage, withdrawn bool) arena.MemberProcurement {
		p := full
		p.Meta, p.NetworkID, p.OrgID, p.Title, p.Stage = meta(99, 2, "2026-12-11T08:00:00Z"), dalarna, falun, "Stegvis", s
		i := slices.Index(arena.ProcurementStages, s)
		for j, later := range arena.ProcurementStages[:5] {
			if j > i {
				switch later {
				case arena.StageAnnounced:
					p.AnnouncedDate = nil
				case arena.StageAwarded:
					p.AwardedDate = nil
				case arena.StageImplemented:
					p.ImplementedDate = nil
				case arena.StageEvaluated:
					p.EvaluatedDate = nil
				}
			}
		}
		if withdrawn {
			p.Stage, p.WithdrawnDate, p.WithdrawnReason = arena.StageWithdrawn, d(12, 11), "Budgeten drogs in."
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("fixture %s (withdrawn %v): %v", s, withdrawn, err)
		}
		return p
	}
	for _, c := range []struct {
		stage         arena.ProcurementStage
		withdrawn     bool
		tag, tender   string
		award, contra string
	}{
		{arena.StagePlanned, false, "planning", "planned", "", ""},
		{arena.StageAnnounced, false, "tender", "active", "", ""},
		{arena.StageAwarded, false, "award", "complete", "active", ""},
		{arena.StageImplemented, false, "contract", "complete", "active", "active"},
		{arena.StageEvaluated, false, "implementation", "complete", "active", "active"},
		{arena.StagePlanned, true, "planning", "withdrawn", "", ""},
		{arena.StageAnnounced, true, "tenderCancellation", "cancelled", "", ""},
		{arena.StageAwarded, true, "awardCancellation", "cancelled", "cancelled", ""},
		{arena.StageImplemented, true, "contractTermination", "complete", "active", "terminated"},
	} {
		t.Run(fmt.Sprintf("%s/withdrawn=%v", c.stage, c.withdrawn), func(t *testing.T) {
			in := testInput()
			in.Needs, in.Procurements = nil, []arena.MemberProcurement{upTo(c.stage, c.withdrawn)}
			_, rels := releasesByOCID(t, in)
			r := rels["ocds-abc123-proc-99"]
			var award, contract string
			if len(r.Awards) > 0 {
				award = r.Awards[0].Status
			}
			if len(r.Contracts) > 0 {
				contract = r.Contracts[0].Status
			}
			if !slices.Equal(r.Tag, []string{c.tag}) || r.Tender.Status != c.tender || award != c.award || contract != c.contra {
				t.Errorf("tag %v tender %q award %q contract %q, want %s %q %q %q", r.Tag, r.Tender.Status, award, contract, c.tag, c.tender, c.award, c.contra)
			}
			if c.withdrawn && c.stage == arena.StageImplemented && r.Contracts[0].Period.EndDate != "2026-12-11T00:00:00+01:00" {
				t.Errorf("a terminated contract ends on the withdrawal: %s", mustJSON(t, r.Contracts[0]))
			}
		})
	}
}

func TestRecord(t *testing.T) {
	v := testValidator(t)
	in := testInput()
	for _, ocid := range []string{"ocds-abc123-need-11", "ocds-abc123-need-12", "ocds-abc123-proc-21", extOCID, "ocds-abc123-proc-23", "ocds-abc123-proc-24"} {
		pkg, ok, err := Record(testConfig, in, ocid)
		if err != nil || !ok {
			t.Fatalf("%s: %v %v", ocid, ok, err)
		}
		if err := v.RecordPackage(mustJSON(t, pkg)); err != nil {
			t.Fatalf("%s: %v", ocid, err)
		}
		rec := pkg.Records[0]
		if len(pkg.Records) != 1 || rec.OCID != ocid || len(rec.Releases) != 1 || rec.Releases[0].OCID != ocid {
			t.Fatalf("%s: %s", ocid, mustJSON(t, pkg.Records))
		}
		cr := rec.CompiledRelease
		if !slices.Equal(cr.Tag, []string{"compiled"}) || cr.ID != ocid+"-"+rec.Releases[0].Date || cr.OCID != ocid || cr.Date != rec.Releases[0].Date {
			t.Errorf("%s compiled: tag %v id %q", ocid, cr.Tag, cr.ID)
		}
		if pkg.URI != "https://arena.example.se/api/v1/ocds/records/"+ocid || !slices.Equal(pkg.Packages, []string{"https://arena.example.se/api/v1/ocds/releases"}) {
			t.Errorf("%s: uri %q packages %v", ocid, pkg.URI, pkg.Packages)
		}
	}
	pkg, _, _ := Record(testConfig, in, "ocds-abc123-need-11")
	if b := pkg.Records[0].CompiledRelease.Planning.Budget; b.Amount.Amount != 12_500_000 {
		t.Errorf("compiled budget: %s", mustJSON(t, b))
	}
	for _, ocid := range []string{"ocds-abc123-need-13", "ocds-abc123-need-999", "ocds-abc123-proc-22", "", "ocds-zzz999-need-11"} {
		if pkg, ok, err := Record(testConfig, in, ocid); ok || err != nil || pkg != nil {
			t.Errorf("%q (a draft, unknown, replaced by its own ocid, empty, another prefix): %v %v %v", ocid, pkg, ok, err)
		}
	}
}

// TestRecordOfSharedOCID: two members that record the same procurement
// (one ocid) give one record with both releases, oldest first; the compiled
// release is the later one with the earlier one's buyer and award added.
func TestRecordOfSharedOCID(t *testing.T) {
	in := testInput()
	other := in.Procurements[1]
	other.Meta, other.OrgID, other.Title = meta(25, 1, "2026-09-10T06:30:00Z"), ludvika, "Trygghetslarm, samordnad"
	in.Procurements = append(in.Procurements, other)
	pkg, ok, err := Record(testConfig, in, extOCID)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if err := testValidator(t).RecordPackage(mustJSON(t, pkg)); err != nil {
		t.Fatal(err)
	}
	rec := pkg.Records[0]
	if len(rec.Releases) != 2 || rec.Releases[0].ID != "ocds-abc123-proc-25-v1" || rec.Releases[1].ID != "ocds-abc123-proc-22-v4" {
		t.Fatalf("releases: %s", mustJSON(t, rec.Releases))
	}
	cr := rec.CompiledRelease
	var parties, awards []string
	for _, p := range cr.Parties {
		parties = append(parties, p.ID)
	}
	for _, a := range cr.Awards {
		awards = append(awards, a.ID)
	}
	if cr.Buyer.Name != "Falu kommun" || !slices.Equal(parties, []string{"SE-ON-212000-2411", "SE-ON-212000-2262"}) ||
		!slices.Equal(awards, []string{"ocds-abc123-proc-22-award", "ocds-abc123-proc-25-award"}) || cr.Date != "2026-09-16T06:30:00Z" {
		t.Errorf("compiled: buyer %v parties %v awards %v date %s", cr.Buyer, parties, awards, cr.Date)
	}
	if len(rec.Releases[1].Parties) != 1 {
		t.Error("compiling changed an embedded release")
	}
}

func TestBadConfigAndInput(t *testing.T) {
	in := testInput()
	for name, cfg := range map[string]Config{
		"no prefix":        {BaseURI: "https://arena.example.se"},
		"prefix too long":  {OCIDPrefix: "ocds-abc1234", BaseURI: "https://arena.example.se"},
		"upper-case":       {OCIDPrefix: "OCDS-abc123", BaseURI: "https://arena.example.se"},
		"no base":          {OCIDPrefix: "ocds-abc123"},
		"relative base":    {OCIDPrefix: "ocds-abc123", BaseURI: "/arena"},
		"relative licence": {OCIDPrefix: "ocds-abc123", BaseURI: "https://arena.example.se", License: "cc0"},
	} {
		if _, err := Releases(cfg, in); err == nil {
			t.Errorf("%s: Releases accepted %+v", name, cfg)
		}
		if _, _, err := Record(cfg, in, "ocds-abc123-need-11"); err == nil {
			t.Errorf("%s: Record accepted %+v", name, cfg)
		}
	}
	if pkg, err := Releases(Config{OCIDPrefix: "ocds-abc123", BaseURI: "http://localhost:8080/"}, in); err != nil ||
		pkg.Publisher.Name != "Arena" || pkg.URI != "http://localhost:8080/api/v1/ocds/releases" {
		t.Errorf("defaults: %v %+v", err, pkg)
	}

	noOrg := testInput()
	delete(noOrg.Orgs, falun)
	noNet := testInput()
	delete(noNet.Networks, dalarna)
	noTime := testInput()
	noTime.Published = time.Time{}
	for name, in := range map[string]Input{"organisation missing": noOrg, "network missing": noNet, "no published date": noTime} {
		if _, err := Releases(testConfig, in); err == nil {
			t.Errorf("%s: no error", name)
		}
	}

	empty, err := Releases(testConfig, Input{Published: time.Now()})
	if err != nil || empty.Releases == nil || len(empty.Releases) != 0 {
		t.Errorf("nothing to publish: %v %s", err, mustJSON(t, empty))
	}
}
