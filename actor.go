package arena

import (
	"context"
	"slices"
)

// Actor is who acts in a request: a signed-in user with the organisations
// the user belongs to, or nobody (a nil *Actor) for anonymous reads.
type Actor struct {
	User *User
	Orgs []OrgMembership // the active memberships only: an invitation gives no rights
	// System marks the platform itself (seeding, the command line): it may
	// write anything but sees only what an anonymous reader sees.
	System bool
}

// SystemActor returns the actor of the platform's own jobs.
func SystemActor() *Actor { return &Actor{System: true} }

// OrgIDs returns the ids of the actor's organisations.
func (a *Actor) OrgIDs() []int64 {
	if a == nil {
		return nil
	}
	ids := make([]int64, len(a.Orgs))
	for i, m := range a.Orgs {
		ids[i] = m.OrgID
	}
	return ids
}

// InOrg reports whether the actor belongs to organisation id.
func (a *Actor) InOrg(id int64) bool {
	return a != nil && slices.Contains(a.OrgIDs(), id)
}

// IsOrgAdmin reports whether the actor is an admin of organisation id.
func (a *Actor) IsOrgAdmin(id int64) bool {
	if a == nil {
		return false
	}
	for _, m := range a.Orgs {
		if m.OrgID == id && m.Role == OrgRoleAdmin {
			return true
		}
	}
	return false
}

// AdminOrgIDs returns the ids of the organisations the actor is an admin of.
func (a *Actor) AdminOrgIDs() []int64 {
	if a == nil {
		return nil
	}
	var ids []int64
	for _, m := range a.Orgs {
		if m.Role == OrgRoleAdmin {
			ids = append(ids, m.OrgID)
		}
	}
	return ids
}

// SignedIn reports whether a person is signed in (not anonymous, not the
// platform itself).
func (a *Actor) SignedIn() bool { return a != nil && a.User != nil }

// IsBroker reports whether the actor is one of the arena's brokers (not the
// platform itself, which may write anything but sees as the public does).
func (a *Actor) IsBroker() bool { return a.SignedIn() && a.User.HasRole(RoleBroker) }

// Has reports whether the actor holds a platform role.
func (a *Actor) Has(r PlatformRole) bool {
	return a != nil && (a.System || a.User != nil && a.User.HasRole(r))
}

// UserID returns the actor's user id, 0 when anonymous.
func (a *Actor) UserID() int64 {
	if a == nil || a.User == nil {
		return 0
	}
	return a.User.ID
}

type actorKey struct{}

// WithActor returns a context carrying the actor.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of ctx, nil when anonymous.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// RequireActor returns the signed-in actor of ctx or EUNAUTHORIZED.
func RequireActor(ctx context.Context) (*Actor, error) {
	a := ActorFrom(ctx)
	if a == nil || (a.User == nil && !a.System) {
		return nil, Err(EUNAUTHORIZED, "err.sign_in")
	}
	return a, nil
}
