package arena

import ()

// Network is a buyer network (beställarnätverk).
type Network struct {
	Meta
	Name             string        `json:"name"`
	Kind             NetworkKind   `json:"kind"`
	ParentID         *int64        `json:"parent_id,omitempty"` // the strategic network a sub-group belongs to
	Sector           string        `json:"sector,omitempty"`
	Description      string        `json:"description,omitempty"`
	OwnerOrgID       *int64        `json:"owner_org_id,omitempty"`       // huvudman
	CoordinatorOrgID *int64        `json:"coordinator_org_id,omitempty"` // who runs it
	Country          string        `json:"country,omitempty"`            // empty means SE
	StartYear        *int          `json:"start_year,omitempty"`
	EndYear          *int          `json:"end_year,omitempty"`
	Status           NetworkStatus `json:"status"`
	Open             bool          `json:"open"` // takes new members
	Website          string        `json:"website,omitempty"`
	Source           string        `json:"source,omitempty"`
}

// Validate checks the network's own rules.
func (n *Network) Validate() error {
	if err := requireText("name", &n.Name, NameMax); err != nil {
		return err
	}
	for _, f := range []struct {
		field string
		s     *string
		max   int
	}{{"sector", &n.Sector, NameMax}, {"description", &n.Description, LongTextMax}, {"source", &n.Source, ShortTextMax}} {
		if err := optionalText(f.field, f.s, f.max); err != nil {
			return err
		}
	}
	if err := checkURL("website", &n.Website); err != nil {
		return err
	}
	if err := checkEnum("kind", n.Kind, NetworkKinds, false); err != nil {
		return err
	}
	if n.Status == "" {
		n.Status = NetworkActive
	}
	if err := checkEnum("status", n.Status, NetworkStatuses, false); err != nil {
		return err
	}
	if n.ParentID != nil {
		if *n.ParentID <= 0 || *n.ParentID == n.ID {
			return Invalid("parent_id", "err.network.parent_other")
		}
		if n.Kind != NetworkTactical {
			return Invalid("parent_id", "err.network.parent_tactical")
		}
	}
	if err := checkYears(n.StartYear, n.EndYear, "start_year", "end_year"); err != nil {
		return err
	}
	if !validCountry(n.Country) {
		return Invalid("country", "err.country")
	}
	return nil
}

func checkYears(start, end *int, startField, endField string) error {
	if start != nil && (*start < 1900 || *start > 2200) {
		return Invalid(startField, "err.year_range", F{"year": *start})
	}
	if end != nil && (*end < 1900 || *end > 2200) {
		return Invalid(endField, "err.year_range", F{"year": *end})
	}
	if start != nil && end != nil && *end < *start {
		return Invalid(endField, "err.end_year_before_start")
	}
	return nil
}

// ReadOnly reports whether the network is closed and so may not change.
func (n *Network) ReadOnly() bool { return n.Status == NetworkClosed }

// ---------------------------------------------------------------------------
// Access rules of networks

// Standing is what the actor is to one network, from the network's record
// and its memberships. Every right on a network and its parts follows from
// it by the functions below.
type Standing struct {
	Broker      bool // one of the arena's brokers
	Owner       bool // a person of the owner organisation (huvudman)
	Coordinator bool // a person of the coordinating organisation
	Active      bool // a person of an active member organisation
	Invited     bool // a person of an organisation with an open invitation
}

// StandingIn computes the actor's standing in network n with its members.
func StandingIn(a *Actor, n *Network, members []NetworkMember) Standing {
	var s Standing
	if !a.SignedIn() {
		return s
	}
	s.Broker = a.IsBroker()
	s.Owner = n.OwnerOrgID != nil && a.InOrg(*n.OwnerOrgID)
	s.Coordinator = n.CoordinatorOrgID != nil && a.InOrg(*n.CoordinatorOrgID)
	for _, m := range members {
		if m.NetworkID != 0 && m.NetworkID != n.ID || !a.InOrg(m.OrgID) {
			continue
		}
		switch memberStatus(m) {
		case MemberActive:
			s.Active = true
		case MemberInvited:
			s.Invited = true
		}
	}
	return s
}

