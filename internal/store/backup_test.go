package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/refdata"
	"github.com/arena-se/arena/internal/seed"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// fillEveryTable writes records into every table of Arena's schema: the
// report and demo seeds, a network with all its parts, alerts, sessions,
// tokens, sign-in records and a little reference data.
func fillEveryTable(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("fixture: %s: %v", what, err)
		}
	}
	_, err := seed.ApplyReport(ctx, db)
	must("report seed", err)
	_, err = seed.ApplyDemo(ctx, db, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	must("demo seed", err)

	orgs, err := db.Organizations.List(system, store.ListQuery{Filters: map[string]string{"q": "Falu"}, Limit: 1})
	must("find Falu", err)
	falun := orgs.Items[0]
	orgs, err = db.Organizations.List(system, store.ListQuery{Filters: map[string]string{"q": "Mölndal"}, Limit: 1})
	must("find Mölndal", err)
	molndal := orgs.Items[0]

	n := &arena.Network{Name: "Säkerhetskopierat nätverk", Kind: arena.NetworkTactical, OwnerOrgID: &falun.ID, Status: arena.NetworkActive}
	must("network", db.Networks.Create(system, n))
	for _, org := range []int64{falun.ID, molndal.ID} {
		must("member", db.NetworkMembers.Create(system, &arena.NetworkMember{NetworkID: n.ID, OrgID: org, Status: arena.MemberActive,
			ContactName: "Kontakt", ContactEmail: "kontakt@example.se"}))
	}
	must("plan", db.NetworkPlans.Create(system, &arena.NetworkPlan{NetworkID: n.ID, Goal: "Gemensam kravställning"}))
	must("activity", db.Activities.Create(system, &arena.Activity{NetworkID: n.ID, Kind: arena.ActivityRFI, Title: "RFI om larm"}))
	d := &arena.Deliverable{NetworkID: n.ID, Kind: arena.DeliverableGuidance, Title: "Vägledning"}
	must("deliverable", db.Deliverables.Create(system, d))
	_, err = db.DeliverableFiles.Add(system, d.ID, "vagledning.pdf", []byte("%PDF-1.4\n%%EOF\n"))
	must("deliverable file", err)
	planned := arena.NewDate(2026, 9, 1)
	must("procurement", db.MemberProcurements.Create(system, &arena.MemberProcurement{NetworkID: n.ID, OrgID: falun.ID,
		DeliverableID: &d.ID, Title: "Upphandling av larm", PlannedDate: &planned}))
	amount := int64(250_000)
	must("funding", db.FundingPeriods.Create(system, &arena.FundingPeriod{NetworkID: n.ID, AmountSEK: &amount, Note: "Förstudie"}))
	must("alerts", db.ReplaceAlerts(system, []arena.Alert{{Kind: arena.AlertInactive, NetworkID: n.ID, Days: 120}}))
	must("org domain", db.OrgDomains.Create(system, &arena.OrgDomain{OrgID: falun.ID, Domain: "falun.se"}))
	seats, meeting := int64(30), arena.NewDate(2026, 9, 15)
	dlg := &arena.Dialogue{NetworkID: &n.ID, Kind: arena.DialogueMarket, Status: arena.DialoguePublished, Title: "Marknadsdialog om larm",
		Description: "Larm som fungerar utan fast telefoni", Questions: []string{"Vad finns?"}, Deadline: new(arena.NewDate(2026, 9, 1)),
		Meeting: arena.MeetingReversePitch, MeetingDate: &meeting, MeetingPlace: "Falun", Seats: &seats}
	must("dialogue", db.Dialogues.Create(system, dlg))
	supplier := &arena.Organization{Name: "Larmbolaget AB", Kind: arena.OrgCompany}
	must("supplier", db.Organizations.Create(system, supplier))
	must("dialogue answer", db.DialogueAnswers.Create(system, &arena.DialogueAnswer{DialogueID: dlg.ID, OrgID: supplier.ID, Answers: []string{"Mobila larm"}}))
	must("dialogue question", db.DialogueQuestions.Create(system, &arena.DialogueQuestion{DialogueID: dlg.ID, OrgID: supplier.ID, Question: "Hur många?", Answer: "Cirka 900."}))
	must("dialogue registration", db.DialogueRegistrations.Create(system, &arena.DialogueRegistration{DialogueID: dlg.ID, OrgID: supplier.ID, Attendees: 2}))
	must("import job", db.CreateImportJob(system, &store.ImportJob{OrgID: falun.ID, Kind: store.ImportPlan, Name: "plan.csv", Mapping: "title"}, []byte("Rubrik\r\nTrygghetslarm\r\n")))
	_, err = db.DialogueFiles.Add(system, dlg.ID, "underlag.pdf", []byte("%PDF-1.4\n%%EOF\n"))
	must("dialogue file", err)
	// Reach: an event told to a person, with an e-mail in the outbox, the
	// person's settings and the key that signs unsubscribe links.
	events, err := db.PendingEvents(ctx, 1)
	must("pending events", err)
	someone, err := store.Unchecked(ctx, db.Users, map[string]string{"email": seed.DemoUsers[0].Email})
	must("find a demo user", err)
	must("settings", db.SetNotificationSettings(ctx, someone[0].ID, map[arena.NotificationKind]arena.DeliveryMode{arena.NotifyInvitation: arena.DeliverImmediate}, "en"))
	_, err = db.CommitEvent(ctx, events[0].ID, []store.NewNotification{{UserID: someone[0].ID, Notification: arena.Notification{Kind: arena.NotifyInvitation, NetworkID: n.ID}}}, time.UTC)
	must("notification", err)
	_, err = db.Secret(ctx, "unsubscribe")
	must("secret", err)
	must("watch", db.Watches.Create(system, &arena.Watch{UserID: someone[0].ID, Name: "Bevakning av vatten", Target: arena.WatchNeeds,
		Filters: map[string]string{"cpv": "65000000", "lan": "20"}}))
	must("calendar feed", db.SetCalendarFeed(ctx, someone[0].ID, "feedhash"))
	nobodys := &arena.Organization{Name: "Vatten utan konton AB", Kind: arena.OrgMunicipalCo}
	must("organisation without users", db.Organizations.Create(system, nobodys))
	invited := &arena.NetworkMember{NetworkID: n.ID, OrgID: nobodys.ID, Status: arena.MemberInvited}
	must("invitation", db.NetworkMembers.Create(system, invited))
	must("invitation by e-mail", db.CreateEmailInvite(system, &arena.EmailInvite{MemberID: invited.ID, Email: "registrator@vatten.example"}))

	users, err := store.Unchecked(ctx, db.Users, map[string]string{"email": seed.DemoUsers[0].Email})
	must("find a demo user", err)
	must("session", db.CreateSession(ctx, "sessionhash", "csrf", users[0].ID, time.Hour))
	must("token", db.CreateAPIToken(ctx, "tokenhash", users[0].ID, "backup test"))
	must("login failure", db.RecordLoginFailure(ctx, []string{"account:nobody@example.se"}, time.Hour, func(int) time.Duration { return time.Second }))

	// After the seeds: with CPV codes loaded, codes outside them are refused.
	must("reference", db.LoadReference(ctx, &refdata.Set{
		CPV:            []refdata.CPV{{Code: "35121700", Check: "5", Level: 4, Parent: "35121000", LabelSV: "Larmsystem", LabelEN: "Alarm systems"}},
		Counties:       []refdata.County{{Code: "20", Name: "Dalarnas län", ShortName: "Dalarna"}},
		Municipalities: []refdata.Municipality{{Code: "2080", Name: "Falu kommun", ShortName: "Falun", CountyCode: "20"}},
	}))
}

