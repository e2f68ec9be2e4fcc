package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"strings"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/app"
	"github.com/arena-se/arena/internal/auth"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/i18n"
	"github.com/arena-se/arena/internal/mail"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/metrics"
	"github.com/arena-se/arena/internal/refdata"
	"github.com/arena-se/arena/internal/seed"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/web"
)

// Version is set at build time with -ldflags "-X ...cli.Version=v1.2.3".
var Version = "dev"

// Env gives what a command may use of its surroundings, so tests run
// commands in-process.
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Now            func() time.Time
}

const usage = `arena: innovationsupphandlingsarenan

usage:
  arena serve [--demo] [--addr ADDR] [--db DB] [--data-dir DIR] [--sqlite-sync-full]
  arena migrate [--db DB]
  arena user create --email E --org-number NNNNNN-NNNN [--org-name N --org-kind K] [--role member|admin|broker|funder] [--name N] [--password P]
  arena reference load --from DIR [--db DB]
  arena match-file --in NEEDS.jsonl [--k 10] [--data-dir DIR]
  arena import needs --org NNNNNN-NNNN [--dry-run] [--partial] [--map "HEADER=FIELD,…"] [--db DB] FILE
  arena import notices [--org NNNNNN-NNNN] [--dry-run] [--db DB] FILE_OR_DIR
  arena import publish --org NNNNNN-NNNN [--source plan|eforms] [--db DB]
  arena backup --to FILE [--db DB]
  arena restore --from FILE [--db DB] [--force]
  arena version
`

// Describe words an error for the terminal: a domain error by its message
// in English, naming the field; other errors as they are.
func Describe(err error) string {
	var ae *arena.Error
	if !errors.As(err, &ae) {
		return err.Error()
	}
	text := i18n.MustLoad().For("en").Msg(ae.Msg)
	if ae.Field != "" {
		return ae.Field + ": " + text
	}
	return text
}

