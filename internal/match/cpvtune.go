package match

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/arena-se/arena/internal/match/eval"
)

// Measuring and tuning CPV suggestion on the development set: the quality
// test guards a floor, `arena-bench cpv`, `cpv-misses`, `cpv-sweep` and
// `cpv-tune` report and fit.

// CPVDevSet is the development set ready for CPV suggestion: its needs
// indexed (to vote) and, for each need with codes, the groups (first three
// digits) of its codes.
type CPVDevSet struct {
	recs []eval.Record
	s    *CPVSuggester
	ix   *Index
	want map[string]map[string]bool // id → groups of its codes
}

// NewCPVDevSet indexes the records with the suggester's analyzer.
func NewCPVDevSet(recs []eval.Record, s *CPVSuggester) *CPVDevSet {
	d := &CPVDevSet{recs: recs, s: s, ix: RecordIndex(s.an, recs), want: map[string]map[string]bool{}}
	for _, r := range recs {
		for _, c := range RecordNeed(r).CPV {
			if d.want[r.ID] == nil {
				d.want[r.ID] = map[string]bool{}
			}
			d.want[r.ID][c[:3]] = true
		}
	}
	return d
}

// Needs returns how many needs of the set have CPV codes.
func (d *CPVDevSet) Needs() int { return len(d.want) }

// cpvHit reports whether suggestions contain one of the wanted groups.
func cpvHit(got []CPVSuggestion, want map[string]bool) bool {
	return slices.ContainsFunc(got, func(g CPVSuggestion) bool { return want[g.Code[:3]] })
}

// CPVMiss is a need whose five suggestions have none of its codes' groups.
type CPVMiss struct {
	Record eval.Record
	Got    []CPVSuggestion
}

// GroupAt5 is the share of the needs with codes whose five suggestions
// contain one of their groups, with the misses. With the index the other
// organisations' needs vote (leave-one-out: neither the need nor its
// organisation votes), as in the product.
func (d *CPVDevSet) GroupAt5(withIndex bool) (float64, []CPVMiss) {
	var hits, n int
	var misses []CPVMiss
	for _, r := range d.recs {
		if d.want[r.ID] == nil {
			continue
		}
		var ix *Index
		if withIndex {
			ix = d.ix
		}
		got, _ := d.s.Suggest(context.Background(), r.Title, r.Description, ix, r.ID, r.Org, nil, 5) // never ends, so no error
		n++
		if cpvHit(got, d.want[r.ID]) {
			hits++
		} else {
			misses = append(misses, CPVMiss{Record: r, Got: got})
		}
	}
	if n == 0 {
		return 0, nil
	}
	return float64(hits) / float64(n), misses
}

// folds deals the needs with codes into k folds: the needs of a cluster
// together (eval.Folds), the others round-robin by id.
func (d *CPVDevSet) folds(k int) []map[string]bool {
	folds := make([]map[string]bool, k)
	for i := range folds {
		folds[i] = map[string]bool{}
	}
	fold := map[string]int{}
	for i, labels := range eval.Folds(d.recs, k) {
		for _, l := range labels {
			fold[l] = i
		}
	}
	var loose []string
	for _, r := range d.recs {
		if d.want[r.ID] == nil {
			continue
		}
		if r.Cluster != "" {
			folds[fold[r.Cluster]][r.ID] = true
		} else {
			loose = append(loose, r.ID)
		}
	}
	slices.Sort(loose)
	for i, id := range loose {
		folds[i%k][id] = true
	}
	return folds
}

// CPVTuner scores settings of the suggester's knobs quickly: the similar
// needs of every need are found once.
type CPVTuner struct {
	d   *CPVDevSet
	sim map[string][]Match
}

// NewCPVTuner finds the similar needs of every need with codes.
func NewCPVTuner(d *CPVDevSet) *CPVTuner {
	tu := &CPVTuner{d: d, sim: map[string][]Match{}}
	for _, r := range d.recs {
		if d.want[r.ID] != nil {
			// as Suggest asks: without the topics
			tu.sim[r.ID], _ = d.ix.similar(context.Background(), &Need{ID: r.ID, Org: r.Org, Title: r.Title, Description: r.Description}, 40, nil, false)
		}
	}
	return tu
}

