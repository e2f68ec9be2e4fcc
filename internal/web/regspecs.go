package web

import (
	"context"
	"sort"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
)

// The registers' forms, field by field (see regforms.go).

func enumOpts[T ~string](prefix string, values []T) func(context.Context, *UI, *page, any) ([]option, error) {
	return func(_ context.Context, _ *UI, p *page, _ any) ([]option, error) {
		return enumOptions(p, prefix, values), nil
	}
}

// refOpts lists every record of a register by name, for a select.
func refOpts[T any](entity func(*UI) *store.Entity[T], name func(*T) string) func(context.Context, *UI, *page, any) ([]option, error) {
	return func(ctx context.Context, u *UI, _ *page, _ any) ([]option, error) {
		xs, err := store.All(ctx, entity(u), nil)
		if err != nil {
			return nil, err
		}
		out := make([]option, 0, len(xs))
		for _, x := range xs {
			out = append(out, option{Value: idStr(metaOf(x).ID), Label: name(x)})
		}
		sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Label) < strings.ToLower(out[j].Label) })
		return out, nil
	}
}

// The registers, read when a request needs them (the route table is
// made without a database too).
var (
	callsOf    = func(u *UI) *store.Entity[arena.FundingCall] { return u.app.DB.Calls }
	fundersOf  = func(u *UI) *store.Entity[arena.Funder] { return u.app.DB.Funders }
	projectsOf = func(u *UI) *store.Entity[arena.Project] { return u.app.DB.Projects }
	expertsOf  = func(u *UI) *store.Entity[arena.Expert] { return u.app.DB.Experts }
	orgsOf     = func(u *UI) *store.Entity[arena.Organization] { return u.app.DB.Organizations }

	funderOpts = refOpts(fundersOf, func(x *arena.Funder) string { return x.Name })
	orgOpts    = refOpts(orgsOf, func(x *arena.Organization) string { return x.Name })
	callOpts   = refOpts(callsOf, func(x *arena.FundingCall) string { return x.Title })
)

// scbOpts are the kommuner and län by name, from the reference data; none
// without it (the field then takes no code).
func scbOpts(_ context.Context, u *UI, p *page, _ any) ([]option, error) {
	ref := u.app.DB.Reference()
	var out []option
	for _, c := range ref.Counties() {
		out = append(out, option{Value: c.Code, Label: p.T("regform.scb_county", c.Name, c.Code)})
	}
	for _, m := range ref.Municipalities() {
		out = append(out, option{Value: m.Code, Label: p.T("regform.scb_municipality", m.ShortName, m.Code)})
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Label) < strings.ToLower(out[j].Label) })
	return out, nil
}

var dialoguesOf = func(u *UI) *store.Entity[arena.Dialogue] { return u.app.DB.Dialogues }

// buyerOrgOpts are the viewer's organisations that publish dialogues
// (public buyers), and the stored one.
func buyerOrgOpts(ctx context.Context, u *UI, p *page, _ any) ([]option, error) {
	orgs, err := u.app.DB.Organizations.GetManyUnchecked(ctx, p.Actor.OrgIDs())
	if err != nil {
		return nil, err
	}
	var out []option
	for _, id := range p.Actor.OrgIDs() {
		if o := orgs[id]; o != nil && o.Kind.IsPublicBuyer() {
			out = append(out, option{Value: idStr(o.ID), Label: o.Name})
		}
	}
	return out, nil
}

// workingNetworkOpts are the networks the viewer publishes dialogues for
// (arena.Publishes: owner, coordinator or active member), not closed.
func workingNetworkOpts(ctx context.Context, u *UI, p *page, _ any) ([]option, error) {
	if !p.SignedIn() {
		return nil, nil
	}
	nets, err := store.All(ctx, u.app.DB.Networks, map[string]string{"status": string(arena.NetworkActive)})
	if err != nil {
		return nil, err
	}
	ms, err := store.All(ctx, u.app.DB.NetworkMembers, map[string]string{"status": string(arena.MemberActive)})
	if err != nil {
		return nil, err
	}
	byNet := map[int64][]arena.NetworkMember{}
	for _, m := range ms {
		byNet[m.NetworkID] = append(byNet[m.NetworkID], *m)
	}
	var out []option
	for _, n := range nets {
		s := arena.StandingIn(p.Actor, n, byNet[n.ID])
		if arena.Publishes(p.Actor, &arena.Dialogue{NetworkID: &n.ID}, &s) {
			out = append(out, option{Value: idStr(n.ID), Label: n.Name})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Label) < strings.ToLower(out[j].Label) })
	return out, nil
}

