package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// buildArena builds the arena command into dir.
func buildArena(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "arena")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/arena-se/arena/cmd/arena")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/arena: %v\n%s", err, out.String())
	}
	return bin, nil
}

// instance is one `arena serve` process on a loopback port.
type instance struct {
	name string
	url  string // http://127.0.0.1:PORT
	// metricsURL is where its metrics and profiler are served, when it
	// is profiled; "" otherwise.
	metricsURL string
	logPath    string
	cmd        *exec.Cmd
	done       chan struct{} // closed when the process has exited
	err        error         // why it exited, once done is closed
}

// startInstance starts `arena serve --demo` on a free loopback port and
// the database; the process's output goes to a log file in dir. A
// profiled instance also serves its profiler on another loopback port.
func startInstance(bin, name, db, dataDir, dir string, profiled bool) (*instance, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	in := &instance{name: name, url: "http://" + addr, logPath: filepath.Join(dir, name+".log"), done: make(chan struct{})}
	log, err := os.Create(in.logPath)
	if err != nil {
		return nil, err
	}
	// The test's clients come through loopback as through a load balancer
	// that names each in X-Forwarded-For (clientAddr).
	args := []string{"serve", "--demo", "--addr", addr, "--db", db, "--trusted-proxies", "127.0.0.1/32,::1/128"}
	if dataDir != "" {
		args = append(args, "--data-dir", dataDir)
	}
	if profiled {
		mport, err := freePort()
		if err != nil {
			return nil, err
		}
		maddr := "127.0.0.1:" + strconv.Itoa(mport)
		in.metricsURL = "http://" + maddr
		args = append(args, "--metrics-addr", maddr, "--pprof")
	}
	in.cmd = exec.Command(bin, args...)
	in.cmd.Stdout, in.cmd.Stderr = log, log
	// Only the variables a process needs: no ARENA_* of the caller's shell
	// may change what is measured.
	in.cmd.Env = cleanEnv()
	in.cmd.SysProcAttr = childAttr()
	if err := in.cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() {
		in.err = in.cmd.Wait()
		log.Close()
		close(in.done)
	}()
	return in, nil
}

func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ARENA_") {
			env = append(env, kv)
		}
	}
	return env
}

// freePort asks the kernel for a free loopback port. Another process may
// take it before arena binds it; then the instance fails to start and says
// so.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitReady polls /readyz until the instance answers 200, exits, or the
// time is up.
func (in *instance) waitReady(ctx context.Context, client *http.Client, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		req, _ := http.NewRequestWithContext(ctx, "GET", in.url+"/readyz", nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-in.done:
			return fmt.Errorf("%s exited before it was ready (%v); its log:\n%s", in.name, in.err, tail(in.logPath, 20))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %s; its log:\n%s", in.name, limit, tail(in.logPath, 20))
		}
	}
}

// stop asks the instance to shut down and kills it if it has not within
// ten seconds; it returns once the process is gone.
func (in *instance) stop() {
	select {
	case <-in.done:
		return
	default:
	}
	in.cmd.Process.Signal(os.Interrupt)
	select {
	case <-in.done:
	case <-time.After(10 * time.Second):
		in.cmd.Process.Kill()
		<-in.done
	}
}

// exited reports whether the process has ended.
func (in *instance) exited() bool {
	select {
	case <-in.done:
		return true
	default:
		return false
	}
}

// tail is the last n lines of a file, for error messages.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// pgSchema is a PostgreSQL schema this program made and drops.
type pgSchema struct {
	base, name string
}

// createSchema makes a fresh schema named after the process and the time.
func createSchema(ctx context.Context, base string) (*pgSchema, error) {
	s := &pgSchema{base: base, name: fmt.Sprintf("arena_load_%d_%d", os.Getpid(), time.Now().Unix())}
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{s.name}.Sanitize()); err != nil {
		return nil, fmt.Errorf("create schema: %w", err)
	}
	return s, nil
}

// url is the database URL of the schema, for `arena --db`.
func (s *pgSchema) url() string {
	u, _ := url.Parse(s.base)
	q := u.Query()
	q.Set("search_path", s.name)
	u.RawQuery = q.Encode()
	return u.String()
}

// drop removes the schema and everything in it; it runs after a cancel
// too, so it has a context of its own.
func (s *pgSchema) drop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.base)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{s.name}.Sanitize()+" CASCADE")
	return err
}

// checkPostgresURL refuses a database that is not on this machine.
func checkPostgresURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return errors.New("--pg: give a postgres:// URL")
	}
	if !isLoopback(u.Hostname()) {
		return fmt.Errorf("--pg: %q is not a loopback address; the load test runs on this machine only", u.Hostname())
	}
	return nil
}

// isLoopback reports whether host is a loopback IP address or localhost.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// userCreate runs `arena user create` on the database and returns the
// bearer token it prints.
func userCreate(ctx context.Context, bin, db, email, number, name, kind string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, "user", "create", "--db", db, "--email", email, "--org-number", number,
		"--org-name", name, "--org-kind", kind, "--role", "admin")
	cmd.Env = cleanEnv()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("arena user create %s: %v: %s", email, err, strings.TrimSpace(errb.String()))
	}
	token := strings.TrimSpace(out.String())
	if !strings.HasPrefix(token, "arena_") {
		return "", fmt.Errorf("arena user create %s printed %q, not a token", email, token)
	}
	return token, nil
}
