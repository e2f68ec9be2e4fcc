package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"

	arena "github.com/arena-se/arena"
)

// Event is a recorded event (arena.EventKind) not yet turned into
// notifications.
type Event struct {
	ID       int64
	Kind     arena.EventKind
	Entity   string // the table of the record it is about
	EntityID int64
	ByUserID int64 // who made it happen; 0 for the platform
	At       time.Time
	Detail   string // what else it names (a network alert's kind)
}

// PendingEvents returns the oldest events not yet processed.
func (db *DB) PendingEvents(ctx context.Context, limit int) ([]Event, error) {
	rows, err := db.read.QueryContext(ctx, db.rebind("SELECT id, kind, entity, entity_id, COALESCE(by_user_id, 0), at, detail FROM events WHERE processed_at IS NULL ORDER BY id LIMIT ?"), limit)
	if err != nil {
		return nil, err
	}
	return scanEvents(rows)
}

// scanEvents reads the events of rows and closes them.
func scanEvents(rows *sql.Rows) ([]Event, error) {
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var at any
		err := rows.Scan(&e.ID, &e.Kind, &e.Entity, &e.EntityID, &e.ByUserID, &at, &e.Detail)
		if err != nil {
			return nil, err
		}
		if e.At, err = scanTime(at); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ClaimEvents takes up to limit of the oldest pending events for lease:
// no other instance takes them until it lapses, so with several instances
// on one database each event is worked out (matched, and its
// notifications derived) by one of them, and the events of an instance
// that dies are taken again when the lease lapses. On PostgreSQL the rows
// are locked with SKIP LOCKED, so instances claiming at once never wait on
// or take each other's events.
func (db *DB) ClaimEvents(ctx context.Context, by string, lease time.Duration, limit int) ([]Event, error) {
	now := db.Now().UTC()
	pick := "SELECT id FROM events WHERE processed_at IS NULL AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY id LIMIT ?"
	if db.Dialect == Postgres {
		pick += " FOR UPDATE SKIP LOCKED"
	}
	// One statement, so a run with nothing to do costs one round trip.
	rows, err := db.write.QueryContext(ctx, db.rebind("UPDATE events SET claimed_by = ?, claimed_until = ? WHERE id IN ("+pick+") "+
		"RETURNING id, kind, entity, entity_id, COALESCE(by_user_id, 0), at, detail"),
		by, db.timeValue(now.Add(lease)), db.timeValue(now), limit)
	if err != nil {
		return nil, err
	}
	out, err := scanEvents(rows)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Event) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// ReleaseEvents gives back the events of ids that by claimed and did not
// process (a run that stopped halfway), so that the next run of any
// instance takes them at once rather than after the lease.
func (db *DB) ReleaseEvents(ctx context.Context, by string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	in, args := inList(ids)
	return db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "UPDATE events SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ? AND processed_at IS NULL AND id IN ("+in+")",
			append([]any{by}, args...)...)
		return err
	})
}

// PendingEventCount is how many events wait to be processed.
func (db *DB) PendingEventCount(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM events WHERE processed_at IS NULL").Scan(&n)
	return n, err
}

// NewNotification is a notification to write for a user.
type NewNotification struct {
	UserID int64
	arena.Notification
}

// CommitEvent marks the event processed and writes its notifications, each
// with an outbox row when its user hears of its kind by e-mail (due by
// arena.DeliveryDue in loc), all in one transaction. An event another
// instance processed first writes nothing (done is false).
func (db *DB) CommitEvent(ctx context.Context, eventID int64, notes []NewNotification, loc *time.Location) (done bool, err error) {
	now := db.Now().UTC()
	err = db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, "UPDATE events SET processed_at = ? WHERE id = ? AND processed_at IS NULL", db.timeValue(now), eventID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil
		}
		done = true
		modes := map[int64]map[arena.NotificationKind]arena.DeliveryMode{}
		for _, n := range notes {
			var id int64
			err := tx.queryRow(ctx, "INSERT INTO notifications (user_id, event_id, kind, need_id, my_need_id, network_id, member_id, member_status, score, watch_id, target, entity_id, detail, created_at) "+
				"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id, user_id) DO NOTHING RETURNING id",
				n.UserID, eventID, string(n.Kind), nullID(n.NeedID), nullID(n.MyNeedID), nullID(n.NetworkID), nullID(n.MemberID), string(n.Status), n.Score,
				nullID(n.WatchID), string(n.Target), nullID(n.EntityID), n.Detail, db.timeValue(now)).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				continue // one notification per event and person
			} else if err != nil {
				return err
			}
			if modes[n.UserID] == nil {
				if modes[n.UserID], err = deliveryModes(ctx, tx.queryRows, n.UserID); err != nil {
					return err
				}
			}
			mode := modes[n.UserID][n.Kind]
			due := arena.DeliveryDue(mode, now, loc)
			if due.IsZero() {
				continue
			}
			if _, err := tx.exec(ctx, "INSERT INTO outbox (notification_id, user_id, mode, due_at) VALUES (?, ?, ?, ?)",
				id, n.UserID, string(mode), db.timeValue(due)); err != nil {
				return err
			}
		}
		return nil
	})
	return done, err
}