// Manages reports whether the actor runs the network: its owner, its
// coordinator or a broker. They change the network's record, invite
// organisations, set members' roles and tiers and close it.
func (s Standing) Manages() bool { return s.Broker || s.Owner || s.Coordinator }

// Works reports whether the actor works in the network: those who run it
// and the people of active members. They write its plan, activities,
// deliverables and funding periods.
func (s Standing) Works() bool { return s.Manages() || s.Active }

// Insider reports whether the actor sees the network's inside: its plan,
// activities, funding, member procurements, invitations, alerts, gaps and
// its members' contact people. Those who work in it do, and an invited
// organisation's people, who need to see what they are asked to join.
func (s Standing) Insider() bool { return s.Works() || s.Invited }

// CanSeeNetworkInside is the rule for a network's inside (see Insider).
// The network's record, its active members (without their contact people),
// its deliverables and its joint purchasing power in sums are public.
func CanSeeNetworkInside(s Standing) bool { return s.Insider() }

// CanCreateNetwork: anyone signed in starts a network, as owner or
// coordinator only for an organisation of their own (a broker for any); a
// sub-group is started by those who run its strategic parent network
// (parent is nil without one). A network starts active.
func CanCreateNetwork(a *Actor, n *Network, parent *Standing) error {
	if !a.SignedIn() {
		return Err(EUNAUTHORIZED, "err.sign_in")
	}
	if n.Status != "" && n.Status != NetworkActive {
		return Invalid("status", "err.network.starts_active")
	}
	if !a.IsBroker() {
		for _, x := range []struct {
			field string
			id    *int64
		}{{"owner_org_id", n.OwnerOrgID}, {"coordinator_org_id", n.CoordinatorOrgID}} {
			if x.id != nil && !a.InOrg(*x.id) {
				return Invalid(x.field, "err.network.own_org")
			}
		}
	}
	if n.ParentID != nil && (parent == nil || !parent.Manages()) {
		return Forbidden("err.forbidden.sub_group")
	}
	return nil
}

// CheckParent: a sub-group belongs to a strategic network.
func CheckParent(parent *Network) error {
	if parent.Kind != NetworkStrategic {
		return Invalid("parent_id", "err.network.parent_strategic")
	}
	return nil
}

// CanFormNetwork: a tactical network is formed from matched needs (all of
// them visible to the actor, checked by the caller) of at least two
// organisations, one need per organisation, and one of them the actor's
// own organisation's; a broker forms one from any needs, one organisation's
// included.
func CanFormNetwork(a *Actor, needs []*Need) error {
	if !a.SignedIn() {
		return Err(EUNAUTHORIZED, "err.sign_in")
	}
	if len(needs) == 0 {
		return Invalid("from_needs", "err.network.pick_needs")
	}
	orgs := map[int64]bool{}
	own := false
	for _, n := range needs {
		if orgs[n.OrgID] {
			return Invalid("from_needs", "err.network.same_org")
		}
		orgs[n.OrgID] = true
		own = own || a.InOrg(n.OrgID)
	}
	if a.IsBroker() {
		return nil
	}
	if len(orgs) < 2 {
		return Invalid("from_needs", "err.network.two_orgs")
	}
	if !own {
		return Invalid("from_needs", "err.network.own_need")
	}
	return nil
}

// CanProposeFrom: a network is proposed from a need's page (the need and
// the matching needs ticked there) by the people of the organisation that
// posted the need and by brokers; the network itself is formed by
// CanFormNetwork.
func CanProposeFrom(a *Actor, n *Need) bool {
	return a.IsBroker() || a.InOrg(n.OrgID)
}

// CanUseBrokerView: the broker's view (latent networks, networks at risk,
// the funnel of all networks) is for brokers.
func CanUseBrokerView(a *Actor) error {
	if !a.SignedIn() {
		return Err(EUNAUTHORIZED, "err.sign_in")
	}
	if !a.IsBroker() {
		return Forbidden("err.forbidden.broker")
	}
	return nil
}

