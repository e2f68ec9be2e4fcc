package matching

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/store"
)

// Kinds of match.
const (
	KindNeeds    = "needs"
	KindCalls    = "calls"
	KindProjects = "projects" // projects and the deliverables of networks
	KindExperts  = "experts"
	KindNetworks = "networks"
)

// Kinds lists the kinds a need can be matched to.
var Kinds = []string{KindNeeds, KindCalls, KindProjects, KindExperts, KindNetworks}

// Result is a need's matches of one kind.
type Result struct {
	NeedID int64  `json:"need_id"`
	Kind   string `json:"kind"`
	Items  []Item `json:"items"`
}

// Item is one match with its score and reasons.
type Item struct {
	Type    string  `json:"type"` // need, call, project, deliverable, expert, network
	ID      int64   `json:"id"`
	Title   string  `json:"title"`
	OrgID   int64   `json:"org_id,omitempty"`
	OrgName string  `json:"org_name,omitempty"`
	Score   float64 `json:"score"` // what the list is ranked by
	// Alike is, for a need, how alike the two needs are by themselves
	// (match.Match.Pair), before the neighbourhood moves it in the
	// ranking: what ShowMatch and Strength judge. Strength says it in a
	// word. The other kinds score on their collection's own scale and
	// have neither.
	Alike    float64  `json:"alike,omitempty"`
	Strength string   `json:"strength,omitempty"`
	Reasons  []Reason `json:"reasons"`
}

// Reason is one reason for a match: a message by catalogue key (reason.*
// and fit.*) with its facts, and the structured facts behind it.
type Reason struct {
	Kind string `json:"kind"` // concepts, cpv, timing, organisation_kind, sector, eligibility, deadline, network
	arena.Msg
	Concepts []match.SharedConcept `json:"concepts,omitempty"`
	CPV      *CPVRelation          `json:"cpv,omitempty"`
}

// CPVRelation is how two needs' CPV codes are related.
type CPVRelation struct {
	Level      string `json:"level"` // code, category, class, group, division
	NeedCode   string `json:"need_code"`
	NeedLabel  string `json:"need_label,omitempty"`
	MatchCode  string `json:"match_code"`
	MatchLabel string `json:"match_label,omitempty"`
}

// MaxLimit bounds how many matches one request returns.
const MaxLimit = 100

// Matches returns what the need with id matches, of one kind, for the actor
// of ctx: the need must be visible to the actor, and so must every need
// returned. The need's own organisation's needs are never returned, nor
// needs that share nothing that counts (score 0 or less).
func (s *Service) Matches(ctx context.Context, id int64, kind string, limit int, now time.Time) (*Result, error) {
	res, err := s.MatchesOfKinds(ctx, id, []string{kind}, limit, now)
	if err != nil {
		return nil, err
	}
	return res[0], nil
}

