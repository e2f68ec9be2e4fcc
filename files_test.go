package arena

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

// zipDoc makes a zip file with the entries (name → content), as office
// documents are.
func zipDoc(t testing.TB, entries ...[2]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		w, err := zw.Create(e[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCheckUpload(t *testing.T) {
	pdf := []byte("%PDF-1.7\n%%EOF\n")
	docx := zipDoc(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"word/document.xml", "<w:document/>"})
	xlsx := zipDoc(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"xl/workbook.xml", "<workbook/>"})
	odt := zipDoc(t, [2]string{"mimetype", TypeODT}, [2]string{"content.xml", "<office:document-content/>"})
	ods := zipDoc(t, [2]string{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"})
	plainZip := zipDoc(t, [2]string{"a.txt", "hej"})
	for _, c := range []struct {
		name string
		file string
		data []byte
		typ  string
		code string
	}{
		{"a PDF", "kravspecifikation.pdf", pdf, TypePDF, ""},
		{"a DOCX", "Kravspecifikation v2.DOCX", docx, TypeDOCX, ""},
		{"an XLSX", "prisbilaga.xlsx", xlsx, TypeXLSX, ""},
		{"an ODT", "rapport.odt", odt, TypeODT, ""},
		{"a spreadsheet of OpenDocument", "kalkyl.ods", ods, "", EINVALID},
		{"a zip", "arkiv.zip", plainZip, "", EINVALID},
		{"HTML named PDF", "spec.pdf", []byte("<html><script>alert(1)</script></html>"), "", EINVALID},
		{"a PDF named DOCX", "spec.docx", pdf, "", EINVALID},
		{"empty", "tom.pdf", nil, "", EINVALID},
		{"too large", "stor.pdf", append(pdf, make([]byte, MaxFileSize)...), "", EINVALID},
		{"a folder in the name", "../spec.pdf", pdf, "", EINVALID},
		{"a Windows folder", `C:\spec.pdf`, pdf, "", EINVALID},
		{"a quote in the name", `spec".pdf`, pdf, "", EINVALID},
		{"no name", "", pdf, "", EINVALID},
		{"a long name", strings.Repeat("a", NameMax) + ".pdf", pdf, "", EINVALID},
	} {
		typ, err := CheckUpload(c.file, c.data, 0)
		wantErr(t, c.name, err, c.code, map[bool]string{true: "file", false: ""}[c.code != ""])
		if typ != c.typ {
			t.Errorf("%s: type %q, want %q", c.name, typ, c.typ)
		}
	}
	_, err := CheckUpload("spec.pdf", pdf, MaxFilesPerOwner)
	wantErr(t, "one file too many", err, ECONFLICT, "file")
}

// FuzzDetectFileType: any bytes give a type or none, without panicking,
// and a type only for content that starts as the type's does.
func FuzzDetectFileType(f *testing.F) {
	f.Add([]byte("%PDF-1.4"))
	f.Add(zipDoc(f, [2]string{"[Content_Types].xml", ""}, [2]string{"word/document.xml", ""}))
	f.Add(zipDoc(f, [2]string{"mimetype", TypeODT}))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		typ := DetectFileType(data)
		switch typ {
		case "":
		case TypePDF:
			if !bytes.HasPrefix(data, []byte("%PDF-")) {
				t.Fatalf("PDF without its header")
			}
		case TypeDOCX, TypeXLSX, TypeODT:
			if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
				t.Fatalf("%s that is not a zip", typ)
			}
		default:
			t.Fatalf("unknown type %q", typ)
		}
		if _, err := CheckUpload("f.pdf", data, 0); err != nil && ErrorField(err) != "file" {
			t.Fatalf("CheckUpload names %q", ErrorField(err))
		}
	})
}
