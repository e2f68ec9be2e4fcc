package arena

// Fuzz tests of what reaches the domain from outside: organisation
// numbers, CPV codes, dates and enumerated values as an API body, a form
// or report.json writes them, the text checks every record's Validate
// uses, and the Validate methods themselves. .ci/fuzz runs each for a few
// seconds; `go test` runs the seeds.

import (
	"encoding/json"
	"errors"
	"math"
	"net/mail"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// fzOrgNumbers are organisation numbers as people write them, right and
// wrong.
var fzOrgNumbers = []string{
	"212000-2411", "2120002411", " 212000-2411 ", "212000-2412", "21200-02411", "212000--2411", "-2120002411",
	"202100-5489", "556677-8899", "000000-0000", "0000000000", "000000-0018", "5555555555", "123456-7890", "0123456789",
	"212000\u00a02411", "２１２０００-２４１１", "21200a-2411", "212000-2411\x00", "\xff\xfe", "", "-",
	strings.Repeat("9", 1000),
}

// FuzzNormalizeOrgNumber: an accepted number is ten digits of the input
// in the form NNNNNN-NNNN, normalises to itself (with or without the
// hyphen), passes Luhn and is no placeholder; changing its check digit
// is always caught. A refused one is an EINVALID error on org_number.
func FuzzNormalizeOrgNumber(f *testing.F) {
	for _, s := range fzOrgNumbers {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := NormalizeOrgNumber(s)
		if err != nil {
			fzWantInvalid(t, err, "org_number")
			if n != "" {
				t.Fatalf("NormalizeOrgNumber(%q) = %q with error %v", s, n, err)
			}
			return
		}
		if len(n) != 11 || n[6] != '-' || !allDigits(n[:6]) || !allDigits(n[7:]) {
			t.Fatalf("NormalizeOrgNumber(%q) = %q, not NNNNNN-NNNN", s, n)
		}
		digits := n[:6] + n[7:]
		if in := strings.ReplaceAll(strings.TrimSpace(s), "-", ""); in != digits {
			t.Fatalf("NormalizeOrgNumber(%q) = %q: digits %q are not the input's %q", s, n, digits, in)
		}
		for _, again := range []string{n, digits} {
			if m, err := NormalizeOrgNumber(again); m != n || err != nil {
				t.Fatalf("NormalizeOrgNumber(%q) = %q, %v; want %q", again, m, err, n)
			}
		}
		if !luhnValid(digits) || testPattern(digits) {
			t.Fatalf("NormalizeOrgNumber(%q) = %q: Luhn %v, placeholder %v", s, n, luhnValid(digits), testPattern(digits))
		}
		for d := byte('0'); d <= '9'; d++ {
			if d == n[10] {
				continue
			}
			wrong := n[:10] + string(d)
			if _, err := NormalizeOrgNumber(wrong); ErrorMsg(err).Key != "err.org_number.check" {
				t.Fatalf("NormalizeOrgNumber(%q) with a wrong check digit: %v", wrong, err)
			}
		}
	})
}

// FuzzSplitCPV: an accepted code is 8 digits and an optional check
// digit that, joined again, are the trimmed input and split to the same;
// a need's code list agrees with SplitCPV code by code.
func FuzzSplitCPV(f *testing.F) {
	for _, s := range []string{"45000000-7", "45000000", "33196000-0", " 35121700-5 ", "3319600", "33196000-", "33196000-00",
		"3319600X-0", "-45000000", "45000000-7-7", "4500000０", "45000000\x00", "\xff", "", strings.Repeat("4", 9000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, check, err := SplitCPV(s)
		list, listErr := normalizeCPVList("cpv_codes", []string{s})
		if err != nil {
			fzWantInvalid(t, err, "cpv")
			if code != "" || check != "" || ErrorMsg(err).Key != "err.cpv.form" {
				t.Fatalf("SplitCPV(%q) = %q, %q, %v", s, code, check, err)
			}
			if ErrorField(listErr) != "cpv_codes" {
				t.Fatalf("a need's list took %q, which SplitCPV refuses: %v %v", s, list, listErr)
			}
			return
		}
		if len(code) != 8 || !allDigits(code) || (check != "" && (len(check) != 1 || !allDigits(check))) {
			t.Fatalf("SplitCPV(%q) = %q, %q", s, code, check)
		}
		joined := code
		if check != "" {
			joined += "-" + check
		}
		if joined != strings.TrimSpace(s) {
			t.Fatalf("SplitCPV(%q) = %q, %q: joined %q is not the input", s, code, check, joined)
		}
		if c2, k2, err := SplitCPV(joined); c2 != code || k2 != check || err != nil {
			t.Fatalf("SplitCPV(%q) = %q, %q, %v; want %q, %q", joined, c2, k2, err, code, check)
		}
		if listErr != nil || !slices.Equal(list, []string{code}) {
			t.Fatalf("a need's list of %q: %v, %v; want [%s]", s, list, listErr, code)
		}
	})
}

