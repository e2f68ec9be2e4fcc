package browser

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/arena-se/arena/internal/cli"
)

// Server is an Arena serving the report's data and the demo users on a
// free loopback port, with a SQLite database of its own.
type Server struct {
	URL  string
	Main *cli.Main

	dir  string
	stop context.CancelFunc
	done chan error
}

// StartServer opens a demo Arena with a fresh database in a temporary
// folder and the reference data of dataDir; log gets the server's log.
func StartServer(ctx context.Context, dataDir string, log io.Writer) (*Server, error) {
	dir, err := os.MkdirTemp("", "arena-browser-")
	if err != nil {
		return nil, err
	}
	cfg := cli.DefaultConfig()
	cfg.DB = filepath.Join(dir, "arena.db")
	cfg.Addr = "127.0.0.1:0"
	cfg.Demo = true
	cfg.DataDir = dataDir
	cfg.ShutdownTimeout = 5 * time.Second
	if log == nil {
		log = io.Discard
	}
	env := cli.Env{Stdout: log, Stderr: log, Getenv: func(string) string { return "" }, Now: time.Now}
	m, err := cli.Open(ctx, cfg, env)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("open a demo server: %w", err)
	}
	if err := checkUI(m); err != nil {
		m.DB.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	sctx, stop := context.WithCancel(context.Background())
	s := &Server{URL: m.URL, Main: m, dir: dir, stop: stop, done: make(chan error, 1)}
	go func() { s.done <- m.Serve(sctx) }()
	return s, nil
}

// checkUI fails when the server has no sign-in page: cli.Open must
// register the web UI on the API's router.
func checkUI(m *cli.Main) error {
	if _, pattern := m.API.Mux().Handler(httptest.NewRequest("GET", "/logga-in", nil)); pattern == "" {
		return fmt.Errorf("the server at %s serves no web UI (no route for /logga-in): cli.Open must register internal/web", m.URL)
	}
	return nil
}

// Close stops the server and removes its database.
func (s *Server) Close() error {
	if s == nil {
		return nil
	}
	s.stop()
	err := <-s.done
	os.RemoveAll(s.dir)
	return err
}
