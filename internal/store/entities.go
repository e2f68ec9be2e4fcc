package store

import (
	"context"
	"maps"

	arena "github.com/arena-se/arena"
)

// Entities are the stored record kinds, each with its rules of access. The
// rules are the domain's (arena.CanChangeNeed, arena.CanCreateMember, …):
// the store gathers the facts a rule needs inside the write's transaction
// and asks it. Reads filter with SQL predicates for speed; access_test.go
// holds each predicate to its Go rule, case by case, on both databases.
type Entities struct {
	Organizations      *Entity[arena.Organization]
	Users              *Entity[arena.User]
	OrgMemberships     *Entity[arena.OrgMembership]
	OrgDomains         *Entity[arena.OrgDomain]
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
	Watches            *Entity[arena.Watch]

	Dialogues             *Entity[arena.Dialogue]
	DialogueAnswers       *Entity[arena.DialogueAnswer]
	DialogueQuestions     *Entity[arena.DialogueQuestion]
	DialogueRegistrations *Entity[arena.DialogueRegistration]

	DeliverableFiles *Files
	DialogueFiles    *Files
}

func (db *DB) initEntities() {
	db.Organizations = &Entity[arena.Organization]{db: db, Name: "organization", Table: "organizations",
		filters: map[string]filter{
			"kind":       eqString("kind", enumStrings(arena.OrgKinds)...),
			"scb_code":   eqString("scb_code"),
			"org_number": eqString("org_number"),
			"q":          textSearch("name"),
		},
		authorize: func(_ context.Context, _ *Tx, a *arena.Actor, old, v *arena.Organization) error {
			if old == nil || v == nil {
				return arena.CanRegisterOrganization(a)
			}
			return arena.CanChangeOrganization(a, old)
		},
		check: func(ctx context.Context, tx *Tx, o *arena.Organization) error {
			return db.checkSCB(o)
		},
	}
	db.Users = &Entity[arena.User]{db: db, Name: "user", Table: "users",
		filters: map[string]filter{"email": eqString("email"), "q": textSearch("name", "email")},
		visible: userVisibility,
		authorize: func(ctx context.Context, tx *Tx, a *arena.Actor, old, v *arena.User) error {
			if err := arena.CanChangeUser(a, old, v); err != nil {
				return err
			}
			if v != nil {
				return nil
			}
			// A person removed takes their memberships along: none may be
			// the last admin of an organisation (arena.KeepsAnAdmin).
			mine, err := allTx(ctx, tx, db.OrgMemberships, "t.user_id = ?", old.ID)
			if err != nil {
				return err
			}
			for _, m := range mine {
				others, err := otherAdmins(ctx, tx, m.OrgID, m.ID)
				if err != nil {
					return err
				}
				if err := arena.KeepsAnAdmin(m, nil, others); err != nil {
					return err
				}
			}
			return nil
		},
	}
	db.OrgMemberships = &Entity[arena.OrgMembership]{db: db, Name: "org_membership", Table: "org_memberships",
		event:   arena.OrgMembershipEvent,
		refs:    map[string]string{"user_id": "users", "org_id": "organizations"},
		filters: map[string]filter{"user_id": eqID("user_id"), "org_id": eqID("org_id"), "status": eqString("status", enumStrings(arena.OrgMemberStatuses)...)},
		visible: orgMembershipVisibility,
		authorize: func(ctx context.Context, tx *Tx, a *arena.Actor, old, v *arena.OrgMembership) error {
			var err error
			switch {
			case old == nil:
				return arena.CanCreateOrgMembership(a, v)
			case v == nil:
				err = arena.CanDeleteOrgMembership(a, old)
			default:
				err = arena.CanChangeOrgMembership(a, old, v)
			}
			if err != nil {
				return err
			}
			others, err := otherAdmins(ctx, tx, old.OrgID, old.ID)
			if err != nil {
				return err
			}
			return arena.KeepsAnAdmin(old, v, others)
		},
	}
	db.OrgDomains = &Entity[arena.OrgDomain]{db: db, Name: "org_domain", Table: "org_domains",
		refs:    map[string]string{"org_id": "organizations"},
		filters: map[string]filter{"org_id": eqID("org_id"), "domain": eqString("domain")},
		authorize: func(_ context.Context, _ *Tx, a *arena.Actor, old, v *arena.OrgDomain) error {
			for _, d := range []*arena.OrgDomain{old, v} {
				if d != nil {
					if err := arena.CanChangeOrgDomain(a, d); err != nil {
						return err
					}
				}
			}
			return nil
		},
	}
	db.Needs = &Entity[arena.Need]{db: db, Name: "need", Table: "needs",
		refs: map[string]string{"org_id": "organizations"},
		filters: map[string]filter{
			"org_id":      eqID("org_id"),
			"org_ids":     idList("org_ids", "org_id", false),
			"not_org_ids": idList("not_org_ids", "org_id", true),
			"intent":      eqString("intent", enumStrings(arena.Intents)...),
			"visibility":  eqString("visibility", enumStrings(arena.Visibilities)...),
			"sector":      eqString("sector"),
			"cpv":         cpvSubtree("cpv_codes"),
			"q":           textSearch("title", "description"),
			"lan":         ofOrg("lan"),
			"kommun":      ofOrg("kommun"),
			"org_kind":    ofOrg("org_kind"),
		},
		visible: needVisibility,
		event:   arena.NeedEvent,
		authorize: func(_ context.Context, _ *Tx, a *arena.Actor, old, v *arena.Need) error {
			if err := arena.CanChangeNeed(a, old, v); err != nil {
				return err
			}
			if v != nil {
				arena.StampNeed(a, old, v)
			}
			return nil
		},
		precheck: func(n *arena.Need) error { return db.checkCPV("cpv_codes", n.CPVCodes) },
	}
	db.Networks = &Entity[arena.Network]{db: db, Name: "network", Table: "networks",
		refs: map[string]string{"parent_id": "networks", "owner_org_id": "organizations", "coordinator_org_id": "organizations"},
		filters: map[string]filter{
			"kind":      eqString("kind", enumStrings(arena.NetworkKinds)...),
			"status":    eqString("status", enumStrings(arena.NetworkStatuses)...),
			"parent_id": eqID("parent_id"),
			"sector":    eqString("sector"),
			"country":   eqString("country"),
			"q":         textSearch("name", "description"),
		},
		event: arena.NetworkEvent,
		authorize: func(ctx context.Context, tx *Tx, a *arena.Actor, old, v *arena.Network) error {
			if old == nil {
				var parent *arena.Standing
				if v.ParentID != nil {
					ns, err := db.networkTx(ctx, tx, a, *v.ParentID)
					if err != nil {
						return err
					}
					parent = &ns.Standing
				}
				return arena.CanCreateNetwork(a, v, parent)
			}
			ns, err := db.networkTx(ctx, tx, a, old.ID)
			if err != nil {
				return err
			}
			if v == nil {
				return arena.CanDeleteNetwork(ns.Standing, old)
			}
			return arena.CanChangeNetwork(a, ns.Standing, old, v, ns.Members)
		},
		check: func(ctx context.Context, tx *Tx, n *arena.Network) error {
			if n.ParentID == nil {
				return nil
			}
			var kind string
			if err := tx.queryRow(ctx, "SELECT kind FROM networks WHERE id = ?", *n.ParentID).Scan(&kind); err != nil {
				return err
			}
			return arena.CheckParent(&arena.Network{Kind: arena.NetworkKind(kind)})
		},
	}
	// need_id is not among the references: whether the need exists is the
	// membership rule's to answer, in the same words as for a need of
	// another organisation.
	refs, filters := networkScoped(map[string]string{"org_id": "organizations"},
		map[string]filter{"org_id": eqID("org_id"), "status": eqString("status", enumStrings(arena.MemberStatuses)...), "tier": eqString("tier", enumStrings(arena.MemberTiers)...)})
	db.NetworkMembers = &Entity[arena.NetworkMember]{db: db, Name: "network_member", Table: "network_members", refs: refs, filters: filters,
		visible: memberVisibility,
		redact:  db.redactMembers,
		event:   arena.MemberEvent,
		authorize: func(ctx context.Context, tx *Tx, a *arena.Actor, old, v *arena.NetworkMember) error {
			// The facts are those of the network the membership is in: on
			// an update, old's; a new network_id is the rule's to refuse.
			in := v
			if old != nil {
				in = old
			}
			ns, err := db.networkTx(ctx, tx, a, in.NetworkID)
			if err != nil {
				return err
			}
			switch {
			case old == nil:
				if err := arena.CanCreateMember(a, ns.Standing, ns.Network, v); err != nil {
					return err
				}
				need, err := db.needTx(ctx, tx, v.NeedID)
				if err != nil {
					return err
				}
				return arena.CanAttachNeed(v, need)
			case v == nil:
				return arena.CanDeleteMember(a, ns.Standing, ns.Network, old)
			}
			need, err := db.needTx(ctx, tx, v.NeedID)
			if err != nil {
				return err
			}
			return arena.CanChangeMember(a, ns.Standing, ns.Network, old, v, need)
		},
	}
	db.NetworkPlans = networkPart[arena.NetworkPlan](db, "network_plan", "network_plans", nil, nil, true)
	db.Activities = networkPart[arena.Activity](db, "activity", "activities", nil,
		map[string]filter{"kind": eqString("kind", enumStrings(arena.ActivityKinds)...), "status": eqString("status", enumStrings(arena.ActivityStatuses)...)}, true)
	db.Deliverables = networkPart[arena.Deliverable](db, "deliverable", "deliverables", nil,
		map[string]filter{"kind": eqString("kind", enumStrings(arena.DeliverableKinds)...), "q": textSearch("title", "description")}, false)
	db.FundingPeriods = networkPart[arena.FundingPeriod](db, "funding_period", "funding_periods", map[string]string{"funder_id": "funders"},
		map[string]filter{"funder_id": eqID("funder_id")}, true)
	refs, filters = networkScoped(map[string]string{"org_id": "organizations"},
		map[string]filter{"org_id": eqID("org_id"), "stage": eqString("stage", enumStrings(arena.ProcurementStages)...), "kind": eqString("kind", enumStrings(arena.FollowThroughKinds)...)})
	db.MemberProcurements = &Entity[arena.MemberProcurement]{db: db, Name: "member_procurement", Table: "member_procurements", refs: refs, filters: filters,
		visible:    insideVisibility("t.network_id"),
		transition: arena.CheckStageChange,
		authorize: func(ctx context.Context, tx *Tx, a *arena.Actor, old, v *arena.MemberProcurement) error {
			for _, p := range []*arena.MemberProcurement{old, v} {
				if p == nil {
					continue
				}
				ns, err := db.networkTx(ctx, tx, a, p.NetworkID)
				if err != nil {
					return err
				}
				if err := arena.CanRecordProcurement(a, ns.Network, ns.Members, p); err != nil {
					return err
				}
			}
			if v == nil || v.DeliverableID == nil {
				return nil
			}
			d, _, err := findTx(ctx, tx, db.Deliverables, *v.DeliverableID)
			if err != nil {
				return err
			}
			return arena.CheckDeliverable(v, d)
		},
	}
	db.Funders = registerEntity[arena.Funder](db, "funder", "funders", map[string]string{"org_id": "organizations"},
		map[string]filter{"kind": eqString("kind", enumStrings(arena.FunderKinds)...), "q": textSearch("name")})
	db.Calls = registerEntity[arena.FundingCall](db, "funding_call", "funding_calls", map[string]string{"funder_id": "funders"},
		map[string]filter{
			"funder_id":         eqID("funder_id"),
			"eligible_org_kind": jsonHas("eligible_org_kinds"),
			"theme":             jsonHas("themes"),
			"open_on":           openOn,
			"q":                 textSearch("title", "description"),
		})
	db.Calls.event = arena.CallEvent
	db.Projects = registerEntity[arena.Project](db, "project", "projects",
		map[string]string{"funder_id": "funders", "call_id": "funding_calls", "coordinator_org_id": "organizations"},
		map[string]filter{
			"category":  eqString("category", enumStrings(arena.ProjectCategories)...),
			"procedure": eqString("procedure", enumStrings(arena.Procedures)...),
			"phase":     eqString("phase", enumStrings(arena.ProjectPhases)...),
			"funder_id": eqID("funder_id"),
			"q":         textSearch("title", "description", "results", "lessons"),
		})
	db.Projects.event = arena.ProjectEvent
	db.MemberProcurements.event = arena.ProcurementEvent
	db.Deliverables.event = arena.DeliverableEvent
	db.Experts = registerEntity[arena.Expert](db, "expert", "experts", map[string]string{"org_id": "organizations"},
		map[string]filter{"kind": eqString("kind", enumStrings(arena.ExpertKinds)...), "subject_area": jsonHas("subject_areas"), "q": textSearch("name", "description")})
	db.Experts.redact = func(_ context.Context, a *arena.Actor, xs []*arena.Expert) error {
		for _, x := range xs {
			if !arena.CanSeeExpertContact(a, x) {
				x.Contact = ""
			}
		}
		return nil
	}
	db.initDialogues()
	db.initWatches()
	db.DeliverableFiles = filesOf(db, db.Deliverables, "deliverable_files", "deliverable_id")
	db.DialogueFiles = filesOf(db, db.Dialogues, "dialogue_files", "dialogue_id")
}

