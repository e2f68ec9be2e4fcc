// Package seed holds reference data taken from Upphandlingsmyndighetens
// report "Upphandling för att stödja innovation" (2022): the organisations,
// funders, buyer networks, funding calls, projects and research environments
// the report describes. Records refer to each other by key; every record
// names the report section it comes from.
package seed

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/arena-se/arena"
)

//go:embed report.json
var reportJSON []byte

// Report is the whole of report.json.
type Report struct {
	Organizations []Org     `json:"organizations"`
	Funders       []Funder  `json:"funders"`
	Networks      []Network `json:"networks"`
	Calls         []Call    `json:"calls"`
	Projects      []Project `json:"projects"`
	Experts       []Expert  `json:"experts"`
}

// Org is an organisation named in the report.
type Org struct {
	Key     string        `json:"key"`
	Name    string        `json:"name"`
	Kind    arena.OrgKind `json:"kind"`
	Country string        `json:"country"`
	SCBCode string        `json:"scb_code"`
	Website string        `json:"website"`
	Source  string        `json:"source"`
}

// Funder is a body that funds projects or networks; Org is the key of its
// organisation, if it has one.
type Funder struct {
	Key    string           `json:"key"`
	Name   string           `json:"name"`
	Kind   arena.FunderKind `json:"kind"`
	Org    string           `json:"org"`
	Source string           `json:"source"`
}

// Network is a buyer network. Parent is a network key; Owner (huvudman) and
// Coordinator are organisation keys.
type Network struct {
	Key            string              `json:"key"`
	Name           string              `json:"name"`
	Kind           arena.NetworkKind   `json:"kind"`
	Parent         string              `json:"parent"`
	Sector         string              `json:"sector"`
	Description    string              `json:"description"`
	Owner          string              `json:"owner"`
	Coordinator    string              `json:"coordinator"`
	Country        string              `json:"country"`
	Website        string              `json:"website"`
	StartYear      *int                `json:"start_year"`
	EndYear        *int                `json:"end_year"`
	Status         arena.NetworkStatus `json:"status"`
	Open           bool                `json:"open"`
	Source         string              `json:"source"`
	Members        []Member            `json:"members"`
	FundingPeriods []FundingPeriod     `json:"funding_periods"`
}

// Member is an organisation the report names as part of a network.
type Member struct {
	Org  string           `json:"org"`
	Role arena.MemberRole `json:"role"`
	Tier arena.MemberTier `json:"tier"`
	Note string           `json:"note"`
}

// FundingPeriod says who pays a network and until when.
type FundingPeriod struct {
	Funder    string `json:"funder"`
	StartDate *Date  `json:"start_date"`
	EndDate   *Date  `json:"end_date"`
	AmountSEK *int64 `json:"amount_sek"`
	Note      string `json:"note"`
	Source    string `json:"source"`
}

// Call is a funder's call for applications.
type Call struct {
	Key              string          `json:"key"`
	Funder           string          `json:"funder"`
	Title            string          `json:"title"`
	Programme        string          `json:"programme"`
	Description      string          `json:"description"`
	EligibleOrgKinds []arena.OrgKind `json:"eligible_org_kinds"`
	Themes           []string        `json:"themes"`
	OpensDate        *Date           `json:"opens_date"`
	ClosesDate       *Date           `json:"closes_date"`
	MinAmountSEK     *int64          `json:"min_amount_sek"`
	MaxAmountSEK     *int64          `json:"max_amount_sek"`
	BudgetSEK        *int64          `json:"budget_sek"`
	CoFundingRate    *float64        `json:"co_funding_rate"`
	General          bool            `json:"general"`
	URL              string          `json:"url"`
	Source           string          `json:"source"`
}

// Project is a funded project the report studies (4.4, 4.5).
type Project struct {
	Key          string                `json:"key"`
	Title        string                `json:"title"`
	Category     arena.ProjectCategory `json:"category"`
	Procedure    arena.Procedure       `json:"procedure"`
	Phase        arena.ProjectPhase    `json:"phase"`
	Funder       string                `json:"funder"`
	Call         string                `json:"call"`
	Programme    string                `json:"programme"`
	Coordinator  string                `json:"coordinator"`
	Participants []string              `json:"participants"`
	Description  string                `json:"description"`
	Results      string                `json:"results"`
	Lessons      string                `json:"lessons"`
	StartYear    *int                  `json:"start_year"`
	EndYear      *int                  `json:"end_year"`
	Source       string                `json:"source"`
}

