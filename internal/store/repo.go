package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	arena "github.com/arena-se/arena"
)

// Entity is the stored form of one kind of record: its table, the
// references it makes, the filters its list takes, who may see it and who
// may change it. One generic implementation serves every entity, so the
// rules for ETags, visibility and errors are the same everywhere.
type Entity[T any] struct {
	db    *DB
	Name  string // what the record is called: "need", "network_member" (its term is entity.<Name>)
	Table string
	// refs maps a column to the table its id must exist in; checked before a
	// write so the error names the field.
	refs map[string]string
	// filters are the list's query parameters.
	filters map[string]filter
	// visible returns a predicate on alias t that limits reads to what the
	// actor may see; nil means everything is public.
	visible func(a *arena.Actor) (string, []any)
	// redact removes from records read what the actor may not see of
	// them (personal data); nil means nothing.
	redact func(ctx context.Context, a *arena.Actor, items []*T) error
	// authorize decides whether the actor may make a change; old is nil on
	// create, new is nil on delete. The system actor skips it.
	authorize func(ctx context.Context, tx *Tx, a *arena.Actor, old, new *T) error
	// check runs rules that need the database, such as reference data.
	check func(ctx context.Context, tx *Tx, v *T) error
	// precheck sees the input before Validate normalises it (a CPV check
	// digit is only in the input).
	precheck func(v *T) error
	// transition checks an update against the record it replaces (stage
	// order, status changes that need their own operation).
	transition func(old, v *T) error
	// event tells which event a create (old nil) or update makes, if any;
	// it is recorded in the write's own transaction (reach).
	event func(old, v *T) (arena.EventKind, bool)
}

// filter turns a query parameter's value into a predicate on alias t.
type filter func(db *DB, value string) (string, []any, error)

// ListQuery asks for one page of a list.
type ListQuery struct {
	Filters map[string]string
	After   int64 // return records after this id (keyset paging)
	Limit   int
}

// Page is one page of a list.
type Page[T any] struct {
	Items []*T  `json:"items"`
	Total int   `json:"total"`
	Next  int64 `json:"next_after,omitempty"` // give as after= for the next page; 0 at the end
}

// MaxPageSize bounds a page.
const MaxPageSize = 500

func (e *Entity[T]) mapping() *mapping { return mappingOf(reflect.TypeFor[T]()) }

func metaOf(v any) *arena.Meta { return v.(interface{ GetMeta() *arena.Meta }).GetMeta() }

func validate(v any) error {
	if val, ok := v.(interface{ Validate() error }); ok {
		return val.Validate()
	}
	return nil
}

// FilterNames lists the filters the entity's list accepts.
func (e *Entity[T]) FilterNames() []string { return slices.Sorted(maps.Keys(e.filters)) }

// visibility returns the read predicate for the actor of ctx.
func (e *Entity[T]) visibility(ctx context.Context) (string, []any) {
	if e.visible == nil {
		return "1=1", nil
	}
	return e.visible(arena.ActorFrom(ctx))
}

func (e *Entity[T]) selectSQL() string {
	return selectOf(e.mapping(), e.Table)
}

func (e *Entity[T]) scanOne(row interface{ Scan(...any) error }) (*T, error) {
	return newScanner[T](e.mapping()).scan(row)
}

// scanner scans rows into new records of T with one set of scan targets,
// which follow the record being filled: a list allocates its records, not
// a target per column and row.
type scanner[T any] struct {
	cur  reflect.Value
	dest []any
}

func newScanner[T any](m *mapping) *scanner[T] {
	s := &scanner[T]{dest: make([]any, len(m.fields))}
	for i, f := range m.fields {
		s.dest[i] = &column{cur: &s.cur, f: f}
	}
	return s
}

func (s *scanner[T]) scan(row interface{ Scan(...any) error }) (*T, error) {
	v := new(T)
	s.cur = reflect.ValueOf(v).Elem()
	if err := row.Scan(s.dest...); err != nil {
		return nil, err
	}
	return v, nil
}

