package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"

	arena "github.com/arena-se/arena"
)

// Files are the stored files of one kind of record (arena.File): a
// deliverable's or a dialogue's. A file is put on its record and removed
// by those who may change the record (the record's own rule), and read by
// whoever may see the record.
type Files struct {
	db    *DB
	kind  string // the owner's entity name, for its not-found answer
	table string // deliverable_files
	col   string // deliverable_id
	// see reads the owner as the actor of ctx may; right asks, in tx,
	// whether the actor may change it.
	see   func(ctx context.Context, id int64) error
	right func(ctx context.Context, tx *Tx, a *arena.Actor, id int64) error
}

// filesOf makes the files of an entity's records, changed by whoever may
// change the record (the entity's authorize, asked with the record
// unchanged).
func filesOf[T any](db *DB, e *Entity[T], table, col string) *Files {
	return &Files{db: db, kind: e.Name, table: table, col: col,
		see: func(ctx context.Context, id int64) error {
			_, err := e.Get(ctx, id)
			return err
		},
		right: func(ctx context.Context, tx *Tx, a *arena.Actor, id int64) error {
			v, found, err := findTx(ctx, tx, e, id)
			if err != nil {
				return err
			}
			if !found {
				return arena.NotFound(e.Name)
			}
			if a.System {
				return nil
			}
			return e.authorize(ctx, tx, a, v, v)
		},
	}
}

func (fs *Files) cols() string {
	return "id, " + fs.col + ", name, content_type, size, sha256, created_at"
}

func scanFile(row interface{ Scan(...any) error }, more ...any) (*arena.File, error) {
	var f arena.File
	var created any
	if err := row.Scan(append([]any{&f.ID, &f.OwnerID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &created}, more...)...); err != nil {
		return nil, err
	}
	var err error
	f.CreatedAt, err = scanTime(created)
	return &f, err
}

// Add puts a file on a record (arena.CheckUpload).
func (fs *Files) Add(ctx context.Context, ownerID int64, name string, data []byte) (*arena.File, error) {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := fs.see(ctx, ownerID); err != nil {
		return nil, err
	}
	db := fs.db
	var f *arena.File
	err = db.InTx(ctx, func(tx *Tx) error {
		if err := fs.right(ctx, tx, a, ownerID); err != nil {
			return err
		}
		var earlier int
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM "+fs.table+" WHERE "+fs.col+" = ?", ownerID).Scan(&earlier); err != nil {
			return err
		}
		typ, err := arena.CheckUpload(name, data, earlier)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		f = &arena.File{OwnerID: ownerID, Name: name, ContentType: typ, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), CreatedAt: db.Now().UTC()}
		if err := tx.queryRow(ctx, "INSERT INTO "+fs.table+" ("+fs.col+", name, content_type, size, sha256, data, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			ownerID, f.Name, f.ContentType, f.Size, f.SHA256, data, db.timeValue(f.CreatedAt), nullID(a.UserID())).Scan(&f.ID); err != nil {
			return err
		}
		return tx.logChange(ctx, fs.table, f.ID, "insert")
	})
	return f, err
}

// List lists a record's files, oldest first, when the actor may see the
// record.
func (fs *Files) List(ctx context.Context, ownerID int64) ([]*arena.File, error) {
	if err := fs.see(ctx, ownerID); err != nil {
		return nil, err
	}
	rows, err := fs.db.query(ctx, "SELECT "+fs.cols()+" FROM "+fs.table+" WHERE "+fs.col+" = ? ORDER BY id", ownerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*arena.File{}
	for rows.Next() {
		f, err := scanFile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Content reads a file of a record with its content, when the actor may
// see the record.
func (fs *Files) Content(ctx context.Context, ownerID, fileID int64) (*arena.File, []byte, error) {
	if err := fs.see(ctx, ownerID); err != nil {
		return nil, nil, err
	}
	var data []byte
	f, err := scanFile(fs.db.queryRow(ctx, "SELECT "+fs.cols()+", data FROM "+fs.table+" WHERE id = ? AND "+fs.col+" = ?", fileID, ownerID), &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, arena.NotFound("file")
	} else if err != nil {
		return nil, nil, err
	}
	return f, data, nil
}

// Delete removes a file of a record.
func (fs *Files) Delete(ctx context.Context, ownerID, fileID int64) error {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return err
	}
	if err := fs.see(ctx, ownerID); err != nil {
		return err
	}
	return fs.db.InTx(ctx, func(tx *Tx) error {
		if err := fs.right(ctx, tx, a, ownerID); err != nil {
			return err
		}
		res, err := tx.exec(ctx, "DELETE FROM "+fs.table+" WHERE id = ? AND "+fs.col+" = ?", fileID, ownerID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return arena.NotFound("file")
		}
		return tx.logChange(ctx, fs.table, fileID, "delete")
	})
}
