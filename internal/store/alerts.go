package store

import (
	"context"
	"encoding/json"

	arena "github.com/arena-se/arena"
)

// ReplaceAlerts stores the alerts of one computation in place of the last.
// An alert keeps its facts; its message follows from them when read.
func (db *DB) ReplaceAlerts(ctx context.Context, alerts []arena.Alert) error {
	now := db.timeValue(db.Now())
	return db.InTx(ctx, func(tx *Tx) error {
		// An alert a network did not have before is news to its people
		// (reach): an event per network and kind, in this transaction.
		type key struct {
			kind    string
			network int64
		}
		had := map[key]bool{}
		rs, err := tx.queryRows(ctx, "SELECT kind, network_id FROM alerts")
		if err != nil {
			return err
		}
		for rs.Next() {
			var k key
			if err := rs.Scan(&k.kind, &k.network); err != nil {
				rs.Close()
				return err
			}
			had[k] = true
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return err
		}
		for _, a := range alerts {
			k := key{a.Kind, a.NetworkID}
			if had[k] {
				continue
			}
			had[k] = true
			if _, err := tx.exec(ctx, "INSERT INTO events (kind, entity, entity_id, at, detail) VALUES (?, ?, ?, ?, ?)",
				string(arena.EventAlertRaised), "networks", a.NetworkID, now, a.Kind); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, "DELETE FROM alerts"); err != nil {
			return err
		}
		rows := make([][]any, len(alerts))
		for i, a := range alerts {
			var due any
			if a.Due != nil {
				due = a.Due.String()
			}
			ids, err := json.Marshal(orEmpty(a.OrgIDs))
			if err != nil {
				return err
			}
			names, err := json.Marshal(orEmpty(a.OrgNames))
			if err != nil {
				return err
			}
			rows[i] = []any{a.Kind, a.NetworkID, nullID(a.OrgID), nullID(a.CallID), due, string(ids), string(names), a.CallTitle, a.Days, now}
		}
		return tx.insertRows(ctx, "alerts", []string{"kind", "network_id", "org_id", "call_id", "due", "org_ids", "org_names", "call_title", "days", "computed_at"}, rows)
	})
}

func orEmpty[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// AlertFilter narrows the alerts listed.
type AlertFilter struct {
	NetworkID int64
	OrgID     int64 // alerts of networks the organisation is an active member, owner or coordinator of
	Kind      string
}

// Alerts lists the stored alerts the actor of ctx may see (a network's
// alerts are part of its inside: arena.CanSeeNetworkInside), by network
// and kind.
func (db *DB) Alerts(ctx context.Context, f AlertFilter) ([]arena.Alert, error) {
	inside, args := insidePredicate(arena.ActorFrom(ctx), "a.network_id")
	q := "SELECT a.kind, a.network_id, COALESCE(a.org_id, 0), COALESCE(a.call_id, 0), a.due, a.org_ids, a.org_names, a.call_title, a.days FROM alerts a WHERE (" + inside + ")"
	if f.NetworkID > 0 {
		q += " AND a.network_id = ?"
		args = append(args, f.NetworkID)
	}
	if f.Kind != "" {
		q += " AND a.kind = ?"
		args = append(args, f.Kind)
	}
	if f.OrgID > 0 {
		q += " AND (a.org_id = ? OR EXISTS (SELECT 1 FROM network_members m WHERE m.network_id = a.network_id AND m.org_id = ? AND m.status = 'active')" +
			" OR EXISTS (SELECT 1 FROM networks n WHERE n.id = a.network_id AND (n.owner_org_id = ? OR n.coordinator_org_id = ?)))"
		args = append(args, f.OrgID, f.OrgID, f.OrgID, f.OrgID)
	}
	rows, err := db.query(ctx, q+" ORDER BY a.network_id, a.kind, a.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []arena.Alert{}
	for rows.Next() {
		var a arena.Alert
		var due *string
		var ids, names string
		if err := rows.Scan(&a.Kind, &a.NetworkID, &a.OrgID, &a.CallID, &due, &ids, &names, &a.CallTitle, &a.Days); err != nil {
			return nil, err
		}
		if due != nil {
			d, err := arena.ParseDate(*due)
			if err == nil {
				a.Due = &d
			}
		}
		if err := json.Unmarshal([]byte(ids), &a.OrgIDs); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(names), &a.OrgNames); err != nil {
			return nil, err
		}
		a.Msg = a.Message()
		out = append(out, a)
	}
	return out, rows.Err()
}
