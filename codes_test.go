package arena

import (
	"encoding/json"
	"testing"
)

func TestNormalizeOrgNumber(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"212000-2411", "212000-2411", true}, // Falu kommun
		{"2120002411", "212000-2411", true},
		{" 212000-2411 ", "212000-2411", true},
		{"212000-2412", "", false}, // wrong Luhn digit
		{"21200-02411", "", false}, // hyphen in the wrong place
		{"212000241", "", false},
		{"21200024111", "", false},
		{"21200a-2411", "", false},
		{"", "", false},
		{"000000-0000", "", false}, // passes Luhn, but a placeholder
		{"0000000000", "", false},
		{"000000-0018", "", false},           // a first group of zeros (Luhn-valid)
		{"123456-7897", "123456-7897", true}, // a real-looking number
		{"5555555555", "", false},            // one digit throughout (wrong check digit too)
	} {
		got, err := NormalizeOrgNumber(tc.in)
		if tc.ok && (err != nil || got != tc.want) {
			t.Errorf("NormalizeOrgNumber(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
		if !tc.ok && (err == nil || ErrorField(err) != "org_number") {
			t.Errorf("NormalizeOrgNumber(%q) = %q, %v; want an org_number error", tc.in, got, err)
		}
	}
}

func TestSplitCPV(t *testing.T) {
	for _, tc := range []struct {
		in, code, check string
		ok              bool
	}{
		{"33196000-0", "33196000", "0", true},
		{"33196000", "33196000", "", true},
		{"3319600", "", "", false},
		{"33196000-", "", "", false},
		{"33196000-00", "", "", false},
		{"3319600X-0", "", "", false},
	} {
		code, check, err := SplitCPV(tc.in)
		if (err == nil) != tc.ok || code != tc.code || check != tc.check {
			t.Errorf("SplitCPV(%q) = %q, %q, %v", tc.in, code, check, err)
		}
	}
}

func TestDateJSON(t *testing.T) {
	var v struct {
		D *Date `json:"d"`
	}
	if err := json.Unmarshal([]byte(`{"d":"2022-12-31"}`), &v); err != nil || v.D.String() != "2022-12-31" {
		t.Fatalf("unmarshal: %v %v", v.D, err)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"d":"2022-12-31"}` {
		t.Fatalf("marshal: %s", b)
	}
	if err := json.Unmarshal([]byte(`{"d":"31/12/2022"}`), &v); err == nil {
		t.Fatal("a malformed date was accepted")
	}
}

func TestSCBCodeForm(t *testing.T) {
	if !ValidSCBCode(OrgKommun, "2080") || ValidSCBCode(OrgKommun, "20") || !ValidSCBCode(OrgRegion, "20") || ValidSCBCode(OrgAgency, "2080") {
		t.Fatal("SCB code forms wrong")
	}
}