// initWatches makes the watches: each person's own (arena.CanSeeWatch,
// CanChangeWatch), their filters checked by the register they watch.
func (db *DB) initWatches() {
	db.Watches = &Entity[arena.Watch]{db: db, Name: "watch", Table: "watches",
		filters: map[string]filter{"target": eqString("target", enumStrings(arena.WatchTargets)...)},
		visible: func(a *arena.Actor) (string, []any) {
			if a != nil && a.System {
				return "1=1", nil
			}
			if !a.SignedIn() {
				return "1=0", nil
			}
			return "t.user_id = ?", []any{a.UserID()}
		},
		authorize: func(ctx context.Context, tx *Tx, a *arena.Actor, old, v *arena.Watch) error {
			var count int
			if old == nil && a.SignedIn() {
				if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM watches WHERE user_id = ?", a.UserID()).Scan(&count); err != nil {
					return err
				}
			}
			if err := arena.CanChangeWatch(a, old, v, count); err != nil {
				return err
			}
			if v != nil {
				arena.StampWatch(a, old, v)
			}
			return nil
		},
		check: func(ctx context.Context, _ *Tx, w *arena.Watch) error {
			// A value the register's filter refuses (an unknown kind, a
			// CPV code of the wrong form) is refused here, named.
			_, err := db.Watched(arena.WithActor(ctx, arena.SystemActor()), w.Target, 0, w.Filters)
			return err
		},
	}
}

