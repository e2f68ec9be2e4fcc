package reach

import (
	"context"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
)

// InboxPage bounds the notifications listed at once.
const InboxPage = 50

// Inbox lists the notifications of the actor of ctx, newest first (ids
// below before; 0 for the newest), as the actor may see them now: one
// about a need the actor may no longer see is left out. It returns the
// unread count too.
func (s *Service) Inbox(ctx context.Context, before int64, limit int) ([]arena.Notification, int, error) {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return nil, 0, err
	}
	if limit <= 0 || limit > InboxPage {
		limit = InboxPage
	}
	notes, err := s.DB.Notifications(ctx, a.UserID(), before, limit)
	if err != nil {
		return nil, 0, err
	}
	if notes, err = s.Describe(ctx, notes); err != nil {
		return nil, 0, err
	}
	unread, err := s.DB.UnreadCount(ctx, a.UserID())
	return notes, unread, err
}

// Describe fills in the facts the notifications' messages name (titles,
// names), read as the actor of ctx may see them now, and leaves out those
// about a need the actor may no longer see.
func (s *Service) Describe(ctx context.Context, notes []arena.Notification) ([]arena.Notification, error) {
	var needIDs, netIDs, memberIDs, watchIDs, procIDs, delivIDs, joinIDs []int64
	caught := map[arena.WatchTarget][]int64{}
	for _, n := range notes {
		switch n.Kind {
		case arena.NotifyNeedMatch:
			needIDs = append(needIDs, n.NeedID, n.MyNeedID)
		case arena.NotifyInvitation, arena.NotifyMemberAnswer:
			netIDs, memberIDs = append(netIDs, n.NetworkID), append(memberIDs, n.MemberID)
		case arena.NotifyStage:
			netIDs, procIDs = append(netIDs, n.NetworkID), append(procIDs, n.EntityID)
		case arena.NotifyDeliverable:
			netIDs, delivIDs = append(netIDs, n.NetworkID), append(delivIDs, n.EntityID)
		case arena.NotifyAlert:
			netIDs = append(netIDs, n.NetworkID)
		case arena.NotifyJoinRequest:
			joinIDs = append(joinIDs, n.EntityID)
		case arena.NotifyCallCloses:
			caught[arena.WatchCalls] = append(caught[arena.WatchCalls], n.EntityID)
		case arena.NotifyDialogue:
			caught[arena.WatchDialogues] = append(caught[arena.WatchDialogues], n.EntityID)
		case arena.NotifyWatch:
			watchIDs = append(watchIDs, n.WatchID)
			caught[n.Target] = append(caught[n.Target], n.EntityID)
			switch n.Target {
			case arena.WatchNeeds:
				needIDs = append(needIDs, n.EntityID)
			case arena.WatchNetworks:
				netIDs = append(netIDs, n.EntityID)
			}
		}
	}
	needs, err := s.DB.Needs.GetMany(ctx, needIDs)
	if err != nil {
		return nil, err
	}
	sys := system(ctx)
	nets, err := s.DB.Networks.GetManyUnchecked(sys, netIDs)
	if err != nil {
		return nil, err
	}
	watches, err := s.DB.Watches.GetMany(ctx, watchIDs)
	if err != nil {
		return nil, err
	}
	calls, err := s.DB.Calls.GetMany(ctx, caught[arena.WatchCalls])
	if err != nil {
		return nil, err
	}
	projects, err := s.DB.Projects.GetMany(ctx, caught[arena.WatchProjects])
	if err != nil {
		return nil, err
	}
	dialogues, err := s.DB.Dialogues.GetMany(ctx, caught[arena.WatchDialogues])
	if err != nil {
		return nil, err
	}
	// Read as the person may see them now (a member procurement is the
	// network's insiders' alone).
	procs, err := s.DB.MemberProcurements.GetMany(ctx, procIDs)
	if err != nil {
		return nil, err
	}
	delivs, err := s.DB.Deliverables.GetMany(ctx, delivIDs)
	if err != nil {
		return nil, err
	}
	members, err := s.DB.NetworkMembers.GetManyUnchecked(sys, memberIDs)
	if err != nil {
		return nil, err
	}
	// A request is told while it waits; the person is named as the
	// reader may see them (arena.CanSeeUser).
	joins, err := s.DB.OrgMemberships.GetManyUnchecked(sys, joinIDs)
	if err != nil {
		return nil, err
	}
	var orgIDs, personIDs []int64
	for _, m := range joins {
		orgIDs, personIDs = append(orgIDs, m.OrgID), append(personIDs, m.UserID)
	}
	people, err := s.DB.Users.GetMany(ctx, personIDs)
	if err != nil {
		return nil, err
	}
	for _, n := range needs {
		orgIDs = append(orgIDs, n.OrgID)
	}
	for _, m := range members {
		orgIDs = append(orgIDs, m.OrgID)
	}
	for _, p := range procs {
		orgIDs = append(orgIDs, p.OrgID)
	}
	orgs, err := s.DB.Organizations.GetMany(sys, orgIDs)
	if err != nil {
		return nil, err
	}
	orgName := func(id int64) string {
		if o := orgs[id]; o != nil {
			return o.Name
		}
		return ""
	}
	out := notes[:0:0]
	for _, n := range notes {
		switch n.Kind {
		case arena.NotifyNeedMatch:
			other, mine := needs[n.NeedID], needs[n.MyNeedID]
			if other == nil || mine == nil {
				continue
			}
			n.Title, n.MyTitle, n.OrgName = other.Title, mine.Title, orgName(other.OrgID)
		case arena.NotifyInvitation, arena.NotifyMemberAnswer:
			net, m := nets[n.NetworkID], members[n.MemberID]
			if net == nil || m == nil {
				continue
			}
			n.Title, n.OrgName = net.Name, orgName(m.OrgID)
		case arena.NotifyStage:
			p, net := procs[n.EntityID], nets[n.NetworkID]
			if p == nil || net == nil {
				continue
			}
			n.Title, n.OrgName, n.Stage, n.Network = p.Title, orgName(p.OrgID), p.Stage, net.Name
			if n.Title == "" {
				n.Title = net.Name
			}
		case arena.NotifyAlert:
			net := nets[n.NetworkID]
			if net == nil {
				continue
			}
			n.Title, n.Network = net.Name, net.Name
		case arena.NotifyJoinRequest:
			m := joins[n.EntityID]
			if m == nil || m.Status != arena.OrgMemberRequested || people[m.UserID] == nil {
				continue // decided, or not the reader's to see
			}
			n.OrgID, n.OrgName, n.Person = m.OrgID, orgName(m.OrgID), people[m.UserID].Name
			if n.Person == "" {
				n.Person = people[m.UserID].Email
			}
		case arena.NotifyCallCloses:
			c := calls[n.EntityID]
			if c == nil || c.ClosesDate == nil {
				continue
			}
			n.Title, n.Closes = c.Title, c.ClosesDate
			n.Days = arena.DaysBetween(arena.DateOf(n.CreatedAt.In(s.Loc)), *c.ClosesDate)
		case arena.NotifyDeliverable:
			d, net := delivs[n.EntityID], nets[n.NetworkID]
			if d == nil || net == nil {
				continue
			}
			n.Title, n.Network = d.Title, net.Name
		case arena.NotifyWatch:
			w := watches[n.WatchID]
			if w == nil {
				continue // the watch was deleted: what it caught is not told
			}
			n.Watch = w.Name
			switch n.Target {
			case arena.WatchNeeds:
				if x := needs[n.EntityID]; x != nil {
					n.Title = x.Title
				}
			case arena.WatchNetworks:
				if x := nets[n.EntityID]; x != nil {
					n.Title = x.Name
				}
			case arena.WatchCalls:
				if x := calls[n.EntityID]; x != nil {
					n.Title = x.Title
				}
			case arena.WatchProjects:
				if x := projects[n.EntityID]; x != nil {
					n.Title = x.Title
				}
			case arena.WatchDialogues:
				if x := dialogues[n.EntityID]; x != nil {
					n.Title = x.Title
				}
			}
			if n.Title == "" {
				continue // gone, or no longer seen by the person
			}
		case arena.NotifyDialogue:
			x := dialogues[n.EntityID]
			if x == nil {
				continue
			}
			n.Title = x.Title
		default:
			continue
		}
		n.Msg = n.Message()
		out = append(out, n)
	}
	return out, nil
}

