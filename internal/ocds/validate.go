package ocds

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Where the standard's schemas are, below a data folder laid out like
// shared/data, and the ids they refer to each other by.
const (
	SchemaDir        = "ocds/1.1.5"
	schemaBase       = "https://standard.open-contracting.org/schema/1__1__5/"
	releasePackageID = schemaBase + "release-package-schema.json"
	recordPackageID  = schemaBase + "record-package-schema.json"
)

// schemaFiles are the files of SchemaDir; each is known by its own "id".
var schemaFiles = []string{"release-package-schema.json", "record-package-schema.json", "release-schema.json", "versioned-release-validation-schema.json"}

// Validator checks documents against the OCDS 1.1.5 package schemas, read
// from local files: the schemas' references by URL never reach a network.
// It is safe for concurrent use.
type Validator struct {
	release, record *jsonschema.Schema
}

// NewValidator compiles the schemas in dataDir/ocds/1.1.5 (dataDir laid out
// like shared/data). When a file is missing the error wraps
// fs.ErrNotExist, so a test can skip.
func NewValidator(dataDir string) (*Validator, error) {
	dir := filepath.Join(dataDir, SchemaDir)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for _, name := range schemaFiles {
		if err := addSchema(c, filepath.Join(dir, name)); err != nil {
			return nil, err
		}
	}
	var v Validator
	var err error
	if v.release, err = c.Compile(releasePackageID); err != nil {
		return nil, fmt.Errorf("ocds: compile release package schema: %w", err)
	}
	if v.record, err = c.Compile(recordPackageID); err != nil {
		return nil, fmt.Errorf("ocds: compile record package schema: %w", err)
	}
	return &v, nil
}

// addSchema adds a schema file to c under the id it declares.
func addSchema(c *jsonschema.Compiler, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("ocds: schema: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("ocds: schema %s: %w", path, err)
	}
	obj, _ := doc.(map[string]any)
	id, _ := obj["id"].(string)
	if id == "" {
		id, _ = obj["$id"].(string)
	}
	if id == "" {
		return fmt.Errorf("ocds: schema %s declares no id", path)
	}
	if err := c.AddResource(id, doc); err != nil {
		return fmt.Errorf("ocds: schema %s: %w", path, err)
	}
	return nil
}

// ReleasePackage checks a release package; the error is a *SchemaError
// when the JSON is well-formed but breaks the schema.
func (v *Validator) ReleasePackage(doc []byte) error { return check(v.release, "release package", doc) }

// RecordPackage checks a record package; the error is a *SchemaError when
// the JSON is well-formed but breaks the schema.
func (v *Validator) RecordPackage(doc []byte) error { return check(v.record, "record package", doc) }

// SchemaError lists every way a document breaks the schema.
type SchemaError struct {
	What     string    // "release package" or "record package"
	Problems []Problem // in the validator's order, without repeats
}

// Problem is one broken rule: where in the document, and what.
type Problem struct {
	Path    string // JSON pointer into the document, "" for the whole
	Message string
}

// Error lists the problems, one a line.
func (e *SchemaError) Error() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "ocds: %s breaks the OCDS 1.1.5 schema (%d problems):", e.What, len(e.Problems))
	for _, p := range e.Problems {
		fmt.Fprintf(&sb, "\n  %s: %s", cmp.Or(p.Path, "/"), p.Message)
	}
	return sb.String()
}

// printer writes the schema library's messages in English.
var printer = message.NewPrinter(language.English)

func check(s *jsonschema.Schema, what string, doc []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("ocds: %s is not JSON: %w", what, err)
	}
	err = s.Validate(inst)
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	se := &SchemaError{What: what}
	leaves(ve, func(e *jsonschema.ValidationError) {
		p := Problem{Path: pointer(e.InstanceLocation), Message: e.ErrorKind.LocalizedString(printer)}
		if !slices.Contains(se.Problems, p) {
			se.Problems = append(se.Problems, p)
		}
	})
	return se
}

// leaves calls f with the errors that have no causes: the broken rules
// themselves, not the schemas that contain them.
func leaves(e *jsonschema.ValidationError, f func(*jsonschema.ValidationError)) {
	if len(e.Causes) == 0 {
		f(e)
		return
	}
	for _, c := range e.Causes {
		leaves(c, f)
	}
}

func pointer(tokens []string) string {
	var sb strings.Builder
	for _, t := range tokens {
		sb.WriteByte('/')
		sb.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(t))
	}
	return sb.String()
}
