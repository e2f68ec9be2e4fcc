package matching

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
)

// latentMaxNeeds bounds the needs examined for latent networks, newest
// first; latentPeers is how many matches of each are read.
const (
	latentMaxNeeds = 400
	latentPeers    = 5
)

// LatentGroup is a latent network: public needs of different
// organisations that match each other at LatentMatch or more and that no
// network has taken up yet, with why the strongest pair matches.
type LatentGroup struct {
	Needs    []LatentNeed `json:"needs"` // by id
	Reasons  []Reason     `json:"reasons"`
	ValueSEK int64        `json:"value_sek"` // the needs' estimated values summed
}

// LatentNeed is a need of a latent network with its organisation's name.
type LatentNeed struct {
	*arena.Need
	OrgName string `json:"org_name"`
}

// LatentNetworks finds the broker's latent networks: among the newest
// public needs that are not an active or invited member's need in any
// network, each need's best matches (as Matches ranks them for the broker)
// of other organisations at LatentMatch or more link the two; each
// connected group of two or more needs is a latent network, largest first.
// Every need of a group is linked to the others through such matches, never
// through a weaker one. Only brokers may ask (arena.CanUseBrokerView). now
// is when the groups are asked for, as for Matches; the groups do not yet
// depend on it.
func (s *Service) LatentNetworks(ctx context.Context, now time.Time) (groups []LatentGroup, err error) {
	if err := arena.CanUseBrokerView(arena.ActorFrom(ctx)); err != nil {
		return nil, err
	}
	err = s.limited(ctx, func() (err error) {
		groups, err = s.latentNetworks(ctx, now)
		return err
	})
	return groups, err
}

func (s *Service) latentNetworks(ctx context.Context, now time.Time) ([]LatentGroup, error) {
	// The broker sees every membership, invitations included (the system
	// actor would see only the active ones).
	members, err := store.All(ctx, s.DB.NetworkMembers, nil)
	if err != nil {
		return nil, err
	}
	taken := map[int64]bool{}
	for _, m := range members {
		if m.NeedID != nil && (m.Status == arena.MemberActive || m.Status == arena.MemberInvited) {
			taken[*m.NeedID] = true
		}
	}
	public, err := store.All(ctx, s.DB.Needs, map[string]string{"visibility": string(arena.VisibilityPublic)})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(public, func(a, b *arena.Need) int { return cmp.Compare(b.ID, a.ID) })
	free := map[int64]*arena.Need{}
	var order []int64 // newest first
	for _, n := range public {
		if len(order) == latentMaxNeeds {
			break
		}
		if !taken[n.ID] {
			free[n.ID] = n
			order = append(order, n.ID)
		}
	}
	keep, err := s.visibleIDs(ctx)
	if err != nil {
		return nil, err
	}
	orgs := map[int64]*arena.Organization{} // of every need in order
	type edge struct {
		a, b  int64
		score float64
	}
	var edges []edge
	groups := components{}
	ix := s.Index()
	for _, id := range order {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n := free[id]
		o := orgs[n.OrgID]
		if o == nil {
			if o, err = s.orgOf(ctx, n.OrgID); err != nil {
				return nil, err
			}
			orgs[n.OrgID] = o
		}
		ms, err := ix.SimilarContext(ctx, toNeed(&store.IndexedNeed{Need: *n, OrgKind: o.Kind}), latentPeers, keep)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			cid, _ := strconv.ParseInt(m.ID, 10, 64)
			c, score := free[cid], round(m.Pair)
			if score < LatentMatch || c == nil || c.OrgID == n.OrgID {
				continue
			}
			groups.union(id, cid)
			edges = append(edges, edge{id, cid, score})
		}
	}
	strongest := map[int64]edge{} // group → its strongest pair
	for _, e := range edges {
		g := groups.find(e.a)
		if cur, ok := strongest[g]; !ok || e.score > cur.score {
			strongest[g] = e
		}
	}
	byGroup := map[int64]*LatentGroup{}
	var out []*LatentGroup
	for _, id := range order {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !groups.has(id) {
			continue
		}
		g := groups.find(id)
		lg := byGroup[g]
		if lg == nil {
			lg = &LatentGroup{}
			byGroup[g] = lg
			out = append(out, lg)
			e := strongest[g]
			a, b := free[e.a], free[e.b]
			oa, ob := orgs[a.OrgID], orgs[b.OrgID]
			qa, qb := toNeed(&store.IndexedNeed{Need: *a, OrgKind: oa.Kind}), toNeed(&store.IndexedNeed{Need: *b, OrgKind: ob.Kind})
			lg.Reasons = s.needReasons(ix.Explainer(qa), qb, a, b, oa, ob)
		}
		n := free[id]
		lg.Needs = append(lg.Needs, LatentNeed{Need: n, OrgName: orgs[n.OrgID].Name})
		if n.EstimatedValueSEK != nil {
			lg.ValueSEK += *n.EstimatedValueSEK
		}
	}
	res := make([]LatentGroup, 0, len(out))
	for _, g := range out {
		slices.SortFunc(g.Needs, func(a, b LatentNeed) int { return cmp.Compare(a.ID, b.ID) })
		res = append(res, *g)
	}
	slices.SortStableFunc(res, func(a, b LatentGroup) int { return cmp.Compare(len(b.Needs), len(a.Needs)) })
	return res, nil
}

// components joins needs into connected groups (union-find): each maps to
// another of its group, a group's root to itself.
type components map[int64]int64

func (c components) has(x int64) bool {
	_, ok := c[x]
	return ok
}

func (c components) find(x int64) int64 {
	p, ok := c[x]
	if !ok {
		c[x] = x
		return x
	}
	if p == x {
		return x
	}
	root := c.find(p)
	c[x] = root
	return root
}

func (c components) union(a, b int64) {
	if ra, rb := c.find(a), c.find(b); ra != rb {
		c[ra] = rb
	}
}
