package planimport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path"
	"strings"
	"sync"
	"time"
	"unicode"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/eforms"
	"github.com/arena-se/arena/internal/store"
)

// Jobs: an upload form's import, in steps a person follows on a page. The
// file is checked and stored as a job (Upload); the page shows its
// columns, guessed fields and first rows, and the person changes the
// mapping (Preview); a run checks or imports it in the background
// (Start), its progress on the page, and leaves its report on the job.

// Upload checks a file and stores it as a job of orgID: a plan must read
// as a table, a notice must be a prior information notice. A file that
// is neither is refused, naming what is wrong, and nothing is stored.
func Upload(ctx context.Context, db *store.DB, orgID int64, kind, name string, data []byte) (*store.ImportJob, error) {
	a, err := arena.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	// The right first: a file is read for those who may import.
	if err := arena.CanImportNeeds(a, orgID); err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, arena.Invalid("file", "err.required")
	}
	j := &store.ImportJob{OrgID: orgID, Kind: kind, Name: fileName(name)}
	switch kind {
	case store.ImportPlan:
		t, err := Read(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		j.Mapping = Guess(t.Header).String()
	case store.ImportNotice:
		if _, err := ReadNotice(bytes.NewReader(data)); err != nil {
			return nil, err
		}
	default:
		return nil, arena.Invalid("kind", "err.choice", arena.F{"value": kind, "choices": arena.Choices{store.ImportPlan, store.ImportNotice}})
	}
	if err := db.CreateImportJob(ctx, j, data); err != nil {
		return nil, err
	}
	return j, nil
}