// FuzzDate: a date that parses writes back as the same text, as text and
// as JSON, and reads back as the same date; one that does not is an
// err.date error from the text and JSON readers alike.
func FuzzDate(f *testing.F) {
	for _, s := range []string{"2026-12-04", "2022-12-31", "2024-02-29", "2026-02-29", "0000-01-01", "9999-12-31", "2026-1-04",
		"2026-12-4", " 2026-12-04", "2026-12-04 ", "+202-01-01", "-202-01-01", "04/12/2026", "4 december 2026", "2026-12-04T10:00:00Z",
		`"2026-12-04"`, `"2026-13-01"`, `"2026-12-0\u0034"`, `null`, `""`, `"`, "2026-12-04\x00", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		var text Date
		textErr := text.UnmarshalText([]byte(s))
		if err != nil {
			if textErr == nil || ErrorMsg(textErr).Key != "err.date" || ErrorCode(textErr) != EINVALID {
				t.Fatalf("UnmarshalText(%q) = %v, %v; ParseDate refused it: %v", s, text, textErr, err)
			}
		} else {
			if got := d.String(); got != s {
				t.Fatalf("ParseDate(%q) writes back as %q", s, got)
			}
			if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
				t.Fatalf("ParseDate(%q) = %v: not midnight UTC", s, d.Time)
			}
			if textErr != nil || !text.Equal(d.Time) {
				t.Fatalf("UnmarshalText(%q) = %v, %v; want %v", s, text, textErr, d)
			}
			b, _ := d.MarshalJSON()
			var back Date
			if string(b) != `"`+s+`"` || back.UnmarshalJSON(b) != nil || !back.Equal(d.Time) {
				t.Fatalf("JSON of %q: %s reads back as %v", s, b, back)
			}
		}
		// The same input as a JSON value.
		var j Date
		if err := j.UnmarshalJSON([]byte(s)); err != nil {
			if ErrorMsg(err).Key != "err.date" {
				t.Fatalf("UnmarshalJSON(%q): %v", s, err)
			}
		} else if b, _ := j.MarshalJSON(); string(b) != s {
			t.Fatalf("UnmarshalJSON(%q) = %v writes back as %s", s, j, b)
		}
		var v struct {
			D *Date `json:"d"`
		}
		if json.Valid([]byte(s)) && json.Unmarshal([]byte(`{"d":`+s+`}`), &v) == nil && v.D != nil {
			if b, _ := json.Marshal(v.D); string(b) != strings.Trim(s, " \t\r\n") {
				t.Fatalf("json.Unmarshal of %s gave %v, which writes %s", s, v.D, b)
			}
		}
	})
}

