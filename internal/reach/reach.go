// Package reach tells people what concerns them without their coming back
// to look: it turns the events the store records with each write into
// notifications for the people the domain's rules allow (arena.NotifyOfNeed,
// NotifyOfInvitation, NotifyOfAnswer), keeps them in an in-app inbox and
// sends them by e-mail, at once or as a daily or weekly digest, through an
// outbox: a notification and its outbox row are written in one
// transaction, and a sender claims rows for a lease before it sends, so a
// sender that dies loses nothing and two instances never send one message
// twice.
package reach

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"slices"
	"sync/atomic"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/i18n"
	"github.com/arena-se/arena/internal/mail"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/store"
)

// Stockholm is the time zone digests keep (arena.DigestHour).
var Stockholm = arena.Stockholm

// Service derives notifications and sends e-mail.
type Service struct {
	DB       *store.DB
	Matching *matching.Service // nil: no matches are told
	Texts    *i18n.Bundle
	Log      *slog.Logger
	// Mail sends e-mail; nil keeps notifications in the inbox only.
	Mail mail.Sender
	// PublicURL is where the links in e-mails point (https://arena.example.se).
	PublicURL string
	// Instance names this sender in its claims.
	Instance string
	// Lease is how long a claim holds before another sender may take the
	// e-mail again.
	Lease time.Duration
	// Loc is the digests' time zone.
	Loc *time.Location
	// MatchesPerNeed bounds the needs a new need is matched with.
	MatchesPerNeed int
	// OnJob is told of each run and its outcome (metrics); nil tells nobody.
	OnJob func(job string, err error)

	kick chan struct{}
	// remindedOn is the day this instance last recorded the calls'
	// reminders: RunOnce runs after every write, the reminders once a day.
	remindedOn atomic.Pointer[arena.Date]
}

// New returns a service with the defaults.
func New(db *store.DB, m *matching.Service, texts *i18n.Bundle, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{DB: db, Matching: m, Texts: texts, Log: log, PublicURL: "http://localhost:8080", Instance: "arena",
		Lease: 2 * time.Minute, Loc: Stockholm, MatchesPerNeed: 20, kick: make(chan struct{}, 1)}
}

// MaxAttempts is how often an e-mail is tried before it is given up.
const MaxAttempts = 8

