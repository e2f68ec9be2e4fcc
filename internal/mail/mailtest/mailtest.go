// Package mailtest provides an in-process SMTP server for tests.
//
// Start a server with [Start], point the code under test at Host and Port
// (without TLS) and inspect what arrived with [Server.Messages] or
// [Server.WaitFor]. The server accepts any envelope, optional AUTH PLAIN
// with any credentials, and decodes the text and HTML parts of each
// message.
package mailtest

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is a message accepted by the server.
type Received struct {
	From    string      // envelope sender (MAIL FROM)
	To      []string    // envelope recipients (RCPT TO)
	User    string      // SASL user name, empty without AUTH
	Header  mail.Header // top-level header, keys in canonical form
	Subject string      // decoded Subject header
	Text    string      // decoded text/plain body
	HTML    string      // decoded text/html body
	Raw     []byte      // the message exactly as received
}

// Server is an in-process SMTP server. Its methods are safe for concurrent
// use.
type Server struct {
	srv  *smtp.Server
	addr *net.TCPAddr

	mu       sync.Mutex
	msgs     []Received
	arrived  chan struct{} // closed and replaced whenever a message arrives
	failNext int
	delay    time.Duration
}

// Start starts a server on 127.0.0.1 with a random port and stops it when
// the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	s := &Server{addr: l.Addr().(*net.TCPAddr), arrived: make(chan struct{})}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{s: s}, nil
	}))
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout = 30 * time.Second
	s.srv.WriteTimeout = 30 * time.Second
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.ErrorLog = log.New(io.Discard, "", 0)

	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.srv.Serve(l)
	}()
	t.Cleanup(func() {
		_ = s.srv.Close()
		// Serve may not have registered l with the server yet, in which
		// case srv.Close cannot close it.
		_ = l.Close()
		<-done
	})
	return s
}

// Addr returns the "host:port" the server listens on.
func (s *Server) Addr() string { return s.addr.String() }

// Host returns the IP address the server listens on.
func (s *Server) Host() string { return s.addr.IP.String() }

// Port returns the TCP port the server listens on.
func (s *Server) Port() int { return s.addr.Port }

// Messages returns a copy of the messages received so far, in arrival
// order.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Received, len(s.msgs))
	for i, m := range s.msgs {
		m.To = slices.Clone(m.To)
		m.Raw = slices.Clone(m.Raw)
		m.Header = mail.Header(maps.Clone(map[string][]string(m.Header)))
		out[i] = m
	}
	return out
}

// WaitFor waits until at least n messages have arrived and returns them
// all. It fails the test if that does not happen within timeout. Like
// t.Fatal it must be called from the test goroutine.
func (s *Server) WaitFor(t testing.TB, n int, timeout time.Duration) []Received {
	t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		got, arrived := len(s.msgs), s.arrived
		s.mu.Unlock()
		if got >= n {
			return s.Messages()
		}
		select {
		case <-arrived:
		case <-timer.C:
			t.Fatalf("mailtest: got %d messages after %v, want at least %d", got, timeout, n)
			return nil
		}
	}
}

// FailNext makes the next n DATA commands fail with a temporary
// "451 4.3.0" error; the messages are discarded.
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	s.failNext = n
	s.mu.Unlock()
}

func (s *Server) add(r Received) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, r)
	close(s.arrived)
	s.arrived = make(chan struct{})
}

// takeFailure reports whether the current DATA command should fail.
func (s *Server) takeFailure() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failNext > 0 {
		s.failNext--
		return true
	}
	return false
}

// session implements smtp.Session and smtp.AuthSession for one connection.
type session struct {
	s    *Server
	user string
	from string
	to   []string
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(_, user, _ string) error {
		ss.user = user
		return nil
	}), nil
}

// SetDelay makes the server wait d before it answers each MAIL command, as
// a slow server or network would: a client killed meanwhile has handed
// over nothing.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.s.mu.Lock()
	d := ss.s.delay
	ss.s.mu.Unlock()
	time.Sleep(d)
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if ss.s.takeFailure() {
		return &smtp.SMTPError{
			Code:         451,
			EnhancedCode: smtp.EnhancedCode{4, 3, 0},
			Message:      "mailtest: temporary failure requested by FailNext",
		}
	}
	rec, err := parse(raw)
	if err != nil {
		return &smtp.SMTPError{
			Code:         554,
			EnhancedCode: smtp.EnhancedCode{5, 6, 0},
			Message:      "mailtest: cannot parse message: " + err.Error(),
		}
	}
	rec.From, rec.To, rec.User = ss.from, slices.Clone(ss.to), ss.user
	ss.s.add(rec)
	return nil
}

func (ss *session) Reset() {
	ss.from, ss.to = "", nil
}

func (ss *session) Logout() error { return nil }

// parse decodes the header, subject and text/HTML bodies of raw.
func parse(raw []byte) (Received, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Received{}, err
	}
	rec := Received{Header: msg.Header, Raw: raw}
	var dec mime.WordDecoder
	if rec.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return Received{}, fmt.Errorf("subject: %w", err)
	}
	err = walk(&rec, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	return rec, err
}

// walk stores the decoded text/plain and text/html parts of a body with
// the given content type and transfer encoding, descending into multipart
// bodies. The first part of each type wins.
func walk(rec *Received, contentType, encoding string, body io.Reader) error {
	if contentType == "" {
		contentType = "text/plain"
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("content type %q: %w", contentType, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			// NextRawPart keeps Content-Transfer-Encoding so that
			// decoding is done in one place.
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := walk(rec, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); err != nil {
				return err
			}
		}
	}
	var dst *string
	switch mt {
	case "text/plain":
		dst = &rec.Text
	case "text/html":
		dst = &rec.HTML
	default:
		return nil
	}
	if *dst != "" {
		return nil
	}
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return fmt.Errorf("%s body: %w", mt, err)
	}
	*dst = string(b)
	return nil
}
