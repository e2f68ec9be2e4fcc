package export

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/i18n"
	"github.com/arena-se/arena/internal/store"
)

// The registers' exports: each register's columns, named from the
// catalogue and filled with what its page shows (organisation names for
// ids, states and kinds worded, dates as 2026-12-06, amounts as plain
// numbers). The rows are the register's list with the filters given, as
// the actor of the context may see it (the store's List decides), in id
// order, so that the page's download and the API's export are the same.

// MaxRows bounds an export: a list with more rows is refused, naming the
// format, and the caller narrows the filters. A variable, so that tests
// can lower it.
var MaxRows = 50000

// pageSize is how many records All reads a page; tests lower it.
var pageSize = store.MaxPageSize

// Register is one register's export.
type Register struct {
	Name  string // the API's path segment: "needs"
	File  string // the download's name before its date: "behov"
	build func(ctx context.Context, db *store.DB, filters map[string]string, c *i18n.Catalog) (*Table, error)
}

// Table builds the register's table for the filters (the store's filter
// names) in the language of c.
func (reg *Register) Table(ctx context.Context, db *store.DB, filters map[string]string, c *i18n.Catalog) (*Table, error) {
	return reg.build(ctx, db, filters, c)
}

// Registers are the registers that export, by the API's path segment.
var Registers = map[string]*Register{
	"needs": {Name: "needs", File: "behov", build: func(ctx context.Context, db *store.DB, f map[string]string, c *i18n.Catalog) (*Table, error) {
		xs, err := All(ctx, db.Needs, f)
		if err != nil {
			return nil, err
		}
		return Needs(ctx, db, xs, c)
	}},
	"networks": {Name: "networks", File: "natverk", build: func(ctx context.Context, db *store.DB, f map[string]string, c *i18n.Catalog) (*Table, error) {
		xs, err := All(ctx, db.Networks, f)
		if err != nil {
			return nil, err
		}
		return Networks(ctx, db, xs, c)
	}},
	"calls": {Name: "calls", File: "utlysningar", build: func(ctx context.Context, db *store.DB, f map[string]string, c *i18n.Catalog) (*Table, error) {
		xs, err := All(ctx, db.Calls, f)
		if err != nil {
			return nil, err
		}
		return Calls(ctx, db, xs, c)
	}},
	"projects": {Name: "projects", File: "projekt", build: func(ctx context.Context, db *store.DB, f map[string]string, c *i18n.Catalog) (*Table, error) {
		xs, err := All(ctx, db.Projects, f)
		if err != nil {
			return nil, err
		}
		return Projects(ctx, db, xs, c)
	}},
	"experts": {Name: "experts", File: "experter", build: func(ctx context.Context, db *store.DB, f map[string]string, c *i18n.Catalog) (*Table, error) {
		xs, err := All(ctx, db.Experts, f)
		if err != nil {
			return nil, err
		}
		return Experts(ctx, db, xs, c)
	}},
	"deliverables": {Name: "deliverables", File: "leveranser", build: func(ctx context.Context, db *store.DB, f map[string]string, c *i18n.Catalog) (*Table, error) {
		xs, err := All(ctx, db.Deliverables, f)
		if err != nil {
			return nil, err
		}
		return Deliverables(ctx, db, xs, c)
	}},
	"member-procurements": {Name: "member-procurements", File: "medlemsupphandlingar", build: func(ctx context.Context, db *store.DB, f map[string]string, c *i18n.Catalog) (*Table, error) {
		xs, err := All(ctx, db.MemberProcurements, f)
		if err != nil {
			return nil, err
		}
		return MemberProcurements(ctx, db, xs, c)
	}},
}

// FunnelFile is the funnel's download name before its date.
const FunnelFile = "tratt"

// FileName is a download's name before the format's extension: the stem
// and the Swedish date of now, behov-2026-12-06.
func FileName(stem string, now time.Time) string {
	return stem + "-" + arena.Today(now).String()
}

// TooMany is the error of an export of n rows, more than MaxRows.
func TooMany(n int) error {
	return arena.Invalid("format", "err.export_rows", arena.F{"count": n, "max": MaxRows})
}