func (t *Tx) queryRows(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.db.rebind(q), args...)
}

// deliveryModes reads a user's mode of every kind, the default where the
// user chose none.
func deliveryModes(ctx context.Context, query func(context.Context, string, ...any) (*sql.Rows, error), userID int64) (map[arena.NotificationKind]arena.DeliveryMode, error) {
	out := map[arena.NotificationKind]arena.DeliveryMode{}
	for _, k := range arena.NotificationKinds {
		out[k] = arena.DefaultDelivery(k)
	}
	rows, err := query(ctx, "SELECT kind, mode FROM notification_prefs WHERE user_id = ?", userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k arena.NotificationKind
		var m arena.DeliveryMode
		if err := rows.Scan(&k, &m); err != nil {
			return nil, err
		}
		if k.Valid() && m.Valid() {
			out[k] = m
		}
	}
	return out, rows.Err()
}

// NotificationSettings are how a person hears of each kind by e-mail, and
// in which language.
type NotificationSettings struct {
	Modes map[arena.NotificationKind]arena.DeliveryMode
	Lang  string // "sv" or "en"
}

// NotificationSettings reads a user's settings, with the defaults where
// the user chose none.
func (db *DB) NotificationSettings(ctx context.Context, userID int64) (NotificationSettings, error) {
	modes, err := deliveryModes(ctx, db.query, userID)
	if err != nil {
		return NotificationSettings{}, err
	}
	s := NotificationSettings{Modes: modes, Lang: "sv"}
	err = db.queryRow(ctx, "SELECT lang FROM user_settings WHERE user_id = ?", userID).Scan(&s.Lang)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return s, err
	}
	return s, nil
}

// SetNotificationSettings stores the modes given (other kinds keep theirs)
// and, when lang is not empty, the language. Modes and language must be
// checked by the caller (arena.DeliveryMode.Valid).
func (db *DB) SetNotificationSettings(ctx context.Context, userID int64, modes map[arena.NotificationKind]arena.DeliveryMode, lang string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		for k, m := range modes {
			if _, err := tx.exec(ctx, "INSERT INTO notification_prefs (user_id, kind, mode) VALUES (?, ?, ?) ON CONFLICT (user_id, kind) DO UPDATE SET mode = excluded.mode",
				userID, string(k), string(m)); err != nil {
				return err
			}
		}
		if lang != "" {
			if _, err := tx.exec(ctx, "INSERT INTO user_settings (user_id, lang) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET lang = excluded.lang", userID, lang); err != nil {
				return err
			}
		}
		return nil
	})
}

// OrgUsers returns the active members of each organisation.
func (db *DB) OrgUsers(ctx context.Context, orgIDs []int64) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	if len(orgIDs) == 0 {
		return out, nil
	}
	err := inChunks(orgIDs, func(in string, args []any) error {
		rows, err := db.query(ctx, "SELECT org_id, user_id FROM org_memberships WHERE status = 'active' AND org_id IN ("+in+") ORDER BY org_id, user_id", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var org, user int64
			if err := rows.Scan(&org, &user); err != nil {
				return err
			}
			out[org] = append(out[org], user)
		}
		return rows.Err()
	})
	return out, err
}

const notificationCols = "id, kind, COALESCE(need_id, 0), COALESCE(my_need_id, 0), COALESCE(network_id, 0), COALESCE(member_id, 0), member_status, score, " +
	"COALESCE(watch_id, 0), target, COALESCE(entity_id, 0), detail, created_at, read_at"

