package store

import (
	"context"
	"database/sql"
	"errors"

	arena "github.com/arena-se/arena"
)

// Entities are the stored record kinds, each with its rules of access.
type Entities struct {
	Organizations      *Entity[arena.Organization]
	Users              *Entity[arena.User]
	OrgMemberships     *Entity[arena.OrgMembership]
	Needs              *Entity[arena.Need]
	Networks           *Entity[arena.Network]
	NetworkMembers     *Entity[arena.NetworkMember]
	NetworkPlans       *Entity[arena.NetworkPlan]
	Activities         *Entity[arena.Activity]
	Deliverables       *Entity[arena.Deliverable]
	MemberProcurements *Entity[arena.MemberProcurement]
	FundingPeriods     *Entity[arena.FundingPeriod]
	Funders            *Entity[arena.Funder]
	Calls              *Entity[arena.FundingCall]
	Projects           *Entity[arena.Project]
	Experts            *Entity[arena.Expert]
}

func (db *DB) initEntities() {
	db.Organizations = &Entity[arena.Organization]{db: db, Name: "organisation", Table: "organizations",
		filters: map[string]filter{
			"kind":       eqString("kind", enumStrings(arena.OrgKinds)...),
			"scb_code":   eqString("scb_code"),
			"org_number": eqString("org_number"),
			"q":          textSearch("name"),
		},
		authorize: func(_ context.Context, _ *Tx, a *arena.Actor, old, _ *arena.Organization) error {
			if a.Has(arena.RoleBroker) || (old != nil && a.IsOrgAdmin(old.ID)) {
				return nil
			}
			return forbidden("only a broker registers organisations, and only the organisation's admins or a broker change one")
		},
		check: func(ctx context.Context, tx *Tx, o *arena.Organization) error {
			return db.checkSCB(o)
		},
	}
	db.Users = &Entity[arena.User]{db: db, Name: "user", Table: "users",
		filters: map[string]filter{"email": eqString("email")},
		visible: func(a *arena.Actor) (string, []any) {
			if a.Has(arena.RoleBroker) && !a.System {
				return "1=1", nil
			}
			in, args := inList(a.OrgIDs())
			return "t.id = ? OR EXISTS (SELECT 1 FROM org_memberships m WHERE m.user_id = t.id AND m.org_id IN (" + in + "))", append([]any{a.UserID()}, args...)
		},
		authorize: func(_ context.Context, _ *Tx, a *arena.Actor, old, v *arena.User) error {
			if a.Has(arena.RoleBroker) {
				return nil
			}
			if old != nil && v != nil && old.ID == a.UserID() && sameRoles(old.PlatformRoles, v.PlatformRoles) {
				return nil
			}
			return forbidden("users change their own name and e-mail; a broker manages users and roles")
		},
	}
	db.OrgMemberships = &Entity[arena.OrgMembership]{db: db, Name: "organisation membership", Table: "org_memberships",
		refs:    map[string]string{"user_id": "users", "org_id": "organizations"},
		filters: map[string]filter{"user_id": eqID("user_id"), "org_id": eqID("org_id")},
		visible: func(a *arena.Actor) (string, []any) {
			if a.Has(arena.RoleBroker) && !a.System {
				return "1=1", nil
			}
			in, args := inList(a.OrgIDs())
			return "t.user_id = ? OR t.org_id IN (" + in + ")", append([]any{a.UserID()}, args...)
		},
		authorize: func(_ context.Context, _ *Tx, a *arena.Actor, old, v *arena.OrgMembership) error {
			for _, m := range []*arena.OrgMembership{old, v} {
				if m != nil && !a.IsOrgAdmin(m.OrgID) && !a.Has(arena.RoleBroker) {
					return forbidden("only the organisation's admins or a broker manage its members")
				}
			}
			return nil
		},
	}
	db.Needs = &Entity[arena.Need]{db: db, Name: "need", Table: "needs",
		refs: map[string]string{"org_id": "organizations"},
		filters: map[string]filter{
			"org_id":     eqID("org_id"),
			"intent":     eqString("intent", enumStrings(arena.Intents)...),
			"visibility": eqString("visibility", enumStrings(arena.Visibilities)...),
			"sector":     eqString("sector"),
			"cpv":        jsonHas("cpv_codes"),
			"q":          textSearch("title", "description"),
		},
		visible: needVisibility,
		authorize: func(_ context.Context, _ *Tx, a *arena.Actor, old, v *arena.Need) error {
			for _, n := range []*arena.Need{old, v} {
				if n != nil && !a.InOrg(n.OrgID) {
					return forbidden("only members of the organisation that posted a need change it")
				}
			}
			return nil
		},
		precheck: func(n *arena.Need) error { return db.checkCPV("cpv_codes", n.CPVCodes) },
		check: func(ctx context.Context, tx *Tx, n *arena.Need) error {
			if n.CreatedBy == 0 {
				n.CreatedBy = arena.ActorFrom(ctx).UserID()
			}
			return nil
		},
	}
	db.Networks = &Entity[arena.Network]{db: db, Name: "network", Table: "networks",
		transition: func(old, v *arena.Network) error {
			if v.Status == arena.NetworkClosed && old.Status != arena.NetworkClosed {
				return arena.Invalid("status", "close a network with POST /api/v1/networks/{id}/close, which checks that its task is done or that the members decided")
			}
			return nil
		},
		refs: map[string]string{"parent_id": "networks", "owner_org_id": "organizations", "coordinator_org_id": "organizations"},
		filters: map[string]filter{
			"kind":      eqString("kind", enumStrings(arena.NetworkKinds)...),
			"status":    eqString("status", enumStrings(arena.NetworkStatuses)...),
			"parent_id": eqID("parent_id"),
			"sector":    eqString("sector"),
			"country":   eqString("country"),
			"q":         textSearch("name", "description"),
		},
		authorize: func(ctx context.Context, tx *Tx, a *arena.Actor, old, v *arena.Network) error {
			if old == nil {
				return nil // any signed-in user may start a network
			}
			if old.Status == arena.NetworkClosed {
				return arena.Errorf(arena.ECONFLICT, "the network is closed and read-only")
			}
			return canEditNetwork(ctx, tx, a, old.ID)
		},
		check: func(ctx context.Context, tx *Tx, n *arena.Network) error {
			if n.ParentID == nil {
				return nil
			}
			var kind string
			if err := tx.queryRow(ctx, "SELECT kind FROM networks WHERE id = ?", *n.ParentID).Scan(&kind); err != nil {
				return err
			}
			if kind != string(arena.NetworkStrategic) {
				return arena.Invalid("parent_id", "a sub-group belongs to a strategic network")
			}
			return nil
		},
	}
	refs, filters := networkScoped(map[string]string{"org_id": "organizations", "need_id": "needs"},
		map[string]filter{"org_id": eqID("org_id"), "status": eqString("status", enumStrings(arena.MemberStatuses)...), "tier": eqString("tier", enumStrings(arena.MemberTiers)...)})
	db.NetworkMembers = &Entity[arena.NetworkMember]{db: db, Name: "network member", Table: "network_members", refs: refs, filters: filters,
		authorize: func(ctx context.Context, tx *Tx, a *arena.Actor, old, v *arena.NetworkMember) error {
			m := pick(old, v)
			if err := networkOpen(ctx, tx, m.NetworkID); err != nil {
				return err
			}
			if old != nil && a.InOrg(old.OrgID) && (v == nil || v.OrgID == old.OrgID) {
				return nil // an organisation answers its own invitation and keeps its own details
			}
			return canEditNetwork(ctx, tx, a, m.NetworkID)
		},
	}
	db.NetworkPlans = networkPart[arena.NetworkPlan](db, "network plan", "network_plans", nil, nil)
	db.Activities = networkPart[arena.Activity](db, "activity", "activities", nil,
		map[string]filter{"kind": eqString("kind", enumStrings(arena.ActivityKinds)...), "status": eqString("status", enumStrings(arena.ActivityStatuses)...)})
	db.Deliverables = networkPart[arena.Deliverable](db, "deliverable", "deliverables", nil,
		map[string]filter{"kind": eqString("kind", enumStrings(arena.DeliverableKinds)...)})
	db.FundingPeriods = networkPart[arena.FundingPeriod](db, "funding period", "funding_periods", map[string]string{"funder_id": "funders"},
		map[string]filter{"funder_id": eqID("funder_id")})
	refs, filters = networkScoped(map[string]string{"org_id": "organizations", "deliverable_id": "deliverables"},
		map[string]filter{"org_id": eqID("org_id"), "stage": eqString("stage", enumStrings(arena.ProcurementStages)...), "kind": eqString("kind", enumStrings(arena.FollowThroughKinds)...)})
	db.MemberProcurements = &Entity[arena.MemberProcurement]{db: db, Name: "member procurement", Table: "member_procurements", refs: refs, filters: filters,
		transition: func(old, v *arena.MemberProcurement) error {
			if old.Stage == v.Stage {
				if old.OrgID != v.OrgID || old.NetworkID != v.NetworkID {
					return arena.Invalid("org_id", "a member procurement stays with its member and network")
				}
				return nil
			}
			d := v.StageDate(v.Stage)
			if d == nil {
				return arena.Invalid(string(v.Stage)+"_date", "stage %s needs its date", v.Stage)
			}
			return old.CanMoveTo(v.Stage, *d)
		},
		authorize: func(ctx context.Context, tx *Tx, a *arena.Actor, old, v *arena.MemberProcurement) error {
			p := pick(old, v)
			if err := networkOpen(ctx, tx, p.NetworkID); err != nil {
				return err
			}
			for _, x := range []*arena.MemberProcurement{old, v} {
				if x != nil && !a.InOrg(x.OrgID) && !a.Has(arena.RoleBroker) {
					return forbidden("a member's procurement is recorded by that member (or a broker)")
				}
			}
			return nil
		},
	}
	db.Funders = registerEntity[arena.Funder](db, "funder", "funders", map[string]string{"org_id": "organizations"},
		map[string]filter{"kind": eqString("kind", enumStrings(arena.FunderKinds)...), "q": textSearch("name")})
	db.Calls = registerEntity[arena.FundingCall](db, "funding call", "funding_calls", map[string]string{"funder_id": "funders"},
		map[string]filter{
			"funder_id":         eqID("funder_id"),
			"eligible_org_kind": jsonHas("eligible_org_kinds"),
			"theme":             jsonHas("themes"),
			"open_on":           openOn,
			"q":                 textSearch("title", "description"),
		})
	db.Projects = registerEntity[arena.Project](db, "project", "projects",
		map[string]string{"funder_id": "funders", "call_id": "funding_calls", "coordinator_org_id": "organizations"},
		map[string]filter{
			"category":  eqString("category", enumStrings(arena.ProjectCategories)...),
			"procedure": eqString("procedure", enumStrings(arena.Procedures)...),
			"phase":     eqString("phase", enumStrings(arena.ProjectPhases)...),
			"funder_id": eqID("funder_id"),
			"q":         textSearch("title", "description", "results", "lessons"),
		})
	db.Experts = registerEntity[arena.Expert](db, "expert", "experts", map[string]string{"org_id": "organizations"},
		map[string]filter{"kind": eqString("kind", enumStrings(arena.ExpertKinds)...), "subject_area": jsonHas("subject_areas"), "q": textSearch("name", "description")})
}

