package httpapi

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/arena-se/arena/internal/app"
	"github.com/arena-se/arena/internal/export"
	"github.com/arena-se/arena/internal/openapi"
)

// Registers export: a register's list with ?format=csv or ?format=xlsx,
// or asked for with Accept: text/csv or the XLSX media type, is the whole
// list with the filters given (every page; limit and after do not apply)
// as a download, the same table as the page's "Ladda ner" link.

// exportFormat reads the table a request asks for: ?format= (csv or xlsx;
// anything else is refused naming format) or, without it, an Accept
// naming CSV or XLSX. "" asks for JSON.
func exportFormat(r *http.Request) (string, error) {
	if q := r.URL.Query(); q.Has("format") {
		f := q.Get("format")
		return f, export.CheckFormat("format", f)
	}
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, _ := strings.Cut(part, ";")
		switch strings.ToLower(strings.TrimSpace(mt)) {
		case "text/csv":
			return export.CSV, nil
		case export.ContentType(export.XLSX):
			return export.XLSX, nil
		}
	}
	return "", nil
}

// formatParam documents the format of a list that exports.
var formatParam = openapi.Param{Name: "format", In: "query", Type: "string", Enum: []string{export.CSV, export.XLSX},
	Description: "csv or xlsx: the whole filtered list (every page; limit and after do not apply) as a download, with column names in the language of Accept-Language; CSV is UTF-8 with a byte-order mark and semicolons, for Excel. Accept: text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet asks for the same. At most 50000 rows: more is refused naming format."}

// ServeTable answers with the table build makes as a download named name
// (without its extension), for the API and the pages alike. Building and
// encoding it (up to 50 000 rows) are the client's expensive work, within
// lim's share; sending it is not, so a slow reader holds no slot. On an
// error nothing is written and the error is returned for the caller's
// responder.
func ServeTable(w http.ResponseWriter, r *http.Request, lim *app.Limiter, format, name string, build func() (*export.Table, error)) error {
	var body bytes.Buffer
	err := lim.Do(r.Context(), func() error {
		t, err := build()
		if err != nil {
			return err
		}
		return export.Write(&body, format, t)
	})
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", export.ContentType(format))
	h.Set("Content-Disposition", `attachment; filename="`+name+"."+format+`"`)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(body.Bytes())
	return nil
}

// exportRegister answers with the register's table for the request's
// filters, as the caller may see it.
func (s *Server) exportRegister(w http.ResponseWriter, r *http.Request, reg *export.Register, format string) {
	lq, err := listQuery(r)
	if err == nil {
		delete(lq.Filters, "format")
		err = ServeTable(w, r, s.app.Limits, format, export.FileName(reg.File, s.app.Now()), func() (*export.Table, error) {
			return reg.Table(r.Context(), s.db, lq.Filters, s.app.Texts.For(apiLang(r)))
		})
		if err == nil {
			return
		}
	}
	s.WriteError(w, r, err)
}