// fzEnums are the enumerated types' values, for the fillers below and
// for FuzzEnums.
var fzEnums = map[reflect.Type][]string{
	reflect.TypeFor[OrgKind]():           append(Codes(OrgKinds), "Statlig myndighet", "kommunalförbund", " Lärosäte eller institut ", "KOMMUNALT BOLAG", "inköpscentral"),
	reflect.TypeFor[OrgRole]():           Codes(OrgRoles),
	reflect.TypeFor[OrgMemberStatus]():   Codes(OrgMemberStatuses),
	reflect.TypeFor[PlatformRole]():      Codes(PlatformRoles),
	reflect.TypeFor[Intent]():            Codes(Intents),
	reflect.TypeFor[Visibility]():        Codes(Visibilities),
	reflect.TypeFor[NetworkKind]():       Codes(NetworkKinds),
	reflect.TypeFor[NetworkStatus]():     Codes(NetworkStatuses),
	reflect.TypeFor[MemberRole]():        Codes(MemberRoles),
	reflect.TypeFor[MemberTier]():        Codes(MemberTiers),
	reflect.TypeFor[MemberStatus]():      Codes(MemberStatuses),
	reflect.TypeFor[ActivityKind]():      Codes(ActivityKinds),
	reflect.TypeFor[ActivityStatus]():    Codes(ActivityStatuses),
	reflect.TypeFor[DeliverableKind]():   Codes(DeliverableKinds),
	reflect.TypeFor[ProcurementStage]():  Codes(ProcurementStages),
	reflect.TypeFor[FollowThroughKind](): Codes(FollowThroughKinds),
	reflect.TypeFor[FunderKind]():        Codes(FunderKinds),
	reflect.TypeFor[ProjectCategory]():   Codes(ProjectCategories),
	reflect.TypeFor[Procedure]():         Codes(Procedures),
	reflect.TypeFor[ProjectPhase]():      Codes(ProjectPhases),
	reflect.TypeFor[ExpertKind]():        Codes(ExpertKinds),
}

// FuzzParseOrgKind: a kind is accepted exactly when it is one of
// OrgKinds, parses to itself, and is read alike in any case and with
// space around it.
func FuzzParseOrgKind(f *testing.F) {
	for _, s := range fzEnums[reflect.TypeFor[OrgKind]()] {
		f.Add(s)
	}
	for _, s := range []string{"Kommun", "region ", "statlig-myndighet", "myndighet", "Lärosäte/institut", "forening", "Förening", "företag",
		"kommun\x00", "\u212aommun", "bolag", "", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, ok := ParseOrgKind(s)
		if ok != slices.Contains(OrgKinds, k) {
			t.Fatalf("ParseOrgKind(%q) = %q, %v", s, k, ok)
		}
		if !ok {
			return
		}
		for _, again := range []string{string(k), strings.ToUpper(s), " \t" + s + "\n"} {
			if k2, ok2 := ParseOrgKind(again); k2 != k || !ok2 {
				t.Fatalf("ParseOrgKind(%q) = %q, %v; ParseOrgKind(%q) = %q", again, k2, ok2, s, k)
			}
		}
	})
}

// FuzzEnums: checkEnum, which every Validate uses for its enumerated
// fields, accepts exactly the listed values (and "" when optional) and
// names the field and the value it refused.
func FuzzEnums(f *testing.F) {
	f.Add("strategic", false)
	f.Add("", true)
	f.Add("", false)
	f.Add("Strategic", false)
	f.Add("behovsanalys", true)
	f.Add("tekniktävling", false)
	f.Add("decided\x00", false)
	types := make([]reflect.Type, 0, len(fzEnums))
	for typ := range fzEnums {
		types = append(types, typ)
	}
	slices.SortFunc(types, func(a, b reflect.Type) int { return strings.Compare(a.Name(), b.Name()) })
	f.Fuzz(func(t *testing.T, s string, optional bool) {
		for _, typ := range types {
			values := Codes(fzEnumValues(typ))
			err := checkEnum("f", s, values, optional)
			want := slices.Contains(values, s) || (s == "" && optional)
			if (err == nil) != want {
				t.Fatalf("%s: checkEnum(%q, optional %v) = %v", typ.Name(), s, optional, err)
			}
			if err != nil {
				fzWantInvalid(t, err, "f")
				if m := ErrorMsg(err); m.Key != "err.choice" || m.Args["value"] != s || !slices.Equal(m.Args["choices"].(Choices), values) {
					t.Fatalf("%s: checkEnum(%q): %v", typ.Name(), s, m)
				}
			}
		}
	})
}

