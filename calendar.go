package arena

import "strconv"

// ---------------------------------------------------------------------------
// The calendar: a person's dates, as a secret-URL iCalendar feed

// CalendarKind is what a date in a person's calendar is.
type CalendarKind string

// Calendar kinds.
const (
	CalendarCallCloses  CalendarKind = "call_closes"         // the last day of a call open to one's organisation
	CalendarNeedPlanned CalendarKind = "need_planned"        // the planned procurement date of one's need
	CalendarProcPlanned CalendarKind = "procurement_planned" // the planned date of a member procurement in one's networks
	CalendarActivity    CalendarKind = "activity"            // an activity of one of one's networks
)

// CalendarFeedPastDays is how far back a feed keeps dates.
const CalendarFeedPastDays = 90

// CalendarEntry is one date of a person's calendar: an all-day event from
// Start to End (inclusive; End is Start for one day), about the record
// at Path.
type CalendarEntry struct {
	Kind  CalendarKind
	UID   string // stable: the kind and the record, so a calendar updates the event
	Start Date
	End   Date
	Title string // the record's title
	Path  string // its page, under the site's root
}

// Message is the event's summary, from its facts.
func (e CalendarEntry) Message() Msg { return M("calendar."+string(e.Kind), F{"title": e.Title}) }

func calendarEntry(kind CalendarKind, id int64, d Date, title, path string) CalendarEntry {
	return CalendarEntry{Kind: kind, UID: string(kind) + "-" + strconv.FormatInt(id, 10), Start: d, End: d, Title: title, Path: path}
}

// InCalendar reports whether a date belongs in a feed made on today: from
// CalendarFeedPastDays back, on.
func InCalendar(d *Date, today Date) bool {
	return d != nil && !d.Before(today.AddDate(0, 0, -CalendarFeedPastDays))
}

// CallInCalendar is the rule for a call's last day in a person's calendar:
// a call open to a kind of the person's organisations (Accepts), with a
// last day not long past.
func CallInCalendar(c *FundingCall, kinds []OrgKind, today Date) (CalendarEntry, bool) {
	if !InCalendar(c.ClosesDate, today) || !c.AcceptsAny(kinds) {
		return CalendarEntry{}, false
	}
	return calendarEntry(CalendarCallCloses, c.ID, *c.ClosesDate, c.Title, "/utlysningar/"+strconv.FormatInt(c.ID, 10)), true
}

// NeedInCalendar: the planned procurement date of a need of the person's
// organisation.
func NeedInCalendar(a *Actor, n *Need, today Date) (CalendarEntry, bool) {
	if !a.InOrg(n.OrgID) || !InCalendar(n.PlannedDate, today) {
		return CalendarEntry{}, false
	}
	return calendarEntry(CalendarNeedPlanned, n.ID, *n.PlannedDate, n.Title, "/behov/"+strconv.FormatInt(n.ID, 10)), true
}

// ProcurementInCalendar: the planned date of a member procurement of a
// network the person's organisation is in (the caller reads it as the
// person, so only what the person may see).
func ProcurementInCalendar(p *MemberProcurement, title string, today Date) (CalendarEntry, bool) {
	if !InCalendar(p.PlannedDate, today) {
		return CalendarEntry{}, false
	}
	if p.Title != "" {
		title = p.Title
	}
	return calendarEntry(CalendarProcPlanned, p.ID, *p.PlannedDate, title, "/natverk/"+strconv.FormatInt(p.NetworkID, 10)+"/uppfoljning"), true
}

// ActivityInCalendar: an activity of a network the person's organisation
// is in, from its start to its end.
func ActivityInCalendar(x *Activity, today Date) (CalendarEntry, bool) {
	last := x.StartDate
	if x.EndDate != nil {
		last = x.EndDate
	}
	if x.StartDate == nil || !InCalendar(last, today) {
		return CalendarEntry{}, false
	}
	e := calendarEntry(CalendarActivity, x.ID, *x.StartDate, x.Title, "/natverk/"+strconv.FormatInt(x.NetworkID, 10)+"/plan")
	if last.After(x.StartDate.Time) {
		e.End = *last
	}
	return e, true
}