// Run runs the command named by args (without the program name).
func Run(ctx context.Context, args []string, env Env) error {
	if env.Now == nil {
		env.Now = time.Now
	}
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], env)
	case "migrate":
		return runMigrate(ctx, args[1:], env)
	case "user":
		if len(args) < 2 || args[1] != "create" {
			return errors.New("usage: arena user create --email E --org-number NNNNNN-NNNN")
		}
		return runUserCreate(ctx, args[2:], env)
	case "reference":
		if len(args) < 2 || args[1] != "load" {
			return errors.New("usage: arena reference load --from DIR")
		}
		return runReferenceLoad(ctx, args[2:], env)
	case "match-file":
		return runMatchFile(args[1:], env)
	case "import":
		return runImport(ctx, args[1:], env)
	case "backup":
		return runBackup(ctx, args[1:], env)
	case "restore":
		return runRestore(ctx, args[1:], env)
	case "version":
		fmt.Fprintln(env.Stdout, "arena", Version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(env.Stdout, usage)
		return nil
	}
	fmt.Fprint(env.Stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

func parse(name string, args []string, env Env, serve bool, extra func(*flag.FlagSet)) (Config, error) {
	cfg := DefaultConfig()
	fs := flag.NewFlagSet("arena "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	cfg.bind(fs, env.Getenv, serve)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return cfg, cfg.check()
}

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// Main is a running arena server; end-to-end tests start one on port 0.
type Main struct {
	Config   Config
	DB       *store.DB
	Matching *matching.Service
	App      *app.App // the one service set, shared by the API and the pages
	API      *httpapi.Server
	Metrics  *metrics.Metrics
	Log      *slog.Logger
	URL      string // where it listens, e.g. http://127.0.0.1:41234
	// MetricsURL is where /metrics is served when it has an address of
	// its own (--metrics-addr); "" when it is served on URL.
	MetricsURL string

	srv, metricsSrv *http.Server
	ln, metricsLn   net.Listener
}

// Open opens the database, loads reference data and seeds it, then
// listens; Serve serves until ctx ends.
func Open(ctx context.Context, cfg Config, env Env) (*Main, error) {
	if env.Now == nil {
		env.Now = time.Now
	}
	m := &Main{Config: cfg, Log: newLogger(cfg, env.Stderr)}
	db, err := store.Open(ctx, cfg.DB, store.SyncFull(cfg.SQLiteSyncFull))
	if err != nil {
		return nil, err
	}
	db.Now = env.Now
	m.DB = db
	if err := m.prepare(ctx, env); err != nil {
		db.Close()
		return nil, err
	}
	an, err := newAnalyzer(cfg.DataDir, m.Log)
	if err != nil {
		db.Close()
		return nil, err
	}
	m.Matching = matching.New(db, an, m.Log)
	m.Matching.DataDir = cfg.DataDir
	if cfg.DataDir != "" {
		if m.Matching.ReasonStop, err = match.ReadStopWords(cfg.DataDir); err != nil {
			db.Close()
			return nil, fmt.Errorf("stop words: %w", err)
		}
	}
	if err := m.Matching.Build(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("build the match index: %w", err)
	}
	m.Matching.PrepareCPV()
	if m.App, err = app.New(db, m.Matching, m.Log, Version); err != nil {
		db.Close()
		return nil, err
	}
	m.App.SecureCookies = cfg.SecureCookies
	m.App.RequestTimeout = cfg.RequestTimeout
	m.App.TrustedProxies, _ = app.ParseTrustedProxies(cfg.TrustedProxies) // checked with the config
	m.Metrics = metrics.New(metrics.Sources{DBStats: db.Stats, IndexSize: func() int { return m.Matching.Index().Len() }, SyncLag: m.Matching.SyncLag})
	m.App.OnLoginFailure = m.Metrics.LoginFailed
	m.App.Networks.OnJob = m.Metrics.JobRun
	m.App.Reach.OnJob = m.Metrics.JobRun
	m.App.Reach.Lease = cfg.MailLease
	if host, err := os.Hostname(); err == nil {
		m.App.Reach.Instance = fmt.Sprintf("%s:%d", host, os.Getpid())
	}
	if cfg.SMTP.Enabled() {
		sender, err := mail.NewSMTP(cfg.SMTP)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("e-mail: %w", err)
		}
		m.App.Reach.Mail = sender
	}
	if cfg.OIDCIssuer != "" {
		if err := m.App.ConnectOIDC(ctx, cfg.oidcConfig(), 30*time.Second); err != nil {
			db.Close()
			return nil, fmt.Errorf("identity provider: %w", err)
		}
	}
	m.API = httpapi.NewServer(m.App)
	m.API.Wrap(m.Metrics.Middleware)
	ui, err := web.New(m.App)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("web UI: %w", err)
	}
	ui.Register(m.API)
	if cfg.MetricsAddr == "" {
		m.API.Mux().Handle("GET /metrics", m.Metrics.Handler())
	} else if m.metricsLn, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
		db.Close()
		return nil, fmt.Errorf("listen on %s for metrics: %w", cfg.MetricsAddr, err)
	}
	m.ln, err = net.Listen("tcp", cfg.Addr)
	if err != nil {
		db.Close()
		if m.metricsLn != nil {
			m.metricsLn.Close()
		}
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	m.URL = "http://" + m.ln.Addr().String()
	m.App.Reach.PublicURL = cfg.PublicURL
	m.App.OCDSPrefix = cfg.OCDSPrefix
	m.App.OCDSPublisher, m.App.OCDSPublisherURI = cfg.OCDSPublisher, cfg.OCDSPublisherURI
	if cfg.PublicURL == "" {
		m.App.Reach.PublicURL = m.URL
		if cfg.SMTP.Enabled() {
			m.Log.Warn("e-mail links point at the listen address: give --public-url", "url", m.URL)
		}
	}
	m.srv = &http.Server{Handler: m.API.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute}
	if m.metricsLn != nil {
		m.MetricsURL = "http://" + m.metricsLn.Addr().String()
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", m.Metrics.Handler())
		writeTimeout := 30 * time.Second
		if cfg.Pprof {
			mux.HandleFunc("GET /debug/pprof/", pprof.Index)
			mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
			mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
			mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
			mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
			writeTimeout = 2 * time.Minute // a CPU profile or trace takes its seconds
		}
		m.metricsSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: writeTimeout}
	}
	return m, nil
}