// Get returns the record with id if the actor of ctx may see it.
func (e *Entity[T]) Get(ctx context.Context, id int64) (*T, error) {
	pred, args := e.visibility(ctx)
	q := e.selectSQL() + " WHERE t.id = ? AND (" + pred + ")"
	v, err := e.scanOne(e.db.queryRow(ctx, q, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, arena.NotFound(e.Name)
	} else if err != nil {
		return nil, err
	}
	if err := e.redactFor(ctx, []*T{v}); err != nil {
		return nil, err
	}
	return v, nil
}

func (e *Entity[T]) redactFor(ctx context.Context, items []*T) error {
	if e.redact == nil || len(items) == 0 {
		return nil
	}
	return e.redact(ctx, arena.ActorFrom(ctx), items)
}

// getTx reads a record inside a write transaction, with the same visibility.
func (e *Entity[T]) getTx(ctx context.Context, tx *Tx, id int64) (*T, error) {
	pred, args := e.visibility(ctx)
	if a := arena.ActorFrom(ctx); a != nil && a.System {
		pred, args = "1=1", nil
	}
	q := e.selectSQL() + " WHERE t.id = ? AND (" + pred + ")"
	v, err := e.scanOne(tx.queryRow(ctx, q, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, arena.NotFound(e.Name)
	}
	return v, err
}

// List returns one page of the records the actor of ctx may see.
func (e *Entity[T]) List(ctx context.Context, lq ListQuery) (*Page[T], error) {
	where, args, err := e.where(ctx, lq.Filters)
	if err != nil {
		return nil, err
	}
	limit := lq.Limit
	if limit <= 0 {
		limit = 50
	} else if limit > MaxPageSize {
		return nil, arena.Invalid("limit", "err.limit", arena.F{"max": MaxPageSize})
	}
	page := &Page[T]{Items: []*T{}}
	if err := e.db.queryRow(ctx, "SELECT COUNT(*) FROM "+e.Table+" t WHERE "+where, args...).Scan(&page.Total); err != nil {
		return nil, err
	}
	if lq.After > 0 {
		where += " AND t.id > ?"
		args = append(args, lq.After)
	}
	// Lists are in id order so that keyset paging (after=) never skips or repeats.
	rows, err := e.db.query(ctx, e.selectSQL()+" WHERE "+where+" ORDER BY t.id LIMIT ?", append(args, limit+1)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	sc := newScanner[T](e.mapping())
	for rows.Next() {
		v, err := sc.scan(rows)
		if err != nil {
			return nil, err
		}
		page.Items = append(page.Items, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.Next = metaOf(page.Items[limit-1]).ID
	}
	if err := e.redactFor(ctx, page.Items); err != nil {
		return nil, err
	}
	return page, nil
}

func (e *Entity[T]) where(ctx context.Context, filters map[string]string) (string, []any, error) {
	pred, args := e.visibility(ctx)
	parts := []string{"(" + pred + ")"}
	// In name order, so the same filters make the same query text (one
	// prepared statement).
	for _, name := range slices.Sorted(maps.Keys(filters)) {
		value := filters[name]
		f, ok := e.filters[name]
		if !ok {
			return "", nil, arena.Invalid(name, "err.filter", arena.F{"filter": name, "choices": arena.Choices(e.FilterNames())})
		}
		if err := arena.CheckQuery(name, value); err != nil {
			return "", nil, err
		}
		p, a, err := f(e.db, value)
		if err != nil {
			return "", nil, err
		}
		parts = append(parts, "("+p+")")
		args = append(args, a...)
	}
	return strings.Join(parts, " AND "), args, nil
}

// Create validates v, checks the actor's right and stores it, filling its Meta.
func (e *Entity[T]) Create(ctx context.Context, v *T) error {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return err
	}
	return e.db.InTx(ctx, func(tx *Tx) error { return e.create(ctx, tx, a, v) })
}

// CreateTx is Create inside a transaction the caller holds.
func (e *Entity[T]) CreateTx(ctx context.Context, tx *Tx, v *T) error {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return err
	}
	return e.create(ctx, tx, a, v)
}

func (e *Entity[T]) create(ctx context.Context, tx *Tx, a *arena.Actor, v *T) error {
	m := metaOf(v)
	m.ID, m.Version = 0, 0
	if err := e.prepare(ctx, tx, a, nil, v); err != nil {
		return err
	}
	now := e.db.Now().UTC()
	m.Version, m.CreatedAt, m.UpdatedAt = 1, now, now
	if err := e.insert(ctx, tx, v); err != nil {
		return err
	}
	if err := e.recordEvent(ctx, tx, a, nil, v); err != nil {
		return err
	}
	return tx.logChange(ctx, e.Table, m.ID, "create")
}

func (e *Entity[T]) insert(ctx context.Context, tx *Tx, v *T) error {
	fs := e.mapping().columns(true)
	cols, vals, args := []string{}, []string{}, []any{}
	rv := reflect.ValueOf(v).Elem()
	for _, f := range fs {
		if f.col == "id" {
			continue
		}
		val, err := e.db.value(rv, f)
		if err != nil {
			return err
		}
		cols, vals, args = append(cols, f.col), append(vals, "?"), append(args, val)
	}
	q := "INSERT INTO " + e.Table + " (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(vals, ", ") + ") RETURNING id"
	return tx.queryRow(ctx, q, args...).Scan(&metaOf(v).ID)
}

// prepare runs every rule before a write: the record's own rules, its
// references, database checks and the actor's right.
func (e *Entity[T]) prepare(ctx context.Context, tx *Tx, a *arena.Actor, old, v *T) error {
	if e.precheck != nil {
		if err := e.precheck(v); err != nil {
			return err
		}
	}
	if err := validate(v); err != nil {
		return err
	}
	if err := e.checkRefs(ctx, tx, v); err != nil {
		return err
	}
	if e.check != nil {
		if err := e.check(ctx, tx, v); err != nil {
			return err
		}
	}
	if e.authorize != nil && !a.System {
		return e.authorize(ctx, tx, a, old, v)
	}
	return nil
}

func (e *Entity[T]) checkRefs(ctx context.Context, tx *Tx, v *T) error {
	rv := reflect.ValueOf(v).Elem()
	for col, table := range e.refs {
		f := e.mapping().byCol[col]
		val, err := e.db.value(rv, f)
		if err != nil || val == nil {
			continue
		}
		if id, ok := val.(int64); ok && id == 0 {
			continue // a required reference left empty is the record's own rule
		}
		var one int
		err = tx.queryRow(ctx, "SELECT 1 FROM "+table+" WHERE id = ?", val).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return arena.Invalid(col, "err.reference")
		} else if err != nil {
			return err
		}
	}
	return nil
}

