package store

import (
	"context"

	arena "github.com/arena-se/arena"
)

// NeedSources maps the sources (arena.Need.Source) of an organisation's
// imported needs to their ids, for those that start with prefix: what an
// import already brought in and will not bring again. It answers those who
// may import for the organisation (arena.CanImportNeeds).
func (db *DB) NeedSources(ctx context.Context, orgID int64, prefix string) (map[string]int64, error) {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := arena.CanImportNeeds(a, orgID); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, "SELECT source, id FROM needs WHERE org_id = ? AND source <> '' AND substr(source, 1, ?) = ?", orgID, len(prefix), prefix)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var s string
		var id int64
		if err := rows.Scan(&s, &id); err != nil {
			return nil, err
		}
		out[s] = id
	}
	return out, rows.Err()
}

// ImportedDrafts counts the organisation's imported needs that are still
// drafts: what "publish all" would publish. It answers those who may
// import for the organisation.
func (db *DB) ImportedDrafts(ctx context.Context, orgID int64) (int, error) {
	if err := db.canImport(ctx, orgID); err != nil {
		return 0, err
	}
	var n int
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM needs WHERE org_id = ? AND source <> '' AND visibility = ?", orgID, string(arena.VisibilityDraft)).Scan(&n)
	return n, err
}
