package arena

import (
	"regexp"
	"slices"
	"strings"
)

// This file holds the follow-through of the report's 7.6: from what a
// network delivered to each member's own procurement, through its stages,
// and the funnel from needs to implemented innovation.

// Deliverable is something a network produced. Deliverables are public:
// the library the next buyer reuses.
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
		return Invalid("network_id", "err.required")
	}
	if err := checkEnum("kind", d.Kind, DeliverableKinds, false); err != nil {
		return err
	}
	if err := requireText("title", &d.Title, NameMax); err != nil {
		return err
	}
	if err := optionalText("description", &d.Description, LongTextMax); err != nil {
		return err
	}
	if err := optionalText("doc_version", &d.DocVersion, NameMax); err != nil {
		return err
	}
	return checkURL("url", &d.URL)
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
		return Invalid("network_id", "err.required")
	}
	if p.OrgID <= 0 {
		return Invalid("org_id", "err.required")
	}
	if p.Kind == "" {
		p.Kind = FollowOwnProcurement
	}
	if err := checkEnum("kind", p.Kind, FollowThroughKinds, false); err != nil {
		return err
	}
	for _, f := range []struct {
		field string
		s     *string
		max   int
	}{{"central_purchasing_body", &p.CentralBody, NameMax}, {"title", &p.Title, NameMax}, {"withdrawn_reason", &p.WithdrawnReason, ShortTextMax},
		{"procurement_ref", &p.ProcurementRef, NameMax}, {"ocid", &p.OCID, NameMax}} {
		if err := optionalText(f.field, f.s, f.max); err != nil {
			return err
		}
	}
	if p.Kind == FollowHandover && strings.TrimSpace(p.CentralBody) == "" {
		return Invalid("central_purchasing_body", "err.procurement.central_body")
	}
	if p.Stage == "" {
		p.Stage = StagePlanned
	}
	if err := checkEnum("stage", p.Stage, ProcurementStages, false); err != nil {
		return err
	}
	if p.OCID != "" && !ocidPattern.MatchString(p.OCID) {
		return Invalid("ocid", "err.procurement.ocid")
	}
	ordered := ProcurementStages[:5]
	reached := len(ordered) - 1
	if p.Stage != StageWithdrawn {
		reached = slices.Index(ordered, p.Stage)
	}
	var last *Date
	lastStage := ProcurementStage("")
	for i, s := range ordered {
		d := p.StageDate(s)
		if i > reached {
			if d != nil && p.Stage != StageWithdrawn {
				return Invalid(string(s)+"_date", "err.procurement.dated_ahead", F{"stage": s.Term(), "current": p.Stage.Term()})
			}
			continue
		}
		if d == nil {
			if p.Stage != StageWithdrawn {
				return Invalid(string(s)+"_date", "err.procurement.stage_date", F{"stage": s.Term()})
			}
			continue
		}
		if last != nil && d.Before(last.Time) {
			return Invalid(string(s)+"_date", "err.procurement.date_order", F{"stage": s.Term(), "date": *d, "before": lastStage.Term(), "before_date": *last})
		}
		last, lastStage = d, s
	}
	if p.Stage == StageWithdrawn {
		if strings.TrimSpace(p.WithdrawnReason) == "" {
			return Invalid("withdrawn_reason", "err.procurement.withdrawn_reason")
		}
		if p.WithdrawnDate == nil {
			return Invalid("withdrawn_date", "err.procurement.stage_date", F{"stage": StageWithdrawn.Term()})
		}
		if last != nil && p.WithdrawnDate.Before(last.Time) {
			return Invalid("withdrawn_date", "err.procurement.date_order", F{"stage": StageWithdrawn.Term(), "date": *p.WithdrawnDate, "before": lastStage.Term(), "before_date": *last})
		}
	} else if p.WithdrawnDate != nil || p.WithdrawnReason != "" {
		return Invalid("withdrawn_date", "err.procurement.withdrawn_only")
	}
	return nil
}

// ocidPattern is the OCDS ocid: the registered prefix ocds-xxxxxx and an id.
var ocidPattern = regexp.MustCompile(`^ocds-[a-z0-9]{6}-[A-Za-z0-9][A-Za-z0-9._/-]*$`)

// CanMoveTo reports whether the procurement may move to stage next on day
// on. The stages go planned → announced → awarded → implemented →
// evaluated, one at a time; a procurement that has not started (no stage)
// starts as planned. Withdrawn may follow any stage that is not final;
// evaluated and withdrawn are final. The date must not be before the date
// of any stage reached so far. Errors are EINVALID on field "stage" for the
// order and "<next>_date" for the date.
func (p *MemberProcurement) CanMoveTo(next ProcurementStage, on Date) error {
	cur := p.Stage
	switch {
	case !slices.Contains(ProcurementStages, next):
		return Invalid("stage", "err.choice", F{"value": string(next), "choices": enumChoices(ProcurementStages)})
	case next == cur:
		return Invalid("stage", "err.stage.already", F{"stage": next.Term()})
	case cur == StageEvaluated || cur == StageWithdrawn:
		return Invalid("stage", "err.stage.final", F{"stage": cur.Term(), "next": next.Term()})
	case cur == "" && next != StagePlanned:
		return Invalid("stage", "err.stage.starts_planned", F{"next": next.Term()})
	case cur != "" && !slices.Contains(ProcurementStages, cur):
		return Invalid("stage", "err.stage.unknown", F{"stage": string(cur)})
	}
	if next != StageWithdrawn && cur != "" {
		ci, ni := slices.Index(ProcurementStages, cur), slices.Index(ProcurementStages, next)
		if ni < ci {
			return Invalid("stage", "err.stage.back", F{"stage": cur.Term(), "next": next.Term()})
		}
		if ni > ci+1 {
			return Invalid("stage", "err.stage.skip", F{"stage": cur.Term(), "next": next.Term(), "want": ProcurementStages[ci+1].Term()})
		}
	}
	field := string(next) + "_date"
	if on.IsZero() {
		return Invalid(field, "err.procurement.stage_date", F{"stage": next.Term()})
	}
	var last *Date
	var lastStage ProcurementStage
	for _, s := range ProcurementStages[:5] {
		if d := p.StageDate(s); d != nil && (last == nil || !d.Before(last.Time)) {
			last, lastStage = d, s
		}
	}
	if last != nil && on.Before(last.Time) {
		return Invalid(field, "err.procurement.date_order", F{"stage": next.Term(), "date": on, "before": lastStage.Term(), "before_date": *last})
	}
	return nil
}

