package httpapi

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/openapi"
)

// FileList is a deliverable's files.
type FileList struct {
	Items []*arena.DeliverableFile `json:"items"`
}

func (s *Server) registerFileRoutes() {
	s.handle("GET", "/api/v1/deliverables/{id}/files", s.handleFiles)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/deliverables/{id}/files", OperationID: "deliverableFiles", Tag: "networks",
		Summary: "A deliverable's files (whoever may see the deliverable)", Response: reflect.TypeFor[FileList]()})
	s.handleBody("POST", "/api/v1/deliverables/{id}/files", arena.MaxFileSize+1, s.handleFileAdd)
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/deliverables/{id}/files", OperationID: "addDeliverableFile", Tag: "networks", Auth: true, Status: 201,
		Summary:  "Put a file on a deliverable (those who may change it): the body is the file, ?name= its name; PDF, DOCX, XLSX or ODT by content, at most 10 MB, at most 10 files",
		Params:   []openapi.Param{{Name: "name", In: "query", Type: "string", Required: true, Description: "the file's name, with the extension of its type"}},
		Response: reflect.TypeFor[arena.DeliverableFile]()})
	s.handle("GET", "/api/v1/deliverables/{id}/files/{file}", s.handleFileGet)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/deliverables/{id}/files/{file}", OperationID: "deliverableFile", Tag: "networks",
		Summary: "Download a file of a deliverable (whoever may see the deliverable); the body is the file", Status: 200})
	s.handle("DELETE", "/api/v1/deliverables/{id}/files/{file}", s.handleFileDelete)
	s.doc(openapi.Operation{Method: "DELETE", Path: "/api/v1/deliverables/{id}/files/{file}", OperationID: "deleteDeliverableFile", Tag: "networks", Auth: true, Status: 204,
		Summary: "Remove a file of a deliverable (those who may change it)"})
}

func fileID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("file"), 10, 64)
	if err != nil || id <= 0 {
		return 0, arena.NotFound("file")
	}
	return id, nil
}

func (s *Server) handleFiles(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		var items []*arena.DeliverableFile
		if items, err = s.app.DB.Files(r.Context(), id); err == nil {
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

func (s *Server) handleFileAdd(w http.ResponseWriter, r *http.Request) {
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
		f, err := s.app.DB.AddFile(r.Context(), id, r.URL.Query().Get("name"), data)
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

func (s *Server) handleFileGet(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		var fid int64
		if fid, err = fileID(r); err == nil {
			var f *arena.DeliverableFile
			var data []byte
			if f, data, err = s.app.DB.FileContent(r.Context(), id, fid); err == nil {
				ServeFile(w, f, data)
				return
			}
		}
	}
	s.WriteError(w, r, err)
}

// ServeFile answers with a stored file as a download: its own type, never
// sniffed, never shown in the browser's page.
func ServeFile(w http.ResponseWriter, f *arena.DeliverableFile, data []byte) {
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox")
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}

func (s *Server) handleFileDelete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		var fid int64
		if fid, err = fileID(r); err == nil {
			if err = s.app.DB.DeleteFile(r.Context(), id, fid); err == nil {
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
	}
	s.WriteError(w, r, err)
}
