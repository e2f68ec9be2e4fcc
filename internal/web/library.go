package web

import (
	"net/http"
	"slices"
	"sort"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/store"
)

// The deliverables library (leveransbiblioteket): what the networks
// produced (requirement specifications, market analyses, good examples,
// …), searchable by words, kind, sector and CPV, each with its network and
// the needs it was made for; a deliverable's page adds the needs like
// them, so that a buyer with the same need reuses it. Deliverables are
// public (networks' deliverables are), the needs are shown as the viewer
// may see them.

// libraryRow is one deliverable in the library.
type libraryRow struct {
	*arena.Deliverable
	Network *arena.Network
	CPV     []string // of the needs it was made for that the viewer sees
}

type libraryData struct {
	Rows  []libraryRow
	Total int // before the page's limit
	Shown int
}

// libraryLimit bounds the rows a library page shows.
const libraryLimit = 100

// deliverableNeeds reads, for the networks of ids, the needs their active
// members brought, as the actor may see them.
func (u *UI) deliverableNeeds(r *http.Request, networkIDs []int64) (map[int64][]*arena.Need, error) {
	ctx := r.Context()
	out := map[int64][]*arena.Need{}
	if len(networkIDs) == 0 {
		return out, nil
	}
	var needIDs []int64
	byNeed := map[int64]int64{}
	for _, id := range networkIDs {
		ms, err := store.All(ctx, u.app.DB.NetworkMembers, map[string]string{"network_id": idStr(id), "status": string(arena.MemberActive)})
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if m.NeedID != nil {
				needIDs = append(needIDs, *m.NeedID)
				byNeed[*m.NeedID] = id
			}
		}
	}
	needs, err := u.app.DB.Needs.GetMany(ctx, needIDs)
	if err != nil {
		return nil, err
	}
	for _, id := range needIDs {
		if n := needs[id]; n != nil {
			out[byNeed[id]] = append(out[byNeed[id]], n)
		}
	}
	return out, nil
}

func needCPV(needs []*arena.Need) []string {
	var out []string
	for _, n := range needs {
		for _, c := range n.CPVCodes {
			code, _, err := arena.SplitCPV(c)
			if err == nil && !slices.Contains(out, code) {
				out = append(out, code)
			}
		}
	}
	sort.Strings(out)
	return out
}

func (u *UI) handleLibrary(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := u.newPage(r, "library")
	p.Title = p.T("library.title")
	q := r.URL.Query()
	f, filters := searchAndKind(q, arena.Codes(arena.DeliverableKinds))
	sector := strings.TrimSpace(q.Get("sektor"))
	cpv := strings.TrimSpace(q.Get("cpv"))
	f.Values.Set("sektor", sector)
	f.Values.Set("cpv", cpv)
	p.Form = f
	if err := arena.CheckQuery("sektor", sector); err != nil {
		u.fail(w, r, err)
		return
	}
	if cpv != "" && !cpvPrefix(cpv) {
		u.fail(w, r, arena.Invalid("cpv", "err.cpv.prefix"))
		return
	}
	dels, err := store.All(ctx, u.app.DB.Deliverables, filters)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	nm := u.names(ctx)
	var netIDs []int64
	for _, d := range dels {
		if !slices.Contains(netIDs, d.NetworkID) {
			netIDs = append(netIDs, d.NetworkID)
		}
	}
	needs, err := u.deliverableNeeds(r, netIDs)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := &libraryData{}
	for _, x := range dels {
		row := libraryRow{Deliverable: x, Network: nm.Network(x.NetworkID), CPV: needCPV(needs[x.NetworkID])}
		if sector != "" && (row.Network == nil || !strings.EqualFold(row.Network.Sector, sector)) {
			continue
		}
		if cpv != "" && !slices.ContainsFunc(row.CPV, func(c string) bool { return strings.HasPrefix(c, cpv) }) {
			continue
		}
		d.Rows = append(d.Rows, row)
	}
	sort.SliceStable(d.Rows, func(i, j int) bool {
		a, b := d.Rows[i].PublishedDate, d.Rows[j].PublishedDate
		if (a == nil) != (b == nil) {
			return a != nil
		}
		if a != nil && !a.Equal(b.Time) {
			return a.After(b.Time)
		}
		return d.Rows[i].ID > d.Rows[j].ID
	})
	d.Total = len(d.Rows)
	if len(d.Rows) > libraryLimit {
		d.Rows = d.Rows[:libraryLimit]
	}
	d.Shown = len(d.Rows)
	p.Data = d
	u.render(w, r, http.StatusOK, "library", p)
}

// cpvPrefix accepts the first 2 to 8 digits of a CPV code.
func cpvPrefix(s string) bool {
	if len(s) < 2 || len(s) > 8 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// DeliverableKindFilterOptions are the deliverable kinds with "all" first.
func (p *page) DeliverableKindFilterOptions() []option {
	return append([]option{{Value: "", Label: p.T("search.any")}}, p.DeliverableKindOptions()...)
}

// deliverablePage is one deliverable with its network, the needs it was
// made for and the needs like them.
type deliverablePage struct {
	D       *arena.Deliverable
	Network *arena.Network
	MadeFor []*arena.Need
	Like    []matching.Item
	LikeErr string
	CanEdit bool
}

func (u *UI) handleDeliverableShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	x, err := u.app.DB.Deliverables.Get(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := u.newPage(r, "library")
	p.Title = x.Title
	d := &deliverablePage{D: x, Network: u.names(ctx).Network(x.NetworkID)}
	needs, err := u.deliverableNeeds(r, []int64{x.NetworkID})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d.MadeFor = needs[x.NetworkID]
	d.CanEdit = p.SignedIn() && u.app.DB.Deliverables.Authorize(ctx, x, x) == nil
	if u.app.Matching == nil {
		d.LikeErr = p.T("match.unavailable")
	} else if len(d.MadeFor) > 0 {
		var ids []int64
		for _, n := range d.MadeFor {
			ids = append(ids, n.ID)
		}
		res, err := u.app.Matching.NeedMatchesOf(ctx, ids, 5)
		if err != nil {
			d.LikeErr = p.ErrText(err)
		} else {
			seen := map[int64]bool{}
			for _, n := range d.MadeFor {
				seen[n.ID] = true
			}
			for _, rs := range res {
				for _, it := range rs.Items {
					if !seen[it.ID] && it.Score >= matching.GoodMatch {
						seen[it.ID] = true
						d.Like = append(d.Like, it)
					}
				}
			}
			sort.SliceStable(d.Like, func(i, j int) bool { return d.Like[i].Score > d.Like[j].Score })
		}
	}
	p.Data = d
	u.render(w, r, http.StatusOK, "deliverable", p)
}
