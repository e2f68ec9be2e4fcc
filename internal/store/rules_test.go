package store_test

import (
	"context"
	"strconv"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// refused runs a write the store must refuse with code, field and message
// key, and checks that it wrote nothing: every write logs a change in its
// own transaction, so the change log stands still.
func refused(t *testing.T, db *store.DB, what, code, field, key string, write func() error) error {
	t.Helper()
	before, err := db.LastChange(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	err = write()
	if arena.ErrorCode(err) != code || arena.ErrorField(err) != field || arena.ErrorMsg(err).Key != key {
		t.Errorf("%s: got %v; want %s on field %q with key %s", what, err, code, field, key)
	}
	if after, _ := db.LastChange(context.Background()); after != before {
		t.Errorf("%s: refused, but %d change(s) were written", what, after-before)
	}
	return err
}

// allowed fails when a write the rules allow was refused.
func allowed(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: refused: %v", what, err)
	}
}

// hidden fails unless a read answers not found.
func hidden(t *testing.T, what string, err error) {
	t.Helper()
	if arena.ErrorCode(err) != arena.ENOTFOUND {
		t.Errorf("%s: want not found, got %v", what, err)
	}
}

// memberOfNet returns the fixture's membership of org in network net, as
// the store has it now (read by a broker, unredacted).
func (w *world) memberOfNet(t *testing.T, org, net string) *arena.NetworkMember {
	t.Helper()
	for _, m := range w.members {
		if m.OrgID == w.org[org].ID && m.NetworkID == w.net[net].ID {
			got, err := w.db.NetworkMembers.Get(arena.WithActor(context.Background(), &arena.Actor{User: w.user["maklare"]}), m.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
	}
	t.Fatalf("no membership of %s in %s", org, net)
	return nil
}

func (w *world) need(org string, v arena.Visibility) *arena.Need {
	for _, n := range w.needs {
		if n.OrgID == w.org[org].ID && n.Visibility == v {
			return n
		}
	}
	panic("no need of " + org)
}

func (w *world) deliverableOf(net string) *arena.Deliverable {
	for _, d := range w.deliverables {
		if d.NetworkID == w.net[net].ID {
			return d
		}
	}
	panic("no deliverable of " + net)
}

// TestWriteRulesHold tries the holes the access rules close, each through
// the store as a client would: every one is refused with the rule's code,
// field and key, and writes nothing; the allowed way next to it works.
func TestWriteRulesHold(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		belok := w.net["belok"]

		t.Run("those who run a network invite, an organisation joins by its own act", func(t *testing.T) {
			anna := w.as(t, "anna") // admin of falun, the owner of belok
			refused(t, db, "owner adds visby as active", arena.EINVALID, "status", "err.member.joins_by_own_act", func() error {
				return db.NetworkMembers.Create(anna, &arena.NetworkMember{NetworkID: belok.ID, OrgID: w.org["visby"].ID, Status: arena.MemberActive})
			})
			refused(t, db, "coordinator's plain member adds its own organisation as active", arena.EINVALID, "status", "err.member.joins_by_own_act", func() error {
				return db.NetworkMembers.Create(w.as(t, "erik"), &arena.NetworkMember{NetworkID: belok.ID, OrgID: w.org["molndal"].ID, Status: arena.MemberActive})
			})
			refused(t, db, "an active member that does not run belok invites boras", arena.EFORBIDDEN, "", "err.forbidden.invite", func() error {
				return db.NetworkMembers.Create(w.as(t, "sara"), &arena.NetworkMember{NetworkID: belok.ID, OrgID: w.org["boras"].ID})
			})
			refused(t, db, "owner invites visby with its consent to closing already given", arena.EINVALID, "close_consent", "err.member.own_decision", func() error {
				return db.NetworkMembers.Create(anna, &arena.NetworkMember{NetworkID: belok.ID, OrgID: w.org["visby"].ID, CloseConsent: true})
			})
			inv := &arena.NetworkMember{NetworkID: belok.ID, OrgID: w.org["visby"].ID, Status: arena.MemberInvited}
			allowed(t, "owner invites visby", db.NetworkMembers.Create(anna, inv))
			plain := &arena.NetworkMember{NetworkID: w.net["lokal"].ID, OrgID: w.org["visby"].ID}
			allowed(t, "owner of lokal invites without a status", db.NetworkMembers.Create(w.as(t, "sara"), plain))
			if plain.Status != arena.MemberInvited {
				t.Errorf("a membership without a status starts as %q, want invited", plain.Status)
			}

			// The invited organisation's admin answers (Answer); the store
			// then stores the status the rule set.
			vera := w.as(t, "vera")
			m, err := db.NetworkMembers.Get(vera, inv.ID)
			allowed(t, "visby reads its invitation", err)
			allowed(t, "visby accepts", m.Answer(arena.ActorFrom(vera), belok, arena.ActionAccept))
			allowed(t, "the accepted status is stored", db.NetworkMembers.Update(system, m, m.Version))

			// An admin joins its own organisation at once to a network it runs.
			own := &arena.Network{Name: "Eget nätverk", Kind: arena.NetworkTactical, OwnerOrgID: &w.org["falun"].ID}
			allowed(t, "anna starts a network for falun", db.Networks.Create(anna, own))
			allowed(t, "anna's falun joins it at once", db.NetworkMembers.Create(anna, &arena.NetworkMember{NetworkID: own.ID, OrgID: w.org["falun"].ID, Status: arena.MemberActive}))
		})

		t.Run("an invitation changes status only by the answer and never changes network", func(t *testing.T) {
			ulla := w.as(t, "ulla") // admin of umea, invited to belok
			m := w.memberOfNet(t, "umea", "belok")
			moved := *m
			moved.NetworkID = w.net["lokal"].ID
			refused(t, db, "umea moves its invitation to lokal", arena.EINVALID, "org_id", "err.member.fixed", func() error {
				return db.NetworkMembers.Update(ulla, &moved, m.Version)
			})
			for _, s := range []arena.MemberStatus{arena.MemberActive, arena.MemberDeclined, arena.MemberLeft} {
				changed := *m
				changed.Status = s
				refused(t, db, "umea sets its own status to "+string(s), arena.EINVALID, "status", "err.member.status_by_answer", func() error {
					return db.NetworkMembers.Update(ulla, &changed, m.Version)
				})
			}
			other := *m
			other.OrgID = w.org["boras"].ID
			refused(t, db, "umea hands its invitation to boras", arena.EINVALID, "org_id", "err.member.fixed", func() error {
				return db.NetworkMembers.Update(ulla, &other, m.Version)
			})
			bo := w.as(t, "bo")
			changed := *m
			changed.Status = arena.MemberActive
			refused(t, db, "an outsider activates umea's invitation it may not see", arena.ENOTFOUND, "", "err.not_found", func() error {
				return db.NetworkMembers.Update(bo, &changed, m.Version)
			})
			if got := w.memberOfNet(t, "umea", "belok"); got.Status != arena.MemberInvited || got.NetworkID != belok.ID {
				t.Errorf("umea's invitation is now %s in network %d", got.Status, got.NetworkID)
			}

			// The rule is asked about the network the membership is in, not
			// the one the update names: a closed network's stays put.
			closed := &arena.Network{Name: "Avslutat", Kind: arena.NetworkTactical, Status: arena.NetworkClosed}
			allowed(t, "the platform records a closed network", db.Networks.Create(system, closed))
			old := &arena.NetworkMember{NetworkID: closed.ID, OrgID: w.org["umea"].ID, Status: arena.MemberInvited}
			allowed(t, "the platform records umea's invitation to it", db.NetworkMembers.Create(system, old))
			out := *old
			out.NetworkID = w.net["lokal"].ID
			refused(t, db, "umea moves its membership out of a closed network", arena.ECONFLICT, "status", "err.network.closed", func() error {
				return db.NetworkMembers.Update(ulla, &out, old.Version)
			})
		})

		t.Run("a member brings only its own needs, and learns nothing of others'", func(t *testing.T) {
			sara := w.as(t, "sara") // admin of orebro, active in belok
			m := w.memberOfNet(t, "orebro", "belok")
			missing := int64(987654)
			var first error
			for _, c := range []struct {
				what string
				id   int64
			}{
				{"falun's draft need", w.need("falun", arena.VisibilityDraft).ID},
				{"a need that does not exist", missing},
				{"falun's public need", w.need("falun", arena.VisibilityPublic).ID},
				{"orebro's own draft", w.need("orebro", arena.VisibilityDraft).ID},
			} {
				v := *m
				v.NeedID = &c.id
				err := refused(t, db, "orebro attaches "+c.what, arena.EINVALID, "need_id", "err.member.need_own", func() error {
					return db.NetworkMembers.Update(sara, &v, m.Version)
				})
				if first == nil {
					first = err
				} else if err == nil || err.Error() != first.Error() {
					t.Errorf("attaching %s answers %v, attaching falun's draft %v: the answer tells them apart", c.what, err, first)
				}
			}
			v := *m
			v.NeedID = &w.need("orebro", arena.VisibilityNetwork).ID
			refused(t, db, "a plain member of orebro attaches its need", arena.EFORBIDDEN, "", "err.forbidden.member_field", func() error {
				return db.NetworkMembers.Update(w.as(t, "olle"), &v, m.Version)
			})
			allowed(t, "orebro's admin attaches orebro's network need", db.NetworkMembers.Update(sara, &v, m.Version))

			// An invitation names no need: which need to bring is the invited
			// organisation's decision, and the answer is the same whatever the
			// need is.
			lokal := w.net["lokal"].ID
			refused(t, db, "orebro invites boras to lokal with falun's draft", arena.EINVALID, "need_id", "err.member.own_decision", func() error {
				return db.NetworkMembers.Create(sara, &arena.NetworkMember{NetworkID: lokal, OrgID: w.org["boras"].ID, NeedID: &w.need("falun", arena.VisibilityDraft).ID})
			})
			refused(t, db, "orebro invites boras to lokal with boras's public need", arena.EINVALID, "need_id", "err.member.own_decision", func() error {
				return db.NetworkMembers.Create(sara, &arena.NetworkMember{NetworkID: lokal, OrgID: w.org["boras"].ID, NeedID: &w.need("boras", arena.VisibilityPublic).ID})
			})
			allowed(t, "orebro invites boras to lokal", db.NetworkMembers.Create(sara, &arena.NetworkMember{NetworkID: lokal, OrgID: w.org["boras"].ID}))
		})

		t.Run("an org admin invites a person, and only the person accepts", func(t *testing.T) {
			anna := w.as(t, "anna") // admin of falun
			nils := w.user["nils"]  // in no organisation
			falun := w.org["falun"].ID
			refused(t, db, "admin adds nils as active", arena.EINVALID, "status", "err.org_membership.invite_only", func() error {
				return db.OrgMemberships.Create(anna, &arena.OrgMembership{UserID: nils.ID, OrgID: falun, Role: arena.OrgRoleMember, Status: arena.OrgMemberActive})
			})
			refused(t, db, "admin adds nils without a status (active by default)", arena.EINVALID, "status", "err.org_membership.invite_only", func() error {
				return db.OrgMemberships.Create(anna, &arena.OrgMembership{UserID: nils.ID, OrgID: falun, Role: arena.OrgRoleAdmin})
			})
			refused(t, db, "a plain member invites nils", arena.EFORBIDDEN, "", "err.forbidden.org_members", func() error {
				return db.OrgMemberships.Create(w.as(t, "per"), &arena.OrgMembership{UserID: nils.ID, OrgID: falun, Role: arena.OrgRoleMember, Status: arena.OrgMemberInvited})
			})
			refused(t, db, "admin of falun invites nils to visby", arena.EFORBIDDEN, "", "err.forbidden.org_members", func() error {
				return db.OrgMemberships.Create(anna, &arena.OrgMembership{UserID: nils.ID, OrgID: w.org["visby"].ID, Role: arena.OrgRoleMember, Status: arena.OrgMemberInvited})
			})
			inv := &arena.OrgMembership{UserID: nils.ID, OrgID: falun, Role: arena.OrgRoleMember, Status: arena.OrgMemberInvited}
			allowed(t, "admin invites nils", db.OrgMemberships.Create(anna, inv))
			_, err := db.Users.Get(anna, nils.ID)
			hidden(t, "anna reads nils before nils accepts", err)
			_, err = db.OrgMemberships.Get(anna, inv.ID)
			allowed(t, "anna sees the invitation she sent", err)

			asNils := w.as(t, "nils")
			if len(arena.ActorFrom(asNils).Orgs) != 0 {
				t.Errorf("an invitation gives nils organisations: %+v", arena.ActorFrom(asNils).Orgs)
			}
			promoted := *inv
			promoted.Status, promoted.Role = arena.OrgMemberActive, arena.OrgRoleAdmin
			refused(t, db, "nils accepts as admin", arena.EINVALID, "status", "err.org_membership.change", func() error {
				return db.OrgMemberships.Update(asNils, &promoted, inv.Version)
			})
			forced := *inv
			forced.Status = arena.OrgMemberActive
			refused(t, db, "anna accepts for nils", arena.EINVALID, "status", "err.org_membership.change", func() error {
				return db.OrgMemberships.Update(anna, &forced, inv.Version)
			})
			accepted := *inv
			accepted.Status = arena.OrgMemberActive
			allowed(t, "nils accepts", db.OrgMemberships.Update(asNils, &accepted, inv.Version))
			_, err = db.Users.Get(anna, nils.ID)
			allowed(t, "anna reads nils once nils accepted", err)

			asNils = w.as(t, "nils")
			if !arena.ActorFrom(asNils).InOrg(falun) {
				t.Errorf("nils accepted but is not in falun: %+v", arena.ActorFrom(asNils).Orgs)
			}
			admin := accepted
			admin.Role = arena.OrgRoleAdmin
			refused(t, db, "nils makes himself admin", arena.EINVALID, "status", "err.org_membership.change", func() error {
				return db.OrgMemberships.Update(asNils, &admin, accepted.Version)
			})
			admin = accepted
			admin.Role = arena.OrgRoleAdmin
			allowed(t, "anna makes nils admin", db.OrgMemberships.Update(anna, &admin, accepted.Version))
		})

		t.Run("an organisation sets its own mandate, nobody else's", func(t *testing.T) {
			m := w.memberOfNet(t, "falun", "belok")
			for _, c := range []struct {
				who, key, what string
			}{
				{"sara", "err.forbidden.member_field", "orebro's admin sets falun's mandate"},
				{"per", "err.forbidden.member_field", "falun's plain member sets falun's mandate"},
				{"bo", "err.forbidden.member_change", "an outsider sets falun's mandate"},
			} {
				v := *m
				v.Mandate = !m.Mandate
				refused(t, db, c.what, arena.EFORBIDDEN, "", c.key, func() error {
					return db.NetworkMembers.Update(w.as(t, c.who), &v, m.Version)
				})
			}
			o := w.memberOfNet(t, "orebro", "belok")
			v := *o
			v.Mandate = true
			refused(t, db, "the owner's admin sets orebro's mandate", arena.EFORBIDDEN, "", "err.forbidden.member_field", func() error {
				return db.NetworkMembers.Update(w.as(t, "anna"), &v, o.Version)
			})
			mine := *m
			mine.Mandate = true
			allowed(t, "falun's admin sets falun's mandate", db.NetworkMembers.Update(w.as(t, "anna"), &mine, m.Version))
			tier := v
			tier.Mandate, tier.Tier = o.Mandate, arena.TierObserver
			allowed(t, "the owner sets orebro's tier", db.NetworkMembers.Update(w.as(t, "anna"), &tier, o.Version))
		})

		t.Run("a sub-group is started by those who run its parent", func(t *testing.T) {
			sub := func() *arena.Network {
				return &arena.Network{Name: "Undergrupp", Kind: arena.NetworkTactical, ParentID: &belok.ID}
			}
			refused(t, db, "boras, with no part in belok, starts a sub-group", arena.EFORBIDDEN, "", "err.forbidden.sub_group", func() error {
				return db.Networks.Create(w.as(t, "bo"), sub())
			})
			refused(t, db, "an active member that does not run belok starts a sub-group", arena.EFORBIDDEN, "", "err.forbidden.sub_group", func() error {
				return db.Networks.Create(w.as(t, "sara"), sub())
			})
			allowed(t, "belok's owner starts a sub-group", db.Networks.Create(w.as(t, "anna"), sub()))
		})

		t.Run("a network is started for one's own organisation", func(t *testing.T) {
			bo := w.as(t, "bo")
			refused(t, db, "boras names falun owner", arena.EINVALID, "owner_org_id", "err.network.own_org", func() error {
				return db.Networks.Create(bo, &arena.Network{Name: "Falu nät", Kind: arena.NetworkTactical, OwnerOrgID: &w.org["falun"].ID})
			})
			refused(t, db, "boras names falun coordinator", arena.EINVALID, "coordinator_org_id", "err.network.own_org", func() error {
				return db.Networks.Create(bo, &arena.Network{Name: "Falu nät", Kind: arena.NetworkTactical, OwnerOrgID: &w.org["boras"].ID, CoordinatorOrgID: &w.org["falun"].ID})
			})
			refused(t, db, "anonymous starts a network", arena.EUNAUTHORIZED, "", "err.sign_in", func() error {
				return db.Networks.Create(context.Background(), &arena.Network{Name: "Anonymt", Kind: arena.NetworkTactical})
			})
			allowed(t, "boras starts its own", db.Networks.Create(bo, &arena.Network{Name: "Borås nät", Kind: arena.NetworkTactical, OwnerOrgID: &w.org["boras"].ID}))
			allowed(t, "a broker starts one for falun and molndal", db.Networks.Create(w.as(t, "maklare"),
				&arena.Network{Name: "Mäklat nät", Kind: arena.NetworkTactical, OwnerOrgID: &w.org["falun"].ID, CoordinatorOrgID: &w.org["molndal"].ID}))
		})

		t.Run("who posted a need is the server's to say", func(t *testing.T) {
			per, vera := w.as(t, "per"), w.user["vera"]
			n := &arena.Need{OrgID: w.org["falun"].ID, Title: "Belysning", Visibility: arena.VisibilityOrganisation, CreatedBy: vera.ID}
			allowed(t, "per posts a need naming vera as its author", db.Needs.Create(per, n))
			got, err := db.Needs.Get(per, n.ID)
			allowed(t, "per reads it", err)
			if got.CreatedBy != w.user["per"].ID {
				t.Errorf("created_by = %s, want per", w.userName(got.CreatedBy))
			}
			got.CreatedBy, got.Title = vera.ID, "Gatubelysning"
			allowed(t, "anna updates it naming vera", db.Needs.Update(w.as(t, "anna"), got, got.Version))
			again, _ := db.Needs.Get(per, n.ID)
			if again.CreatedBy != w.user["per"].ID || again.Title != "Gatubelysning" {
				t.Errorf("after the update created_by = %s, title %q; want per", w.userName(again.CreatedBy), again.Title)
			}
			moved := *again
			moved.OrgID = w.org["boras"].ID
			refused(t, db, "a need moved to boras", arena.EFORBIDDEN, "", "err.forbidden.need", func() error {
				return db.Needs.Update(per, &moved, again.Version)
			})
		})

		t.Run("a member's procurement is an active member's, with the network's deliverable", func(t *testing.T) {
			planned := arena.NewDate(2026, 4, 1)
			proc := func(org string, deliverable *int64) *arena.MemberProcurement {
				return &arena.MemberProcurement{NetworkID: belok.ID, OrgID: w.org[org].ID, DeliverableID: deliverable, PlannedDate: &planned}
			}
			for _, c := range []struct{ who, org, what string }{
				{"ulla", "umea", "invited umea records its procurement"},
				{"lars", "lund", "declined lund records its procurement"},
				{"kim", "kiruna", "kiruna, which left, records its procurement"},
				{"maklare", "lund", "a broker records for declined lund"},
			} {
				refused(t, db, c.what, arena.EINVALID, "org_id", "err.procurement.not_member", func() error {
					return db.MemberProcurements.Create(w.as(t, c.who), proc(c.org, nil))
				})
			}
			refused(t, db, "orebro records for falun", arena.EFORBIDDEN, "", "err.forbidden.procurement", func() error {
				return db.MemberProcurements.Create(w.as(t, "sara"), proc("falun", nil))
			})
			sara := w.as(t, "sara")
			missing := int64(987654)
			for what, id := range map[string]*int64{"bebo's deliverable": &w.deliverableOf("bebo").ID, "a deliverable that does not exist": &missing} {
				refused(t, db, "orebro's procurement uses "+what, arena.EINVALID, "deliverable_id", "err.procurement.deliverable", func() error {
					return db.MemberProcurements.Create(sara, proc("orebro", id))
				})
			}
			p := proc("orebro", &w.deliverableOf("belok").ID)
			allowed(t, "orebro's procurement uses belok's deliverable", db.MemberProcurements.Create(sara, p))
			other := *p
			other.DeliverableID = &w.deliverableOf("bebo").ID
			refused(t, db, "orebro's procurement switches to bebo's deliverable", arena.EINVALID, "deliverable_id", "err.procurement.deliverable", func() error {
				return db.MemberProcurements.Update(sara, &other, p.Version)
			})
		})

		t.Run("a network's inside is hidden from outsiders", func(t *testing.T) {
			for _, who := range []string{"anonymous", "bo"} {
				ctx := context.Background()
				if who != "anonymous" {
					ctx = w.as(t, who)
				}
				f := map[string]string{"network_id": strconv.FormatInt(belok.ID, 10)}
				for what, list := range map[string]func() (int, error){
					"plans": func() (int, error) {
						p, err := db.NetworkPlans.List(ctx, store.ListQuery{Filters: f})
						return total(p, err)
					},
					"activities": func() (int, error) {
						p, err := db.Activities.List(ctx, store.ListQuery{Filters: f})
						return total(p, err)
					},
					"periods": func() (int, error) {
						p, err := db.FundingPeriods.List(ctx, store.ListQuery{Filters: f})
						return total(p, err)
					},
					"procurements": func() (int, error) {
						p, err := db.MemberProcurements.List(ctx, store.ListQuery{Filters: f})
						return total(p, err)
					},
					"non-active memberships": func() (int, error) {
						p, err := db.NetworkMembers.List(ctx, store.ListQuery{Filters: f})
						if err != nil {
							return 0, err
						}
						n := 0
						for _, m := range p.Items {
							if m.Status != arena.MemberActive {
								n++
							}
						}
						return n, nil
					},
				} {
					if n, err := list(); err != nil || n != 0 {
						t.Errorf("%s is listed %d of belok's %s (%v)", who, n, what, err)
					}
				}
				for _, p := range w.plans {
					if p.NetworkID == belok.ID {
						_, err := db.NetworkPlans.Get(ctx, p.ID)
						hidden(t, who+" reads belok's plan", err)
					}
				}
				for _, m := range w.members {
					if m.NetworkID != belok.ID {
						continue
					}
					got, err := db.NetworkMembers.Get(ctx, m.ID)
					if m.Status != arena.MemberActive {
						hidden(t, who+" reads "+w.memberLabel(m), err)
						continue
					}
					if err != nil {
						t.Errorf("%s reads active %s: %v", who, w.memberLabel(m), err)
					} else if got.ContactName != "" || got.ContactEmail != "" || got.ManagementSponsor != "" {
						t.Errorf("%s sees the contact of %s: %q <%s>, %q", who, w.memberLabel(m), got.ContactName, got.ContactEmail, got.ManagementSponsor)
					}
				}
				if alerts, err := db.Alerts(ctx, store.AlertFilter{NetworkID: belok.ID}); err != nil || len(alerts) != 0 {
					t.Errorf("%s sees %d of belok's alerts (%v)", who, len(alerts), err)
				}
			}
			m := w.memberOfNet(t, "umea", "belok")
			got, err := db.NetworkMembers.Get(w.as(t, "olle"), m.ID)
			allowed(t, "an active member's plain member reads umea's invitation", err)
			if got.ContactEmail != m.ContactEmail {
				t.Errorf("an insider does not see umea's contact: %q", got.ContactEmail)
			}
		})
	})
}

func total[T any](p *store.Page[T], err error) (int, error) {
	if err != nil {
		return 0, err
	}
	return p.Total, nil
}
