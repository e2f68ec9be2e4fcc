package ocds

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestValidatorAcceptsStandardExamples is the validator's positive control:
// the standard's own worked example passes, so a failure elsewhere is ours.
func TestValidatorAcceptsStandardExamples(t *testing.T) {
	v := testValidator(t)
	dir := filepath.Join(testDataDir(t), "ocds", "examples")
	for _, c := range []struct {
		file   string
		record bool
	}{
		{"fictional-1.1/ocds-213czf-000-00001.release-package.json", false},
		{"fictional-1.1/ocds-213czf-000-00001-01-planning.json", false},
		{"fictional-1.1/record_ocds-213czf-000-00001.json", true},
		{"record_tender.json", true},
	} {
		b, err := os.ReadFile(filepath.Join(dir, c.file))
		if errors.Is(err, fs.ErrNotExist) {
			t.Logf("%s: not there", c.file)
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		check := v.ReleasePackage
		if c.record {
			check = v.RecordPackage
		}
		if err := check(b); err != nil {
			t.Errorf("%s: %v", c.file, err)
		}
	}
}

// TestValidatorRejects: the validator can fail. Each document is a valid
// package of ours with one thing broken, and the error names where.
func TestValidatorRejects(t *testing.T) {
	v := testValidator(t)
	pkg, err := Releases(testConfig, testInput())
	if err != nil {
		t.Fatal(err)
	}
	rec, _, err := Record(testConfig, testInput(), "ocds-abc123-need-11")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		record bool
		breakf func(doc map[string]any)
		path   string
	}{
		{"release without ocid", false, func(d map[string]any) { delete(release(d, 0), "ocid") }, "/releases/0"},
		{"budget amount as a string", false, func(d map[string]any) {
			release(d, 0)["planning"].(map[string]any)["budget"].(map[string]any)["amount"].(map[string]any)["amount"] = "12500000"
		}, "/releases/0/planning/budget/amount/amount"},
		{"currency not in the codelist", false, func(d map[string]any) {
			release(d, 0)["tender"].(map[string]any)["value"].(map[string]any)["currency"] = "KR"
		}, "/releases/0/tender/value/currency"},
		{"date without time", false, func(d map[string]any) { release(d, 1)["date"] = "2026-02-02" }, "/releases/1/date"},
		{"unknown tag", false, func(d map[string]any) { release(d, 2)["tag"] = []any{"behov"} }, "/releases/2/tag/0"},
		{"relative package uri", false, func(d map[string]any) { d["uri"] = "/api/v1/ocds/releases" }, "/uri"},
		{"no releases", false, func(d map[string]any) { d["releases"] = []any{} }, "/releases"},
		{"no publisher", false, func(d map[string]any) { delete(d, "publisher") }, ""},
		{"record without records", true, func(d map[string]any) { d["records"] = []any{} }, "/records"},
		{"compiled release with a bad tender status", true, func(d map[string]any) {
			d["records"].([]any)[0].(map[string]any)["compiledRelease"].(map[string]any)["tender"].(map[string]any)["status"] = "open"
		}, "/records/0/compiledRelease/tender/status"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var src any = pkg
			check := v.ReleasePackage
			if c.record {
				src, check = rec, v.RecordPackage
			}
			var doc map[string]any
			if err := json.Unmarshal(mustJSON(t, src), &doc); err != nil {
				t.Fatal(err)
			}
			if err := check(mustJSON(t, doc)); err != nil {
				t.Fatalf("unbroken document refused: %v", err)
			}
			c.breakf(doc)
			err := check(mustJSON(t, doc))
			var se *SchemaError
			if !errors.As(err, &se) {
				t.Fatalf("want a *SchemaError, got %v", err)
			}
			found := false
			for _, p := range se.Problems {
				found = found || p.Path == c.path
			}
			if !found || !strings.Contains(err.Error(), "breaks the OCDS 1.1.5 schema") {
				t.Errorf("no problem at %q:\n%v", c.path, err)
			}
		})
	}
	if err := v.ReleasePackage([]byte(`{"uri":`)); err == nil || errors.As(err, new(*SchemaError)) {
		t.Errorf("broken JSON: %v", err)
	}
}

func release(doc map[string]any, i int) map[string]any {
	return doc["releases"].([]any)[i].(map[string]any)
}

func TestNewValidatorWithoutSchemas(t *testing.T) {
	_, err := NewValidator(t.TempDir())
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("want an error wrapping fs.ErrNotExist, got %v", err)
	}
}

// TestEFormsProfile: the release package also passes the schema of the
// OCDS for eForms profile (the 1.1.5 schema patched with its extensions),
// which is what a European publisher would check against. Skipped when the
// profile is not in the data folder.
func TestEFormsProfile(t *testing.T) {
	dir := filepath.Join(testDataDir(t), "ocds", "eforms-profile")
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for _, name := range []string{"release-package-schema.patched.json", "release-schema.patched.json"} {
		if err := addSchema(c, filepath.Join(dir, name)); errors.Is(err, fs.ErrNotExist) {
			t.Skip("eForms profile not in the data folder")
		} else if err != nil {
			t.Fatal(err)
		}
	}
	sch, err := c.Compile("https://standard.open-contracting.org/profiles/eforms/schema/1__0__0__rc__1/release-package-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := Releases(testConfig, testInput())
	if err != nil {
		t.Fatal(err)
	}
	if err := check(sch, "release package (eForms profile)", mustJSON(t, pkg)); err != nil {
		t.Error(err)
	}
}