// Update stores v over the record with v's id, provided the record is still
// at version; otherwise nothing is written and EPRECONDITION returned.
func (e *Entity[T]) Update(ctx context.Context, v *T, version int64) error {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return err
	}
	m := metaOf(v)
	return e.db.InTx(ctx, func(tx *Tx) error {
		old, err := e.getTx(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		om := metaOf(old)
		if om.Version != version {
			return e.stale()
		}
		m.CreatedAt = om.CreatedAt
		if err := e.prepare(ctx, tx, a, old, v); err != nil {
			return err
		}
		if e.transition != nil && !a.System {
			if err := e.transition(old, v); err != nil {
				return err
			}
		}
		m.Version, m.UpdatedAt = om.Version+1, e.db.Now().UTC()
		rv := reflect.ValueOf(v).Elem()
		sets, args := []string{}, []any{}
		for _, f := range e.mapping().columns(false) {
			val, err := e.db.value(rv, f)
			if err != nil {
				return err
			}
			sets, args = append(sets, f.col+" = ?"), append(args, val)
		}
		sets = append(sets, "version = ?", "updated_at = ?")
		args = append(args, m.Version, e.db.timeValue(m.UpdatedAt), m.ID, version)
		res, err := tx.exec(ctx, "UPDATE "+e.Table+" SET "+strings.Join(sets, ", ")+" WHERE id = ? AND version = ?", args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return e.stale()
		}
		if err := e.recordEvent(ctx, tx, a, old, v); err != nil {
			return err
		}
		return tx.logChange(ctx, e.Table, m.ID, "update")
	})
}

// stale is the answer to a write based on an old version.
func (e *Entity[T]) stale() error {
	return arena.Err(arena.EPRECONDITION, "err.stale", arena.F{"what": arena.Term{Key: "entity." + e.Name}})
}

