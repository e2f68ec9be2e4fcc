// Package mail sends e-mail notifications over SMTP.
//
// A [Config] describes the submission server; [NewSMTP] turns it into an
// [SMTP] sender whose Send method opens one connection per call and delivers
// every [Message] as multipart/alternative (text/plain, then text/html, both
// UTF-8 and quoted-printable). Code that only needs to send should depend on
// the [Sender] interface so tests can substitute a fake or point an SMTP
// sender at the in-process server in package mailtest.
//
// The package has no global state; an *SMTP is safe for concurrent use.
package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLS modes accepted in Config.TLS.
const (
	TLSStartTLS      = "starttls"      // STARTTLS is mandatory (the default)
	TLSOpportunistic = "opportunistic" // STARTTLS when the server offers it, plain text otherwise
	TLSNone          = "none"          // never encrypt
	TLSImplicit      = "tls"           // TLS from the first byte (SMTPS, usually port 465)
)

// Config describes how to reach the SMTP submission server. The zero value
// means that e-mail is disabled.
type Config struct {
	Host string
	// Port is the TCP port; 0 means 587, or 465 when TLS is "tls".
	Port int
	// TLS is one of "starttls" (also when empty), "opportunistic", "none"
	// or "tls".
	TLS string
	// User and Password are used for SMTP AUTH. Authentication is only
	// attempted when User is set.
	User, Password string
	// From is the RFC 5322 sender address, optionally with a display
	// name, e.g. `Arena <noreply@arena.example>`.
	From string
	// HELO is the name sent in EHLO/HELO; empty means the local host name.
	HELO string
}

// Enabled reports whether sending e-mail is configured, that is whether
// Host is set.
func (c Config) Enabled() bool { return c.Host != "" }

// Check validates the configuration. From is only required when Host is
// set; TLS and Port are always checked.
func (c Config) Check() error {
	switch c.TLS {
	case "", TLSStartTLS, TLSOpportunistic, TLSNone, TLSImplicit:
	default:
		return fmt.Errorf("mail: TLS must be %q, %q, %q or %q, not %q",
			TLSStartTLS, TLSOpportunistic, TLSNone, TLSImplicit, c.TLS)
	}
	if c.Port < 0 || c.Port > 65535 {
		return fmt.Errorf("mail: Port must be between 1 and 65535 (or 0 for the default), not %d", c.Port)
	}
	if !c.Enabled() {
		return nil
	}
	if strings.TrimSpace(c.From) == "" {
		return errors.New("mail: From must be set when Host is set")
	}
	if _, err := netmail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("mail: From %q is not a valid e-mail address: %v", c.From, err)
	}
	return nil
}

// port returns the effective TCP port.
func (c Config) port() int {
	switch {
	case c.Port != 0:
		return c.Port
	case c.TLS == TLSImplicit:
		return 465
	default:
		return 587
	}
}

// Message is one e-mail to a single recipient.
type Message struct {
	To     string // recipient address, e.g. "anna@example.se"
	ToName string // optional display name of the recipient
	// Subject may contain any Unicode text; it is MIME-encoded as needed.
	Subject string
	Text    string // text/plain body
	HTML    string // text/html body
	// MessageID is the Message-ID without angle brackets, e.g.
	// "outbox-12.3@arena.local". When empty a random one is generated in
	// the domain of Config.From.
	MessageID string
	// Lang is the Content-Language, e.g. "sv" or "en"; empty omits it.
	Lang string
	// ListUnsubscribe is an https URL for RFC 8058 one-click unsubscribe.
	// When set, the List-Unsubscribe and List-Unsubscribe-Post headers are
	// added.
	ListUnsubscribe string
	// Date is the Date header; the zero value means the time of sending.
	Date time.Time
}

// Sender sends messages. *SMTP implements it.
type Sender interface {
	Send(ctx context.Context, msgs ...Message) error
}

// MessageError reports a message that was not accepted by the server.
// Send returns one MessageError per failed message (joined with
// errors.Join); messages without a MessageError were accepted.
type MessageError struct {
	Index     int    // position of the message in the Send arguments
	MessageID string // Message-ID of the message, without angle brackets
	// Temporary is true when the server answered with a 4xx code, so a
	// later retry may succeed.
	Temporary bool
	Err       error
}

func (e *MessageError) Error() string {
	return fmt.Sprintf("mail: message %d (Message-ID <%s>) not sent: %v", e.Index, e.MessageID, e.Err)
}

func (e *MessageError) Unwrap() error { return e.Err }

// SMTP sends messages through an SMTP submission server.
type SMTP struct {
	cfg  Config
	from *netmail.Address
}

var _ Sender = (*SMTP)(nil)

// NewSMTP validates c and returns a sender for it. It does not connect.
func NewSMTP(c Config) (*SMTP, error) {
	if !c.Enabled() {
		return nil, errors.New("mail: Host must be set")
	}
	if err := c.Check(); err != nil {
		return nil, err
	}
	from, err := netmail.ParseAddress(c.From)
	if err != nil { // unreachable after Check, kept for safety
		return nil, fmt.Errorf("mail: From: %w", err)
	}
	return &SMTP{cfg: c, from: from}, nil
}