// MarkRead marks notifications of the actor of ctx read: those with ids,
// or every one when ids is empty.
func (s *Service) MarkRead(ctx context.Context, ids []int64) error {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return err
	}
	return s.DB.MarkRead(ctx, a.UserID(), ids)
}

// Path is the page a notification is about, under the site's root.
func Path(n arena.Notification) string {
	switch n.Kind {
	case arena.NotifyNeedMatch:
		return "/behov/" + itoa(n.NeedID)
	case arena.NotifyInvitation, arena.NotifyMemberAnswer:
		return "/natverk/" + itoa(n.NetworkID)
	case arena.NotifyStage:
		return "/natverk/" + itoa(n.NetworkID) + "/uppfoljning"
	case arena.NotifyDeliverable:
		return "/natverk/" + itoa(n.NetworkID) + "/leveranser"
	case arena.NotifyCallCloses:
		return "/utlysningar/" + itoa(n.EntityID)
	case arena.NotifyAlert:
		return "/natverk/" + itoa(n.NetworkID) + "/varningar"
	case arena.NotifyJoinRequest:
		if n.OrgID != 0 {
			return "/organisationer/" + itoa(n.OrgID)
		}
	case arena.NotifyWatch:
		switch n.Target {
		case arena.WatchNeeds:
			return "/behov/" + itoa(n.EntityID)
		case arena.WatchCalls:
			return "/utlysningar/" + itoa(n.EntityID)
		case arena.WatchProjects:
			return "/projekt/" + itoa(n.EntityID)
		case arena.WatchNetworks:
			return "/natverk/" + itoa(n.EntityID)
		case arena.WatchDialogues:
			return "/dialoger/" + itoa(n.EntityID)
		}
	case arena.NotifyDialogue:
		return "/dialoger/" + itoa(n.EntityID) + "#questions"
	}
	return "/inkorg"
}