// Expert is a researcher or research environment the report names.
type Expert struct {
	Key          string           `json:"key"`
	Name         string           `json:"name"`
	Kind         arena.ExpertKind `json:"kind"`
	Org          string           `json:"org"`
	Affiliation  string           `json:"affiliation"`
	SubjectAreas []string         `json:"subject_areas"`
	Description  string           `json:"description"`
	Website      string           `json:"website"`
	Source       string           `json:"source"`
}

// Date is a date written "YYYY-MM-DD" in report.json. It wraps arena.Date
// because arena.Date embeds time.Time, whose JSON methods would otherwise
// be used and demand a full RFC 3339 timestamp.
type Date struct{ arena.Date }

// UnmarshalJSON reads a "YYYY-MM-DD" string.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a date is a string written YYYY-MM-DD, got %s", b)
	}
	return d.Date.UnmarshalText([]byte(s))
}

// MarshalJSON writes the date as "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// value returns the domain date, or nil.
func (d *Date) value() *arena.Date {
	if d == nil {
		return nil
	}
	v := d.Date
	return &v
}

// LoadReport parses the embedded report.json and checks that keys are
// unique and every reference resolves.
func LoadReport() (*Report, error) {
	return ParseReport(reportJSON)
}

// ParseReport parses data in the form of report.json strictly: unknown
// fields, trailing data, duplicate or empty keys and unresolved references
// are errors.
func ParseReport(data []byte) (*Report, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r Report
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("seed: parsing report.json: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("seed: parsing report.json: trailing data after the top-level object")
	}
	if err := r.check(); err != nil {
		return nil, fmt.Errorf("seed: report.json: %w", err)
	}
	return &r, nil
}

// keySet collects the keys of one collection and reports duplicates.
type keySet struct {
	what string
	keys map[string]bool
}

func newKeySet(what string) *keySet { return &keySet{what: what, keys: map[string]bool{}} }

func (s *keySet) add(key string, errs *[]error) {
	switch {
	case key == "":
		*errs = append(*errs, fmt.Errorf("%s with an empty key", s.what))
	case s.keys[key]:
		*errs = append(*errs, fmt.Errorf("duplicate %s key %q", s.what, key))
	default:
		s.keys[key] = true
	}
}

// ref checks an optional reference: empty is fine, otherwise it must exist.
func (s *keySet) ref(from, field, key string, errs *[]error) {
	if key != "" && !s.keys[key] {
		*errs = append(*errs, fmt.Errorf("%s: %s refers to unknown %s %q", from, field, s.what, key))
	}
}

// need checks a required reference.
func (s *keySet) need(from, field, key string, errs *[]error) {
	if key == "" {
		*errs = append(*errs, fmt.Errorf("%s: %s is required", from, field))
		return
	}
	s.ref(from, field, key, errs)
}

func (r *Report) check() error {
	var errs []error
	orgs, funders := newKeySet("organization"), newKeySet("funder")
	networks, calls := newKeySet("network"), newKeySet("call")
	projects, experts := newKeySet("project"), newKeySet("expert")
	for _, o := range r.Organizations {
		orgs.add(o.Key, &errs)
	}
	for _, f := range r.Funders {
		funders.add(f.Key, &errs)
	}
	for _, n := range r.Networks {
		networks.add(n.Key, &errs)
	}
	for _, c := range r.Calls {
		calls.add(c.Key, &errs)
	}
	for _, p := range r.Projects {
		projects.add(p.Key, &errs)
	}
	for _, e := range r.Experts {
		experts.add(e.Key, &errs)
	}

	for _, f := range r.Funders {
		orgs.ref("funder "+f.Key, "org", f.Org, &errs)
	}
	for _, n := range r.Networks {
		from := "network " + n.Key
		networks.ref(from, "parent", n.Parent, &errs)
		if n.Parent != "" && n.Parent == n.Key {
			errs = append(errs, fmt.Errorf("%s: parent is the network itself", from))
		}
		orgs.ref(from, "owner", n.Owner, &errs)
		orgs.ref(from, "coordinator", n.Coordinator, &errs)
		seen := map[string]bool{}
		for i, m := range n.Members {
			orgs.need(fmt.Sprintf("%s member %d", from, i), "org", m.Org, &errs)
			if seen[m.Org] {
				errs = append(errs, fmt.Errorf("%s: organization %q is a member twice", from, m.Org))
			}
			seen[m.Org] = true
		}
		for i, fp := range n.FundingPeriods {
			funders.ref(fmt.Sprintf("%s funding period %d", from, i), "funder", fp.Funder, &errs)
		}
	}
	callFunder := map[string]string{}
	for _, c := range r.Calls {
		funders.need("call "+c.Key, "funder", c.Funder, &errs)
		callFunder[c.Key] = c.Funder
	}
	for _, p := range r.Projects {
		from := "project " + p.Key
		funders.ref(from, "funder", p.Funder, &errs)
		calls.ref(from, "call", p.Call, &errs)
		orgs.ref(from, "coordinator", p.Coordinator, &errs)
		if f, ok := callFunder[p.Call]; ok && p.Funder != "" && f != p.Funder {
			errs = append(errs, fmt.Errorf("%s: funder %q differs from the funder %q of its call %q", from, p.Funder, f, p.Call))
		}
	}
	for _, e := range r.Experts {
		orgs.ref("expert "+e.Key, "org", e.Org, &errs)
	}
	return errors.Join(errs...)
}