// score is group@5 over the needs in only (all when nil) under p, as
// GroupAt5 measures it.
func (tu *CPVTuner) score(p cpvParams, only map[string]bool, withIndex bool) float64 {
	s := *tu.d.s
	s.p = p
	var hits, n int
	for _, r := range tu.d.recs {
		if tu.d.want[r.ID] == nil || (only != nil && !only[r.ID]) {
			continue
		}
		var ms []Match
		if withIndex {
			ms = tu.sim[r.ID]
			if n := max(p.KNN, p.VoteRank); len(ms) > n {
				ms = ms[:n]
			}
		}
		n++
		if cpvHit(s.suggest(s.analyse(r.Title, r.Description), ms, 5), tu.d.want[r.ID]) {
			hits++
		}
	}
	return float64(hits) / float64(max(n, 1))
}

// Default returns group@5 of the default knobs, from labels only and with
// the index.
func (tu *CPVTuner) Default() (labels, index float64) {
	return tu.score(defaultCPVParams, nil, false), tu.score(defaultCPVParams, nil, true)
}

// cpvKnob is one tunable parameter with the values tried.
type cpvKnob struct {
	name   string
	values []float64
	set    func(p *cpvParams, x float64)
}

var cpvKnobs = []cpvKnob{
	{"Title", []float64{0.5, 1, 2, 3, 5}, func(p *cpvParams, x float64) { p.Title = x }},
	{"TitleHead", []float64{0, 0.5, 1, 2, 3}, func(p *cpvParams, x float64) { p.TitleHead = x }},
	{"Specific", []float64{0, 0.5, 1, 2, 3}, func(p *cpvParams, x float64) { p.Specific = x }},
	{"EN", []float64{0, 0.05, 0.1, 0.2}, func(p *cpvParams, x float64) { p.EN = x }},
	{"Parts", []float64{0, 0.3, 0.6, 0.8}, func(p *cpvParams, x float64) { p.Parts = x }},
	{"Modifier", []float64{0.1, 0.25, 0.4, 0.7}, func(p *cpvParams, x float64) { p.Modifier = x }},
	{"HeadPart", []float64{0.5, 1, 1.5, 2, 3}, func(p *cpvParams, x float64) { p.HeadPart = x }},
	{"Head", []float64{0.3, 0.5, 0.8, 1}, func(p *cpvParams, x float64) { p.Head = x }},
	{"Sub", []float64{0, 0.25, 0.5, 0.8}, func(p *cpvParams, x float64) { p.Sub = x }},
	{"Affix", []float64{0, 0.2, 0.4, 0.6}, func(p *cpvParams, x float64) { p.Affix = x }},
	{"Alpha", []float64{0.25, 0.5, 0.75, 1}, func(p *cpvParams, x float64) { p.Alpha = x }},
	{"GramW", []float64{0, 0.15, 0.3, 0.6, 1}, func(p *cpvParams, x float64) { p.GramW = x }},
	{"GroupW", []float64{0, 0.1, 0.3, 0.6, 1}, func(p *cpvParams, x float64) { p.GroupW = x }},
	{"GroupMu", []float64{300, 1000, 3000, 10000}, func(p *cpvParams, x float64) { p.GroupMu = x }},
	{"GroupT", []float64{0.5, 1, 2, 4, 8}, func(p *cpvParams, x float64) { p.GroupT = x }},
	{"Division", []float64{0, 0.25, 0.5, 1, 2}, func(p *cpvParams, x float64) { p.Division = x }},
	{"Ancestor", []float64{0, 0.15, 0.3, 0.5}, func(p *cpvParams, x float64) { p.Ancestor = x }},
	{"Child", []float64{0, 0.25, 0.5, 1, 2}, func(p *cpvParams, x float64) { p.Child = x }},
	{"ChildN", []float64{1, 2, 3, 5, 10}, func(p *cpvParams, x float64) { p.ChildN = int(x) }},
	{"LevelDiv", []float64{0.6, 0.8, 1, 1.2}, func(p *cpvParams, x float64) { p.Level[1] = x }},
	{"LevelGroup", []float64{0.7, 0.9, 1, 1.1}, func(p *cpvParams, x float64) { p.Level[2] = x }},
	{"LevelFine", []float64{0.6, 0.8, 0.9, 1}, func(p *cpvParams, x float64) {
		p.Level[5], p.Level[6], p.Level[7] = x, x*x, x*x*x
	}},
	{"KNN", []float64{5, 10, 20, 40}, func(p *cpvParams, x float64) { p.KNN = int(x) }},
	{"Vote", []float64{0.25, 0.5, 1, 2, 4}, func(p *cpvParams, x float64) { p.Vote = x }},
	{"VoteGroup", []float64{0, 0.5, 1, 2}, func(p *cpvParams, x float64) { p.VoteGroup = x }},
	{"VoteRank", []float64{5, 10, 20, 40}, func(p *cpvParams, x float64) { p.VoteRank = int(x) }},
	{"VoteFloor", []float64{0.8, 1, 1.2, 1.5, 2}, func(p *cpvParams, x float64) { p.VoteFloor = x }},
	{"VotePow", []float64{0.5, 0.75, 1, 1.5}, func(p *cpvParams, x float64) { p.VotePow = x }},
	{"VoteBase", []float64{0, 0.25, 0.5, 0.75, 1}, func(p *cpvParams, x float64) { p.VoteBase = x }},
	{"PerGroup", []float64{1, 2}, func(p *cpvParams, x float64) { p.PerGroup = int(x) }},
}

