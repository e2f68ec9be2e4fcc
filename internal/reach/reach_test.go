package reach_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/i18n"
	"github.com/arena-se/arena/internal/mail"
	"github.com/arena-se/arena/internal/mail/mailtest"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/networks"
	"github.com/arena-se/arena/internal/reach"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

var system = arena.WithActor(context.Background(), arena.SystemActor())

// world is three kommuner with a person each (an admin), the matcher and
// the reach service on one database, with a clock the test moves.
type world struct {
	db     *store.DB
	svc    *reach.Service
	match  *matching.Service
	smtp   *mailtest.Server
	orgs   map[string]*arena.Organization
	users  map[string]*arena.User
	actors map[string]context.Context
	clock  atomic.Pointer[time.Time]
}

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	w := &world{db: db, orgs: map[string]*arena.Organization{}, users: map[string]*arena.User{}, actors: map[string]context.Context{}}
	// Friday 4 December 2026, 10:00 in Stockholm.
	w.set(time.Date(2026, 12, 4, 10, 0, 0, 0, reach.Stockholm))
	db.Now = func() time.Time { return *w.clock.Load() }
	for _, o := range []struct{ key, name string }{{"falun", "Falu kommun"}, {"molndal", "Mölndals stad"}, {"boras", "Borås stad"}} {
		org := &arena.Organization{Name: o.name, Kind: arena.OrgKommun}
		if err := db.Organizations.Create(system, org); err != nil {
			t.Fatal(err)
		}
		w.orgs[o.key] = org
		u := &arena.User{Email: o.key + "@test.se", Name: "Person i " + o.name}
		if err := db.Users.Create(system, u); err != nil {
			t.Fatal(err)
		}
		if err := db.OrgMemberships.Create(system, &arena.OrgMembership{UserID: u.ID, OrgID: org.ID, Role: arena.OrgRoleAdmin}); err != nil {
			t.Fatal(err)
		}
		a, err := db.ActorFor(context.Background(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		w.users[o.key], w.actors[o.key] = u, arena.WithActor(context.Background(), a)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	w.match = matching.New(db, match.NewAnalyzer(nil), log)
	if err := w.match.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.svc = w.newService(t, "one")
	return w
}

// newService is a reach service, as one instance of Arena runs it, sending
// through the world's SMTP server once it is started.
func (w *world) newService(t *testing.T, instance string) *reach.Service {
	s := reach.New(w.db, w.match, i18n.MustLoad(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.PublicURL, s.Instance = "https://arena.test", instance
	if w.smtp != nil {
		s.Mail = w.sender(t)
	}
	return s
}

func (w *world) startSMTP(t *testing.T) {
	w.smtp = mailtest.Start(t)
	w.svc.Mail = w.sender(t)
}

func (w *world) sender(t *testing.T) mail.Sender {
	s, err := mail.NewSMTP(mail.Config{Host: w.smtp.Host(), Port: w.smtp.Port(), TLS: "none", From: "Arena <arena@arena.test>"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (w *world) set(t time.Time) { w.clock.Store(&t) }

func (w *world) now() time.Time { return *w.clock.Load() }

func (w *world) need(t *testing.T, org, title, desc string, vis arena.Visibility) *arena.Need {
	t.Helper()
	n := &arena.Need{OrgID: w.orgs[org].ID, Title: title, Description: desc, Visibility: vis}
	if err := w.db.Needs.Create(w.actors[org], n); err != nil {
		t.Fatal(err)
	}
	return n
}

// process turns every pending event into notifications.
func (w *world) process(t *testing.T) {
	t.Helper()
	for {
		n, err := w.svc.ProcessEvents(context.Background(), 100)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

func (w *world) inbox(t *testing.T, who string) []arena.Notification {
	t.Helper()
	notes, _, err := w.svc.Inbox(w.actors[who], 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return notes
}

// sendAll sends every e-mail due now and returns how many were claimed.
func (w *world) sendAll(t *testing.T, s *reach.Service) int {
	t.Helper()
	total := 0
	for {
		n, err := s.SendDue(context.Background(), 5)
		if err != nil {
			t.Error(err) // also from other goroutines
			return total
		}
		if n == 0 {
			return total
		}
		total += n
	}
}

const (
	meterTitle = "Smarta vattenmätare med digital avläsning"
	meterDesc  = "Vi vill upphandla smarta vattenmätare som läses av digitalt och larmar vid läckage i VA-nätet."
)

// TestNewNeedReachesOtherOrganisations: a need shared by one organisation
// tells the people of another whose need is like it, in the inbox and in
// the next morning's digest, never its own people nor an organisation
// with nothing like it; a draft and a need kept to its networks tell
// nobody outside.
func TestNewNeedReachesOtherOrganisations(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.startSMTP(t)
		mine := w.need(t, "molndal", "Digitala vattenmätare i VA-nätet", "Mätare för vatten som läses av på distans och larmar vid läckage.", arena.VisibilityOrganisation)
		w.need(t, "boras", "Skolmåltider med mindre matsvinn", "Minska matsvinnet i skolköken.", arena.VisibilityPublic)
		w.process(t)

		draft := w.need(t, "falun", meterTitle+" (utkast)", meterDesc, arena.VisibilityDraft)
		netOnly := w.need(t, "falun", meterTitle+" (nätverk)", meterDesc, arena.VisibilityNetwork)
		w.process(t)
		if got := w.inbox(t, "molndal"); len(got) != 0 {
			t.Fatalf("a draft and a network-only need of a non-partner reached Mölndal: %+v", got)
		}

		theirs := w.need(t, "falun", meterTitle, meterDesc, arena.VisibilityPublic)
		w.process(t)
		got := w.inbox(t, "molndal")
		if len(got) != 1 || got[0].Kind != arena.NotifyNeedMatch || got[0].NeedID != theirs.ID || got[0].MyNeedID != mine.ID {
			t.Fatalf("Mölndal's inbox = %+v; want one need_match of Falun's need %d with ours %d", got, theirs.ID, mine.ID)
		}
		if got[0].Title != meterTitle || got[0].OrgName != "Falu kommun" || got[0].Score < matching.GoodMatch {
			t.Errorf("notification facts = %+v", got[0])
		}
		for _, who := range []string{"falun", "boras"} {
			if got := w.inbox(t, who); len(got) != 0 {
				t.Errorf("%s was told: %+v", who, got)
			}
		}
		// The draft's change to public is news: it is shared now.
		draft.Visibility = arena.VisibilityPublic
		if err := db.Needs.Update(w.actors["falun"], draft, draft.Version); err != nil {
			t.Fatal(err)
		}
		// A change of text of a shared need is not news again.
		theirs.Description += " Även fjärravläsning."
		if err := db.Needs.Update(w.actors["falun"], theirs, theirs.Version); err != nil {
			t.Fatal(err)
		}
		w.process(t)
		if got := w.inbox(t, "molndal"); len(got) != 2 || got[0].NeedID != draft.ID {
			t.Fatalf("after the draft was shared, Mölndal's inbox = %+v; want it newest of two", got)
		}
		_ = netOnly

		// E-mail: a daily digest, nothing before the morning.
		if n := w.sendAll(t, w.svc); n != 0 || len(w.smtp.Messages()) != 0 {
			t.Fatalf("sent %d e-mails before the digest's time", len(w.smtp.Messages()))
		}
		w.set(time.Date(2026, 12, 5, 7, 0, 30, 0, reach.Stockholm))
		w.sendAll(t, w.svc)
		msgs := w.smtp.Messages()
		if len(msgs) != 1 {
			t.Fatalf("the morning after: %d e-mails; want exactly one digest", len(msgs))
		}
		m := msgs[0]
		if len(m.To) != 1 || m.To[0] != "molndal@test.se" {
			t.Errorf("digest to %v", m.To)
		}
		link := fmt.Sprintf("https://arena.test/behov/%d", theirs.ID)
		for _, want := range []string{meterTitle, "Falu kommun", link} {
			if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) {
				t.Errorf("digest lacks %q:\n%s", want, m.Text)
			}
		}
		if !strings.Contains(m.Subject, "2") {
			t.Errorf("subject %q does not count the two news", m.Subject)
		}
		if w.sendAll(t, w.svc); len(w.smtp.Messages()) != 1 {
			t.Fatalf("a second run sent again: %d e-mails", len(w.smtp.Messages()))
		}

		// One-click unsubscribe (RFC 8058) from the header's link.
		if m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post = %q", m.Header.Get("List-Unsubscribe-Post"))
		}
		raw := strings.Trim(m.Header.Get("List-Unsubscribe"), "<>")
		u, err := url.Parse(raw)
		if err != nil || u.Path != "/avregistrera" {
			t.Fatalf("List-Unsubscribe = %q", raw)
		}
		if _, err := w.svc.ApplyUnsubscribe(context.Background(), u.Query().Get("t")+"x"); arena.ErrorCode(err) != arena.EINVALID {
			t.Errorf("a damaged token: %v; want EINVALID", err)
		}
		if _, err := w.svc.ApplyUnsubscribe(context.Background(), u.Query().Get("t")); err != nil {
			t.Fatal(err)
		}
		st, err := db.NotificationSettings(context.Background(), w.users["molndal"].ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.Modes[arena.NotifyNeedMatch] != arena.DeliverOff || st.Modes[arena.NotifyInvitation] != arena.DeliverImmediate {
			t.Errorf("after unsubscribing: %v", st.Modes)
		}
		w.need(t, "falun", "Vattenmätare för fritidshus", meterDesc, arena.VisibilityPublic)
		w.process(t)
		w.set(w.now().Add(48 * time.Hour))
		if w.sendAll(t, w.svc); len(w.smtp.Messages()) != 1 {
			t.Errorf("e-mail after unsubscribing: %d", len(w.smtp.Messages()))
		}
		if got := w.inbox(t, "molndal"); len(got) != 3 {
			t.Errorf("the inbox keeps everything: %d notifications", len(got))
		}
		// An expired token asks nothing.
		w.set(w.now().Add(reach.UnsubscribeTTL))
		if _, err := w.svc.ParseUnsubscribe(context.Background(), u.Query().Get("t")); arena.ErrorCode(err) != arena.EINVALID {
			t.Errorf("an expired token: %v", err)
		}
	})
}

// TestInvitationReachesTheAdmins: an invitation tells the invited
// organisation's admins at once (not its other people); the answer tells
// the network's owner.
func TestInvitationReachesTheAdmins(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.startSMTP(t)
		plain := &arena.User{Email: "kollega@molndal.se"}
		if err := db.Users.Create(system, plain); err != nil {
			t.Fatal(err)
		}
		if err := db.OrgMemberships.Create(system, &arena.OrgMembership{UserID: plain.ID, OrgID: w.orgs["molndal"].ID, Role: arena.OrgRoleMember}); err != nil {
			t.Fatal(err)
		}
		n := &arena.Network{Name: "Vattennätverket", Kind: arena.NetworkTactical, OwnerOrgID: &w.orgs["falun"].ID}
		if err := db.Networks.Create(w.actors["falun"], n); err != nil {
			t.Fatal(err)
		}
		m := &arena.NetworkMember{NetworkID: n.ID, OrgID: w.orgs["molndal"].ID, Status: arena.MemberInvited}
		if err := db.NetworkMembers.Create(w.actors["falun"], m); err != nil {
			t.Fatal(err)
		}
		w.process(t)
		got := w.inbox(t, "molndal")
		if len(got) != 1 || got[0].Kind != arena.NotifyInvitation || got[0].Title != "Vattennätverket" {
			t.Fatalf("Mölndal's admin: %+v", got)
		}
		a, _ := db.ActorFor(context.Background(), plain.ID)
		if notes, _, _ := w.svc.Inbox(arena.WithActor(context.Background(), a), 0, 0); len(notes) != 0 {
			t.Errorf("a member who may not answer was told: %+v", notes)
		}
		w.sendAll(t, w.svc)
		if msgs := w.smtp.Messages(); len(msgs) != 1 || !strings.Contains(msgs[0].Subject, "Vattennätverket") {
			t.Fatalf("an invitation goes at once: %+v", msgs)
		}
		if _, err := networks.New(db, w.match, slog.New(slog.NewTextHandler(io.Discard, nil))).Act(w.actors["molndal"], m.ID, arena.ActionAccept, 0); err != nil {
			t.Fatal(err)
		}
		w.process(t)
		got = w.inbox(t, "falun")
		if len(got) != 1 || got[0].Kind != arena.NotifyMemberAnswer || got[0].Status != arena.MemberActive || got[0].OrgName != "Mölndals stad" {
			t.Fatalf("the owner's admin: %+v", got)
		}
		if notes := w.inbox(t, "molndal"); len(notes) != 1 {
			t.Errorf("the answering organisation was told of its own answer: %+v", notes)
		}
		// Read: one, then all.
		if err := w.svc.MarkRead(w.actors["falun"], []int64{got[0].ID}); err != nil {
			t.Fatal(err)
		}
		if _, unread, _ := w.svc.Inbox(w.actors["falun"], 0, 0); unread != 0 {
			t.Errorf("unread after marking read: %d", unread)
		}
		// Another person's ids change nothing.
		other := w.inbox(t, "molndal")
		if err := w.svc.MarkRead(w.actors["falun"], []int64{other[0].ID}); err != nil {
			t.Fatal(err)
		}
		if _, unread, _ := w.svc.Inbox(w.actors["molndal"], 0, 0); unread != 1 {
			t.Errorf("Falun marked Mölndal's notification read: unread %d", unread)
		}
	})
}

// TestEachMailOnceWithTwoSenders: two instances sending from one outbox at
// once send each e-mail exactly once; a sender that dies after claiming
// loses nothing: its e-mail goes when the claim lapses.
func TestEachMailOnceWithTwoSenders(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.startSMTP(t)
		if err := db.SetNotificationSettings(context.Background(), w.users["molndal"].ID,
			map[arena.NotificationKind]arena.DeliveryMode{arena.NotifyInvitation: arena.DeliverImmediate}, ""); err != nil {
			t.Fatal(err)
		}
		const networks = 40
		for i := range networks {
			n := &arena.Network{Name: fmt.Sprintf("Nätverk %d", i), Kind: arena.NetworkTactical, OwnerOrgID: &w.orgs["falun"].ID}
			if err := db.Networks.Create(w.actors["falun"], n); err != nil {
				t.Fatal(err)
			}
			if err := db.NetworkMembers.Create(w.actors["falun"], &arena.NetworkMember{NetworkID: n.ID, OrgID: w.orgs["molndal"].ID, Status: arena.MemberInvited}); err != nil {
				t.Fatal(err)
			}
		}
		w.process(t)
		// A sender claims five and dies without sending.
		dead := w.newService(t, "dead")
		if claimed, err := db.ClaimMail(context.Background(), dead.Instance, time.Minute, 5); err != nil || len(claimed) != 5 {
			t.Fatalf("claim: %d, %v", len(claimed), err)
		}
		a, b := w.newService(t, "a"), w.newService(t, "b")
		var wg sync.WaitGroup
		for _, s := range []*reach.Service{a, b} {
			wg.Go(func() { w.sendAll(t, s) })
		}
		wg.Wait()
		if got := len(w.smtp.Messages()); got != networks-5 {
			t.Fatalf("sent %d while 5 were claimed by a dead sender; want %d", got, networks-5)
		}
		w.set(w.now().Add(2 * time.Minute)) // the dead sender's claim lapses
		w.sendAll(t, a)
		count := map[string]int{}
		for _, m := range w.smtp.Messages() {
			count[m.Subject]++
		}
		if len(count) != networks {
			t.Errorf("%d different e-mails; want %d", len(count), networks)
		}
		for s, n := range count {
			if n != 1 {
				t.Errorf("%q sent %d times", s, n)
			}
		}
		sent, waiting, failed, err := db.OutboxCounts(context.Background())
		if err != nil || sent != networks || waiting != 0 || failed != 0 {
			t.Errorf("outbox: sent %d, waiting %d, failed %d, %v", sent, waiting, failed, err)
		}
	})
}

// meterNeeds shares Mölndal's meter need, works out its event, then shares
// n like it from Falun: n events pending, each of which tells Mölndal.
func (w *world) meterNeeds(t *testing.T, n int) {
	t.Helper()
	w.need(t, "molndal", meterTitle, meterDesc, arena.VisibilityPublic)
	w.process(t)
	for i := range n {
		w.need(t, "falun", fmt.Sprintf("%s %d", meterTitle, i), meterDesc, arena.VisibilityPublic)
	}
}

// toldOnceEach checks that Mölndal was told of n needs, each once.
func (w *world) toldOnceEach(t *testing.T, n int) {
	t.Helper()
	seen := map[int64]bool{}
	for _, note := range w.inbox(t, "molndal") {
		if seen[note.NeedID] {
			t.Errorf("told of need %d twice", note.NeedID)
		}
		seen[note.NeedID] = true
	}
	if len(seen) != n {
		t.Errorf("Mölndal was told of %d needs; want %d", len(seen), n)
	}
}

// TestEachEventOnceWithTwoInstances: instances working out events at once
// take different ones (each matched once, not once per instance); the
// events of an instance that died are taken when its lease lapses, and
// events given back are taken at once.
func TestEachEventOnceWithTwoInstances(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		const needs = 40
		w.meterNeeds(t, needs)
		pending := func() int {
			t.Helper()
			n, err := db.PendingEventCount(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if got := pending(); got != needs {
			t.Fatalf("%d events pending; want %d", got, needs)
		}
		// An instance claims five and dies.
		if claimed, err := db.ClaimEvents(ctx, "dead", time.Minute, 5); err != nil || len(claimed) != 5 {
			t.Fatalf("claim: %d, %v", len(claimed), err)
		}
		a, b := w.newService(t, "a"), w.newService(t, "b")
		var worked atomic.Int64
		var wg sync.WaitGroup
		for _, s := range []*reach.Service{a, b} {
			wg.Go(func() {
				for {
					n, err := s.ProcessEvents(ctx, 3)
					if err != nil {
						t.Error(err)
						return
					}
					if n == 0 {
						return
					}
					worked.Add(int64(n))
				}
			})
		}
		wg.Wait()
		if got := worked.Load(); got != needs-5 {
			t.Errorf("the two instances worked out %d events; want %d, each once (five are the dead instance's)", got, needs-5)
		}
		if got := pending(); got != 5 {
			t.Fatalf("%d events pending; want the dead instance's 5", got)
		}
		w.set(w.now().Add(2 * time.Minute)) // its lease lapses
		if n, err := a.ProcessEvents(ctx, 100); err != nil || n != 5 {
			t.Fatalf("after the lease: %d, %v; want 5", n, err)
		}
		w.toldOnceEach(t, needs)

		// Events given back are taken at once, by anyone; others' claims
		// are not given back.
		for i := range 3 {
			w.need(t, "boras", fmt.Sprintf("Skolmåltider %d", i), "Minska matsvinnet i skolköken.", arena.VisibilityPublic)
		}
		x, err := db.ClaimEvents(ctx, "x", time.Minute, 3)
		if err != nil || len(x) != 3 {
			t.Fatalf("claim: %d, %v", len(x), err)
		}
		if err := db.ReleaseEvents(ctx, "y", []int64{x[0].ID}); err != nil {
			t.Fatal(err)
		}
		if err := db.ReleaseEvents(ctx, "x", []int64{x[1].ID, x[2].ID}); err != nil {
			t.Fatal(err)
		}
		y, err := db.ClaimEvents(ctx, "y", time.Minute, 10)
		if err != nil || len(y) != 2 || y[0].ID != x[1].ID || y[1].ID != x[2].ID {
			t.Fatalf("after giving back two: claimed %+v, %v; want events %d and %d", y, err, x[1].ID, x[2].ID)
		}
	})
}

// TestUnfinishedEventsAreGivenBack: a run stopped half-way (its request
// gone, the instance shutting down) gives back the events it claimed and
// did not work out, so another instance takes them at once, not when the
// lease lapses; the ones it did work out are not worked out again.
func TestUnfinishedEventsAreGivenBack(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		const needs = 6
		w.meterNeeds(t, needs)
		// The clock is read when the events are claimed and when each is
		// recorded as done: the run is stopped as the second is recorded.
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var reads atomic.Int64
		db.Now = func() time.Time {
			if reads.Add(1) == 3 {
				cancel()
			}
			return w.now()
		}
		a, b := w.newService(t, "a"), w.newService(t, "b")
		n, err := a.ProcessEvents(ctx, 100)
		db.Now = w.now
		if err == nil || n == 0 || n >= needs {
			t.Fatalf("the stopped run worked out %d of %d events (err %v); want some, then an error", n, needs, err)
		}
		// The clock has not moved: no lease has lapsed.
		got, err := b.ProcessEvents(context.Background(), 100)
		if err != nil || got != needs-n {
			t.Fatalf("another instance took %d events (%v); want the %d given back", got, err, needs-n)
		}
		if pending, err := db.PendingEventCount(context.Background()); err != nil || pending != 0 {
			t.Fatalf("%d events pending (%v); want none", pending, err)
		}
		w.toldOnceEach(t, needs)
	})
}

// TestFailedMailIsRetried: a refused e-mail is tried again after the
// backoff, not before, and sent once.
func TestFailedMailIsRetried(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.startSMTP(t)
		n := &arena.Network{Name: "Nätverket", Kind: arena.NetworkTactical, OwnerOrgID: &w.orgs["falun"].ID}
		if err := db.Networks.Create(w.actors["falun"], n); err != nil {
			t.Fatal(err)
		}
		if err := db.NetworkMembers.Create(w.actors["falun"], &arena.NetworkMember{NetworkID: n.ID, OrgID: w.orgs["molndal"].ID, Status: arena.MemberInvited}); err != nil {
			t.Fatal(err)
		}
		w.process(t)
		w.smtp.FailNext(1)
		w.sendAll(t, w.svc)
		if len(w.smtp.Messages()) != 0 {
			t.Fatal("a refused e-mail counted as received")
		}
		w.set(w.now().Add(reach.Backoff(1) / 2))
		if w.sendAll(t, w.svc); len(w.smtp.Messages()) != 0 {
			t.Fatal("retried before the backoff")
		}
		w.set(w.now().Add(reach.Backoff(1)))
		if w.sendAll(t, w.svc); len(w.smtp.Messages()) != 1 {
			t.Fatalf("after the backoff: %d e-mails; want 1", len(w.smtp.Messages()))
		}
	})
}
