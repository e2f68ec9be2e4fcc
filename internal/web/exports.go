package web

import (
	"net/http"
	"net/url"

	"github.com/arena-se/arena/internal/export"
	"github.com/arena-se/arena/internal/httpapi"
)

// A register page's list downloads as Excel or CSV from the page's own
// address with format=xlsx or format=csv added to its filters: the same
// table as the API's export with the same filters (internal/export), as
// the user may see it.

// exportOffer is a page's download links.
type exportOffer struct {
	Links []exportLink
}

type exportLink struct {
	ID, Href, Label string
}

// exportFormats are the formats offered, Excel first.
var exportFormats = []string{export.XLSX, export.CSV}

// exportHref is the page's address (path) with its filters and format,
// without its paging and notices; part names one of the page's lists
// (tabell) where it has more than one.
func exportHref(r *http.Request, path, format, part string) string {
	q := r.URL.Query()
	if r.Method != http.MethodGet {
		q = url.Values{} // a form's page shown again after a failed submit
	}
	for _, k := range []string{"fore", "klart", "format", "tabell"} {
		q.Del(k)
	}
	if part != "" {
		q.Set("tabell", part)
	}
	q.Set("format", format)
	return path + "?" + q.Encode()
}

// offerExport offers the list of the page at path as downloads. The
// labels are the catalogue's key+"."+format; the ids are
// prefix+"-"+format.
func (p *page) offerExport(r *http.Request, path, part, key, prefix string) *exportOffer {
	o := &exportOffer{}
	for _, f := range exportFormats {
		o.Links = append(o.Links, exportLink{ID: prefix + "-" + f, Href: exportHref(r, path, f, part), Label: p.T(key + "." + f)})
	}
	return o
}

// exportAsked reads the format a register page is asked for; "" asks for
// the page. A format other than csv and xlsx is refused naming it.
func exportAsked(r *http.Request) (string, error) {
	f := r.URL.Query().Get("format")
	if f == "" {
		return "", nil
	}
	return f, export.CheckFormat("format", f)
}

// serveRegister answers a register page asked for a format with the
// register's table for filters (the store's filter names) and reports
// whether it did; otherwise it offers the downloads on the page.
func (u *UI) serveRegister(w http.ResponseWriter, r *http.Request, p *page, name string, filters map[string]string) bool {
	format, err := exportAsked(r)
	if err != nil {
		u.fail(w, r, err)
		return true
	}
	if format == "" {
		p.Exports = p.offerExport(r, r.URL.Path, "", "export.download", "export")
		return false
	}
	reg := export.Registers[name]
	if err := httpapi.ServeTable(w, r, u.app.Limits, format, export.FileName(reg.File, u.now()), func() (*export.Table, error) {
		return reg.Table(r.Context(), u.app.DB, filters, p.cat)
	}); err != nil {
		u.fail(w, r, err)
	}
	return true
}
