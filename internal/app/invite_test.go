package app_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/mail"
	"github.com/arena-se/arena/internal/mail/mailtest"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
	"github.com/arena-se/arena/internal/testworld"
)

var signupLink = regexp.MustCompile(`https://arena\.test/inbjudan\?t=([A-Za-z0-9_%.-]+)`)

// TestInvitationByEmailToAnOrganisationWithoutUsers is the scenario of an
// organisation nobody in Arena speaks for: Falun invites VA Syd to its
// network and gives an address; a real SMTP server receives the sign-up
// link; the person signs up, which asks to join VA Syd; the broker (VA
// Syd has no admin) is told and confirms; the person, now VA Syd's admin,
// accepts the invitation, and Falun is told. The link works once, and not
// after it expires; an organisation with an admin gets no e-mail
// invitation; nothing is written when the sign-up is refused.
func TestInvitationByEmailToAnOrganisationWithoutUsers(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sys := arena.WithActor(ctx, arena.SystemActor())
		now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		a := testworld.NewApp(t, db, nil)
		smtp := mailtest.Start(t)
		sender, err := mail.NewSMTP(mail.Config{Host: smtp.Host(), Port: smtp.Port(), TLS: "none", From: "Arena <arena@arena.test>"})
		if err != nil {
			t.Fatal(err)
		}
		a.Reach.Mail, a.Reach.PublicURL = sender, "https://arena.test"

		person := func(email, name string, roles ...arena.PlatformRole) context.Context {
			t.Helper()
			u := &arena.User{Email: email, Name: name, PlatformRoles: roles}
			if err := db.Users.Create(sys, u); err != nil {
				t.Fatal(err)
			}
			return asUser(t, db, u.ID)
		}
		org := func(name string) *arena.Organization {
			t.Helper()
			o := &arena.Organization{Name: name, Kind: arena.OrgMunicipalCo}
			if err := db.Organizations.Create(sys, o); err != nil {
				t.Fatal(err)
			}
			return o
		}
		falun, vasyd, molndal := org("Falu kommun"), org("VA Syd"), org("Mölndals stad")
		anna := person("anna@falun.se", "Anna Andersson")
		erik := person("erik@molndal.se", "Erik Eriksson")
		broker := person("maklare@arena.test", "Mäklaren", arena.RoleBroker)
		for _, m := range []struct {
			ctx context.Context
			org int64
		}{{anna, falun.ID}, {erik, molndal.ID}} {
			if err := db.OrgMemberships.Create(sys, &arena.OrgMembership{UserID: arena.ActorFrom(m.ctx).UserID(), OrgID: m.org, Role: arena.OrgRoleAdmin}); err != nil {
				t.Fatal(err)
			}
		}
		anna, erik = asUser(t, db, arena.ActorFrom(anna).UserID()), asUser(t, db, arena.ActorFrom(erik).UserID())
		n := &arena.Network{Name: "Dagvatten i täta städer", Kind: arena.NetworkTactical, OwnerOrgID: &falun.ID}
		if err := db.Networks.Create(anna, n); err != nil {
			t.Fatal(err)
		}
		invite := func(orgID int64) *arena.NetworkMember {
			t.Helper()
			m := &arena.NetworkMember{NetworkID: n.ID, OrgID: orgID, Status: arena.MemberInvited}
			if err := db.NetworkMembers.Create(anna, m); err != nil {
				t.Fatal(err)
			}
			return m
		}
		vasydMember, molndalMember := invite(vasyd.ID), invite(molndal.ID)

		// Mölndal has an admin, who is told in the app: no address goes
		// round them. Nobody but those who run the network sends one.
		err = db.CreateEmailInvite(anna, &arena.EmailInvite{MemberID: molndalMember.ID, Email: "registrator@molndal.se"})
		if arena.ErrorCode(err) != arena.ECONFLICT || arena.ErrorField(err) != "email" {
			t.Errorf("an e-mail invitation of an organisation with an admin: %v", err)
		}
		if err := db.CreateEmailInvite(erik, &arena.EmailInvite{MemberID: vasydMember.ID, Email: "x@vasyd.se"}); arena.ErrorCode(err) != arena.EFORBIDDEN {
			t.Errorf("an invited organisation's admin sent an invitation: %v", err)
		}
		inv := &arena.EmailInvite{MemberID: vasydMember.ID, Email: " Vera.Vatten@VASYD.se ", Lang: "sv"}
		if err := db.CreateEmailInvite(anna, inv); err != nil {
			t.Fatal(err)
		}
		if inv.Email != "vera.vatten@vasyd.se" || !inv.ExpiresAt.Equal(now.Add(arena.EmailInviteTTL)) {
			t.Errorf("invitation = %+v", inv)
		}
		runReach(t, a.Reach)
		msgs := smtp.Messages()
		var got *mailtest.Received
		for i, m := range msgs {
			if len(m.To) == 1 && m.To[0] == "vera.vatten@vasyd.se" {
				if got != nil {
					t.Fatalf("two e-mails to the invited address: %+v", msgs)
				}
				got = &msgs[i]
			}
		}
		if got == nil {
			t.Fatalf("no e-mail to the invited address; received %+v", msgs)
		}
		if !strings.Contains(got.Subject, "Dagvatten i täta städer") || !strings.Contains(got.Text, "VA Syd") || !strings.Contains(got.HTML, "VA Syd") {
			t.Errorf("the invitation names neither network nor organisation: %q\n%s", got.Subject, got.Text)
		}
		if got.Header.Get("List-Unsubscribe") != "" {
			t.Error("an invitation to a person without an account offers to unsubscribe from a list")
		}
		link := signupLink.FindStringSubmatch(got.Text)
		if link == nil || !strings.Contains(got.HTML, "https://arena.test/inbjudan?t=") {
			t.Fatalf("no sign-up link in the e-mail:\n%s", got.Text)
		}
		token, err := url.QueryUnescape(link[1])
		if err != nil {
			t.Fatal(err)
		}
		// Sent once: running the sender again sends nothing.
		runReach(t, a.Reach)
		if n := len(smtp.Messages()); n != len(msgs) {
			t.Errorf("%d e-mails after a second run, %d before", n, len(msgs))
		}

		// A refused sign-up writes nothing: a short password, no name.
		if _, _, err := a.SignUpByInvite(ctx, token, "Vera Vatten", "kort"); arena.ErrorCode(err) != arena.EINVALID || arena.ErrorField(err) != "password" {
			t.Errorf("a short password: %v", err)
		}
		if _, _, err := a.SignUpByInvite(ctx, token, " ", "ett långt lösenord"); arena.ErrorCode(err) != arena.EINVALID || arena.ErrorField(err) != "name" {
			t.Errorf("no name: %v", err)
		}
		if _, err := db.UserIDByEmail(ctx, "vera.vatten@vasyd.se"); arena.ErrorCode(err) != arena.ENOTFOUND {
			t.Fatalf("a refused sign-up made an account: %v", err)
		}
		if _, _, err := a.SignUpByInvite(ctx, token+"x", "Vera Vatten", "ett långt lösenord"); arena.ErrorCode(err) != arena.EINVALID {
			t.Errorf("a damaged link: %v", err)
		}

		sess, req, err := a.SignUpByInvite(ctx, token, "Vera Vatten", "ett långt lösenord")
		if err != nil {
			t.Fatal(err)
		}
		if req.OrgID != vasyd.ID || req.Role != arena.OrgRoleAdmin || req.Status != arena.OrgMemberRequested || sess.Actor.InOrg(vasyd.ID) {
			t.Fatalf("the request = %+v; in VA Syd before confirmation: %v", req, sess.Actor.InOrg(vasyd.ID))
		}
		if _, err := a.SignIn(ctx, "vera.vatten@vasyd.se", "ett långt lösenord"); err != nil {
			t.Errorf("the new account does not sign in: %v", err)
		}
		if _, _, err := a.SignUpByInvite(ctx, token, "Någon Annan", "ett annat långt lösenord"); arena.ErrorCode(err) == "" {
			t.Error("the link worked twice")
		}
		vera := arena.WithActor(ctx, sess.Actor)
		// Until confirmed, the person cannot answer for VA Syd.
		if _, err := a.Networks.Act(vera, vasydMember.ID, arena.ActionAccept, 0); arena.ErrorCode(err) == "" {
			t.Fatal("an unconfirmed person answered the invitation")
		}

		// VA Syd has no admin: the broker is told, at once by e-mail.
		runReach(t, a.Reach)
		notes, _, err := a.Reach.Inbox(broker, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(notes) != 1 || notes[0].Kind != arena.NotifyJoinRequest || notes[0].Person != "Vera Vatten" || notes[0].OrgName != "VA Syd" {
			t.Fatalf("the broker's inbox: %+v", notes)
		}
		if notes, _, _ := a.Reach.Inbox(erik, 0, 0); len(notes) != 1 || notes[0].Kind != arena.NotifyInvitation {
			t.Errorf("Mölndal's admin, told of its own invitation only: %+v", notes)
		}
		if !received(smtp, "maklare@arena.test", "Vera Vatten") {
			t.Error("no e-mail to the broker naming the person")
		}

		// The broker confirms; the person answers for VA Syd.
		m, err := db.OrgMemberships.Get(broker, req.ID)
		if err != nil {
			t.Fatal(err)
		}
		m.Status = arena.OrgMemberActive
		if err := db.OrgMemberships.Update(broker, m, m.Version); err != nil {
			t.Fatal(err)
		}
		vera = asUser(t, db, sess.Actor.UserID())
		answered, err := a.Networks.Act(vera, vasydMember.ID, arena.ActionAccept, 0)
		if err != nil {
			t.Fatal(err)
		}
		if answered.Status != arena.MemberActive {
			t.Fatalf("the membership after accepting: %+v", answered)
		}
		runReach(t, a.Reach)
		notes, _, _ = a.Reach.Inbox(anna, 0, 0)
		if len(notes) != 1 || notes[0].Kind != arena.NotifyMemberAnswer || notes[0].OrgName != "VA Syd" {
			t.Errorf("Falun's admin: %+v", notes)
		}
		if notes, _, _ := a.Reach.Inbox(broker, 0, 0); len(notes) != 0 {
			t.Errorf("a decided request is still told: %+v", notes)
		}
		// The invitation is answered: a link sent for it works no more.
		if _, err := a.Reach.OpenInvitation(ctx, token); arena.ErrorCode(err) != arena.ECONFLICT {
			t.Errorf("the used link: %v", err)
		}

		// A link expires: 30 days on, it opens nothing.
		other := org("Ny kommun utan konton")
		late := &arena.EmailInvite{MemberID: invite(other.ID).ID, Email: "ny@kommun.se"}
		if err := db.CreateEmailInvite(anna, late); err != nil {
			t.Fatal(err)
		}
		// At most five addresses per invitation: no e-mail to anyone at will.
		for i := 1; i < arena.MaxEmailInvites; i++ {
			if err := db.CreateEmailInvite(anna, &arena.EmailInvite{MemberID: late.MemberID, Email: "annan@kommun.se"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.CreateEmailInvite(anna, &arena.EmailInvite{MemberID: late.MemberID, Email: "sjatte@kommun.se"}); arena.ErrorCode(err) != arena.ECONFLICT {
			t.Errorf("a sixth address: %v", err)
		}
		lateToken, err := a.Reach.InviteToken(ctx, late)
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(arena.EmailInviteTTL)
		if _, _, err := a.SignUpByInvite(ctx, lateToken, "Sen Person", "ett långt lösenord"); arena.ErrorCode(err) != arena.EINVALID || !strings.Contains(arena.ErrorMsg(err).Key, "expired") {
			t.Errorf("an expired link: %v", err)
		}
	})
}

// asUser is the context of a person as the store reads them now.
func asUser(t *testing.T, db *store.DB, id int64) context.Context {
	t.Helper()
	a, err := db.ActorFor(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return arena.WithActor(context.Background(), a)
}

// runReach turns the pending events into notifications and sends every
// e-mail due.
func runReach(t *testing.T, r interface {
	ProcessEvents(context.Context, int) (int, error)
	SendDue(context.Context, int) (int, error)
}) {
	t.Helper()
	for {
		n, err := r.ProcessEvents(context.Background(), 100)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	for {
		n, err := r.SendDue(context.Background(), 10)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// received reports whether an e-mail to the address holds the text.
func received(s *mailtest.Server, to, text string) bool {
	for _, m := range s.Messages() {
		if len(m.To) == 1 && m.To[0] == to && strings.Contains(m.Text, text) {
			return true
		}
	}
	return false
}
