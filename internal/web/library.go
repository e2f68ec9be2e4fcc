package web

import (
	"errors"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/export"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/store"
)

// The deliverables library (leveransbiblioteket): what the networks
// produced (requirement specifications, market analyses, good examples,
// …), searchable by words, kind, sector and CPV, each with its network and
// the needs it was made for; a deliverable's page adds the needs like
// them, so that a buyer with the same need reuses it. Deliverables are
// public (networks' deliverables are), the needs are shown as the viewer
// may see them.

// libraryRow is one deliverable in the library.
type libraryRow struct {
	*arena.Deliverable
	Network *arena.Network
	CPV     []string // of the needs it was made for that the viewer sees
}

type libraryData struct {
	Rows  []libraryRow
	Total int // before the page's limit
	Shown int
}

// libraryLimit bounds the rows a library page shows.
const libraryLimit = 100

// deliverableNeeds reads, for the networks of ids, the needs their active
// members brought, as the actor may see them.
func (u *UI) deliverableNeeds(r *http.Request, networkIDs []int64) (map[int64][]*arena.Need, error) {
	ctx := r.Context()
	out := map[int64][]*arena.Need{}
	if len(networkIDs) == 0 {
		return out, nil
	}
	// One query for the active memberships of every network, not one per
	// network.
	want := map[int64]bool{}
	for _, id := range networkIDs {
		want[id] = true
	}
	filters := map[string]string{"status": string(arena.MemberActive)}
	if len(networkIDs) == 1 {
		filters["network_id"] = idStr(networkIDs[0])
	}
	ms, err := store.All(ctx, u.app.DB.NetworkMembers, filters)
	if err != nil {
		return nil, err
	}
	var needIDs []int64
	byNeed := map[int64]int64{}
	for _, m := range ms {
		if want[m.NetworkID] && m.NeedID != nil {
			needIDs = append(needIDs, *m.NeedID)
			byNeed[*m.NeedID] = m.NetworkID
		}
	}
	needs, err := u.app.DB.Needs.GetMany(ctx, needIDs)
	if err != nil {
		return nil, err
	}
	for _, id := range needIDs {
		if n := needs[id]; n != nil {
			out[byNeed[id]] = append(out[byNeed[id]], n)
		}
	}
	return out, nil
}

func needCPV(needs []*arena.Need) []string {
	var out []string
	for _, n := range needs {
		for _, c := range n.CPVCodes {
			code, _, err := arena.SplitCPV(c)
			if err == nil && !slices.Contains(out, code) {
				out = append(out, code)
			}
		}
	}
	sort.Strings(out)
	return out
}