// Settings returns how the actor of ctx hears of each kind by e-mail.
func (s *Service) Settings(ctx context.Context) (store.NotificationSettings, error) {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return store.NotificationSettings{}, err
	}
	return s.DB.NotificationSettings(ctx, a.UserID())
}

// SaveSettings checks and stores the actor's choices: a mode by kind
// (kinds not given keep theirs) and the language of e-mail ("" keeps it).
// An unknown kind, mode or language is EINVALID naming it, and nothing is
// stored.
func (s *Service) SaveSettings(ctx context.Context, modes map[string]string, lang string) error {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return err
	}
	checked := map[arena.NotificationKind]arena.DeliveryMode{}
	for k, m := range modes {
		kind, mode := arena.NotificationKind(k), arena.DeliveryMode(m)
		if !kind.Valid() {
			return arena.Invalid("modes", "err.choice", arena.F{"value": k, "choices": choices(arena.NotificationKinds)})
		}
		if !mode.Valid() {
			return arena.Invalid(k, "err.choice", arena.F{"value": m, "choices": choices(arena.DeliveryModes)})
		}
		checked[kind] = mode
	}
	if lang != "" && lang != "sv" && lang != "en" {
		return arena.Invalid("lang", "err.choice", arena.F{"value": lang, "choices": arena.Choices{"sv", "en"}})
	}
	return s.DB.SetNotificationSettings(ctx, a.UserID(), checked, lang)
}

func choices[T ~string](xs []T) arena.Choices {
	out := make(arena.Choices, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