// prepare loads reference data when a folder is given, seeds the report's
// data into an empty database and adds demo data when asked.
func (m *Main) prepare(ctx context.Context, env Env) error {
	if m.Config.DataDir != "" {
		if err := loadReference(ctx, m.DB, m.Config.DataDir, m.Log); err != nil {
			return err
		}
	}
	if _, missing := m.DB.ReferenceStatus(); len(missing) > 0 {
		en := i18n.MustLoad().For("en")
		for _, msg := range missing {
			m.Log.Warn("reference data missing", "detail", en.Msg(msg))
		}
	}
	if ok, err := seed.ApplyReport(ctx, m.DB); err != nil {
		return fmt.Errorf("seed the report's data: %w", err)
	} else if ok {
		m.Log.Info("seeded the report's networks, projects, funders and calls")
	}
	if m.Config.Demo {
		if ok, err := seed.ApplyDemo(ctx, m.DB, env.Now()); err != nil {
			return fmt.Errorf("demo data: %w", err)
		} else if ok {
			m.Log.Info("added demo users", "password", seed.DemoPassword, "users", demoEmails())
		}
	}
	return nil
}

func demoEmails() string {
	var e []string
	for _, u := range seed.DemoUsers {
		e = append(e, u.Email)
	}
	return strings.Join(e, ", ")
}

// Serve answers requests until ctx ends, then lets in-flight requests
// finish (up to the shutdown timeout) and closes the database.
func (m *Main) Serve(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- m.srv.Serve(m.ln) }()
	if m.metricsSrv != nil {
		go func() {
			if err := m.metricsSrv.Serve(m.metricsLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
				m.Log.Error("metrics server stopped", "err", err)
			}
		}()
		defer m.metricsSrv.Close()
	}
	syncCtx, stopSync := context.WithCancel(context.Background())
	defer stopSync()
	go m.Matching.Run(syncCtx)
	go m.App.Networks.RunDaily(syncCtx)
	go m.App.Reach.Run(syncCtx, m.Config.MailEvery)
	m.Log.Info("arena serving", "url", m.URL, "database", string(m.DB.Dialect), "version", Version)
	select {
	case err := <-errc:
		m.DB.Close()
		return err
	case <-ctx.Done():
	}
	m.Log.Info("shutting down: finishing in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), m.Config.ShutdownTimeout)
	defer cancel()
	err := m.srv.Shutdown(sctx)
	stopSync()
	m.DB.Close()
	return err
}

func runServe(ctx context.Context, args []string, env Env) error {
	cfg, err := parse("serve", args, env, true, nil)
	if err != nil {
		return err
	}
	m, err := Open(ctx, cfg, env)
	if err != nil {
		return err
	}
	return m.Serve(ctx)
}

func runMigrate(ctx context.Context, args []string, env Env) error {
	cfg, err := parse("migrate", args, env, false, nil)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.MigrationVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "database migrated to version %d\n", v)
	return nil
}

func loadReference(ctx context.Context, db *store.DB, dir string, log *slog.Logger) error {
	set, notes, err := refdata.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("reference data: %w", err)
	}
	for _, n := range notes {
		log.Warn("reference data", "detail", n)
	}
	if err := db.LoadReference(ctx, set); err != nil {
		return fmt.Errorf("store reference data: %w", err)
	}
	log.Info("reference data loaded", "dir", dir, "cpv", len(set.CPV), "counties", len(set.Counties), "municipalities", len(set.Municipalities))
	return nil
}

func runReferenceLoad(ctx context.Context, args []string, env Env) error {
	var from string
	cfg, err := parse("reference load", args, env, false, func(fs *flag.FlagSet) {
		fs.StringVar(&from, "from", "", "reference data folder, laid out like shared/data")
	})
	if err != nil {
		return err
	}
	if from == "" {
		from = cfg.DataDir
	}
	if from == "" {
		return errors.New("give --from DIR (a folder laid out like shared/data)")
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := loadReference(ctx, db, from, newLogger(cfg, env.Stderr)); err != nil {
		return err
	}
	loaded, missing := db.ReferenceStatus()
	fmt.Fprintf(env.Stdout, "loaded %d CPV codes, %d län, %d kommuner\n", loaded["cpv"], loaded["counties"], loaded["municipalities"])
	en := i18n.MustLoad().For("en")
	for _, m := range missing {
		fmt.Fprintln(env.Stdout, "missing:", en.Msg(m))
	}
	return nil
}

func runUserCreate(ctx context.Context, args []string, env Env) error {
	var email, orgNumber, orgName, orgKind, role, name, password string
	cfg, err := parse("user create", args, env, false, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "the user's e-mail address")
		fs.StringVar(&orgNumber, "org-number", "", "organisationsnummer, NNNNNN-NNNN")
		fs.StringVar(&orgName, "org-name", "", "organisation name, when the organisation is new")
		fs.StringVar(&orgKind, "org-kind", "", "organisation kind, when new (kommun, region, statlig_myndighet, …)")
		fs.StringVar(&role, "role", "member", "member, admin, broker or funder")
		fs.StringVar(&name, "name", "", "the user's name")
		fs.StringVar(&password, "password", "", "a password for signing in to the web UI (optional)")
	})
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	db.Now = env.Now
	token, err := CreateUser(ctx, db, UserRequest{Email: email, Name: name, OrgNumber: orgNumber, OrgName: orgName, OrgKind: orgKind, Role: role, Password: password})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, token)
	return nil
}