// dump reads every table of the SQLite file at path, its schema first,
// each table's rows sorted by all columns. where may narrow a table.
func dump(t *testing.T, path string, where map[string]string) map[string][]string {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	out := map[string][]string{}
	out["(schema)"] = queryRows(t, conn, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
	// sqlite_sequence and sqlite_stat* are SQLite's bookkeeping, not records.
	for _, table := range names(t, conn, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name") {
		cols := len(names(t, conn, "SELECT name FROM pragma_table_info(?)", table))
		order := make([]string, cols)
		for i := range order {
			order[i] = fmt.Sprint(i + 1)
		}
		q := "SELECT * FROM " + table
		if w := where[table]; w != "" {
			q += " WHERE " + w
		}
		out[table] = queryRows(t, conn, q+" ORDER BY "+strings.Join(order, ", "))
	}
	return out
}

func queryRows(t *testing.T, conn *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := conn.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		// The type too: a text "1" and an integer 1 are different values.
		out = append(out, fmt.Sprintf("%#v", vals))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// sameDump fails the test for every table where got differs from want.
func sameDump(t *testing.T, what string, got, want map[string][]string) {
	t.Helper()
	for _, table := range slices.Sorted(maps.Keys(want)) {
		if !slices.Equal(got[table], want[table]) {
			t.Errorf("%s: table %s differs: %d rows, want %d\n got %.300q\nwant %.300q", what, table, len(got[table]), len(want[table]), got[table], want[table])
		}
	}
	for table := range got {
		if _, ok := want[table]; !ok {
			t.Errorf("%s: table %s is extra", what, table)
		}
	}
}

// TestBackupWhileWritingRoundTrip backs up a database with records in
// every table while another goroutine keeps writing, and restores it.
//
// A backup taken under writes cannot equal the source at the end, and
// need not equal it at any moment the test can pause at; what it must be
// is the source as of one moment. The writer commits one need at a time,
// through the one writer connection, and records their ids in commit
// order, so the moments are "after the writer's first k needs". The test
// finds k from the backup, requires the backup's writer needs to be
// exactly the first k (no gaps, no later one without an earlier one),
// requires k to lie between what was committed before Backup started and
// what was committed when it returned, and then compares every table of
// the backup with the source less the needs after the k-th (and their
// change-log rows). The restore must then equal the backup exactly, and a
// second backup taken with the writer stopped must equal the source.
func TestBackupWhileWritingRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "arena.db")
	db, err := store.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fillEveryTable(t, db)
	for table, rows := range dump(t, src, nil) {
		if len(rows) == 0 {
			t.Errorf("table %s has no rows: fillEveryTable must write some, or the round trip proves nothing about it", table)
		}
	}
	orgs, err := db.Organizations.List(system, store.ListQuery{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	org := orgs.Items[0].ID

	var mu sync.Mutex
	var written []int64 // the writer's need ids, in commit order
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(written)
	}
	waitFor := func(n int) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); count() < n; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("the writer made %d needs in 30 s, want %d", count(), n)
			}
		}
	}
	stop := make(chan struct{})
	writerDone := make(chan error, 1)
	go func() {
		for i := 1; ; i++ {
			select {
			case <-stop:
				writerDone <- nil
				return
			default:
			}
			n := &arena.Need{OrgID: org, Title: fmt.Sprintf("Skrivning %06d under säkerhetskopieringen", i), Visibility: arena.VisibilityPublic}
			if err := db.Needs.Create(system, n); err != nil {
				writerDone <- err
				return
			}
			mu.Lock()
			written = append(written, n.ID)
			mu.Unlock()
		}
	}()

	waitFor(20)
	backup := filepath.Join(dir, "online.db")
	before := count()
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	after := count()
	waitFor(after + 20)
	close(stop)
	if err := <-writerDone; err != nil {
		t.Fatalf("writer: %v", err)
	}
	t.Logf("the writer committed %d needs while Backup ran", after-before)

	// The backup holds exactly the writer's first k needs.
	ids := map[int64]bool{}
	for _, r := range queryRowsOf(t, backup, "SELECT id FROM needs WHERE title LIKE 'Skrivning %'") {
		var id int64
		fmt.Sscan(r, &id)
		ids[id] = true
	}
	k := len(ids)
	mu.Lock()
	prefix, later := written[:min(k, len(written))], written[min(k, len(written)):]
	mu.Unlock()
	for _, id := range prefix {
		if !ids[id] {
			t.Fatalf("the backup has %d writer needs but not need %d, written before some of them: not a snapshot", k, id)
		}
	}
	if k < before || k > after {
		t.Fatalf("the backup holds the first %d writer needs; %d were committed when Backup started, %d when it returned", k, before, after)
	}
	var laterIDs []string
	for _, id := range later {
		laterIDs = append(laterIDs, fmt.Sprint(id))
	}
	in := strings.Join(laterIDs, ", ")
	asOfK := dump(t, src, map[string]string{
		"needs":      "id NOT IN (" + in + ")",
		"change_log": "NOT (entity = 'needs' AND entity_id IN (" + in + "))",
		"events":     "NOT (entity = 'needs' AND entity_id IN (" + in + "))",
	})
	online := dump(t, backup, nil)
	sameDump(t, "backup taken while writing, against the source as of its moment", online, asOfK)

	restored := filepath.Join(dir, "restored", "arena.db")
	res, err := store.Restore(ctx, backup, restored, store.RestoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Kept != "" || res.Version == 0 {
		t.Fatalf("restore into a new file: %+v", res)
	}
	sameDump(t, "restored", dump(t, restored, nil), online)

	// Writes stopped: a backup equals the source, and so does its restore.
	paused := filepath.Join(dir, "paused.db")
	if err := db.Backup(ctx, paused); err != nil {
		t.Fatal(err)
	}
	whole := dump(t, src, nil)
	sameDump(t, "backup taken with writes paused", dump(t, paused, nil), whole)
	again := filepath.Join(dir, "again.db")
	if _, err := store.Restore(ctx, paused, again, store.RestoreOptions{}); err != nil {
		t.Fatal(err)
	}
	sameDump(t, "restore of the paused backup", dump(t, again, nil), whole)

	// The restored database serves: it opens, and its records read back.
	rdb, err := store.Open(ctx, again)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	page, err := rdb.Needs.List(system, store.ListQuery{Filters: map[string]string{"q": "Skrivning"}})
	if err != nil || page.Total != len(written) {
		t.Fatalf("restored needs: %d, %v; want %d", page.Total, err, len(written))
	}
}

