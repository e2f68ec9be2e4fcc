package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	arena "github.com/arena-se/arena"
)

// An ImportJob is a file uploaded to be imported as draft needs of an
// organisation (internal/planimport): a procurement plan or a prior
// information notice, the mapping of its columns, and its latest run's
// progress and report. It lives in the database, so a run started on one
// instance is followed on any other. Every read and write asks
// arena.CanImportNeeds of the job's organisation.
type ImportJob struct {
	ID     int64  `json:"id"`
	OrgID  int64  `json:"org_id"`
	UserID int64  `json:"user_id,omitempty"`
	Kind   string `json:"kind"` // ImportPlan or ImportNotice
	Name   string `json:"name"` // the file's name
	Size   int    `json:"size"`
	// Mapping is the field of each column, by position, joined by commas
	// (planimport.Mapping); empty until the mapping step or a run sets it.
	Mapping string `json:"mapping"`
	State   string `json:"state"` // JobUploaded, JobRunning, JobDone or JobFailed
	DryRun  bool   `json:"dry_run"`
	Partial bool   `json:"partial"`
	Done    int    `json:"done"`  // rows checked or written so far
	Total   int    `json:"total"` // rows of the run
	// Report is the run's report (planimport.Report as JSON), Error the
	// message of a run that failed (arena.Msg as JSON).
	Report    string    `json:"report,omitempty"`
	Error     string    `json:"error,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Kinds and states of an import job.
const (
	ImportPlan   = "plan"
	ImportNotice = "notice"

	JobUploaded = "uploaded"
	JobRunning  = "running"
	JobDone     = "done"
	JobFailed   = "failed"
)

// keptImportJobs is how many jobs an organisation keeps: an upload beyond
// them removes the oldest, so uploads cannot fill the database.
const keptImportJobs = 20

// JobStale is how long a running job may go without progress before it
// counts as stopped (its instance went away; its transaction was rolled
// back) and may be run again.
const JobStale = 2 * time.Minute

func (db *DB) canImport(ctx context.Context, orgID int64) error {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return err
	}
	return arena.CanImportNeeds(a, orgID)
}

// CreateImportJob stores an uploaded file as a new job of j.OrgID, and
// forgets the organisation's jobs beyond the latest keptImportJobs.
func (db *DB) CreateImportJob(ctx context.Context, j *ImportJob, data []byte) error {
	if err := db.canImport(ctx, j.OrgID); err != nil {
		return err
	}
	a, _ := arena.RequireActor(ctx)
	now := db.Now().UTC()
	j.UserID, j.Size, j.State, j.CreatedAt, j.UpdatedAt = a.UserID(), len(data), JobUploaded, now, now
	return db.InTx(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, "INSERT INTO import_jobs (org_id, user_id, kind, name, data, mapping, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			j.OrgID, nullID(j.UserID), j.Kind, j.Name, data, j.Mapping, j.State, db.timeValue(now), db.timeValue(now)).Scan(&j.ID); err != nil {
			return err
		}
		_, err := tx.exec(ctx, "DELETE FROM import_jobs WHERE org_id = ? AND id NOT IN (SELECT id FROM import_jobs WHERE org_id = ? ORDER BY id DESC LIMIT ?)",
			j.OrgID, j.OrgID, keptImportJobs)
		return err
	})
}

const importJobCols = "id, org_id, COALESCE(user_id, 0), kind, name, length(data), mapping, state, dry_run, partial, done, total, report, error, created_at, updated_at"

func scanImportJob(row interface{ Scan(...any) error }) (*ImportJob, error) {
	var j ImportJob
	var dry, partial int
	var created, updated any
	if err := row.Scan(&j.ID, &j.OrgID, &j.UserID, &j.Kind, &j.Name, &j.Size, &j.Mapping, &j.State, &dry, &partial, &j.Done, &j.Total, &j.Report, &j.Error, &created, &updated); err != nil {
		return nil, err
	}
	j.DryRun, j.Partial = dry != 0, partial != 0
	var err error
	if j.CreatedAt, err = scanTime(created); err == nil {
		j.UpdatedAt, err = scanTime(updated)
	}
	return &j, err
}

// importJob reads a job without asking who reads it.
func (db *DB) importJob(ctx context.Context, id int64) (*ImportJob, error) {
	j, err := scanImportJob(db.queryRow(ctx, "SELECT "+importJobCols+" FROM import_jobs WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, arena.NotFound("import")
	}
	return j, err
}

// ImportJob reads a job, for those who may import for its organisation.
func (db *DB) ImportJob(ctx context.Context, id int64) (*ImportJob, error) {
	j, err := db.importJob(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := db.canImport(ctx, j.OrgID); err != nil {
		return nil, err
	}
	return j, nil
}

// ImportJobData is a job's file.
func (db *DB) ImportJobData(ctx context.Context, id int64) ([]byte, error) {
	if _, err := db.ImportJob(ctx, id); err != nil {
		return nil, err
	}
	var data []byte
	err := db.queryRow(ctx, "SELECT data FROM import_jobs WHERE id = ?", id).Scan(&data)
	return data, err
}

// ImportJobs lists an organisation's jobs, newest first.
func (db *DB) ImportJobs(ctx context.Context, orgID int64) ([]*ImportJob, error) {
	if err := db.canImport(ctx, orgID); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, "SELECT "+importJobCols+" FROM import_jobs WHERE org_id = ? ORDER BY id DESC", orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ImportJob
	for rows.Next() {
		j, err := scanImportJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// Running tells whether a job is running: started, and not stale.
func (j *ImportJob) Running(now time.Time) bool {
	return j.State == JobRunning && now.Sub(j.UpdatedAt) < JobStale
}

// StartImportJob marks a job running with its mapping and options, unless
// it runs already (one run at a time, on any instance): then a conflict.
func (db *DB) StartImportJob(ctx context.Context, j *ImportJob) error {
	cur, err := db.ImportJob(ctx, j.ID)
	if err != nil {
		return err
	}
	now := db.Now().UTC()
	var res sql.Result
	err = db.InTx(ctx, func(tx *Tx) error {
		res, err = tx.exec(ctx, "UPDATE import_jobs SET state = ?, mapping = ?, dry_run = ?, partial = ?, done = 0, total = 0, report = '', error = '', updated_at = ? WHERE id = ? AND (state <> ? OR updated_at < ?)",
			JobRunning, j.Mapping, boolInt(j.DryRun), boolInt(j.Partial), db.timeValue(now), j.ID, JobRunning, db.timeValue(now.Add(-JobStale)))
		return err
	})
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return arena.Conflict("state", "err.import.running")
	}
	j.OrgID, j.Kind, j.Name, j.Size, j.State, j.Done, j.Total, j.Report, j.Error, j.UpdatedAt = cur.OrgID, cur.Kind, cur.Name, cur.Size, JobRunning, 0, 0, "", "", now
	return nil
}

// ImportJobProgress records how far a running job has come.
func (db *DB) ImportJobProgress(ctx context.Context, id int64, done, total int) error {
	return db.setImportJob(ctx, id, "done = ?, total = ?", done, total)
}

// FinishImportJob records a run's end: its report (JSON), or the message
// (JSON) of the error that stopped it.
func (db *DB) FinishImportJob(ctx context.Context, id int64, report, errMsg string) error {
	state := JobDone
	if errMsg != "" {
		state = JobFailed
	}
	return db.setImportJob(ctx, id, "state = ?, report = ?, error = ?", state, report, errMsg)
}

func (db *DB) setImportJob(ctx context.Context, id int64, set string, args ...any) error {
	if _, err := db.ImportJob(ctx, id); err != nil {
		return err
	}
	args = append(args, db.timeValue(db.Now().UTC()), id)
	return db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "UPDATE import_jobs SET "+set+", updated_at = ? WHERE id = ?", args...)
		return err
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// SplitMapping is a job's mapping by column.
func (j *ImportJob) SplitMapping() []string {
	if j.Mapping == "" {
		return nil
	}
	return strings.Split(j.Mapping, ",")
}
