package store

import (
	"context"
	"database/sql"
	"errors"

	arena "github.com/arena-se/arena"
)

// cpvSubtree matches a JSON array of CPV codes holding a code under v
// (arena.CPVSubtree): a code's filter takes its whole subtree.
func cpvSubtree(col string) filter {
	return func(_ *DB, v string) (string, []any, error) {
		p, err := arena.CPVSubtree(v)
		if err != nil {
			return "", nil, arena.Invalid("cpv", "err.cpv.form", arena.F{"code": v})
		}
		return "t." + col + " LIKE ?", []any{`%"` + p + `%`}, nil
	}
}

// ofOrg matches the records whose organisation (org_id) fits the value:
// "lan" takes a län's two digits and matches every kommun in it as well
// as its region, "kommun" four digits, "org_kind" a kind. The codes' form
// is the domain's (arena.ValidSCBCode).
func ofOrg(name string) filter {
	return func(_ *DB, v string) (string, []any, error) {
		var pred string
		var arg any = v
		switch name {
		case "lan":
			if !arena.ValidSCBCode(arena.OrgRegion, v) {
				return "", nil, arena.Invalid(name, "err.scb_code.lan", arena.F{"value": v})
			}
			pred, arg = "o.scb_code LIKE ?", v+"%"
		case "kommun":
			if !arena.ValidSCBCode(arena.OrgKommun, v) {
				return "", nil, arena.Invalid(name, "err.scb_code.kommun", arena.F{"value": v})
			}
			pred = "o.scb_code = ?"
		case "org_kind":
			k, ok := arena.ParseOrgKind(v)
			if !ok {
				return "", nil, arena.Invalid(name, "err.choice", arena.F{"value": v, "choices": arena.Choices(enumStrings(arena.OrgKinds))})
			}
			pred, arg = "o.kind = ?", string(k)
		}
		return "t.org_id IN (SELECT o.id FROM organizations o WHERE " + pred + ")", []any{arg}, nil
	}
}

// Watched reports whether the register of target lists the record id to
// the actor of ctx under filters: what a watch with them catches. Id 0
// only checks the filters (an unknown filter or a bad value is EINVALID
// naming it).
func (db *DB) Watched(ctx context.Context, target arena.WatchTarget, id int64, filters map[string]string) (bool, error) {
	switch target {
	case arena.WatchNeeds:
		return listed(ctx, db.Needs, id, filters)
	case arena.WatchCalls:
		return listed(ctx, db.Calls, id, filters)
	case arena.WatchProjects:
		return listed(ctx, db.Projects, id, filters)
	case arena.WatchNetworks:
		return listed(ctx, db.Networks, id, filters)
	case arena.WatchDialogues:
		return listed(ctx, db.Dialogues, id, filters)
	}
	return false, arena.Invalid("target", "err.choice", arena.F{"value": string(target), "choices": arena.Choices(enumStrings(arena.WatchTargets))})
}

func listed[T any](ctx context.Context, e *Entity[T], id int64, filters map[string]string) (bool, error) {
	where, args, err := e.where(ctx, filters)
	if err != nil || id == 0 {
		return false, err
	}
	var n int
	err = e.db.queryRow(ctx, "SELECT COUNT(*) FROM "+e.Table+" t WHERE t.id = ? AND "+where, append([]any{id}, args...)...).Scan(&n)
	return n > 0, err
}

// ActiveWatches returns the watches on target that are not paused, of
// every person (the platform's read, to tell of what is new).
func (db *DB) ActiveWatches(ctx context.Context, target arena.WatchTarget) ([]*arena.Watch, error) {
	return allRead(ctx, db.Watches, "t.target = ? AND t.paused = ?", string(target), false)
}

// SetCalendarFeed stores the hash of the user's new calendar secret
// (auth.NewToken); the old address, if any, answers nothing from now on.
func (db *DB) SetCalendarFeed(ctx context.Context, userID int64, hash string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES (?, ?, ?) "+
			"ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
			userID, hash, db.timeValue(db.Now().UTC()))
		return err
	})
}

// CalendarFeedUser is the user whose calendar secret has the hash; found
// is false for an unknown or replaced one.
func (db *DB) CalendarFeedUser(ctx context.Context, hash string) (userID int64, found bool, err error) {
	err = db.queryRow(ctx, "SELECT user_id FROM calendar_feeds WHERE token_hash = ?", hash).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return userID, err == nil, err
}

// HasCalendarFeed reports whether the user has a calendar address.
func (db *DB) HasCalendarFeed(ctx context.Context, userID int64) (bool, error) {
	var n int
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM calendar_feeds WHERE user_id = ?", userID).Scan(&n)
	return n > 0, err
}

// RecordEventOnce records an event that is to happen once per record (a
// call's reminder): a second one, from this or another instance, is not
// written. recorded is whether this call wrote it.
func (db *DB) RecordEventOnce(ctx context.Context, kind arena.EventKind, table string, id int64) (recorded bool, err error) {
	err = db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, "INSERT INTO events (kind, entity, entity_id, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
			string(kind), table, id, db.timeValue(db.Now()))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		recorded = n == 1
		return nil
	})
	return recorded, err
}

// TakingPart returns the organisations that take part in the arena: with
// a need others may see, or active in a network.
func (db *DB) TakingPart(ctx context.Context) (map[int64]bool, error) {
	return db.idSet(ctx, "SELECT org_id FROM needs WHERE visibility IN ('public', 'network') "+
		"UNION SELECT org_id FROM network_members WHERE status = 'active'")
}
