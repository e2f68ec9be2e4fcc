package reach

import (
	"cmp"
	"context"
	"maps"
	"net/url"
	"slices"

	ics "github.com/arran4/golang-ical"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/auth"
	"github.com/arena-se/arena/internal/store"
)

// CalendarMax bounds the events of a feed.
const CalendarMax = 1000

// Calendar is the dates of the actor of ctx, by the domain's rules
// (arena.CallInCalendar, NeedInCalendar, ProcurementInCalendar,
// ActivityInCalendar): the last days of calls open to the actor's
// organisations, the planned dates of their needs, and the planned member
// procurements and the activities of the networks they are active in, each
// read as the actor may see it. Sorted by date, at most CalendarMax.
func (s *Service) Calendar(ctx context.Context) ([]arena.CalendarEntry, error) {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	today := s.today()
	var out []arena.CalendarEntry
	add := func(e arena.CalendarEntry, ok bool) {
		if ok {
			out = append(out, e)
		}
	}
	orgs, err := s.DB.Organizations.GetMany(ctx, a.OrgIDs())
	if err != nil {
		return nil, err
	}
	var kinds []arena.OrgKind
	for _, o := range orgs {
		kinds = append(kinds, o.Kind)
	}
	calls, err := store.All(ctx, s.DB.Calls, nil)
	if err != nil {
		return nil, err
	}
	for _, c := range calls {
		add(arena.CallInCalendar(c, kinds, today))
	}
	nets := map[int64]bool{}
	for _, org := range a.OrgIDs() {
		needs, err := store.All(ctx, s.DB.Needs, map[string]string{"org_id": itoa(org)})
		if err != nil {
			return nil, err
		}
		for _, n := range needs {
			add(arena.NeedInCalendar(a, n, today))
		}
		members, err := store.All(ctx, s.DB.NetworkMembers, map[string]string{"org_id": itoa(org), "status": string(arena.MemberActive)})
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			nets[m.NetworkID] = true
		}
	}
	for _, id := range slices.Sorted(maps.Keys(nets)) {
		f := map[string]string{"network_id": itoa(id)}
		procs, err := store.All(ctx, s.DB.MemberProcurements, f)
		if err != nil {
			return nil, err
		}
		net, err := s.DB.Networks.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, p := range procs {
			add(arena.ProcurementInCalendar(p, net.Name, today))
		}
		acts, err := store.All(ctx, s.DB.Activities, f)
		if err != nil {
			return nil, err
		}
		for _, x := range acts {
			add(arena.ActivityInCalendar(x, today))
		}
	}
	slices.SortStableFunc(out, func(x, y arena.CalendarEntry) int {
		if c := x.Start.Compare(y.Start.Time); c != 0 {
			return c
		}
		return cmp.Compare(x.UID, y.UID)
	})
	if len(out) > CalendarMax {
		out = out[:CalendarMax]
	}
	return out, nil
}

// CalendarFeed is the iCalendar document (RFC 5545) of the person whose
// secret address has token, in the person's language: all-day events, each
// with a link to its page. found is false for an unknown or replaced
// address.
func (s *Service) CalendarFeed(ctx context.Context, token string) (doc string, found bool, err error) {
	userID, found, err := s.DB.CalendarFeedUser(ctx, auth.HashToken(token))
	if err != nil || !found {
		return "", false, err
	}
	a, err := s.DB.ActorFor(ctx, userID)
	if err != nil {
		return "", false, err
	}
	entries, err := s.Calendar(arena.WithActor(ctx, a))
	if err != nil {
		return "", false, err
	}
	settings, err := s.DB.NotificationSettings(ctx, userID)
	if err != nil {
		return "", false, err
	}
	c := s.Texts.For(settings.Lang)
	cal := ics.NewCalendar()
	cal.SetProductId("-//Arena//innovationsupphandlingsarenan//SV")
	cal.SetMethod(ics.MethodPublish)
	cal.SetXWRCalName(c.T("calendar.name"))
	now := s.DB.Now().UTC()
	for _, e := range entries {
		ev := cal.AddEvent(e.UID + "@" + hostOf(s.PublicURL))
		ev.SetDtStampTime(now)
		ev.SetAllDayStartAt(e.Start.Time)
		// DTEND of an all-day event is the day after its last (RFC 5545 3.6.1).
		ev.SetAllDayEndAt(e.End.AddDate(0, 0, 1))
		ev.SetSummary(c.Msg(e.Message()))
		ev.SetURL(s.PublicURL + e.Path)
		ev.SetDescription(s.PublicURL + e.Path)
	}
	// RFC 5545 3.1: lines end in CRLF, whatever the system.
	return cal.Serialize(ics.WithNewLineWindows), true, nil
}

// CalendarURL is the address of a calendar feed with the secret token.
func (s *Service) CalendarURL(token string) string {
	return s.PublicURL + "/kalender/" + token + ".ics"
}

func hostOf(u string) string {
	if p, err := url.Parse(u); err == nil && p.Hostname() != "" {
		return p.Hostname()
	}
	return "arena"
}

// NewCalendarFeed gives the actor of ctx a new secret calendar address and
// returns it; the old one answers nothing from now on.
func (s *Service) NewCalendarFeed(ctx context.Context) (string, error) {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return "", err
	}
	token, hash := auth.NewToken("")
	if err := s.DB.SetCalendarFeed(ctx, a.UserID(), hash); err != nil {
		return "", err
	}
	return s.CalendarURL(token), nil
}