func scanNotifications(rows *sql.Rows) ([]arena.Notification, error) {
	defer rows.Close()
	var out []arena.Notification
	for rows.Next() {
		var n arena.Notification
		var created, read any
		if err := rows.Scan(&n.ID, &n.Kind, &n.NeedID, &n.MyNeedID, &n.NetworkID, &n.MemberID, &n.Status, &n.Score, &n.WatchID, &n.Target, &n.EntityID, &n.Detail, &created, &read); err != nil {
			return nil, err
		}
		var err error
		if n.CreatedAt, err = scanTime(created); err != nil {
			return nil, err
		}
		if read != nil {
			t, err := scanTime(read)
			if err != nil {
				return nil, err
			}
			n.ReadAt = &t
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// Notifications lists a user's notifications, newest first, those with ids
// below before (0 for the newest), at most limit.
func (db *DB) Notifications(ctx context.Context, userID, before int64, limit int) ([]arena.Notification, error) {
	q, args := "SELECT "+notificationCols+" FROM notifications WHERE user_id = ?", []any{userID}
	if before > 0 {
		q += " AND id < ?"
		args = append(args, before)
	}
	rows, err := db.query(ctx, q+" ORDER BY id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, err
	}
	return scanNotifications(rows)
}

// NotificationsByID reads notifications by id, in id order.
func (db *DB) NotificationsByID(ctx context.Context, ids []int64) ([]arena.Notification, error) {
	var out []arena.Notification
	err := inChunks(ids, func(in string, args []any) error {
		rows, err := db.query(ctx, "SELECT "+notificationCols+" FROM notifications WHERE id IN ("+in+") ORDER BY id", args...)
		if err != nil {
			return err
		}
		ns, err := scanNotifications(rows)
		out = append(out, ns...)
		return err
	})
	return out, err
}

// UnreadCount is how many of a user's notifications are unread.
func (db *DB) UnreadCount(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", userID).Scan(&n)
	return n, err
}

// UnreadCountUpTo is UnreadCount, counting at most max (max > 0): what a
// page's header needs, at a cost that does not grow with the person's
// notifications.
func (db *DB) UnreadCountUpTo(ctx context.Context, userID int64, max int) (int, error) {
	var n int
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE user_id = ? AND read_at IS NULL LIMIT ?) AS unread", userID, max).Scan(&n)
	return n, err
}

// MarkRead marks a user's notifications read: those with ids, or all when
// ids is empty. Another user's ids change nothing.
func (db *DB) MarkRead(ctx context.Context, userID int64, ids []int64) error {
	now := db.timeValue(db.Now())
	return db.InTx(ctx, func(tx *Tx) error {
		if len(ids) == 0 {
			_, err := tx.exec(ctx, "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL", now, userID)
			return err
		}
		return inChunks(ids, func(in string, args []any) error {
			_, err := tx.exec(ctx, "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL AND id IN ("+in+")", append([]any{now, userID}, args...)...)
			return err
		})
	})
}

// Mail is one e-mail to send: a notification sent at once, or a digest of
// a user's notifications due at one time.
type Mail struct {
	UserID    int64
	Mode      arena.DeliveryMode // immediate, or daily/weekly for a digest
	Due       time.Time
	OutboxIDs []int64 // the rows it sends, in id order
	NoteIDs   []int64 // their notifications
	Attempts  int     // the earlier attempts of its first row
	InviteID  int64   // an invitation by e-mail (email_invites) instead of notifications
}

// rows are the table and ids of the rows an e-mail sends.
func (m Mail) rows() (table string, ids []int64) {
	if m.InviteID != 0 {
		return "email_invites", []int64{m.InviteID}
	}
	return "outbox", m.OutboxIDs
}

// ClaimMail takes the e-mails due at now for lease: no other sender takes
// them until it lapses, so a sender that dies loses nothing and its mail
// is taken again. A digest is claimed whole. On PostgreSQL the rows are
// locked with SKIP LOCKED, so instances claiming at once never wait on or
// take each other's rows.
func (db *DB) ClaimMail(ctx context.Context, by string, lease time.Duration, max int) ([]Mail, error) {
	now := db.Now().UTC()
	var out []Mail
	err := db.InTx(ctx, func(tx *Tx) error {
		q := "SELECT id, notification_id, user_id, mode, due_at, attempts FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND due_at <= ? " +
			"AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY due_at, user_id, id LIMIT ?"
		if db.Dialect == Postgres {
			q += " FOR UPDATE SKIP LOCKED"
		}
		limit := max * 20
		rows, err := tx.queryRows(ctx, q, db.timeValue(now), db.timeValue(now), limit)
		if err != nil {
			return err
		}
		type key struct {
			user int64
			due  time.Time
			id   int64 // an immediate row's own id; 0 for a digest
		}
		groups := map[key]*Mail{}
		var order []key
		n := 0
		for rows.Next() {
			var id, note, user int64
			var mode arena.DeliveryMode
			var due any
			var attempts int
			if err := rows.Scan(&id, &note, &user, &mode, &due, &attempts); err != nil {
				rows.Close()
				return err
			}
			n++
			t, err := scanTime(due)
			if err != nil {
				rows.Close()
				return err
			}
			k := key{user: user, due: t}
			if mode == arena.DeliverImmediate {
				k.id = id
			}
			m := groups[k]
			if m == nil {
				m = &Mail{UserID: user, Mode: mode, Due: t, Attempts: attempts}
				groups[k] = m
				order = append(order, k)
			}
			m.OutboxIDs, m.NoteIDs = append(m.OutboxIDs, id), append(m.NoteIDs, note)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// The last group may go on past the limit: leave it whole for the
		// next claim, unless it is the only one.
		if n == limit && len(order) > 1 {
			order = order[:len(order)-1]
		}
		if len(order) > max {
			order = order[:max]
		}
		for _, k := range order {
			m := groups[k]
			in, args := inList(m.OutboxIDs)
			if _, err := tx.exec(ctx, "UPDATE outbox SET claimed_until = ?, claimed_by = ?, attempts = attempts + 1 WHERE id IN ("+in+")",
				append([]any{db.timeValue(now.Add(lease)), by}, args...)...); err != nil {
				return err
			}
			out = append(out, *m)
		}
		if len(out) < max {
			invites, err := db.claimInvites(ctx, tx, by, now, lease, max-len(out))
			if err != nil {
				return err
			}
			out = append(out, invites...)
		}
		return nil
	})
	return out, err
}

// RenewClaim extends the sender's claim on an e-mail by lease, just before
// it is sent; false means the claim lapsed and another sender has it (or
// sent it), so this one must not send it.
func (db *DB) RenewClaim(ctx context.Context, m Mail, by string, lease time.Duration) (bool, error) {
	table, ids := m.rows()
	in, args := inList(ids)
	var n int64
	err := db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, "UPDATE "+table+" SET claimed_until = ? WHERE claimed_by = ? AND sent_at IS NULL AND failed_at IS NULL AND id IN ("+in+")",
			append([]any{db.timeValue(db.Now().Add(lease)), by}, args...)...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n == int64(len(ids)), err
}

// MailSent records that a claimed e-mail went out, with its Message-ID.
// A claim that lapsed and was taken by another sender is not marked.
func (db *DB) MailSent(ctx context.Context, m Mail, by, messageID string) error {
	table, ids := m.rows()
	in, args := inList(ids)
	return db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "UPDATE "+table+" SET sent_at = ?, message_id = ?, last_error = '' WHERE claimed_by = ? AND sent_at IS NULL AND id IN ("+in+")",
			append([]any{db.timeValue(db.Now()), messageID, by}, args...)...)
		return err
	})
}