func (u *UI) handleLibrary(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := u.newPage(r, "library")
	p.Title = p.T("library.title")
	q := r.URL.Query()
	f, filters := searchAndKind(q, arena.Codes(arena.DeliverableKinds))
	sector := strings.TrimSpace(q.Get("sektor"))
	cpv := strings.TrimSpace(q.Get("cpv"))
	f.Values.Set("sektor", sector)
	f.Values.Set("cpv", cpv)
	p.Form = f
	if err := arena.CheckQuery("sektor", sector); err != nil {
		u.fail(w, r, err)
		return
	}
	if cpv != "" && !cpvPrefix(cpv) {
		u.fail(w, r, arena.Invalid("cpv", "err.cpv.prefix"))
		return
	}
	// A download (format=) is the whole list with the page's filters, in
	// id order, bounded as the API's export is.
	format, err := exportAsked(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	var dels []*arena.Deliverable
	if format != "" {
		dels, err = export.All(ctx, u.app.DB.Deliverables, filters)
	} else {
		dels, err = store.All(ctx, u.app.DB.Deliverables, filters)
		p.Exports = p.offerExport(r, r.URL.Path, "", "export.download", "export")
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	nm := u.names(ctx)
	var netIDs []int64
	for _, d := range dels {
		if !slices.Contains(netIDs, d.NetworkID) {
			netIDs = append(netIDs, d.NetworkID)
		}
	}
	needs, err := u.deliverableNeeds(r, netIDs)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := &libraryData{}
	for _, x := range dels {
		row := libraryRow{Deliverable: x, Network: nm.Network(x.NetworkID), CPV: needCPV(needs[x.NetworkID])}
		if sector != "" && (row.Network == nil || !strings.EqualFold(row.Network.Sector, sector)) {
			continue
		}
		if cpv != "" && !slices.ContainsFunc(row.CPV, func(c string) bool { return strings.HasPrefix(c, cpv) }) {
			continue
		}
		d.Rows = append(d.Rows, row)
	}
	if format != "" {
		xs := make([]*arena.Deliverable, len(d.Rows))
		for i, row := range d.Rows {
			xs[i] = row.Deliverable
		}
		if err := httpapi.ServeTable(w, r, u.app.Limits, format, export.FileName(export.Registers["deliverables"].File, u.now()), func() (*export.Table, error) {
			return export.Deliverables(ctx, u.app.DB, xs, p.cat)
		}); err != nil {
			u.fail(w, r, err)
		}
		return
	}
	sort.SliceStable(d.Rows, func(i, j int) bool {
		a, b := d.Rows[i].PublishedDate, d.Rows[j].PublishedDate
		if (a == nil) != (b == nil) {
			return a != nil
		}
		if a != nil && !a.Equal(b.Time) {
			return a.After(b.Time)
		}
		return d.Rows[i].ID > d.Rows[j].ID
	})
	d.Total = len(d.Rows)
	if len(d.Rows) > libraryLimit {
		d.Rows = d.Rows[:libraryLimit]
	}
	d.Shown = len(d.Rows)
	p.Data = d
	u.render(w, r, http.StatusOK, "library", p)
}

// cpvPrefix accepts the first 2 to 8 digits of a CPV code.
func cpvPrefix(s string) bool {
	if len(s) < 2 || len(s) > 8 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// DeliverableKindFilterOptions are the deliverable kinds with "all" first.
func (p *page) DeliverableKindFilterOptions() []option {
	return append([]option{{Value: "", Label: p.T("search.any")}}, p.DeliverableKindOptions()...)
}

// deliverablePage is one deliverable with its network, the needs it was
// made for and the needs like them.
type deliverablePage struct {
	D       *arena.Deliverable
	Network *arena.Network
	MadeFor []*arena.Need
	Like    []matching.Item
	LikeErr string
	CanEdit bool
	Files   []*arena.File
	MaxMB   int
}

func (u *UI) handleDeliverableShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.renderDeliverable(w, r, http.StatusOK, id, newForm(nil))
}

func (u *UI) renderDeliverable(w http.ResponseWriter, r *http.Request, status int, id int64, f *form) {
	ctx := r.Context()
	x, err := u.app.DB.Deliverables.Get(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := u.newPage(r, "library")
	p.Form = f
	p.Title = x.Title
	d := &deliverablePage{D: x, Network: u.names(ctx).Network(x.NetworkID)}
	needs, err := u.deliverableNeeds(r, []int64{x.NetworkID})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d.MadeFor = needs[x.NetworkID]
	d.CanEdit = p.SignedIn() && u.app.DB.Deliverables.Authorize(ctx, x, x) == nil
	d.MaxMB = arena.MaxFileSize >> 20
	if d.Files, err = u.app.DB.DeliverableFiles.List(ctx, x.ID); err != nil {
		u.fail(w, r, err)
		return
	}
	if u.app.Matching == nil {
		d.LikeErr = p.T("match.unavailable")
	} else if len(d.MadeFor) > 0 {
		var ids []int64
		for _, n := range d.MadeFor {
			ids = append(ids, n.ID)
		}
		res, err := u.app.Matching.NeedMatchesOf(ctx, ids, 5)
		if err != nil {
			d.LikeErr = p.ErrText(err)
		} else {
			seen := map[int64]bool{}
			for _, n := range d.MadeFor {
				seen[n.ID] = true
			}
			for _, rs := range res {
				for _, it := range rs.Items {
					if !seen[it.ID] && it.Alike >= matching.GoodMatch {
						seen[it.ID] = true
						d.Like = append(d.Like, it)
					}
				}
			}
			sort.SliceStable(d.Like, func(i, j int) bool { return d.Like[i].Alike > d.Like[j].Alike })
		}
	}
	p.Data = d
	u.render(w, r, status, "deliverable", p)
}

// fileHandlers are the upload, download and removal of one kind of
// record's files (a deliverable's, a dialogue's): the store asks the
// record's own rule (store.Files).
type fileHandlers struct {
	u       *UI
	files   func() *store.Files
	base    string // the records' address: /leveranser
	anchor  string // where on the record's page the files are
	section string
	render  func(w http.ResponseWriter, r *http.Request, status int, id int64, f *form)
}

func (u *UI) deliverableFiles() fileHandlers {
	return fileHandlers{u: u, files: func() *store.Files { return u.app.DB.DeliverableFiles }, base: "/leveranser", anchor: "#files",
		section: "library", render: u.renderDeliverable}
}

// upload puts a file on the record (arena.CheckUpload), from a multipart
// form.
func (fh fileHandlers) upload(w http.ResponseWriter, r *http.Request) {
	u := fh.u
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if !u.multipartForm(w, r, arena.MaxFileSize, arena.Invalid("file", "err.file.large", arena.F{"max": arena.MaxFileSize >> 20})) {
		return
	}
	defer r.MultipartForm.RemoveAll()
	f := newForm(nil, "file")
	p := u.newPage(r, fh.section)
	file, header, err := r.FormFile("file")
	if err != nil {
		f.Fail("file", p.T("err.file.none"))
		fh.render(w, r, httpapi.StatusOf(arena.EINVALID), id, f)
		return
	}
	defer file.Close()
	data, err := httpapi.ReadUpload(file)
	if err == nil {
		_, err = fh.files().Add(r.Context(), id, header.Filename, data)
	}
	switch code := arena.ErrorCode(err); code {
	case "":
		http.Redirect(w, r, withNotice(fh.base+"/"+idStr(id), "fil-sparad")+fh.anchor, http.StatusSeeOther)
	case arena.EINVALID, arena.ECONFLICT:
		f.Fail("file", p.ErrText(err))
		fh.render(w, r, httpapi.StatusOf(code), id, f)
	default:
		u.fail(w, r, err)
	}
}

// multipartForm reads a signed-in person's multipart form of at most max
// bytes (tooLarge the error of a larger one) and checks its CSRF token;
// it answers itself and returns false when the form is refused. The
// caller removes the form's files (r.MultipartForm.RemoveAll).
func (u *UI) multipartForm(w http.ResponseWriter, r *http.Request, max int64, tooLarge error) bool {
	if u.requireActor(w, r) == nil {
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, max+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			err = tooLarge
		} else {
			err = arena.Invalid("body", "err.form_unreadable")
		}
		u.fail(w, r, err)
		return false
	}
	if err := cleanForm(r.PostForm); err != nil {
		r.MultipartForm.RemoveAll()
		u.fail(w, r, err)
		return false
	}
	if !u.checkCSRF(w, r) {
		r.MultipartForm.RemoveAll()
		return false
	}
	return true
}

// fileOfPath reads the record and file ids of the path.
func fileOfPath(r *http.Request) (int64, int64, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, 0, err
	}
	fid, err := strconv.ParseInt(r.PathValue("file"), 10, 64)
	if err != nil || fid <= 0 {
		return 0, 0, arena.NotFound("file")
	}
	return id, fid, nil
}

// download sends a file to whoever may see its record.
func (fh fileHandlers) download(w http.ResponseWriter, r *http.Request) {
	id, fid, err := fileOfPath(r)
	if err != nil {
		fh.u.fail(w, r, err)
		return
	}
	f, data, err := fh.files().Content(r.Context(), id, fid)
	if err != nil {
		fh.u.fail(w, r, err)
		return
	}
	httpapi.ServeFile(w, f, data)
}

// remove removes a file of the record.
func (fh fileHandlers) remove(w http.ResponseWriter, r *http.Request) {
	u := fh.u
	if u.postForm(w, r) == nil {
		return
	}
	id, fid, err := fileOfPath(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if err := fh.files().Delete(r.Context(), id, fid); err != nil {
		u.fail(w, r, err)
		return
	}
	http.Redirect(w, r, withNotice(fh.base+"/"+idStr(id), "fil-borttagen")+fh.anchor, http.StatusSeeOther)
}

// FileSize is a file's size in kB or MB, as people read it.
func (p *page) FileSize(n int64) string {
	if n < 1<<20 {
		return p.T("file.kb", max(1, (n+512)>>10))
	}
	return p.T("file.mb", groupFloat(float64(n)/(1<<20), " ", ","))
}
