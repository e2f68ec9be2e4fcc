package arena

import (
	"slices"
	"time"
)

// ---------------------------------------------------------------------------
// Reach: events that notify, who is told, and when by e-mail

// EventKind is what happened, as recorded in the same transaction as the
// write that made it happen. Notifications are derived from events.
type EventKind string

// Event kinds.
const (
	// EventNeedShared: a need became visible outside its organisation
	// (network or public), by being posted so or by changing to it.
	EventNeedShared EventKind = "need.shared"
	// EventMemberInvited: an organisation was invited to a network.
	EventMemberInvited EventKind = "member.invited"
	// EventMemberAnswered: an invited organisation accepted or declined,
	// or a member left.
	EventMemberAnswered EventKind = "member.answered"
	// EventMemberRequested: an organisation asked to join an open network.
	EventMemberRequested EventKind = "member.requested"
	// EventMemberDecided: those who run a network approved or rejected an
	// organisation's request to join.
	EventMemberDecided EventKind = "member.decided"
	// EventCallPublished, EventProjectAdded, EventNetworkStarted: a
	// record new to its register (what watches are told of).
	EventCallPublished  EventKind = "call.published"
	EventProjectAdded   EventKind = "project.added"
	EventNetworkStarted EventKind = "network.started"
	// EventProcurementStage: a member procurement moved to another stage.
	EventProcurementStage EventKind = "procurement.stage"
	// EventDeliverableAdded: a deliverable was added to a network's library.
	EventDeliverableAdded EventKind = "deliverable.added"
	// EventCallCloses30 and EventCallCloses7: a call closes within 30 or
	// within 7 days; each is recorded once per call, by the daily job.
	EventCallCloses30 EventKind = "call.closes.30"
	EventCallCloses7  EventKind = "call.closes.7"
	// EventAlertRaised: a network has an alert it did not have at the
	// last computation (its kind is the event's detail).
	EventAlertRaised EventKind = "alert.raised"
	// EventJoinRequested: a person asked to join an organisation.
	EventJoinRequested EventKind = "org.join_requested"
	// EventDialoguePublished: a market dialogue was published (what
	// watches of dialogues are told of).
	EventDialoguePublished EventKind = "dialogue.published"
	// EventQuestionAnswered: the publisher of a dialogue answered a
	// supplier's question; the answer is news to every supplier in it.
	EventQuestionAnswered EventKind = "dialogue.question_answered"
)

// CallClosesEvent is the reminder due for a call on today: within 7 days
// of its last day the 7-day one, within 30 the 30-day one, none for a call
// closed or further off. A reminder missed (the job did not run that day)
// comes on the next run; a call published late gets the nearer one only.
func CallClosesEvent(c *FundingCall, today Date) (EventKind, bool) {
	if c.ClosesDate == nil || c.IsClosed(today) {
		return "", false
	}
	switch days := DaysBetween(today, *c.ClosesDate); {
	case days <= 7:
		return EventCallCloses7, true
	case days <= 30:
		return EventCallCloses30, true
	}
	return "", false
}

// DaysBetween is the number of days from a to b.
func DaysBetween(a, b Date) int { return int(b.Sub(a.Time).Hours()+12) / 24 }

// ProcurementEvent is the event a write of a member procurement makes: a
// change of stage is news to the network.
func ProcurementEvent(old, v *MemberProcurement) (EventKind, bool) {
	return EventProcurementStage, old != nil && v != nil && old.Stage != v.Stage
}

// DialogueEvent: a dialogue is news when it is published, as it is
// posted or from a draft.
func DialogueEvent(old, v *Dialogue) (EventKind, bool) {
	return EventDialoguePublished, v != nil && v.Status == DialoguePublished && (old == nil || old.Status != DialoguePublished)
}

// QuestionEvent: a question's answer is news when it is given.
func QuestionEvent(old, v *DialogueQuestion) (EventKind, bool) {
	return EventQuestionAnswered, old != nil && v != nil && !old.Answered() && v.Answered()
}

// DeliverableEvent: a new deliverable is news to the network.
func DeliverableEvent(old, v *Deliverable) (EventKind, bool) {
	return EventDeliverableAdded, old == nil && v != nil
}

// CallEvent, ProjectEvent and NetworkEvent are the events a write of a
// call, a project or a network makes: news when it is new to its register.
func CallEvent(old, v *FundingCall) (EventKind, bool) {
	return EventCallPublished, old == nil && v != nil
}

