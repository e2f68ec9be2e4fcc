package ocds

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	arena "github.com/arena-se/arena"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Config says who publishes and how identifiers and links are formed.
type Config struct {
	Publisher         string // the publisher's name; "Arena" when empty
	PublisherURI      string // optional, an absolute URI
	OCIDPrefix        string // the registered prefix, ocds- and six characters
	BaseURI           string // where Arena runs, e.g. https://arena.example.se
	License           string // optional URI of the data's licence
	PublicationPolicy string // optional URI of the publication policy
}

// Input is what the caller may see. Releases and Record publish all of
// it except draft needs, so the caller leaves out what it may not see.
type Input struct {
	Needs        []arena.Need
	Orgs         map[int64]arena.Organization // every organisation a need or procurement names
	Networks     map[int64]arena.Network      // every network a procurement names
	Procurements []arena.MemberProcurement
	NeedNetworks map[int64][]int64        // need id → the networks whose members brought it
	Published    time.Time                // the packages' publishedDate
	CPVLabel     func(code string) string // the Swedish label of a CPV code; may be nil
}

// NeedOCID is the ocid of a need: the prefix, "-need-" and the need's id.
func NeedOCID(cfg Config, needID int64) string {
	return cfg.OCIDPrefix + "-need-" + strconv.FormatInt(needID, 10)
}

// ProcurementOCID is the ocid of a member procurement: the one it records
// (the member's own procurement, published by whoever runs it), else the
// prefix, "-proc-" and its id.
func ProcurementOCID(cfg Config, p *arena.MemberProcurement) string {
	if p.OCID != "" {
		return p.OCID
	}
	return arenaProcOCID(cfg, p.ID)
}

func arenaProcOCID(cfg Config, id int64) string {
	return cfg.OCIDPrefix + "-proc-" + strconv.FormatInt(id, 10)
}

// Releases returns the release package of every need (drafts left out: they
// are not published yet) and every member procurement in the input, one
// release each, in input order. With nothing to publish the package has no
// releases, which the schema refuses (minItems 1): the caller decides what
// to answer then. Errors are a bad Config or an input that names an
// organisation or network it does not hold.
func Releases(cfg Config, in Input) (*ReleasePackage, error) {
	cfg, err := cfg.normalize()
	if err != nil {
		return nil, err
	}
	if in.Published.IsZero() {
		return nil, errors.New("ocds: Input.Published is required")
	}
	rels, err := build(cfg, in, nil)
	if err != nil {
		return nil, err
	}
	return &ReleasePackage{
		URI: cfg.BaseURI + ReleasesPath, Version: Version, PublishedDate: instant(in.Published),
		Publisher: cfg.publisher(), License: cfg.License, PublicationPolicy: cfg.PublicationPolicy,
		Releases: rels,
	}, nil
}

var prefixPattern = regexp.MustCompile(`^ocds-[a-z0-9]{6}$`)

func (c Config) normalize() (Config, error) {
	c.Publisher = cmp.Or(strings.TrimSpace(c.Publisher), "Arena")
	if !prefixPattern.MatchString(c.OCIDPrefix) {
		return c, fmt.Errorf("ocds: OCID prefix %q is not ocds- and six lower-case letters or digits", c.OCIDPrefix)
	}
	c.BaseURI = strings.TrimRight(c.BaseURI, "/")
	for _, f := range []struct{ name, uri string }{{"BaseURI", c.BaseURI}, {"PublisherURI", c.PublisherURI},
		{"License", c.License}, {"PublicationPolicy", c.PublicationPolicy}} {
		if (f.uri != "" || f.name == "BaseURI") && !absURL(f.uri) {
			return c, fmt.Errorf("ocds: %s %q is not an absolute http(s) URI", f.name, f.uri)
		}
	}
	return c, nil
}

func (c Config) publisher() Publisher { return Publisher{Name: c.Publisher, URI: c.PublisherURI} }

func absURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && !strings.ContainsAny(s, " \t\r\n")
}

