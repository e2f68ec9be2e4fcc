package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/i18n"
	"github.com/arena-se/arena/internal/matching"
)

func testCatalogs(t *testing.T) map[string]map[string]string {
	t.Helper()
	b := i18n.MustLoad()
	return map[string]map[string]string{"sv": b.Keys("sv"), "en": b.Keys("en")}
}

// keyLike is a string literal that looks like a message key.
var keyLike = regexp.MustCompile(`"([a-z][a-z_]*(?:\.[a-z_]+)+)"`)

// TestEveryKeyUsedExists finds the message keys the templates and the Go
// code name and checks that each has a text. A name may also be the
// prefix of keys (error.not_found.title, match.kind.needs).
func TestEveryKeyUsedExists(t *testing.T) {
	cats := testCatalogs(t)
	exists := func(k string) bool {
		if _, ok := cats["sv"][k]; ok {
			return true
		}
		for key := range cats["sv"] {
			if strings.HasPrefix(key, k+".") {
				return true
			}
		}
		return false
	}
	var files []string
	fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	goFiles, _ := filepath.Glob("*.go")
	read := func(p string) string {
		if strings.HasSuffix(p, ".go") {
			b, _ := os.ReadFile(p)
			return string(b)
		}
		b, _ := fs.ReadFile(templateFS, p)
		return string(b)
	}
	n := 0
	for _, p := range append(files, goFiles...) {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		for _, m := range keyLike.FindAllStringSubmatch(read(p), -1) {
			n++
			if !exists(m[1]) {
				t.Errorf("%s names the message %q, which no catalogue has", p, m[1])
			}
		}
	}
	if n < 200 {
		t.Errorf("found only %d message keys; is the scan broken?", n)
	}
}

// TestEveryEnumHasText checks that every value of every enumeration the
// pages show has a text.
func TestEveryEnumHasText(t *testing.T) {
	cats := testCatalogs(t)
	enums := map[string][]string{
		"intent":           arena.Codes(arena.Intents),
		"visibility":       arena.Codes(arena.Visibilities),
		"network_kind":     arena.Codes(arena.NetworkKinds),
		"network_status":   arena.Codes(arena.NetworkStatuses),
		"member_role":      arena.Codes(arena.MemberRoles),
		"member_tier":      arena.Codes(arena.MemberTiers),
		"member_status":    arena.Codes(arena.MemberStatuses),
		"activity_kind":    arena.Codes(arena.ActivityKinds),
		"activity_status":  arena.Codes(arena.ActivityStatuses),
		"deliverable_kind": arena.Codes(arena.DeliverableKinds),
		"stage":            arena.Codes(arena.ProcurementStages),
		"follow_kind":      arena.Codes(arena.FollowThroughKinds),
		"category":         arena.Codes(arena.ProjectCategories),
		"procedure":        arena.Codes(arena.Procedures),
		"phase":            arena.Codes(arena.ProjectPhases),
		"expert_kind":      arena.Codes(arena.ExpertKinds),
		"org_kind":         arena.Codes(arena.OrgKinds),
		"match.kind":       matching.Kinds,
		"match.type":       {"need", "call", "project", "deliverable", "expert", "network"},
		"criterion":        {arena.CriterionTimeHorizon, arena.CriterionScope, arena.CriterionMembers, arena.CriterionBenefit},
		"gap":              {arena.GapNoCoreGroup, arena.GapNoOwner, arena.GapNoFundingAhead, arena.GapNoPlan, arena.GapMemberWithoutMandate},
		"alert":            {arena.AlertFundingEndsSoon, arena.AlertFundingEnded, arena.AlertInactive, arena.AlertMembersWithoutMandate, arena.AlertCallDeadline},
	}
	for _, lang := range i18n.Languages {
		for prefix, values := range enums {
			for _, v := range values {
				if _, ok := cats[lang][prefix+"."+v]; !ok {
					t.Errorf("%s.json has no text for %s.%s", lang, prefix, v)
				}
			}
		}
		for _, key := range notices {
			if _, ok := cats[lang][key]; !ok {
				t.Errorf("%s.json has no text for the notice %s", lang, key)
			}
		}
	}
}

func TestFormats(t *testing.T) {
	b := i18n.MustLoad()
	sv := &page{Lang: "sv", cat: b.For("sv")}
	en := &page{Lang: "en", cat: b.For("en")}
	v := int64(1234567)
	d := arena.NewDate(2026, 11, 27)
	for _, c := range []struct{ got, want string }{
		{sv.SEK(&v), "1\u00a0234\u00a0567\u00a0kr"},
		{en.SEK(v), "SEK\u00a01,234,567"},
		{sv.Num(12.5), "12,5"},
		{sv.Num(1200.0), "1\u00a0200"},
		{en.Num(12.5), "12.5"},
		{sv.Num(-4000), "−4\u00a0000"},
		{sv.Date(d), "27 november 2026"},
		{en.Date(&d), "27 November 2026"},
		{sv.ISO(d), "2026-11-27"},
		{sv.SEK((*int64)(nil)), ""},
		{sv.Date((*arena.Date)(nil)), ""},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	for in, want := range map[string]int64{"1 234 567": 1234567, "1\u00a0500\u00a0000 kr": 1500000, "4000000": 4000000, "12 000,00": 12000, "SEK 300": 300} {
		if got, err := parseAmount(in); err != nil || got != want {
			t.Errorf("parseAmount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"abc", "12,5", "1.5e3x"} {
		if _, err := parseAmount(in); err == nil {
			t.Errorf("parseAmount(%q) accepted", in)
		}
	}
	for in, want := range map[string]float64{"12,5": 12.5, "1 200": 1200, "3.25": 3.25} {
		if got, err := parseDecimal(in); err != nil || got != want {
			t.Errorf("parseDecimal(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{"/behov/1": "/behov/1", "//evil.example": "/", "https://evil.example/": "/", "": "/", "/\\evil": "/", "behov": "/", "/a?b=c": "/a?b=c",
		// Found by FuzzLocalPath: http.Redirect cleans the first to
		// "/\evil.example", and withNotice wrote the second back as
		// "//evil.example/%20x?klart=…"; both are another site.
		"/./\\evil.example": "/", "/%2Fevil.example/ x": "/", "/%5Cevil.example": "/", "/a\tb": "/"} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"/behov/1": "/behov/1?klart=k", "/a?b=c&klart=x#f": "/a?b=c&klart=k#f", "/a%20b": "/a%20b?klart=k"} {
		if got := withNotice(in, "k"); got != want {
			t.Errorf("withNotice(%q) = %q, want %q", in, got, want)
		}
	}
}
