package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	arena "github.com/arena-se/arena"
)

// Invitations to a network by e-mail (arena.EmailInvite): written by those
// who run the network, sent by the outbox's sender, followed once by the
// person who signs up through the link.

const inviteCols = "id, version, created_at, updated_at, member_id, org_id, role, email, lang, expires_at, sent_at, used_at"

func scanInvite(row interface{ Scan(...any) error }) (*arena.EmailInvite, error) {
	var i arena.EmailInvite
	var created, updated, expires, sent, used any
	var member, org sql.NullInt64
	var role string
	if err := row.Scan(&i.ID, &i.Version, &created, &updated, &member, &org, &role, &i.Email, &i.Lang, &expires, &sent, &used); err != nil {
		return nil, err
	}
	i.MemberID, i.OrgID, i.Role = member.Int64, org.Int64, arena.OrgRole(role)
	var err error
	for _, t := range []struct {
		v   any
		dst *time.Time
	}{{created, &i.CreatedAt}, {updated, &i.UpdatedAt}, {expires, &i.ExpiresAt}} {
		if *t.dst, err = scanTime(t.v); err != nil {
			return nil, err
		}
	}
	for _, t := range []struct {
		v   any
		dst **time.Time
	}{{sent, &i.SentAt}, {used, &i.UsedAt}} {
		if t.v == nil {
			continue
		}
		at, err := scanTime(t.v)
		if err != nil {
			return nil, err
		}
		*t.dst = &at
	}
	return &i, nil
}

// otherAdmins counts an organisation's active admins other than the
// membership except (0 for none): the facts of CanInviteByEmail,
// SignupRequest and KeepsAnAdmin.
func otherAdmins(ctx context.Context, tx *Tx, orgID, except int64) (int, error) {
	var n int
	err := tx.queryRow(ctx, "SELECT COUNT(*) FROM org_memberships WHERE org_id = ? AND role = ? AND status = ? AND id <> ?",
		orgID, string(arena.OrgRoleAdmin), string(arena.OrgMemberActive), except).Scan(&n)
	return n, err
}

// orgHasAdmin reports whether an organisation has an active admin.
func orgHasAdmin(ctx context.Context, tx *Tx, orgID int64) (bool, error) {
	n, err := otherAdmins(ctx, tx, orgID, 0)
	return n > 0, err
}

// OrgsWithAdmin tells which of the organisations have an active admin.
func (db *DB) OrgsWithAdmin(ctx context.Context, orgIDs []int64) (map[int64]bool, error) {
	if len(orgIDs) == 0 {
		return map[int64]bool{}, nil
	}
	in, args := inList(orgIDs)
	return db.idSet(ctx, "SELECT DISTINCT org_id FROM org_memberships WHERE role = ? AND status = ? AND org_id IN ("+in+")",
		append([]any{string(arena.OrgRoleAdmin), string(arena.OrgMemberActive)}, args...)...)
}

// CreateEmailInvite writes an invitation by e-mail of the actor of ctx,
// when arena.CanInviteByEmail allows it; the sender sends it.
func (db *DB) CreateEmailInvite(ctx context.Context, inv *arena.EmailInvite) error {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return err
	}
	if err := inv.Validate(); err != nil {
		return err
	}
	if inv.OrgID != 0 {
		return db.createColleagueInvite(ctx, a, inv)
	}
	return db.InTx(ctx, func(tx *Tx) error {
		m, found, err := findTx(ctx, tx, db.NetworkMembers, inv.MemberID)
		if err != nil {
			return err
		}
		if !found {
			return arena.NotFound("network_member")
		}
		ns, err := db.networkTx(ctx, tx, a, m.NetworkID)
		if err != nil {
			return err
		}
		st := ns.Standing
		if a.System {
			st.Broker = true // the platform may write anything
		} else if !arena.CanSeeMember(a, st, m) {
			return arena.NotFound("network_member")
		}
		has, err := orgHasAdmin(ctx, tx, m.OrgID)
		if err != nil {
			return err
		}
		var earlier int
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM email_invites WHERE member_id = ?", m.ID).Scan(&earlier); err != nil {
			return err
		}
		if err := arena.CanInviteByEmail(st, ns.Network, m, has, earlier); err != nil {
			return err
		}
		return db.insertInvite(ctx, tx, a, inv)
	})
}

