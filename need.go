package arena

import (
	"math"
)

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
	CreatedBy         int64      `json:"created_by,omitempty"` // set by the server: the person who posted it
	// Source names where an imported need came from, once per organisation:
	// "plan:<external id or row hash>" for a row of a procurement plan,
	// "eforms:<notice id>/<lot id>" for a lot of a prior information
	// notice. Importing the same row or lot again adds nothing.
	Source string `json:"source,omitempty"`
}

// Limits of a need's texts.
const (
	NeedTitleMax       = NameMax
	NeedDescriptionMax = LongTextMax
)

// Validate checks the need's own rules and normalises CPV codes to 8 digits.
// Whether the codes exist is checked against reference data by the caller.
func (n *Need) Validate() error {
	if n.OrgID <= 0 {
		return Invalid("org_id", "err.required")
	}
	if err := requireText("title", &n.Title, NeedTitleMax); err != nil {
		return err
	}
	if err := optionalText("description", &n.Description, NeedDescriptionMax); err != nil {
		return err
	}
	if err := optionalText("sector", &n.Sector, NameMax); err != nil {
		return err
	}
	if err := optionalText("volume_unit", &n.VolumeUnit, NameMax); err != nil {
		return err
	}
	if err := optionalText("source", &n.Source, ShortTextMax); err != nil {
		return err
	}
	codes, err := normalizeCPVList("cpv_codes", n.CPVCodes)
	if err != nil {
		return err
	}
	n.CPVCodes = codes
	if n.EstimatedValueSEK != nil && *n.EstimatedValueSEK < 0 {
		return Invalid("estimated_value_sek", "err.negative")
	}
	if n.Volume != nil && (*n.Volume < 0 || math.IsNaN(*n.Volume) || math.IsInf(*n.Volume, 0)) {
		return Invalid("volume", "err.negative")
	}
	if n.Volume == nil && n.VolumeUnit != "" {
		return Invalid("volume", "err.need.unit_without_volume")
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

// CheckNeedText checks a need's text given for a suggestion (not a stored
// need): within a need's limits, valid UTF-8, no control characters.
func CheckNeedText(title, description string) error {
	if err := checkText("title", title, NeedTitleMax); err != nil {
		return err
	}
	return checkText("description", description, NeedDescriptionMax)
}

// normalizeCPVList checks the form of each code, drops duplicates and
// returns the 8-digit codes.
func normalizeCPVList(field string, in []string) ([]string, error) {
	if len(in) > ListMax {
		return nil, Invalid(field, "err.list_long", F{"max": ListMax})
	}
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

// ---------------------------------------------------------------------------
// Access rules of needs

// Partners tells whether an organisation shares a network with the actor:
// both are active members of one network. Only such partners see each
// other's network-visible needs.
type Partners func(orgID int64) bool

// Shared tells whether a need has left its draft (its organisation has
// shared it, with itself, its networks or everyone). Only a shared need is
// listed where others act on needs: a call's fitting needs, the OCDS
// export, a network membership's need (CanAttachNeed); a draft stays on its
// organisation's own pages.
func (n *Need) Shared() bool { return n.Visibility != VisibilityDraft }

// CanSeeNeed is the rule that keeps drafts and organisation-only needs
// inside their organisation: a public need is seen by everyone, anonymous
// visitors included; a need of the actor's own organisation by its people;
// a network-visible need also by the people of partner organisations.
// Brokers and the platform see no more than anyone else: a draft is its
// organisation's own.
func CanSeeNeed(a *Actor, n *Need, partners Partners) bool {
	switch {
	case n.Visibility == VisibilityPublic:
		return true
	case a.InOrg(n.OrgID):
		return true
	case n.Visibility == VisibilityNetwork:
		return partners != nil && partners(n.OrgID)
	}
	return false
}

// CanChangeNeed: the people of the organisation that posted a need create,
// change and delete it; a need never moves to another organisation.
func CanChangeNeed(a *Actor, old, v *Need) error {
	for _, n := range []*Need{old, v} {
		if n != nil && !a.InOrg(n.OrgID) {
			return Forbidden("err.forbidden.need")
		}
	}
	if old != nil && v != nil && old.OrgID != v.OrgID {
		return Invalid("org_id", "err.need.org_fixed")
	}
	return nil
}

// CanImportNeeds tells whether the actor may import a procurement plan or
// notices as needs of an organisation, or publish what was imported: its
// admins may (an import writes many needs at once). Each need written is
// still checked by CanChangeNeed.
func CanImportNeeds(a *Actor, orgID int64) error {
	if a != nil && a.System {
		return nil
	}
	if !a.SignedIn() {
		return Err(EUNAUTHORIZED, "err.sign_in")
	}
	if !a.IsOrgAdmin(orgID) {
		return Forbidden("err.forbidden.import")
	}
	return nil
}

// StampNeed records who posted a need: the actor on create, whoever did
// before on update. A client never chooses it.
func StampNeed(a *Actor, old, v *Need) {
	if old != nil {
		v.CreatedBy = old.CreatedBy
		return
	}
	v.CreatedBy = a.UserID()
}