// registerEntity makes a public register entity that brokers and funder
// officers keep.
func registerEntity[T any](db *DB, name, table string, refs map[string]string, filters map[string]filter) *Entity[T] {
	return &Entity[T]{db: db, Name: name, Table: table, refs: refs, filters: filters,
		authorize: func(_ context.Context, _ *Tx, a *arena.Actor, _, _ *T) error {
			return arena.CanKeepRegister(a)
		},
	}
}

// networkScoped adds the network reference and filter every part of a
// network has to an entity's own references and filters.
func networkScoped(refs map[string]string, filters map[string]filter) (map[string]string, map[string]filter) {
	r := map[string]string{"network_id": "networks"}
	maps.Copy(r, refs)
	f := map[string]filter{"network_id": eqID("network_id")}
	maps.Copy(f, filters)
	return r, f
}

// networkPart makes an entity that belongs to a network and is written by
// those who work in the network while it is not closed
// (arena.CanWorkInNetwork). An inside part is seen by the network's
// insiders only; the others (deliverables) are public.
func networkPart[T any](db *DB, name, table string, refs map[string]string, filters map[string]filter, inside bool) *Entity[T] {
	r, f := networkScoped(refs, filters)
	e := &Entity[T]{db: db, Name: name, Table: table, refs: r, filters: f,
		authorize: func(ctx context.Context, tx *Tx, a *arena.Actor, old, v *T) error {
			// The rights are judged in the network the part is in.
			in := v
			if old != nil {
				in = old
			}
			ns, err := db.networkTx(ctx, tx, a, networkIDOf(in))
			if err != nil {
				return err
			}
			if err := arena.CanWorkInNetwork(ns.Standing, ns.Network); err != nil {
				return err
			}
			if old != nil && v != nil {
				return arena.CheckStaysInNetwork(networkIDOf(old), networkIDOf(v))
			}
			return nil
		},
	}
	if inside {
		e.visible = insideVisibility("t.network_id")
	}
	return e
}