// ProjectEvent: see CallEvent.
func ProjectEvent(old, v *Project) (EventKind, bool) {
	return EventProjectAdded, old == nil && v != nil
}

// NetworkEvent: see CallEvent.
func NetworkEvent(old, v *Network) (EventKind, bool) {
	return EventNetworkStarted, old == nil && v != nil
}

// WatchTargetOf is the register an event's record is new to, if any.
func WatchTargetOf(k EventKind) (WatchTarget, bool) {
	switch k {
	case EventNeedShared:
		return WatchNeeds, true
	case EventCallPublished:
		return WatchCalls, true
	case EventProjectAdded:
		return WatchProjects, true
	case EventNetworkStarted:
		return WatchNetworks, true
	case EventDialoguePublished:
		return WatchDialogues, true
	}
	return "", false
}

// NeedEvent is the event a write of a need makes, if any: old is nil on
// create. A need is news to others once they may see it; a change of its
// text is not news again.
func NeedEvent(old, v *Need) (EventKind, bool) {
	if v == nil || !sharedNeed(v) || (old != nil && sharedNeed(old)) {
		return "", false
	}
	return EventNeedShared, true
}

func sharedNeed(n *Need) bool {
	return n.Visibility == VisibilityPublic || n.Visibility == VisibilityNetwork
}

// MemberEvent is the event a write of a network membership makes, if any:
// an invitation, or an answer to one (or leaving).
func MemberEvent(old, v *NetworkMember) (EventKind, bool) {
	switch {
	case v == nil:
		return "", false
	case old == nil && v.Status == MemberInvited:
		return EventMemberInvited, true
	case old == nil && v.Status == MemberRequested:
		return EventMemberRequested, true
	case old != nil && old.Status == MemberRequested && (v.Status == MemberActive || v.Status == MemberDeclined):
		return EventMemberDecided, true
	case old != nil && old.Status != v.Status && (v.Status == MemberActive || v.Status == MemberDeclined || v.Status == MemberLeft):
		return EventMemberAnswered, true
	}
	return "", false
}

// NotificationKind is what a notification tells; a person chooses per kind
// how to hear of it by e-mail.
type NotificationKind string

// Notification kinds.
const (
	NotifyNeedMatch    NotificationKind = "need_match"        // another organisation's need matches one of ours
	NotifyInvitation   NotificationKind = "invitation"        // our organisation is invited to a network, or its request to join is decided
	NotifyMemberAnswer NotificationKind = "member_answer"     // an organisation answered, asked to join or left a network we run
	NotifyWatch        NotificationKind = "watch"             // a new record one of our watches catches
	NotifyStage        NotificationKind = "procurement_stage" // a member procurement in one of our networks moved a stage
	NotifyDeliverable  NotificationKind = "deliverable"       // a deliverable was added in one of our networks
	NotifyCallCloses   NotificationKind = "call_closes"       // a call open to us closes in 30 or 7 days
	NotifyAlert        NotificationKind = "network_alert"     // one of our networks has a new alert
	NotifyJoinRequest  NotificationKind = "join_request"      // a person asks to join an organisation we decide for
	NotifyDialogue     NotificationKind = "dialogue_answer"   // a question in a market dialogue we take part in was answered to every supplier
)

// NotificationKinds are the kinds, in the order settings list them.
var NotificationKinds = []NotificationKind{NotifyNeedMatch, NotifyWatch, NotifyInvitation, NotifyMemberAnswer, NotifyCallCloses, NotifyAlert, NotifyStage, NotifyDeliverable, NotifyJoinRequest, NotifyDialogue}

// Valid reports whether k is a known kind.
func (k NotificationKind) Valid() bool { return slices.Contains(NotificationKinds, k) }

// Term returns the words for the kind.
func (k NotificationKind) Term() Term { return Term{Key: "notify_kind." + string(k)} }

// DeliveryMode is how a person hears of a kind by e-mail. The inbox in the
// app always has every notification.
type DeliveryMode string

// Delivery modes.
const (
	DeliverOff       DeliveryMode = "off"       // the inbox only
	DeliverImmediate DeliveryMode = "immediate" // one e-mail each, at once
	DeliverDaily     DeliveryMode = "daily"     // a digest every morning
	DeliverWeekly    DeliveryMode = "weekly"    // a digest on Monday mornings
)

// DeliveryModes are the modes, in the order a form offers them.
var DeliveryModes = []DeliveryMode{DeliverImmediate, DeliverDaily, DeliverWeekly, DeliverOff}

// Valid reports whether m is a known mode.
func (m DeliveryMode) Valid() bool { return slices.Contains(DeliveryModes, m) }