// CPVKnobs names the suggester's tunable knobs.
func CPVKnobs() []string {
	names := make([]string, len(cpvKnobs))
	for i, k := range cpvKnobs {
		names[i] = k.name
	}
	return names
}

// CPVSetting is group@5 under one setting of the knobs.
type CPVSetting struct {
	Setting string // the knobs changed from the defaults, "Knob=value …"
	Labels  float64
	Index   float64
}

// Sweep scores each value of each knob, the others at their defaults
// (exploration; Tune makes the choice).
func (tu *CPVTuner) Sweep() [][]CPVSetting {
	out := make([][]CPVSetting, len(cpvKnobs))
	for i, k := range cpvKnobs {
		out[i] = make([]CPVSetting, len(k.values))
		var wg sync.WaitGroup
		for j, x := range k.values {
			wg.Go(func() {
				p := defaultCPVParams
				k.set(&p, x)
				out[i][j] = CPVSetting{fmt.Sprintf("%s=%g", k.name, x), tu.score(p, nil, false), tu.score(p, nil, true)}
			})
		}
		wg.Wait()
	}
	return out
}

// tune improves p knob by knob, over the knobs given, on the needs in
// train (coordinate ascent, two passes), maximising group@5 with the index
// plus half of it without.
func (tu *CPVTuner) tune(p cpvParams, train map[string]bool, knobs []cpvKnob) (cpvParams, float64) {
	obj := func(p cpvParams) float64 {
		return tu.score(p, train, true) + 0.5*tu.score(p, train, false)
	}
	best := obj(p)
	for range 2 {
		changed := false
		for _, k := range knobs {
			res := make([]float64, len(k.values))
			var wg sync.WaitGroup
			for j, x := range k.values {
				wg.Go(func() {
					q := p
					k.set(&q, x)
					res[j] = obj(q)
				})
			}
			wg.Wait()
			for j, x := range k.values {
				if res[j] > best+1e-9 {
					best = res[j]
					k.set(&p, x)
					changed = true
				}
			}
		}
		if !changed {
			break
		}
	}
	return p, best
}

