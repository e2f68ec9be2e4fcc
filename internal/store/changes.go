package store

import (
	"context"
	"time"

	arena "github.com/arena-se/arena"
)

// Change is one row of the change log: a write to a record.
type Change struct {
	ID       int64
	Entity   string // the table: "needs", "organizations", …
	EntityID int64
	Op       string // create, update, delete, load
}

// ChangesSince returns changes with ids above after, oldest first.
func (db *DB) ChangesSince(ctx context.Context, after int64, limit int) ([]Change, error) {
	rows, err := db.query(ctx, "SELECT id, entity, entity_id, op FROM change_log WHERE id > ? ORDER BY id LIMIT ?", after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		if err := rows.Scan(&c.ID, &c.Entity, &c.EntityID, &c.Op); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// LastChange returns the id of the newest change, 0 when there is none.
func (db *DB) LastChange(ctx context.Context) (int64, error) {
	var id int64
	err := db.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM change_log").Scan(&id)
	return id, err
}

// PruneChanges deletes changes older than the given age; derived indexes
// only need the recent ones.
func (db *DB) PruneChanges(ctx context.Context, age time.Duration) error {
	return db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "DELETE FROM change_log WHERE at < ?", db.timeValue(db.Now().Add(-age)))
		return err
	})
}

// IndexedNeed is a need as the match index sees it: with its
// organisation's kind, whatever its visibility; of its fields, those the
// index and the rules of matching read (not the volume, the creator or
// the source). Only the index uses it;
// who may see a match is decided per query.
type IndexedNeed struct {
	arena.Need
	OrgKind arena.OrgKind
}

const indexedNeedSQL = "SELECT t.id, t.org_id, t.title, t.description, t.cpv_codes, t.sector, t.estimated_value_sek, t.planned_date, t.visibility, t.intent, t.updated_at, o.kind FROM needs t JOIN organizations o ON o.id = t.org_id"

func (db *DB) scanIndexed(ctx context.Context, q string, args []any, fn func(*IndexedNeed) error) error {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	m := mappingOf(reflectTypeOf(&arena.Need{}))
	for rows.Next() {
		n := &IndexedNeed{}
		rv := reflectValueOf(&n.Need)
		var kind string
		targets := []any{cell{rv, m.byCol["id"]}, cell{rv, m.byCol["org_id"]}, cell{rv, m.byCol["title"]}, cell{rv, m.byCol["description"]},
			cell{rv, m.byCol["cpv_codes"]}, cell{rv, m.byCol["sector"]}, cell{rv, m.byCol["estimated_value_sek"]}, cell{rv, m.byCol["planned_date"]},
			cell{rv, m.byCol["visibility"]}, cell{rv, m.byCol["intent"]}, cell{rv, m.byCol["updated_at"]}, &kind}
		if err := rows.Scan(targets...); err != nil {
			return err
		}
		n.OrgKind = arena.OrgKind(kind)
		if err := fn(n); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachNeedForIndex calls fn for every need, in id order.
func (db *DB) EachNeedForIndex(ctx context.Context, fn func(*IndexedNeed) error) error {
	return db.scanIndexed(ctx, indexedNeedSQL+" ORDER BY t.id", nil, fn)
}

// NeedForIndex returns one need for the index, or ENOTFOUND.
func (db *DB) NeedForIndex(ctx context.Context, id int64) (*IndexedNeed, error) {
	var out *IndexedNeed
	err := db.scanIndexed(ctx, indexedNeedSQL+" WHERE t.id = ?", []any{id}, func(n *IndexedNeed) error { out = n; return nil })
	if err == nil && out == nil {
		err = arena.NotFound("need")
	}
	return out, err
}

// NeedIDsOfOrg returns the ids of an organisation's needs.
func (db *DB) NeedIDsOfOrg(ctx context.Context, orgID int64) ([]int64, error) {
	return db.idList(ctx, "SELECT id FROM needs WHERE org_id = ?", orgID)
}

// NetworkPartners returns the organisations that share an active network
// with any of orgIDs: they may see each other's network-visible needs.
func (db *DB) NetworkPartners(ctx context.Context, orgIDs []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(orgIDs) == 0 {
		return out, nil
	}
	in, args := inList(orgIDs)
	return db.idSet(ctx, "SELECT DISTINCT mo.org_id FROM network_members mo JOIN network_members mu ON mu.network_id = mo.network_id "+
		"WHERE mo.status = 'active' AND mu.status = 'active' AND mu.org_id IN ("+in+")", args...)
}

// idList runs a query of one id column and returns the ids in its order.
func (db *DB) idList(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// idSet runs a query of one id column and returns the ids as a set.
func (db *DB) idSet(ctx context.Context, q string, args ...any) (map[int64]bool, error) {
	ids, err := db.idList(ctx, q, args...)
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// CountNeeds counts all needs, whatever their visibility, for the funnel.
func (db *DB) CountNeeds(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM needs").Scan(&n)
	return n, err
}

// OrgsWithNeedsSince returns the organisations that have a need the actor
// of ctx may see that was posted or changed after since.
func (db *DB) OrgsWithNeedsSince(ctx context.Context, since time.Time) (map[int64]bool, error) {
	pred, args := needVisibility(arena.ActorFrom(ctx))
	return db.idSet(ctx, "SELECT DISTINCT t.org_id FROM needs t WHERE t.updated_at > ? AND ("+pred+")", append([]any{db.timeValue(since)}, args...)...)
}