// GetUnchecked reads a record whatever its visibility. Only services that
// compute totals (a network's purchasing power) use it; what they return
// must not show the record itself to readers who may not see it.
func (e *Entity[T]) GetUnchecked(ctx context.Context, id int64) (*T, error) {
	v, err := e.scanOne(e.db.queryRow(ctx, e.selectSQL()+" WHERE t.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, arena.NotFound(e.Name)
	}
	return v, err
}

// GetTx reads a record inside the caller's transaction, as the actor of
// ctx may see it.
func (e *Entity[T]) GetTx(ctx context.Context, tx *Tx, id int64) (*T, error) {
	return e.getTx(ctx, tx, id)
}

// Delete removes the record with id if it is still at version.
func (e *Entity[T]) Delete(ctx context.Context, id, version int64) error {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return err
	}
	return e.db.InTx(ctx, func(tx *Tx) error {
		old, err := e.getTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if metaOf(old).Version != version {
			return e.stale()
		}
		if e.authorize != nil && !a.System {
			if err := e.authorize(ctx, tx, a, old, nil); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, "DELETE FROM "+e.Table+" WHERE id = ? AND version = ?", id, version); err != nil {
			return err
		}
		return tx.logChange(ctx, e.Table, id, "delete")
	})
}

// recordEvent writes the event the change makes, if any, in its
// transaction.
func (e *Entity[T]) recordEvent(ctx context.Context, tx *Tx, a *arena.Actor, old, v *T) error {
	if e.event == nil {
		return nil
	}
	kind, ok := e.event(old, v)
	if !ok {
		return nil
	}
	_, err := tx.exec(ctx, "INSERT INTO events (kind, entity, entity_id, by_user_id, at) VALUES (?, ?, ?, ?, ?)",
		string(kind), e.Table, metaOf(v).ID, nullID(a.UserID()), tx.db.timeValue(tx.db.Now()))
	return err
}

// logChange records a write so derived indexes, on every instance, can
// follow the database.
func (t *Tx) logChange(ctx context.Context, table string, id int64, op string) error {
	_, err := t.exec(ctx, "INSERT INTO change_log (entity, entity_id, op, at) VALUES (?, ?, ?, ?)", table, id, op, t.db.timeValue(t.db.Now()))
	t.changed = t.changed || err == nil
	return err
}

