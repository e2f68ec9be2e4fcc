// Package networks runs buyer networks: forming a tactical network from
// matched needs, invitations, the overview with purchasing power,
// classification, gaps and alerts, member procurements through their
// stages, the funnel and closing.
package networks

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/store"
)

// Service holds what network operations need.
type Service struct {
	DB  *store.DB
	Log *slog.Logger
	An  *match.Analyzer // for which calls fit a network; may be nil
}

// New returns a service.
func New(db *store.DB, an *match.Analyzer, log *slog.Logger) *Service {
	return &Service{DB: db, An: an, Log: log}
}

func (s *Service) today() arena.Date { return arena.DateOf(s.DB.Now()) }

var system = func(ctx context.Context) context.Context { return arena.WithActor(ctx, arena.SystemActor()) }

func values[T any](xs []*T) []T {
	out := make([]T, len(xs))
	for i, x := range xs {
		out[i] = *x
	}
	return out
}

// FromNeeds forms a tactical network around the needs: the organisations
// that posted them are invited, the caller's own organisation joins at
// once. Every need must be visible to the caller, and come from at least
// two organisations.
func (s *Service) FromNeeds(ctx context.Context, n *arena.Network, needIDs []int64) (*arena.Network, error) {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if len(needIDs) == 0 {
		return nil, arena.Invalid("from_needs", "name the needs the network is formed around")
	}
	n.Kind = arena.NetworkTactical
	n.Status = arena.NetworkActive
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		needs := map[int64]*arena.Need{}
		var orgOrder []int64
		for _, id := range needIDs {
			nd, err := s.DB.Needs.GetTx(ctx, tx, id)
			if arena.ErrorCode(err) == arena.ENOTFOUND {
				return arena.Invalid("from_needs", "need %d does not exist or is not visible to you", id)
			} else if err != nil {
				return err
			}
			if needs[nd.OrgID] != nil {
				return arena.Invalid("from_needs", "two of the needs come from the same organisation; a network takes one need per organisation")
			}
			needs[nd.OrgID] = nd
			orgOrder = append(orgOrder, nd.OrgID)
		}
		if len(needs) < 2 && !a.Has(arena.RoleBroker) {
			return arena.Invalid("from_needs", "a network needs the needs of at least two organisations")
		}
		if n.Name == "" {
			n.Name = needs[orgOrder[0]].Title
		}
		if n.Sector == "" {
			n.Sector = needs[orgOrder[0]].Sector
		}
		if n.OwnerOrgID == nil {
			for _, org := range orgOrder {
				if a.InOrg(org) {
					o := org
					n.OwnerOrgID = &o
					break
				}
			}
		}
		if err := s.DB.Networks.CreateTx(ctx, tx, n); err != nil {
			return err
		}
		for _, org := range orgOrder {
			nd := needs[org]
			m := &arena.NetworkMember{NetworkID: n.ID, OrgID: org, NeedID: &nd.ID, Role: arena.MemberBuyer, Tier: arena.TierCore, Status: arena.MemberInvited}
			if a.InOrg(org) {
				m.Status = arena.MemberActive
				if a.User != nil {
					m.ContactName, m.ContactEmail = a.User.Name, a.User.Email
				}
			}
			// The invitations are made by the platform on the caller's behalf:
			// the caller may invite, not act for the invited.
			if err := s.DB.NetworkMembers.CreateTx(system(ctx), tx, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// Respond accepts or declines an invitation, or leaves the network; only
// the member organisation's own people (or a broker) may.
func (s *Service) Respond(ctx context.Context, memberID int64, action string) (*arena.NetworkMember, error) {
	if _, err := arena.RequireActor(ctx); err != nil {
		return nil, err
	}
	m, err := s.DB.NetworkMembers.Get(ctx, memberID)
	if err != nil {
		return nil, err
	}
	a := arena.ActorFrom(ctx)
	if !a.InOrg(m.OrgID) && !a.Has(arena.RoleBroker) {
		return nil, arena.Errorf(arena.EFORBIDDEN, "only the invited organisation answers its invitation")
	}
	switch action {
	case "accept":
		if m.Status != arena.MemberInvited {
			return nil, arena.Errorf(arena.ECONFLICT, "the membership is %s, not an open invitation", m.Status)
		}
		m.Status = arena.MemberActive
	case "decline":
		if m.Status != arena.MemberInvited {
			return nil, arena.Errorf(arena.ECONFLICT, "the membership is %s, not an open invitation", m.Status)
		}
		m.Status = arena.MemberDeclined
	case "leave":
		if m.Status != arena.MemberActive {
			return nil, arena.Errorf(arena.ECONFLICT, "only an active member can leave")
		}
		m.Status = arena.MemberLeft
	default:
		return nil, arena.Invalid("action", "action must be accept, decline or leave")
	}
	if err := s.DB.NetworkMembers.Update(ctx, m, m.Version); err != nil {
		return nil, err
	}
	return m, nil
}

// Advance moves a member procurement to its next stage on a date.
func (s *Service) Advance(ctx context.Context, id int64, stage arena.ProcurementStage, on arena.Date, reason string, version int64) (*arena.MemberProcurement, error) {
	p, err := s.DB.MemberProcurements.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if version != 0 && p.Version != version {
		return nil, arena.Errorf(arena.EPRECONDITION, "the member procurement was changed by someone else; reload and try again")
	}
	if err := p.Advance(stage, on, reason); err != nil {
		return nil, err
	}
	if err := s.DB.MemberProcurements.Update(ctx, p, p.Version); err != nil {
		return nil, err
	}
	return p, nil
}

// Close closes a network whose task is done or whose members decided so;
// a closed network is read-only.
func (s *Service) Close(ctx context.Context, id int64, membersDecided bool) (*arena.Network, error) {
	n, err := s.DB.Networks.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	procs, err := store.All(ctx, s.DB.MemberProcurements, map[string]string{"network_id": fmt.Sprint(id)})
	if err != nil {
		return nil, err
	}
	if err := arena.CanClose(n, values(procs), membersDecided); err != nil {
		return nil, err
	}
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	// The right to change the network is the store's; the status itself
	// may only be set here, so the update runs as the platform.
	if err := s.DB.CanEditNetwork(ctx, a, n.ID); err != nil {
		return nil, err
	}
	n.Status = arena.NetworkClosed
	if err := s.DB.Networks.Update(system(ctx), n, n.Version); err != nil {
		return nil, err
	}
	return n, nil
}

// MemberView is a member with its organisation and need.
type MemberView struct {
	arena.NetworkMember
	Org  *arena.Organization `json:"organization"`
	Need *arena.Need         `json:"need,omitempty"` // nil when not visible to the reader
}

// Overview is everything a network's page shows.
type Overview struct {
	Network        *arena.Network             `json:"network"`
	Parent         *arena.Network             `json:"parent,omitempty"`
	SubGroups      []*arena.Network           `json:"sub_groups"`
	Owner          *arena.Organization        `json:"owner,omitempty"`
	Coordinator    *arena.Organization        `json:"coordinator,omitempty"`
	Members        []MemberView               `json:"members"`
	Plan           *arena.NetworkPlan         `json:"plan,omitempty"`
	Activities     []*arena.Activity          `json:"activities"`
	Deliverables   []*arena.Deliverable       `json:"deliverables"`
	Procurements   []*arena.MemberProcurement `json:"member_procurements"`
	FundingPeriods []*arena.FundingPeriod     `json:"funding_periods"`
	Power          arena.PurchasingPower      `json:"purchasing_power"`
	Classification arena.Classification       `json:"classification"`
	Gaps           []arena.Gap                `json:"prerequisite_gaps"`
	Alerts         []arena.Alert              `json:"alerts"`
	Funnel         arena.Funnel               `json:"funnel"`
}

// Overview gathers a network's page, as the actor of ctx may see it.
func (s *Service) Overview(ctx context.Context, id int64) (*Overview, error) {
	n, err := s.DB.Networks.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	byNet := map[string]string{"network_id": fmt.Sprint(id)}
	o := &Overview{Network: n}
	members, err := store.All(ctx, s.DB.NetworkMembers, byNet)
	if err != nil {
		return nil, err
	}
	orgs := map[int64]*arena.Organization{}
	orgOf := func(id int64) *arena.Organization {
		if orgs[id] == nil {
			orgs[id], _ = s.DB.Organizations.Get(system(ctx), id)
		}
		return orgs[id]
	}
	// Purchasing power counts every member's need, visible or not: the
	// totals are the network's; the needs' texts stay with their owners.
	needsAll := map[int64]*arena.Need{}
	for _, m := range members {
		mv := MemberView{NetworkMember: *m, Org: orgOf(m.OrgID)}
		if m.NeedID != nil {
			if nd, err := s.DB.Needs.GetUnchecked(ctx, *m.NeedID); err == nil {
				needsAll[nd.ID] = nd
			}
			if nd, err := s.DB.Needs.Get(ctx, *m.NeedID); err == nil {
				mv.Need = nd
			}
		}
		o.Members = append(o.Members, mv)
	}
	if o.Members == nil {
		o.Members = []MemberView{}
	}
	if n.ParentID != nil {
		o.Parent, _ = s.DB.Networks.Get(ctx, *n.ParentID)
	}
	if o.SubGroups, err = store.All(ctx, s.DB.Networks, map[string]string{"parent_id": fmt.Sprint(id)}); err != nil {
		return nil, err
	}
	if n.OwnerOrgID != nil {
		o.Owner = orgOf(*n.OwnerOrgID)
	}
	if n.CoordinatorOrgID != nil {
		o.Coordinator = orgOf(*n.CoordinatorOrgID)
	}
	plans, err := store.All(ctx, s.DB.NetworkPlans, byNet)
	if err != nil {
		return nil, err
	}
	if len(plans) > 0 {
		o.Plan = plans[0]
	}
	if o.Activities, err = store.All(ctx, s.DB.Activities, byNet); err != nil {
		return nil, err
	}
	if o.Deliverables, err = store.All(ctx, s.DB.Deliverables, byNet); err != nil {
		return nil, err
	}
	if o.Procurements, err = store.All(ctx, s.DB.MemberProcurements, byNet); err != nil {
		return nil, err
	}
	if o.FundingPeriods, err = store.All(ctx, s.DB.FundingPeriods, byNet); err != nil {
		return nil, err
	}
	today := s.today()
	mvals := values(members)
	o.Power = arena.JointPurchasingPower(mvals, needsAll)
	o.Classification = arena.Classify(n, mvals, orgs, needsAll, values(o.FundingPeriods), today)
	o.Gaps = arena.Prerequisites(n, mvals, o.Plan, values(o.FundingPeriods), orgs, today)
	if o.Gaps == nil {
		o.Gaps = []arena.Gap{}
	}
	if o.Alerts, err = s.DB.Alerts(ctx, store.AlertFilter{NetworkID: id}); err != nil {
		return nil, err
	}
	o.Funnel = arena.BuildFunnel(len(needsAll), []arena.Network{*n}, values(o.Deliverables), values(o.Procurements))
	return o, nil
}

// Funnel is the overall funnel: needs → networks → deliverables →
// procurements by stage → implemented.
func (s *Service) Funnel(ctx context.Context) (arena.Funnel, error) {
	ctx = system(ctx)
	nets, err := store.All(ctx, s.DB.Networks, nil)
	if err != nil {
		return arena.Funnel{}, err
	}
	dels, err := store.All(ctx, s.DB.Deliverables, nil)
	if err != nil {
		return arena.Funnel{}, err
	}
	procs, err := store.All(ctx, s.DB.MemberProcurements, nil)
	if err != nil {
		return arena.Funnel{}, err
	}
	total, err := s.DB.CountNeeds(ctx)
	if err != nil {
		return arena.Funnel{}, err
	}
	return arena.BuildFunnel(total, values(nets), values(dels), values(procs)), nil
}

// RefreshAlerts recomputes every network's alerts for today and stores
// them; the daily job and POST /api/v1/alerts/refresh run it.
func (s *Service) RefreshAlerts(ctx context.Context) (int, error) {
	ctx = system(ctx)
	today := s.today()
	nets, err := store.All(ctx, s.DB.Networks, nil)
	if err != nil {
		return 0, err
	}
	calls, err := store.All(ctx, s.DB.Calls, nil)
	if err != nil {
		return 0, err
	}
	var alerts []arena.Alert
	for _, n := range nets {
		byNet := map[string]string{"network_id": fmt.Sprint(n.ID)}
		members, err := store.All(ctx, s.DB.NetworkMembers, byNet)
		if err != nil {
			return 0, err
		}
		periods, err := store.All(ctx, s.DB.FundingPeriods, byNet)
		if err != nil {
			return 0, err
		}
		acts, err := store.All(ctx, s.DB.Activities, byNet)
		if err != nil {
			return 0, err
		}
		fits, err := s.callFits(ctx, n, members, calls, today)
		if err != nil {
			return 0, err
		}
		alerts = append(alerts, arena.NetworkAlerts(n, values(members), values(periods), values(acts), values(calls), fits, today)...)
	}
	if err := s.DB.ReplaceAlerts(ctx, alerts); err != nil {
		return 0, err
	}
	return len(alerts), nil
}

// callFits decides which open calls fit a network: a member's kind of
// organisation may apply, and the call's text shares concepts with the
// network's and its members' needs.
func (s *Service) callFits(ctx context.Context, n *arena.Network, members []*arena.NetworkMember, calls []*arena.FundingCall, today arena.Date) (map[int64]bool, error) {
	fits := map[int64]bool{}
	if s.An == nil || len(calls) == 0 {
		return fits, nil
	}
	kinds := map[arena.OrgKind]bool{}
	text := []string{n.Name, n.Description, n.Sector}
	for _, m := range members {
		if m.Status != arena.MemberActive {
			continue
		}
		if o, err := s.DB.Organizations.Get(ctx, m.OrgID); err == nil {
			kinds[o.Kind] = true
		}
		if m.NeedID != nil {
			if nd, err := s.DB.NeedForIndex(ctx, *m.NeedID); err == nil {
				text = append(text, nd.Title)
			}
		}
	}
	var items []match.Item
	byID := map[string]*arena.FundingCall{}
	for _, c := range calls {
		if c.ClosesDate != nil && c.ClosesDate.Before(today.Time) {
			continue
		}
		id := fmt.Sprint(c.ID)
		byID[id] = c
		items = append(items, match.Item{ID: id, Title: c.Title, Body: c.Programme + ". " + c.Description, Tags: c.Themes})
	}
	if len(items) == 0 {
		return fits, nil
	}
	coll := match.NewCollection(s.An, items)
	for _, m := range coll.Rank(&match.Need{Title: n.Name, Description: strings.Join(text, ". ")}, 0, match.DefaultMinItemScore, nil) {
		c := byID[m.ID]
		ok := len(c.EligibleOrgKinds) == 0
		for _, k := range c.EligibleOrgKinds {
			ok = ok || kinds[k]
		}
		fits[c.ID] = ok
	}
	return fits, nil
}

// RunDaily refreshes the alerts and prunes the change log now and then
// every day until ctx ends.
func (s *Service) RunDaily(ctx context.Context) {
	for {
		// Indexes read the change log within seconds; a week is plenty.
		if err := s.DB.PruneChanges(ctx, 7*24*time.Hour); err != nil && ctx.Err() == nil {
			s.Log.Warn("change log pruning failed", "err", err)
		}
		if n, err := s.RefreshAlerts(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			s.Log.Warn("alert refresh failed", "err", err)
		} else {
			s.Log.Info("network alerts refreshed", "alerts", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(24 * time.Hour):
		}
	}
}
