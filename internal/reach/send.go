package reach

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strings"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/i18n"
	"github.com/arena-se/arena/internal/mail"
	"github.com/arena-se/arena/internal/store"
)

// SendDue claims up to max e-mails due now, sends each and records the
// outcome; it returns how many it claimed. A failed e-mail is tried again
// after Backoff, and given up after MaxAttempts.
func (s *Service) SendDue(ctx context.Context, max int) (int, error) {
	if s.Mail == nil {
		return 0, errors.New("reach: no mail sender")
	}
	mails, err := s.DB.ClaimMail(ctx, s.Instance, s.Lease, max)
	if err != nil {
		return 0, err
	}
	for _, m := range mails {
		if err := ctx.Err(); err != nil {
			return len(mails), err // the claims lapse and another run sends them
		}
		msg, ok, err := s.compose(ctx, m)
		if err != nil {
			return len(mails), err
		}
		if !ok {
			// Nothing in it the person may see now: nothing to send.
			if err := s.DB.MailSent(ctx, m, s.Instance, ""); err != nil {
				return len(mails), err
			}
			continue
		}
		// A batch may outlast a claim: send only what is still ours.
		if mine, err := s.DB.RenewClaim(ctx, m, s.Instance, s.Lease); err != nil {
			return len(mails), err
		} else if !mine {
			continue
		}
		if err := s.Mail.Send(ctx, msg); err != nil {
			attempts := m.Attempts + 1
			retry := s.DB.Now().Add(Backoff(attempts))
			if attempts >= MaxAttempts {
				retry = time.Time{} // given up
			}
			s.Log.WarnContext(ctx, "e-mail not sent", "user", m.UserID, "attempt", attempts, "err", err)
			if err := s.DB.MailFailed(ctx, m, s.Instance, err.Error(), retry); err != nil {
				return len(mails), err
			}
			continue
		}
		if err := s.DB.MailSent(ctx, m, s.Instance, msg.MessageID); err != nil {
			return len(mails), err
		}
	}
	return len(mails), nil
}

// mailView is what an e-mail's templates show.
type mailView struct {
	Lang        string
	Greeting    string
	Intro       string
	Note        string // a paragraph after the intro, when any
	Items       []mailItem
	Footer      string
	SettingsURL string
	Settings    string
	UnsubURL    string
	Unsub       string
}

type mailItem struct {
	Text string
	URL  string
}

// compose builds the e-mail of m in its recipient's language; ok is false
// when nothing in it is visible to the recipient any more.
func (s *Service) compose(ctx context.Context, m store.Mail) (msg mail.Message, ok bool, err error) {
	if m.InviteID != 0 {
		return s.composeInvite(ctx, m)
	}
	sys := system(ctx)
	user, err := s.DB.Users.GetUnchecked(sys, m.UserID)
	if arena.ErrorCode(err) == arena.ENOTFOUND {
		return msg, false, nil
	} else if err != nil {
		return msg, false, err
	}
	actor, err := s.DB.ActorFor(ctx, m.UserID)
	if err != nil {
		return msg, false, err
	}
	settings, err := s.DB.NotificationSettings(ctx, m.UserID)
	if err != nil {
		return msg, false, err
	}
	notes, err := s.DB.NotificationsByID(ctx, m.NoteIDs)
	if err != nil {
		return msg, false, err
	}
	if notes, err = s.Describe(arena.WithActor(ctx, actor), notes); err != nil || len(notes) == 0 {
		return msg, false, err
	}
	c := s.Texts.For(settings.Lang)
	var kinds []arena.NotificationKind
	v := mailView{Lang: settings.Lang, Greeting: c.T("mail.greeting", user.Name)}
	for _, n := range notes {
		v.Items = append(v.Items, mailItem{Text: c.Msg(n.Msg), URL: s.link(Path(n))})
		if !slices.Contains(kinds, n.Kind) {
			kinds = append(kinds, n.Kind)
		}
	}
	token, err := s.UnsubscribeToken(ctx, Unsubscribe{UserID: m.UserID, Kinds: kinds, Expires: s.DB.Now().Add(UnsubscribeTTL)})
	if err != nil {
		return msg, false, err
	}
	v.UnsubURL = s.link("/avregistrera?t=" + url.QueryEscape(token))
	v.SettingsURL = s.link("/installningar/aviseringar")
	v.Settings = c.T("mail.settings")
	kindWords := make([]string, len(kinds))
	for i, k := range kinds {
		kindWords[i] = c.Term(k.Term())
	}
	v.Unsub = c.T("mail.unsubscribe", c.List(kindWords))
	v.Footer = c.T("mail.footer")
	subject := v.Items[0].Text
	switch m.Mode {
	case arena.DeliverImmediate:
		v.Intro = c.T("mail.intro_one")
	case arena.DeliverWeekly:
		v.Intro = c.T("mail.intro_weekly")
		subject = c.TN("mail.subject_weekly", len(v.Items))
	default:
		v.Intro = c.T("mail.intro_daily")
		subject = c.TN("mail.subject_daily", len(v.Items))
	}
	var text, html bytes.Buffer
	writeText(&text, v)
	if err := mailHTML.Execute(&html, v); err != nil {
		return msg, false, err
	}
	msg = mail.Message{To: user.Email, ToName: user.Name, Subject: subject, Text: text.String(), HTML: html.String(),
		MessageID: fmt.Sprintf("arena.outbox.%d.%d@%s", m.OutboxIDs[0], m.UserID, s.host()), Lang: settings.Lang,
		ListUnsubscribe: v.UnsubURL, Date: s.DB.Now()}
	return msg, true, nil
}