// CPVFold is one fold of the cross-validation: the objective on the
// training needs and group@5 on the held-out ones, with the knobs fitted.
type CPVFold struct {
	TrainObjective float64
	Index, Labels  float64
	Needs          int
	Knobs          string
}

// CPVFit is what Tune found.
type CPVFit struct {
	Folds         []CPVFold
	Index, Labels float64 // held out, over every fold
	// AllObjective and AllKnobs are the fit on every need.
	AllObjective float64
	AllKnobs     string
}

// Tune fits the knobs named (all when none are) in grouped k-fold
// cross-validation, from the defaults, and then on every need. Fitting one
// knob alone tells whether its value transfers to needs it was not chosen
// on: with the others at their defaults, its held-out figure against the
// defaults' own (which no fold fits) is its effect on unseen needs.
func (tu *CPVTuner) Tune(k int, names ...string) (CPVFit, error) {
	knobs, err := knobsNamed(names)
	if err != nil {
		return CPVFit{}, err
	}
	var fit CPVFit
	folds := tu.d.folds(k)
	n := 0
	for i, test := range folds {
		train := map[string]bool{}
		for j, f := range folds {
			if j != i {
				for id := range f {
					train[id] = true
				}
			}
		}
		p, obj := tu.tune(defaultCPVParams, train, knobs)
		f := CPVFold{TrainObjective: obj, Index: tu.score(p, test, true), Labels: tu.score(p, test, false), Needs: len(test), Knobs: fmt.Sprintf("%+v", p)}
		fit.Folds = append(fit.Folds, f)
		fit.Index += f.Index * float64(f.Needs)
		fit.Labels += f.Labels * float64(f.Needs)
		n += f.Needs
	}
	fit.Index /= float64(max(n, 1))
	fit.Labels /= float64(max(n, 1))
	p, obj := tu.tune(defaultCPVParams, nil, knobs)
	fit.AllObjective, fit.AllKnobs = obj, fmt.Sprintf("%+v", p)
	return fit, nil
}

// knobsNamed returns the knobs with the names, every knob when none are
// given.
func knobsNamed(names []string) ([]cpvKnob, error) {
	if len(names) == 0 {
		return cpvKnobs, nil
	}
	var knobs []cpvKnob
	for _, n := range names {
		i := slices.IndexFunc(cpvKnobs, func(k cpvKnob) bool { return k.name == n })
		if i < 0 {
			return nil, fmt.Errorf("no knob %q (knobs: %v)", n, CPVKnobs())
		}
		knobs = append(knobs, cpvKnobs[i])
	}
	return knobs, nil
}

// Grid scores the full grid of the named knobs, the others at their
// defaults, best (with the index) first.
func (tu *CPVTuner) Grid(names []string) ([]CPVSetting, error) {
	if len(names) == 0 {
		return nil, fmt.Errorf("no knobs named (knobs: %v)", CPVKnobs())
	}
	knobs, err := knobsNamed(names)
	if err != nil {
		return nil, err
	}
	var cells []CPVSetting
	var ps []cpvParams
	var walk func(i int, p cpvParams, desc string)
	walk = func(i int, p cpvParams, desc string) {
		if i == len(knobs) {
			cells = append(cells, CPVSetting{Setting: desc})
			ps = append(ps, p)
			return
		}
		for _, x := range knobs[i].values {
			q := p
			knobs[i].set(&q, x)
			sep := " "
			if desc == "" {
				sep = ""
			}
			walk(i+1, q, fmt.Sprintf("%s%s%s=%g", desc, sep, knobs[i].name, x))
		}
	}
	walk(0, defaultCPVParams, "")
	var wg sync.WaitGroup
	sem := make(chan bool, 2)
	for i := range cells {
		sem <- true
		wg.Go(func() {
			cells[i].Index = tu.score(ps[i], nil, true)
			cells[i].Labels = tu.score(ps[i], nil, false)
			<-sem
		})
	}
	wg.Wait()
	slices.SortStableFunc(cells, func(a, b CPVSetting) int { return cmp.Compare(b.Index, a.Index) })
	return cells, nil
}
