package store

import (
	"context"
	"reflect"
	"sync"

	arena "github.com/arena-se/arena"
)

// Every signed-in request needs its actor: the user and the user's active
// memberships. These read them in one query, joined to the session or the
// bearer token that names the user, instead of one query for the
// credential, one for the user and two for the memberships.

// actorColumns is the select list of a user (alias u) and one of the
// user's active memberships (alias m, NULL when there is none).
var actorColumns = sync.OnceValue(func() string {
	return colNames(mappingOf(reflect.TypeFor[arena.User]()).fields, "u.") + ", " +
		colNames(mappingOf(reflect.TypeFor[arena.OrgMembership]()).fields, "m.")
})

// actorJoin joins a user (alias u) to the user's active memberships.
const actorJoin = " LEFT JOIN org_memberships m ON m.user_id = u.id AND m.status = 'active'"

// scanActor reads the rows of an actor query: each row the user and one
// membership, first columns before them (the session's CSRF token). found
// is false when there is no row.
func (db *DB) scanActor(ctx context.Context, q string, args []any, first ...any) (a *arena.Actor, found bool, err error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	um := mappingOf(reflect.TypeFor[arena.User]())
	mm := mappingOf(reflect.TypeFor[arena.OrgMembership]())
	u := &arena.User{}
	a = &arena.Actor{User: u}
	uv := reflect.ValueOf(u).Elem()
	dest := append(append(first, targets(uv, um.fields)...), make([]any, len(mm.fields))...)
	for rows.Next() {
		found = true
		var m arena.OrgMembership
		mt := targets(reflect.ValueOf(&m).Elem(), mm.fields)
		copy(dest[len(first)+len(um.fields):], mt)
		if err := rows.Scan(dest...); err != nil {
			return nil, false, err
		}
		if m.ID != 0 {
			a.Orgs = append(a.Orgs, m)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	return a, found, nil
}

// actorFor is ActorFor: the user with id and the user's active
// memberships, by id; ENOTFOUND when there is no such user.
func (db *DB) actorFor(ctx context.Context, userID int64) (*arena.Actor, error) {
	a, found, err := db.scanActor(ctx, "SELECT "+actorColumns()+" FROM users u"+actorJoin+" WHERE u.id = ? ORDER BY m.id", []any{userID})
	if err == nil && !found {
		err = arena.NotFound("user")
	}
	return a, err
}

// SessionActor returns the actor and the CSRF token of an unexpired
// session, by the hash of its token: Session and ActorFor in one query.
func (db *DB) SessionActor(ctx context.Context, tokenHash string) (*arena.Actor, string, error) {
	var csrf string
	a, found, err := db.scanActor(ctx, "SELECT s.csrf_token, "+actorColumns()+" FROM sessions s JOIN users u ON u.id = s.user_id"+actorJoin+
		" WHERE s.token_hash = ? AND s.expires_at > ? ORDER BY m.id", []any{tokenHash, db.timeValue(db.Now())}, &csrf)
	if err == nil && !found {
		err = arena.Err(arena.EUNAUTHORIZED, "err.session_ended")
	}
	if err != nil {
		return nil, "", err
	}
	return a, csrf, nil
}

// TokenActor returns the actor a bearer token belongs to, by the hash of
// the token: APITokenUser and ActorFor in one query.
func (db *DB) TokenActor(ctx context.Context, tokenHash string) (*arena.Actor, error) {
	a, found, err := db.scanActor(ctx, "SELECT "+actorColumns()+" FROM api_tokens k JOIN users u ON u.id = k.user_id"+actorJoin+
		" WHERE k.token_hash = ? ORDER BY m.id", []any{tokenHash})
	if err == nil && !found {
		err = arena.Err(arena.EUNAUTHORIZED, "err.token")
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}