// fzEnumValues are the codes of an enumerated type (not the Swedish
// forms fzEnums adds for ParseOrgKind).
func fzEnumValues(typ reflect.Type) []string {
	if typ == reflect.TypeFor[OrgKind]() {
		return Codes(OrgKinds)
	}
	return fzEnums[typ]
}

// fzTexts are texts as people and programs send them.
var fzTexts = []string{
	"Falu kommun", "Trygghetslarm med digital larmkedja för hemtjänsten", "  Sopbilar som drivs med biogas\u200b ", "vård och omsorg",
	"Rad ett\nRad två\r\n\tindrag", "Larm\x00", "Larm\x07", "\u200b\u200c\ufeff", "Larm \xff", "Ålands hav och Öresund", "ÅÄÖ åäö é ü",
	"\U0001F600 emoji", "\u2028 och \u0085", "https://www.falun.se/naringsliv", "javascript:alert(1)", "http://", "https://x.se/a b",
	"anna@falun.se", strings.Repeat("ord ", 5001), strings.Repeat("x", 201), strings.Repeat("å", 500), strings.Repeat("å", 501),
}

// FuzzTextChecks: checkText (and CheckQuery, which the store's filters
// call) accepts exactly valid UTF-8 without NUL or control characters
// other than tab and line breaks, of at most max runes; requireText and
// optionalText store the trimmed text, which passes checkText and trims
// to itself; checkURL keeps only http(s) addresses with a host and is
// idempotent; checkTexts drops empty items and keeps the rest in order.
func FuzzTextChecks(f *testing.F) {
	for i, s := range fzTexts {
		f.Add(s, uint16(i*37))
	}
	f.Add("", uint16(0))
	f.Add("a", uint16(0))
	f.Fuzz(func(t *testing.T, s string, m uint16) {
		max := int(m) % 700
		err := checkText("f", s, max)
		wantKey := ""
		switch {
		case !utf8.ValidString(s):
			wantKey = "err.text.utf8"
		case strings.ContainsFunc(s, func(r rune) bool { return r == 0 || unicode.IsControl(r) && !strings.ContainsRune("\t\n\r", r) }):
			wantKey = "err.text.control"
		case utf8.RuneCountInString(s) > max:
			wantKey = "err.too_long"
		}
		if ErrorMsg(err).Key != wantKey && (err != nil || wantKey != "") {
			t.Fatalf("checkText(%q, %d) = %v; want %q", s, max, err, wantKey)
		}
		if err != nil {
			fzWantInvalid(t, err, "f")
		}
		if q, c := CheckQuery("q", s), checkText("q", s, ShortTextMax); (q == nil) != (c == nil) || ErrorMsg(q).Key != ErrorMsg(c).Key {
			t.Fatalf("CheckQuery(%q) = %v, checkText = %v", s, q, c)
		}

		for _, required := range []bool{true, false} {
			v := s
			var err error
			if required {
				err = requireText("f", &v, max)
			} else {
				err = optionalText("f", &v, max)
			}
			trimmed := trimText(s)
			if v != trimmed {
				t.Fatalf("required %v: %q stored as %q, want %q", required, s, v, trimmed)
			}
			switch {
			case err != nil && ErrorMsg(err).Key == "err.required":
				if !required || v != "" {
					t.Fatalf("required %v: %q refused as empty", required, s)
				}
			case err != nil:
				if checkText("f", v, max) == nil {
					t.Fatalf("required %v: %q refused (%v) though its trimmed text passes", required, s, err)
				}
			default:
				if checkText("f", v, max) != nil || trimText(v) != v || (required && v == "") {
					t.Fatalf("required %v: %q accepted as %q", required, s, v)
				}
			}
		}

		u := s
		if err := checkURL("website", &u); err == nil && u != "" {
			p, perr := url.Parse(u)
			if perr != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || strings.ContainsAny(u, " \t\r\n") ||
				checkText("website", u, URLMax) != nil {
				t.Fatalf("checkURL(%q) accepted %q", s, u)
			}
			again := u
			if err := checkURL("website", &again); err != nil || again != u {
				t.Fatalf("checkURL(%q) = %q, %v; not idempotent", u, again, err)
			}
		} else if err != nil {
			fzWantInvalid(t, err, "website")
		}

		items := strings.Split(s, "|")
		out, err := checkTexts("themes", items, max)
		switch {
		case len(items) > ListMax:
			if ErrorMsg(err).Key != "err.list_long" {
				t.Fatalf("checkTexts of %d items: %v", len(items), err)
			}
		case err == nil:
			var want []string
			for _, x := range items {
				if x = trimText(x); x != "" {
					want = append(want, x)
				}
			}
			if !slices.Equal(out, want) {
				t.Fatalf("checkTexts(%q) = %q, want %q", items, out, want)
			}
			for _, x := range out {
				if checkText("themes", x, max) != nil {
					t.Fatalf("checkTexts(%q) kept %q", items, x)
				}
			}
		default:
			fzWantInvalid(t, err, "themes")
		}
	})
}

