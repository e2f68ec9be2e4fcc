// Package networks runs buyer networks: forming a tactical network from
// matched needs, invitations and answers, the overview with purchasing
// power, classification, gaps and alerts, member procurements through their
// stages, the funnel and closing. Every decision is a rule of the domain;
// this package gathers the facts the rules need and stores the outcome.
package networks

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/auth"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/store"
)

// Service holds what network operations need.
type Service struct {
	DB  *store.DB
	Log *slog.Logger
	// Matching tells which calls fit a network, for the call-deadline
	// alerts; nil leaves them out.
	Matching *matching.Service
	// OnJob is told of each run of a background job and its outcome
	// (metrics); nil tells nobody.
	OnJob func(job string, err error)
}

// New returns a service.
func New(db *store.DB, m *matching.Service, log *slog.Logger) *Service {
	return &Service{DB: db, Matching: m, Log: log}
}

func (s *Service) today() arena.Date { return arena.DateOf(s.DB.Now()) }

// system is the platform acting on a decision a rule has already made.
func system(ctx context.Context) context.Context {
	return arena.WithActor(ctx, arena.SystemActor())
}

func values[T any](xs []*T) []T {
	out := make([]T, len(xs))
	for i, x := range xs {
		out[i] = *x
	}
	return out
}

func byNetwork(id int64) map[string]string {
	return map[string]string{"network_id": strconv.FormatInt(id, 10)}
}

// Start creates a network (arena.CanCreateNetwork, asked by the store)
// and, with join, makes its owner organisation an active member at once,
// with the caller as its contact (arena.CanCreateMember: only the owner's
// admin may), in one transaction: a refused membership starts no network.
func (s *Service) Start(ctx context.Context, n *arena.Network, join bool) error {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		if err := s.DB.Networks.CreateTx(ctx, tx, n); err != nil {
			return err
		}
		if !join {
			return nil
		}
		if n.OwnerOrgID == nil {
			return arena.Invalid("join", "err.network.join_needs_owner")
		}
		m := &arena.NetworkMember{NetworkID: n.ID, OrgID: *n.OwnerOrgID, Status: arena.MemberActive, Role: arena.MemberBuyer, Tier: arena.TierCore}
		if a.User != nil {
			m.ContactName, m.ContactEmail = a.User.Name, a.User.Email
		}
		err := s.DB.NetworkMembers.CreateTx(ctx, tx, m)
		if arena.ErrorField(err) == "status" {
			return arena.Invalid("join", "err.network.join_own_admin")
		}
		return err
	})
}

