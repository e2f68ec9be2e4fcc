// Package cli is the arena command: it reads the configuration and runs
// serve, migrate, user create, reference load and version.
package cli

import (
	"flag"
	"fmt"
	"strconv"
	"time"
)

// Config is the whole configuration, read from flags, then the
// environment, then defaults. It is passed down, never global.
type Config struct {
	DB              string        // ARENA_DB: SQLite file path or postgres:// URL
	Addr            string        // ARENA_ADDR: listen address
	DataDir         string        // ARENA_DATA_DIR: reference data folder (like ../shared/data)
	Demo            bool          // ARENA_DEMO: add demo users and needs
	LogFormat       string        // ARENA_LOG_FORMAT: text or json
	SecureCookies   bool          // ARENA_SECURE_COOKIES: set when served over TLS
	SQLiteSyncFull  bool          // ARENA_SQLITE_SYNC_FULL: SQLite syncs every commit (synchronous=FULL), not only at checkpoints
	ShutdownTimeout time.Duration // how long in-flight requests may run on shutdown
}

// DefaultConfig returns the defaults: a SQLite file beside the working
// directory, so a new user needs nothing else.
func DefaultConfig() Config {
	return Config{DB: "arena-data/arena.db", Addr: "localhost:8080", LogFormat: "text", ShutdownTimeout: 20 * time.Second}
}

// bind registers the config's flags on fs, with defaults taken from the
// environment so that a flag given wins over the environment.
func (c *Config) bind(fs *flag.FlagSet, getenv func(string) string, serve bool) {
	str := func(p *string, name, env, usage string) {
		if v := getenv(env); v != "" {
			*p = v
		}
		fs.StringVar(p, name, *p, usage+" (env "+env+")")
	}
	boolean := func(p *bool, name, env, usage string) {
		if v, err := strconv.ParseBool(getenv(env)); err == nil {
			*p = v
		}
		fs.BoolVar(p, name, *p, usage+" (env "+env+")")
	}
	str(&c.DB, "db", "ARENA_DB", "SQLite file or postgres:// URL")
	str(&c.DataDir, "data-dir", "ARENA_DATA_DIR", "reference data folder, laid out like shared/data")
	str(&c.LogFormat, "log-format", "ARENA_LOG_FORMAT", "log format: text or json")
	if serve {
		str(&c.Addr, "addr", "ARENA_ADDR", "listen address")
		boolean(&c.Demo, "demo", "ARENA_DEMO", "add demo users and needs")
		boolean(&c.SecureCookies, "secure-cookies", "ARENA_SECURE_COOKIES", "mark cookies Secure (behind TLS)")
		boolean(&c.SQLiteSyncFull, "sqlite-sync-full", "ARENA_SQLITE_SYNC_FULL", "SQLite: sync every commit to disk (synchronous=FULL), so it survives a power cut; default NORMAL")
	}
}

func (c *Config) check() error {
	if c.DB == "" {
		return fmt.Errorf("no database: give --db or ARENA_DB")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("--log-format must be text or json, not %q", c.LogFormat)
	}
	return nil
}
