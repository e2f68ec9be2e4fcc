package matching_test

import (
	"context"
	"database/sql"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// TestSyncWaitsForLowerIDs: on PostgreSQL a change can commit after one
// with a higher id. A sync that read the higher one still applies the
// lower when it commits (the next read starts below the missing id).
func TestSyncWaitsForLowerIDs(t *testing.T) {
	dsn := testdb.DSN(t, store.Postgres)
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	w := newWorld(t, db)
	w.need(t, "falun", "falun", "Trygghetslarm med digital larmkedja", "Digitala trygghetslarm i hemtjänsten.", arena.VisibilityPublic)
	late := w.need(t, "molndal", "molndal", "Kontorsmöbler till stadshuset", "Skrivbord och stolar.", arena.VisibilityPublic)

	// A transaction takes the next change id and holds it open while
	// another write, with a higher id, commits and is synced.
	tx, err := raw.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec("UPDATE needs SET title = $1, description = $2, version = version + 1 WHERE id = $3",
		"Digitala trygghetslarm för hemtjänsten", "Larm i hemtjänsten som fungerar utan fast telefoni.", late.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("INSERT INTO change_log (entity, entity_id, op, at) VALUES ('needs', $1, 'update', now())", late.ID); err != nil {
		t.Fatal(err)
	}
	w.need(t, "boras", "boras", "Snöröjning av gator", "Snöröjning och halkbekämpning.", arena.VisibilityPublic)
	similar := func() []string {
		res, err := w.svc.Matches(w.actors["falun"], w.needs["falun"].ID, matching.KindNeeds, 10, w.clockAt)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, it := range res.Items {
			if it.ID == late.ID {
				ids = append(ids, it.Title)
			}
		}
		return ids
	}
	if got := similar(); len(got) != 0 {
		t.Fatalf("before its change commits, Mölndal's need is like Falun's: %v", got)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	w.sync(t)
	if got := similar(); len(got) != 1 {
		t.Fatalf("the change that committed late was not applied: Falun's matches hold %v of Mölndal's need", got)
	}
}