// Backoff is the wait before attempt n+1 of an e-mail: a minute, doubling,
// at most six hours.
func Backoff(n int) time.Duration {
	d := time.Minute
	for i := 1; i < n && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

func system(ctx context.Context) context.Context {
	return arena.WithActor(ctx, arena.SystemActor())
}

// ProcessEvents turns pending events into notifications, at most limit
// events; it returns how many it processed. It claims them first (for
// Lease), so that instances running it at once each work out other events;
// those it does not get to, it gives back.
func (s *Service) ProcessEvents(ctx context.Context, limit int) (n int, err error) {
	events, err := s.DB.ClaimEvents(ctx, s.Instance, s.Lease, limit)
	if err != nil || len(events) == 0 {
		return 0, err
	}
	defer func() {
		if n < len(events) {
			ids := make([]int64, 0, len(events)-n)
			for _, ev := range events[n:] {
				ids = append(ids, ev.ID)
			}
			// Given back even when the run was cancelled; a failure
			// here leaves them to the lease.
			if rerr := s.DB.ReleaseEvents(context.WithoutCancel(ctx), s.Instance, ids); rerr != nil {
				s.Log.WarnContext(ctx, "giving back events", "err", rerr)
			}
		}
	}()
	if s.Matching != nil {
		// The index must hold the needs the events are about.
		if err := s.Matching.Sync(ctx); err != nil {
			return 0, err
		}
	}
	for _, ev := range events {
		notes, err := s.notesOf(ctx, ev)
		if err != nil {
			return n, err
		}
		if _, err := s.DB.CommitEvent(ctx, ev.ID, notes, s.Loc); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// notesOf works out who is told of ev, by the domain's rules.
func (s *Service) notesOf(ctx context.Context, ev store.Event) ([]store.NewNotification, error) {
	sys := system(ctx)
	switch ev.Kind {
	case arena.EventNeedShared:
		notes, err := s.needNotes(ctx, ev)
		if err != nil {
			return nil, err
		}
		return s.watchNotes(ctx, ev, notes)
	case arena.EventCallPublished, arena.EventProjectAdded, arena.EventNetworkStarted, arena.EventDialoguePublished:
		return s.watchNotes(ctx, ev, nil)
	case arena.EventQuestionAnswered:
		return s.answeredToAll(ctx, ev)
	case arena.EventProcurementStage, arena.EventDeliverableAdded:
		return s.networkNews(ctx, ev)
	case arena.EventCallCloses30, arena.EventCallCloses7:
		return s.callCloses(ctx, ev)
	case arena.EventAlertRaised:
		return s.tellNetwork(ctx, ev.EntityID, 0, 0, arena.Notification{Kind: arena.NotifyAlert, NetworkID: ev.EntityID, Detail: ev.Detail})
	case arena.EventJoinRequested:
		return s.joinRequested(ctx, ev)
	case arena.EventMemberInvited, arena.EventMemberAnswered, arena.EventMemberRequested, arena.EventMemberDecided:
		m, err := s.DB.NetworkMembers.GetUnchecked(sys, ev.EntityID)
		if arena.ErrorCode(err) == arena.ENOTFOUND {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		n, err := s.DB.Networks.GetUnchecked(sys, m.NetworkID)
		if err != nil {
			return nil, err
		}
		var orgs []int64
		if ev.Kind == arena.EventMemberInvited || ev.Kind == arena.EventMemberDecided {
			orgs = []int64{m.OrgID}
		} else {
			for _, id := range []*int64{n.OwnerOrgID, n.CoordinatorOrgID} {
				if id != nil {
					orgs = append(orgs, *id)
				}
			}
		}
		users, err := s.usersOf(ctx, orgs)
		if err != nil {
			return nil, err
		}
		var out []store.NewNotification
		for _, a := range users {
			note := arena.Notification{NetworkID: n.ID, MemberID: m.ID}
			switch {
			case ev.Kind == arena.EventMemberInvited && arena.NotifyOfInvitation(a, m):
				note.Kind = arena.NotifyInvitation
			case ev.Kind == arena.EventMemberDecided && arena.NotifyOfDecision(a, m):
				note.Kind, note.Status = arena.NotifyInvitation, m.Status
			case (ev.Kind == arena.EventMemberAnswered || ev.Kind == arena.EventMemberRequested) && arena.NotifyOfAnswer(a, n, m):
				note.Kind, note.Status = arena.NotifyMemberAnswer, m.Status
			default:
				continue
			}
			out = append(out, store.NewNotification{UserID: a.UserID(), Notification: note})
		}
		return out, nil
	}
	return nil, nil
}

// usersOf returns the actors of the active people of the organisations,
// each once.
func (s *Service) usersOf(ctx context.Context, orgIDs []int64) ([]*arena.Actor, error) {
	byOrg, err := s.DB.OrgUsers(ctx, orgIDs)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	var out []*arena.Actor
	for _, org := range orgIDs {
		for _, id := range byOrg[org] {
			if seen[id] {
				continue
			}
			seen[id] = true
			a, err := s.DB.ActorFor(ctx, id)
			if err != nil {
				return nil, err
			}
			out = append(out, a)
		}
	}
	return out, nil
}

// needNotes tells the people of organisations with a need like a newly
// shared one, if they may see it (arena.NotifyOfNeed): one notification
// each, naming their own need most like it.
func (s *Service) needNotes(ctx context.Context, ev store.Event) ([]store.NewNotification, error) {
	if s.Matching == nil {
		return nil, nil
	}
	sys := system(ctx)
	need, err := s.DB.Needs.GetUnchecked(sys, ev.EntityID)
	if arena.ErrorCode(err) == arena.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	org, err := s.DB.Organizations.Get(sys, need.OrgID)
	if err != nil {
		return nil, err
	}
	near, err := s.Matching.NeighboursOf(ctx, need, org.Kind, s.MatchesPerNeed, matching.GoodMatch)
	if err != nil {
		return nil, err
	}
	best := map[int64]matching.Neighbour{} // the best of each organisation's needs
	var orgs []int64
	for _, nb := range near {
		if b, ok := best[nb.OrgID]; !ok || nb.Score > b.Score {
			if !ok {
				orgs = append(orgs, nb.OrgID)
			}
			best[nb.OrgID] = nb
		}
	}
	byOrg, err := s.DB.OrgUsers(ctx, orgs)
	if err != nil {
		return nil, err
	}
	var out []store.NewNotification
	for _, o := range orgs {
		nb := best[o]
		for _, uid := range byOrg[o] {
			a, err := s.DB.ActorFor(ctx, uid)
			if err != nil {
				return nil, err
			}
			partners, err := s.DB.NetworkPartners(ctx, a.OrgIDs())
			if err != nil {
				return nil, err
			}
			if !arena.NotifyOfNeed(a, need, func(id int64) bool { return partners[id] }) {
				continue
			}
			out = append(out, store.NewNotification{UserID: uid, Notification: arena.Notification{
				Kind: arena.NotifyNeedMatch, NeedID: need.ID, MyNeedID: nb.NeedID, Score: nb.Score}})
		}
	}
	return out, nil
}

// today is the date now in the service's time zone, by the store's clock.
func (s *Service) today() arena.Date { return arena.DateOf(s.DB.Now().In(s.Loc)) }

// RemindCalls records the reminders due today of calls' last days
// (arena.CallClosesEvent), each once per call whichever instance runs it;
// it returns how many it recorded.
func (s *Service) RemindCalls(ctx context.Context) (int, error) {
	sys := system(ctx)
	today := s.today()
	calls, err := store.Unchecked(sys, s.DB.Calls, map[string]string{"open_on": today.String()})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range calls {
		kind, due := arena.CallClosesEvent(c, today)
		if !due {
			continue
		}
		recorded, err := s.DB.RecordEventOnce(ctx, kind, "funding_calls", c.ID)
		if err != nil {
			return n, err
		}
		if recorded {
			n++
		}
	}
	return n, nil
}

// callCloses tells the people of the organisations a call is open to that
// take part in the arena of its last day (arena.NotifyOfCallCloses).
func (s *Service) callCloses(ctx context.Context, ev store.Event) ([]store.NewNotification, error) {
	sys := system(ctx)
	c, err := s.DB.Calls.GetUnchecked(sys, ev.EntityID)
	if arena.ErrorCode(err) == arena.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	active, err := s.DB.TakingPart(ctx)
	if err != nil {
		return nil, err
	}
	byID, err := s.DB.Organizations.GetMany(sys, slices.Collect(maps.Keys(active)))
	if err != nil {
		return nil, err
	}
	var orgs []*arena.Organization
	var ids []int64
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		if o := byID[id]; c.Accepts(o.Kind) {
			orgs, ids = append(orgs, o), append(ids, id)
		}
	}
	users, err := s.usersOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []store.NewNotification
	for _, a := range users {
		if arena.NotifyOfCallCloses(a, c, orgs, active) {
			out = append(out, store.NewNotification{UserID: a.UserID(), Notification: arena.Notification{Kind: arena.NotifyCallCloses, EntityID: c.ID}})
		}
	}
	return out, nil
}

// answeredToAll tells the suppliers that take part in a dialogue that
// one of its questions was answered (arena.NotifyOfAnswerToAll).
func (s *Service) answeredToAll(ctx context.Context, ev store.Event) ([]store.NewNotification, error) {
	sys := system(ctx)
	q, err := s.DB.DialogueQuestions.GetUnchecked(sys, ev.EntityID)
	if arena.ErrorCode(err) == arena.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	d, err := s.DB.Dialogues.GetUnchecked(sys, q.DialogueID)
	if err != nil {
		return nil, err
	}
	orgs, err := s.DB.DialogueParticipants(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	users, err := s.usersOf(ctx, orgs)
	if err != nil {
		return nil, err
	}
	var standing func(a *arena.Actor) *arena.Standing
	if d.NetworkID != nil {
		ns, err := s.DB.NetworkState(sys, *d.NetworkID)
		if err != nil {
			return nil, err
		}
		standing = func(a *arena.Actor) *arena.Standing {
			st := arena.StandingIn(a, ns.Network, ns.Members)
			return &st
		}
	}
	takesPart := func(id int64) bool { return slices.Contains(orgs, id) }
	var out []store.NewNotification
	for _, a := range users {
		var st *arena.Standing
		if standing != nil {
			st = standing(a)
		}
		if arena.NotifyOfAnswerToAll(a, d, st, takesPart) {
			out = append(out, store.NewNotification{UserID: a.UserID(), Notification: arena.Notification{Kind: arena.NotifyDialogue, EntityID: d.ID}})
		}
	}
	return out, nil
}

// networkNews tells the people of a network's organisations of a member
// procurement's new stage or a new deliverable (arena.NotifyOfNetworkNews).
func (s *Service) networkNews(ctx context.Context, ev store.Event) ([]store.NewNotification, error) {
	sys := system(ctx)
	var netID, aboutOrg int64
	kind := arena.NotifyDeliverable
	if ev.Kind == arena.EventProcurementStage {
		p, err := s.DB.MemberProcurements.GetUnchecked(sys, ev.EntityID)
		if arena.ErrorCode(err) == arena.ENOTFOUND {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		netID, aboutOrg, kind = p.NetworkID, p.OrgID, arena.NotifyStage
	} else {
		d, err := s.DB.Deliverables.GetUnchecked(sys, ev.EntityID)
		if arena.ErrorCode(err) == arena.ENOTFOUND {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		netID = d.NetworkID
	}
	return s.tellNetwork(ctx, netID, aboutOrg, ev.ByUserID, arena.Notification{Kind: kind, NetworkID: netID, EntityID: ev.EntityID})
}

// tellNetwork gives the note to the people of the network's organisations
// (arena.NotifyOfNetworkNews).
func (s *Service) tellNetwork(ctx context.Context, netID, aboutOrg, byUser int64, note arena.Notification) ([]store.NewNotification, error) {
	sys := system(ctx)
	n, err := s.DB.Networks.GetUnchecked(sys, netID)
	if arena.ErrorCode(err) == arena.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	members, err := store.Unchecked(sys, s.DB.NetworkMembers, map[string]string{"network_id": itoa(netID), "status": string(arena.MemberActive)})
	if err != nil {
		return nil, err
	}
	var orgs []int64
	for _, id := range []*int64{n.OwnerOrgID, n.CoordinatorOrgID} {
		if id != nil {
			orgs = append(orgs, *id)
		}
	}
	for _, m := range members {
		orgs = append(orgs, m.OrgID)
	}
	users, err := s.usersOf(ctx, orgs)
	if err != nil {
		return nil, err
	}
	var out []store.NewNotification
	for _, a := range users {
		if arena.NotifyOfNetworkNews(a, n, members, aboutOrg, byUser) {
			out = append(out, store.NewNotification{UserID: a.UserID(), Notification: note})
		}
	}
	return out, nil
}

// watchNotes adds to notes the people whose watches catch the record of
// ev (arena.NotifyOfWatch): the record is asked of its register as each
// keeper, under the watch's filters, so a person hears only of what the
// register would list to them. A person already told of the event (a
// matching need) is not told again; a person with several watches that
// catch it is told once, by the first.
func (s *Service) watchNotes(ctx context.Context, ev store.Event, notes []store.NewNotification) ([]store.NewNotification, error) {
	target, ok := arena.WatchTargetOf(ev.Kind)
	if !ok {
		return notes, nil
	}
	watches, err := s.DB.ActiveWatches(system(ctx), target)
	if err != nil || len(watches) == 0 {
		return notes, err
	}
	var need *arena.Need
	if target == arena.WatchNeeds {
		need, err = s.DB.Needs.GetUnchecked(system(ctx), ev.EntityID)
		if arena.ErrorCode(err) == arena.ENOTFOUND {
			return notes, nil
		} else if err != nil {
			return nil, err
		}
	}
	told := map[int64]bool{}
	for _, n := range notes {
		told[n.UserID] = true
	}
	actors := map[int64]*arena.Actor{}
	for _, w := range watches {
		if told[w.UserID] {
			continue
		}
		a := actors[w.UserID]
		if a == nil {
			if a, err = s.DB.ActorFor(ctx, w.UserID); err != nil {
				return nil, err
			}
			actors[w.UserID] = a
		}
		listed, err := s.DB.Watched(arena.WithActor(ctx, a), target, ev.EntityID, w.Filters)
		if arena.ErrorCode(err) == arena.EINVALID {
			continue // a filter the register no longer takes catches nothing
		} else if err != nil {
			return nil, err
		}
		if !arena.NotifyOfWatch(a, w, listed, need) {
			continue
		}
		told[w.UserID] = true
		notes = append(notes, store.NewNotification{UserID: w.UserID, Notification: arena.Notification{
			Kind: arena.NotifyWatch, WatchID: w.ID, Target: target, EntityID: ev.EntityID}})
	}
	return notes, nil
}

// Kick asks Run to work now rather than at its next tick.
func (s *Service) Kick() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Run processes events and sends due e-mail every interval (and when
// kicked) until ctx ends.
func (s *Service) Run(ctx context.Context, every time.Duration) {
	if s.Mail == nil {
		s.Log.Info("e-mail is off: no SMTP server configured (--smtp-host); notifications stay in the inbox")
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		s.RunOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.kick:
		}
	}
}

// RunOnce records the calls' reminders due, processes every pending event
// and sends the e-mail due now.
func (s *Service) RunOnce(ctx context.Context) {
	if today, last := s.today(), s.remindedOn.Load(); last == nil || *last != today {
		_, err := s.RemindCalls(ctx)
		s.job("remind", err)
		if err == nil {
			s.remindedOn.Store(&today)
		} else if ctx.Err() == nil {
			s.Log.WarnContext(ctx, "reminders of calls", "err", err)
		}
	}
	for {
		n, err := s.ProcessEvents(ctx, 100)
		s.job("notify", err)
		if err != nil {
			if ctx.Err() == nil {
				s.Log.WarnContext(ctx, "notifications", "err", err)
			}
			break
		}
		if n < 100 {
			break
		}
	}
	if s.Mail == nil {
		return
	}
	for {
		n, err := s.SendDue(ctx, 20)
		s.job("mail", err)
		if err != nil {
			if ctx.Err() == nil {
				s.Log.WarnContext(ctx, "sending e-mail", "err", err)
			}
			return
		}
		if n == 0 {
			return
		}
	}
}

func (s *Service) job(name string, err error) {
	if s.OnJob != nil && !errors.Is(err, context.Canceled) {
		s.OnJob(name, err)
	}
}