// MatchesOfKinds is Matches for several kinds at once, as a need's page
// shows them: the need and its organisation are read once, and the work
// takes one of the client's slots of expensive work, not one per kind.
func (s *Service) MatchesOfKinds(ctx context.Context, id int64, kinds []string, limit int, now time.Time) ([]*Result, error) {
	if limit <= 0 {
		limit = 10
	} else if limit > MaxLimit {
		return nil, arena.Invalid("limit", "err.limit", arena.F{"max": MaxLimit})
	}
	for _, kind := range kinds {
		if !slices.Contains(Kinds, kind) {
			return nil, arena.Invalid("kind", "err.choice", arena.F{"value": kind, "choices": arena.Choices(Kinds)})
		}
	}
	need, err := s.DB.Needs.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	org, err := s.orgOf(ctx, need.OrgID)
	if err != nil {
		return nil, err
	}
	out := make([]*Result, len(kinds))
	var text *match.ItemText // the need analysed for items, once for every kind
	err = s.limited(ctx, func() (err error) {
		for i, kind := range kinds {
			res := &Result{NeedID: id, Kind: kind}
			if kind == KindNeeds {
				var keep func(string) bool
				if keep, err = s.visibleIDs(ctx); err != nil {
					return err
				}
				res.Items, err = s.needMatches(ctx, need, org, limit, keep)
			} else {
				res.Items, err = s.itemMatches(ctx, need, org, kind, limit, now, &text)
			}
			if err != nil {
				return err
			}
			out[i] = res
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) orgOf(ctx context.Context, id int64) (*arena.Organization, error) {
	return s.DB.Organizations.Get(arena.WithActor(ctx, arena.SystemActor()), id)
}

// canSee returns arena.CanSeeNeed for the actor of ctx, with the
// organisations that share an active network with the actor as partners.
func (s *Service) canSee(ctx context.Context) (func(n *arena.Need) bool, error) {
	a := arena.ActorFrom(ctx)
	partners, err := s.DB.NetworkPartners(ctx, a.OrgIDs())
	if err != nil {
		return nil, err
	}
	isPartner := func(org int64) bool { return partners[org] }
	return func(n *arena.Need) bool { return arena.CanSeeNeed(a, n, isPartner) }, nil
}

// visibleIDs returns the filter of indexed need ids the actor of ctx may
// see (arena.CanSeeNeed), for ranking in the index.
func (s *Service) visibleIDs(ctx context.Context) (func(string) bool, error) {
	see, err := s.canSee(ctx)
	if err != nil {
		return nil, err
	}
	return func(k string) bool {
		n := s.indexed(k)
		return n != nil && see(n)
	}, nil
}

// indexed returns what the service keeps of the indexed need with id k
// (its organisation and visibility), nil when it is not indexed.
func (s *Service) indexed(k string) *arena.Need {
	id, _ := strconv.ParseInt(k, 10, 64)
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.meta[id]
}

// NeedMatchesOf is Matches of kind needs for several needs at once, as
// the start page shows them: the needs (those of ids the actor may see,
// in the order of ids) and their organisations are read in one query
// each, visibility is worked out once, and the work takes one of the
// client's slots of expensive work, not one per need.
func (s *Service) NeedMatchesOf(ctx context.Context, ids []int64, limit int) ([]*Result, error) {
	if limit <= 0 {
		limit = 10
	} else if limit > MaxLimit {
		return nil, arena.Invalid("limit", "err.limit", arena.F{"max": MaxLimit})
	}
	if len(ids) == 0 {
		return nil, nil
	}
	needs, err := s.DB.Needs.GetMany(ctx, ids)
	if err != nil {
		return nil, err
	}
	var orgIDs []int64
	for _, n := range needs {
		orgIDs = append(orgIDs, n.OrgID)
	}
	orgs, err := s.DB.Organizations.GetMany(arena.WithActor(ctx, arena.SystemActor()), orgIDs)
	if err != nil {
		return nil, err
	}
	keep, err := s.visibleIDs(ctx)
	if err != nil {
		return nil, err
	}
	var out []*Result
	err = s.limited(ctx, func() error {
		for _, id := range ids {
			need := needs[id]
			if need == nil || orgs[need.OrgID] == nil {
				continue
			}
			items, err := s.needMatches(ctx, need, orgs[need.OrgID], limit, keep)
			if err != nil {
				return err
			}
			out = append(out, &Result{NeedID: id, Kind: KindNeeds, Items: items})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) needMatches(ctx context.Context, need *arena.Need, org *arena.Organization, limit int, keep func(string) bool) ([]Item, error) {
	q := toNeed(&store.IndexedNeed{Need: *need, OrgKind: org.Kind})
	ix := s.Index()
	ms, err := ix.SimilarContext(ctx, q, limit, keep)
	if err != nil {
		return nil, err
	}
	// The matched needs, as the store lets the actor see them (its own
	// visibility check, again), and their organisations, in one query each.
	ids := make([]int64, 0, len(ms))
	for _, m := range ms {
		if round(m.Pair) >= ShowMatch {
			cid, _ := strconv.ParseInt(m.ID, 10, 64)
			ids = append(ids, cid)
		}
	}
	found, err := s.DB.Needs.GetMany(ctx, ids)
	if err != nil {
		return nil, err
	}
	orgIDs := make([]int64, 0, len(found))
	for _, c := range found {
		orgIDs = append(orgIDs, c.OrgID)
	}
	orgs, err := s.DB.Organizations.GetMany(arena.WithActor(ctx, arena.SystemActor()), orgIDs)
	if err != nil {
		return nil, err
	}
	items := make([]Item, 0, len(ms))
	ex := ix.Explainer(q)
	for _, m := range ms {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		score, alike := round(m.Score), round(m.Pair)
		if alike < ShowMatch {
			continue // not alike enough to show (ShowMatch): noise, not a match
		}
		cid, _ := strconv.ParseInt(m.ID, 10, 64)
		c := found[cid]
		if c == nil {
			continue
		}
		corg := orgs[c.OrgID]
		if corg == nil {
			return nil, arena.NotFound("organization")
		}
		it := Item{Type: "need", ID: c.ID, Title: c.Title, OrgID: corg.ID, OrgName: corg.Name, Score: score, Alike: alike, Strength: Strength(alike)}
		cm := toNeed(&store.IndexedNeed{Need: *c, OrgKind: corg.Kind})
		it.Reasons = s.needReasons(ex, cm, need, c, org, corg)
		items = append(items, it)
	}
	return items, nil
}

func round(x float64) float64 { return math.Round(x*1000) / 1000 }

// needReasons explains a need-to-need match: shared concepts, CPV, timing,
// kind of organisation and sector.
func (s *Service) needReasons(ex *match.Explainer, c *match.Need, qn, cn *arena.Need, qo, co *arena.Organization) []Reason {
	rs := []Reason{}
	if shared := ex.Explain(c, 6); len(shared) > 0 {
		rs = append(rs, s.conceptReason("reason.concepts", shared))
	}
	if rel := s.cpvRelation(qn.CPVCodes, cn.CPVCodes); rel != nil {
		key := "reason.cpv." + rel.Level
		if rel.NeedLabel != "" && rel.MatchLabel != "" {
			key += ".labelled" // the CPV list is loaded: the codes with their labels
		}
		rs = append(rs, Reason{Kind: "cpv", CPV: rel, Msg: arena.M(key, arena.F{
			"need_code": rel.NeedCode, "need_label": rel.NeedLabel, "match_code": rel.MatchCode, "match_label": rel.MatchLabel})})
	}
	if r, ok := timingReason(qn.PlannedDate, cn.PlannedDate); ok {
		rs = append(rs, r)
	}
	if qo.Kind == co.Kind {
		rs = append(rs, Reason{Kind: "organisation_kind", Msg: arena.M("reason.org_kind", arena.F{"kind": qo.Kind.Term()})})
	}
	if qn.Sector != "" && strings.EqualFold(qn.Sector, cn.Sector) {
		rs = append(rs, Reason{Kind: "sector", Msg: arena.M("reason.sector", arena.F{"sector": qn.Sector})})
	}
	return rs
}

// conceptReason is the reason of shared concepts, under key.
func (s *Service) conceptReason(key string, cs []match.SharedConcept) Reason {
	cs = s.realConcepts(cs)
	return Reason{Kind: "concepts", Concepts: cs, Msg: arena.M(key, arena.F{"concepts": conceptText(cs)})}
}

// realConcepts leaves out of cs the concepts whose words on both sides
// are too common to be a reason (ReasonStop: "ta", "fram"), unless every
// concept is such a word: then they are what the match shares, and stay.
func (s *Service) realConcepts(cs []match.SharedConcept) []match.SharedConcept {
	if len(s.ReasonStop) == 0 {
		return cs
	}
	var out []match.SharedConcept
	for _, c := range cs {
		if !s.ReasonStop[strings.ToLower(c.Need)] || !s.ReasonStop[strings.ToLower(c.Item)] {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return cs
	}
	return out
}

// conceptText writes shared concepts as "trygghetslarm, larm ~ larmmottagning".
func conceptText(cs []match.SharedConcept) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		if c.Need == c.Item {
			parts[i] = c.Need
		} else {
			parts[i] = c.Need + " ~ " + c.Item
		}
	}
	return strings.Join(parts, ", ")
}

// cpvRelation is the closest pair of codes, with labels when the CPV list
// is loaded.
func (s *Service) cpvRelation(a, b []string) *CPVRelation {
	link, ok, _ := match.RelateCPV(a, b)
	if !ok {
		return nil
	}
	ref := s.DB.Reference()
	label := func(code string) string {
		if c, ok := ref.LookupCPV(code); ok {
			return c.LabelSV
		}
		return ""
	}
	return &CPVRelation{Level: link.Level, NeedCode: link.A, NeedLabel: label(link.A), MatchCode: link.B, MatchLabel: label(link.B)}
}

// timingReason compares planned procurement dates by month.
func timingReason(a, b *arena.Date) (Reason, bool) {
	if a == nil || b == nil {
		return Reason{}, false
	}
	months := (a.Year()-b.Year())*12 + int(a.Month()) - int(b.Month())
	months = max(months, -months)
	f := arena.F{"months": months, "n": months, "a": arena.MonthOf(*a), "b": arena.MonthOf(*b)}
	key := "reason.timing.apart"
	switch {
	case months == 0:
		key = "reason.timing.same_month"
	case months <= 12:
		key = "reason.timing.within"
	}
	return Reason{Kind: "timing", Msg: arena.M(key, f)}, true
}

// Neighbour is another organisation's need like a given one.
type Neighbour struct {
	NeedID int64
	OrgID  int64
	Score  float64
}

// NeighboursOf returns the needs of other organisations most like need,
// those scoring at least min, at most limit, whatever their visibility:
// the caller tells of the match only the people the rules allow (reach).
// The index must hold need (Sync first).
func (s *Service) NeighboursOf(ctx context.Context, need *arena.Need, orgKind arena.OrgKind, limit int, min float64) ([]Neighbour, error) {
	q := toNeed(&store.IndexedNeed{Need: *need, OrgKind: orgKind})
	other := func(k string) bool {
		n := s.indexed(k)
		return n != nil && n.OrgID != need.OrgID
	}
	var ms []match.Match
	err := s.limited(ctx, func() error {
		var err error
		ms, err = s.Index().SimilarContext(ctx, q, limit, other)
		return err
	})
	if err != nil {
		return nil, err
	}
	var out []Neighbour
	for _, m := range ms {
		if score := round(m.Pair); score >= min {
			id, _ := strconv.ParseInt(m.ID, 10, 64)
			if n := s.indexed(m.ID); n != nil {
				out = append(out, Neighbour{NeedID: id, OrgID: n.OrgID, Score: score})
			}
		}
	}
	return out, nil
}
