package arena

import (
	"math"
	"net/mail"
	"regexp"
	"strings"
	"time"
)

// Meta is what every stored record carries. Version grows by one with each
// update and is the record's ETag: an update names the version it read.
type Meta struct {
	ID        int64     `json:"id"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Organization is a public buyer, a company, a university or an association.
type Organization struct {
	Meta
	Name      string  `json:"name"`
	OrgNumber string  `json:"org_number,omitempty"` // organisationsnummer, NNNNNN-NNNN
	Kind      OrgKind `json:"kind"`
	SCBCode   string  `json:"scb_code,omitempty"` // kommun (4 digits) or län of a region (2 digits)
	Country   string  `json:"country,omitempty"`  // ISO 3166-1 alpha-2; empty means SE
	Website   string  `json:"website,omitempty"`
	Source    string  `json:"source,omitempty"` // where the record comes from, e.g. "rapporten 5.1.2"
}

// Validate checks the organisation's own rules and normalises its number.
func (o *Organization) Validate() error {
	o.Name = strings.TrimSpace(o.Name)
	if o.Name == "" {
		return Invalid("name", "name is required")
	}
	if k, ok := ParseOrgKind(string(o.Kind)); ok {
		o.Kind = k
	} else {
		return checkEnum("kind", o.Kind, OrgKinds, false)
	}
	if o.OrgNumber != "" {
		n, err := NormalizeOrgNumber(o.OrgNumber)
		if err != nil {
			return err
		}
		o.OrgNumber = n
	}
	if o.SCBCode != "" {
		if o.Kind != OrgKommun && o.Kind != OrgRegion {
			return Invalid("scb_code", "only kommuner and regioner carry an SCB code")
		}
		if !ValidSCBCode(o.Kind, o.SCBCode) {
			return Invalid("scb_code", "SCB code of a %s must be %d digits", o.Kind, map[OrgKind]int{OrgKommun: 4, OrgRegion: 2}[o.Kind])
		}
	}
	if !validCountry(o.Country) {
		return Invalid("country", "country must be a two-letter ISO code such as SE or NL")
	}
	return nil
}

// User is a person who signs in.
type User struct {
	Meta
	Email         string         `json:"email"`
	Name          string         `json:"name"`
	PlatformRoles []PlatformRole `json:"platform_roles"`
}

// Validate checks the user's own rules.
func (u *User) Validate() error {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		return Invalid("email", "%q is not an e-mail address", u.Email)
	}
	u.Name = strings.TrimSpace(u.Name)
	if u.PlatformRoles == nil {
		u.PlatformRoles = []PlatformRole{}
	}
	for _, r := range u.PlatformRoles {
		if err := checkEnum("platform_roles", r, PlatformRoles, false); err != nil {
			return err
		}
	}
	return nil
}

// HasRole reports whether the user holds a platform role.
func (u *User) HasRole(r PlatformRole) bool {
	for _, x := range u.PlatformRoles {
		if x == r {
			return true
		}
	}
	return false
}

// OrgMembership ties a user to an organisation with a role.
type OrgMembership struct {
	Meta
	UserID int64   `json:"user_id"`
	OrgID  int64   `json:"org_id"`
	Role   OrgRole `json:"role"`
}

// Validate checks the membership's own rules.
func (m *OrgMembership) Validate() error {
	if m.UserID <= 0 {
		return Invalid("user_id", "user_id is required")
	}
	if m.OrgID <= 0 {
		return Invalid("org_id", "org_id is required")
	}
	return checkEnum("role", m.Role, OrgRoles, false)
}

// Need is a procurement need posted by one organisation. The description
// says what effect is wanted, not which product (funktionsupphandling, 3.1).
type Need struct {
	Meta
	OrgID             int64      `json:"org_id"`
	Title             string     `json:"title"`
	Description       string     `json:"description"`
	CPVCodes          []string   `json:"cpv_codes"`
	Sector            string     `json:"sector,omitempty"`
	EstimatedValueSEK *int64     `json:"estimated_value_sek,omitempty"`
	Volume            *float64   `json:"volume,omitempty"`
	VolumeUnit        string     `json:"volume_unit,omitempty"`
	PlannedDate       *Date      `json:"planned_date,omitempty"` // planned procurement date
	Intent            Intent     `json:"intent"`
	Visibility        Visibility `json:"visibility"`
	CreatedBy         int64      `json:"created_by,omitempty"`
}

// Validate checks the need's own rules and normalises CPV codes to 8 digits.
// Whether the codes exist is checked against reference data by the caller.
func (n *Need) Validate() error {
	if n.OrgID <= 0 {
		return Invalid("org_id", "org_id is required")
	}
	n.Title = strings.TrimSpace(n.Title)
	if n.Title == "" {
		return Invalid("title", "title is required")
	} else if len([]rune(n.Title)) > 200 {
		return Invalid("title", "title must be at most 200 characters")
	}
	n.Description = strings.TrimSpace(n.Description)
	if len([]rune(n.Description)) > 20000 {
		return Invalid("description", "description must be at most 20000 characters")
	}
	codes, err := normalizeCPVList("cpv_codes", n.CPVCodes)
	if err != nil {
		return err
	}
	n.CPVCodes = codes
	if n.EstimatedValueSEK != nil && *n.EstimatedValueSEK < 0 {
		return Invalid("estimated_value_sek", "estimated value must not be negative")
	}
	if n.Volume != nil && (*n.Volume < 0 || math.IsNaN(*n.Volume) || math.IsInf(*n.Volume, 0)) {
		return Invalid("volume", "volume must not be negative")
	}
	if n.Volume == nil && n.VolumeUnit != "" {
		return Invalid("volume", "volume_unit given without a volume")
	}
	if n.Intent == "" {
		n.Intent = IntentExplore
	}
	if err := checkEnum("intent", n.Intent, Intents, false); err != nil {
		return err
	}
	if n.Visibility == "" {
		n.Visibility = VisibilityDraft
	}
	return checkEnum("visibility", n.Visibility, Visibilities, false)
}

// normalizeCPVList checks the form of each code, drops duplicates and
// returns the 8-digit codes.
func normalizeCPVList(field string, in []string) ([]string, error) {
	out := make([]string, 0, len(in))
	seen := map[string]bool{}
	for _, c := range in {
		code, _, err := SplitCPV(c)
		if err != nil {
			err.(*Error).Field = field
			return nil, err
		}
		if !seen[code] {
			seen[code] = true
			out = append(out, code)
		}
	}
	return out, nil
}

// Network is a buyer network (beställarnätverk).
type Network struct {
	Meta
	Name             string        `json:"name"`
	Kind             NetworkKind   `json:"kind"`
	ParentID         *int64        `json:"parent_id,omitempty"` // the strategic network a sub-group belongs to
	Sector           string        `json:"sector,omitempty"`
	Description      string        `json:"description,omitempty"`
	OwnerOrgID       *int64        `json:"owner_org_id,omitempty"`       // huvudman
	CoordinatorOrgID *int64        `json:"coordinator_org_id,omitempty"` // who runs it
	Country          string        `json:"country,omitempty"`            // empty means SE
	StartYear        *int          `json:"start_year,omitempty"`
	EndYear          *int          `json:"end_year,omitempty"`
	Status           NetworkStatus `json:"status"`
	Open             bool          `json:"open"` // takes new members
	Website          string        `json:"website,omitempty"`
	Source           string        `json:"source,omitempty"`
}

// Validate checks the network's own rules.
func (n *Network) Validate() error {
	n.Name = strings.TrimSpace(n.Name)
	if n.Name == "" {
		return Invalid("name", "name is required")
	}
	if err := checkEnum("kind", n.Kind, NetworkKinds, false); err != nil {
		return err
	}
	if n.Status == "" {
		n.Status = NetworkActive
	}
	if err := checkEnum("status", n.Status, NetworkStatuses, false); err != nil {
		return err
	}
	if n.ParentID != nil {
		if *n.ParentID <= 0 || *n.ParentID == n.ID {
			return Invalid("parent_id", "parent_id must name another network")
		}
		if n.Kind != NetworkTactical {
			return Invalid("parent_id", "only a tactical network can be a sub-group of another network")
		}
	}
	if err := checkYears(n.StartYear, n.EndYear, "start_year", "end_year"); err != nil {
		return err
	}
	if !validCountry(n.Country) {
		return Invalid("country", "country must be a two-letter ISO code such as SE or NL, or EU")
	}
	return nil
}

func checkYears(start, end *int, startField, endField string) error {
	if start != nil && (*start < 1900 || *start > 2200) {
		return Invalid(startField, "year %d is out of range", *start)
	}
	if end != nil && (*end < 1900 || *end > 2200) {
		return Invalid(endField, "year %d is out of range", *end)
	}
	if start != nil && end != nil && *end < *start {
		return Invalid(endField, "%s must not be before %s", endField, startField)
	}
	return nil
}

// NetworkMember is an organisation in a network.
type NetworkMember struct {
	Meta
	NetworkID         int64        `json:"network_id"`
	OrgID             int64        `json:"org_id"`
	NeedID            *int64       `json:"need_id,omitempty"` // the need the organisation brought, for tactical networks
	Role              MemberRole   `json:"role"`
	Tier              MemberTier   `json:"tier"`
	Status            MemberStatus `json:"status"`
	ContactName       string       `json:"contact_name,omitempty"`
	ContactEmail      string       `json:"contact_email,omitempty"`
	Mandate           bool         `json:"mandate"`                      // the contact may commit the organisation
	ManagementSponsor string       `json:"management_sponsor,omitempty"` // ledningsförankring: who in management backs it
}

// Validate checks the membership's own rules.
func (m *NetworkMember) Validate() error {
	if m.NetworkID <= 0 {
		return Invalid("network_id", "network_id is required")
	}
	if m.OrgID <= 0 {
		return Invalid("org_id", "org_id is required")
	}
	if m.Role == "" {
		m.Role = MemberBuyer
	}
	if m.Tier == "" {
		m.Tier = TierCore
	}
	if m.Status == "" {
		m.Status = MemberActive
	}
	if err := checkEnum("role", m.Role, MemberRoles, false); err != nil {
		return err
	}
	if err := checkEnum("tier", m.Tier, MemberTiers, false); err != nil {
		return err
	}
	if err := checkEnum("status", m.Status, MemberStatuses, false); err != nil {
		return err
	}
	if m.ContactEmail != "" {
		m.ContactEmail = strings.TrimSpace(m.ContactEmail)
		if a, err := mail.ParseAddress(m.ContactEmail); err != nil || a.Address != m.ContactEmail {
			return Invalid("contact_email", "%q is not an e-mail address", m.ContactEmail)
		}
	}
	return nil
}

// Responsibility is one line of a plan's split of responsibilities.
type Responsibility struct {
	Who  string `json:"who"`
	What string `json:"what"`
}

// NetworkPlan is a network's shared plan: its rules (spelregler) and who is
// responsible for what (5.4.1). A network has at most one.
type NetworkPlan struct {
	Meta
	NetworkID        int64            `json:"network_id"`
	Goal             string           `json:"goal,omitempty"`
	Rules            string           `json:"rules,omitempty"`
	Responsibilities []Responsibility `json:"responsibilities"`
}

// Validate checks the plan's own rules.
func (p *NetworkPlan) Validate() error {
	if p.NetworkID <= 0 {
		return Invalid("network_id", "network_id is required")
	}
	if p.Responsibilities == nil {
		p.Responsibilities = []Responsibility{}
	}
	for _, r := range p.Responsibilities {
		if strings.TrimSpace(r.Who) == "" || strings.TrimSpace(r.What) == "" {
			return Invalid("responsibilities", "each responsibility needs who and what")
		}
	}
	return nil
}

// Activity is something a network does: a market dialogue, a pre-study.
type Activity struct {
	Meta
	NetworkID   int64          `json:"network_id"`
	Kind        ActivityKind   `json:"kind"`
	Title       string         `json:"title"`
	Description string         `json:"description,omitempty"`
	StartDate   *Date          `json:"start_date,omitempty"`
	EndDate     *Date          `json:"end_date,omitempty"`
	Status      ActivityStatus `json:"status"`
}

// Validate checks the activity's own rules.
func (a *Activity) Validate() error {
	if a.NetworkID <= 0 {
		return Invalid("network_id", "network_id is required")
	}
	if err := checkEnum("kind", a.Kind, ActivityKinds, false); err != nil {
		return err
	}
	a.Title = strings.TrimSpace(a.Title)
	if a.Title == "" {
		return Invalid("title", "title is required")
	}
	if a.Status == "" {
		a.Status = ActivityPlanned
	}
	if err := checkEnum("status", a.Status, ActivityStatuses, false); err != nil {
		return err
	}
	return checkDates(a.StartDate, a.EndDate, "end_date", "the end date must not be before the start date")
}

func checkDates(start, end *Date, field, msg string) error {
	if start != nil && end != nil && end.Before(start.Time) {
		return Invalid(field, "%s", msg)
	}
	return nil
}

// Deliverable is something a network produced.
type Deliverable struct {
	Meta
	NetworkID     int64           `json:"network_id"`
	Kind          DeliverableKind `json:"kind"`
	Title         string          `json:"title"`
	Description   string          `json:"description,omitempty"`
	DocVersion    string          `json:"doc_version,omitempty"` // the document's own version, e.g. "1.2"
	URL           string          `json:"url,omitempty"`
	PublishedDate *Date           `json:"published_date,omitempty"`
}

// Validate checks the deliverable's own rules.
func (d *Deliverable) Validate() error {
	if d.NetworkID <= 0 {
		return Invalid("network_id", "network_id is required")
	}
	if err := checkEnum("kind", d.Kind, DeliverableKinds, false); err != nil {
		return err
	}
	d.Title = strings.TrimSpace(d.Title)
	if d.Title == "" {
		return Invalid("title", "title is required")
	}
	return nil
}

// MemberProcurement is one member's own procurement that uses what a
// network delivered, or its hand-over to a central purchasing body (7.6).
type MemberProcurement struct {
	Meta
	NetworkID       int64             `json:"network_id"`
	OrgID           int64             `json:"org_id"`
	DeliverableID   *int64            `json:"deliverable_id,omitempty"`
	Kind            FollowThroughKind `json:"kind"`
	CentralBody     string            `json:"central_purchasing_body,omitempty"` // Adda, Kammarkollegiet
	Title           string            `json:"title,omitempty"`
	Stage           ProcurementStage  `json:"stage"`
	PlannedDate     *Date             `json:"planned_date,omitempty"`
	AnnouncedDate   *Date             `json:"announced_date,omitempty"`
	AwardedDate     *Date             `json:"awarded_date,omitempty"`
	ImplementedDate *Date             `json:"implemented_date,omitempty"`
	EvaluatedDate   *Date             `json:"evaluated_date,omitempty"`
	WithdrawnDate   *Date             `json:"withdrawn_date,omitempty"`
	WithdrawnReason string            `json:"withdrawn_reason,omitempty"`
	ProcurementRef  string            `json:"procurement_ref,omitempty"` // the Swedish upphandlings-ID
	OCID            string            `json:"ocid,omitempty"`            // OCDS ocid, ocds-xxxxxx-…
}

// StageDate returns the date recorded for a stage, or nil.
func (p *MemberProcurement) StageDate(s ProcurementStage) *Date {
	switch s {
	case StagePlanned:
		return p.PlannedDate
	case StageAnnounced:
		return p.AnnouncedDate
	case StageAwarded:
		return p.AwardedDate
	case StageImplemented:
		return p.ImplementedDate
	case StageEvaluated:
		return p.EvaluatedDate
	case StageWithdrawn:
		return p.WithdrawnDate
	}
	return nil
}

// Validate checks the procurement's own rules: the stage is reached through
// the stages before it, each with a date, and dates never go backwards.
func (p *MemberProcurement) Validate() error {
	if p.NetworkID <= 0 {
		return Invalid("network_id", "network_id is required")
	}
	if p.OrgID <= 0 {
		return Invalid("org_id", "org_id is required")
	}
	if p.Kind == "" {
		p.Kind = FollowOwnProcurement
	}
	if err := checkEnum("kind", p.Kind, FollowThroughKinds, false); err != nil {
		return err
	}
	if p.Kind == FollowHandover && strings.TrimSpace(p.CentralBody) == "" {
		return Invalid("central_purchasing_body", "a hand-over names the central purchasing body, e.g. Adda or Kammarkollegiet")
	}
	if p.Stage == "" {
		p.Stage = StagePlanned
	}
	if err := checkEnum("stage", p.Stage, ProcurementStages, false); err != nil {
		return err
	}
	if p.OCID != "" && !ocidPattern.MatchString(p.OCID) {
		return Invalid("ocid", "an OCDS ocid starts with ocds-, a six-character prefix and an id: ocds-abc123-2024-001")
	}
	ordered := ProcurementStages[:5]
	reached := len(ordered) - 1
	if p.Stage != StageWithdrawn {
		reached = indexOf(ordered, p.Stage)
	}
	var last *Date
	lastStage := ProcurementStage("")
	for i, s := range ordered {
		d := p.StageDate(s)
		if i > reached {
			if d != nil && p.Stage != StageWithdrawn {
				return Invalid(string(s)+"_date", "%s is dated but the procurement is only %s", s, p.Stage)
			}
			continue
		}
		if d == nil {
			if p.Stage != StageWithdrawn {
				return Invalid(string(s)+"_date", "stage %s needs its date", s)
			}
			continue
		}
		if last != nil && d.Before(last.Time) {
			return Invalid(string(s)+"_date", "%s cannot be dated before %s", s, lastStage)
		}
		last, lastStage = d, s
	}
	if p.Stage == StageWithdrawn {
		if strings.TrimSpace(p.WithdrawnReason) == "" {
			return Invalid("withdrawn_reason", "a withdrawn procurement gives its reason")
		}
		if p.WithdrawnDate == nil {
			return Invalid("withdrawn_date", "stage withdrawn needs its date")
		}
		if last != nil && p.WithdrawnDate.Before(last.Time) {
			return Invalid("withdrawn_date", "withdrawn cannot be dated before %s", lastStage)
		}
	} else if p.WithdrawnDate != nil || p.WithdrawnReason != "" {
		return Invalid("withdrawn_date", "only a withdrawn procurement has a withdrawal date and reason")
	}
	return nil
}

// ocidPattern is the OCDS ocid: the registered prefix ocds-xxxxxx and an id.
var ocidPattern = regexp.MustCompile(`^ocds-[a-z0-9]{6}-[A-Za-z0-9][A-Za-z0-9._/-]*$`)

// validCountry accepts an empty country (Sweden) or two capital letters.
func validCountry(c string) bool {
	if c == "" {
		return true
	}
	return len(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z'
}

func indexOf[T comparable](xs []T, x T) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// FundingPeriod says who pays a network and until when (5.1.3, 5.4.3).
type FundingPeriod struct {
	Meta
	NetworkID int64  `json:"network_id"`
	FunderID  *int64 `json:"funder_id,omitempty"`
	StartDate *Date  `json:"start_date,omitempty"`
	EndDate   *Date  `json:"end_date,omitempty"`
	AmountSEK *int64 `json:"amount_sek,omitempty"`
	Note      string `json:"note,omitempty"`
	Source    string `json:"source,omitempty"`
}

// Validate checks the period's own rules.
func (f *FundingPeriod) Validate() error {
	if f.NetworkID <= 0 {
		return Invalid("network_id", "network_id is required")
	}
	if f.AmountSEK != nil && *f.AmountSEK < 0 {
		return Invalid("amount_sek", "amount must not be negative")
	}
	return checkDates(f.StartDate, f.EndDate, "end_date", "the end date must not be before the start date")
}

// Funder is a body that funds innovation procurement (4.1).
type Funder struct {
	Meta
	Name    string     `json:"name"`
	Kind    FunderKind `json:"kind"`
	OrgID   *int64     `json:"org_id,omitempty"`
	Website string     `json:"website,omitempty"`
	Source  string     `json:"source,omitempty"`
}

// Validate checks the funder's own rules.
func (f *Funder) Validate() error {
	f.Name = strings.TrimSpace(f.Name)
	if f.Name == "" {
		return Invalid("name", "name is required")
	}
	return checkEnum("kind", f.Kind, FunderKinds, false)
}

// FundingCall is a funder's call for applications (utlysning).
type FundingCall struct {
	Meta
	FunderID         int64     `json:"funder_id"`
	Title            string    `json:"title"`
	Programme        string    `json:"programme,omitempty"`
	Description      string    `json:"description,omitempty"`
	EligibleOrgKinds []OrgKind `json:"eligible_org_kinds"`
	Themes           []string  `json:"themes"`
	OpensDate        *Date     `json:"opens_date,omitempty"`
	ClosesDate       *Date     `json:"closes_date,omitempty"`
	MinAmountSEK     *int64    `json:"min_amount_sek,omitempty"`
	MaxAmountSEK     *int64    `json:"max_amount_sek,omitempty"`
	BudgetSEK        *int64    `json:"budget_sek,omitempty"`
	CoFundingRate    *float64  `json:"co_funding_rate,omitempty"` // share the applicant pays itself, 0–1
	URL              string    `json:"url,omitempty"`
	Source           string    `json:"source,omitempty"`
}

// Validate checks the call's own rules.
func (c *FundingCall) Validate() error {
	if c.FunderID <= 0 {
		return Invalid("funder_id", "funder_id is required")
	}
	c.Title = strings.TrimSpace(c.Title)
	if c.Title == "" {
		return Invalid("title", "title is required")
	}
	if c.EligibleOrgKinds == nil {
		c.EligibleOrgKinds = []OrgKind{}
	}
	for i, k := range c.EligibleOrgKinds {
		pk, ok := ParseOrgKind(string(k))
		if !ok {
			return checkEnum("eligible_org_kinds", k, OrgKinds, false)
		}
		c.EligibleOrgKinds[i] = pk
	}
	if c.Themes == nil {
		c.Themes = []string{}
	}
	if err := checkDates(c.OpensDate, c.ClosesDate, "closes_date", "the closing date must not be before the opening date"); err != nil {
		return err
	}
	for _, a := range []struct {
		field string
		v     *int64
	}{{"min_amount_sek", c.MinAmountSEK}, {"max_amount_sek", c.MaxAmountSEK}, {"budget_sek", c.BudgetSEK}} {
		if a.v != nil && *a.v < 0 {
			return Invalid(a.field, "amount must not be negative")
		}
	}
	if c.MinAmountSEK != nil && c.MaxAmountSEK != nil && *c.MaxAmountSEK < *c.MinAmountSEK {
		return Invalid("max_amount_sek", "the largest amount must not be below the smallest")
	}
	if c.CoFundingRate != nil && !(*c.CoFundingRate >= 0 && *c.CoFundingRate <= 1) {
		return Invalid("co_funding_rate", "co-funding rate is a share between 0 and 1")
	}
	return nil
}

// IsOpen reports whether the call takes applications on day d.
func (c *FundingCall) IsOpen(d Date) bool {
	if c.OpensDate != nil && d.Before(c.OpensDate.Time) {
		return false
	}
	return c.ClosesDate == nil || !d.After(c.ClosesDate.Time)
}

// Project is a funded project with an innovation-procurement aspect (4.4).
type Project struct {
	Meta
	Title            string          `json:"title"`
	Category         ProjectCategory `json:"category"`
	Procedure        Procedure       `json:"procedure,omitempty"`
	Phase            ProjectPhase    `json:"phase,omitempty"`
	FunderID         *int64          `json:"funder_id,omitempty"`
	CallID           *int64          `json:"call_id,omitempty"`
	Programme        string          `json:"programme,omitempty"`
	CoordinatorOrgID *int64          `json:"coordinator_org_id,omitempty"`
	Participants     []string        `json:"participants"`
	Description      string          `json:"description,omitempty"`
	Results          string          `json:"results,omitempty"`
	Lessons          string          `json:"lessons,omitempty"`
	StartYear        *int            `json:"start_year,omitempty"`
	EndYear          *int            `json:"end_year,omitempty"`
	Source           string          `json:"source,omitempty"`
}

// Validate checks the project's own rules.
func (p *Project) Validate() error {
	p.Title = strings.TrimSpace(p.Title)
	if p.Title == "" {
		return Invalid("title", "title is required")
	}
	if err := checkEnum("category", p.Category, ProjectCategories, false); err != nil {
		return err
	}
	if err := checkEnum("procedure", p.Procedure, Procedures, true); err != nil {
		return err
	}
	if err := checkEnum("phase", p.Phase, ProjectPhases, true); err != nil {
		return err
	}
	if p.Participants == nil {
		p.Participants = []string{}
	}
	return checkYears(p.StartYear, p.EndYear, "start_year", "end_year")
}

// Expert is a person or research environment with subject areas.
type Expert struct {
	Meta
	Name         string     `json:"name"`
	Kind         ExpertKind `json:"kind"`
	OrgID        *int64     `json:"org_id,omitempty"`
	Affiliation  string     `json:"affiliation,omitempty"`
	SubjectAreas []string   `json:"subject_areas"`
	Description  string     `json:"description,omitempty"`
	Contact      string     `json:"contact,omitempty"`
	Website      string     `json:"website,omitempty"`
	Source       string     `json:"source,omitempty"`
}

// Validate checks the expert's own rules.
func (e *Expert) Validate() error {
	e.Name = strings.TrimSpace(e.Name)
	if e.Name == "" {
		return Invalid("name", "name is required")
	}
	if e.SubjectAreas == nil {
		e.SubjectAreas = []string{}
	}
	return checkEnum("kind", e.Kind, ExpertKinds, false)
}

// GetMeta returns the record's meta data; every entity has it through Meta.
func (m *Meta) GetMeta() *Meta { return m }
