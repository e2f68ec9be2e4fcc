package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
)

// readConns is the size of SQLite's pool of readers.
const readConns = 8

// Bounds of a statement cache: the store's queries are a few hundred
// texts (each entity's reads with its filters); longer or further texts,
// such as the reference data's batch inserts, are prepared each time.
const (
	stmtCacheMax = 512
	stmtMaxLen   = 4096
)

// stmtCache keeps one prepared statement per query text for a pool. The
// SQLite driver otherwise parses and plans every query anew, which cost
// more than running most of them. database/sql prepares a cached
// statement on each connection it runs on and keeps it there. A nil cache
// prepares nothing (PostgreSQL: pgx caches statements per connection).
type stmtCache struct {
	pool  *sql.DB
	stmts sync.Map // query text → *sql.Stmt
	n     atomic.Int32
}

func newStmtCache(pool *sql.DB) *stmtCache { return &stmtCache{pool: pool} }

// get returns the prepared statement of q, preparing it the first time;
// nil when q is not to be cached or cannot be prepared (the caller then
// runs q unprepared, and gets its error there).
func (c *stmtCache) get(ctx context.Context, q string) *sql.Stmt {
	if c == nil || len(q) > stmtMaxLen {
		return nil
	}
	if st, ok := c.stmts.Load(q); ok {
		return st.(*sql.Stmt)
	}
	if c.n.Load() >= stmtCacheMax {
		return nil
	}
	st, err := c.pool.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	if old, loaded := c.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return old.(*sql.Stmt)
	}
	c.n.Add(1)
	return st
}

// close closes the cached statements.
func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.stmts.Range(func(k, v any) bool {
		v.(*sql.Stmt).Close()
		c.stmts.Delete(k)
		return true
	})
}
