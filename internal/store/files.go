package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"

	arena "github.com/arena-se/arena"
)

// The files of a network's deliverables (arena.DeliverableFile): put on a
// deliverable and removed by those who may change it (the deliverables'
// own rule, CanWorkInNetwork), read by whoever may see it.

const fileCols = "id, deliverable_id, name, content_type, size, sha256, created_at"

func scanFile(row interface{ Scan(...any) error }) (*arena.DeliverableFile, error) {
	var f arena.DeliverableFile
	var created any
	if err := row.Scan(&f.ID, &f.DeliverableID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &created); err != nil {
		return nil, err
	}
	var err error
	f.CreatedAt, err = scanTime(created)
	return &f, err
}

// fileRight checks, in tx, that the actor may change the deliverable and
// so its files.
func (db *DB) fileRight(ctx context.Context, tx *Tx, a *arena.Actor, deliverableID int64) error {
	d, found, err := findTx(ctx, tx, db.Deliverables, deliverableID)
	if err != nil {
		return err
	}
	if !found {
		return arena.NotFound("deliverable")
	}
	if a.System {
		return nil
	}
	return db.Deliverables.authorize(ctx, tx, a, d, d)
}

// AddFile puts a file on a deliverable (arena.CheckUpload).
func (db *DB) AddFile(ctx context.Context, deliverableID int64, name string, data []byte) (*arena.DeliverableFile, error) {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := db.Deliverables.Get(ctx, deliverableID); err != nil {
		return nil, err
	}
	var f *arena.DeliverableFile
	err = db.InTx(ctx, func(tx *Tx) error {
		if err := db.fileRight(ctx, tx, a, deliverableID); err != nil {
			return err
		}
		var earlier int
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM deliverable_files WHERE deliverable_id = ?", deliverableID).Scan(&earlier); err != nil {
			return err
		}
		typ, err := arena.CheckUpload(name, data, earlier)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		f = &arena.DeliverableFile{DeliverableID: deliverableID, Name: name, ContentType: typ, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), CreatedAt: db.Now().UTC()}
		if err := tx.queryRow(ctx, "INSERT INTO deliverable_files (deliverable_id, name, content_type, size, sha256, data, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			deliverableID, f.Name, f.ContentType, f.Size, f.SHA256, data, db.timeValue(f.CreatedAt), nullID(a.UserID())).Scan(&f.ID); err != nil {
			return err
		}
		return tx.logChange(ctx, "deliverable_files", f.ID, "insert")
	})
	return f, err
}

// Files lists a deliverable's files, oldest first, when the actor may see
// the deliverable.
func (db *DB) Files(ctx context.Context, deliverableID int64) ([]*arena.DeliverableFile, error) {
	if _, err := db.Deliverables.Get(ctx, deliverableID); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, "SELECT "+fileCols+" FROM deliverable_files WHERE deliverable_id = ? ORDER BY id", deliverableID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*arena.DeliverableFile{}
	for rows.Next() {
		f, err := scanFile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// FileContent reads a file of a deliverable with its content, when the
// actor may see the deliverable.
func (db *DB) FileContent(ctx context.Context, deliverableID, fileID int64) (*arena.DeliverableFile, []byte, error) {
	if _, err := db.Deliverables.Get(ctx, deliverableID); err != nil {
		return nil, nil, err
	}
	var data []byte
	row := db.queryRow(ctx, "SELECT "+fileCols+", data FROM deliverable_files WHERE id = ? AND deliverable_id = ?", fileID, deliverableID)
	var f arena.DeliverableFile
	var created any
	err := row.Scan(&f.ID, &f.DeliverableID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &created, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, arena.NotFound("file")
	} else if err != nil {
		return nil, nil, err
	}
	if f.CreatedAt, err = scanTime(created); err != nil {
		return nil, nil, err
	}
	return &f, data, nil
}

// DeleteFile removes a file of a deliverable.
func (db *DB) DeleteFile(ctx context.Context, deliverableID, fileID int64) error {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return err
	}
	if _, err := db.Deliverables.Get(ctx, deliverableID); err != nil {
		return err
	}
	return db.InTx(ctx, func(tx *Tx) error {
		if err := db.fileRight(ctx, tx, a, deliverableID); err != nil {
			return err
		}
		res, err := tx.exec(ctx, "DELETE FROM deliverable_files WHERE id = ? AND deliverable_id = ?", fileID, deliverableID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return arena.NotFound("file")
		}
		return tx.logChange(ctx, "deliverable_files", fileID, "delete")
	})
}
