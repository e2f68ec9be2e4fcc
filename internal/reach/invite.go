package reach

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/mail"
	"github.com/arena-se/arena/internal/store"
)

// inviteSecret names the shared key that signs sign-up links.
const inviteSecret = "invite"

// InviteToken signs the sign-up link of an invitation by e-mail; it works
// until the invitation expires.
func (s *Service) InviteToken(ctx context.Context, inv *arena.EmailInvite) (string, error) {
	key, err := s.DB.Secret(ctx, inviteSecret)
	if err != nil {
		return "", err
	}
	return seal(key, inviteSecret, itoa(inv.ID), itoa(inv.ExpiresAt.Unix())), nil
}

// InviteLink is the sign-up page an invitation's token opens.
func InviteLink(token string) string { return "/inbjudan?t=" + url.QueryEscape(token) }

// ParseInviteToken checks a sign-up link's signature and expiry and
// returns its invitation's id; a token forged, damaged or expired is
// EINVALID (field "token").
func (s *Service) ParseInviteToken(ctx context.Context, token string) (int64, error) {
	parts, ok, err := s.unseal(ctx, inviteSecret, token, 2)
	if err != nil {
		return 0, err
	}
	bad := arena.Invalid("token", "err.signup.token")
	if !ok {
		return 0, bad
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	exp, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || id <= 0 {
		return 0, bad
	}
	if !s.DB.Now().Before(time.Unix(exp, 0)) {
		return 0, arena.Invalid("token", "err.signup.expired")
	}
	return id, nil
}

// Invitation is what a sign-up link invites to, as its page shows it.
type Invitation struct {
	Invite  *arena.EmailInvite
	Member  *arena.NetworkMember
	Network *arena.Network
	Org     *arena.Organization
}

// OpenInvitation reads the invitation of a sign-up link and checks that it
// is still usable (arena.CheckInviteUsable).
func (s *Service) OpenInvitation(ctx context.Context, token string) (*Invitation, error) {
	id, err := s.ParseInviteToken(ctx, token)
	if err != nil {
		return nil, err
	}
	inv, err := s.DB.EmailInviteUnchecked(ctx, id)
	if arena.ErrorCode(err) == arena.ENOTFOUND {
		return nil, arena.Invalid("token", "err.signup.token")
	} else if err != nil {
		return nil, err
	}
	return s.invitation(ctx, inv)
}

// invitation reads what inv invites to and checks that it is still
// usable (arena.CheckInviteUsable).
func (s *Service) invitation(ctx context.Context, inv *arena.EmailInvite) (*Invitation, error) {
	var err error
	sys := system(ctx)
	out := &Invitation{Invite: inv}
	if inv.OrgID != 0 { // a colleague's invitation to the organisation
		if err := arena.CheckInviteUsable(inv, nil, s.DB.Now()); err != nil {
			return nil, err
		}
		if out.Org, err = s.DB.Organizations.Get(sys, inv.OrgID); err != nil {
			return nil, err
		}
		return out, nil
	}
	if out.Member, err = s.DB.NetworkMembers.GetUnchecked(sys, inv.MemberID); err != nil && arena.ErrorCode(err) != arena.ENOTFOUND {
		return nil, err
	}
	if err := arena.CheckInviteUsable(inv, out.Member, s.DB.Now()); err != nil {
		return nil, err
	}
	if out.Network, err = s.DB.Networks.GetUnchecked(sys, out.Member.NetworkID); err != nil {
		return nil, err
	}
	if out.Org, err = s.DB.Organizations.Get(sys, out.Member.OrgID); err != nil {
		return nil, err
	}
	return out, nil
}

// composeInvite builds the e-mail of an invitation by e-mail, in the
// language the inviter chose; ok is false when it has nothing to invite
// to any more (answered, withdrawn, used or expired).
func (s *Service) composeInvite(ctx context.Context, m store.Mail) (msg mail.Message, ok bool, err error) {
	inv, err := s.DB.EmailInviteUnchecked(ctx, m.InviteID)
	if arena.ErrorCode(err) == arena.ENOTFOUND {
		return msg, false, nil
	} else if err != nil {
		return msg, false, err
	}
	in, err := s.invitation(ctx, inv)
	switch arena.ErrorCode(err) {
	case "":
	case arena.EINVALID, arena.ECONFLICT:
		return msg, false, nil
	default:
		return msg, false, err
	}
	token, err := s.InviteToken(ctx, inv)
	if err != nil {
		return msg, false, err
	}
	c := s.Texts.For(inv.Lang)
	v := mailView{Lang: inv.Lang, Greeting: c.T("mail.invite.greeting"),
		Items:  []mailItem{{Text: c.T("mail.invite.action"), URL: s.link(InviteLink(token))}},
		Footer: c.T("mail.invite.footer", c.Date(inv.ExpiresAt.In(s.Loc)))}
	subject := ""
	if in.Network != nil {
		v.Intro, v.Note, subject = c.T("mail.invite.intro", in.Org.Name, in.Network.Name), c.T("mail.invite.how", in.Org.Name), c.T("mail.invite.subject", in.Network.Name)
	} else {
		v.Intro, v.Note, subject = c.T("mail.colleague.intro", in.Org.Name), c.T("mail.colleague.how", in.Org.Name), c.T("mail.colleague.subject", in.Org.Name)
		v.Items[0].Text = c.T("mail.colleague.action", in.Org.Name)
	}
	var text, html bytes.Buffer
	writeText(&text, v)
	if err := mailHTML.Execute(&html, v); err != nil {
		return msg, false, err
	}
	return mail.Message{To: inv.Email, Subject: subject, Text: text.String(), HTML: html.String(),
		MessageID: fmt.Sprintf("arena.invite.%d@%s", inv.ID, s.host()), Lang: inv.Lang, Date: s.DB.Now()}, true, nil
}

// joinRequested tells of a request to join an organisation those who
// decide on it (arena.NotifyOfJoinRequest): its admins, or the brokers
// when it has none.
func (s *Service) joinRequested(ctx context.Context, ev store.Event) ([]store.NewNotification, error) {
	m, err := s.DB.OrgMemberships.GetUnchecked(system(ctx), ev.EntityID)
	if arena.ErrorCode(err) == arena.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	admins, err := s.DB.OrgsWithAdmin(ctx, []int64{m.OrgID})
	if err != nil {
		return nil, err
	}
	has := admins[m.OrgID]
	var ids []int64
	if has {
		byOrg, err := s.DB.OrgUsers(ctx, []int64{m.OrgID})
		if err != nil {
			return nil, err
		}
		ids = byOrg[m.OrgID]
	} else if ids, err = s.DB.Brokers(ctx); err != nil {
		return nil, err
	}
	var out []store.NewNotification
	for _, id := range ids {
		a, err := s.DB.ActorFor(ctx, id)
		if err != nil {
			return nil, err
		}
		if arena.NotifyOfJoinRequest(a, m, has) {
			out = append(out, store.NewNotification{UserID: id, Notification: arena.Notification{Kind: arena.NotifyJoinRequest, EntityID: m.ID}})
		}
	}
	return out, nil
}

// PreviewInvite builds the e-mail of an invitation by e-mail as the sender
// would send it (for documentation); ok is false when it has nothing to
// invite to any more.
func (s *Service) PreviewInvite(ctx context.Context, id int64) (msg mail.Message, ok bool, err error) {
	return s.composeInvite(ctx, store.Mail{InviteID: id})
}