// Term returns the words for the mode.
func (m DeliveryMode) Term() Term { return Term{Key: "delivery." + string(m)} }

// DefaultDelivery is the mode of a kind until the person chooses: an
// invitation and a request to join wait for an answer, so they go at
// once; matches and answers come in the morning's digest.
func DefaultDelivery(k NotificationKind) DeliveryMode {
	if k == NotifyInvitation || k == NotifyJoinRequest {
		return DeliverImmediate
	}
	return DeliverDaily
}

// DigestHour is the local hour (Europe/Stockholm) digests go out.
const DigestHour = 7

// DeliveryDue is when a notification made at t is e-mailed under mode:
// at once, the next morning at DigestHour, or the next Monday morning.
// The zero time means never (off).
func DeliveryDue(mode DeliveryMode, t time.Time, loc *time.Location) time.Time {
	switch mode {
	case DeliverImmediate:
		return t
	case DeliverDaily, DeliverWeekly:
	default:
		return time.Time{}
	}
	lt := t.In(loc)
	due := time.Date(lt.Year(), lt.Month(), lt.Day(), DigestHour, 0, 0, 0, loc)
	if !due.After(lt) {
		due = due.AddDate(0, 0, 1)
	}
	if mode == DeliverWeekly {
		for due.Weekday() != time.Monday {
			due = due.AddDate(0, 0, 1)
		}
	}
	return due
}

// NotifyOfNeed is the rule for telling a person of another organisation's
// shared need: only someone who may see it (CanSeeNeed), and never the
// people of the organisation that posted it.
func NotifyOfNeed(recipient *Actor, n *Need, partners Partners) bool {
	return recipient != nil && !recipient.System && !recipient.InOrg(n.OrgID) && CanSeeNeed(recipient, n, partners)
}

// NotifyOfInvitation is the rule for telling of an invitation: the invited
// organisation's admins, who alone may answer it.
func NotifyOfInvitation(recipient *Actor, m *NetworkMember) bool {
	return recipient != nil && m.Status == MemberInvited && recipient.IsOrgAdmin(m.OrgID)
}

// NotifyOfDecision is the rule for telling of the decision on a request
// to join: the admins of the organisation that asked.
func NotifyOfDecision(recipient *Actor, m *NetworkMember) bool {
	return recipient != nil && (m.Status == MemberActive || m.Status == MemberDeclined) && recipient.IsOrgAdmin(m.OrgID)
}

// NotifyOfAnswer is the rule for telling of an answer, a leave or a
// request to join: the
// admins of the network's owner and coordinator, unless their own
// organisation is the one that answered.
func NotifyOfAnswer(recipient *Actor, n *Network, m *NetworkMember) bool {
	if recipient == nil || recipient.InOrg(m.OrgID) {
		return false
	}
	for _, id := range []*int64{n.OwnerOrgID, n.CoordinatorOrgID} {
		if id != nil && recipient.IsOrgAdmin(*id) {
			return true
		}
	}
	return false
}

// NotifyOfAnswerToAll: when the publisher of a dialogue answers a
// question, every supplier that takes part in it (has answered, asked or
// registered: takesPart) is told; the answer is public, so nobody is told
// who asked. Those who speak for the publisher are not told their own
// answer.
func NotifyOfAnswerToAll(recipient *Actor, d *Dialogue, s *Standing, takesPart func(orgID int64) bool) bool {
	if !recipient.SignedIn() || d.Status != DialoguePublished || Publishes(recipient, d, s) {
		return false
	}
	return slices.ContainsFunc(recipient.OrgIDs(), takesPart)
}

// NotifyOfNetworkNews is the rule for telling of news in a network (a
// member procurement's stage, a new deliverable): the people of the
// network's organisations, its active members, owner and coordinator,
// but not the person who made the news nor, for a procurement, the
// organisation whose procurement it is (aboutOrg; 0 for none).
func NotifyOfNetworkNews(recipient *Actor, n *Network, members []*NetworkMember, aboutOrg, byUser int64) bool {
	if recipient == nil || recipient.System || recipient.UserID() == byUser || (aboutOrg != 0 && recipient.InOrg(aboutOrg)) {
		return false
	}
	for _, id := range []*int64{n.OwnerOrgID, n.CoordinatorOrgID} {
		if id != nil && recipient.InOrg(*id) {
			return true
		}
	}
	for _, m := range members {
		if m.NetworkID == n.ID && m.Status == MemberActive && recipient.InOrg(m.OrgID) {
			return true
		}
	}
	return false
}

