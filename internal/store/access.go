package store

import (
	arena "github.com/arena-se/arena"
)

// The read predicates of the access rules. Each is the SQL form of one Go
// rule of the domain, written so a list can filter and page in the
// database; access_test.go runs every case of the rule through both and
// fails when they disagree. Each returns a predicate on alias t.

// needVisibility is arena.CanSeeNeed: public needs are for all, the own
// organisation's for its people, network needs also for partner
// organisations (both active members of one network).
func needVisibility(a *arena.Actor) (string, []any) {
	ids := a.OrgIDs()
	if len(ids) == 0 {
		return "t.visibility = 'public'", nil
	}
	in, args := inList(ids)
	// +t.org_id (the same value) keeps SQLite from reading the needs
	// through its indexes, one per branch, and sorting them: a list in id
	// order then scans in id order and stops at its page's end.
	q := "t.visibility = 'public' OR +t.org_id IN (" + in + ") OR (t.visibility = 'network' AND EXISTS (" +
		"SELECT 1 FROM network_members mo JOIN network_members mu ON mu.network_id = mo.network_id " +
		"WHERE mo.org_id = t.org_id AND mo.status = 'active' AND mu.status = 'active' AND mu.org_id IN (" + in + ")))"
	return q, append(args, args...)
}

// insidePredicate is arena.Standing.Insider for the network whose id is
// the SQL expression col: brokers, the owner's and the coordinator's
// people and the people of active or invited member organisations.
func insidePredicate(a *arena.Actor, col string) (string, []any) {
	if a.IsBroker() {
		return "1=1", nil
	}
	ids := a.OrgIDs()
	if !a.SignedIn() || len(ids) == 0 {
		return "1=0", nil
	}
	in, args := inList(ids)
	q := "EXISTS (SELECT 1 FROM networks n WHERE n.id = " + col + " AND (n.owner_org_id IN (" + in + ") OR n.coordinator_org_id IN (" + in + ")))" +
		" OR EXISTS (SELECT 1 FROM network_members m WHERE m.network_id = " + col + " AND m.status IN ('active', 'invited') AND m.org_id IN (" + in + "))"
	return q, append(append(append([]any{}, args...), args...), args...)
}

// insideVisibility is arena.CanSeeNetworkInside for records that belong to
// the network named by col.
func insideVisibility(col string) func(a *arena.Actor) (string, []any) {
	return func(a *arena.Actor) (string, []any) { return insidePredicate(a, col) }
}

// memberVisibility is arena.CanSeeMember: active memberships are public;
// the others are seen by the network's insiders and the organisation's own
// people.
func memberVisibility(a *arena.Actor) (string, []any) {
	inside, args := insidePredicate(a, "t.network_id")
	q := "t.status = 'active' OR " + inside
	if ids := a.OrgIDs(); a.SignedIn() && len(ids) > 0 {
		in, more := inList(ids)
		q += " OR t.org_id IN (" + in + ")"
		args = append(args, more...)
	}
	return q, args
}

// userVisibility is arena.CanSeeUser: the person, brokers, people who
// share an organisation with the person (both memberships active) and the
// admins of an organisation the person asked to join.
func userVisibility(a *arena.Actor) (string, []any) {
	if !a.SignedIn() {
		return "1=0", nil
	}
	if a.IsBroker() {
		return "1=1", nil
	}
	in, args := inList(a.OrgIDs())
	admin, more := inList(a.AdminOrgIDs())
	return "t.id = ? OR EXISTS (SELECT 1 FROM org_memberships m WHERE m.user_id = t.id AND (m.status = 'active' AND m.org_id IN (" + in + ") OR m.status = 'requested' AND m.org_id IN (" + admin + ")))",
		append(append([]any{a.UserID()}, args...), more...)
}

// orgMembershipVisibility is arena.CanSeeOrgMembership: the person, the
// active people of the organisation and brokers.
func orgMembershipVisibility(a *arena.Actor) (string, []any) {
	if !a.SignedIn() {
		return "1=0", nil
	}
	if a.IsBroker() {
		return "1=1", nil
	}
	in, args := inList(a.OrgIDs())
	return "t.user_id = ? OR t.org_id IN (" + in + ")", append([]any{a.UserID()}, args...)
}

// publishesPredicate is arena.Publishes for the dialogue of alias d: the
// people of the publishing organisation, or of the publishing network's
// owner, coordinator and active members.
func publishesPredicate(a *arena.Actor, d string) (string, []any) {
	ids := a.OrgIDs()
	if !a.SignedIn() || len(ids) == 0 {
		return "1=0", nil
	}
	in, args := inList(ids)
	q := d + ".org_id IN (" + in + ")" +
		" OR EXISTS (SELECT 1 FROM networks n WHERE n.id = " + d + ".network_id AND (n.owner_org_id IN (" + in + ") OR n.coordinator_org_id IN (" + in + ")))" +
		" OR EXISTS (SELECT 1 FROM network_members m WHERE m.network_id = " + d + ".network_id AND m.status = 'active' AND m.org_id IN (" + in + "))"
	return q, append(append(append(append([]any{}, args...), args...), args...), args...)
}

// dialogueVisibility is arena.CanSeeDialogue: published dialogues are
// public, drafts their publisher's.
func dialogueVisibility(a *arena.Actor) (string, []any) {
	q, args := publishesPredicate(a, "t")
	return "t.status = 'published' OR " + q, args
}

// supplierPartVisibility is arena.CanSeeDialogueAnswer and
// CanSeeDialogueRegistration: the supplier's people and the publisher.
func supplierPartVisibility(a *arena.Actor) (string, []any) {
	ids := a.OrgIDs()
	if !a.SignedIn() || len(ids) == 0 {
		return "1=0", nil
	}
	in, args := inList(ids)
	pub, more := publishesPredicate(a, "d")
	return "t.org_id IN (" + in + ") OR EXISTS (SELECT 1 FROM dialogues d WHERE d.id = t.dialogue_id AND (" + pub + "))", append(args, more...)
}

// questionVisibility is arena.CanSeeDialogueQuestion: answered questions
// of published dialogues are public; the others are the asker's and the
// publisher's.
func questionVisibility(a *arena.Actor) (string, []any) {
	q, args := supplierPartVisibility(a)
	return "t.answer <> '' AND EXISTS (SELECT 1 FROM dialogues d WHERE d.id = t.dialogue_id AND d.status = 'published') OR " + q, args
}