// build makes the releases of the input whose ocid want accepts (all when
// want is nil).
func build(cfg Config, in Input, want func(ocid string) bool) ([]Release, error) {
	b := builder{cfg: cfg, in: in}
	var out []Release
	seen := map[[2]string]bool{}
	add := func(r Release) {
		k := [2]string{r.OCID, r.ID}
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	for _, n := range in.Needs {
		if !n.Shared() || want != nil && !want(NeedOCID(cfg, n.ID)) {
			continue
		}
		r, err := b.need(&n)
		if err != nil {
			return nil, err
		}
		add(r)
	}
	for _, p := range in.Procurements {
		if want != nil && !want(ProcurementOCID(cfg, &p)) {
			continue
		}
		r, err := b.procurement(&p)
		if err != nil {
			return nil, err
		}
		add(r)
	}
	if out == nil {
		out = []Release{}
	}
	return out, nil
}

type builder struct {
	cfg Config
	in  Input
}

// need maps a need to a planning release: its organisation is the buyer,
// its description the rationale, its estimated value the budget and the
// tender's value, its CPV codes the classification of one item and its
// planned procurement date the start of the tender period.
func (b *builder) need(n *arena.Need) (Release, error) {
	org, ok := b.in.Orgs[n.OrgID]
	if !ok {
		return Release{}, fmt.Errorf("ocds: organisation %d of need %d is not in Input.Orgs", n.OrgID, n.ID)
	}
	ocid := NeedOCID(b.cfg, n.ID)
	buyer := party(&org, "buyer")
	r := Release{
		OCID: ocid, ID: ocid + "-v" + strconv.FormatInt(n.Version, 10), Date: b.updated(&n.Meta),
		Tag: []string{"planning"}, InitiationType: "tender", Language: "sv",
		Parties: []Party{buyer}, Buyer: buyer.ref(),
		Planning: &Planning{Rationale: n.Description, Documents: []Document{{
			ID: "arena-need", DocumentType: "needsAssessment", Title: "Behovet i Arena",
			URL: b.cfg.BaseURI + "/behov/" + strconv.FormatInt(n.ID, 10), Format: "text/html", Language: "sv"}}},
		Tender: &Tender{ID: ocid, Title: n.Title, Description: n.Description, Status: "planning",
			MainProcurementCategory: category(n.CPVCodes)},
	}
	if len(n.CPVCodes) > 0 || n.Volume != nil {
		it := Item{ID: "1", Description: n.Title, Quantity: n.Volume}
		if len(n.CPVCodes) > 0 {
			it.Classification = new(b.cpv(n.CPVCodes[0]))
			for _, c := range n.CPVCodes[1:] {
				it.AdditionalClassifications = append(it.AdditionalClassifications, b.cpv(c))
			}
		}
		if n.Volume != nil && n.VolumeUnit != "" {
			it.Unit = &Unit{Name: n.VolumeUnit}
		}
		r.Tender.Items = []Item{it}
	}
	if n.EstimatedValueSEK != nil {
		r.Planning.Budget = &Budget{Description: budgetDescription(n.Intent), Amount: &Value{Amount: *n.EstimatedValueSEK, Currency: "SEK"}}
		r.Tender.Value = &Value{Amount: *n.EstimatedValueSEK, Currency: "SEK"}
	}
	if n.PlannedDate != nil {
		r.Tender.TenderPeriod = &Period{StartDate: day(*n.PlannedDate)}
	}
	return r, nil
}

// budgetDescription says that the amount is an estimate and how far the
// buyer has come towards buying.
func budgetDescription(i arena.Intent) string {
	s := map[arena.Intent]string{
		arena.IntentExplore:  "Organisationen utforskar behovet; ingen budget är beslutad.",
		arena.IntentPlan:     "Organisationen planerar att upphandla; ingen budget är beslutad.",
		arena.IntentBudgeted: "Budget är avsatt.",
		arena.IntentDecided:  "Beslut om upphandling är fattat.",
	}[i]
	return strings.TrimSpace("Uppskattat värde. " + s)
}

func (b *builder) cpv(code string) Classification {
	c := Classification{Scheme: "CPV", ID: code}
	if b.in.CPVLabel != nil {
		c.Description = b.in.CPVLabel(code)
	}
	return c
}

// category is the main procurement category of the first CPV code: its
// divisions 03–44 and 48 are supplies (goods), 45 works, the rest
// services.
func category(codes []string) string {
	if len(codes) == 0 || len(codes[0]) < 2 {
		return ""
	}
	div, err := strconv.Atoi(codes[0][:2])
	switch {
	case err != nil:
		return ""
	case div == 45:
		return "works"
	case div < 45 || div == 48:
		return "goods"
	}
	return "services"
}

// Stage words of a member procurement's release.
const (
	handoverDetails = "Överlämnad till inköpscentral"
	withdrawnPrefix = "Avbruten: "
)

// procurement maps a member's own procurement to a release of its stage:
// planned → planning, announced → tender, awarded → award, implemented →
// contract, evaluated → implementation (a met evaluation milestone), and
// withdrawn → the cancellation of the furthest part it reached. It is
// related to the network it follows from and to the member's needs the
// network was formed from. Its release id is Arena's own ocid for it and
// the version, unique even under another publisher's ocid.
func (b *builder) procurement(p *arena.MemberProcurement) (Release, error) {
	org, ok := b.in.Orgs[p.OrgID]
	if !ok {
		return Release{}, fmt.Errorf("ocds: organisation %d of member procurement %d is not in Input.Orgs", p.OrgID, p.ID)
	}
	nw, ok := b.in.Networks[p.NetworkID]
	if !ok {
		return Release{}, fmt.Errorf("ocds: network %d of member procurement %d is not in Input.Networks", p.NetworkID, p.ID)
	}
	own := arenaProcOCID(b.cfg, p.ID)
	buyer := party(&org, "buyer")
	r := Release{
		OCID: ProcurementOCID(b.cfg, p), ID: own + "-v" + strconv.FormatInt(p.Version, 10), Date: b.updated(&p.Meta),
		InitiationType: "tender", Language: "sv", Parties: []Party{buyer}, Buyer: buyer.ref(),
	}
	t := &Tender{ID: cmp.Or(p.ProcurementRef, own), Title: p.Title}
	r.Tender = t
	if p.Kind == arena.FollowHandover {
		t.ProcurementMethodDetails = handoverDetails
		if body := strings.TrimSpace(p.CentralBody); body != "" {
			cb := Party{ID: "arena-central-" + slug(body), Name: body, Roles: []string{"procuringEntity"}}
			r.Parties = append(r.Parties, cb)
			t.ProcuringEntity = cb.ref()
			t.ProcurementMethodDetails += " (" + body + ")"
		}
	}
	if d := cmp.Or(p.AnnouncedDate, p.PlannedDate); d != nil {
		t.TenderPeriod = &Period{StartDate: day(*d)}
	}
	var award *Award
	var contract *Contract
	if p.AwardedDate != nil || p.ImplementedDate != nil || p.EvaluatedDate != nil {
		award = &Award{ID: own + "-award", Title: p.Title, Status: "active"}
		if p.AwardedDate != nil {
			award.Date = day(*p.AwardedDate)
		}
	}
	if p.ImplementedDate != nil || p.EvaluatedDate != nil {
		contract = &Contract{ID: own + "-contract", AwardID: award.ID, Title: p.Title, Status: "active"}
		if p.ImplementedDate != nil {
			contract.Period = &Period{StartDate: day(*p.ImplementedDate)}
		}
		if p.EvaluatedDate != nil {
			contract.Implementation = &Implementation{Milestones: []Milestone{{ID: "evaluation", Title: "Utvärdering",
				Type: "assessment", Status: "met", DateMet: day(*p.EvaluatedDate)}}}
		}
	}
	switch cmp.Or(p.Stage, arena.StagePlanned) {
	case arena.StagePlanned:
		r.Tag, t.Status = []string{"planning"}, "planned"
	case arena.StageAnnounced:
		r.Tag, t.Status = []string{"tender"}, "active"
	case arena.StageAwarded:
		r.Tag, t.Status = []string{"award"}, "complete"
	case arena.StageImplemented:
		r.Tag, t.Status = []string{"contract"}, "complete"
	case arena.StageEvaluated:
		r.Tag, t.Status = []string{"implementation"}, "complete"
	case arena.StageWithdrawn:
		why := strings.TrimSpace(withdrawnPrefix + p.WithdrawnReason)
		switch {
		case contract != nil:
			r.Tag, t.Status = []string{"contractTermination"}, "complete"
			contract.Status, contract.Description = "terminated", why
			if p.WithdrawnDate != nil {
				contract.Period = cmp.Or(contract.Period, &Period{})
				contract.Period.EndDate = day(*p.WithdrawnDate)
			}
		case award != nil:
			r.Tag, t.Status = []string{"awardCancellation"}, "cancelled"
			award.Status, award.Description = "cancelled", why
		case p.AnnouncedDate != nil:
			r.Tag, t.Status, t.Description = []string{"tenderCancellation"}, "cancelled", why
		default: // never announced: the plan is given up
			r.Tag, t.Status, t.Description = []string{"planning"}, "withdrawn", why
		}
	default:
		return Release{}, fmt.Errorf("ocds: member procurement %d has unknown stage %q", p.ID, p.Stage)
	}
	if award != nil {
		r.Awards = []Award{*award}
	}
	if contract != nil {
		r.Contracts = []Contract{*contract}
	}
	r.RelatedProcesses = b.related(p, &nw)
	return r, nil
}

// related links a member procurement to the network's page (the network
// is the planning it follows from, without an ocid of its own) and to the
// member's visible needs that the network was formed from, by their ocids.
func (b *builder) related(p *arena.MemberProcurement, nw *arena.Network) []RelatedProcess {
	out := []RelatedProcess{{ID: "arena-network-" + strconv.FormatInt(nw.ID, 10), Relationship: []string{"planning"},
		Title: nw.Name, URI: b.cfg.BaseURI + "/natverk/" + strconv.FormatInt(nw.ID, 10)}}
	seen := map[int64]bool{}
	for _, n := range b.in.Needs {
		if n.OrgID != p.OrgID || !n.Shared() || seen[n.ID] || !slices.Contains(b.in.NeedNetworks[n.ID], p.NetworkID) {
			continue
		}
		seen[n.ID] = true
		ocid := NeedOCID(b.cfg, n.ID)
		out = append(out, RelatedProcess{ID: "arena-need-" + strconv.FormatInt(n.ID, 10), Relationship: []string{"planning"},
			Title: n.Title, Scheme: "ocid", Identifier: ocid, URI: b.cfg.BaseURI + RecordsPath + url.PathEscape(ocid)})
	}
	return out
}

// updated is a release's date: when the record last changed.
func (b *builder) updated(m *arena.Meta) string {
	switch {
	case !m.UpdatedAt.IsZero():
		return instant(m.UpdatedAt)
	case !m.CreatedAt.IsZero():
		return instant(m.CreatedAt)
	}
	return instant(b.in.Published)
}

// instant writes a moment in UTC, to the second.
func instant(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// day writes a calendar date as the start of that day in Sweden
// (2026-09-01T00:00:00+02:00): the date part reads as the Swedish date, and
// the instant is exact.
func day(d arena.Date) string {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, arena.Stockholm).Format(time.RFC3339)
}

// party is an organisation as a party. Its id is its organisation number in
// org-id.guide's SE-ON scheme (every Swedish organisationsnummer, those of
// kommuner and regioner included), else Arena's own id.
func party(o *arena.Organization, roles ...string) Party {
	p := Party{ID: "arena-org-" + strconv.FormatInt(o.ID, 10), Name: o.Name, Roles: roles}
	if o.OrgNumber != "" {
		p.ID = "SE-ON-" + o.OrgNumber
		p.Identifier = &Identifier{Scheme: "SE-ON", ID: o.OrgNumber, LegalName: o.Name}
	}
	if c := countryName(o.Country); c != "" {
		p.Address = &Address{CountryName: c}
	}
	if absURL(o.Website) {
		p.ContactPoint = &ContactPoint{URL: o.Website}
	}
	return p
}

func (p *Party) ref() *OrganizationReference { return &OrganizationReference{ID: p.ID, Name: p.Name} }

// countryName is the Swedish name of an ISO 3166-1 alpha-2 code (empty
// means Sweden), or "" for an unknown code.
func countryName(code string) string {
	r, err := language.ParseRegion(cmp.Or(code, "SE"))
	if err != nil {
		return ""
	}
	return display.Swedish.Regions().Name(r)
}

// slug makes a name into an id part: lower case, runs of other characters
// than letters and digits as one hyphen.
func slug(s string) string {
	var sb strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && sb.Len() > 0 {
				sb.WriteByte('-')
			}
			sb.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return sb.String()
}