// NotifyOfCallCloses is the rule for reminding of a call's last day: the
// people of an organisation the call is open to (FundingCall.Accepts) that
// takes part, with a need other organisations may see or as an active
// member of a network (active holds those organisations).
func NotifyOfCallCloses(recipient *Actor, c *FundingCall, orgs []*Organization, active map[int64]bool) bool {
	if recipient == nil || recipient.System {
		return false
	}
	for _, o := range orgs {
		if recipient.InOrg(o.ID) && active[o.ID] && c.Accepts(o.Kind) {
			return true
		}
	}
	return false
}

// Notification is one thing a person is told, with the facts its message
// is worded from. What it points to is read again, as the person may see
// it, when it is shown.
type Notification struct {
	ID        int64            `json:"id"`
	Kind      NotificationKind `json:"kind"`
	NeedID    int64            `json:"need_id,omitempty"`       // the other organisation's need (need_match)
	MyNeedID  int64            `json:"my_need_id,omitempty"`    // our need it matches (need_match)
	NetworkID int64            `json:"network_id,omitempty"`    // invitation, member_answer
	MemberID  int64            `json:"member_id,omitempty"`     // the membership (invitation, member_answer)
	Status    MemberStatus     `json:"member_status,omitempty"` // the answer (member_answer)
	Score     float64          `json:"score,omitempty"`         // how well the needs match (need_match)
	WatchID   int64            `json:"watch_id,omitempty"`      // the watch that caught it (watch)
	Target    WatchTarget      `json:"target,omitempty"`        // the watch's register (watch)
	EntityID  int64            `json:"entity_id,omitempty"`     // the new record in it (watch); the request (join_request)
	CreatedAt time.Time        `json:"created_at"`
	ReadAt    *time.Time       `json:"read_at,omitempty"`
	// Facts read when shown, for the message: titles and names.
	Title   string           `json:"title,omitempty"`    // the need's title or the network's name
	MyTitle string           `json:"my_title,omitempty"` // our need's title
	OrgName string           `json:"org_name,omitempty"` // the other organisation
	Watch   string           `json:"watch,omitempty"`    // the watch's name
	Network string           `json:"network,omitempty"`  // the network's name (procurement_stage, deliverable)
	Stage   ProcurementStage `json:"stage,omitempty"`    // the procurement's stage now (procurement_stage)
	Closes  *Date            `json:"closes,omitempty"`   // the call's last day (call_closes)
	Days    int              `json:"days,omitempty"`     // … in days from the notification (call_closes)
	Detail  string           `json:"alert,omitempty"`    // the alert's kind (network_alert)
	OrgID   int64            `json:"org_id,omitempty"`   // the organisation asked to join (join_request)
	Person  string           `json:"person,omitempty"`   // who asks (join_request)
	Msg
}

// Message returns what the notification says, from its facts.
func (n Notification) Message() Msg {
	switch n.Kind {
	case NotifyNeedMatch:
		return M("notify.need_match", F{"title": n.Title, "org": n.OrgName, "mine": n.MyTitle})
	case NotifyInvitation:
		if n.Status != "" { // the decision on the organisation's request to join
			return M("notify.join_decision."+string(n.Status), F{"network": n.Title, "org": n.OrgName})
		}
		return M("notify.invitation", F{"network": n.Title, "org": n.OrgName})
	case NotifyMemberAnswer:
		return M("notify.member_answer."+string(n.Status), F{"network": n.Title, "org": n.OrgName})
	case NotifyWatch:
		return M("notify.watch."+string(n.Target), F{"title": n.Title, "watch": n.Watch})
	case NotifyStage:
		return M("notify.procurement_stage", F{"title": n.Title, "org": n.OrgName, "stage": n.Stage.Term(), "network": n.Network})
	case NotifyDeliverable:
		return M("notify.deliverable", F{"title": n.Title, "network": n.Network})
	case NotifyAlert:
		return M("notify.network_alert", F{"network": n.Network, "alert": Term{Key: "alert." + n.Detail}})
	case NotifyCallCloses:
		key := "notify.call_closes"
		if n.Days == 1 {
			key += ".one"
		}
		return M(key, F{"title": n.Title, "date": n.Closes, "days": n.Days})
	case NotifyJoinRequest:
		return M("notify.join_request", F{"person": n.Person, "org": n.OrgName})
	case NotifyDialogue:
		return M("notify.dialogue_answer", F{"title": n.Title})
	}
	return M("notify.unknown")
}