// Arena builds the domain organisation from the record.
func (o *Org) Arena() arena.Organization {
	return arena.Organization{
		Name: o.Name, Kind: o.Kind, SCBCode: o.SCBCode,
		Country: o.Country, Website: o.Website, Source: o.Source,
	}
}

// Arena builds the domain funder; orgID is the stored id of f.Org, or nil.
func (f *Funder) Arena(orgID *int64) arena.Funder {
	return arena.Funder{Name: f.Name, Kind: f.Kind, OrgID: orgID, Source: f.Source}
}

// Arena builds the domain network from the record and the stored ids of its
// parent, owner and coordinator (nil where the record has none).
func (n *Network) Arena(parentID, ownerID, coordinatorID *int64) arena.Network {
	return arena.Network{
		Name: n.Name, Kind: n.Kind, ParentID: parentID, Sector: n.Sector,
		Description: n.Description, OwnerOrgID: ownerID, CoordinatorOrgID: coordinatorID,
		Country: n.Country, StartYear: n.StartYear, EndYear: n.EndYear,
		Status: n.Status, Open: n.Open, Website: n.Website, Source: n.Source,
	}
}

// Arena builds the domain membership of org orgID in network networkID.
func (m *Member) Arena(networkID, orgID int64) arena.NetworkMember {
	return arena.NetworkMember{NetworkID: networkID, OrgID: orgID, Role: m.Role, Tier: m.Tier, Status: arena.MemberActive}
}

// Arena builds the domain funding period of network networkID.
func (p *FundingPeriod) Arena(networkID int64, funderID *int64) arena.FundingPeriod {
	return arena.FundingPeriod{
		NetworkID: networkID, FunderID: funderID, StartDate: p.StartDate.value(), EndDate: p.EndDate.value(),
		AmountSEK: p.AmountSEK, Note: p.Note, Source: p.Source,
	}
}

// Arena builds the domain funding call of funder funderID.
func (c *Call) Arena(funderID int64) arena.FundingCall {
	return arena.FundingCall{
		FunderID: funderID, Title: c.Title, Programme: c.Programme, Description: c.Description,
		EligibleOrgKinds: append([]arena.OrgKind(nil), c.EligibleOrgKinds...),
		Themes:           append([]string(nil), c.Themes...),
		OpensDate:        c.OpensDate.value(), ClosesDate: c.ClosesDate.value(),
		MinAmountSEK: c.MinAmountSEK, MaxAmountSEK: c.MaxAmountSEK, BudgetSEK: c.BudgetSEK,
		CoFundingRate: c.CoFundingRate, General: c.General, URL: c.URL, Source: c.Source,
	}
}

// Arena builds the domain project from the record and the stored ids of its
// funder, call and coordinator (nil where the record has none).
func (p *Project) Arena(funderID, callID, coordinatorID *int64) arena.Project {
	return arena.Project{
		Title: p.Title, Category: p.Category, Procedure: p.Procedure, Phase: p.Phase,
		FunderID: funderID, CallID: callID, Programme: p.Programme, CoordinatorOrgID: coordinatorID,
		Participants: append([]string(nil), p.Participants...),
		Description:  p.Description, Results: p.Results, Lessons: p.Lessons,
		StartYear: p.StartYear, EndYear: p.EndYear, Source: p.Source,
	}
}

// Arena builds the domain expert; orgID is the stored id of e.Org, or nil.
func (e *Expert) Arena(orgID *int64) arena.Expert {
	return arena.Expert{
		Name: e.Name, Kind: e.Kind, OrgID: orgID, Affiliation: e.Affiliation,
		SubjectAreas: append([]string(nil), e.SubjectAreas...),
		Description:  e.Description, Website: e.Website, Source: e.Source,
	}
}
