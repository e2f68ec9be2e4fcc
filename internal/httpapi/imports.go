package httpapi

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/eforms"
	"github.com/arena-se/arena/internal/openapi"
	"github.com/arena-se/arena/internal/planimport"
)

// Imports: a procurement plan (CSV or XLSX) or a prior information notice
// (eForms XML) as draft needs of an organisation, and publishing what was
// imported. The rules are planimport's (arena.CanImportNeeds, each need's
// own through the store); the web's upload form calls the same.

func (s *Server) registerImportRoutes() {
	org := openapi.Param{Name: "id", In: "path", Type: "integer", Description: "the organisation's id"}
	dry := openapi.Param{Name: "dry_run", In: "query", Type: "boolean", Description: "check every row and write nothing"}
	s.handleBody("POST", "/api/v1/organizations/{id}/plan-imports", planimport.MaxBytes+1<<20, s.handlePlanImport)
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/organizations/{id}/plan-imports", OperationID: "importPlan", Tag: "imports", Auth: true, Status: 201,
		Summary: "Import a procurement plan as draft needs: the file (CSV, comma or semicolon, UTF-8; or XLSX) as the body or as the multipart field \"file\". " +
			"Columns are mapped by their Swedish or English headers, changed by map. One bad row writes nothing (unless partial); the answer lists each bad row " +
			"with its number, column and message. Rows imported before are left alone. 200 for a dry run, 201 when written, 400 with the rows when nothing was.",
		Params: []openapi.Param{org, dry,
			{Name: "partial", In: "query", Type: "boolean", Description: "write the good rows even when some are bad"},
			{Name: "map", In: "query", Type: "string", Description: `columns by header, "HEADER=FIELD,…" (an empty field leaves a column out); fields: ` + fieldList()}},
		Response: reflect.TypeFor[planimport.Report]()})
	s.handleBody("POST", "/api/v1/organizations/{id}/notice-imports", eforms.MaxNoticeBytes+1<<20, s.handleNoticeImport)
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/organizations/{id}/notice-imports", OperationID: "importNotice", Tag: "imports", Auth: true, Status: 201,
		Summary: "Import a prior information notice (eForms UBL XML, PriorInformationNotice) as draft needs of the organisation, one per lot, with title, description, " +
			"CPV codes, estimated value in kronor and planned date, the notice and lot kept as the source. A malformed or non-PIN notice is refused naming the element.",
		Params: []openapi.Param{org, dry}, Response: reflect.TypeFor[planimport.Report]()})
	s.handle("POST", "/api/v1/organizations/{id}/imports/publish", s.handleImportPublish)
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/organizations/{id}/imports/publish", OperationID: "publishImported", Tag: "imports", Auth: true, Status: 200,
		Summary:  "Publish every imported draft need of the organisation (or those of one source)",
		Params:   []openapi.Param{org, {Name: "source", In: "query", Type: "string", Enum: []string{"plan", "eforms"}, Description: "only what came from plans or from notices"}},
		Response: reflect.TypeFor[PublishResult]()})
}

// PublishResult is how many imported needs were published.
type PublishResult struct {
	Published int `json:"published"`
}

func fieldList() string {
	var b bytes.Buffer
	for i, f := range planimport.Fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(f))
	}
	return b.String()
}

// uploaded is the file of an import: the multipart field "file", or the
// body itself.
func uploaded(r *http.Request) ([]byte, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var src io.Reader = r.Body
	if mt == "multipart/form-data" {
		f, _, err := r.FormFile("file")
		if err != nil {
			return nil, bodyError(err)
		}
		defer f.Close()
		src = f
	}
	data, err := io.ReadAll(src)
	if err != nil {
		return nil, bodyError(err)
	}
	if len(data) == 0 {
		return nil, arena.Invalid("file", "err.required")
	}
	return data, nil
}

// bodyError is the error of a body that could not be read: too large, or
// cut off.
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return arena.Invalid("file", "err.import.too_large", arena.F{"max_mb": planimport.MaxBytes >> 20})
	}
	return arena.Invalid("file", "err.import.unreadable")
}

