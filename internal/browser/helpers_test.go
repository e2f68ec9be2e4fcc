package browser

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

var (
	shared     *Browser
	sharedErr  error
	sharedOnce sync.Once
)

func TestMain(m *testing.M) {
	code := m.Run()
	shared.Close()
	os.Exit(code)
}

// skipOrFail skips the test for a missing tool, or fails it when CI
// requires the browser tests to run.
func skipOrFail(t testing.TB, err error) {
	t.Helper()
	if Required() {
		t.Fatalf("%v (%s=1: the browser tests must run)", err, RequireEnv)
	}
	t.Skipf("browser tests skipped: %v (set %s=1 to fail instead)", err, RequireEnv)
}

// needBrowser returns the package's one chromium, started on first use.
func needBrowser(t testing.TB) *Browser {
	t.Helper()
	if err := Available(); err != nil {
		skipOrFail(t, err)
	}
	if testing.Short() && !Required() {
		t.Skip("browser tests skipped in -short mode")
	}
	sharedOnce.Do(func() {
		shared, sharedErr = Start(context.Background(), nil)
	})
	if sharedErr != nil {
		t.Fatalf("start chromium: %v", sharedErr)
	}
	return shared
}

// needAxe returns axe-core's script, or skips (fails in CI).
func needAxe(t testing.TB) {
	t.Helper()
	if _, err := AxeSource(); err != nil {
		skipOrFail(t, err)
	}
}

// syncBuffer collects the server's log, shown when a test fails.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) tail(n int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	lines := strings.Split(strings.TrimRight(s.b.String(), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// startServer starts a demo Arena for one test; its log is printed when
// the test fails.
func startServer(t testing.TB) *Server {
	t.Helper()
	log := &syncBuffer{}
	s, err := StartServer(context.Background(), DataDir(), log)
	if err != nil {
		t.Fatalf("%v\n%s", err, log.tail(40))
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log (last lines):\n%s", log.tail(40))
		}
		if err := s.Close(); err != nil {
			t.Logf("server close: %v", err)
		}
	})
	return s
}

// session opens a tab of its own (its own cookies) on the server.
func session(t testing.TB, b *Browser, base string) *Page {
	t.Helper()
	p, cancel, err := b.NewSession(base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	return p
}

// must fails the test at the step that failed, with a screenshot of the
// page written beside the test's temp files for a person to look at.
func must(t testing.TB, p *Page, err error, step string, args ...any) {
	t.Helper()
	if err == nil {
		return
	}
	what := fmt.Sprintf(step, args...)
	shot := ""
	if p != nil {
		f := fmt.Sprintf("%s/failure-%s.png", os.TempDir(), strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()))
		if p.Screenshot(f) == nil {
			shot = "\n(screenshot of the page: " + f + ")"
		}
	}
	t.Fatalf("%s: %v%s", what, err, shot)
}
