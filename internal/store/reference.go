package store

import (
	"context"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/refdata"
)

// Reference returns the reference data catalog in use (empty when none is
// loaded).
func (db *DB) Reference() *refdata.Catalog { return db.ref.Load() }

// LoadReference replaces the stored reference data with s in one
// transaction and starts using it.
func (db *DB) LoadReference(ctx context.Context, s *refdata.Set) error {
	err := db.InTx(ctx, func(tx *Tx) error {
		if len(s.CPV) > 0 {
			if _, err := tx.exec(ctx, "DELETE FROM cpv_codes"); err != nil {
				return err
			}
			rows := make([][]any, len(s.CPV))
			for i, c := range s.CPV {
				rows[i] = []any{c.Code, c.Check, c.Level, c.Parent, c.LabelSV, c.LabelEN}
			}
			if err := tx.insertRows(ctx, "cpv_codes", []string{"code", "check_digit", "level", "parent_code", "label_sv", "label_en"}, rows); err != nil {
				return err
			}
		}
		if len(s.Counties) > 0 {
			if _, err := tx.exec(ctx, "DELETE FROM scb_municipalities"); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, "DELETE FROM scb_counties"); err != nil {
				return err
			}
			rows := make([][]any, len(s.Counties))
			for i, c := range s.Counties {
				rows[i] = []any{c.Code, c.Name, c.ShortName}
			}
			if err := tx.insertRows(ctx, "scb_counties", []string{"code", "name", "short_name"}, rows); err != nil {
				return err
			}
			rows = make([][]any, len(s.Municipalities))
			for i, m := range s.Municipalities {
				rows[i] = []any{m.Code, m.Name, m.ShortName, m.CountyCode}
			}
			if err := tx.insertRows(ctx, "scb_municipalities", []string{"code", "name", "short_name", "county_code"}, rows); err != nil {
				return err
			}
		}
		return tx.logChange(ctx, "reference", 0, "load")
	})
	if err != nil {
		return err
	}
	return db.ReloadReference(ctx)
}

// ReloadReference reads the stored reference data into memory.
func (db *DB) ReloadReference(ctx context.Context) error {
	s := &refdata.Set{}
	rows, err := db.query(ctx, "SELECT code, check_digit, level, parent_code, label_sv, label_en FROM cpv_codes ORDER BY code")
	if err != nil {
		return err
	}
	for rows.Next() {
		var c refdata.CPV
		if err := rows.Scan(&c.Code, &c.Check, &c.Level, &c.Parent, &c.LabelSV, &c.LabelEN); err != nil {
			rows.Close()
			return err
		}
		s.CPV = append(s.CPV, c)
	}
	rows.Close()
	rows, err = db.query(ctx, "SELECT code, name, short_name FROM scb_counties ORDER BY code")
	if err != nil {
		return err
	}
	for rows.Next() {
		var c refdata.County
		if err := rows.Scan(&c.Code, &c.Name, &c.ShortName); err != nil {
			rows.Close()
			return err
		}
		s.Counties = append(s.Counties, c)
	}
	rows.Close()
	rows, err = db.query(ctx, "SELECT code, name, short_name, county_code FROM scb_municipalities ORDER BY code")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var m refdata.Municipality
		if err := rows.Scan(&m.Code, &m.Name, &m.ShortName, &m.CountyCode); err != nil {
			return err
		}
		s.Municipalities = append(s.Municipalities, m)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	db.ref.Store(refdata.NewCatalog(s))
	return nil
}

// ReferenceStatus says what reference data is loaded and what is missing,
// for the status endpoint and the log.
func (db *DB) ReferenceStatus() (loaded map[string]int, missing []arena.Msg) {
	c := db.Reference()
	loaded = map[string]int{"cpv": c.CPVCount(), "counties": len(c.Counties()), "municipalities": len(c.Municipalities())}
	if !c.HasCPV() {
		missing = append(missing, arena.M("reference.missing.cpv"))
	}
	if !c.HasGeo() {
		missing = append(missing, arena.M("reference.missing.scb"))
	}
	return loaded, missing
}

// checkCPV refuses unknown CPV codes and wrong check digits when the CPV
// list is loaded. Codes of the wrong form are left to Validate.
func (db *DB) checkCPV(field string, codes []string) error {
	c := db.Reference()
	if !c.HasCPV() {
		return nil
	}
	for _, code := range codes {
		if _, _, err := arena.SplitCPV(code); err != nil {
			continue
		}
		if _, ok := c.LookupCPV(strings.TrimSpace(code)); !ok {
			return arena.Invalid(field, "err.cpv.unknown", arena.F{"code": code})
		}
	}
	return nil
}

// checkSCB refuses unknown kommun and län codes when SCB codes are loaded.
func (db *DB) checkSCB(o *arena.Organization) error {
	c := db.Reference()
	if o.SCBCode == "" || !c.HasGeo() {
		return nil
	}
	switch o.Kind {
	case arena.OrgKommun:
		if _, ok := c.Municipality(o.SCBCode); !ok {
			return arena.Invalid("scb_code", "err.scb_code.unknown_kommun", arena.F{"code": o.SCBCode})
		}
	case arena.OrgRegion:
		if _, ok := c.County(o.SCBCode); !ok {
			return arena.Invalid("scb_code", "err.scb_code.unknown_lan", arena.F{"code": o.SCBCode})
		}
	}
	return nil
}

// insertRows inserts rows in batches of multi-row INSERTs, which keeps a
// reference load to a few round trips on PostgreSQL.
func (tx *Tx) insertRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	const batch = 200
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	for start := 0; start < len(rows); start += batch {
		end := min(start+batch, len(rows))
		values := make([]string, 0, end-start)
		args := make([]any, 0, (end-start)*len(cols))
		for _, r := range rows[start:end] {
			values = append(values, one)
			args = append(args, r...)
		}
		q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " + strings.Join(values, ", ")
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}
