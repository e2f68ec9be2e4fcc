package matching

import (
	"context"
	"fmt"
	"math"
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
	Type    string   `json:"type"` // need, call, project, deliverable, expert, network
	ID      int64    `json:"id"`
	Title   string   `json:"title"`
	OrgID   int64    `json:"org_id,omitempty"`
	OrgName string   `json:"org_name,omitempty"`
	Score   float64  `json:"score"`
	Reasons []Reason `json:"reasons"`
}

// Reason is one reason for a match, in Swedish and English, with the
// structured facts behind it.
type Reason struct {
	Kind     string                `json:"kind"` // concepts, cpv, timing, organisation_kind, sector, eligibility, deadline, network
	Text     string                `json:"text"`
	TextEN   string                `json:"text_en"`
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
// returned. The need's own organisation's needs are never returned.
func (s *Service) Matches(ctx context.Context, id int64, kind string, limit int, now time.Time) (*Result, error) {
	if limit <= 0 {
		limit = 10
	} else if limit > MaxLimit {
		return nil, arena.Invalid("limit", "limit must be at most %d", MaxLimit)
	}
	need, err := s.DB.Needs.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	org, err := s.orgOf(ctx, need.OrgID)
	if err != nil {
		return nil, err
	}
	res := &Result{NeedID: id, Kind: kind, Items: []Item{}}
	switch kind {
	case KindNeeds:
		res.Items, err = s.needMatches(ctx, need, org, limit)
	case KindCalls, KindProjects, KindExperts, KindNetworks:
		res.Items, err = s.itemMatches(ctx, need, org, kind, limit, now)
	default:
		return nil, arena.Invalid("kind", "kind must be one of %s", strings.Join(Kinds, ", "))
	}
	return res, err
}

func (s *Service) orgOf(ctx context.Context, id int64) (*arena.Organization, error) {
	return s.DB.Organizations.Get(arena.WithActor(ctx, arena.SystemActor()), id)
}

// visibleTo returns the filter of need ids the actor may see, mirroring the
// store's rule: public, own organisation, or network-visible and sharing an
// active network.
func (s *Service) visibleTo(ctx context.Context) (func(string) bool, error) {
	a := arena.ActorFrom(ctx)
	own := map[int64]bool{}
	for _, id := range a.OrgIDs() {
		own[id] = true
	}
	partners, err := s.DB.NetworkPartners(ctx, a.OrgIDs())
	if err != nil {
		return nil, err
	}
	return func(k string) bool {
		id, _ := strconv.ParseInt(k, 10, 64)
		s.mu.RLock()
		m, ok := s.meta[id]
		s.mu.RUnlock()
		if !ok {
			return false
		}
		switch {
		case m.visibility == arena.VisibilityPublic, own[m.org]:
			return true
		case m.visibility == arena.VisibilityNetwork:
			return partners[m.org]
		}
		return false
	}, nil
}

func (s *Service) needMatches(ctx context.Context, need *arena.Need, org *arena.Organization, limit int) ([]Item, error) {
	keep, err := s.visibleTo(ctx)
	if err != nil {
		return nil, err
	}
	q := toNeed(&store.IndexedNeed{Need: *need, OrgKind: org.Kind})
	ix := s.Index()
	ms := ix.Similar(q, limit, keep)
	items := make([]Item, 0, len(ms))
	for _, m := range ms {
		cid, _ := strconv.ParseInt(m.ID, 10, 64)
		c, err := s.DB.Needs.Get(ctx, cid) // the store's own visibility check, again
		if arena.ErrorCode(err) == arena.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		corg, err := s.orgOf(ctx, c.OrgID)
		if err != nil {
			return nil, err
		}
		it := Item{Type: "need", ID: c.ID, Title: c.Title, OrgID: corg.ID, OrgName: corg.Name, Score: round(m.Score)}
		cm := toNeed(&store.IndexedNeed{Need: *c, OrgKind: corg.Kind})
		it.Reasons = s.needReasons(ix, q, cm, need, c, org, corg)
		items = append(items, it)
	}
	return items, nil
}

func round(x float64) float64 { return math.Round(x*1000) / 1000 }

// needReasons explains a need-to-need match: shared concepts, CPV, timing,
// kind of organisation and sector.
func (s *Service) needReasons(ix *match.Index, q, c *match.Need, qn, cn *arena.Need, qo, co *arena.Organization) []Reason {
	var rs []Reason
	if shared := ix.Explain(q, c, 6); len(shared) > 0 {
		rs = append(rs, Reason{Kind: "concepts", Concepts: shared,
			Text:   "Gemensamma begrepp: " + conceptText(shared),
			TextEN: "Shared concepts: " + conceptText(shared)})
	}
	if rel := s.cpvRelation(qn.CPVCodes, cn.CPVCodes); rel != nil {
		sv, en := levelNames[rel.Level][0], levelNames[rel.Level][1]
		rs = append(rs, Reason{Kind: "cpv", CPV: rel,
			Text:   fmt.Sprintf("%s: %s %s och %s %s", sv, rel.NeedCode, quoteLabel(rel.NeedLabel), rel.MatchCode, quoteLabel(rel.MatchLabel)),
			TextEN: fmt.Sprintf("%s: %s and %s", en, rel.NeedCode, rel.MatchCode)})
	}
	if r, ok := timingReason(qn.PlannedDate, cn.PlannedDate); ok {
		rs = append(rs, r)
	}
	if qo.Kind == co.Kind {
		rs = append(rs, Reason{Kind: "organisation_kind", Text: "Samma slags organisation: " + kindSV[qo.Kind], TextEN: "Same kind of organisation: " + string(qo.Kind)})
	}
	if qn.Sector != "" && strings.EqualFold(qn.Sector, cn.Sector) {
		rs = append(rs, Reason{Kind: "sector", Text: "Samma sektor: " + qn.Sector, TextEN: "Same sector: " + qn.Sector})
	}
	return rs
}

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

func quoteLabel(l string) string {
	if l == "" {
		return ""
	}
	return "(" + l + ")"
}

var levelNames = map[string][2]string{
	"code":     {"Samma CPV-kod", "Same CPV code"},
	"category": {"Samma CPV-kategori", "Same CPV category"},
	"class":    {"Samma CPV-klass", "Same CPV class"},
	"group":    {"Samma CPV-grupp", "Same CPV group"},
	"division": {"Samma CPV-avdelning", "Same CPV division"},
}

var kindSV = map[arena.OrgKind]string{
	arena.OrgKommun: "kommun", arena.OrgRegion: "region", arena.OrgAgency: "statlig myndighet",
	arena.OrgKommunalforbund: "kommunalförbund", arena.OrgMunicipalCo: "kommunalt bolag",
	arena.OrgCentralPurchase: "inköpscentral", arena.OrgCompany: "företag",
	arena.OrgAcademia: "lärosäte eller institut", arena.OrgAssociation: "förening",
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

// timingReason compares planned procurement dates.
func timingReason(a, b *arena.Date) (Reason, bool) {
	if a == nil || b == nil {
		return Reason{}, false
	}
	months := int(math.Abs(float64((a.Year()-b.Year())*12 + int(a.Month()) - int(b.Month()))))
	when := fmt.Sprintf("%s och %s", a.Format("2006-01"), b.Format("2006-01"))
	whenEN := fmt.Sprintf("%s and %s", a.Format("2006-01"), b.Format("2006-01"))
	switch {
	case months == 0:
		return Reason{Kind: "timing", Text: "Planerar att upphandla samma månad: " + a.Format("2006-01"), TextEN: "Plan to procure in the same month: " + a.Format("2006-01")}, true
	case months <= 12:
		return Reason{Kind: "timing", Text: fmt.Sprintf("Planerade upphandlingar inom %d månader: %s", months, when), TextEN: fmt.Sprintf("Planned procurements within %d months: %s", months, whenEN)}, true
	}
	return Reason{Kind: "timing", Text: fmt.Sprintf("Planerade upphandlingar %d månader isär: %s", months, when), TextEN: fmt.Sprintf("Planned procurements %d months apart: %s", months, whenEN)}, true
}