// MailFailed records a failed attempt: the e-mail is tried again at retry,
// or never when retry is zero.
func (db *DB) MailFailed(ctx context.Context, m Mail, by, reason string, retry time.Time) error {
	table, ids := m.rows()
	in, args := inList(ids)
	var failed, until any
	if retry.IsZero() {
		failed = db.timeValue(db.Now())
	} else {
		until = db.timeValue(retry)
	}
	if len(reason) > 1000 {
		reason = reason[:1000]
	}
	return db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "UPDATE "+table+" SET claimed_until = ?, failed_at = ?, last_error = ? WHERE claimed_by = ? AND sent_at IS NULL AND id IN ("+in+")",
			append([]any{until, failed, strings.ToValidUTF8(reason, "?"), by}, args...)...)
		return err
	})
}

// OutboxCounts counts the outbox's rows: sent, waiting and given up.
func (db *DB) OutboxCounts(ctx context.Context) (sent, waiting, failed int, err error) {
	err = db.read.QueryRowContext(ctx, "SELECT COUNT(sent_at), COUNT(*) - COUNT(sent_at) - COUNT(failed_at), COUNT(failed_at) FROM outbox").Scan(&sent, &waiting, &failed)
	return
}

// Secret returns the shared secret with the name, made at first use, so
// every instance signs with the same key.
func (db *DB) Secret(ctx context.Context, name string) ([]byte, error) {
	var v string
	err := db.queryRow(ctx, "SELECT value FROM secrets WHERE name = ?", name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		b := make([]byte, 32)
		rand.Read(b)
		err = db.InTx(ctx, func(tx *Tx) error {
			if _, err := tx.exec(ctx, "INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", name, hex.EncodeToString(b)); err != nil {
				return err
			}
			return tx.queryRow(ctx, "SELECT value FROM secrets WHERE name = ?", name).Scan(&v)
		})
	}
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(v)
}

// UnreadOfKind lists a user's unread notifications of one kind, newest
// first, at most limit.
func (db *DB) UnreadOfKind(ctx context.Context, userID int64, kind arena.NotificationKind, limit int) ([]arena.Notification, error) {
	rows, err := db.query(ctx, "SELECT "+notificationCols+" FROM notifications WHERE user_id = ? AND kind = ? AND read_at IS NULL ORDER BY id DESC LIMIT ?", userID, string(kind), limit)
	if err != nil {
		return nil, err
	}
	return scanNotifications(rows)
}