// findTx reads the record with id inside a write transaction, whoever may
// see it; found is false when there is none. Rules that judge a reference
// (a need brought to a network) get the same answer for a missing record
// as for one they refuse.
func findTx[T any](ctx context.Context, tx *Tx, e *Entity[T], id int64) (v *T, found bool, err error) {
	v, err = e.scanOne(tx.queryRow(ctx, e.selectSQL()+" WHERE t.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return v, err == nil, err
}

// allTx reads every record matching where inside a write transaction,
// whoever may see them: the facts a rule decides on.
func allTx[T any](ctx context.Context, tx *Tx, e *Entity[T], where string, args ...any) ([]*T, error) {
	rows, err := tx.tx.QueryContext(ctx, tx.db.rebind(e.selectSQL()+" WHERE "+where+" ORDER BY t.id"), args...)
	if err != nil {
		return nil, err
	}
	return scanAll(e, rows)
}

// allRead reads every record matching where, whoever may see them and
// unredacted, for rules and totals outside a transaction.
func allRead[T any](ctx context.Context, e *Entity[T], where string, args ...any) ([]*T, error) {
	rows, err := e.db.query(ctx, e.selectSQL()+" WHERE "+where+" ORDER BY t.id", args...)
	if err != nil {
		return nil, err
	}
	return scanAll(e, rows)
}

func scanAll[T any](e *Entity[T], rows *sql.Rows) ([]*T, error) {
	defer rows.Close()
	var out []*T
	sc := newScanner[T](e.mapping())
	for rows.Next() {
		v, err := sc.scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Filters.

func eqString(col string, allowed ...string) filter {
	return func(_ *DB, v string) (string, []any, error) {
		if len(allowed) > 0 && !slices.Contains(allowed, v) {
			return "", nil, arena.Invalid(col, "err.choice", arena.F{"value": v, "choices": arena.Choices(allowed)})
		}
		return "t." + col + " = ?", []any{v}, nil
	}
}

func eqID(col string) filter {
	return func(_ *DB, v string) (string, []any, error) {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return "", nil, arena.Invalid(col, "err.id", arena.F{"value": v})
		}
		return "t." + col + " = ?", []any{id}, nil
	}
}

// maxFilterIDs is how many ids a list filter takes (the organisations of
// one person are a handful).
const maxFilterIDs = 50

// idList matches rows whose col is one of the comma-separated ids of the
// filter, or, with not, none of them; name is the filter's, for errors.
func idList(name, col string, not bool) filter {
	return func(_ *DB, v string) (string, []any, error) {
		parts := strings.Split(v, ",")
		if len(parts) > maxFilterIDs {
			return "", nil, arena.Invalid(name, "err.list_long", arena.F{"max": maxFilterIDs})
		}
		ids := make([]int64, len(parts))
		for i, part := range parts {
			id, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
			if err != nil || id <= 0 {
				return "", nil, arena.Invalid(name, "err.id", arena.F{"value": part})
			}
			ids[i] = id
		}
		in, args := inList(ids)
		op := " IN ("
		if not {
			op = " NOT IN ("
		}
		return "t." + col + op + in + ")", args, nil
	}
}

// jsonHas matches a JSON array column holding the string v.
func jsonHas(col string) filter {
	return func(_ *DB, v string) (string, []any, error) {
		b := strings.NewReplacer(`"`, "", `\`, "", "%", "", "_", "").Replace(v)
		return "t." + col + " LIKE ?", []any{`%"` + b + `"%`}, nil
	}
}

// textSearch matches any of the columns containing v, ignoring case (of
// every letter, Å, Ä and Ö too) and taking v's % and _ as themselves.
func textSearch(cols ...string) filter {
	return func(db *DB, v string) (string, []any, error) {
		v = strings.TrimSpace(v)
		if v == "" {
			return "1=1", nil, nil
		}
		// SQLite's LOWER folds ASCII letters only; arena_lower is Go's.
		lower := "LOWER"
		if db.Dialect == SQLite {
			lower = sqliteLower
		}
		pattern := "%" + likeEscaper.Replace(strings.ToLower(v)) + "%"
		parts, args := []string{}, []any{}
		for _, c := range cols {
			parts = append(parts, lower+"(t."+c+") LIKE ? ESCAPE '\\'")
			args = append(args, pattern)
		}
		return strings.Join(parts, " OR "), args, nil
	}
}

// likeEscaper escapes LIKE's wildcards and its escape character.
var likeEscaper = strings.NewReplacer("\\", "\\\\", "%", "\\%", "_", "\\_")

func enumStrings[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// inList returns "?, ?, ?" and the ids as arguments; an empty list gives
// a value no id has, so "IN ()" is never written.
func inList(ids []int64) (string, []any) {
	if len(ids) == 0 {
		return "0", nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", "), args
}

// All lists every record matching filters that the actor of ctx may see,
// in id order: List's records without its paging and count, in one query.
func All[T any](ctx context.Context, e *Entity[T], filters map[string]string) ([]*T, error) {
	return e.selectVisible(ctx, filters, " ORDER BY t.id")
}

// Newest returns the newest (highest id first) at most limit records
// matching filters that the actor of ctx may see, of those with an id
// below before when it is above 0: a page of a list in reverse, without
// a count.
func Newest[T any](ctx context.Context, e *Entity[T], filters map[string]string, before int64, limit int) ([]*T, error) {
	if before > 0 {
		return e.selectVisible(ctx, filters, " AND t.id < ? ORDER BY t.id DESC LIMIT ?", before, limit)
	}
	return e.selectVisible(ctx, filters, " ORDER BY t.id DESC LIMIT ?", limit)
}

// RecentlyChanged returns the at most limit records matching filters that
// the actor of ctx may see, the most recently changed first.
func RecentlyChanged[T any](ctx context.Context, e *Entity[T], filters map[string]string, limit int) ([]*T, error) {
	return e.selectVisible(ctx, filters, " ORDER BY t.updated_at DESC, t.id DESC LIMIT ?", limit)
}

// selectVisible reads the records matching filters that the actor of ctx
// may see, redacted, in the order (and up to the limit) tail gives.
func (e *Entity[T]) selectVisible(ctx context.Context, filters map[string]string, tail string, tailArgs ...any) ([]*T, error) {
	where, args, err := e.where(ctx, filters)
	if err != nil {
		return nil, err
	}
	rows, err := e.db.query(ctx, e.selectSQL()+" WHERE "+where+tail, append(args, tailArgs...)...)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(e, rows)
	if err != nil {
		return nil, err
	}
	if err := e.redactFor(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Count counts the records matching filters that the actor of ctx may
// see: a list's total.
func Count[T any](ctx context.Context, e *Entity[T], filters map[string]string) (int, error) {
	where, args, err := e.where(ctx, filters)
	if err != nil {
		return 0, err
	}
	var n int
	err = e.db.queryRow(ctx, "SELECT COUNT(*) FROM "+e.Table+" t WHERE "+where, args...).Scan(&n)
	return n, err
}

// GetMany returns the records with the ids that the actor of ctx may see,
// by id; an id that is missing or not visible is not in the map. It is Get
// for many ids in one query.
func (e *Entity[T]) GetMany(ctx context.Context, ids []int64) (map[int64]*T, error) {
	pred, pargs := e.visibility(ctx)
	var found []*T
	err := inChunks(ids, func(in string, args []any) error {
		rows, err := e.db.query(ctx, e.selectSQL()+" WHERE t.id IN ("+in+") AND ("+pred+")", append(args, pargs...)...)
		if err != nil {
			return err
		}
		xs, err := scanAll(e, rows)
		found = append(found, xs...)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := e.redactFor(ctx, found); err != nil {
		return nil, err
	}
	return byID(found), nil
}

// GetManyUnchecked is GetMany whatever the records' visibility, for the
// services that compute totals (see GetUnchecked).
func (e *Entity[T]) GetManyUnchecked(ctx context.Context, ids []int64) (map[int64]*T, error) {
	xs, err := allIn(ctx, e, "t.id", ids)
	if err != nil {
		return nil, err
	}
	return byID(xs), nil
}

func byID[T any](xs []*T) map[int64]*T {
	out := make(map[int64]*T, len(xs))
	for _, v := range xs {
		out[metaOf(v).ID] = v
	}
	return out
}

// allIn reads every record whose column col is one of ids, whoever may
// see them and unredacted, in id order.
func allIn[T any](ctx context.Context, e *Entity[T], col string, ids []int64) ([]*T, error) {
	var out []*T
	err := inChunks(ids, func(in string, args []any) error {
		xs, err := allRead(ctx, e, col+" IN ("+in+")", args...)
		out = append(out, xs...)
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b *T) int { return cmp.Compare(metaOf(a).ID, metaOf(b).ID) })
	return out, nil
}

// maxInList bounds the ids of one IN list.
const maxInList = 256

// inChunks calls fn with the distinct ids as IN lists ("?, ?, …" and the
// arguments) of at most maxInList, each padded to a power of two by
// repeating its last id: lists of similar length share one query text, and
// so one prepared statement.
func inChunks(ids []int64, fn func(in string, args []any) error) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), maxInList)]
		ids = ids[len(chunk):]
		n := 1
		for n < len(chunk) {
			n *= 2
		}
		padded := make([]int64, n)
		copy(padded, chunk)
		for i := len(chunk); i < n; i++ {
			padded[i] = chunk[len(chunk)-1]
		}
		if err := fn(inList(padded)); err != nil {
			return err
		}
	}
	return nil
}

// Authorize asks the write's rule (the actor's right) without writing:
// old is the stored record (nil for a new one), v the new state (nil for a
// delete). A page asks it before it offers a form; the write asks it again.
// It runs in a read transaction that is always rolled back.
func (e *Entity[T]) Authorize(ctx context.Context, old, v *T) error {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return err
	}
	if e.authorize == nil || a.System {
		return nil
	}
	tx, err := e.db.read.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	defer tx.Rollback()
	// A rule may stamp the new state (StampNeed): ask it of a copy, so
	// that asking changes nothing of the caller's.
	if v != nil {
		c := *v
		v = &c
	}
	return mapErr(e.authorize(ctx, &Tx{db: e.db, tx: tx}, a, old, v))
}