// ownNeedOpts are the needs of the viewer's organisations.
func ownNeedOpts(ctx context.Context, u *UI, p *page, _ any) ([]option, error) {
	var out []option
	for _, id := range p.Actor.OrgIDs() {
		needs, err := store.All(ctx, u.app.DB.Needs, map[string]string{"org_id": idStr(id)})
		if err != nil {
			return nil, err
		}
		for _, n := range needs {
			out = append(out, option{Value: idStr(n.ID), Label: n.Title})
		}
	}
	return out, nil
}

func keepsRegister[T any](a *arena.Actor, _ *T) error { return arena.CanKeepRegister(a) }

func (u *UI) registerFormRoutes() []route {
	calls := &regForm[arena.FundingCall]{u: u, of: callsOf, base: "/utlysningar", title: "regform.call",
		mayAdd: arena.CanKeepRegister, mayEdit: keepsRegister[arena.FundingCall],
		showPath: func(v *arena.FundingCall) string { return "/utlysningar/" + idStr(v.ID) },
		fields: []regField{
			{Name: "funder_id", Label: "call.funder", Kind: kRef, Required: true, Options: funderOpts},
			{Name: "title", Label: "regform.title", Kind: kText, Required: true},
			{Name: "programme", Label: "call.programme", Kind: kText},
			{Name: "description", Label: "regform.description", Kind: kTextarea},
			{Name: "eligible_org_kinds", Label: "call.eligible", Hint: "regform.eligible_hint", Kind: kEnums, Options: enumOpts("org_kind", arena.OrgKinds)},
			{Name: "themes", Label: "call.themes", Hint: "regform.list_hint", Kind: kList},
			{Name: "general", Label: "call.general", Hint: "regform.general_hint", Kind: kBool},
			{Name: "opens_date", Label: "call.opens", Hint: "regform.date_hint", Kind: kDate},
			{Name: "closes_date", Label: "call.closes", Hint: "regform.date_hint", Kind: kDate},
			{Name: "min_amount_sek", Label: "regform.min_amount", Kind: kAmount},
			{Name: "max_amount_sek", Label: "regform.max_amount", Kind: kAmount},
			{Name: "budget_sek", Label: "regform.budget", Kind: kAmount},
			{Name: "co_funding_rate", Label: "regform.co_funding", Hint: "regform.co_funding_hint", Kind: kPercent},
			{Name: "url", Label: "regform.url", Hint: "network.website_hint", Kind: kURL},
			{Name: "source", Label: "regform.source", Hint: "regform.source_hint", Kind: kText},
		}}
	funders := &regForm[arena.Funder]{u: u, of: fundersOf, base: "/finansiarer", list: "/utlysningar", title: "regform.funder",
		mayAdd: arena.CanKeepRegister, mayEdit: keepsRegister[arena.Funder],
		showPath: func(*arena.Funder) string { return "/utlysningar" },
		fields: []regField{
			{Name: "name", Label: "regform.name", Kind: kText, Required: true},
			{Name: "kind", Label: "regform.kind", Kind: kEnum, Required: true, Options: enumOpts("funder_kind", arena.FunderKinds)},
			{Name: "org_id", Label: "regform.org", Hint: "regform.funder_org_hint", Kind: kRef, Options: orgOpts},
			{Name: "website", Label: "network.website", Hint: "network.website_hint", Kind: kURL},
			{Name: "source", Label: "regform.source", Hint: "regform.source_hint", Kind: kText},
		}}
	projects := &regForm[arena.Project]{u: u, of: projectsOf, base: "/projekt", title: "regform.project",
		mayAdd: arena.CanKeepRegister, mayEdit: keepsRegister[arena.Project],
		showPath: func(v *arena.Project) string { return "/projekt/" + idStr(v.ID) },
		fields: []regField{
			{Name: "title", Label: "regform.title", Kind: kText, Required: true},
			{Name: "category", Label: "project.category", Kind: kEnum, Required: true, Options: enumOpts("category", arena.ProjectCategories)},
			{Name: "procedure", Label: "project.procedure", Kind: kEnum, Options: enumOpts("procedure", arena.Procedures)},
			{Name: "phase", Label: "project.phase", Kind: kEnum, Options: enumOpts("phase", arena.ProjectPhases)},
			{Name: "funder_id", Label: "project.funder", Kind: kRef, Options: funderOpts},
			{Name: "call_id", Label: "regform.call_ref", Kind: kRef, Options: callOpts},
			{Name: "programme", Label: "call.programme", Kind: kText},
			{Name: "coordinator_org_id", Label: "project.coordinator", Kind: kRef, Options: orgOpts},
			{Name: "participants", Label: "project.participants", Hint: "regform.list_hint", Kind: kList},
			{Name: "description", Label: "regform.description", Kind: kTextarea},
			{Name: "results", Label: "project.results", Kind: kTextarea},
			{Name: "lessons", Label: "project.lessons", Kind: kTextarea},
			{Name: "start_year", Label: "network.start_year", Kind: kYear},
			{Name: "end_year", Label: "network.end_year", Kind: kYear},
			{Name: "source", Label: "regform.source", Hint: "regform.source_hint", Kind: kText},
		}}
	experts := &regForm[arena.Expert]{u: u, of: expertsOf, base: "/experter", title: "regform.expert",
		mayAdd: arena.CanKeepRegister, mayEdit: keepsRegister[arena.Expert],
		showPath: func(v *arena.Expert) string { return "/experter#expert-" + idStr(v.ID) },
		fields: []regField{
			{Name: "name", Label: "regform.name", Kind: kText, Required: true},
			{Name: "kind", Label: "expert.kind", Kind: kEnum, Required: true, Options: enumOpts("expert_kind", arena.ExpertKinds)},
			{Name: "org_id", Label: "regform.org", Kind: kRef, Options: orgOpts},
			{Name: "affiliation", Label: "regform.affiliation", Kind: kText},
			{Name: "subject_areas", Label: "expert.areas", Hint: "regform.list_hint", Kind: kList},
			{Name: "description", Label: "regform.description", Kind: kTextarea},
			{Name: "contact", Label: "expert.contact", Hint: "regform.contact_hint", Kind: kText},
			{Name: "website", Label: "network.website", Hint: "network.website_hint", Kind: kURL},
			{Name: "source", Label: "regform.source", Hint: "regform.source_hint", Kind: kText},
		}}
	orgs := &regForm[arena.Organization]{u: u, of: orgsOf, base: "/organisationer", title: "regform.org",
		mayAdd: arena.CanRegisterOrganization, mayEdit: arena.CanChangeOrganization,
		showPath: func(v *arena.Organization) string { return "/organisationer/" + idStr(v.ID) },
		fields: []regField{
			{Name: "name", Label: "regform.name", Kind: kText, Required: true},
			{Name: "org_number", Label: "org.number", Hint: "regform.org_number_hint", Kind: kText},
			{Name: "kind", Label: "org.kind", Kind: kEnum, Required: true, Options: enumOpts("org_kind", arena.OrgKinds)},
			{Name: "scb_code", Label: "regform.scb", Hint: "regform.scb_hint", Kind: kEnum, Options: scbOpts},
			{Name: "country", Label: "org.country", Hint: "regform.country_hint", Kind: kText},
			{Name: "website", Label: "network.website", Hint: "network.website_hint", Kind: kURL},
			{Name: "source", Label: "regform.source", Hint: "regform.source_hint", Kind: kText},
		}}
	dialogues := &regForm[arena.Dialogue]{u: u, of: dialoguesOf, base: "/dialoger", title: "regform.dialogue",
		mayAdd:   arena.CanStartDialogue,
		showPath: func(v *arena.Dialogue) string { return "/dialoger/" + idStr(v.ID) },
		fields: []regField{
			{Name: "org_id", Label: "dialogue.org", Hint: "dialogue.publisher_hint", Kind: kRef, Options: buyerOrgOpts},
			{Name: "network_id", Label: "dialogue.network", Hint: "dialogue.network_hint", Kind: kRef, Options: workingNetworkOpts},
			{Name: "kind", Label: "dialogue.kind", Kind: kEnum, Required: true, Options: enumOpts("dialogue_kind", arena.DialogueKinds)},
			{Name: "title", Label: "regform.title", Kind: kText, Required: true},
			{Name: "description", Label: "dialogue.description", Hint: "dialogue.description_hint", Kind: kTextarea, Required: true},
			{Name: "questions", Label: "dialogue.questions", Hint: "dialogue.questions_hint", Kind: kList, Required: true},
			{Name: "need_id", Label: "dialogue.need", Hint: "dialogue.need_hint", Kind: kRef, Options: ownNeedOpts},
			{Name: "cpv_codes", Label: "dialogue.cpv", Hint: "dialogue.cpv_hint", Kind: kList},
			{Name: "sector", Label: "dialogue.sector", Kind: kText},
			{Name: "deadline", Label: "dialogue.deadline", Hint: "regform.date_hint", Kind: kDate, Required: true},
			{Name: "meeting", Label: "dialogue.meeting", Hint: "dialogue.meeting_hint", Kind: kEnum, Options: enumOpts("meeting_kind", arena.MeetingKinds)},
			{Name: "meeting_date", Label: "dialogue.meeting_date", Hint: "regform.date_hint", Kind: kDate},
			{Name: "meeting_place", Label: "dialogue.meeting_place", Kind: kText},
			{Name: "seats", Label: "dialogue.seats", Kind: kAmount},
			{Name: "status", Label: "dialogue.status", Hint: "dialogue.status_hint", Kind: kEnum, Required: true, Options: enumOpts("dialogue_status", arena.DialogueStatuses)},
		}}
	var out []route
	out = append(out, dialogues.routes()...)
	out = append(out, u.networkPartForms()...)
	out = append(out, calls.routes()...)
	out = append(out, funders.routes()...)
	out = append(out, projects.routes()...)
	out = append(out, experts.routes()...)
	out = append(out, orgs.routes()...)
	return out
}