// fzEntities are the records whose Validate FuzzValidate calls, each new.
var fzEntities = []func() interface{ Validate() error }{
	func() interface{ Validate() error } { return new(Organization) },
	func() interface{ Validate() error } { return new(User) },
	func() interface{ Validate() error } { return new(OrgMembership) },
	func() interface{ Validate() error } { return new(OrgDomain) },
	func() interface{ Validate() error } { return new(Need) },
	func() interface{ Validate() error } { return new(Network) },
	func() interface{ Validate() error } { return new(NetworkMember) },
	func() interface{ Validate() error } { return new(NetworkPlan) },
	func() interface{ Validate() error } { return new(Activity) },
	func() interface{ Validate() error } { return new(Deliverable) },
	func() interface{ Validate() error } { return new(MemberProcurement) },
	func() interface{ Validate() error } { return new(FundingPeriod) },
	func() interface{ Validate() error } { return new(Funder) },
	func() interface{ Validate() error } { return new(FundingCall) },
	func() interface{ Validate() error } { return new(Project) },
	func() interface{ Validate() error } { return new(Expert) },
}

// fzFieldMax is the limit of text.go each text field of a record is held
// to, by JSON name; a field not listed is held to ShortTextMax.
var fzFieldMax = map[string]int{
	"name": NameMax, "title": NameMax, "description": LongTextMax, "rules": LongTextMax, "goal": LongTextMax,
	"results": LongTextMax, "lessons": LongTextMax, "website": URLMax, "url": URLMax, "email": EmailMax, "contact_email": EmailMax,
	"who": NameMax, "what": ShortTextMax, "sector": NameMax, "programme": NameMax, "doc_version": NameMax,
	"themes": NameMax, "participants": NameMax, "subject_areas": NameMax, "contact_name": NameMax, "management_sponsor": NameMax,
	"volume_unit": NameMax, "central_purchasing_body": NameMax, "procurement_ref": NameMax, "ocid": NameMax,
}

