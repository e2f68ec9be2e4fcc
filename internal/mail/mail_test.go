package mail_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/arena-se/arena/internal/mail"
	"github.com/arena-se/arena/internal/mail/mailtest"
)

func newSender(t *testing.T, srv *mailtest.Server) *mail.SMTP {
	t.Helper()
	s, err := mail.NewSMTP(mail.Config{
		Host: srv.Host(),
		Port: srv.Port(),
		TLS:  "none",
		From: "Arena Notiser <noreply@arena.local>",
		HELO: "test.arena.local",
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSendDelivers(t *testing.T) {
	srv := mailtest.Start(t)
	s := newSender(t, srv)

	date := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	msgs := []mail.Message{
		{
			To:              "anna@example.se",
			ToName:          "Anna Åström",
			Subject:         "Ny förfrågan från Göteborgs förening – åäö ÅÄÖ",
			Text:            "Hej Anna!\n\nDu har en ny förfrågan: smörgåsar åt 40 personer. Åäö.\n",
			HTML:            "<p>Hej Anna!</p><p>Du har en ny förfrågan: <b>smörgåsar</b> åt 40 personer. Åäö.</p>",
			MessageID:       "outbox-12.3@arena.local",
			Lang:            "sv",
			ListUnsubscribe: "https://arena.example/unsubscribe?t=abc123",
			Date:            date,
		},
		{
			To:        "bob@example.com",
			Subject:   "New request",
			Text:      "Hello Bob,\nyou have a new request.\n",
			HTML:      "<p>Hello Bob,<br>you have a new request.</p>",
			MessageID: "outbox-13.1@arena.local",
			Lang:      "en",
		},
	}
	if err := s.Send(t.Context(), msgs...); err != nil {
		t.Fatalf("Send: %v", err)
	}

	got := srv.WaitFor(t, 2, 5*time.Second)
	if len(got) != 2 {
		t.Fatalf("got %d messages, want 2", len(got))
	}
	for i, r := range got {
		m := msgs[i]
		if r.From != "noreply@arena.local" {
			t.Errorf("msg %d: envelope From = %q", i, r.From)
		}
		if len(r.To) != 1 || r.To[0] != m.To {
			t.Errorf("msg %d: envelope To = %q, want [%q]", i, r.To, m.To)
		}
		to, err := r.Header.AddressList("To")
		if err != nil || len(to) != 1 || to[0].Address != m.To || to[0].Name != m.ToName {
			t.Errorf("msg %d: To header = %v (%v), want %q <%s>", i, to, err, m.ToName, m.To)
		}
		from, err := r.Header.AddressList("From")
		if err != nil || len(from) != 1 || from[0].Name != "Arena Notiser" {
			t.Errorf("msg %d: From header = %v (%v)", i, from, err)
		}
		if r.Subject != m.Subject {
			t.Errorf("msg %d: Subject = %q, want %q", i, r.Subject, m.Subject)
		}
		if got := normalize(r.Text); got != normalize(m.Text) {
			t.Errorf("msg %d: Text = %q, want %q", i, got, m.Text)
		}
		if got := normalize(r.HTML); got != normalize(m.HTML) {
			t.Errorf("msg %d: HTML = %q, want %q", i, got, m.HTML)
		}
		if got, want := r.Header.Get("Message-Id"), "<"+m.MessageID+">"; got != want {
			t.Errorf("msg %d: Message-ID = %q, want %q", i, got, want)
		}
		if got := r.Header.Get("Content-Language"); got != m.Lang {
			t.Errorf("msg %d: Content-Language = %q, want %q", i, got, m.Lang)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative;") {
			t.Errorf("msg %d: Content-Type = %q, want multipart/alternative", i, ct)
		}
		if p, h := bytes.Index(r.Raw, []byte("text/plain")), bytes.Index(r.Raw, []byte("text/html")); p < 0 || h < p {
			t.Errorf("msg %d: text/plain part must come before text/html", i)
		}
		if bytes.Contains(r.Raw, []byte("go-mail")) {
			t.Errorf("msg %d: message advertises go-mail", i)
		}
	}

	first, second := got[0], got[1]
	if got, want := first.Header.Get("List-Unsubscribe"), "<https://arena.example/unsubscribe?t=abc123>"; got != want {
		t.Errorf("List-Unsubscribe = %q, want %q", got, want)
	}
	if got, want := first.Header.Get("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click"; got != want {
		t.Errorf("List-Unsubscribe-Post = %q, want %q", got, want)
	}
	if d, err := first.Header.Date(); err != nil || !d.Equal(date) {
		t.Errorf("Date = %v (%v), want %v", d, err, date)
	}
	if _, ok := second.Header["List-Unsubscribe"]; ok {
		t.Errorf("second message has List-Unsubscribe without ListUnsubscribe set")
	}
	if d, err := second.Header.Date(); err != nil || time.Since(d) > time.Minute {
		t.Errorf("zero Date should mean now, got %v (%v)", d, err)
	}
}

// normalize undoes the CRLF line endings of SMTP.
func normalize(s string) string {
	return strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
}

func TestSendTemporaryFailureNamesMessage(t *testing.T) {
	srv := mailtest.Start(t)
	s := newSender(t, srv)
	srv.FailNext(1)

	err := s.Send(t.Context(),
		mail.Message{To: "a@example.se", Subject: "ett", Text: "ett", HTML: "<p>ett</p>", MessageID: "outbox-1.1@arena.local"},
		mail.Message{To: "b@example.se", Subject: "två", Text: "två", HTML: "<p>två</p>", MessageID: "outbox-2.1@arena.local"},
	)
	if err == nil {
		t.Fatal("Send succeeded, want error for the first message")
	}
	t.Logf("error: %v", err)
	var me *mail.MessageError
	if !errors.As(err, &me) {
		t.Fatalf("error %v is not a *mail.MessageError", err)
	}
	if me.Index != 0 || me.MessageID != "outbox-1.1@arena.local" || !me.Temporary {
		t.Errorf("MessageError = %+v, want index 0, outbox-1.1@arena.local, temporary", me)
	}
	for _, want := range []string{"message 0", "outbox-1.1@arena.local", "451"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "outbox-2.1") {
		t.Errorf("error %q mentions the message that was delivered", err)
	}

	// The second message is still delivered on the same connection.
	got := srv.WaitFor(t, 1, 5*time.Second)
	if len(got) != 1 || got[0].Header.Get("Message-Id") != "<outbox-2.1@arena.local>" {
		t.Errorf("received %d messages, want only outbox-2.1", len(got))
	}
}

func TestSendBadMessageIsSkipped(t *testing.T) {
	srv := mailtest.Start(t)
	s := newSender(t, srv)

	err := s.Send(t.Context(),
		mail.Message{To: "not an address", Subject: "x", Text: "x", MessageID: "outbox-5.1@arena.local"},
		mail.Message{To: "ok@example.se", Subject: "y", Text: "y", MessageID: "outbox-6.1@arena.local"},
	)
	var me *mail.MessageError
	if !errors.As(err, &me) || me.Index != 0 || me.Temporary {
		t.Fatalf("Send error = %v, want permanent MessageError for index 0", err)
	}
	got := srv.WaitFor(t, 1, 5*time.Second)
	if len(got) != 1 || got[0].To[0] != "ok@example.se" {
		t.Errorf("received %+v, want only ok@example.se", got)
	}
	if got[0].HTML != "" || normalize(got[0].Text) != "y" {
		t.Errorf("text-only message: Text %q HTML %q", got[0].Text, got[0].HTML)
	}
}

func TestSendCancelledContext(t *testing.T) {
	msg := mail.Message{To: "a@example.se", Subject: "x", Text: "x", HTML: "<p>x</p>"}

	t.Run("before sending", func(t *testing.T) {
		srv := mailtest.Start(t)
		s := newSender(t, srv)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		err := s.Send(ctx, msg)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Send error = %v, want context.Canceled", err)
		}
		if n := len(srv.Messages()); n != 0 {
			t.Errorf("%d messages delivered", n)
		}
	})

	t.Run("server never answers", func(t *testing.T) {
		// A server that accepts the connection but never sends its
		// greeting; only cancellation can end Send before go-mail's
		// own 15 s timeout.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		accepted := make(chan net.Conn, 1)
		go func() {
			c, err := l.Accept()
			if err == nil {
				accepted <- c
			}
		}()
		t.Cleanup(func() {
			l.Close()
			select {
			case c := <-accepted:
				c.Close()
			default:
			}
		})

		addr := l.Addr().(*net.TCPAddr)
		s, err := mail.NewSMTP(mail.Config{Host: addr.IP.String(), Port: addr.Port, TLS: "none", From: "noreply@arena.local"})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(200*time.Millisecond, cancel)
		start := time.Now()
		err = s.Send(ctx, msg)
		if elapsed := time.Since(start); elapsed > 3*time.Second {
			t.Errorf("Send took %v after cancellation", elapsed)
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Send error = %v, want context.Canceled", err)
		}
	})
}

func TestConfigCheck(t *testing.T) {
	ok := mail.Config{Host: "smtp.example.se", From: "Arena <noreply@arena.example>"}
	if err := ok.Check(); err != nil {
		t.Errorf("valid config: %v", err)
	}
	if err := (mail.Config{}).Check(); err != nil {
		t.Errorf("zero (disabled) config: %v", err)
	}
	if (mail.Config{}).Enabled() || !ok.Enabled() {
		t.Error("Enabled should follow Host")
	}

	tests := []struct {
		name  string
		edit  func(*mail.Config)
		field string
	}{
		{"bad From", func(c *mail.Config) { c.From = "not an address" }, "From"},
		{"empty From", func(c *mail.Config) { c.From = "" }, "From"},
		{"bad TLS", func(c *mail.Config) { c.TLS = "ssl" }, "TLS"},
		{"bad Port", func(c *mail.Config) { c.Port = 70000 }, "Port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			err := c.Check()
			if err == nil {
				t.Fatal("Check accepted the config")
			}
			if !strings.Contains(err.Error(), tt.field) {
				t.Errorf("error %q does not name %s", err, tt.field)
			}
			if _, err := mail.NewSMTP(c); err == nil {
				t.Error("NewSMTP accepted the config")
			}
		})
	}
}

func TestAuthIsNotSentInClear(t *testing.T) {
	// go-mail's auth auto-discovery only uses PLAIN and LOGIN on encrypted
	// connections, so with TLS "none" a PLAIN-only server is refused
	// before anything is sent.
	srv := mailtest.Start(t)
	s, err := mail.NewSMTP(mail.Config{
		Host: srv.Host(), Port: srv.Port(), TLS: "none",
		From: "noreply@arena.local", User: "arena", Password: "hemligt",
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(t.Context(), mail.Message{To: "a@example.se", Subject: "x", Text: "x"})
	if err == nil || !strings.Contains(err.Error(), "connect") {
		t.Errorf("Send error = %v, want a connection (AUTH) error", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages delivered", n)
	}
}