// KeepsRegister reports whether the user keeps the public registers
// (arena.CanKeepRegister): the pages offer their forms.
func (p *page) KeepsRegister() bool { return arena.CanKeepRegister(p.Actor) == nil }

// RegistersOrgs reports whether the user registers organisations
// (arena.CanRegisterOrganization).
func (p *page) RegistersOrgs() bool { return arena.CanRegisterOrganization(p.Actor) == nil }

// MayChangeOrg reports whether the user changes o's record
// (arena.CanChangeOrganization).
func (p *page) MayChangeOrg(o *arena.Organization) bool {
	return o != nil && arena.CanChangeOrganization(p.Actor, o) == nil
}

// The parts of a network (its activities, deliverables, member
// procurements and funding periods) are added on its tabs and changed or
// deleted on forms of their own, by the store's rules (Entity.Authorize).
var (
	activitiesOf   = func(u *UI) *store.Entity[arena.Activity] { return u.app.DB.Activities }
	deliverablesOf = func(u *UI) *store.Entity[arena.Deliverable] { return u.app.DB.Deliverables }
	procsOf        = func(u *UI) *store.Entity[arena.MemberProcurement] { return u.app.DB.MemberProcurements }
	periodsOf      = func(u *UI) *store.Entity[arena.FundingPeriod] { return u.app.DB.FundingPeriods }
)