// All reads every record of e matching filters that the actor of ctx may
// see, page by page of the store's List (its after cursors), in id order;
// more than MaxRows is refused before any page is read beyond the first.
func All[T any](ctx context.Context, e *store.Entity[T], filters map[string]string) ([]*T, error) {
	lq := store.ListQuery{Filters: filters, Limit: pageSize}
	var out []*T
	for {
		page, err := e.List(ctx, lq)
		if err != nil {
			return nil, err
		}
		if page.Total > MaxRows {
			return nil, TooMany(page.Total)
		}
		out = append(out, page.Items...)
		if page.Next == 0 || len(out) > MaxRows {
			break
		}
		lq.After = page.Next
	}
	if len(out) > MaxRows { // the list grew while it was read
		return nil, TooMany(len(out))
	}
	return out, nil
}

// lookup reads the names of the records of e with ids, as the actor of
// ctx may see them, in one query.
func lookup[T any](ctx context.Context, e *store.Entity[T], ids []int64, name func(*T) string) (map[int64]string, error) {
	out := map[int64]string{}
	seen := map[int64]bool{}
	var want []int64
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			want = append(want, id)
		}
	}
	if len(want) == 0 {
		return out, nil
	}
	got, err := e.GetMany(ctx, want)
	if err != nil {
		return nil, err
	}
	for id, v := range got {
		out[id] = name(v)
	}
	return out, nil
}

func orgNames(ctx context.Context, db *store.DB, ids []int64) (map[int64]string, error) {
	return lookup(ctx, db.Organizations, ids, func(o *arena.Organization) string { return o.Name })
}

func idOf(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// cols are a table's column headers from the catalogue (export.col.<name>).
func cols(c *i18n.Catalog, names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = c.T("export.col." + n)
	}
	return out
}

// enum words a coded value as the pages do (prefix.value); "" stays "".
func enum(c *i18n.Catalog, prefix string, v any) string {
	s := fmt.Sprint(v)
	if s == "" {
		return ""
	}
	return c.T(prefix + "." + s)
}

func enums[E ~string](c *i18n.Catalog, prefix string, vs []E) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = enum(c, prefix, v)
	}
	return strings.Join(out, ", ")
}

func id(v int64) string { return strconv.FormatInt(v, 10) }