// insertInvite writes an invitation the rules allowed, to be sent.
func (db *DB) insertInvite(ctx context.Context, tx *Tx, a *arena.Actor, inv *arena.EmailInvite) error {
	now := db.Now().UTC()
	inv.Version, inv.CreatedAt, inv.UpdatedAt, inv.ExpiresAt, inv.SentAt, inv.UsedAt = 1, now, now, now.Add(arena.EmailInviteTTL), nil, nil
	if err := tx.queryRow(ctx, "INSERT INTO email_invites (version, created_at, updated_at, member_id, org_id, role, email, lang, invited_by, expires_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		db.timeValue(now), db.timeValue(now), nullID(inv.MemberID), nullID(inv.OrgID), string(inv.Role), inv.Email, inv.Lang, nullID(a.UserID()), db.timeValue(inv.ExpiresAt)).Scan(&inv.ID); err != nil {
		return err
	}
	// The change log wakes the sender on every instance.
	return tx.logChange(ctx, "email_invites", inv.ID, "insert")
}

// createColleagueInvite writes an organisation's invitation of a colleague
// by e-mail (arena.CanInviteColleague).
func (db *DB) createColleagueInvite(ctx context.Context, a *arena.Actor, inv *arena.EmailInvite) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if _, found, err := findTx(ctx, tx, db.Organizations, inv.OrgID); err != nil {
			return err
		} else if !found {
			return arena.NotFound("organization")
		}
		var pending, member int
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM email_invites WHERE org_id = ? AND used_at IS NULL AND expires_at > ?",
			inv.OrgID, db.timeValue(db.Now().UTC())).Scan(&pending); err != nil {
			return err
		}
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM org_memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = ? AND lower(u.email) = ?",
			inv.OrgID, inv.Email).Scan(&member); err != nil {
			return err
		}
		if !a.System {
			if err := arena.CanInviteColleague(a, inv.OrgID, pending, member > 0); err != nil {
				return err
			}
		}
		return db.insertInvite(ctx, tx, a, inv)
	})
}

