package eforms

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dataDir is the reference data folder: ARENA_TEST_DATA_DIR, else the
// shared folder beside the repository, seen from this package.
func dataDir() string {
	if d := os.Getenv("ARENA_TEST_DATA_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "data")
}

// example returns the eForms SDK example notice name, skipping the test
// when the data folder lacks it.
func example(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(dataDir(), "eforms", "examples", name))
	if errors.Is(err, os.ErrNotExist) {
		tb.Skipf("eForms example %s not found; set ARENA_TEST_DATA_DIR", name)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// mustParseString parses s and fails the test on an error.
func mustParseString(tb testing.TB, s string) *Notice {
	tb.Helper()
	n, err := Parse(strings.NewReader(s))
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// parseErr parses s and returns its *Error, failing the test when Parse
// succeeds or returns another type.
func parseErr(tb testing.TB, s string) *Error {
	tb.Helper()
	n, err := Parse(strings.NewReader(s))
	if err == nil {
		tb.Fatalf("Parse succeeded: %+v", n)
	}
	if n != nil {
		tb.Errorf("Parse returned a notice with its error %v", err)
	}
	var e *Error
	if !errors.As(err, &e) {
		tb.Fatalf("error %T %v is not an *Error", err, err)
	}
	return e
}

// replace is strings.Replace that fails the test when old is not there,
// so that a changed example cannot turn a test into a no-op.
func replace(tb testing.TB, s, old, new string, n int) string {
	tb.Helper()
	if !strings.Contains(s, old) {
		tb.Fatalf("%q not in the notice", old)
	}
	return strings.Replace(s, old, new, n)
}

// block is the first element of s from open up to and including close.
func block(tb testing.TB, s, open, close string) string {
	tb.Helper()
	i := strings.Index(s, open)
	j := strings.Index(s, close)
	if i < 0 || j < i {
		tb.Fatalf("%s…%s not in the notice", open, close)
	}
	return s[i : j+len(close)]
}

// minimalPIN is a small Swedish prior information notice with one part,
// written for these tests (the SDK's examples are all maximal).
const minimalPIN = `<?xml version="1.0" encoding="UTF-8"?>
<PriorInformationNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:PriorInformationNotice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
 xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
 xmlns:efac="http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1"
 xmlns:efext="http://data.europa.eu/p27/eforms-ubl-extensions/1">
 <ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent><efext:EformsExtension>
  <efac:NoticeSubType><cbc:SubTypeCode listName="notice-subtype">4</cbc:SubTypeCode></efac:NoticeSubType>
  <efac:Organizations><efac:Organization><efac:Company>
   <cbc:WebsiteURI>https://www.falun.se</cbc:WebsiteURI>
   <cac:PartyIdentification><cbc:ID schemeName="organization">ORG-0001</cbc:ID></cac:PartyIdentification>
   <cac:PartyName><cbc:Name languageID="SWE">Falu kommun</cbc:Name></cac:PartyName>
   <cac:PostalAddress><cac:Country><cbc:IdentificationCode listName="country">SWE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
   <cac:PartyLegalEntity><cbc:CompanyID>212000-2411</cbc:CompanyID></cac:PartyLegalEntity>
   <cac:Contact><cbc:ElectronicMail>upphandling@falun.se</cbc:ElectronicMail></cac:Contact>
  </efac:Company></efac:Organization></efac:Organizations>
 </efext:EformsExtension></ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>
 <cbc:ID schemeName="notice-id">3f2504e0-4f89-41d3-9a0c-0305e82c3301</cbc:ID>
 <cbc:IssueDate>2026-02-01Z</cbc:IssueDate>
 <cbc:VersionID>01</cbc:VersionID>
 <cbc:NoticeTypeCode listName="planning">pin-only</cbc:NoticeTypeCode>
 <cbc:NoticeLanguageCode>SWE</cbc:NoticeLanguageCode>
 <cac:ContractingParty><cac:Party><cac:PartyIdentification><cbc:ID schemeName="organization">ORG-0001</cbc:ID></cac:PartyIdentification></cac:Party></cac:ContractingParty>
 <cac:ProcurementProject>
  <cbc:Name languageID="SWE">Trygghetslarm</cbc:Name>
  <cac:MainCommodityClassification><cbc:ItemClassificationCode listName="cpv">32235000</cbc:ItemClassificationCode></cac:MainCommodityClassification>
 </cac:ProcurementProject>
 <cac:ProcurementProjectLot>
  <cbc:ID schemeName="Part">PAR-0001</cbc:ID>
  <cac:ProcurementProject>
   <cbc:Name languageID="SWE">Digitala trygghetslarm</cbc:Name>
   <cac:RequestedTenderTotal><cbc:EstimatedOverallContractAmount currencyID="SEK">1500000</cbc:EstimatedOverallContractAmount></cac:RequestedTenderTotal>
   <cac:PlannedPeriod><cbc:StartDate>2027-01-01+01:00</cbc:StartDate><cbc:EndDate>2030-12-31+01:00</cbc:EndDate></cac:PlannedPeriod>
  </cac:ProcurementProject>
 </cac:ProcurementProjectLot>
</PriorInformationNotice>
`