func date(d *arena.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func amount(v *int64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatInt(*v, 10)
}

func year(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

// decimal writes a number without grouping, with the language's decimal
// sign (12,5 in Swedish, as Swedish Excel reads it; 12.5 in English).
func decimal(c *i18n.Catalog, v *float64) string {
	if v == nil {
		return ""
	}
	s := strconv.FormatFloat(*v, 'f', -1, 64)
	if c.Lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

func yesNo(c *i18n.Catalog, b bool) string {
	if b {
		return c.T("yes")
	}
	return c.T("no")
}

func list(xs []string) string { return strings.Join(xs, ", ") }

// Needs is the needs register's table.
func Needs(ctx context.Context, db *store.DB, xs []*arena.Need, c *i18n.Catalog) (*Table, error) {
	ids := make([]int64, len(xs))
	for i, x := range xs {
		ids[i] = x.OrgID
	}
	orgs, err := orgNames(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	t := &Table{Sheet: c.T("export.sheet.needs"), Header: cols(c, "id", "title", "org", "intent", "visibility", "planned_date",
		"estimated_value_sek", "volume", "volume_unit", "cpv_codes", "sector", "description", "updated")}
	for _, x := range xs {
		t.Rows = append(t.Rows, []string{id(x.ID), x.Title, orgs[x.OrgID], enum(c, "intent", x.Intent), enum(c, "visibility", x.Visibility),
			date(x.PlannedDate), amount(x.EstimatedValueSEK), decimal(c, x.Volume), x.VolumeUnit, list(x.CPVCodes), x.Sector, x.Description,
			arena.Today(x.UpdatedAt).String()})
	}
	return t, nil
}

// Networks is the networks register's table.
func Networks(ctx context.Context, db *store.DB, xs []*arena.Network, c *i18n.Catalog) (*Table, error) {
	var ids []int64
	for _, x := range xs {
		ids = append(ids, idOf(x.OwnerOrgID), idOf(x.CoordinatorOrgID))
	}
	orgs, err := orgNames(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	t := &Table{Sheet: c.T("export.sheet.networks"), Header: cols(c, "id", "name", "network_kind", "status", "sector", "owner", "coordinator",
		"start_year", "end_year", "open", "website", "description")}
	for _, x := range xs {
		t.Rows = append(t.Rows, []string{id(x.ID), x.Name, enum(c, "network_kind", x.Kind), enum(c, "network_status", x.Status), x.Sector,
			orgs[idOf(x.OwnerOrgID)], orgs[idOf(x.CoordinatorOrgID)], year(x.StartYear), year(x.EndYear), yesNo(c, x.Open), x.Website, x.Description})
	}
	return t, nil
}

// Calls is the funding calls' table.
func Calls(ctx context.Context, db *store.DB, xs []*arena.FundingCall, c *i18n.Catalog) (*Table, error) {
	ids := make([]int64, len(xs))
	for i, x := range xs {
		ids[i] = x.FunderID
	}
	funders, err := lookup(ctx, db.Funders, ids, func(f *arena.Funder) string { return f.Name })
	if err != nil {
		return nil, err
	}
	t := &Table{Sheet: c.T("export.sheet.calls"), Header: cols(c, "id", "title", "funder", "programme", "opens_date", "closes_date",
		"min_amount_sek", "max_amount_sek", "budget_sek", "co_funding_percent", "eligible_org_kinds", "general", "themes", "url", "description")}
	for _, x := range xs {
		var rate *float64
		if x.CoFundingRate != nil {
			v := float64(int64(*x.CoFundingRate*10000+0.5)) / 100 // a percentage to two decimals
			rate = &v
		}
		t.Rows = append(t.Rows, []string{id(x.ID), x.Title, funders[x.FunderID], x.Programme, date(x.OpensDate), date(x.ClosesDate),
			amount(x.MinAmountSEK), amount(x.MaxAmountSEK), amount(x.BudgetSEK), decimal(c, rate), enums(c, "org_kind", x.EligibleOrgKinds),
			yesNo(c, x.General), list(x.Themes), x.URL, x.Description})
	}
	return t, nil
}

// Projects is the projects register's table.
func Projects(ctx context.Context, db *store.DB, xs []*arena.Project, c *i18n.Catalog) (*Table, error) {
	var funderIDs, orgIDs []int64
	for _, x := range xs {
		funderIDs = append(funderIDs, idOf(x.FunderID))
		orgIDs = append(orgIDs, idOf(x.CoordinatorOrgID))
	}
	funders, err := lookup(ctx, db.Funders, funderIDs, func(f *arena.Funder) string { return f.Name })
	if err != nil {
		return nil, err
	}
	orgs, err := orgNames(ctx, db, orgIDs)
	if err != nil {
		return nil, err
	}
	t := &Table{Sheet: c.T("export.sheet.projects"), Header: cols(c, "id", "title", "category", "procedure", "phase", "funder", "programme",
		"coordinator", "participants", "start_year", "end_year", "description", "results", "lessons")}
	for _, x := range xs {
		t.Rows = append(t.Rows, []string{id(x.ID), x.Title, enum(c, "category", x.Category), enum(c, "procedure", x.Procedure), enum(c, "phase", x.Phase),
			funders[idOf(x.FunderID)], x.Programme, orgs[idOf(x.CoordinatorOrgID)], list(x.Participants), year(x.StartYear), year(x.EndYear),
			x.Description, x.Results, x.Lessons})
	}
	return t, nil
}

// Experts is the experts register's table.
func Experts(ctx context.Context, db *store.DB, xs []*arena.Expert, c *i18n.Catalog) (*Table, error) {
	var ids []int64
	for _, x := range xs {
		ids = append(ids, idOf(x.OrgID))
	}
	orgs, err := orgNames(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	t := &Table{Sheet: c.T("export.sheet.experts"), Header: cols(c, "id", "name", "expert_kind", "org", "affiliation", "subject_areas",
		"contact", "website", "description")}
	for _, x := range xs {
		t.Rows = append(t.Rows, []string{id(x.ID), x.Name, enum(c, "expert_kind", x.Kind), orgs[idOf(x.OrgID)], x.Affiliation, list(x.SubjectAreas),
			x.Contact, x.Website, x.Description})
	}
	return t, nil
}

// Deliverables is the deliverables library's table.
func Deliverables(ctx context.Context, db *store.DB, xs []*arena.Deliverable, c *i18n.Catalog) (*Table, error) {
	ids := make([]int64, len(xs))
	for i, x := range xs {
		ids[i] = x.NetworkID
	}
	nets, err := lookup(ctx, db.Networks, ids, func(n *arena.Network) string { return n.Name })
	if err != nil {
		return nil, err
	}
	t := &Table{Sheet: c.T("export.sheet.deliverables"), Header: cols(c, "id", "title", "deliverable_kind", "network", "doc_version",
		"published_date", "url", "description")}
	for _, x := range xs {
		t.Rows = append(t.Rows, []string{id(x.ID), x.Title, enum(c, "deliverable_kind", x.Kind), nets[x.NetworkID], x.DocVersion,
			date(x.PublishedDate), x.URL, x.Description})
	}
	return t, nil
}

// MemberProcurements is the table of members' procurements.
func MemberProcurements(ctx context.Context, db *store.DB, xs []*arena.MemberProcurement, c *i18n.Catalog) (*Table, error) {
	var netIDs, orgIDs, delIDs []int64
	for _, x := range xs {
		netIDs = append(netIDs, x.NetworkID)
		orgIDs = append(orgIDs, x.OrgID)
		delIDs = append(delIDs, idOf(x.DeliverableID))
	}
	nets, err := lookup(ctx, db.Networks, netIDs, func(n *arena.Network) string { return n.Name })
	if err != nil {
		return nil, err
	}
	orgs, err := orgNames(ctx, db, orgIDs)
	if err != nil {
		return nil, err
	}
	dels, err := lookup(ctx, db.Deliverables, delIDs, func(d *arena.Deliverable) string { return d.Title })
	if err != nil {
		return nil, err
	}
	t := &Table{Sheet: c.T("export.sheet.procurements"), Header: cols(c, "id", "network", "org", "title", "follow_kind", "central_body", "stage",
		"deliverable", "planned_date", "announced_date", "awarded_date", "implemented_date", "evaluated_date", "withdrawn_date",
		"withdrawn_reason", "procurement_ref", "ocid")}
	for _, x := range xs {
		stage := x.Stage
		if stage == "" {
			stage = arena.StagePlanned
		}
		t.Rows = append(t.Rows, []string{id(x.ID), nets[x.NetworkID], orgs[x.OrgID], x.Title, enum(c, "follow_kind", x.Kind), x.CentralBody,
			enum(c, "stage", stage), dels[idOf(x.DeliverableID)], date(x.PlannedDate), date(x.AnnouncedDate), date(x.AwardedDate),
			date(x.ImplementedDate), date(x.EvaluatedDate), date(x.WithdrawnDate), x.WithdrawnReason, x.ProcurementRef, x.OCID})
	}
	return t, nil
}

// Funnel is a funnel's table: its steps as the page's chart names them,
// with their counts.
func Funnel(f arena.Funnel, c *i18n.Catalog) *Table {
	t := &Table{Sheet: c.T("export.sheet.funnel"), Header: []string{c.T("funnel.step"), c.T("funnel.count")}}
	add := func(label string, n int) { t.Rows = append(t.Rows, []string{label, strconv.Itoa(n)}) }
	add(c.T("funnel.needs"), f.Needs)
	add(c.T("funnel.networks"), f.Networks)
	add(c.T("funnel.deliverables"), f.Deliverables)
	for _, s := range arena.ProcurementStages {
		add(c.T("funnel.procurements", c.T("stage."+string(s))), f.Procurements[s])
	}
	add(c.T("funnel.handovers"), f.Handovers)
	add(c.T("funnel.implemented"), f.Implemented)
	return t
}