// Advance moves the procurement to stage next on day on after CanMoveTo
// allows it, recording the stage's date; withdrawing needs a reason, which
// is recorded too. On error nothing changes.
func (p *MemberProcurement) Advance(next ProcurementStage, on Date, reason string) error {
	if err := p.CanMoveTo(next, on); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if next == StageWithdrawn && reason == "" {
		return Invalid("withdrawn_reason", "err.procurement.withdrawn_reason")
	}
	d := new(on)
	switch next {
	case StagePlanned:
		p.PlannedDate = d
	case StageAnnounced:
		p.AnnouncedDate = d
	case StageAwarded:
		p.AwardedDate = d
	case StageImplemented:
		p.ImplementedDate = d
	case StageEvaluated:
		p.EvaluatedDate = d
	case StageWithdrawn:
		p.WithdrawnDate = d
		p.WithdrawnReason = reason
	}
	p.Stage = next
	return nil
}

// CheckStageChange holds an update of a procurement to the stage rules:
// it stays with its member and network, and a changed stage moves as
// CanMoveTo allows, dated.
func CheckStageChange(old, v *MemberProcurement) error {
	if old.OrgID != v.OrgID || old.NetworkID != v.NetworkID {
		return Invalid("org_id", "err.procurement.fixed")
	}
	if old.Stage == v.Stage {
		return nil
	}
	d := v.StageDate(v.Stage)
	if d == nil {
		return Invalid(string(v.Stage)+"_date", "err.procurement.stage_date", F{"stage": v.Stage.Term()})
	}
	return old.CanMoveTo(v.Stage, *d)
}

// CanRecordProcurement: a member's procurement is recorded and moved by
// that member's own people, while the organisation is an active member
// and the network not closed; brokers record for any active member. The
// deliverable it uses is one of the network's (checked by the caller, who
// has it: deliverable nil means none or not the network's).
func CanRecordProcurement(a *Actor, n *Network, members []NetworkMember, p *MemberProcurement) error {
	if n.ReadOnly() {
		return Conflict("status", "err.network.closed")
	}
	if !a.IsBroker() && !a.InOrg(p.OrgID) {
		return Forbidden("err.forbidden.procurement")
	}
	for _, m := range members {
		if m.OrgID == p.OrgID && memberIsActive(m) {
			return nil
		}
	}
	return Invalid("org_id", "err.procurement.not_member")
}

// CheckDeliverable holds a procurement's deliverable to its network: the
// deliverable d named by p must be one of the network's (d is nil when it
// does not exist).
func CheckDeliverable(p *MemberProcurement, d *Deliverable) error {
	if p.DeliverableID == nil {
		return nil
	}
	if d == nil || d.NetworkID != p.NetworkID {
		return Invalid("deliverable_id", "err.procurement.deliverable")
	}
	return nil
}

// Funnel is the way from needs to implemented innovation (7.6), for one
// network or for all.
type Funnel struct {
	Needs        int                      `json:"needs"`
	Networks     int                      `json:"networks"`
	Deliverables int                      `json:"deliverables"`
	Procurements map[ProcurementStage]int `json:"procurements"` // every stage, zeros included; hand-overs included
	Handovers    int                      `json:"handovers"`    // of the procurements, hand-overs to a central purchasing body
	Implemented  int                      `json:"implemented"`  // procurements that reached implemented or evaluated
}

// BuildFunnel counts the funnel. Procurements are counted by their current
// stage (no stage counts as planned); hand-overs to a central purchasing
// body are counted among them and also on their own.
func BuildFunnel(needs int, networks []Network, deliverables []Deliverable, procs []MemberProcurement) Funnel {
	f := Funnel{Needs: needs, Networks: len(networks), Deliverables: len(deliverables),
		Procurements: make(map[ProcurementStage]int, len(ProcurementStages))}
	for _, s := range ProcurementStages {
		f.Procurements[s] = 0
	}
	for _, p := range procs {
		s := p.Stage
		if s == "" {
			s = StagePlanned
		}
		f.Procurements[s]++
		if p.Kind == FollowHandover {
			f.Handovers++
		}
		if s == StageImplemented || s == StageEvaluated {
			f.Implemented++
		}
	}
	return f
}

func enumChoices[T ~string](values []T) Choices { return Choices(Codes(values)) }
