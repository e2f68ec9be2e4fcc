package seed

import (
	"context"
	"fmt"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
)

// ReportSeed names the seed of the report's data in seed_runs.
const ReportSeed = "report-2022"

// ApplyReport stores the report's organisations, funders, networks, calls,
// projects and experts in one transaction, once: a database that has it
// already is left as it is. It reports whether it wrote anything.
func ApplyReport(ctx context.Context, db *store.DB) (bool, error) {
	r, err := LoadReport()
	if err != nil {
		return false, err
	}
	ctx = arena.WithActor(ctx, arena.SystemActor())
	applied := false
	err = db.InTx(ctx, func(tx *store.Tx) error {
		fresh, err := tx.MarkSeed(ctx, ReportSeed)
		if err != nil || !fresh {
			return err
		}
		applied = true
		return r.apply(ctx, db, tx)
	})
	if !applied || err != nil {
		return false, err
	}
	return true, nil
}

func (r *Report) apply(ctx context.Context, db *store.DB, tx *store.Tx) error {
	orgs := map[string]int64{}
	idOf := func(m map[string]int64, key string) *int64 {
		if key == "" {
			return nil
		}
		id := m[key]
		return &id
	}
	for _, o := range r.Organizations {
		v := o.Arena()
		if err := db.Organizations.CreateTx(ctx, tx, &v); err != nil {
			return fmt.Errorf("organisation %s: %w", o.Key, err)
		}
		orgs[o.Key] = v.ID
	}
	funders := map[string]int64{}
	for _, f := range r.Funders {
		v := f.Arena(idOf(orgs, f.Org))
		if err := db.Funders.CreateTx(ctx, tx, &v); err != nil {
			return fmt.Errorf("funder %s: %w", f.Key, err)
		}
		funders[f.Key] = v.ID
	}
	calls := map[string]int64{}
	for _, c := range r.Calls {
		v := c.Arena(funders[c.Funder])
		if err := db.Calls.CreateTx(ctx, tx, &v); err != nil {
			return fmt.Errorf("call %s: %w", c.Key, err)
		}
		calls[c.Key] = v.ID
	}
	networks := map[string]int64{}
	// Parents first: a sub-group names a network stored before it.
	pending := append([]Network(nil), r.Networks...)
	for len(pending) > 0 {
		var next []Network
		for _, n := range pending {
			if n.Parent != "" && networks[n.Parent] == 0 {
				next = append(next, n)
				continue
			}
			v := n.Arena(idOf(networks, n.Parent), idOf(orgs, n.Owner), idOf(orgs, n.Coordinator))
			if err := db.Networks.CreateTx(ctx, tx, &v); err != nil {
				return fmt.Errorf("network %s: %w", n.Key, err)
			}
			networks[n.Key] = v.ID
			for _, m := range n.Members {
				mv := m.Arena(v.ID, orgs[m.Org])
				if err := db.NetworkMembers.CreateTx(ctx, tx, &mv); err != nil {
					return fmt.Errorf("network %s member %s: %w", n.Key, m.Org, err)
				}
			}
			for _, p := range n.FundingPeriods {
				pv := p.Arena(v.ID, idOf(funders, p.Funder))
				if err := db.FundingPeriods.CreateTx(ctx, tx, &pv); err != nil {
					return fmt.Errorf("network %s funding: %w", n.Key, err)
				}
			}
		}
		if len(next) == len(pending) {
			return fmt.Errorf("networks with unknown parents: %v", next[0].Key)
		}
		pending = next
	}
	for _, p := range r.Projects {
		v := p.Arena(idOf(funders, p.Funder), idOf(calls, p.Call), idOf(orgs, p.Coordinator))
		if err := db.Projects.CreateTx(ctx, tx, &v); err != nil {
			return fmt.Errorf("project %s: %w", p.Key, err)
		}
	}
	for _, e := range r.Experts {
		v := e.Arena(idOf(orgs, e.Org))
		if err := db.Experts.CreateTx(ctx, tx, &v); err != nil {
			return fmt.Errorf("expert %s: %w", e.Key, err)
		}
	}
	return nil
}
