package export

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/i18n"
	"github.com/arena-se/arena/internal/seed"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// All walks the store's pages by their after cursors and refuses a list
// longer than MaxRows, naming format.
func TestAllWalksPagesAndIsBounded(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := seed.ApplyReport(ctx, db); err != nil {
			t.Fatal(err)
		}
		want, err := store.All(ctx, db.Projects, nil)
		if err != nil || len(want) < 10 {
			t.Fatalf("the report's projects: %d, %v", len(want), err)
		}
		defer func(p, m int) { pageSize, MaxRows = p, m }(pageSize, MaxRows)
		pageSize = 4
		got, err := All(ctx, db.Projects, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("read %d projects in pages of 4, want %d", len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID {
				t.Fatalf("row %d: project %d, want %d", i, got[i].ID, want[i].ID)
			}
		}
		// The filters apply.
		research, err := All(ctx, db.Projects, map[string]string{"category": "research"})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range research {
			if p.Category != "research" {
				t.Fatalf("filtered on research, got %q", p.Category)
			}
		}
		MaxRows = len(want) - 1
		_, err = All(ctx, db.Projects, nil)
		var ae *arena.Error
		if !errors.As(err, &ae) || ae.Code != arena.EINVALID || ae.Field != "format" || ae.Msg.Key != "err.export_rows" {
			t.Fatalf("a list longer than MaxRows: %v", err)
		}
		if ae.Msg.Args["count"] != len(want) || ae.Msg.Args["max"] != MaxRows {
			t.Fatalf("facts %v", ae.Msg.Args)
		}
		MaxRows = len(want)
		if _, err := All(ctx, db.Projects, nil); err != nil {
			t.Fatalf("exactly MaxRows: %v", err)
		}
	})
}

// Every register's table has a header from the catalogue, in both
// languages, and rows as wide as it.
func TestRegisterTables(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := seed.ApplyReport(ctx, db); err != nil {
			t.Fatal(err)
		}
		b := i18n.MustLoad()
		for _, lang := range i18n.Languages {
			c := b.For(lang)
			for name, reg := range Registers {
				tab, err := reg.Table(ctx, db, nil, c)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if tab.Sheet == "" || strings.Contains(tab.Sheet, i18n.MissingMark) {
					t.Errorf("%s %s: sheet %q", lang, name, tab.Sheet)
				}
				for _, h := range tab.Header {
					if h == "" || strings.Contains(h, i18n.MissingMark) {
						t.Errorf("%s %s: header %q", lang, name, h)
					}
				}
				for _, row := range tab.Rows {
					if len(row) != len(tab.Header) {
						t.Fatalf("%s %s: a row of %d cells under %d columns", lang, name, len(row), len(tab.Header))
					}
				}
			}
			tab, err := Registers["projects"].Table(ctx, db, nil, c)
			if err != nil || len(tab.Rows) < 10 {
				t.Fatalf("the report's projects: %v", err)
			}
			tab, _ = Registers["networks"].Table(ctx, db, map[string]string{"kind": "strategic"}, c)
			kind := map[string]string{"sv": "Strategiskt", "en": "Strategic"}[lang]
			for _, row := range tab.Rows {
				if row[2] != c.T("network_kind.strategic") {
					t.Fatalf("%s: a strategic network's kind is %q", lang, row[2])
				}
			}
			if len(tab.Rows) == 0 || tab.Rows[0][2] != kind {
				t.Errorf("%s: strategic networks: %d, the first's kind worded %q", lang, len(tab.Rows), tab.Rows[0][2])
			}
		}
	})
}

func TestFunnelAndNames(t *testing.T) {
	c := i18n.MustLoad().For("sv")
	f := arena.BuildFunnel(3, []arena.Network{{}}, nil, []arena.MemberProcurement{{Stage: arena.StageImplemented}, {}})
	tab := Funnel(f, c)
	if tab.Header[0] != "Steg" || tab.Rows[0][0] != "Behov" || tab.Rows[0][1] != "3" {
		t.Fatalf("funnel %v %v", tab.Header, tab.Rows)
	}
	var buf bytes.Buffer
	if err := Write(&buf, CSV, tab); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "\ufeffSteg;Antal\r\nBehov;3\r\n") {
		t.Fatalf("CSV %q", buf.String())
	}
	// The date is Stockholm's: late on 31 December UTC is already the new year.
	if got := FileName("behov", time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)); got != "behov-2027-01-01" {
		t.Fatalf("file name %q", got)
	}
	v := 12.5
	if decimal(c, &v) != "12,5" || decimal(i18n.MustLoad().For("en"), &v) != "12.5" {
		t.Fatalf("decimals %q", decimal(c, &v))
	}
}