// FuzzValidate fills each record from the fuzzer's bytes (texts, ids,
// amounts, dates and enumerated values, valid or not) and validates it.
// Validate returns nil or an EINVALID *Error naming a field, never
// panics; what it accepts is valid UTF-8 without NUL or control
// characters, within the limits of text.go, in lists of at most ListMax
// items, and validates again unchanged.
func FuzzValidate(f *testing.F) {
	for i := range fzEntities {
		f.Add(uint8(i), []byte{})
		f.Add(uint8(128+i), []byte{0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 2, 0, 0, 2, 0, 0, 2, 0, 0})
		f.Add(uint8(i), []byte("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18"))
		f.Add(uint8(i), []byte(strings.Repeat("\xd0\x01\x01\xd2\x02", 30)))
		f.Add(uint8(i), []byte(strings.Repeat("\x05\x01\xd1\xd3\x01\xd7", 30)))
		f.Add(uint8(i), []byte(strings.Repeat("\xfa\x01x\x4e\x21\x01", 20)))
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		v := fzEntities[int(which)%len(fzEntities)]()
		in := &fzInput{b: data}
		in.fill(reflect.ValueOf(v).Elem(), "")
		if p, ok := v.(*MemberProcurement); ok && which >= 128 {
			// Dates for the stages reached and none beyond, which random
			// pointers rarely give.
			reached := slices.Index(ProcurementStages, p.Stage)
			for i, s := range ProcurementStages[:5] {
				if i > reached && p.Stage != StageWithdrawn {
					fzClearStage(p, s)
				}
			}
		}
		before, _ := json.Marshal(v)
		err := v.Validate()
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID || e.Field == "" || e.Msg.Key == "" {
				t.Fatalf("%T %s: Validate = %#v", v, before, err)
			}
			return
		}
		fzCheckStored(t, reflect.ValueOf(v).Elem(), "", before)
		switch x := v.(type) {
		case *Organization:
			if x.OrgNumber != "" {
				if n, err := NormalizeOrgNumber(x.OrgNumber); n != x.OrgNumber || err != nil {
					t.Fatalf("organisation number stored as %q: %v", x.OrgNumber, err)
				}
			}
			if !slices.Contains(OrgKinds, x.Kind) {
				t.Fatalf("organisation kind stored as %q", x.Kind)
			}
		case *User:
			if a, err := mail.ParseAddress(x.Email); err != nil || a.Address != x.Email || strings.ToLower(x.Email) != x.Email {
				t.Fatalf("e-mail stored as %q", x.Email)
			}
		case *Need:
			seen := map[string]bool{}
			for _, c := range x.CPVCodes {
				if len(c) != 8 || !allDigits(c) || seen[c] {
					t.Fatalf("CPV codes stored as %q", x.CPVCodes)
				}
				seen[c] = true
			}
		case *FundingCall:
			for _, k := range x.EligibleOrgKinds {
				if !slices.Contains(OrgKinds, k) {
					t.Fatalf("eligible kinds stored as %q", x.EligibleOrgKinds)
				}
			}
		}
		after, _ := json.Marshal(v)
		if err := v.Validate(); err != nil {
			t.Fatalf("%T %s: accepted as %s, then refused: %v", v, before, after, err)
		}
		if again, _ := json.Marshal(v); string(again) != string(after) {
			t.Fatalf("%T: validating again changed %s to %s", v, after, again)
		}
	})
}

// fzCheckStored walks an accepted record: every text valid, without
// control characters, within its field's limit; every list within
// ListMax.
func fzCheckStored(t *testing.T, v reflect.Value, field string, record []byte) {
	t.Helper()
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		max, ok := fzFieldMax[field]
		if !ok {
			max = ShortTextMax
		}
		if err := checkText(field, s, max); err != nil {
			t.Fatalf("accepted %s with %s = %q: %v", record, field, s, err)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			fzCheckStored(t, v.Elem(), field, record)
		}
	case reflect.Slice:
		if v.Len() > ListMax {
			t.Fatalf("accepted %s with %d items in %s", record, v.Len(), field)
		}
		for i := range v.Len() {
			fzCheckStored(t, v.Index(i), field, record)
		}
	case reflect.Float64:
		if math.IsNaN(v.Float()) || math.IsInf(v.Float(), 0) {
			t.Fatalf("accepted %s with %s = %v", record, field, v.Float())
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[Date]() || v.Type() == reflect.TypeFor[time.Time]() {
			return
		}
		for i := range v.NumField() {
			sf := v.Type().Field(i)
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			fzCheckStored(t, v.Field(i), name, record)
		}
	}
}