// Send connects to the server once, delivers msgs in order and closes the
// connection. ctx bounds the whole exchange: when it is cancelled or its
// deadline passes, the connection is closed and Send returns promptly.
//
// A connection or authentication failure means that no message was sent.
// Otherwise every message is attempted, and each one that was not accepted
// (including one that could not be built, e.g. because of a bad To) is
// reported as a *MessageError in the returned error.
func (s *SMTP) Send(ctx context.Context, msgs ...Message) error {
	if len(msgs) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("mail: not sending: %w", err)
	}

	// A message that cannot be built is reported and skipped, so that one
	// bad address does not hold back the others.
	var errs []error
	built := make([]*gomail.Msg, len(msgs))
	for i, m := range msgs {
		gm, err := s.build(m)
		if err != nil {
			errs = append(errs, &MessageError{Index: i, MessageID: m.MessageID, Err: err})
			continue
		}
		built[i] = gm
	}
	if len(errs) == len(msgs) {
		return errors.Join(errs...)
	}

	// The dial function ties the raw connection to ctx, so that
	// cancellation also interrupts the greeting, STARTTLS, AUTH and DATA.
	var conn net.Conn
	stop := func() bool { return false }
	defer func() {
		stop()
		if conn != nil {
			conn.Close()
		}
	}()
	dial := func(dctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		c, err := d.DialContext(dctx, network, addr)
		if err != nil {
			return nil, err
		}
		conn = c
		stop = context.AfterFunc(ctx, func() { c.Close() })
		if s.cfg.TLS != TLSImplicit {
			return c, nil
		}
		tc := tls.Client(c, s.tlsConfig())
		if err := tc.HandshakeContext(dctx); err != nil {
			return nil, err
		}
		return tc, nil
	}

	addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.port()))
	client, err := gomail.NewClient(s.cfg.Host, s.clientOptions(dial)...)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	sc, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return errors.Join(append([]error{fmt.Errorf("mail: connect to %s: %w", addr, ctxErr(ctx, err))}, errs...)...)
	}

	for i, gm := range built {
		if gm == nil {
			continue
		}
		if ctx.Err() != nil {
			errs = append(errs, &MessageError{Index: i, MessageID: msgID(gm), Temporary: true, Err: ctx.Err()})
			continue
		}
		if err := client.SendWithSMTPClient(sc, gm); err != nil {
			var se *gomail.SendError
			temp := errors.As(err, &se) && se.IsTemp()
			errs = append(errs, &MessageError{Index: i, MessageID: msgID(gm), Temporary: temp || ctx.Err() != nil, Err: ctxErr(ctx, err)})
		}
	}
	if ctx.Err() == nil {
		// All accepted messages are already queued by the server, so a
		// failing QUIT is not worth reporting.
		_ = client.CloseWithSMTPClient(sc)
	}
	return errors.Join(errs...)
}

// clientOptions translates the Config into go-mail client options.
func (s *SMTP) clientOptions(dial gomail.DialContextFunc) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(s.cfg.port()),
		gomail.WithDialContextFunc(dial),
		gomail.WithTLSConfig(s.tlsConfig()),
	}
	switch s.cfg.TLS {
	case "", TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSImplicit:
		// The dial function already returns a TLS connection. With the
		// opportunistic policy go-mail notices that the connection is
		// encrypted, which auth discovery needs to allow PLAIN/LOGIN.
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.cfg.HELO != "" {
		opts = append(opts, gomail.WithHELO(s.cfg.HELO))
	}
	if s.cfg.User != "" {
		// Auto-discovery picks the strongest mechanism the server offers;
		// PLAIN and LOGIN are only used on encrypted connections.
		opts = append(opts,
			gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.User),
			gomail.WithPassword(s.cfg.Password))
	}
	return opts
}

func (s *SMTP) tlsConfig() *tls.Config {
	return &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}
}

// build converts m into a go-mail message.
func (s *SMTP) build(m Message) (*gomail.Msg, error) {
	gm := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	gm.FromMailAddress(s.from)

	to, err := netmail.ParseAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("To %q is not a valid e-mail address: %v", m.To, err)
	}
	if m.ToName != "" {
		to.Name = m.ToName
	}
	gm.ToMailAddress(to)
	gm.Subject(m.Subject)

	id := strings.TrimSuffix(strings.TrimPrefix(m.MessageID, "<"), ">")
	if id == "" {
		id = rand.Text() + "@" + domain(s.from.Address)
	} else if strings.ContainsAny(id, "<> \t\r\n") || !strings.Contains(id, "@") {
		return nil, fmt.Errorf("MessageID %q must look like local@domain", m.MessageID)
	}
	gm.SetMessageIDWithValue(id)

	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	gm.SetDateWithValue(date)

	if m.Lang != "" {
		gm.SetGenHeader(gomail.HeaderContentLang, m.Lang)
	}
	if m.ListUnsubscribe != "" {
		if err := gm.SetListUnsubscribeOneClick(m.ListUnsubscribe); err != nil {
			return nil, fmt.Errorf("ListUnsubscribe must be an https URL: %w", err)
		}
	}

	switch {
	case m.Text != "" && m.HTML != "":
		gm.SetBodyString(gomail.TypeTextPlain, m.Text)
		gm.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	case m.Text != "":
		gm.SetBodyString(gomail.TypeTextPlain, m.Text)
	case m.HTML != "":
		gm.SetBodyString(gomail.TypeTextHTML, m.HTML)
	default:
		return nil, errors.New("message has neither Text nor HTML")
	}
	return gm, nil
}

// domain returns the part of addr after the last "@".
func domain(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return "localhost"
}

// msgID returns the Message-ID of gm without angle brackets.
func msgID(gm *gomail.Msg) string {
	return strings.TrimSuffix(strings.TrimPrefix(gm.GetMessageID(), "<"), ">")
}

// ctxErr adds the context's error to err once ctx is done, so callers can
// test for context.Canceled or context.DeadlineExceeded with errors.Is.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w (%w)", cerr, err)
	}
	return err
}
