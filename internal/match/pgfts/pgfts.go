// Package pgfts is the PostgreSQL full-text-search baseline for the
// need→need matcher, exactly as the matching issue defines it: the
// PostgreSQL "swedish" text-search configuration over title and
// description, an OR query of the query need's own lexemes, ranked with
// ts_rank_cd, needs of the same organisation excluded, top k, ties by id.
//
// Needs live in one table of a schema of their own, so a benchmark can load
// several corpus sizes side by side and drop them afterwards.
package pgfts

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/arena-se/arena/internal/match/corpus"
)

// table is the name of the needs table inside the index's schema, and
// marker the comment that tells Load and Drop the table is theirs.
const (
	table  = "pgfts_needs"
	marker = "arena pgfts baseline"
)

// Index is a loaded baseline index: a table of needs with a stored
// tsvector column and a GIN index on it. It is safe for concurrent use.
type Index struct {
	pool   *pgxpool.Pool
	schema string
	query  string // the ranking statement, with the table name filled in
}

// LoadStats reports how long Load took and its rate.
type LoadStats struct {
	Rows       int64
	Copy       time.Duration // COPY, including computing the tsvectors
	Index      time.Duration // primary key, GIN index and ANALYZE
	Total      time.Duration // from connecting to ready
	RowsPerSec float64       // Rows / Total
}

func (s LoadStats) String() string {
	return fmt.Sprintf("%d needs in %v (COPY %v, indexes %v): %.0f needs/s",
		s.Rows, s.Total.Round(time.Millisecond), s.Copy.Round(time.Millisecond), s.Index.Round(time.Millisecond), s.RowsPerSec)
}

// Load creates (or replaces) the needs table in schema on the database at
// url, creating the schema if needed, bulk-loads needs with COPY and builds
// a GIN index on the stored tsvector column
// to_tsvector('swedish', title || ' ' || description). It refuses to
// replace a table it did not create, and the schema "public".
func Load(ctx context.Context, url, schema string, needs func(yield func(corpus.Need) bool)) (*Index, LoadStats, error) {
	var st LoadStats
	t0 := time.Now()
	if err := checkSchema(schema); err != nil {
		return nil, st, err
	}
	ix, err := connect(ctx, url, schema)
	if err != nil {
		return nil, st, err
	}
	ok := false
	defer func() {
		if !ok {
			ix.Close()
		}
	}()

	tbl := ix.table()
	if err := ix.refuseForeign(ctx); err != nil {
		return nil, st, err
	}
	setup := []string{
		"CREATE SCHEMA IF NOT EXISTS " + pgx.Identifier{schema}.Sanitize(),
		"DROP TABLE IF EXISTS " + tbl,
		`CREATE TABLE ` + tbl + ` (
			id text NOT NULL,
			org text NOT NULL,
			org_kind text NOT NULL,
			title text NOT NULL,
			description text NOT NULL,
			cpv text[] NOT NULL,
			estimated_value_sek bigint,
			planned_year integer NOT NULL,
			tsv tsvector GENERATED ALWAYS AS (to_tsvector('swedish', title || ' ' || description)) STORED
		)`,
		"COMMENT ON TABLE " + tbl + " IS '" + marker + "'",
	}
	for _, q := range setup {
		if _, err := ix.pool.Exec(ctx, q); err != nil {
			return nil, st, fmt.Errorf("pgfts: set up %s: %w", tbl, err)
		}
	}

	t1 := time.Now()
	next, stop := iter.Pull(iter.Seq[corpus.Need](needs))
	defer stop()
	src := &needSource{next: next}
	n, err := ix.pool.CopyFrom(ctx, pgx.Identifier{schema, table},
		[]string{"id", "org", "org_kind", "title", "description", "cpv", "estimated_value_sek", "planned_year"}, src)
	if err != nil {
		return nil, st, fmt.Errorf("pgfts: copy needs into %s (after %d): %w", tbl, src.n, err)
	}
	st.Rows = n
	st.Copy = time.Since(t1)

	t2 := time.Now()
	conn, err := ix.pool.Acquire(ctx)
	if err != nil {
		return nil, st, fmt.Errorf("pgfts: %w", err)
	}
	defer conn.Release()
	for _, q := range []string{
		"SET maintenance_work_mem = '512MB'",
		"ALTER TABLE " + tbl + " ADD PRIMARY KEY (id)",
		"CREATE INDEX ON " + tbl + " USING gin (tsv)",
		"ANALYZE " + tbl,
		"RESET maintenance_work_mem",
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return nil, st, fmt.Errorf("pgfts: index %s: %w", tbl, err)
		}
	}
	st.Index = time.Since(t2)
	st.Total = time.Since(t0)
	if s := st.Total.Seconds(); s > 0 {
		st.RowsPerSec = float64(st.Rows) / s
	}
	ok = true
	return ix, st, nil
}

