package httpapi

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/openapi"
	"github.com/arena-se/arena/internal/store"
)

// FileList is a record's files.
type FileList struct {
	Items []*arena.File `json:"items"`
}

// fileRoutes are the files of one kind of record: its path, its name in
// the documentation and its files in the store.
type fileRoutes struct {
	s          *Server
	path, noun string // "deliverables", "deliverable"
	op, tag    string // "DeliverableFile", "networks"
	files      *store.Files
}

func (s *Server) registerFileRoutes() {
	for _, fr := range []fileRoutes{
		{s, "deliverables", "deliverable", "DeliverableFile", "networks", s.db.DeliverableFiles},
		{s, "dialogues", "dialogue", "DialogueFile", "dialogues", s.db.DialogueFiles},
	} {
		fr.register()
	}
}

func (fr fileRoutes) register() {
	s, base, noun := fr.s, "/api/v1/"+fr.path+"/{id}/files", fr.noun
	s.handle("GET", base, fr.list)
	s.doc(openapi.Operation{Method: "GET", Path: base, OperationID: lowerFirst(fr.op) + "s", Tag: fr.tag,
		Summary: "A " + noun + "'s files (whoever may see the " + noun + ")", Response: reflect.TypeFor[FileList]()})
	s.handleBody("POST", base, arena.MaxFileSize+1, fr.add)
	s.doc(openapi.Operation{Method: "POST", Path: base, OperationID: "add" + fr.op, Tag: fr.tag, Auth: true, Status: 201,
		Summary:  "Put a file on a " + noun + " (those who may change it): the body is the file, ?name= its name; PDF, DOCX, XLSX or ODT by content, at most 10 MB, at most 10 files",
		Params:   []openapi.Param{{Name: "name", In: "query", Type: "string", Required: true, Description: "the file's name, with the extension of its type"}},
		Response: reflect.TypeFor[arena.File]()})
	s.handle("GET", base+"/{file}", fr.get)
	s.doc(openapi.Operation{Method: "GET", Path: base + "/{file}", OperationID: lowerFirst(fr.op), Tag: fr.tag,
		Summary: "Download a file of a " + noun + " (whoever may see the " + noun + "); the body is the file", Status: 200})
	s.handle("DELETE", base+"/{file}", fr.delete)
	s.doc(openapi.Operation{Method: "DELETE", Path: base + "/{file}", OperationID: "delete" + fr.op, Tag: fr.tag, Auth: true, Status: 204,
		Summary: "Remove a file of a " + noun + " (those who may change it)"})
}

func lowerFirst(s string) string { return strings.ToLower(s[:1]) + s[1:] }

func fileID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("file"), 10, 64)
	if err != nil || id <= 0 {
		return 0, arena.NotFound("file")
	}
	return id, nil
}

func (fr fileRoutes) list(w http.ResponseWriter, r *http.Request) {
	s := fr.s
	id, err := pathID(r)
	if err == nil {
		var items []*arena.File
		if items, err = fr.files.List(r.Context(), id); err == nil {
			s.writeJSON(w, r, http.StatusOK, FileList{Items: items})
			return
		}
	}
	s.WriteError(w, r, err)
}

// ReadUpload reads an uploaded file's content, at most arena.MaxFileSize
// bytes; a larger one is refused naming the file.
func ReadUpload(body io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(body, arena.MaxFileSize+1))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) || len(data) > arena.MaxFileSize {
		return nil, arena.Invalid("file", "err.file.large", arena.F{"max": arena.MaxFileSize >> 20})
	} else if err != nil {
		return nil, arena.Invalid("file", "err.body_read")
	}
	return data, nil
}

func (fr fileRoutes) add(w http.ResponseWriter, r *http.Request) {
	s := fr.s
	err := func() error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		if _, err := arena.RequireActor(r.Context()); err != nil {
			return err
		}
		data, err := ReadUpload(r.Body)
		if err != nil {
			return err
		}
		f, err := fr.files.Add(r.Context(), id, r.URL.Query().Get("name"), data)
		if err != nil {
			return err
		}
		s.writeJSON(w, r, http.StatusCreated, f)
		return nil
	}()
	if err != nil {
		s.WriteError(w, r, err)
	}
}

func (fr fileRoutes) get(w http.ResponseWriter, r *http.Request) {
	s := fr.s
	id, err := pathID(r)
	if err == nil {
		var fid int64
		if fid, err = fileID(r); err == nil {
			var f *arena.File
			var data []byte
			if f, data, err = fr.files.Content(r.Context(), id, fid); err == nil {
				ServeFile(w, f, data)
				return
			}
		}
	}
	s.WriteError(w, r, err)
}

// ServeFile answers with a stored file as a download: its own type, never
// sniffed, never shown in the browser's page.
func ServeFile(w http.ResponseWriter, f *arena.File, data []byte) {
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox")
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}

func (fr fileRoutes) delete(w http.ResponseWriter, r *http.Request) {
	s := fr.s
	id, err := pathID(r)
	if err == nil {
		var fid int64
		if fid, err = fileID(r); err == nil {
			if err = fr.files.Delete(r.Context(), id, fid); err == nil {
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
	}
	s.WriteError(w, r, err)
}