// FromNeeds forms a tactical network around the needs (arena.CanFormNetwork):
// the organisations that posted them are invited, and the caller's own
// organisation joins at once when the caller is its admin. Every need must
// be visible to the caller.
func (s *Service) FromNeeds(ctx context.Context, n *arena.Network, needIDs []int64) (*arena.Network, error) {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	n.Kind = arena.NetworkTactical
	n.Status = arena.NetworkActive
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		var needs []*arena.Need
		for _, id := range needIDs {
			nd, err := s.DB.Needs.GetTx(ctx, tx, id)
			if arena.ErrorCode(err) == arena.ENOTFOUND {
				return arena.Invalid("from_needs", "err.network.need_not_visible")
			} else if err != nil {
				return err
			}
			needs = append(needs, nd)
		}
		if err := arena.CanFormNetwork(a, needs); err != nil {
			return err
		}
		if n.Name == "" {
			n.Name = needs[0].Title
		}
		if n.Sector == "" {
			n.Sector = needs[0].Sector
		}
		if n.OwnerOrgID == nil {
			for _, nd := range needs {
				if a.InOrg(nd.OrgID) {
					n.OwnerOrgID = new(nd.OrgID)
					break
				}
			}
		}
		if err := s.DB.Networks.CreateTx(ctx, tx, n); err != nil {
			return err
		}
		for _, nd := range needs {
			m := &arena.NetworkMember{NetworkID: n.ID, OrgID: nd.OrgID, NeedID: new(nd.ID), Role: arena.MemberBuyer, Tier: arena.TierCore, Status: arena.MemberInvited}
			if a.IsOrgAdmin(nd.OrgID) {
				m.Status = arena.MemberActive
				m.ContactName, m.ContactEmail = a.User.Name, a.User.Email
			}
			// The caller may form the network and invite; the invitations
			// are written by the platform on the caller's behalf, and only
			// the caller's own organisation joins at once.
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

// Act applies an action to a membership: the organisation's answer
// (accept, decline, leave: arena.NetworkMember.Answer) or the decision of
// those who run the network on a request to join (approve, reject:
// arena.NetworkMember.Decide). version is the membership's version the
// action was based on, 0 for the current one.
func (s *Service) Act(ctx context.Context, memberID int64, action string, version int64) (*arena.NetworkMember, error) {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	m, err := s.DB.NetworkMembers.Get(ctx, memberID)
	if err != nil {
		return nil, err
	}
	if version != 0 && m.Version != version {
		return nil, arena.Err(arena.EPRECONDITION, "err.stale", arena.F{"what": arena.Term{Key: "entity.network_member"}})
	}
	st, err := s.DB.NetworkState(ctx, m.NetworkID)
	if err != nil {
		return nil, err
	}
	if action == arena.ActionApprove || action == arena.ActionReject {
		err = m.Decide(st.Standing, st.Network, action)
	} else {
		err = m.Answer(a, st.Network, action)
	}
	if err != nil {
		return nil, err
	}
	// The status is set by the action alone (the store refuses it in a
	// plain update); the rule has allowed this one.
	if err := s.DB.NetworkMembers.Update(system(ctx), m, m.Version); err != nil {
		return nil, err
	}
	return s.DB.NetworkMembers.Get(ctx, m.ID)
}

// Advance moves a member procurement to its next stage on a date; the
// store holds the move to the member's rights and the stage rules.
func (s *Service) Advance(ctx context.Context, id int64, stage arena.ProcurementStage, on arena.Date, reason string, version int64) (*arena.MemberProcurement, error) {
	p, err := s.DB.MemberProcurements.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if version == 0 {
		version = p.Version
	}
	if err := p.Advance(stage, on, reason); err != nil {
		return nil, err
	}
	if err := s.DB.MemberProcurements.Update(ctx, p, version); err != nil {
		return nil, err
	}
	return p, nil
}

// Close closes a network whose task is done or whose members decided so
// (arena.CanCloseNetwork, arena.CanClose); a closed network is read-only.
// decided is the caller's word that the members decided, which counts when
// the caller runs the network.
func (s *Service) Close(ctx context.Context, id int64, decided bool, version int64) (*arena.Network, error) {
	if _, err := arena.RequireActor(ctx); err != nil {
		return nil, err
	}
	st, err := s.DB.NetworkState(ctx, id)
	if err != nil {
		return nil, err
	}
	n := st.Network
	if version != 0 && n.Version != version {
		return nil, arena.Err(arena.EPRECONDITION, "err.stale", arena.F{"what": arena.Term{Key: "entity.network"}})
	}
	consented, err := arena.CanCloseNetwork(st.Standing, n, st.Members)
	if err != nil {
		return nil, err
	}
	procs, err := store.Unchecked(ctx, s.DB.MemberProcurements, byNetwork(id))
	if err != nil {
		return nil, err
	}
	if err := arena.CanClose(n, values(procs), consented || (decided && st.Standing.Manages())); err != nil {
		return nil, err
	}
	n.Status = arena.NetworkClosed
	// Closing goes through this operation only; the rules above allowed it.
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

// Overview is everything a network's page shows, as the reader may see it.
// The record, the active members (without contact people), the
// deliverables, the classification and the joint purchasing power in sums
// are public; the rest (Inside) is for the network's insiders
// (arena.CanSeeNetworkInside).
type Overview struct {
	Network        *arena.Network             `json:"network"`
	Standing       arena.Standing             `json:"standing"` // what the reader is to the network
	Inside         bool                       `json:"inside"`   // the reader sees the network's inside
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

	state *store.NetworkState
}

// State is what the overview was gathered from: the network, all its
// memberships (for the rules, unredacted) and the reader's standing.
func (o *Overview) State() *store.NetworkState { return o.state }

// Overview gathers a network's page, as the actor of ctx may see it.
func (s *Service) Overview(ctx context.Context, id int64) (*Overview, error) {
	st, err := s.DB.NetworkState(ctx, id)
	if err != nil {
		return nil, err
	}
	n := st.Network
	o := &Overview{Network: n, Standing: st.Standing, Inside: arena.CanSeeNetworkInside(st.Standing), state: st}
	byNet := byNetwork(id)
	visible, err := store.All(ctx, s.DB.NetworkMembers, byNet)
	if err != nil {
		return nil, err
	}
	// The organisations and needs of every member, each set in one query.
	var orgIDs, needIDs, visibleNeedIDs []int64
	for _, m := range st.Members {
		orgIDs = append(orgIDs, m.OrgID)
		if m.NeedID != nil {
			needIDs = append(needIDs, *m.NeedID)
		}
	}
	for _, m := range visible {
		if m.NeedID != nil {
			visibleNeedIDs = append(visibleNeedIDs, *m.NeedID)
		}
	}
	if n.OwnerOrgID != nil {
		orgIDs = append(orgIDs, *n.OwnerOrgID)
	}
	if n.CoordinatorOrgID != nil {
		orgIDs = append(orgIDs, *n.CoordinatorOrgID)
	}
	found, err := s.DB.Organizations.GetMany(system(ctx), orgIDs)
	if err != nil {
		return nil, err
	}
	orgs := map[int64]*arena.Organization{}
	orgOf := func(id int64) *arena.Organization {
		if _, ok := orgs[id]; !ok {
			orgs[id] = found[id] // nil when it does not exist, as before
		}
		return orgs[id]
	}
	// The sums and the classification are the network's, from every
	// member and need; the needs' texts stay with those who may see them.
	needsAll, err := s.DB.Needs.GetManyUnchecked(ctx, needIDs)
	if err != nil {
		return nil, err
	}
	for _, m := range st.Members {
		orgOf(m.OrgID)
	}
	seen, err := s.DB.Needs.GetMany(ctx, visibleNeedIDs)
	if err != nil {
		return nil, err
	}
	o.Members = []MemberView{}
	for _, m := range visible {
		mv := MemberView{NetworkMember: *m, Org: orgOf(m.OrgID)}
		if m.NeedID != nil {
			mv.Need = seen[*m.NeedID]
		}
		o.Members = append(o.Members, mv)
	}
	if n.ParentID != nil {
		o.Parent, _ = s.DB.Networks.Get(ctx, *n.ParentID)
	}
	if o.SubGroups, err = store.All(ctx, s.DB.Networks, map[string]string{"parent_id": strconv.FormatInt(id, 10)}); err != nil {
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
	allPeriods, err := store.Unchecked(ctx, s.DB.FundingPeriods, byNet)
	if err != nil {
		return nil, err
	}
	allProcs, err := store.Unchecked(ctx, s.DB.MemberProcurements, byNet)
	if err != nil {
		return nil, err
	}
	today := s.today()
	o.Power = arena.JointPurchasingPower(st.Members, needsAll)
	o.Classification = arena.Classify(n, st.Members, orgs, needsAll, values(allPeriods), today)
	o.Gaps = []arena.Gap{}
	if o.Inside {
		o.Gaps = arena.Prerequisites(n, st.Members, o.Plan, values(allPeriods), orgs, today)
	}
	if o.Alerts, err = s.DB.Alerts(ctx, store.AlertFilter{NetworkID: id}); err != nil {
		return nil, err
	}
	o.Funnel = arena.BuildFunnel(len(needsAll), []arena.Network{*n}, values(o.Deliverables), values(allProcs))
	return o, nil
}

// Funnel is the overall funnel: needs → networks → deliverables →
// procurements by stage → implemented, in counts.
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
	procs, err := store.Unchecked(ctx, s.DB.MemberProcurements, nil)
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
	sys := system(ctx)
	today := s.today()
	nets, err := store.All(sys, s.DB.Networks, nil)
	if err != nil {
		return 0, err
	}
	calls, err := store.All(sys, s.DB.Calls, nil)
	if err != nil {
		return 0, err
	}
	var alerts []arena.Alert
	for _, n := range nets {
		st, err := s.DB.NetworkState(sys, n.ID)
		if err != nil {
			return 0, err
		}
		orgs := map[int64]*arena.Organization{}
		for _, m := range st.Members {
			if o, err := s.DB.Organizations.Get(sys, m.OrgID); err == nil {
				orgs[m.OrgID] = o
			}
		}
		periods, err := store.Unchecked(ctx, s.DB.FundingPeriods, byNetwork(n.ID))
		if err != nil {
			return 0, err
		}
		acts, err := store.Unchecked(ctx, s.DB.Activities, byNetwork(n.ID))
		if err != nil {
			return 0, err
		}
		fits := map[int64]bool{}
		if s.Matching != nil {
			if fits, err = s.Matching.NetworkCallFits(sys, n, st.Members, calls, today); err != nil {
				return 0, err
			}
		}
		alerts = append(alerts, arena.NetworkAlerts(n, st.Members, orgs, values(periods), values(acts), values(calls), fits, today)...)
	}
	if err := s.DB.ReplaceAlerts(ctx, alerts); err != nil {
		return 0, err
	}
	return len(alerts), nil
}

// RunDaily refreshes the alerts and prunes the change log, expired
// sessions and old failed sign-ins now and then every day until ctx ends.
func (s *Service) RunDaily(ctx context.Context) {
	for {
		// Indexes read the change log within seconds; a week is plenty.
		s.job(ctx, "prune_changes", func() error { return s.DB.PruneChanges(ctx, 7*24*time.Hour) })
		s.job(ctx, "prune_sign_ins", func() error { return s.DB.PruneSignIns(ctx, auth.ForgetAfter) })
		s.job(ctx, "refresh_alerts", func() error {
			n, err := s.RefreshAlerts(ctx)
			if err == nil {
				s.Log.Info("network alerts refreshed", "alerts", n)
			}
			return err
		})
		select {
		case <-ctx.Done():
			return
		case <-time.After(24 * time.Hour):
		}
	}
}

// job runs one background job, logs its failure and tells OnJob.
func (s *Service) job(ctx context.Context, name string, run func() error) {
	if ctx.Err() != nil {
		return
	}
	err := run()
	if err != nil && ctx.Err() == nil {
		s.Log.Warn("background job failed", "job", name, "err", err)
	}
	if s.OnJob != nil {
		s.OnJob(name, err)
	}
}