// CanChangeNetwork: those who run a network change its record while it is
// not closed. The owner and the coordinator they name must be one of their
// own organisations or an active member (a broker names any); the parent
// changes only by a broker; closing goes through Close.
func CanChangeNetwork(a *Actor, s Standing, old, v *Network, members []NetworkMember) error {
	if old.ReadOnly() {
		return Conflict("status", "err.network.closed")
	}
	if !s.Manages() {
		return Forbidden("err.forbidden.network_manage")
	}
	if v.Status == NetworkClosed {
		return Invalid("status", "err.network.close_by_action")
	}
	if !s.Broker {
		if !sameID(old.ParentID, v.ParentID) {
			return Forbidden("err.forbidden.sub_group")
		}
		active := map[int64]bool{}
		for _, m := range members {
			if memberStatus(m) == MemberActive {
				active[m.OrgID] = true
			}
		}
		for _, x := range []struct {
			field    string
			old, new *int64
		}{{"owner_org_id", old.OwnerOrgID, v.OwnerOrgID}, {"coordinator_org_id", old.CoordinatorOrgID, v.CoordinatorOrgID}} {
			if x.new != nil && !sameID(x.old, x.new) && !a.InOrg(*x.new) && !active[*x.new] {
				return Invalid(x.field, "err.network.owner_member")
			}
		}
	}
	return nil
}

// CanDeleteNetwork: those who run a network delete it while it is not
// closed; a closed network is the record of what was done.
func CanDeleteNetwork(s Standing, n *Network) error {
	if n.ReadOnly() {
		return Conflict("status", "err.network.closed")
	}
	if !s.Manages() {
		return Forbidden("err.forbidden.network_manage")
	}
	return nil
}

// CheckStaysInNetwork: a part of a network (plan, activity, deliverable,
// funding period) never moves to another network.
func CheckStaysInNetwork(oldNetworkID, newNetworkID int64) error {
	if oldNetworkID != newNetworkID {
		return Invalid("network_id", "err.network_part.fixed")
	}
	return nil
}

// CanWorkInNetwork: the plan, activities, deliverables and funding periods
// of a network are written by those who work in it (Works), while it is
// not closed.
func CanWorkInNetwork(s Standing, n *Network) error {
	if n.ReadOnly() {
		return Conflict("status", "err.network.closed")
	}
	if !s.Works() {
		return Forbidden("err.forbidden.network_work")
	}
	return nil
}

// CanCloseNetwork: closing a network is the act of those who run it; an
// active member may close it too, but only when every active member has
// recorded its consent (CloseConsent). Whether the network's task allows
// closing is CanClose's to say. It returns whether the members decided.
func CanCloseNetwork(s Standing, n *Network, members []NetworkMember) (membersDecided bool, err error) {
	if n.ReadOnly() {
		return false, Conflict("status", "err.network.closed_already")
	}
	all := AllConsentToClose(members)
	if s.Manages() {
		return all, nil
	}
	if s.Active && all {
		return true, nil
	}
	if s.Active {
		return false, Forbidden("err.forbidden.close_consent")
	}
	return false, Forbidden("err.forbidden.network_manage")
}

// AllConsentToClose reports whether every active member recorded its
// consent to closing the network, and there is at least one.
func AllConsentToClose(members []NetworkMember) bool {
	n := 0
	for _, m := range members {
		if memberStatus(m) != MemberActive {
			continue
		}
		if !m.CloseConsent {
			return false
		}
		n++
	}
	return n > 0
}

// CanClose reports whether a network may be closed. A tactical network
// closes when the members decide so, or when it has member procurements and
// every one is implemented, evaluated or withdrawn: its task is solved. A
// strategic network has no end date but funding periods, and is never closed
// this way. procs are the network's member procurements. Errors are
// ECONFLICT.
func CanClose(n *Network, procs []MemberProcurement, membersDecided bool) error {
	if n.Status == NetworkClosed {
		return Conflict("status", "err.network.closed_already")
	}
	if n.Kind != NetworkTactical {
		return Conflict("kind", "err.network.strategic_no_close")
	}
	if membersDecided {
		return nil
	}
	if len(procs) == 0 {
		return Conflict("stage", "err.network.no_procurement")
	}
	open := 0
	for _, p := range procs {
		switch p.Stage {
		case StageImplemented, StageEvaluated, StageWithdrawn:
		default:
			open++
		}
	}
	if open > 0 {
		return Conflict("stage", "err.network.procurements_open", F{"n": open, "total": len(procs)})
	}
	return nil
}

func sameID(a, b *int64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
