package arena

import (
	"slices"
)

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
		return Invalid("network_id", "err.required")
	}
	if f.AmountSEK != nil && *f.AmountSEK < 0 {
		return Invalid("amount_sek", "err.negative")
	}
	if err := optionalText("note", &f.Note, ShortTextMax); err != nil {
		return err
	}
	if err := optionalText("source", &f.Source, ShortTextMax); err != nil {
		return err
	}
	return checkDates(f.StartDate, f.EndDate, "end_date")
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
	if err := requireText("name", &f.Name, NameMax); err != nil {
		return err
	}
	if err := checkURL("website", &f.Website); err != nil {
		return err
	}
	if err := optionalText("source", &f.Source, ShortTextMax); err != nil {
		return err
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
	General          bool      `json:"general"`                   // funds innovation procurement whatever the subject (FitsNeed)
	URL              string    `json:"url,omitempty"`
	Source           string    `json:"source,omitempty"`
}

// Validate checks the call's own rules.
func (c *FundingCall) Validate() error {
	if c.FunderID <= 0 {
		return Invalid("funder_id", "err.required")
	}
	if err := requireText("title", &c.Title, NameMax); err != nil {
		return err
	}
	for _, f := range []struct {
		field string
		s     *string
		max   int
	}{{"programme", &c.Programme, NameMax}, {"description", &c.Description, LongTextMax}, {"source", &c.Source, ShortTextMax}} {
		if err := optionalText(f.field, f.s, f.max); err != nil {
			return err
		}
	}
	if err := checkURL("url", &c.URL); err != nil {
		return err
	}
	if c.EligibleOrgKinds == nil {
		c.EligibleOrgKinds = []OrgKind{}
	}
	if len(c.EligibleOrgKinds) > len(OrgKinds) {
		return Invalid("eligible_org_kinds", "err.list_long", F{"max": len(OrgKinds)})
	}
	for i, k := range c.EligibleOrgKinds {
		pk, ok := ParseOrgKind(string(k))
		if !ok {
			return checkEnum("eligible_org_kinds", k, OrgKinds, false)
		}
		c.EligibleOrgKinds[i] = pk
	}
	themes, err := checkTexts("themes", c.Themes, NameMax)
	if err != nil {
		return err
	}
	c.Themes = themes
	if c.OpensDate != nil && c.ClosesDate != nil && c.ClosesDate.Before(c.OpensDate.Time) {
		return Invalid("closes_date", "err.call.closes_before_opens")
	}
	for _, a := range []struct {
		field string
		v     *int64
	}{{"min_amount_sek", c.MinAmountSEK}, {"max_amount_sek", c.MaxAmountSEK}, {"budget_sek", c.BudgetSEK}} {
		if a.v != nil && *a.v < 0 {
			return Invalid(a.field, "err.negative")
		}
	}
	if c.MinAmountSEK != nil && c.MaxAmountSEK != nil && *c.MaxAmountSEK < *c.MinAmountSEK {
		return Invalid("max_amount_sek", "err.call.max_below_min")
	}
	if c.CoFundingRate != nil && !(*c.CoFundingRate >= 0 && *c.CoFundingRate <= 1) {
		return Invalid("co_funding_rate", "err.call.rate")
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

// IsClosed reports whether the call's last day is before d.
func (c *FundingCall) IsClosed(d Date) bool {
	return c.ClosesDate != nil && c.ClosesDate.Before(d.Time)
}

// Accepts reports whether organisations of kind k may apply: the call
// names no kinds (open to all) or names k.
func (c *FundingCall) Accepts(k OrgKind) bool {
	return len(c.EligibleOrgKinds) == 0 || slices.Contains(c.EligibleOrgKinds, k)
}

// AcceptsAny reports whether organisations of any of the kinds may apply.
func (c *FundingCall) AcceptsAny(kinds []OrgKind) bool {
	if len(c.EligibleOrgKinds) == 0 {
		return true
	}
	for _, k := range kinds {
		if slices.Contains(c.EligibleOrgKinds, k) {
			return true
		}
	}
	return false
}

// CallFit says how a funding call fits a need (FundingCall.FitsNeed).
type CallFit struct {
	// General: the call is a general call for innovation procurement and
	// fits the need whatever its subject. Otherwise the call is themed and
	// fits the need when their texts share what the call is about; the
	// text ranking (internal/match) decides that.
	General bool
	// Why is the reason a general call fits ("reason.call.general", with
	// the need's kind of organisation in the plural); empty for a themed
	// call.
	Why Msg
}

// FitsNeed is the one rule of whether call c can fund need n of an
// organisation of kind on day today, and how (CallFit):
//
//   - c accepts kind (Accepts) and is not closed on today (IsClosed); a
//     call that fails these fits no need, themed or general. A draft fits
//     as any need does: its organisation sees on it which calls could pay
//     for it; who may see the need on a call's page is the rule of seeing
//     a need (CanSeeNeed), and a call's page lists no draft;
//   - a themed call that passes fits by text only (CallFit.General false);
//   - a general call fits whatever the subject when the need is still
//     before its procurement, where the money can help: its intent is one
//     of Intents (explore, plan, budgeted, decided) and, when both dates
//     are known, its planned procurement date is not before the call opens
//     (a procurement planned to start before the call opens cannot be
//     paid for by it). A general call that fails this may still fit by
//     text, as a themed one.
func (c *FundingCall) FitsNeed(n *Need, kind OrgKind, today Date) (CallFit, bool) {
	fit, ok := c.FitsOrgs([]OrgKind{kind}, today)
	if !ok || !fit.General {
		return fit, ok
	}
	if !slices.Contains(Intents, n.Intent) || (n.PlannedDate != nil && c.OpensDate != nil && n.PlannedDate.Before(c.OpensDate.Time)) {
		return CallFit{}, true
	}
	return fit, true
}

// FitsOrgs is FitsNeed for a group of organisations of kinds (a network's
// active members), without a need: c is not closed on today and accepts
// one of kinds (AcceptsAny: a call that names no kinds accepts any group).
// A general call then fits whatever the subject when it accepts one of
// kinds (CallFit.General, Why naming the first such kind); a themed call,
// or a general one and no kinds, fits by text.
func (c *FundingCall) FitsOrgs(kinds []OrgKind, today Date) (CallFit, bool) {
	if c.IsClosed(today) || !c.AcceptsAny(kinds) {
		return CallFit{}, false
	}
	if c.General {
		for _, k := range kinds {
			if c.Accepts(k) {
				return CallFit{General: true, Why: M("reason.call.general", F{"kind": k.Term().In(Plural)})}, true
			}
		}
	}
	return CallFit{}, true
}
