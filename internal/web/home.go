package web

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/store"
)

// homeData is the start page: the organisation's needs, new matches, open
// invitations, the networks' alerts and coming call deadlines.
type homeData struct {
	Orgs        []orgNeeds
	LastVisit   time.Time
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
}

// newMatch is another organisation's need that matches one of ours and
// appeared, or was matched, since the last visit.
type newMatch struct {
	Mine  *arena.Need
	Item  matching.Item
	Other *arena.Need
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

// homeMatchesPerNeed bounds the matches read for each own need.
const homeMatchesPerNeed = 5

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
	d.LastVisit = u.visit(w, r)
	a := p.Actor
	nm.loadOrgs(a.OrgIDs()...)
	var mine []*arena.Need
	for _, m := range a.Orgs {
		needs, err := store.All(ctx, u.app.DB.Needs, map[string]string{"org_id": idStr(m.OrgID)})
		if err != nil {
			u.fail(w, r, err)
			return
		}
		sort.SliceStable(needs, func(i, j int) bool { return needs[i].UpdatedAt.After(needs[j].UpdatedAt) })
		rows := make([]needRow, len(needs))
		for i, n := range needs {
			rows[i] = p.needRow(n, "")
			if n.PlannedDate != nil {
				rows[i].PlannedText = p.Date(n.PlannedDate)
			}
		}
		d.Orgs = append(d.Orgs, orgNeeds{Org: nm.Org(m.OrgID), Needs: needs, Rows: rows})
		mine = append(mine, needs...)
	}
	if d.NewMatches, err = u.newMatches(ctx, mine, d.LastVisit); err != nil {
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

// newMatches returns the matches of the own needs that are new since the
// last visit: the other need, or our own, was posted or changed after it.
// On a first visit (no last visit) every match is new.
func (u *UI) newMatches(ctx context.Context, mine []*arena.Need, since time.Time) ([]newMatch, error) {
	if u.app.Matching == nil {
		return nil, nil
	}
	// The good matches of the ten most recently changed needs, then the
	// other needs of them all in one query.
	type good struct {
		mine *arena.Need
		item matching.Item
	}
	var goods []good
	var ids []int64
	// On a later visit a match is new only if one of the two needs
	// changed since: a need that did not is matched only when another
	// organisation's need the user may see did.
	var changed map[int64]bool
	if !since.IsZero() {
		var err error
		if changed, err = u.app.DB.OrgsWithNeedsSince(ctx, since); err != nil {
			return nil, err
		}
	}
	var asked []int64
	byID := map[int64]*arena.Need{}
	for i, n := range mine {
		if i >= 10 {
			break
		}
		if !since.IsZero() && !n.UpdatedAt.After(since) && !changedElsewhere(changed, n.OrgID) {
			continue
		}
		asked = append(asked, n.ID)
		byID[n.ID] = n
	}
	results, err := u.app.Matching.NeedMatchesOf(ctx, asked, homeMatchesPerNeed)
	if err != nil {
		return nil, err
	}
	for _, res := range results {
		n := byID[res.NeedID]
		for _, it := range res.Items {
			// Only a good match is news on the start page; the need's own
			// page lists weaker ones too.
			if it.Score >= matching.GoodMatch {
				goods = append(goods, good{n, it})
				ids = append(ids, it.ID)
			}
		}
	}
	others, err := u.app.DB.Needs.GetMany(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []newMatch
	seen := map[[2]int64]bool{}
	for _, g := range goods {
		n, it := g.mine, g.item
		other := others[it.ID]
		if other == nil || seen[[2]int64{n.ID, it.ID}] {
			continue
		}
		if !since.IsZero() && !other.UpdatedAt.After(since) && !n.UpdatedAt.After(since) {
			continue
		}
		seen[[2]int64{n.ID, it.ID}] = true
		out = append(out, newMatch{Mine: n, Item: it, Other: other})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Item.Score > out[j].Item.Score })
	return out, nil
}

// changedElsewhere reports whether an organisation other than org is
// among changed.
func changedElsewhere(changed map[int64]bool, org int64) bool {
	for id := range changed {
		if id != org {
			return true
		}
	}
	return false
}

// visit reads and renews the visit cookie and returns the time of the last
// visit before this one (zero on a first visit). Views within visitGap of
// each other are the same visit.
func (u *UI) visit(w http.ResponseWriter, r *http.Request) time.Time {
	now := u.now()
	var prev, cur time.Time
	if c, err := r.Cookie(visitCookie); err == nil {
		a, b, _ := strings.Cut(c.Value, ".")
		if x, err := strconv.ParseInt(a, 10, 64); err == nil && x > 0 {
			prev = time.Unix(x, 0)
		}
		if x, err := strconv.ParseInt(b, 10, 64); err == nil && x > 0 {
			cur = time.Unix(x, 0)
		}
	}
	if !cur.IsZero() && now.Sub(cur) > visitGap {
		prev = cur
	}
	val := strconv.FormatInt(now.Unix(), 10)
	if !prev.IsZero() {
		val = strconv.FormatInt(prev.Unix(), 10) + "." + val
	} else {
		val = "0." + val
	}
	http.SetCookie(w, &http.Cookie{Name: visitCookie, Value: val, Path: "/", MaxAge: 400 * 24 * 3600,
		HttpOnly: true, Secure: u.app.SecureCookies, SameSite: http.SameSiteLaxMode})
	return prev
}
