package eforms

import (
	"reflect"
	"strings"
	"testing"
)

// The SDK's maximal PIN-only notice, every field Notice has, exactly.
func TestParseExample(t *testing.T) {
	doc := example(t, "pin-only_24_maximal.xml")
	got := mustParseString(t, doc)
	want := &Notice{
		ID:               "9fe2b9d7-c32a-4dcb-af3f-35bf584d0abb",
		Version:          "03",
		IssueDate:        "2023-05-23",
		SubType:          "4",
		Type:             "pin-only",
		Language:         "ENG",
		FutureNoticeDate: "2023-09-01",
		Buyer: Party{
			Ref:       "ORG-0001",
			Name:      "Buyer Name",
			CompanyID: "VAT12341",
			Country:   "LUX",
			Email:     "info@example.com",
			Website:   "https://www.example.com",
		},
		Procedure: Lot{
			Title:          "Procurement Title ---",
			Description:    "Description ---",
			MainCPV:        "79622000",
			AdditionalCPV:  []string{"79624000"},
			EstimatedValue: &Amount{Value: "9999999.99", Currency: "EUR"},
		},
		Lots: []Lot{{
			ID:             "PAR-0000",
			Title:          "Part Title ---",
			Description:    "Description ---",
			MainCPV:        "79622000",
			EstimatedValue: &Amount{Value: "9999999.99", Currency: "EUR"},
			PlannedStart:   "2024-03-01",
			PlannedEnd:     "2024-09-01",
		}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse(pin-only_24_maximal.xml) =\n%+v\nwant\n%+v", got, want)
	}
	if v, ok := got.Lots[0].EstimatedValue.SEK(); ok {
		t.Errorf("a EUR value gave %d SEK", v)
	}

	// The prefixes are the notice's choice: other ones read the same.
	renamed := doc
	for _, p := range []string{"cbc", "cac", "ext", "efac", "efext", "efbc"} {
		renamed = strings.ReplaceAll(renamed, "<"+p+":", "<x"+p+":")
		renamed = strings.ReplaceAll(renamed, "</"+p+":", "</x"+p+":")
		renamed = strings.ReplaceAll(renamed, "xmlns:"+p+"=", "xmlns:x"+p+"=")
	}
	if strings.Contains(renamed, "<cbc:") {
		t.Fatal("prefixes not renamed")
	}
	if got := mustParseString(t, renamed); !reflect.DeepEqual(got, want) {
		t.Errorf("with other prefixes =\n%+v\nwant\n%+v", got, want)
	}
}

// A small Swedish notice: a Swedish buyer, a SEK value, a lot taking the
// procedure's CPV code.
func TestParseMinimal(t *testing.T) {
	got := mustParseString(t, minimalPIN)
	want := &Notice{
		ID:        "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
		Version:   "01",
		IssueDate: "2026-02-01",
		SubType:   "4",
		Type:      "pin-only",
		Language:  "SWE",
		Buyer: Party{
			Ref:       "ORG-0001",
			Name:      "Falu kommun",
			CompanyID: "212000-2411",
			Country:   "SWE",
			Email:     "upphandling@falun.se",
			Website:   "https://www.falun.se",
		},
		Procedure: Lot{Title: "Trygghetslarm", MainCPV: "32235000"},
		Lots: []Lot{{
			ID:             "PAR-0001",
			Title:          "Digitala trygghetslarm",
			MainCPV:        "32235000",
			EstimatedValue: &Amount{Value: "1500000", Currency: "SEK"},
			PlannedStart:   "2027-01-01",
			PlannedEnd:     "2030-12-31",
		}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse(minimalPIN) =\n%+v\nwant\n%+v", got, want)
	}
	if v, ok := got.Lots[0].EstimatedValue.SEK(); !ok || v != 1500000 {
		t.Errorf("SEK() = %d, %v, want 1500000, true", v, ok)
	}
}

// manyLots is the example with three more lots after its part: PAR-0001
// with two languages, its own CPV codes and a SEK value but no
// description or dates; a group of lots; and PAR-0002 with nothing but
// its ID. The procedure's description is made distinguishable.
func manyLots(t *testing.T) string {
	doc := example(t, "pin-only_24_maximal.xml")
	doc = replace(t, doc, `<cbc:Description languageID="ENG">Description ---</cbc:Description>`,
		`<cbc:Description languageID="ENG">Procedure description ---</cbc:Description>`, 1)
	lot := block(t, doc, "<cac:ProcurementProjectLot>", "</cac:ProcurementProjectLot>")
	second := replace(t, lot, `<cbc:ID schemeName="Part">PAR-0000</cbc:ID>`, `<cbc:ID schemeName="Part">PAR-0001</cbc:ID>`, 1)
	second = replace(t, second, `<cbc:Name languageID="ENG">Part Title ---</cbc:Name>`,
		`<cbc:Name languageID="SWE">Trygghetslarm</cbc:Name><cbc:Name languageID="ENG">Social alarms</cbc:Name>`, 1)
	second = replace(t, second, `<cbc:Description languageID="ENG">Description ---</cbc:Description>`, "", 1)
	second = replace(t, second, `<cbc:EstimatedOverallContractAmount currencyID="EUR">9999999.99<`,
		`<cbc:EstimatedOverallContractAmount currencyID="SEK">2500000.50<`, 1)
	second = replace(t, second, ">79622000<", ">32235000<", 1)
	second = replace(t, second, "</cac:MainCommodityClassification>", `</cac:MainCommodityClassification>
		<cac:AdditionalCommodityClassification><cbc:ItemClassificationCode listName="cpv">48000000</cbc:ItemClassificationCode></cac:AdditionalCommodityClassification>
		<cac:AdditionalCommodityClassification><cbc:ItemClassificationCode listName="cpv">32500000</cbc:ItemClassificationCode></cac:AdditionalCommodityClassification>`, 1)
	second = strings.Replace(second, block(t, second, "<cac:PlannedPeriod>", "</cac:PlannedPeriod>"), "", 1)
	group := `<cac:ProcurementProjectLot><cbc:ID schemeName="LotsGroup">GLO-0001</cbc:ID>
		<cac:ProcurementProject><cbc:Name languageID="ENG">A group</cbc:Name></cac:ProcurementProject></cac:ProcurementProjectLot>`
	bare := `<cac:ProcurementProjectLot><cbc:ID schemeName="Part">PAR-0002</cbc:ID>
		<cac:ProcurementProject><cbc:ProcurementTypeCode listName="contract-nature">services</cbc:ProcurementTypeCode></cac:ProcurementProject></cac:ProcurementProjectLot>`
	return replace(t, doc, lot, lot+second+group+bare, 1)
}

// Lots: the notice language chooses among titles, a group of lots is no
// lot, and a lot lacking title, description or CPV takes the procedure's.
func TestParseLots(t *testing.T) {
	doc := manyLots(t)
	n := mustParseString(t, doc)
	want := []Lot{{
		ID:             "PAR-0000",
		Title:          "Part Title ---",
		Description:    "Description ---",
		MainCPV:        "79622000",
		EstimatedValue: &Amount{Value: "9999999.99", Currency: "EUR"},
		PlannedStart:   "2024-03-01",
		PlannedEnd:     "2024-09-01",
	}, {
		ID:             "PAR-0001",
		Title:          "Social alarms",
		Description:    "Procedure description ---",
		MainCPV:        "32235000",
		AdditionalCPV:  []string{"48000000", "32500000"},
		EstimatedValue: &Amount{Value: "2500000.50", Currency: "SEK"},
	}, {
		ID:            "PAR-0002",
		Title:         "Procurement Title ---",
		Description:   "Procedure description ---",
		MainCPV:       "79622000",
		AdditionalCPV: []string{"79624000"},
	}}
	if !reflect.DeepEqual(n.Lots, want) {
		t.Errorf("Lots =\n%+v\nwant\n%+v", n.Lots, want)
	}
	if v, ok := n.Lots[1].EstimatedValue.SEK(); !ok || v != 2500001 {
		t.Errorf("SEK() = %d, %v, want 2500001, true", v, ok)
	}

	sv := mustParseString(t, replace(t, doc, "<cbc:NoticeLanguageCode>ENG<", "<cbc:NoticeLanguageCode>SWE<", 1))
	if got := sv.Lots[1].Title; got != "Trygghetslarm" {
		t.Errorf("title of a SWE notice = %q, want Trygghetslarm", got)
	}
	fi := mustParseString(t, replace(t, doc, "<cbc:NoticeLanguageCode>ENG<", "<cbc:NoticeLanguageCode>FIN<", 1))
	if got := fi.Lots[1].Title; got != "Trygghetslarm" {
		t.Errorf("title of a FIN notice = %q, want the first, Trygghetslarm", got)
	}
}

// A notice without lots is one lot: the procedure.
func TestParseNoLots(t *testing.T) {
	doc := example(t, "pin-only_24_maximal.xml")
	doc = strings.Replace(doc, block(t, doc, "<cac:ProcurementProjectLot>", "</cac:ProcurementProjectLot>"), "", 1)
	n := mustParseString(t, doc)
	want := []Lot{{
		Title:          "Procurement Title ---",
		Description:    "Description ---",
		MainCPV:        "79622000",
		AdditionalCPV:  []string{"79624000"},
		EstimatedValue: &Amount{Value: "9999999.99", Currency: "EUR"},
	}}
	if !reflect.DeepEqual(n.Lots, want) {
		t.Errorf("Lots =\n%+v\nwant\n%+v", n.Lots, want)
	}
	n.Lots[0].AdditionalCPV[0] = "changed"
	if n.Procedure.AdditionalCPV[0] != "79624000" {
		t.Error("the lot shares its CPV slice with Procedure")
	}
}

// Problems of content, each named by code, element path and value.
func TestParseContentErrors(t *testing.T) {
	doc := example(t, "pin-only_24_maximal.xml")
	lots := manyLots(t)
	const (
		root      = "PriorInformationNotice"
		lot1      = root + "/cac:ProcurementProjectLot[1]/cac:ProcurementProject"
		procTitle = `<cbc:Name languageID="ENG">Procurement Title ---</cbc:Name>`
		lotTitle  = `<cbc:Name languageID="ENG">Part Title ---</cbc:Name>`
	)
	party := block(t, doc, "<cac:ContractingParty>", "</cac:ContractingParty>")
	// The lot's main CPV code, not the procedure's (the same code, earlier).
	i := strings.LastIndex(doc, ">79622000<")
	shortCPV := doc[:i] + ">7962200<" + doc[i+len(">79622000<"):]
	tests := []struct {
		name    string
		doc     string
		code    string
		element string
		value   string
	}{{
		name:    "no title anywhere",
		doc:     replace(t, replace(t, doc, lotTitle, "", 1), procTitle, "", 1),
		code:    CodeMissing,
		element: lot1 + "/cbc:Name",
		value:   "PAR-0000",
	}, {
		name: "an empty title",
		doc: replace(t, replace(t, doc, lotTitle, `<cbc:Name languageID="ENG"> </cbc:Name>`, 1),
			procTitle, "", 1),
		code:    CodeMissing,
		element: lot1 + "/cbc:Name",
		value:   "PAR-0000",
	}, {
		name: "the third lot element without title",
		doc: replace(t, replace(t, lots, `<cbc:Name languageID="SWE">Trygghetslarm</cbc:Name><cbc:Name languageID="ENG">Social alarms</cbc:Name>`, "", 1),
			procTitle, "", 1),
		code:    CodeMissing,
		element: root + "/cac:ProcurementProjectLot[2]/cac:ProcurementProject/cbc:Name",
		value:   "PAR-0001",
	}, {
		name:    "no lots, no procedure title",
		doc:     replace(t, replace(t, doc, block(t, doc, "<cac:ProcurementProjectLot>", "</cac:ProcurementProjectLot>"), "", 1), procTitle, "", 1),
		code:    CodeMissing,
		element: root + "/cac:ProcurementProject/cbc:Name",
	}, {
		name:    "a lot without ID",
		doc:     replace(t, doc, `<cbc:ID schemeName="Part">PAR-0000</cbc:ID>`, "", 1),
		code:    CodeMissing,
		element: root + "/cac:ProcurementProjectLot[1]/cbc:ID",
	}, {
		name:    "no buyer",
		doc:     replace(t, doc, party, "", 1),
		code:    CodeMissing,
		element: root + "/cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID",
	}, {
		name:    "a buyer not among the organisations",
		doc:     replace(t, doc, party, replace(t, party, ">ORG-0001<", ">ORG-0099<", 1), 1),
		code:    CodeMissing,
		element: root + "/ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension/efac:Organizations/efac:Organization/efac:Company/cac:PartyIdentification/cbc:ID",
		value:   "ORG-0099",
	}, {
		name:    "a buyer without name",
		doc:     replace(t, doc, `<cbc:Name languageID="ENG">Buyer Name</cbc:Name>`, "", 1),
		code:    CodeMissing,
		element: root + "/ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension/efac:Organizations/efac:Organization[1]/efac:Company/cac:PartyName/cbc:Name",
	}, {
		name:    "no notice ID",
		doc:     replace(t, doc, `<cbc:ID schemeName="notice-id">9fe2b9d7-c32a-4dcb-af3f-35bf584d0abb</cbc:ID>`, "", 1),
		code:    CodeMissing,
		element: root + "/cbc:ID",
	}, {
		name:    "a lot's CPV code of 7 digits",
		doc:     shortCPV,
		code:    CodeInvalidCPV,
		element: lot1 + "/cac:MainCommodityClassification/cbc:ItemClassificationCode",
		value:   "7962200",
	}, {
		name:    "the procedure's additional CPV code with its check digit",
		doc:     replace(t, doc, ">79624000<", ">79624000-3<", 1),
		code:    CodeInvalidCPV,
		element: root + "/cac:ProcurementProject/cac:AdditionalCommodityClassification[1]/cbc:ItemClassificationCode",
		value:   "79624000-3",
	}, {
		name:    "a CPV code with letters",
		doc:     replace(t, lots, ">48000000<", ">4800000X<", 1),
		code:    CodeInvalidCPV,
		element: root + "/cac:ProcurementProjectLot[2]/cac:ProcurementProject/cac:AdditionalCommodityClassification[1]/cbc:ItemClassificationCode",
		value:   "4800000X",
	}, {
		name:    "a month 13",
		doc:     replace(t, doc, "<cbc:StartDate>2024-03-01+01:00<", "<cbc:StartDate>2024-13-01+01:00<", 1),
		code:    CodeInvalidDate,
		element: lot1 + "/cac:PlannedPeriod/cbc:StartDate",
		value:   "2024-13-01+01:00",
	}, {
		name:    "a date with a time",
		doc:     replace(t, doc, "<cbc:IssueDate>2023-05-23+01:00<", "<cbc:IssueDate>2023-05-23T10:00:00<", 1),
		code:    CodeInvalidDate,
		element: root + "/cbc:IssueDate",
		value:   "2023-05-23T10:00:00",
	}, {
		name:    "an amount with thousands separators",
		doc:     replace(t, doc, ">9999999.99<", ">9,999,999.99<", 1),
		code:    CodeInvalidAmount,
		element: root + "/cac:ProcurementProject/cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount",
		value:   "9,999,999.99",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := parseErr(t, tt.doc)
			if e.Code != tt.code || e.Element != tt.element || e.Value != tt.value {
				t.Errorf("error {%s %s %q}, want {%s %s %q}", e.Code, e.Element, e.Value, tt.code, tt.element, tt.value)
			}
			if !strings.Contains(e.Error(), tt.element) {
				t.Errorf("Error() = %q does not name %s", e.Error(), tt.element)
			}
		})
	}

	// A lot without its own title takes the procedure's: no error.
	n := mustParseString(t, replace(t, doc, lotTitle, "", 1))
	if got := n.Lots[0].Title; got != "Procurement Title ---" {
		t.Errorf("title of a lot without one = %q, want the procedure's", got)
	}
}

func TestAmountSEK(t *testing.T) {
	tests := []struct {
		a    Amount
		want int64
		ok   bool
	}{
		{Amount{"1500000", "SEK"}, 1500000, true},
		{Amount{"2500000.50", "SEK"}, 2500001, true},
		{Amount{"2500000.49", "SEK"}, 2500000, true},
		{Amount{"0.5", "SEK"}, 1, true},
		{Amount{"-3.5", "SEK"}, -4, true},
		{Amount{"9223372036854775807", "SEK"}, 9223372036854775807, true},
		{Amount{"9223372036854775807.5", "SEK"}, 0, false},
		{Amount{"9223372036854775808", "SEK"}, 0, false},
		{Amount{"1500000", "EUR"}, 0, false},
		{Amount{"1500000", "sek"}, 0, false},
		{Amount{"", "SEK"}, 0, false},
		{Amount{"12.", "SEK"}, 0, false},
		{Amount{".5", "SEK"}, 0, false},
		{Amount{"1e6", "SEK"}, 0, false},
		{Amount{"1 500 000", "SEK"}, 0, false},
	}
	for _, tt := range tests {
		got, ok := tt.a.SEK()
		if got != tt.want || ok != tt.ok {
			t.Errorf("%+v.SEK() = %d, %v, want %d, %v", tt.a, got, ok, tt.want, tt.ok)
		}
	}
}