// registerEntity makes a public register entity that brokers and funder
// officers keep.
func registerEntity[T any](db *DB, name, table string, refs map[string]string, filters map[string]filter) *Entity[T] {
	return &Entity[T]{db: db, Name: name, Table: table, refs: refs, filters: filters,
		authorize: func(_ context.Context, _ *Tx, a *arena.Actor, _, _ *T) error {
			if a.Has(arena.RoleBroker) || a.Has(arena.RoleFunderOfficer) {
				return nil
			}
			return forbidden("brokers and funder officers keep the register of " + table)
		},
	}
}

// networkScoped adds the network reference and filter every part of a
// network has to an entity's own references and filters.
func networkScoped(refs map[string]string, filters map[string]filter) (map[string]string, map[string]filter) {
	r := map[string]string{"network_id": "networks"}
	for k, v := range refs {
		r[k] = v
	}
	f := map[string]filter{"network_id": eqID("network_id")}
	for k, v := range filters {
		f[k] = v
	}
	return r, f
}

// networkPart makes an entity that belongs to a network and is changed by
// those who run the network while it is not closed.
func networkPart[T any](db *DB, name, table string, refs map[string]string, filters map[string]filter) *Entity[T] {
	r, f := networkScoped(refs, filters)
	return &Entity[T]{db: db, Name: name, Table: table, refs: r, filters: f,
		authorize: func(ctx context.Context, tx *Tx, a *arena.Actor, old, v *T) error {
			for _, x := range []*T{old, v} {
				if x == nil {
					continue
				}
				id := networkIDOf(x)
				if err := networkOpen(ctx, tx, id); err != nil {
					return err
				}
				if err := canEditNetwork(ctx, tx, a, id); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

func networkIDOf(v any) int64 {
	return mappingOf(reflectTypeOf(v)).networkID(v)
}

func pick[T any](old, v *T) *T {
	if v != nil {
		return v
	}
	return old
}

func forbidden(msg string) error { return arena.Errorf(arena.EFORBIDDEN, "%s", msg) }

// needVisibility is the rule that keeps drafts and organisation-only needs
// inside their organisation: public needs are for all, network needs also
// for organisations that share an active network with the owner.
func needVisibility(a *arena.Actor) (string, []any) {
	ids := a.OrgIDs()
	if len(ids) == 0 {
		return "t.visibility = 'public'", nil
	}
	in, args := inList(ids)
	q := "t.visibility = 'public' OR t.org_id IN (" + in + ") OR (t.visibility = 'network' AND EXISTS (" +
		"SELECT 1 FROM network_members mo JOIN network_members mu ON mu.network_id = mo.network_id " +
		"WHERE mo.org_id = t.org_id AND mo.status = 'active' AND mu.status = 'active' AND mu.org_id IN (" + in + ")))"
	return q, append(args, args...)
}

// CanEditNetwork tells whether the actor may change the network: the rule
// the store applies to every write of a network and its parts, for
// operations (closing) that change it as the platform.
func (db *DB) CanEditNetwork(ctx context.Context, a *arena.Actor, networkID int64) error {
	return db.InTx(ctx, func(tx *Tx) error { return canEditNetwork(ctx, tx, a, networkID) })
}

// canEditNetwork allows brokers, the owner's and coordinator's people and
// the people of active member organisations.
func canEditNetwork(ctx context.Context, tx *Tx, a *arena.Actor, networkID int64) error {
	if a.Has(arena.RoleBroker) {
		return nil
	}
	in, args := inList(a.OrgIDs())
	var one int
	err := tx.queryRow(ctx, "SELECT 1 FROM networks n WHERE n.id = ? AND (n.owner_org_id IN ("+in+") OR n.coordinator_org_id IN ("+in+") OR EXISTS ("+
		"SELECT 1 FROM network_members m WHERE m.network_id = n.id AND m.status = 'active' AND m.org_id IN ("+in+")))",
		append(append(append([]any{networkID}, args...), args...), args...)...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return forbidden("only the network's members, owner, coordinator or a broker change it")
	}
	return err
}

// networkOpen refuses changes to a closed network.
func networkOpen(ctx context.Context, tx *Tx, networkID int64) error {
	var status string
	err := tx.queryRow(ctx, "SELECT status FROM networks WHERE id = ?", networkID).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return arena.Invalid("network_id", "network %d does not exist", networkID)
	} else if err != nil {
		return err
	}
	if status == string(arena.NetworkClosed) {
		return arena.Errorf(arena.ECONFLICT, "the network is closed and read-only")
	}
	return nil
}

func sameRoles(a, b []arena.PlatformRole) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// openOn matches calls open on a date (YYYY-MM-DD).
func openOn(_ *DB, v string) (string, []any, error) {
	d, err := arena.ParseDate(v)
	if err != nil {
		return "", nil, arena.Invalid("open_on", "%q must be a date YYYY-MM-DD", v)
	}
	s := d.String()
	return "(t.opens_date IS NULL OR t.opens_date <= ?) AND (t.closes_date IS NULL OR t.closes_date >= ?)", []any{s, s}, nil
}
