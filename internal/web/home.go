package web

import (
	"context"
	"net/http"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
)

// homeData is the start page: the organisation's needs, new matches, open
// invitations, the networks' alerts and coming call deadlines.
type homeData struct {
	Orgs        []orgNeeds
	NewMatches  []newMatch
	Invitations []invitation
	Networks    []*arena.Network
	Alerts      []alertView
	Deadlines   []callView
}

type orgNeeds struct {
	Org   *arena.Organization
	Needs []*arena.Need
	Rows  []needRow // the needs as the table shows them
	// Total is how many needs the organisation has when Needs are only
	// the homeOwnMax most recently changed of them (0 when they are all).
	Total int
}

// homeOwnMax is how many of an organisation's needs the start page shows,
// the most recently changed first; the needs page lists them all.
const homeOwnMax = 10

// newMatch is another organisation's need like one of ours, shared
// since the person last read of it.
type newMatch struct {
	Note arena.Notification
}

// invitation is an open invitation of the user's organisation to a network.
type invitation struct {
	Member    *arena.NetworkMember
	Network   *arena.Network
	Org       string
	CanAnswer bool // the user may answer it (the organisation's admin)
}

// alertView is an alert with its network's name.
type alertView struct {
	arena.Alert
	Network string
}

// homeNewMatches bounds the new matches the start page lists.
const homeNewMatches = 10

func (u *UI) handleHome(w http.ResponseWriter, r *http.Request) {
	p := u.newPage(r, "home")
	p.Title = p.T("home.title")
	ctx := r.Context()
	nm := u.names(ctx)
	d := &homeData{}
	p.Data = d
	calls, err := u.sortedCalls(ctx, nm)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	today := u.today()
	for _, c := range calls {
		if c.Open && c.ClosesDate != nil && !c.ClosesDate.Before(today.Time) && len(d.Deadlines) < 5 {
			d.Deadlines = append(d.Deadlines, c)
		}
	}
	if !p.SignedIn() {
		u.render(w, r, http.StatusOK, "home", p)
		return
	}
	a := p.Actor
	nm.loadOrgs(a.OrgIDs()...)
	for _, m := range a.Orgs {
		own := map[string]string{"org_id": idStr(m.OrgID)}
		needs, err := store.RecentlyChanged(ctx, u.app.DB.Needs, own, homeOwnMax+1)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		total := 0
		if len(needs) > homeOwnMax {
			needs = needs[:homeOwnMax]
			if total, err = store.Count(ctx, u.app.DB.Needs, own); err != nil {
				u.fail(w, r, err)
				return
			}
		}
		rows := make([]needRow, len(needs))
		for i, n := range needs {
			rows[i] = p.needRow(n, "")
			if n.PlannedDate != nil {
				rows[i].PlannedText = p.Date(n.PlannedDate)
			}
		}
		d.Orgs = append(d.Orgs, orgNeeds{Org: nm.Org(m.OrgID), Needs: needs, Rows: rows, Total: total})
	}
	if d.NewMatches, err = u.newMatches(ctx); err != nil {
		u.fail(w, r, err)
		return
	}
	// The organisations' memberships and alerts first, so the networks
	// and organisations they name are read in one query each.
	members := make([][]*arena.NetworkMember, len(a.Orgs))
	alerts := make([][]arena.Alert, len(a.Orgs))
	var netIDs, orgIDs []int64
	for i, m := range a.Orgs {
		if members[i], err = store.All(ctx, u.app.DB.NetworkMembers, map[string]string{"org_id": idStr(m.OrgID)}); err != nil {
			u.fail(w, r, err)
			return
		}
		if alerts[i], err = u.app.DB.Alerts(ctx, store.AlertFilter{OrgID: m.OrgID}); err != nil {
			u.fail(w, r, err)
			return
		}
		for _, mb := range members[i] {
			netIDs, orgIDs = append(netIDs, mb.NetworkID), append(orgIDs, mb.OrgID)
		}
		for _, al := range alerts[i] {
			netIDs = append(netIDs, al.NetworkID)
		}
	}
	nm.loadNetworks(netIDs...)
	nm.loadOrgs(orgIDs...)
	seenNet := map[int64]bool{}
	for i := range a.Orgs {
		for _, mb := range members[i] {
			n := nm.Network(mb.NetworkID)
			if n == nil {
				continue
			}
			switch mb.Status {
			case arena.MemberInvited:
				d.Invitations = append(d.Invitations, invitation{Member: mb, Network: n, Org: nm.OrgName(mb.OrgID), CanAnswer: mayAnswer(a, n, *mb, arena.ActionAccept)})
			case arena.MemberActive:
				if !seenNet[n.ID] {
					seenNet[n.ID] = true
					d.Networks = append(d.Networks, n)
				}
			}
		}
		for _, al := range alerts[i] {
			name := ""
			if n := nm.Network(al.NetworkID); n != nil {
				name = n.Name
			}
			d.Alerts = append(d.Alerts, alertView{Alert: al, Network: name})
		}
	}
	u.render(w, r, http.StatusOK, "home", p)
}

// newMatches returns the person's unread notifications of other
// organisations' needs like theirs, newest first: found once, when the
// need was shared (internal/reach), not matched again on every view.
func (u *UI) newMatches(ctx context.Context) ([]newMatch, error) {
	a := arena.ActorFrom(ctx)
	notes, err := u.app.DB.UnreadOfKind(ctx, a.UserID(), arena.NotifyNeedMatch, homeNewMatches)
	if err != nil {
		return nil, err
	}
	if notes, err = u.app.Reach.Describe(ctx, notes); err != nil {
		return nil, err
	}
	out := make([]newMatch, len(notes))
	for i, n := range notes {
		out[i] = newMatch{Note: n}
	}
	return out, nil
}