// networkDeliverableOpts are the deliverables of the member procurement's
// network.
func networkDeliverableOpts(ctx context.Context, u *UI, _ *page, rec any) ([]option, error) {
	p, ok := rec.(*arena.MemberProcurement)
	if !ok {
		return nil, nil
	}
	ds, err := store.All(ctx, u.app.DB.Deliverables, map[string]string{"network_id": idStr(p.NetworkID)})
	if err != nil {
		return nil, err
	}
	var out []option
	for _, d := range ds {
		out = append(out, option{Value: idStr(d.ID), Label: d.Title})
	}
	return out, nil
}

func (u *UI) networkPartForms() []route {
	activities := &regForm[arena.Activity]{u: u, of: activitiesOf, base: "/aktiviteter", title: "regform.activity",
		showPath: func(v *arena.Activity) string { return tabPath(v.NetworkID, "plan") },
		gone:     func(v *arena.Activity) string { return tabPath(v.NetworkID, "plan") },
		fields: []regField{
			{Name: "kind", Label: "activity.kind", Kind: kEnum, Required: true, Options: enumOpts("activity_kind", arena.ActivityKinds)},
			{Name: "title", Label: "regform.title", Kind: kText, Required: true},
			{Name: "description", Label: "regform.description", Kind: kTextarea},
			{Name: "start_date", Label: "regform.start_date", Hint: "regform.date_hint", Kind: kDate},
			{Name: "end_date", Label: "regform.end_date", Hint: "regform.date_hint", Kind: kDate},
			{Name: "status", Label: "activity.status", Kind: kEnum, Required: true, Options: enumOpts("activity_status", arena.ActivityStatuses)},
		}}
	deliverables := &regForm[arena.Deliverable]{u: u, of: deliverablesOf, base: "/leveranser", title: "regform.deliverable",
		showPath: func(v *arena.Deliverable) string { return tabPath(v.NetworkID, "leveranser") },
		gone:     func(v *arena.Deliverable) string { return tabPath(v.NetworkID, "leveranser") },
		fields: []regField{
			{Name: "kind", Label: "regform.kind", Kind: kEnum, Required: true, Options: enumOpts("deliverable_kind", arena.DeliverableKinds)},
			{Name: "title", Label: "regform.title", Kind: kText, Required: true},
			{Name: "description", Label: "regform.description", Kind: kTextarea},
			{Name: "doc_version", Label: "regform.doc_version", Kind: kText},
			{Name: "published_date", Label: "regform.published_date", Hint: "regform.date_hint", Kind: kDate},
			{Name: "url", Label: "regform.doc_url", Hint: "network.website_hint", Kind: kURL},
		}}
	procs := &regForm[arena.MemberProcurement]{u: u, of: procsOf, base: "/medlemsupphandlingar", title: "regform.procurement",
		showPath: func(v *arena.MemberProcurement) string { return tabPath(v.NetworkID, "uppfoljning") },
		gone:     func(v *arena.MemberProcurement) string { return tabPath(v.NetworkID, "uppfoljning") },
		fields: []regField{
			{Name: "kind", Label: "regform.follow_kind", Kind: kEnum, Required: true, Options: enumOpts("follow_kind", arena.FollowThroughKinds)},
			{Name: "central_purchasing_body", Label: "regform.central_body", Hint: "regform.central_body_hint", Kind: kText},
			{Name: "title", Label: "regform.title", Kind: kText},
			{Name: "deliverable_id", Label: "regform.deliverable_ref", Kind: kRef, Options: networkDeliverableOpts},
			{Name: "planned_date", Label: "regform.planned_date", Hint: "regform.date_hint", Kind: kDate},
			{Name: "procurement_ref", Label: "regform.procurement_ref", Kind: kText},
			{Name: "ocid", Label: "regform.ocid", Hint: "regform.ocid_hint", Kind: kText},
		}}
	periods := &regForm[arena.FundingPeriod]{u: u, of: periodsOf, base: "/finansieringsperioder", title: "regform.funding",
		showPath: func(v *arena.FundingPeriod) string { return tabPath(v.NetworkID, "") },
		gone:     func(v *arena.FundingPeriod) string { return tabPath(v.NetworkID, "") },
		fields: []regField{
			{Name: "funder_id", Label: "call.funder", Kind: kRef, Options: funderOpts},
			{Name: "start_date", Label: "regform.start_date", Hint: "regform.date_hint", Kind: kDate},
			{Name: "end_date", Label: "regform.end_date", Hint: "regform.date_hint", Kind: kDate},
			{Name: "amount_sek", Label: "regform.amount", Kind: kAmount},
			{Name: "note", Label: "regform.note", Kind: kTextarea},
			{Name: "source", Label: "regform.source", Hint: "regform.source_hint", Kind: kText},
		}}
	var out []route
	out = append(out, activities.routes()...)
	out = append(out, deliverables.routes()...)
	out = append(out, procs.routes()...)
	out = append(out, periods.routes()...)
	return out
}

// SCBName is an SCB kommun or län code by its name, as the reference data
// has it ("Falu kommun (2080)"); the code alone without reference data.
func (p *page) SCBName(code string) string {
	ref := p.ui.app.DB.Reference()
	if m, ok := ref.Municipality(code); ok {
		return p.T("regform.scb_municipality", m.ShortName, m.Code)
	}
	if c, ok := ref.County(code); ok {
		return p.T("regform.scb_county", c.Name, c.Code)
	}
	return code
}