// Open returns the index of a table loaded earlier into schema.
func Open(ctx context.Context, url, schema string) (*Index, error) {
	if err := checkSchema(schema); err != nil {
		return nil, err
	}
	ix, err := connect(ctx, url, schema)
	if err != nil {
		return nil, err
	}
	var comment *string
	err = ix.pool.QueryRow(ctx, "SELECT obj_description(to_regclass($1), 'pg_class')", ix.table()).Scan(&comment)
	if err == nil && (comment == nil || *comment != marker) {
		err = fmt.Errorf("no baseline table %s (run Load first)", ix.table())
	}
	if err != nil {
		ix.Close()
		return nil, fmt.Errorf("pgfts: open: %w", err)
	}
	return ix, nil
}

// Query returns the ids of the top k needs for the query text, excluding
// needs whose org equals excludeOrg, best first, ties by id. The query is an
// OR of the distinct lexemes of to_tsvector('swedish', text), each quoted,
// ranked with ts_rank_cd. A text without lexemes matches nothing.
func (ix *Index) Query(ctx context.Context, text, excludeOrg string, k int) ([]string, error) {
	if k <= 0 {
		return nil, nil
	}
	rows, err := ix.pool.Query(ctx, ix.query, text, excludeOrg, k)
	if err != nil {
		return nil, fmt.Errorf("pgfts: query: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("pgfts: query: %w", err)
	}
	return ids, nil
}

// Drop removes the needs table and then the schema, unless other objects
// still live in it.
func (ix *Index) Drop(ctx context.Context) error {
	if err := ix.refuseForeign(ctx); err != nil {
		return err
	}
	if _, err := ix.pool.Exec(ctx, "DROP TABLE IF EXISTS "+ix.table()); err != nil {
		return fmt.Errorf("pgfts: drop: %w", err)
	}
	_, err := ix.pool.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{ix.schema}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "2BP01" { // dependent objects still exist
		return nil
	}
	if err != nil {
		return fmt.Errorf("pgfts: drop: %w", err)
	}
	return nil
}

// Close closes the index's connections; the table stays.
func (ix *Index) Close() { ix.pool.Close() }

// querySQL ranks needs for a text; %s is the table. The tsquery is built
// from the text's own lexemes, each single-quoted with backslashes and quotes
// escaped (chr(92) = \, chr(39) = '), so no character of the text can change
// the query's structure. MATERIALIZED makes PostgreSQL build the tsquery
// once; inlined, the text→tsquery cast ran again for every matching row
// (about a third of the query time at 100k needs).
const querySQL = `
WITH q AS MATERIALIZED (
	SELECT NULLIF(array_to_string(ARRAY(
		SELECT chr(39) || replace(replace(l, chr(92), chr(92) || chr(92)), chr(39), chr(39) || chr(39)) || chr(39)
		FROM unnest(tsvector_to_array(to_tsvector('swedish', $1::text))) AS l
	), ' | '), '')::tsquery AS q
)
SELECT n.id
FROM %s AS n, q
WHERE n.tsv @@ q.q AND n.org <> $2::text
ORDER BY ts_rank_cd(n.tsv, q.q) DESC, n.id
LIMIT $3::integer`

func connect(ctx context.Context, url, schema string) (*Index, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("pgfts: connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgfts: connect: %w", err)
	}
	ix := &Index{pool: pool, schema: schema}
	ix.query = fmt.Sprintf(querySQL, ix.table())
	return ix, nil
}

func (ix *Index) table() string { return pgx.Identifier{ix.schema, table}.Sanitize() }

// refuseForeign fails if the table exists and was not created by Load.
func (ix *Index) refuseForeign(ctx context.Context) error {
	var exists bool
	var comment *string
	err := ix.pool.QueryRow(ctx,
		"SELECT to_regclass($1) IS NOT NULL, obj_description(to_regclass($1), 'pg_class')", ix.table()).Scan(&exists, &comment)
	if err != nil {
		return fmt.Errorf("pgfts: %w", err)
	}
	if exists && (comment == nil || *comment != marker) {
		return fmt.Errorf("pgfts: %s exists and was not made by pgfts.Load; not touching it", ix.table())
	}
	return nil
}

func checkSchema(schema string) error {
	s := strings.ToLower(schema)
	if schema == "" || s == "public" || s == "information_schema" || strings.HasPrefix(s, "pg_") {
		return fmt.Errorf("pgfts: schema %q: give a schema of the index's own", schema)
	}
	return nil
}

// needSource feeds pulled needs to COPY.
type needSource struct {
	next func() (corpus.Need, bool)
	cur  corpus.Need
	n    int64
}

func (s *needSource) Next() bool {
	nd, ok := s.next()
	if ok {
		s.cur = nd
		s.n++
	}
	return ok
}

func (s *needSource) Values() ([]any, error) {
	nd := &s.cur
	cpv := nd.CPV
	if cpv == nil {
		cpv = []string{}
	}
	return []any{nd.ID, nd.Org, nd.OrgKind, nd.Title, nd.Description, cpv, nd.EstimatedValueSEK, int32(nd.PlannedYear)}, nil
}

func (s *needSource) Err() error { return nil }
