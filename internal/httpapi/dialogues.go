package httpapi

import (
	"net/http"
	"reflect"
	"strconv"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/export"
	"github.com/arena-se/arena/internal/openapi"
)

func (s *Server) registerDialogueRoutes() {
	s.handle("GET", "/api/v1/dialogues/{id}/summary", s.handleDialogueSummary)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/dialogues/{id}/summary", OperationID: "dialogueSummary", Tag: "dialogues", Auth: true,
		Summary:  "A dialogue's answers with their suppliers, its questions (without who asked) and its meeting's registrations: for the publisher only",
		Response: reflect.TypeFor[arena.DialogueSummary]()})
	s.handle("GET", "/api/v1/dialogues/{id}/export", s.handleDialogueExport)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/dialogues/{id}/export", OperationID: "dialogueExport", Tag: "dialogues", Auth: true, Status: 200,
		Summary: "The answers as a table for the publisher: one row per supplier, one column per question; CSV for Excel (UTF-8 with BOM, semicolons) or XLSX; column names in the language Accept-Language asks for",
		Params:  []openapi.Param{{Name: "format", In: "query", Type: "string", Enum: []string{export.CSV, export.XLSX}, Description: "csv (the default) or xlsx"}}})
}

func (s *Server) handleDialogueSummary(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		var sum *arena.DialogueSummary
		if sum, err = s.db.DialogueSummary(r.Context(), id); err == nil {
			s.writeJSON(w, r, http.StatusOK, sum)
			return
		}
	}
	s.WriteError(w, r, err)
}

func (s *Server) handleDialogueExport(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		// The right first: a format is checked for those who may export.
		var sum *arena.DialogueSummary
		if sum, err = s.db.DialogueSummary(r.Context(), id); err == nil {
			format := r.URL.Query().Get("format")
			if format == "" {
				format = export.CSV
			}
			if err = export.CheckFormat("format", format); err == nil {
				err = ServeTable(w, r, s.app.Limits, format, "dialog-"+strconv.FormatInt(id, 10), func() (*export.Table, error) {
					return export.DialogueAnswers(sum, s.app.Texts.For(apiLang(r))), nil
				})
				if err == nil {
					return
				}
			}
		}
	}
	s.WriteError(w, r, err)
}