func boolParam(r *http.Request, name string) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, arena.Invalid(name, "err.bool", arena.F{"value": v})
	}
	return b, nil
}

// importOptions reads dry_run and partial.
func importOptions(r *http.Request) (planimport.Options, error) {
	var opt planimport.Options
	var err error
	if opt.DryRun, err = boolParam(r, "dry_run"); err != nil {
		return opt, err
	}
	opt.Partial, err = boolParam(r, "partial")
	return opt, err
}

func (s *Server) handlePlanImport(w http.ResponseWriter, r *http.Request) {
	rep, err := s.importUpload(r, func(id int64, data []byte, opt planimport.Options) (*planimport.Report, error) {
		tab, err := planimport.Read(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		m := planimport.Guess(tab.Header)
		if err := m.Apply(tab.Header, r.URL.Query().Get("map")); err != nil {
			return nil, err
		}
		return planimport.Import(r.Context(), s.db, id, tab, m, opt)
	})
	s.writeReport(w, r, rep, err)
}

func (s *Server) handleNoticeImport(w http.ResponseWriter, r *http.Request) {
	rep, err := s.importUpload(r, func(id int64, data []byte, opt planimport.Options) (*planimport.Report, error) {
		n, err := planimport.ReadNotice(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		rep, _, err := planimport.ImportNotice(r.Context(), s.db, id, n, opt)
		return rep, err
	})
	s.writeReport(w, r, rep, err)
}

// importUpload is the part every import shares: the organisation of the
// path, the right first (a file is read for those who may import:
// arena.CanImportNeeds), dry_run and partial, the uploaded file; then run
// reads and writes it in a slot of the expensive-work limiter, so one
// client's imports of thousands of rows cannot hold up others.
func (s *Server) importUpload(r *http.Request, run func(orgID int64, data []byte, opt planimport.Options) (*planimport.Report, error)) (*planimport.Report, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	a, err := arena.RequireActor(r.Context())
	if err != nil {
		return nil, err
	}
	if err := arena.CanImportNeeds(a, id); err != nil {
		return nil, err
	}
	opt, err := importOptions(r)
	if err != nil {
		return nil, err
	}
	data, err := uploaded(r)
	if err != nil {
		return nil, err
	}
	var rep *planimport.Report
	err = s.app.Limits.Do(r.Context(), func() error {
		rep, err = run(id, data, opt)
		return err
	})
	return rep, err
}

// ImportProblem is the answer to an import that wrote nothing because of
// bad rows: a problem detail with the report.
type ImportProblem struct {
	Problem
	Report *planimport.Report `json:"report"`
}

// writeReport answers an import: 200 with the report of a dry run, 201
// when something was written or there was nothing new, 400 with the
// report's rows when bad rows kept anything from being written.
func (s *Server) writeReport(w http.ResponseWriter, r *http.Request, rep *planimport.Report, err error) {
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	switch {
	case rep.DryRun:
		s.writeJSON(w, r, http.StatusOK, rep)
	case rep.OK() || rep.Written:
		s.writeJSON(w, r, http.StatusCreated, rep)
	default:
		e := arena.Invalid("file", "err.import.bad_rows", arena.F{"n": len(rep.Errors)})
		s.writeProblem(w, r, ImportProblem{Problem: s.problem(r, e), Report: rep})
	}
}

func (s *Server) handleImportPublish(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		prefix := ""
		switch src := r.URL.Query().Get("source"); src {
		case "":
		case "plan", "eforms":
			prefix = src + ":"
		default:
			err = arena.Invalid("source", "err.choice", arena.F{"value": src, "choices": arena.Choices{"plan", "eforms"}})
		}
		if err == nil {
			var n int
			if n, err = planimport.Publish(r.Context(), s.db, id, prefix); err == nil {
				s.writeJSON(w, r, http.StatusOK, PublishResult{Published: n})
				return
			}
		}
	}
	s.WriteError(w, r, err)
}
