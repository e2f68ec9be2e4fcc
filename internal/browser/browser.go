// Package browser drives Debian's chromium, headless, against a running
// Arena: the end-to-end tests of the web UI (a buyer's flow with the mouse
// and with the keyboard alone, axe-core on every page) and the screenshots
// of cmd/arena-screenshots.
//
// Chromium is never downloaded by a test tool: .ci/browser.sh installs
// Debian's package, and the tests skip when /usr/bin/chromium is missing,
// unless ARENA_REQUIRE_BROWSER=1 (set in CI), when they fail.
package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/chromedp/chromedp"
)

// ExecPath is where Debian's chromium package puts the browser.
const ExecPath = "/usr/bin/chromium"

// RequireEnv names the variable that turns a missing browser (or a
// missing axe-core) from a skip into a failure; CI sets it to 1.
const RequireEnv = "ARENA_REQUIRE_BROWSER"

// Required tells whether a missing browser must fail the tests.
func Required() bool {
	v := os.Getenv(RequireEnv)
	return v != "" && v != "0" && v != "false"
}

// Available reports why chromium cannot be started, or nil.
func Available() error {
	fi, err := os.Stat(ExecPath)
	if err != nil {
		return fmt.Errorf("chromium is not installed at %s (apt-get install chromium, or run .ci/browser.sh)", ExecPath)
	}
	if fi.IsDir() || fi.Mode()&0o111 == 0 {
		return fmt.Errorf("%s is not an executable", ExecPath)
	}
	return nil
}

// Browser is one headless chromium with a fresh profile.
type Browser struct {
	ctx     context.Context // has the browser; tabs are children of it
	cancel  context.CancelFunc
	dataDir string
}

// Options are the flags chromium runs with here: headless, as root (so no
// sandbox), and with every background connection off, since this machine
// has no network but loopback.
func Options(userDataDir string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ExecPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("safebrowsing-disable-auto-update", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("lang", "sv-SE"),
		chromedp.UserDataDir(userDataDir),
		chromedp.WindowSize(1280, 900),
	}
}

// Start starts chromium; Close stops it and removes its profile. Logs of
// the browser go to logf when it is not nil.
func Start(parent context.Context, logf func(string, ...any)) (*Browser, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "arena-chromium-")
	if err != nil {
		return nil, err
	}
	allocCtx, allocCancel := chromedp.NewExecAllocator(parent, Options(dir)...)
	var opts []chromedp.ContextOption
	if logf != nil {
		opts = append(opts, chromedp.WithErrorf(logf))
	}
	ctx, cancel := chromedp.NewContext(allocCtx, opts...)
	b := &Browser{ctx: ctx, dataDir: dir, cancel: func() { cancel(); allocCancel() }}
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		b.Close()
		return nil, fmt.Errorf("start %s: %w%s", ExecPath, err, versionHint())
	}
	return b, nil
}

func versionHint() string {
	out, err := exec.Command(ExecPath, "--version").CombinedOutput()
	if err != nil {
		return ""
	}
	return " (" + strings.TrimSpace(string(out)) + ")"
}

// Close stops the browser and removes its profile.
func (b *Browser) Close() {
	if b == nil {
		return
	}
	b.cancel()
	if b.dataDir != "" {
		os.RemoveAll(b.dataDir)
	}
}

// NewSession opens a tab in a browser context of its own (its own cookie
// jar), so two sessions are two people. Cancel closes it.
func (b *Browser) NewSession(base string) (*Page, context.CancelFunc, error) {
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	// The first run opens the tab and binds it to the context it gets, so
	// it gets the tab's own context, never one with a step's timeout.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("open a tab: %w", err)
	}
	return &Page{ctx: ctx, Base: strings.TrimRight(base, "/"), Timeout: defaultTimeout}, cancel, nil
}

// ModuleRoot is the folder of go.mod, found upwards from the working
// directory, so tests and commands find tools/axe wherever they run.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.Contains(string(b), "module github.com/arena-se/arena\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod of github.com/arena-se/arena not found above the working directory")
		}
		dir = parent
	}
}

// DataDir is the reference data folder: ARENA_TEST_DATA_DIR, else
// ../shared/data beside the module.
func DataDir() string {
	if d := os.Getenv("ARENA_TEST_DATA_DIR"); d != "" {
		return d
	}
	if root, err := ModuleRoot(); err == nil {
		return filepath.Join(root, "..", "shared", "data")
	}
	return filepath.Join("..", "shared", "data")
}
