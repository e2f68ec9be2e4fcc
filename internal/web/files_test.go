package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/testworld"
)

// upload posts a file as a browser's multipart form does.
func (c *client) upload(path, csrf, name string, data []byte) *resp {
	c.e.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("csrf", csrf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// TestDeliverableFilesWithoutJavaScript: Anna puts the network's
// requirement specification, a PDF, on its deliverable; an HTML page named
// .pdf is refused at the field and nothing is stored; a visitor downloads
// the PDF as an attachment of its own type; Erik, who does not work in
// the network, may not remove it; Anna removes it.
func TestDeliverableFilesWithoutJavaScript(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	falun := e.orgID("Falu kommun")
	annaID, _ := e.db.UserIDByEmail(ctx, "anna@falun.demo")
	actor, err := e.db.ActorFor(ctx, annaID)
	if err != nil {
		t.Fatal(err)
	}
	as := arena.WithActor(ctx, actor)
	n := &arena.Network{Name: "Larmnätverket", Kind: arena.NetworkTactical, OwnerOrgID: &falun}
	if err := e.db.Networks.Create(as, n); err != nil {
		t.Fatal(err)
	}
	d := &arena.Deliverable{NetworkID: n.ID, Kind: arena.DeliverableKinds[0], Title: "Kravspecifikation för trygghetslarm"}
	if err := e.db.Deliverables.Create(as, d); err != nil {
		t.Fatal(err)
	}
	path := "/leveranser/" + idStr(d.ID)
	anna := e.client()
	anna.signIn("anna@falun.demo")
	page := anna.get(path)
	if !strings.Contains(page.Body, `id="file-form"`) || !strings.Contains(page.Body, `enctype="multipart/form-data"`) {
		t.Fatalf("no upload form: %s", excerpt(page.Body))
	}
	tok := csrf(t, page.Body)
	r := anna.upload(path+"/filer", tok, "kravspecifikation.pdf", []byte("<html><script>alert(1)</script></html>"))
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, `id="file-error"`) {
		t.Fatalf("HTML named .pdf: %d %s", r.Status, excerpt(r.Body))
	}
	if files, _ := e.db.DeliverableFiles.List(ctx, d.ID); len(files) != 0 {
		t.Fatalf("a refused file was stored: %v", files)
	}
	pdf := append([]byte(nil), testworld.TinyPDF...)
	r = anna.upload(path+"/filer", tok, "kravspecifikation.pdf", pdf)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", r.Status, excerpt(r.Body))
	}
	files, err := e.db.DeliverableFiles.List(ctx, d.ID)
	if err != nil || len(files) != 1 || files[0].ContentType != arena.TypePDF || files[0].Size != int64(len(pdf)) {
		t.Fatalf("stored: %v %+v", err, files)
	}
	link := path + "/filer/" + idStr(files[0].ID)
	if b := e.client().get(path).Body; !strings.Contains(b, `href="`+link+`"`) {
		t.Errorf("the visitor's page does not link the file")
	}
	req, _ := http.NewRequest("GET", e.srv.URL+link, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.Equal(body, pdf) || res.Header.Get("Content-Type") != arena.TypePDF ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") || res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("download: %d %q %v", res.StatusCode, body, res.Header)
	}

	erik := e.client()
	erik.signIn("erik@molndal.demo")
	ep := erik.get(path)
	if strings.Contains(ep.Body, `id="file-form"`) {
		t.Error("Erik is offered to upload to a network he does not work in")
	}
	if r := erik.post(link+"/ta-bort", urlValues("csrf", csrf(t, ep.Body))); r.Status != http.StatusForbidden {
		t.Errorf("Erik removes the file: %d", r.Status)
	}
	if r := anna.post(link+"/ta-bort", urlValues("csrf", tok)); r.Status != http.StatusSeeOther {
		t.Fatalf("Anna removes the file: %d %s", r.Status, excerpt(r.Body))
	}
	if files, _ := e.db.DeliverableFiles.List(ctx, d.ID); len(files) != 0 {
		t.Errorf("the file is still there")
	}
}

func urlValues(kv ...string) map[string][]string {
	out := map[string][]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = append(out[kv[i]], kv[i+1])
	}
	return out
}
