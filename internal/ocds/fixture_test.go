package ocds

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
)

// testDataDir is the folder laid out like shared/data: ARENA_TEST_DATA_DIR,
// else the shared folder beside the repository. The test is skipped when
// the OCDS schemas are not there.
func testDataDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("ARENA_TEST_DATA_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	if _, err := os.Stat(filepath.Join(dir, SchemaDir, "release-package-schema.json")); err != nil {
		tb.Skipf("OCDS 1.1.5 schemas not found in %s; set ARENA_TEST_DATA_DIR to a folder laid out like shared/data", filepath.Join(dir, SchemaDir))
	}
	return dir
}

var (
	validatorOnce sync.Once
	validator     *Validator
	validatorErr  error
)

// testValidator compiles the schemas once per test binary.
func testValidator(tb testing.TB) *Validator {
	tb.Helper()
	dir := testDataDir(tb)
	validatorOnce.Do(func() { validator, validatorErr = NewValidator(dir) })
	if validatorErr != nil {
		tb.Fatal(validatorErr)
	}
	return validator
}

var testConfig = Config{
	Publisher:         "Arena",
	PublisherURI:      "https://arena.example.se/",
	OCIDPrefix:        "ocds-abc123",
	BaseURI:           "https://arena.example.se/",
	License:           "https://creativecommons.org/publicdomain/zero/1.0/",
	PublicationPolicy: "https://arena.example.se/om/publicering",
}

// Identifiers of the fixture.
const (
	ludvika, falun, oslo = 1, 2, 3
	dalarna              = 7 // the network
	needSopbil           = 11
	needLarm             = 12
	needDraft            = 13
	needSkola            = 14
	needOslo             = 15
	procPlanned          = 21
	procAwarded          = 22
	procHandover         = 23
	procWithdrawn        = 24
	extOCID              = "ocds-213czf-000-00001"
)

func date(y int, m time.Month, d int) *arena.Date { return new(arena.NewDate(y, m, d)) }

func meta(id, version int64, updated string) arena.Meta {
	t, err := time.Parse(time.RFC3339Nano, updated)
	if err != nil {
		panic(err)
	}
	return arena.Meta{ID: id, Version: version, CreatedAt: t.Add(-48 * time.Hour), UpdatedAt: t}
}

var cpvLabels = map[string]string{
	"34144511": "Sopbilar",
	"90511000": "Insamling av avfall",
	"45214200": "Bygge av skolbyggnader",
}

// testInput is two Dalarna kommuner and a Norwegian partner, their needs
// (one draft) and a network whose members follow through in procurements
// of their own at different stages.
func testInput() Input {
	return Input{
		Orgs: map[int64]arena.Organization{
			ludvika: {Meta: meta(ludvika, 1, "2025-01-10T08:00:00Z"), Name: "Ludvika kommun", OrgNumber: "212000-2262", Kind: arena.OrgKommun, Website: "https://www.ludvika.se"},
			falun:   {Meta: meta(falun, 1, "2025-01-10T08:00:00Z"), Name: "Falu kommun", OrgNumber: "212000-2411", Kind: arena.OrgKommun, Country: "SE"},
			oslo:    {Meta: meta(oslo, 1, "2025-01-10T08:00:00Z"), Name: "Oslo kommune", Kind: arena.OrgKommun, Country: "NO", Website: "inte en adress"},
		},
		Networks: map[int64]arena.Network{
			dalarna: {Meta: meta(dalarna, 2, "2026-01-20T09:00:00Z"), Name: "Fossilfria transporter i Dalarna", Kind: arena.NetworkTactical, Status: arena.NetworkActive},
		},
		Needs: []arena.Need{
			{Meta: meta(needSopbil, 3, "2026-03-14T10:15:30.123Z"), OrgID: ludvika, Title: "Eldrivna sopbilar",
				Description: "Vi vill att hushållsavfallet hämtas utan fossila bränslen och med mindre buller i bostadsområden.",
				CPVCodes:    []string{"34144511", "90511000"}, EstimatedValueSEK: new(int64(12_500_000)), Volume: new(4.0), VolumeUnit: "fordon",
				PlannedDate: date(2026, 9, 1), Intent: arena.IntentBudgeted, Visibility: arena.VisibilityPublic},
			{Meta: meta(needLarm, 1, "2026-02-02T13:00:00Z"), OrgID: falun, Title: "Trygghetslarm som fungerar utan fast telefoni",
				Intent: arena.IntentExplore, Visibility: arena.VisibilityNetwork},
			{Meta: meta(needDraft, 1, "2026-02-03T13:00:00Z"), OrgID: ludvika, Title: "Utkast: snöröjning",
				Intent: arena.IntentExplore, Visibility: arena.VisibilityDraft},
			{Meta: meta(needSkola, 2, "2026-04-01T07:00:00Z"), OrgID: falun, Title: "Ny skola i trä", Description: "Plusenergiskola för 600 elever.",
				CPVCodes: []string{"45214200"}, PlannedDate: date(2027, 1, 15), Intent: arena.IntentDecided, Visibility: arena.VisibilityPublic},
			{Meta: meta(needOslo, 1, "2026-04-02T07:00:00Z"), OrgID: oslo, Title: "Elektriske ferger", Intent: arena.IntentPlan, Visibility: arena.VisibilityPublic},
		},
		NeedNetworks: map[int64][]int64{needSopbil: {dalarna}, needLarm: {dalarna}, needDraft: {dalarna}},
		Procurements: []arena.MemberProcurement{
			{Meta: meta(procPlanned, 1, "2026-04-10T12:00:00Z"), NetworkID: dalarna, OrgID: ludvika, Title: "Upphandling av eldrivna sopbilar",
				Kind: arena.FollowOwnProcurement, Stage: arena.StagePlanned, PlannedDate: date(2026, 10, 1)},
			{Meta: meta(procAwarded, 4, "2026-09-16T06:30:00Z"), NetworkID: dalarna, OrgID: falun, Title: "Trygghetslarm, digitala",
				Kind: arena.FollowOwnProcurement, Stage: arena.StageAwarded, PlannedDate: date(2026, 5, 1), AnnouncedDate: date(2026, 6, 1),
				AwardedDate: date(2026, 9, 15), ProcurementRef: "FK-2026-17", OCID: extOCID},
			{Meta: meta(procHandover, 6, "2027-11-30T15:00:00Z"), NetworkID: dalarna, OrgID: ludvika, Title: "Laddinfrastruktur via Adda",
				Kind: arena.FollowHandover, CentralBody: "Adda Inköpscentral", Stage: arena.StageEvaluated, PlannedDate: date(2026, 3, 1),
				AnnouncedDate: date(2026, 4, 1), AwardedDate: date(2026, 6, 1), ImplementedDate: date(2026, 11, 1), EvaluatedDate: date(2027, 11, 28)},
			{Meta: meta(procWithdrawn, 3, "2026-07-01T10:00:00Z"), NetworkID: dalarna, OrgID: falun, Title: "Elcyklar för hemtjänsten",
				Stage: arena.StageWithdrawn, PlannedDate: date(2026, 5, 1), AnnouncedDate: date(2026, 6, 1), WithdrawnDate: date(2026, 6, 30),
				WithdrawnReason: "Inga anbud kom in."},
		},
		Published: time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC),
		CPVLabel:  func(code string) string { return cpvLabels[code] },
	}
}

// mustJSON marshals v.
func mustJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
