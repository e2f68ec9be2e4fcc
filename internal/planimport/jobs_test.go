package planimport_test

import (
	"context"
	"strings"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/planimport"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// unlimited runs the work at once, as the app's limiter does when free.
func unlimited(_ context.Context, fn func() error) error { return fn() }

// runJob starts a run of a job and waits for its end.
func runJob(t *testing.T, ctx context.Context, db *store.DB, j *store.ImportJob, m planimport.Mapping, opt planimport.Options) *store.ImportJob {
	t.Helper()
	ended := make(chan struct{})
	if err := planimport.Start(ctx, db, j, m, opt, unlimited, func() { close(ended) }); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ended:
	case <-time.After(time.Minute):
		t.Fatal("the run did not end")
	}
	got, err := db.ImportJob(ctx, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestImportJobInSteps: an admin uploads a plan whose title column has a
// header Arena does not know; the preview leaves it out, a run without a
// title column is refused, the mapping step names it, a check writes
// nothing, the import writes every row as a draft, and a member may
// neither see nor run the job. A file that is not a plan is not kept; an
// organisation keeps its latest jobs only.
func TestImportJobInSteps(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		org, admin, member := newOrg(t, db)
		csv := strings.Replace(plan(250), "Rubrik", "Upphandlingsföremål", 1)

		if _, err := planimport.Upload(member, db, org.ID, store.ImportPlan, "plan.csv", []byte(csv)); arena.ErrorCode(err) != arena.EFORBIDDEN {
			t.Fatalf("a member uploads: %v", err)
		}
		if _, err := planimport.Upload(admin, db, org.ID, store.ImportPlan, "plan.csv", []byte("Rubrik\n\xff\xfe trasig")); arena.ErrorCode(err) != arena.EINVALID {
			t.Fatalf("a broken file: %v", err)
		}
		if _, err := planimport.Upload(admin, db, org.ID, store.ImportNotice, "pin.xml", []byte(csv)); arena.ErrorField(err) != "file" {
			t.Fatalf("a plan as a notice: %v", err)
		}
		if jobs, _ := db.ImportJobs(admin, org.ID); len(jobs) != 0 {
			t.Fatalf("refused files were kept: %d", len(jobs))
		}
		j, err := planimport.Upload(admin, db, org.ID, store.ImportPlan, `C:\Users\anna\plan 2027.csv`, []byte(csv))
		if err != nil {
			t.Fatal(err)
		}
		if j.Name != "plan 2027.csv" || j.State != store.JobUploaded {
			t.Fatalf("job: %+v", j)
		}
		if _, err := db.ImportJob(member, j.ID); arena.ErrorCode(err) != arena.EFORBIDDEN {
			t.Fatalf("a member reads the job: %v", err)
		}
		pv, err := planimport.PreviewOf(admin, db, j)
		if err != nil {
			t.Fatal(err)
		}
		if pv.Rows != 250 || len(pv.Sample) != 5 || len(pv.Unknown) != 1 || pv.Header[pv.Unknown[0]] != "Upphandlingsföremål" {
			t.Fatalf("preview: rows %d sample %d unknown %v", pv.Rows, len(pv.Sample), pv.Unknown)
		}
		if err := planimport.Start(admin, db, j, pv.Mapping, planimport.Options{}, unlimited, nil); arena.ErrorField(err) != "mapping" {
			t.Fatalf("no title column: %v", err)
		}
		form := map[string]string{}
		for i, f := range pv.Mapping {
			form[planimport.ColumnField(i)] = string(f)
		}
		form[planimport.ColumnField(pv.Unknown[0])] = "rubrik"
		if _, err := planimport.MappingOf(pv.Header, func(i int) string { return form[planimport.ColumnField(i)] }); arena.ErrorField(err) != planimport.ColumnField(pv.Unknown[0]) {
			t.Fatalf("an unknown field: %v", err)
		}
		form[planimport.ColumnField(pv.Unknown[0])] = string(planimport.Title)
		m, err := planimport.MappingOf(pv.Header, func(i int) string { return form[planimport.ColumnField(i)] })
		if err != nil {
			t.Fatal(err)
		}
		before := countNeeds(t, db)
		if err := planimport.Start(member, db, j, m, planimport.Options{DryRun: true}, unlimited, nil); arena.ErrorCode(err) != arena.EFORBIDDEN {
			t.Fatalf("a member runs the job: %v", err)
		}
		got := runJob(t, admin, db, j, m, planimport.Options{DryRun: true})
		rep, failed := planimport.ReportOf(got)
		if failed != nil || rep == nil || !rep.DryRun || rep.Created != 250 || rep.Written || got.State != store.JobDone || countNeeds(t, db) != before {
			t.Fatalf("check: %+v %v %+v", rep, failed, got)
		}
		if pv, _ := planimport.PreviewOf(admin, db, got); len(pv.Unknown) != 0 || pv.Mapping.String() != m.String() {
			// The run's mapping is kept for the next.
			t.Fatalf("kept mapping: %v", pv.Mapping)
		}
		got = runJob(t, admin, db, j, m, planimport.Options{})
		if rep, _ = planimport.ReportOf(got); rep == nil || rep.Created != 250 || !rep.Written || countNeeds(t, db) != before+250 {
			t.Fatalf("import: %+v", rep)
		}
		if n, err := db.ImportedDrafts(admin, org.ID); err != nil || n != 250 {
			t.Fatalf("drafts: %d %v", n, err)
		}
		got = runJob(t, admin, db, j, m, planimport.Options{})
		if rep, _ = planimport.ReportOf(got); rep == nil || rep.Existing != 250 || rep.Created != 0 || countNeeds(t, db) != before+250 {
			t.Fatalf("again: %+v", rep)
		}

		// One run at a time, whichever instance starts it.
		if err := db.StartImportJob(admin, &store.ImportJob{ID: j.ID}); err != nil {
			t.Fatal(err)
		}
		if err := planimport.Start(admin, db, j, m, planimport.Options{}, unlimited, nil); arena.ErrorCode(err) != arena.ECONFLICT {
			t.Fatalf("a second run: %v", err)
		}
		if err := db.FinishImportJob(admin, j.ID, "", ""); err != nil {
			t.Fatal(err)
		}

		// At most the latest 20 jobs are kept.
		for range 21 {
			if _, err := planimport.Upload(admin, db, org.ID, store.ImportPlan, "plan.csv", []byte(plan(2))); err != nil {
				t.Fatal(err)
			}
		}
		jobs, err := db.ImportJobs(admin, org.ID)
		if err != nil || len(jobs) != 20 || jobs[0].ID < jobs[19].ID {
			t.Fatalf("kept jobs: %d %v", len(jobs), err)
		}
		if _, err := db.ImportJob(admin, j.ID); arena.ErrorCode(err) != arena.ENOTFOUND {
			t.Fatalf("the oldest job: %v", err)
		}
	})
}