func networkIDOf(v any) int64 {
	return mappingOf(reflectTypeOf(v)).networkID(v)
}

// NetworkState is a network with its memberships and the actor's
// standing in it: what every rule about the network decides on.
type NetworkState struct {
	Network  *arena.Network
	Members  []arena.NetworkMember
	Standing arena.Standing
}

// networkTx reads a network and all its memberships inside a write
// transaction, whoever may see them, and the actor's standing. A network
// that does not exist is an EINVALID network_id: it is named by the record
// being written.
func (db *DB) networkTx(ctx context.Context, tx *Tx, a *arena.Actor, id int64) (*NetworkState, error) {
	n, found, err := findTx(ctx, tx, db.Networks, id)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, arena.Invalid("network_id", "err.reference", arena.F{"what": arena.Term{Key: "entity.network"}})
	}
	ms, err := allTx(ctx, tx, db.NetworkMembers, "t.network_id = ?", id)
	if err != nil {
		return nil, err
	}
	members := make([]arena.NetworkMember, len(ms))
	for i, m := range ms {
		members[i] = *m
	}
	return &NetworkState{Network: n, Members: members, Standing: arena.StandingIn(a, n, members)}, nil
}

// NetworkState reads a network the actor may see, all its memberships (for
// the rules, unredacted) and the actor's standing in it.
func (db *DB) NetworkState(ctx context.Context, id int64) (*NetworkState, error) {
	n, err := db.Networks.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	ms, err := allRead(ctx, db.NetworkMembers, "t.network_id = ?", id)
	if err != nil {
		return nil, err
	}
	members := make([]arena.NetworkMember, len(ms))
	for i, m := range ms {
		members[i] = *m
	}
	return &NetworkState{Network: n, Members: members, Standing: arena.StandingIn(arena.ActorFrom(ctx), n, members)}, nil
}

