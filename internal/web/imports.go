package web

import (
	"io"
	"net/http"
	"strconv"
	"unicode"
	"unicode/utf8"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/eforms"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/planimport"
	"github.com/arena-se/arena/internal/store"
)

// Imports from the organisation page: an admin uploads a procurement plan
// (CSV or XLSX) or a prior information notice (eForms XML); the file is
// kept as a job whose page shows its columns and first rows, lets the
// admin choose each column's field (the mapping step), check the file
// without writing (dry run) and import it, its progress while it runs and
// its report after. The API's plan-imports and notice-imports do the same
// in one request. The rule is arena.CanImportNeeds, asked by the store and
// planimport; the pages ask it only to decide what to offer.

func (u *UI) importRoutes() []route {
	return []route{
		{"GET /organisationer/{id}/import", u.handleImportPage},
		{"POST /organisationer/{id}/import", u.handleImportUpload},
		{"POST /organisationer/{id}/import/publicera", u.handleImportPublish},
		{"GET /importer/{id}", u.handleImportJob},
		{"POST /importer/{id}", u.handleImportRun},
	}
}

// importPageData is an organisation's import page.
type importPageData struct {
	Org       *arena.Organization
	Jobs      []*store.ImportJob
	Drafts    int // imported needs not yet published
	MaxMB     int
	Published string // the confirmation of "publish all"
}

func (u *UI) handleImportPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if u.requireActor(w, r) == nil {
		return
	}
	u.renderImportPage(w, r, http.StatusOK, id, nil, "")
}

func (u *UI) renderImportPage(w http.ResponseWriter, r *http.Request, status int, orgID int64, f *form, published string) {
	ctx := r.Context()
	o, err := u.app.DB.Organizations.Get(ctx, orgID)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := &importPageData{Org: o, MaxMB: planimport.MaxBytes >> 20, Published: published}
	if d.Jobs, err = u.app.DB.ImportJobs(ctx, orgID); err != nil {
		u.fail(w, r, err)
		return
	}
	if d.Drafts, err = u.app.DB.ImportedDrafts(ctx, orgID); err != nil {
		u.fail(w, r, err)
		return
	}
	p := u.newPage(r, "orgs")
	p.Title = p.T("import.title", o.Name)
	if f == nil {
		f = newImportForm()
	}
	p.Form = f
	p.Data = d
	u.render(w, r, status, "imports", p)
}

// newImportForm is the upload form as first shown: a plan.
func newImportForm() *form {
	f := newForm(nil, "kind", "file")
	f.Values.Set("kind", store.ImportPlan)
	return f
}

// MayImport tells whether the actor imports needs for organisation o
// (arena.CanImportNeeds): the organisation page offers the import then.
func (p *page) MayImport(o *arena.Organization) bool {
	return p.Actor != nil && arena.CanImportNeeds(p.Actor, o.ID) == nil
}

// ImportKindOptions are the kinds of file the upload form takes.
func (p *page) ImportKindOptions() []option {
	return enumOptions(p, "import_kind", []string{store.ImportPlan, store.ImportNotice})
}

// handleImportUpload keeps an uploaded file as a job (planimport.Upload)
// and shows its page.
func (u *UI) handleImportUpload(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	// The right first: a file is read for those who may import.
	a := u.requireActor(w, r)
	if a == nil {
		return
	}
	if err := arena.CanImportNeeds(a, id); err != nil {
		u.fail(w, r, err)
		return
	}
	if !u.multipartForm(w, r, planimport.MaxBytes, arena.Invalid("file", "err.import.too_large", arena.F{"max_mb": planimport.MaxBytes >> 20})) {
		return
	}
	defer r.MultipartForm.RemoveAll()
	f := newForm(r.PostForm, "kind", "file")
	p := u.newPage(r, "orgs")
	kind := f.V("kind")
	max := int64(planimport.MaxBytes)
	if kind == store.ImportNotice {
		max = eforms.MaxNoticeBytes
	}
	var job *store.ImportJob
	file, header, err := r.FormFile("file")
	if err != nil {
		err = arena.Invalid("file", "err.file.none")
	} else {
		defer file.Close()
		var data []byte
		if data, err = readAtMost(file, max); err == nil {
			job, err = planimport.Upload(r.Context(), u.app.DB, id, kind, header.Filename, data)
		}
	}
	switch code := arena.ErrorCode(err); code {
	case "":
		http.Redirect(w, r, "/importer/"+idStr(job.ID), http.StatusSeeOther)
	case arena.EINVALID, arena.ECONFLICT:
		p.failFrom(f, err, nil)
		u.renderImportPage(w, r, httpapi.StatusOf(code), id, f, "")
	default:
		u.fail(w, r, err)
	}
}

// readAtMost reads a file of at most max bytes; a larger one is refused.
func readAtMost(file io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(file, max+1))
	if err != nil {
		return nil, arena.Invalid("file", "err.import.unreadable")
	}
	if int64(len(data)) > max {
		return nil, arena.Invalid("file", "err.import.too_large", arena.F{"max_mb": max >> 20})
	}
	return data, nil
}

