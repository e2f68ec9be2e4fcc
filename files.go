package arena

import (
	"archive/zip"
	"bytes"
	"io"
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

// ---------------------------------------------------------------------------
// Files of deliverables and dialogues
//
// A network's deliverable (a requirement specification, a market
// analysis) is a document, and a market dialogue has its documents; their
// files are stored by the server, in the database, and downloaded by
// whoever may see the record they belong to. Only the document formats
// procurement officers use are taken (PDF, DOCX, XLSX, ODT), each
// recognised by its content, not by its name or by what the browser says.

// File is a stored file of a deliverable or a dialogue (its owner, named
// by the address it is read at), without its content.
type File struct {
	ID          int64     `json:"id"`
	OwnerID     int64     `json:"-"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"created_at"`
}

// MaxFileSize bounds a file's size.
const MaxFileSize = 10 << 20

// MaxFilesPerOwner bounds how many files a deliverable or a dialogue has.
const MaxFilesPerOwner = 10

// File kinds, by their content.
const (
	TypePDF  = "application/pdf"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypeODT  = "application/vnd.oasis.opendocument.text"
)

// fileExt is the extension a name must have for each type.
var fileExt = map[string]string{TypePDF: ".pdf", TypeDOCX: ".docx", TypeXLSX: ".xlsx", TypeODT: ".odt"}

// maxZipEntries bounds the entries a document's zip directory is read for.
const maxZipEntries = 10000

// DetectFileType recognises a document by its content: a PDF by its
// header; DOCX, XLSX and ODT, which are zip files, by the entries their
// formats require. It reads the zip's directory only, never inflates an
// entry but ODT's short mimetype, and returns "" for anything else.
func DetectFileType(data []byte) string {
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		return TypePDF
	}
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return ""
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil || len(zr.File) > maxZipEntries {
		return ""
	}
	has := map[string]*zip.File{}
	for _, f := range zr.File {
		has[f.Name] = f
	}
	switch {
	case has["[Content_Types].xml"] != nil && has["word/document.xml"] != nil:
		return TypeDOCX
	case has["[Content_Types].xml"] != nil && has["xl/workbook.xml"] != nil:
		return TypeXLSX
	}
	if m := has["mimetype"]; m != nil && m.UncompressedSize64 < 100 {
		rc, err := m.Open()
		if err != nil {
			return ""
		}
		defer rc.Close()
		b, _ := io.ReadAll(io.LimitReader(rc, 100))
		if string(b) == TypeODT {
			return TypeODT
		}
	}
	return ""
}

// CheckUpload is the rule for a file put on a deliverable or a dialogue: a name of its
// own (no folders, at most NameMax characters, the extension of its
// type), not empty, at most MaxFileSize, one of the document types by its
// content, and at most MaxFilesPerOwner files (earlier is how many
// it has). It returns the file's type.
func CheckUpload(name string, data []byte, earlier int) (string, error) {
	base := path.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "" || base != name || base == "." || base == "/" || !utf8.ValidString(name) || strings.ContainsAny(name, "\x00\r\n\"") {
		return "", Invalid("file", "err.file.name")
	}
	if utf8.RuneCountInString(name) > NameMax {
		return "", Invalid("file", "err.too_long", F{"max": NameMax})
	}
	if len(data) == 0 {
		return "", Invalid("file", "err.file.empty")
	}
	if len(data) > MaxFileSize {
		return "", Invalid("file", "err.file.large", F{"max": MaxFileSize >> 20})
	}
	typ := DetectFileType(data)
	if typ == "" {
		return "", Invalid("file", "err.file.type")
	}
	if !strings.HasSuffix(strings.ToLower(name), fileExt[typ]) {
		return "", Invalid("file", "err.file.ext", F{"ext": fileExt[typ]})
	}
	if earlier >= MaxFilesPerOwner {
		return "", Conflict("file", "err.file.too_many", F{"max": MaxFilesPerOwner})
	}
	return typ, nil
}