// ColleagueInvitesOf lists an organisation's invitations of colleagues by
// e-mail, newest first, for those who may see them
// (arena.CanSeeColleagueInvites); others get none.
func (db *DB) ColleagueInvitesOf(ctx context.Context, orgID int64) ([]*arena.EmailInvite, error) {
	if a := arena.ActorFrom(ctx); a == nil || !a.System && !arena.CanSeeColleagueInvites(a, orgID) {
		return nil, nil
	}
	rows, err := db.query(ctx, "SELECT "+inviteCols+" FROM email_invites WHERE org_id = ? ORDER BY id DESC", orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*arena.EmailInvite
	for rows.Next() {
		i, err := scanInvite(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// EmailInvitesOf lists the invitations by e-mail in the network of ns
// (as NetworkState read it for the actor), newest first, for those who
// may see them (arena.CanSeeEmailInvites); others get none.
func (db *DB) EmailInvitesOf(ctx context.Context, ns *NetworkState) ([]*arena.EmailInvite, error) {
	if !arena.CanSeeEmailInvites(ns.Standing) {
		return nil, nil
	}
	networkID := ns.Network.ID
	rows, err := db.query(ctx, "SELECT i.id, i.version, i.created_at, i.updated_at, i.member_id, i.org_id, i.role, i.email, i.lang, i.expires_at, i.sent_at, i.used_at FROM email_invites i JOIN network_members m ON m.id = i.member_id WHERE m.network_id = ? ORDER BY i.id DESC", networkID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*arena.EmailInvite
	for rows.Next() {
		i, err := scanInvite(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// EmailInviteUnchecked reads an invitation by its id, for the sender and
// a sign-up link whose signature was checked.
func (db *DB) EmailInviteUnchecked(ctx context.Context, id int64) (*arena.EmailInvite, error) {
	i, err := scanInvite(db.queryRow(ctx, "SELECT "+inviteCols+" FROM email_invites WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, arena.NotFound("email_invite")
	}
	return i, err
}

// UseEmailInvite follows a sign-up link, once: in one transaction it
// checks the invitation is still usable (arena.CheckInviteUsable), gets
// the person (person makes the account of a new one, in tx, and returns
// its id), and writes the person's request to join the invited
// organisation (arena.SignupRequest), which notifies who confirms it.
func (db *DB) UseEmailInvite(ctx context.Context, id int64, person func(tx *Tx) (int64, error)) (*arena.OrgMembership, error) {
	sys := arena.WithActor(ctx, arena.SystemActor())
	var req *arena.OrgMembership
	err := db.InTx(ctx, func(tx *Tx) error {
		inv, err := scanInvite(tx.queryRow(ctx, "SELECT "+inviteCols+" FROM email_invites WHERE id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return arena.NotFound("email_invite")
		} else if err != nil {
			return err
		}
		var m *arena.NetworkMember
		if inv.MemberID != 0 {
			if m, _, err = findTx(ctx, tx, db.NetworkMembers, inv.MemberID); err != nil {
				return err
			}
		}
		now := db.Now()
		if err := arena.CheckInviteUsable(inv, m, now); err != nil {
			return err
		}
		userID, err := person(tx)
		if err != nil {
			return err
		}
		// Two follows of one link at once: the second finds it used.
		res, err := tx.exec(ctx, "UPDATE email_invites SET used_at = ?, used_by = ?, version = version + 1, updated_at = ? WHERE id = ? AND used_at IS NULL",
			db.timeValue(now), userID, db.timeValue(now), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return arena.Conflict("token", "err.signup.used")
		}
		mine, err := allTx(ctx, tx, db.OrgMemberships, "t.user_id = ?", userID)
		if err != nil {
			return err
		}
		if inv.OrgID != 0 {
			if req, err = arena.ColleagueJoins(userID, inv, mine); err != nil {
				return err
			}
			return db.OrgMemberships.CreateTx(sys, tx, req)
		}
		has, err := orgHasAdmin(ctx, tx, m.OrgID)
		if err != nil {
			return err
		}
		if req, err = arena.SignupRequest(userID, m.OrgID, has, mine); err != nil {
			return err
		}
		return db.OrgMemberships.CreateTx(sys, tx, req)
	})
	return req, err
}

// claimInvites takes up to max invitations by e-mail due to be sent, for
// lease, as ClaimMail takes the outbox's rows.
func (db *DB) claimInvites(ctx context.Context, tx *Tx, by string, now time.Time, lease time.Duration, max int) ([]Mail, error) {
	q := "SELECT id, attempts FROM email_invites WHERE sent_at IS NULL AND failed_at IS NULL AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY id LIMIT ?"
	if db.Dialect == Postgres {
		q += " FOR UPDATE SKIP LOCKED"
	}
	rows, err := tx.queryRows(ctx, q, db.timeValue(now), max)
	if err != nil {
		return nil, err
	}
	var out []Mail
	for rows.Next() {
		m := Mail{Mode: arena.DeliverImmediate, Due: now}
		if err := rows.Scan(&m.InviteID, &m.Attempts); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, m := range out {
		if _, err := tx.exec(ctx, "UPDATE email_invites SET claimed_until = ?, claimed_by = ?, attempts = attempts + 1 WHERE id = ?",
			db.timeValue(now.Add(lease)), by, m.InviteID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Brokers lists the ids of the people who may hold the broker role (the
// domain's rule decides on each).
func (db *DB) Brokers(ctx context.Context) ([]int64, error) {
	return db.idList(ctx, "SELECT id FROM users WHERE platform_roles LIKE ? ORDER BY id", `%"`+string(arena.RoleBroker)+`"%`)
}