func (u *UI) handleImportPublish(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if u.postForm(w, r) == nil {
		return
	}
	n, err := planimport.Publish(r.Context(), u.app.DB, id, "")
	if err != nil && arena.ErrorCode(err) != arena.EINVALID && arena.ErrorCode(err) != arena.ECONFLICT {
		u.fail(w, r, err)
		return
	}
	p := u.newPage(r, "orgs")
	msg := p.cat.TN("import.published", n)
	f := newImportForm()
	status := http.StatusOK
	if err != nil {
		// One need the rules refuse stops it; those before it stay
		// published, and the message says which it was.
		f.General = p.ErrText(err)
		status = httpapi.StatusOf(arena.ErrorCode(err))
	}
	u.renderImportPage(w, r, status, id, f, msg)
}

// importJobData is a job's page.
type importJobData struct {
	Job     *store.ImportJob
	Org     *arena.Organization
	Preview *planimport.Preview
	Running bool
	Done    int
	Total   int
	Report  *planimport.Report
	Failed  string // the message of a run that failed
	Drafts  int
	Fields  []planimport.Field
}

// ColumnField is the form field of column i.
func (d *importJobData) ColumnField(i int) string { return planimport.ColumnField(i) }

// FieldOptions are the fields column i may fill, the mapping's selected.
func (p *page) FieldOptions(d *importJobData, i int) []option {
	cur := ""
	if p.Form != nil && p.Form.Values.Has(d.ColumnField(i)) {
		cur = p.Form.V(d.ColumnField(i))
	} else if d.Preview != nil && i < len(d.Preview.Mapping) {
		cur = string(d.Preview.Mapping[i])
	}
	opts := []option{{Value: "", Label: p.T("import.field.none"), Selected: cur == ""}}
	for _, f := range planimport.Fields {
		opts = append(opts, option{Value: string(f), Label: upperFirst(p.T("import.field." + string(f))), Selected: cur == string(f)})
	}
	return opts
}

// Cell is a sample row's cell i ("" past its end).
func (d *importJobData) Cell(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

// ProgressPercent is how far a running job has come, in percent.
func (d *importJobData) ProgressPercent() int {
	if d.Total <= 0 {
		return 0
	}
	return d.Done * 100 / d.Total
}

func (u *UI) handleImportJob(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if u.requireActor(w, r) == nil {
		return
	}
	u.renderImportJob(w, r, http.StatusOK, id, nil)
}

func (u *UI) renderImportJob(w http.ResponseWriter, r *http.Request, status int, id int64, f *form) {
	ctx := r.Context()
	j, err := u.app.DB.ImportJob(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	o, err := u.app.DB.Organizations.Get(ctx, j.OrgID)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := u.newPage(r, "orgs")
	d := &importJobData{Job: j, Org: o, Fields: planimport.Fields, Running: j.Running(u.now())}
	d.Done, d.Total = j.Done, j.Total
	if done, total, ok := planimport.Progress(j.ID); ok {
		d.Running, d.Done, d.Total = true, done, total
	}
	if !d.Running {
		var failed *arena.Msg
		if d.Report, failed = planimport.ReportOf(j); failed != nil {
			d.Failed = p.M(*failed)
		}
		if d.Preview, err = planimport.PreviewOf(ctx, u.app.DB, j); err != nil {
			if arena.ErrorCode(err) != arena.EINVALID {
				u.fail(w, r, err)
				return
			}
			d.Failed = p.ErrText(err)
		}
		if d.Drafts, err = u.app.DB.ImportedDrafts(ctx, j.OrgID); err != nil {
			u.fail(w, r, err)
			return
		}
	}
	p.Title = p.T("import.job_title", j.Name)
	if f == nil {
		f = newForm(nil)
		if j.State == store.JobUploaded || j.DryRun {
			// A new file, or one checked: the next run is a check or the
			// import, as the person chooses; partial as it was.
			if j.Partial {
				f.Values.Set("partial", "1")
			}
		}
	}
	p.Form = f
	p.Data = d
	u.render(w, r, status, "import_job", p)
}

// handleImportRun starts a run of a job: a check ("Kontrollera") or the
// import, with the mapping chosen on the page.
func (u *UI) handleImportRun(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if u.postForm(w, r) == nil {
		return
	}
	ctx := r.Context()
	j, err := u.app.DB.ImportJob(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	p := u.newPage(r, "orgs")
	opt := planimport.Options{DryRun: r.PostFormValue("action") != "import", Partial: r.PostFormValue("partial") != ""}
	var m planimport.Mapping
	if j.Kind == store.ImportPlan {
		var pv *planimport.Preview
		if pv, err = planimport.PreviewOf(ctx, u.app.DB, j); err == nil {
			for i := range pv.Header {
				f.Order = append(f.Order, planimport.ColumnField(i))
			}
			m, err = planimport.MappingOf(pv.Header, func(i int) string { return r.PostFormValue(planimport.ColumnField(i)) })
		}
	}
	if err == nil {
		err = planimport.Start(ctx, u.app.DB, j, m, opt, u.app.Limits.Do, nil)
	}
	switch code := arena.ErrorCode(err); code {
	case "":
		http.Redirect(w, r, "/importer/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	case arena.EINVALID, arena.ECONFLICT:
		p.failFrom(f, err, map[string]string{"mapping": planimport.ColumnField(0)})
		u.renderImportJob(w, r, httpapi.StatusOf(code), id, f)
	default:
		u.fail(w, r, err)
	}
}

// upperFirst writes a field's name, as messages use it, as a choice.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