func queryRowsOf(t *testing.T, path, q string) []string {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	return names(t, conn, q)
}

// names returns the one text column of q's rows.
func names(t *testing.T, conn *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := conn.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// TestBackupRefusals: a backup never overwrites, and a PostgreSQL
// database is answered with how to use pg_dump, without the password.
func TestBackupRefusals(t *testing.T) {
	ctx := context.Background()
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		target := filepath.Join(t.TempDir(), "backup.db")
		if db.Dialect == store.Postgres {
			err := db.Backup(ctx, target)
			if err == nil || !strings.Contains(err.Error(), "pg_dump --format=custom") {
				t.Fatalf("backup of PostgreSQL: %v", err)
			}
			if _, err := os.Stat(target); err == nil {
				t.Fatal("a PostgreSQL backup wrote a file")
			}
			return
		}
		if err := os.WriteFile(target, []byte("keep me"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := db.Backup(ctx, target); err == nil || !strings.Contains(err.Error(), "exists") {
			t.Fatalf("backup over an existing file: %v", err)
		}
		if b, _ := os.ReadFile(target); string(b) != "keep me" {
			t.Fatalf("the existing file was changed: %q", b)
		}
		if err := db.Backup(ctx, filepath.Join(t.TempDir(), "no-such-folder", "b.db")); err == nil {
			t.Fatal("a backup into a missing folder succeeded")
		}
		entries, _ := os.ReadDir(filepath.Dir(target))
		if len(entries) != 1 {
			t.Fatalf("a refused backup left files: %v", entries)
		}
	})
	err := store.BackupFile(ctx, "postgres://arena:s3cret@db.example:5432/arena?sslmode=require&search_path=prod", "x.dump")
	if err == nil || strings.Contains(err.Error(), "s3cret") ||
		!strings.Contains(err.Error(), "pg_dump --format=custom --schema=prod --file=arena.dump 'postgres://arena@db.example:5432/arena?sslmode=require'") {
		t.Fatalf("pg_dump advice: %v", err)
	}
	if err := store.BackupFile(ctx, filepath.Join(t.TempDir(), "missing.db"), filepath.Join(t.TempDir(), "b.db")); err == nil {
		t.Fatal("a backup of a missing database succeeded (and so created it?)")
	}
}

// TestRestoreSafety: what Restore refuses, and how it replaces a database
// that nothing has open.
func TestRestoreSafety(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	db, err := store.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Organizations.Create(system, &arena.Organization{Name: "I säkerhetskopian", Kind: arena.OrgKommun}); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	if v, err := store.VerifyBackup(ctx, backup); err != nil || v == 0 {
		t.Fatalf("verify: %d %v", v, err)
	}

	refused := func(what, from, to string, opts store.RestoreOptions, want string) {
		t.Helper()
		before, _ := os.ReadFile(to)
		_, err := store.Restore(ctx, from, to, opts)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error saying %q", what, err, want)
		}
		if after, _ := os.ReadFile(to); string(after) != string(before) {
			t.Errorf("%s: the target was changed", what)
		}
	}
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("not a database at all, just some text"), 0o600)
	refused("not SQLite", junk, filepath.Join(dir, "new1.db"), store.RestoreOptions{}, "not an SQLite database")
	other := filepath.Join(dir, "other.db")
	odb, _ := sql.Open("sqlite", other)
	odb.Exec("CREATE TABLE t (x)")
	odb.Close()
	refused("not Arena's", other, filepath.Join(dir, "new2.db"), store.RestoreOptions{}, "not Arena's")
	refused("a live database", src, filepath.Join(dir, "new3.db"), store.RestoreOptions{}, "write-ahead log")
	refused("missing backup", filepath.Join(dir, "nope.db"), filepath.Join(dir, "new4.db"), store.RestoreOptions{}, "no such file")
	stale := filepath.Join(dir, "stale.db")
	os.WriteFile(stale+"-wal", []byte("old log"), 0o600)
	refused("a log left at the target", backup, stale, store.RestoreOptions{}, "left from an earlier database")
	refused("PostgreSQL", backup, "postgres://arena:s3cret@db.example/arena", store.RestoreOptions{}, "pg_restore")

	// An existing database: refused without Replace, and with Replace while open.
	target := filepath.Join(dir, "target.db")
	tdb, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	if err := tdb.Organizations.Create(system, &arena.Organization{Name: "Ersätts", Kind: arena.OrgKommun}); err != nil {
		t.Fatal(err)
	}
	refused("an existing database", backup, target, store.RestoreOptions{}, "exists")
	refused("a database in use", backup, target, store.RestoreOptions{Replace: true}, "in use")
	tdb.Close()
	old := dump(t, target, nil)

	now := func() time.Time { return time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC) }
	res, err := store.Restore(ctx, backup, target, store.RestoreOptions{Replace: true, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if res.Kept != target+".before-restore-20260302T093000Z" {
		t.Fatalf("kept at %q", res.Kept)
	}
	sameDump(t, "replaced database", dump(t, target, nil), dump(t, backup, nil))
	sameDump(t, "the kept copy of the replaced database", dump(t, res.Kept, nil), old)
	if _, err := store.Restore(ctx, backup, target, store.RestoreOptions{Replace: true, Now: now}); err == nil || !strings.Contains(err.Error(), "before-restore") {
		t.Fatalf("a second restore in the same second overwrote the kept copy: %v", err)
	}
	rdb, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	page, err := rdb.Organizations.List(system, store.ListQuery{})
	if err != nil || page.Total != 1 || page.Items[0].Name != "I säkerhetskopian" {
		t.Fatalf("after restore: %+v %v", page, err)
	}
}

// TestSyncFullOption: SQLite's write connection syncs every commit with
// SyncFull, and NORMAL stays the default.
func TestSyncFullOption(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		opts []store.Option
		want int
	}{{nil, 1}, {[]store.Option{store.SyncFull(false)}, 1}, {[]store.Option{store.SyncFull(true)}, 2}} {
		db, err := store.Open(ctx, filepath.Join(t.TempDir(), "a.db"), c.opts...)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.SQLiteSynchronous(ctx)
		db.Close()
		if err != nil || got != c.want {
			t.Errorf("%d options: PRAGMA synchronous = %d, %v; want %d", len(c.opts), got, err, c.want)
		}
	}
}
