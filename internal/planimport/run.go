package planimport

import (
	"context"
	"errors"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
)

// Options of an import.
type Options struct {
	DryRun  bool // check every row and write nothing
	Partial bool // write the good rows even when some are bad (by default one bad row writes nothing)
	// Progress, when set, is told how many of the rows have been checked or
	// written, every hundred rows and at the end.
	Progress func(done, total int)
	// NewOrg, when set, is an organisation new to Arena that the rows are
	// needs of: registered in the import's transaction, by a system actor
	// only (the command line importing a notice of a buyer not yet here).
	NewOrg *arena.Organization
}

// Report is what an import did, or in a dry run would do.
type Report struct {
	Rows     int        `json:"rows"`     // rows of the plan with text in them
	Created  int        `json:"created"`  // needs written (in a dry run: that would be)
	Existing int        `json:"existing"` // rows imported before, left alone
	Errors   []RowError `json:"errors"`
	DryRun   bool       `json:"dry_run"`
	Written  bool       `json:"written"` // whether anything was written
	IDs      []int64    `json:"ids,omitempty"`
}

// OK tells whether every row was good.
func (r *Report) OK() bool { return len(r.Errors) == 0 }

var errRollBack = errors.New("planimport: roll back")

// Rows is Import for rows already made needs (by Table.Needs or another
// reader, such as the notices' lots): the rows whose source the
// organisation already has are left alone; the others are written in one
// transaction as the actor of ctx, each checked by the store's rules of a
// need. column names the column of a field for an error, and errs are the
// rows the reader could not read.
func Rows(ctx context.Context, db *store.DB, orgID int64, rows []Row, errs []RowError, column func(field string) string, opt Options) (*Report, error) {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	have := map[string]int64{}
	if opt.NewOrg != nil {
		if !a.System {
			return nil, arena.Forbidden("err.forbidden.import")
		}
	} else {
		if err := arena.CanImportNeeds(a, orgID); err != nil {
			return nil, err
		}
		prefix := ""
		if len(rows) > 0 {
			prefix, _, _ = strings.Cut(rows[0].Need.Source, ":")
		}
		if have, err = db.NeedSources(ctx, orgID, prefix+":"); err != nil {
			return nil, err
		}
	}
	rep := &Report{Rows: len(rows) + len(errs), Errors: append([]RowError{}, errs...), DryRun: opt.DryRun}
	total := len(rows)
	progress := func(done int) {
		if opt.Progress != nil && (done%100 == 0 || done == total) {
			opt.Progress(done, total)
		}
	}
	var ids []int64
	err = db.InTx(ctx, func(tx *store.Tx) error {
		if opt.NewOrg != nil {
			if err := db.Organizations.CreateTx(ctx, tx, opt.NewOrg); err != nil {
				return err
			}
			orgID = opt.NewOrg.ID
		}
		for i := range rows {
			if err := ctx.Err(); err != nil {
				return err
			}
			r := &rows[i]
			if _, ok := have[r.Need.Source]; ok {
				rep.Existing++
				progress(i + 1)
				continue
			}
			n := r.Need
			n.OrgID, n.Visibility = orgID, arena.VisibilityDraft
			if err := db.Needs.CreateTx(ctx, tx, &n); err != nil {
				var ae *arena.Error
				if !errors.As(err, &ae) || ae.Code == arena.EINTERNAL || ae.Code == arena.EUNAVAILABLE {
					return err
				}
				col := ""
				if ae.Field != "" {
					col = column(ae.Field)
				}
				rep.Errors = append(rep.Errors, rowError(r.Number, col, ae))
			} else {
				ids = append(ids, n.ID)
			}
			progress(i + 1)
		}
		if opt.DryRun || (len(rep.Errors) > 0 && !opt.Partial) || len(ids) == 0 {
			return errRollBack
		}
		return nil
	})
	if err != nil && !errors.Is(err, errRollBack) {
		return nil, err
	}
	rep.Created = len(ids)
	if err == nil {
		rep.Written, rep.IDs = true, ids
	} else if !opt.DryRun && len(rep.Errors) > 0 && !opt.Partial {
		rep.Created = 0
	}
	return rep, nil
}

// Import imports a plan's table by the mapping as draft needs of orgID.
func Import(ctx context.Context, db *store.DB, orgID int64, t *Table, m Mapping, opt Options) (*Report, error) {
	if err := m.Check(); err != nil {
		return nil, err
	}
	rows, errs := t.Needs(m, orgID)
	return Rows(ctx, db, orgID, rows, errs, func(field string) string { return m.Column(t.Header, Field(field)) }, opt)
}

// Publish makes the imported drafts of an organisation public: those
// whose source starts with prefix ("plan:", "eforms:" or "" for both),
// each through the store, so each is checked as any change of a need is.
// It returns how many it published; one that fails stops it, and those
// before it stay published.
func Publish(ctx context.Context, db *store.DB, orgID int64, prefix string) (int, error) {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return 0, err
	}
	if err := arena.CanImportNeeds(a, orgID); err != nil {
		return 0, err
	}
	srcs, err := db.NeedSources(ctx, orgID, prefix)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range srcs {
		// The actor may import for the organisation (NeedSources asked
		// CanImportNeeds), so it may read its drafts; the command line's
		// system actor sees no drafts through the visibility rule.
		need, err := db.Needs.GetUnchecked(ctx, id)
		if err != nil {
			return n, err
		}
		if need.Shared() {
			continue
		}
		need.Visibility = arena.VisibilityPublic
		if err := db.Needs.Update(ctx, need, need.Version); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
