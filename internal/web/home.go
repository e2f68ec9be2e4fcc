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
	var mine []*arena.Need
	for _, m := range a.Orgs {
		needs, err := store.All(ctx, u.app.DB.Needs, map[string]string{"org_id": idStr(m.OrgID)})
		if err != nil {
			u.fail(w, r, err)
			return
		}
		sort.SliceStable(needs, func(i, j int) bool { return needs[i].UpdatedAt.After(needs[j].UpdatedAt) })
		d.Orgs = append(d.Orgs, orgNeeds{Org: nm.Org(m.OrgID), Needs: needs})
		mine = append(mine, needs...)
	}
	if d.NewMatches, err = u.newMatches(ctx, mine, d.LastVisit); err != nil {
		u.fail(w, r, err)
		return
	}
	seenNet := map[int64]bool{}
	for _, m := range a.Orgs {
		members, err := store.All(ctx, u.app.DB.NetworkMembers, map[string]string{"org_id": idStr(m.OrgID)})
		if err != nil {
			u.fail(w, r, err)
			return
		}
		for _, mb := range members {
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
		alerts, err := u.app.DB.Alerts(ctx, store.AlertFilter{OrgID: m.OrgID})
		if err != nil {
			u.fail(w, r, err)
			return
		}
		for _, al := range alerts {
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
	var out []newMatch
	seen := map[[2]int64]bool{}
	now := u.now()
	for i, n := range mine {
		if i >= 10 { // the ten most recently changed needs
			break
		}
		res, err := u.app.Matching.Matches(ctx, n.ID, matching.KindNeeds, homeMatchesPerNeed, now)
		if err != nil {
			return nil, err
		}
		for _, it := range res.Items {
			// Only a good match is news on the start page; the need's own
			// page lists weaker ones too.
			if it.Score < matching.GoodMatch || seen[[2]int64{n.ID, it.ID}] {
				continue
			}
			other, err := u.app.DB.Needs.Get(ctx, it.ID)
			if err != nil {
				continue
			}
			if !since.IsZero() && !other.UpdatedAt.After(since) && !n.UpdatedAt.After(since) {
				continue
			}
			seen[[2]int64{n.ID, it.ID}] = true
			out = append(out, newMatch{Mine: n, Item: it, Other: other})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Item.Score > out[j].Item.Score })
	return out, nil
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