// FuzzAdvance: moving a valid procurement to a stage either fails and
// changes nothing, or records the stage and its date, and the
// procurement stays valid when the reason given is a valid text.
func FuzzAdvance(f *testing.F) {
	f.Add(uint8(0), "announced", uint16(2026), uint8(12), uint8(4), "")
	f.Add(uint8(1), "awarded", uint16(2025), uint8(1), uint8(1), "")
	f.Add(uint8(2), "withdrawn", uint16(2026), uint8(3), uint8(2), "Budgeten drogs in")
	f.Add(uint8(2), "withdrawn", uint16(2026), uint8(3), uint8(2), "  ")
	f.Add(uint8(5), "planned", uint16(2026), uint8(3), uint8(2), "")
	f.Add(uint8(4), "evaluated", uint16(1), uint8(0), uint8(0), "")
	f.Add(uint8(3), "implemented\x00", uint16(2026), uint8(6), uint8(31), "")
	f.Add(uint8(1), "withdrawn", uint16(2026), uint8(6), uint8(30), "skäl\x00")
	f.Fuzz(func(t *testing.T, at uint8, next string, y uint16, m, d uint8, reason string) {
		p := fzProcurementAt(int(at) % 6)
		if q := *p; p.Stage != "" && q.Validate() != nil {
			t.Fatalf("the fixture at %q is invalid: %v", p.Stage, q.Validate())
		}
		var on Date
		if y != 0 {
			on = NewDate(int(y)%400+1900, time.Month(m%13), int(d%32))
		}
		before, _ := json.Marshal(p)
		err := p.Advance(ProcurementStage(next), on, reason)
		after, _ := json.Marshal(p)
		if err != nil {
			fzWantInvalid(t, err, "")
			if string(after) != string(before) {
				t.Fatalf("a refused advance to %q changed %s to %s", next, before, after)
			}
			return
		}
		if string(p.Stage) != next || p.StageDate(p.Stage) == nil || !p.StageDate(p.Stage).Equal(on.Time) {
			t.Fatalf("advanced to %q on %v: %s", next, on, after)
		}
		if checkText("withdrawn_reason", strings.TrimSpace(reason), ShortTextMax) == nil {
			if err := p.Validate(); err != nil {
				t.Fatalf("advanced %s to %q on %v: %s is invalid: %v", before, next, on, after, err)
			}
		}
	})
}

// fzClearStage removes the date of stage s.
func fzClearStage(p *MemberProcurement, s ProcurementStage) {
	for _, d := range []struct {
		s ProcurementStage
		d **Date
	}{{StagePlanned, &p.PlannedDate}, {StageAnnounced, &p.AnnouncedDate}, {StageAwarded, &p.AwardedDate},
		{StageImplemented, &p.ImplementedDate}, {StageEvaluated, &p.EvaluatedDate}} {
		if d.s == s {
			*d.d = nil
		}
	}
}

// fzProcurementAt is a valid procurement at the i-th stage (none, then
// planned … evaluated), each stage a month after the one before.
func fzProcurementAt(i int) *MemberProcurement {
	p := &MemberProcurement{NetworkID: 1, OrgID: 2, Kind: FollowOwnProcurement, Title: "Trygghetslarm"}
	dates := []**Date{&p.PlannedDate, &p.AnnouncedDate, &p.AwardedDate, &p.ImplementedDate, &p.EvaluatedDate}
	for s := range i {
		*dates[s] = new(NewDate(2026, time.Month(1+s), 15))
		p.Stage = ProcurementStages[s]
	}
	return p
}

// fzWantInvalid fails unless err is an EINVALID *Error naming field
// (any field when field is "").
func fzWantInvalid(t *testing.T, err error, field string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != EINVALID || (field != "" && e.Field != field) || e.Msg.Key == "" {
		t.Fatalf("error %#v, want an EINVALID *Error on %q", err, field)
	}
}

// fzInput hands out the fuzzer's bytes as the values of a record's
// fields. An exhausted input gives each field a plausible value, so short
// inputs reach the rules after the texts.
type fzInput struct{ b []byte }

func (in *fzInput) byte() byte {
	if len(in.b) == 0 {
		return 0
	}
	c := in.b[0]
	in.b = in.b[1:]
	return c
}

func (in *fzInput) take(n int) string {
	n = min(n, len(in.b))
	s := string(in.b[:n])
	in.b = in.b[n:]
	return s
}