// UserRequest is what `arena user create` is given.
type UserRequest struct {
	Email, Name, OrgNumber, OrgName, OrgKind, Role, Password string
}

// CreateUser creates a user in the organisation with the number (creating
// the organisation when it is new) and returns a new bearer token. All of
// it happens in one transaction: on any error nothing is stored.
func CreateUser(ctx context.Context, db *store.DB, req UserRequest) (string, error) {
	ctx = arena.WithActor(ctx, arena.SystemActor())
	number, err := arena.NormalizeOrgNumber(req.OrgNumber)
	if err != nil {
		return "", err
	}
	u := &arena.User{Email: req.Email, Name: req.Name}
	orgRole := arena.OrgRoleMember
	switch req.Role {
	case "", "member":
	case "admin":
		orgRole = arena.OrgRoleAdmin
	case "broker":
		u.PlatformRoles = []arena.PlatformRole{arena.RoleBroker}
	case "funder":
		u.PlatformRoles = []arena.PlatformRole{arena.RoleFunderOfficer}
	default:
		return "", arena.Invalid("role", "err.choice", arena.F{"value": req.Role, "choices": arena.Choices{"member", "admin", "broker", "funder"}})
	}
	var hash string
	if req.Password != "" {
		if err := arena.CheckNewPassword("password", req.Password); err != nil {
			return "", err
		}
		if hash, err = auth.HashPassword(req.Password); err != nil {
			return "", err
		}
	}
	page, err := db.Organizations.List(ctx, store.ListQuery{Filters: map[string]string{"org_number": number}, Limit: 1})
	if err != nil {
		return "", err
	}
	token, tokenHash := auth.NewToken("arena_")
	err = db.InTx(ctx, func(tx *store.Tx) error {
		var orgID int64
		if len(page.Items) == 1 {
			orgID = page.Items[0].ID
		} else {
			if req.OrgName == "" || req.OrgKind == "" {
				return arena.Invalid("org-name", "err.cli.org_new", arena.F{"number": number})
			}
			o := &arena.Organization{Name: req.OrgName, OrgNumber: number, Kind: arena.OrgKind(req.OrgKind)}
			if err := db.Organizations.CreateTx(ctx, tx, o); err != nil {
				return err
			}
			orgID = o.ID
		}
		if err := db.Users.CreateTx(ctx, tx, u); err != nil {
			return err
		}
		if err := db.OrgMemberships.CreateTx(ctx, tx, &arena.OrgMembership{UserID: u.ID, OrgID: orgID, Role: orgRole}); err != nil {
			return err
		}
		if hash != "" {
			if err := tx.SetPasswordTx(ctx, u.ID, hash); err != nil {
				return err
			}
		}
		return tx.CreateAPITokenTx(ctx, tokenHash, u.ID, "arena user create")
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// newAnalyzer is the one analyzer setup of the product: with the compound
// dictionary of the reference folder when there is one. serve and
// match-file both use it, so both rank the same way.
func newAnalyzer(dataDir string, log *slog.Logger) (*match.Analyzer, error) {
	if dataDir == "" {
		log.Warn("no reference folder: compounds are matched by character n-grams only (give --data-dir for the Swedish compound dictionary)")
		return match.NewAnalyzer(nil), nil
	}
	c, err := match.ReadCompounds(dataDir)
	if err != nil {
		return nil, fmt.Errorf("compound dictionary: %w", err)
	}
	if c == nil {
		log.Warn("reference folder has no compound dictionary", "file", match.CompoundsFile)
	}
	return match.NewAnalyzer(c), nil
}