func (s *Service) link(path string) string {
	return strings.TrimSuffix(s.PublicURL, "/") + path
}

func (s *Service) host() string {
	if u, err := url.Parse(s.PublicURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "arena.invalid"
}

func writeText(b *bytes.Buffer, v mailView) {
	fmt.Fprintf(b, "%s\n\n%s\n\n", v.Greeting, v.Intro)
	if v.Note != "" {
		fmt.Fprintf(b, "%s\n\n", v.Note)
	}
	for _, it := range v.Items {
		fmt.Fprintf(b, "- %s\n  %s\n\n", it.Text, it.URL)
	}
	fmt.Fprintf(b, "-- \n%s\n", v.Footer)
	if v.UnsubURL != "" {
		fmt.Fprintf(b, "%s: %s\n%s: %s\n", v.Settings, v.SettingsURL, v.Unsub, v.UnsubURL)
	}
}

var mailHTML = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Arena</title></head>
<body style="font-family: system-ui, sans-serif; color: #1a1a1a; max-width: 40em; margin: 0 auto; padding: 1em; line-height: 1.5">
<p style="font-weight: bold; color: #0b5394; margin: 0 0 1em">Arena</p>
<p>{{.Greeting}}</p>
<p>{{.Intro}}</p>
{{with .Note}}<p>{{.}}</p>
{{end}}<ul style="padding-left: 1.2em">
{{range .Items}}<li style="margin-bottom: 0.8em"><a href="{{.URL}}" style="color: #0b5394">{{.Text}}</a></li>
{{end}}</ul>
<hr style="border: 0; border-top: 1px solid #ccc">
<p style="font-size: 0.9em; color: #555">{{.Footer}}{{if .UnsubURL}}<br>
<a href="{{.SettingsURL}}" style="color: #555">{{.Settings}}</a> · <a href="{{.UnsubURL}}" style="color: #555">{{.Unsub}}</a>{{end}}</p>
</body></html>
`))

// Catalog returns the catalogue of a language (for tests and pages).
func (s *Service) Catalog(lang string) *i18n.Catalog { return s.Texts.For(lang) }

// Preview builds the digest e-mail that the user's notifications with ids
// would make under mode, as the sender would send it (for previews and
// documentation); ok is false when none of them is visible to the user.
func (s *Service) Preview(ctx context.Context, userID int64, mode arena.DeliveryMode, ids []int64) (msg mail.Message, ok bool, err error) {
	if len(ids) == 0 {
		return msg, false, nil
	}
	return s.compose(ctx, store.Mail{UserID: userID, Mode: mode, Due: s.DB.Now(), OutboxIDs: ids[:1], NoteIDs: ids})
}