// fzGood are plausible values of text fields by JSON name.
var fzGood = map[string][]string{
	"name":                    {"Falu kommun", "Anna Lindqvist, upphandlare", "Belok"},
	"title":                   {"Trygghetslarm med digital larmkedja", "Sopbilar som drivs med biogas"},
	"org_number":              {"212000-2411", "2120002411", "202100-5489"},
	"scb_code":                {"2080", "20", "0114"},
	"country":                 {"", "SE", "NO", "se"},
	"website":                 {"https://www.falun.se", "http://arena.example/a?b=c", ""},
	"url":                     {"https://www.vinnova.se/e/utlysning", ""},
	"email":                   {"anna@falun.se", " Anna@Falun.SE "},
	"contact_email":           {"kim.kontakt@a.test", ""},
	"domain":                  {"falun.se", "molndal.se"},
	"cpv_codes":               {"45000000-7", "33196000", "35121700-5"},
	"ocid":                    {"ocds-213czf-000-00001", ""},
	"central_purchasing_body": {"Adda", "Kammarkollegiet"},
	"withdrawn_reason":        {"", "Budgeten drogs in"},
	"themes":                  {"brandskydd", "vatten"},
	"who":                     {"Falu kommun"},
	"what":                    {"kravställning"},
}

// str is a text of the field: a plausible one, up to 185 bytes of input,
// or a short text repeated up to 24 999 times (to reach every limit).
func (in *fzInput) str(field string) string {
	switch c := in.byte(); {
	case c < 64:
		pool := fzGood[field]
		if len(pool) == 0 || c >= 48 {
			pool = append(slices.Clip(fzTexts), "")
		}
		return pool[int(c)%len(pool)]
	case c < 250:
		return in.take(int(c) - 64)
	default:
		part := in.take(int(in.byte() % 8))
		n := (int(in.byte())<<8 | int(in.byte())) % 25000
		return strings.Repeat(part, n)
	}
}

// int is mostly a small id (1 … 8), sometimes 0, -1 or any 64-bit number.
func (in *fzInput) int() int64 {
	switch c := in.byte(); {
	case c < 0xe0:
		return int64(c%8) + 1
	case c < 0xf0:
		return int64(c%2) - 1
	}
	var n uint64
	for range 8 {
		n = n<<8 | uint64(in.byte())
	}
	return int64(n)
}

func (in *fzInput) date() Date {
	y := 2026 + int(int16(uint16(in.byte())<<8|uint16(in.byte())))%400
	return NewDate(y, time.Month(1+in.byte()%13), int(1+in.byte()%32))
}

// fill sets v, a record or its field of JSON name field, from the input.
func (in *fzInput) fill(v reflect.Value, field string) {
	switch v.Kind() {
	case reflect.String:
		if vals, ok := fzEnums[v.Type()]; ok {
			if c := in.byte(); c < 192 {
				v.SetString(vals[int(c)%len(vals)])
				return
			}
		}
		v.SetString(in.str(field))
	case reflect.Int, reflect.Int64:
		n := in.int()
		if v.Kind() == reflect.Int && in.byte()%2 == 0 {
			n = 1890 + n*60 // a year near the range networks and projects allow
		}
		v.SetInt(n)
	case reflect.Float64:
		switch c := in.byte(); c % 8 {
		case 6:
			v.SetFloat(math.NaN())
		case 7:
			v.SetFloat(math.Inf(1 - 2*int(c&8>>3)))
		default:
			v.SetFloat(float64(int8(c)) / 64)
		}
	case reflect.Bool:
		v.SetBool(in.byte()%2 == 1)
	case reflect.Pointer:
		if in.byte()%3 == 2 {
			v.SetZero()
			return
		}
		p := reflect.New(v.Type().Elem())
		in.fill(p.Elem(), field)
		v.Set(p)
	case reflect.Slice:
		n := int(in.byte())
		if n >= 250 {
			n = ListMax - 5 + n - 250 // around the limit of lists
		} else {
			n %= 5
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			in.fill(s.Index(i), field)
		}
		v.Set(s)
	case reflect.Struct:
		switch v.Type() {
		case reflect.TypeFor[Date]():
			v.Set(reflect.ValueOf(in.date()))
			return
		case reflect.TypeFor[Meta]():
			v.FieldByName("ID").SetInt(in.int())
			return
		}
		for i := range v.NumField() {
			if sf := v.Type().Field(i); sf.IsExported() {
				name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
				in.fill(v.Field(i), name)
			}
		}
	}
}