// needTx reads the need with id inside a write transaction, whoever may
// see it; nil when id is nil or no such need exists: the membership rule
// answers both alike.
func (db *DB) needTx(ctx context.Context, tx *Tx, id *int64) (*arena.Need, error) {
	if id == nil {
		return nil, nil
	}
	n, _, err := findTx(ctx, tx, db.Needs, *id)
	return n, err
}

// redactMembers removes the contact people of memberships the actor may
// not see them of (arena.CanSeeMemberContact). The networks of the
// memberships and all their members, which the actor's standing in each is
// judged on, are read in two queries.
func (db *DB) redactMembers(ctx context.Context, a *arena.Actor, ms []*arena.NetworkMember) error {
	if a.IsBroker() || len(ms) == 0 {
		return nil
	}
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.NetworkID
	}
	nets, err := db.Networks.GetManyUnchecked(ctx, ids)
	if err != nil {
		return err
	}
	all, err := allIn(ctx, db.NetworkMembers, "t.network_id", ids)
	if err != nil {
		return err
	}
	members := map[int64][]arena.NetworkMember{}
	for _, x := range all {
		members[x.NetworkID] = append(members[x.NetworkID], *x)
	}
	states := map[int64]arena.Standing{}
	for _, m := range ms {
		s, ok := states[m.NetworkID]
		if !ok {
			n := nets[m.NetworkID]
			if n == nil {
				return arena.NotFound("network")
			}
			s = arena.StandingIn(a, n, members[m.NetworkID])
			states[m.NetworkID] = s
		}
		if !arena.CanSeeMemberContact(a, s, m) {
			m.RedactContact()
		}
	}
	return nil
}

// openOn matches calls open on a date (YYYY-MM-DD).
func openOn(_ *DB, v string) (string, []any, error) {
	d, err := arena.ParseDate(v)
	if err != nil {
		return "", nil, arena.Invalid("open_on", "err.date", arena.F{"value": v})
	}
	s := d.String()
	return "(t.opens_date IS NULL OR t.opens_date <= ?) AND (t.closes_date IS NULL OR t.closes_date >= ?)", []any{s, s}, nil
}