// fileName is the name a job keeps of its file: the last part of the
// name the browser sent, without control characters, at most
// arena.NameMax characters ("fil" when nothing is left).
func fileName(name string) string {
	name = strings.ToValidUTF8(path.Base(strings.ReplaceAll(name, `\`, "/")), "")
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	if r := []rune(name); len(r) > arena.NameMax {
		name = string(r[:arena.NameMax])
	}
	if name == "" || name == "." || name == "/" {
		return "fil"
	}
	return name
}

// String is the mapping as a job keeps it: the fields by column, joined
// by commas.
func (m Mapping) String() string {
	s := make([]string, len(m))
	for i, f := range m {
		s[i] = string(f)
	}
	return strings.Join(s, ",")
}

// MappingOf reads the fields of a form's columns: one per column of
// header, each a field or empty; the error names the column's form field
// ("col-N").
func MappingOf(header []string, fields func(i int) string) (Mapping, error) {
	m := make(Mapping, len(header))
	for i := range header {
		f := strings.TrimSpace(fields(i))
		if f != "" && !ParseField(f) {
			return nil, arena.Invalid(ColumnField(i), "err.import.field", arena.F{"value": f})
		}
		m[i] = Field(f)
	}
	return m, nil
}

// ColumnField is the form field of column i in the mapping step.
func ColumnField(i int) string { return "col-" + itoa(i) }

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		if i /= 10; i == 0 {
			return string(b[n:])
		}
	}
}

// A Preview is what the job page shows of the file before a run: a
// plan's header, the mapping (the job's, or guessed), the columns it
// leaves out and the first rows; a notice's buyer and lots.
type Preview struct {
	Header  []string
	Mapping Mapping
	Unknown []int
	Sample  [][]string
	Rows    int
	Notice  *eforms.Notice
}

// previewRows is how many rows the preview shows.
const previewRows = 5

// PreviewOf reads a job's file for its page.
func PreviewOf(ctx context.Context, db *store.DB, j *store.ImportJob) (*Preview, error) {
	data, err := db.ImportJobData(ctx, j.ID)
	if err != nil {
		return nil, err
	}
	p := &Preview{}
	if j.Kind == store.ImportNotice {
		p.Notice, err = ReadNotice(bytes.NewReader(data))
		if err == nil {
			p.Rows = len(p.Notice.Lots)
		}
		return p, err
	}
	t, err := Read(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	p.Header, p.Rows = t.Header, len(t.Rows)
	p.Mapping = Guess(t.Header)
	if saved := j.SplitMapping(); len(saved) == len(t.Header) {
		for i, f := range saved {
			p.Mapping[i] = Field(f)
		}
	}
	p.Unknown = p.Mapping.Unknown(t.Header)
	for _, r := range t.Rows[:min(previewRows, len(t.Rows))] {
		p.Sample = append(p.Sample, r)
	}
	return p, nil
}

// progress is the progress of the runs on this instance, by job: a page
// on this instance shows it as it is; other instances read what the run
// writes to the job every second (on SQLite, with one writer, that waits
// for the run's transaction, so only this instance's page moves).
var progress sync.Map // job id → *runProgress

type runProgress struct {
	mu          sync.Mutex
	done, total int
}

func (p *runProgress) set(done, total int) {
	p.mu.Lock()
	p.done, p.total = done, total
	p.mu.Unlock()
}

func (p *runProgress) get() (int, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.done, p.total
}

// Progress is how far the run of a job on this instance has come; ok is
// false when no run of it is going on here.
func Progress(jobID int64) (done, total int, ok bool) {
	v, ok := progress.Load(jobID)
	if !ok {
		return 0, 0, false
	}
	done, total = v.(*runProgress).get()
	return done, total, true
}

// runs are the runs going on in this process.
var runs sync.WaitGroup

// Wait waits for the runs going on in this process to end: before a
// server's database is closed, and in tests.
func Wait() { runs.Wait() }

// runTimeout bounds a run: a plan's 50 000 rows take seconds.
const runTimeout = 10 * time.Minute

// Start runs a job with mapping m (a plan's; nil for a notice) and opt's
// dry run and partial, in the background as the actor of ctx, after
// marking it running (a job already running is a conflict). limit bounds
// the expensive work running at once (app.Limiter.Do); done, when set, is
// called when the run has ended.
func Start(ctx context.Context, db *store.DB, j *store.ImportJob, m Mapping, opt Options, limit func(context.Context, func() error) error, done func()) error {
	if j.Kind == store.ImportPlan {
		if err := m.Check(); err != nil {
			return err
		}
	}
	j.Mapping, j.DryRun, j.Partial = m.String(), opt.DryRun, opt.Partial
	if err := db.StartImportJob(ctx, j); err != nil {
		return err
	}
	p := &runProgress{}
	progress.Store(j.ID, p)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), runTimeout)
	runs.Add(1)
	go func() {
		defer runs.Done()
		defer cancel()
		defer progress.Delete(j.ID)
		if done != nil {
			defer done()
		}
		stop := make(chan struct{})
		go keepProgress(ctx, db, j.ID, p, stop)
		opt.Progress = p.set
		var rep *Report
		err := limit(ctx, func() error {
			var err error
			rep, err = run(ctx, db, j, m, opt)
			return err
		})
		close(stop)
		finish(ctx, db, j.ID, rep, err)
	}()
	return nil
}

// keepProgress writes a run's progress to its job every second, for the
// pages of other instances; a write that must wait long is let go.
func keepProgress(ctx context.Context, db *store.DB, id int64, p *runProgress, stop <-chan struct{}) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			done, total := p.get()
			wctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
			db.ImportJobProgress(wctx, id, done, total)
			cancel()
		}
	}
}

func run(ctx context.Context, db *store.DB, j *store.ImportJob, m Mapping, opt Options) (*Report, error) {
	data, err := db.ImportJobData(ctx, j.ID)
	if err != nil {
		return nil, err
	}
	if j.Kind == store.ImportNotice {
		n, err := ReadNotice(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		rep, _, err := ImportNotice(ctx, db, j.OrgID, n, opt)
		return rep, err
	}
	t, err := Read(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if len(m) != len(t.Header) {
		return nil, arena.Invalid("mapping", "err.import.mapping_columns")
	}
	return Import(ctx, db, j.OrgID, t, m, opt)
}

// finish leaves a run's report, or its error's message, on the job.
func finish(ctx context.Context, db *store.DB, id int64, rep *Report, err error) {
	var report, msg string
	if err != nil {
		var ae *arena.Error
		m := arena.M("err.internal")
		if errors.As(err, &ae) && ae.Code != arena.EINTERNAL {
			m = ae.Msg
		}
		b, _ := json.Marshal(m)
		msg = string(b)
	} else {
		b, _ := json.Marshal(rep)
		report = string(b)
	}
	// The run's own deadline may have passed: the end is written anyway.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	db.FinishImportJob(wctx, id, report, msg)
}

// ReportOf is a finished job's report, or the message of its error.
func ReportOf(j *store.ImportJob) (*Report, *arena.Msg) {
	if j.Error != "" {
		var m arena.Msg
		if json.Unmarshal([]byte(j.Error), &m) == nil {
			return nil, &m
		}
		return nil, &arena.Msg{Key: "err.internal"}
	}
	if j.Report == "" {
		return nil, nil
	}
	var rep Report
	if err := json.Unmarshal([]byte(j.Report), &rep); err != nil {
		return nil, &arena.Msg{Key: "err.internal"}
	}
	return &rep, nil
}
