package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/arena-se/arena/internal/cli"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

func (e *env) orgOf(who string) string {
	me := e.do(who, "GET", "/api/v1/me", "", nil).json(e.t)
	return jsonNumber(me["organizations"].([]any)[0].(map[string]any)["org_id"])
}

func (e *env) ok(who, method, path, body string, headers map[string]string) map[string]any {
	e.t.Helper()
	r := e.do(who, method, path, body, headers)
	if r.status >= 300 {
		e.t.Fatalf("%s %s: %d %s", method, e.expand(path), r.status, r.body)
	}
	if len(r.body) == 0 {
		return nil
	}
	return r.json(e.t)
}

// The scenario: three organisations post needs, a network is formed
// from them, two accept and one declines, the purchasing power is the two
// members' sums, it classifies tactical, each member procurement goes
// through its stages and the network closes; every illegal step between is
// refused and changes nothing.
func TestNetworkScenario(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, false)
		tok, err := cli.CreateUser(context.Background(), db, cli.UserRequest{Email: "cecilia@c.test", OrgNumber: "212000-0142", OrgName: "Kommun C", OrgKind: "kommun", Role: "admin"})
		if err != nil {
			t.Fatal(err)
		}
		e.tokens["c"] = tok
		// A plain member of C, who may not answer for the organisation.
		if e.tokens["c2"], err = cli.CreateUser(context.Background(), db, cli.UserRequest{Email: "carl@c.test", OrgNumber: "212000-0142"}); err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"a", "b", "c"} {
			e.vars["org"+who] = e.orgOf(who)
		}
		e.create("a", "/api/v1/needs", "na", `{"org_id": {orga}, "title": "Trygghetslarm i ordinärt boende", "estimated_value_sek": 4000000, "volume": 1200, "volume_unit": "brukare", "intent": "budgeted", "planned_date": "2027-03-01", "visibility": "public"}`)
		e.create("b", "/api/v1/needs", "nb", `{"org_id": {orgb}, "title": "Digitala larm för trygghet i hemmet", "estimated_value_sek": 2500000, "volume": 800, "volume_unit": "brukare", "intent": "plan", "planned_date": "2027-09-01", "visibility": "public"}`)
		e.create("c", "/api/v1/needs", "nc", `{"org_id": {orgc}, "title": "Trygghetslarm med GPS", "estimated_value_sek": 900000, "intent": "explore", "planned_date": "2028-01-01", "visibility": "public"}`)

		net := e.create("a", "/api/v1/networks", "net", `{"name": "Trygghetslarm i hemtjänsten", "kind": "strategic", "from_needs": [{na}, {nb}, {nc}]}`)
		if net["kind"] != "tactical" {
			t.Fatalf("a network formed from needs is tactical: %v", net["kind"])
		}
		members := e.ok("a", "GET", "/api/v1/network-members?network_id={net}", "", nil)["items"].([]any)
		status := map[string]string{}
		for _, m := range members {
			mm := m.(map[string]any)
			for _, who := range []string{"a", "b", "c"} {
				if jsonNumber(mm["org_id"]) == e.vars["org"+who] {
					status[who] = mm["status"].(string)
					e.vars["m"+who] = jsonNumber(mm["id"])
				}
			}
		}
		if status["a"] != "active" || status["b"] != "invited" || status["c"] != "invited" {
			t.Fatalf("member statuses %v", status)
		}
		e.run(t, []scenario{
			{name: "a cannot accept for b", who: "a", method: "POST", path: "/api/v1/network-members/{mb}/accept", status: 403},
			{name: "b accepts", who: "b", method: "POST", path: "/api/v1/network-members/{mb}/accept", status: 200, has: []string{`"status":"active"`}},
			{name: "a plain member of c cannot decline for c", who: "c2", method: "POST", path: "/api/v1/network-members/{mc}/decline", status: 403},
			{name: "c cannot move its invitation to the network's owner side", who: "c", method: "PATCH", path: "/api/v1/network-members/{mc}", body: `{"status": "active"}`, headers: map[string]string{"If-Match": `"1"`}, status: 400, field: "status"},
			{name: "c declines", who: "c", method: "POST", path: "/api/v1/network-members/{mc}/decline", status: 200, has: []string{`"status":"declined"`}},
			{name: "c cannot accept after declining", who: "c", method: "POST", path: "/api/v1/network-members/{mc}/accept", status: 409},
		})
		ov := e.ok("a", "GET", "/api/v1/networks/{net}/overview", "", nil)
		power := ov["purchasing_power"].(map[string]any)
		if power["value_sek"].(float64) != 6500000 || power["members"].(float64) != 2 {
			t.Fatalf("purchasing power %v, want 6 500 000 SEK from 2 members", power)
		}
		byIntent := power["by_intent"].(map[string]any)
		if byIntent["budgeted"].(map[string]any)["value_sek"].(float64) != 4000000 || byIntent["plan"].(map[string]any)["value_sek"].(float64) != 2500000 || byIntent["explore"].(map[string]any)["value_sek"].(float64) != 0 {
			t.Fatalf("by intent %v", byIntent)
		}
		if power["earliest"] != "2027-03-01" || power["latest"] != "2027-09-01" {
			t.Fatalf("joint timeline %v – %v", power["earliest"], power["latest"])
		}
		cls := ov["classification"].(map[string]any)
		if cls["kind"] != "tactical" || len(cls["reasons"].([]any)) == 0 {
			t.Fatalf("classification %v", cls)
		}

		e.run(t, []scenario{
			{name: "a non-member cannot write the plan", who: "c", method: "POST", path: "/api/v1/network-plans", body: `{"network_id": {net}, "rules": "Vi delar allt."}`, status: 403},
			{name: "a member writes the plan", who: "b", method: "POST", path: "/api/v1/network-plans", body: `{"network_id": {net}, "rules": "Beslut i konsensus.", "responsibilities": [{"who": "Kommun A", "what": "Kravspecifikation"}]}`, status: 201},
			{name: "an activity from the template", who: "a", method: "POST", path: "/api/v1/activities", body: `{"network_id": {net}, "kind": "marknadsdialog", "title": "RFI om trygghetslarm", "start_date": "2026-12-01"}`, status: 201},
			{name: "a deliverable", who: "a", method: "POST", path: "/api/v1/deliverables", body: `{"network_id": {net}, "kind": "requirement_specification", "title": "Gemensam kravspecifikation", "doc_version": "1.0"}`, status: 201},
		})
		e.create("a", "/api/v1/member-procurements", "pa", `{"network_id": {net}, "org_id": {orga}, "title": "Trygghetslarm Kommun A", "planned_date": "2027-01-15", "procurement_ref": "UH-2027-0042"}`)
		e.create("b", "/api/v1/member-procurements", "pb", `{"network_id": {net}, "org_id": {orgb}, "planned_date": "2027-02-01", "ocid": "ocds-abc123-2027-001"}`)
		e.run(t, []scenario{
			{name: "no awarded before announced", who: "a", method: "POST", path: "/api/v1/member-procurements/{pa}/advance", body: `{"stage": "awarded", "date": "2027-03-01"}`, status: 400, field: "stage"},
			{name: "no awarded by PATCH either", who: "a", method: "PATCH", path: "/api/v1/member-procurements/{pa}", body: `{"stage": "awarded", "announced_date": "2027-02-01", "awarded_date": "2027-03-01"}`, headers: map[string]string{"If-Match": `"1"`}, status: 400, field: "stage"},
			{name: "dates never go backwards", who: "a", method: "POST", path: "/api/v1/member-procurements/{pa}/advance", body: `{"stage": "announced", "date": "2027-01-01"}`, status: 400, field: "announced_date"},
			{name: "another member cannot move a's procurement", who: "b", method: "POST", path: "/api/v1/member-procurements/{pa}/advance", body: `{"stage": "announced", "date": "2027-02-01"}`, status: 403},
			{name: "a cannot close before the procurements are done", who: "a", method: "POST", path: "/api/v1/networks/{net}/close", status: 409},
			{name: "status closed cannot be PATCHed", who: "a", method: "PATCH", path: "/api/v1/networks/{net}", body: `{"status": "closed"}`, headers: map[string]string{"If-Match": `"1"`}, status: 400, field: "status"},
		})
		for _, p := range []string{"pa", "pb"} {
			who := map[string]string{"pa": "a", "pb": "b"}[p]
			for i, st := range []string{"announced", "awarded", "implemented"} {
				e.ok(who, "POST", "/api/v1/member-procurements/{"+p+"}/advance", fmt.Sprintf(`{"stage": %q, "date": "2027-0%d-15"}`, st, i+3), nil)
			}
		}
		funnel := e.ok("a", "GET", "/api/v1/networks/{net}/overview", "", nil)["funnel"].(map[string]any)
		if funnel["implemented"].(float64) != 2 {
			t.Fatalf("funnel %v", funnel)
		}
		e.ok("a", "POST", "/api/v1/networks/{net}/close", "", nil)
		e.run(t, []scenario{
			{name: "a closed network cannot be edited", who: "a", method: "PATCH", path: "/api/v1/networks/{net}", body: `{"name": "Nytt namn"}`, headers: map[string]string{"If-Match": `"2"`}, status: 409},
			{name: "nor get activities", who: "a", method: "POST", path: "/api/v1/activities", body: `{"network_id": {net}, "kind": "rfi", "title": "RFI"}`, status: 409},
			{name: "nor move procurements", who: "a", method: "POST", path: "/api/v1/member-procurements/{pa}/advance", body: `{"stage": "evaluated", "date": "2027-09-01"}`, status: 409},
			{name: "and cannot be closed twice", who: "a", method: "POST", path: "/api/v1/networks/{net}/close", status: 409},
		})
	})
}

// Alerts fire at their dates when the clock moves, and not before.
func TestAlertsFollowTheClock(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, false)
		db.Now = func() time.Time { return time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC) }
		e.vars["orga"] = e.orgOf("a")
		net := e.create("a", "/api/v1/networks", "net", `{"name": "Bebo-liknande nätverk", "kind": "strategic", "owner_org_id": {orga}}`)
		_ = net
		e.create("a", "/api/v1/network-members", "ma", `{"network_id": {net}, "org_id": {orga}, "mandate": true}`)
		e.create("broker", "/api/v1/funders", "f", `{"name": "Energimyndigheten (test)", "kind": "agency"}`)
		e.create("a", "/api/v1/funding-periods", "fp", `{"network_id": {net}, "funder_id": {f}, "start_date": "2024-01-01", "end_date": "2027-05-31"}`)
		e.create("a", "/api/v1/activities", "act", `{"network_id": {net}, "kind": "kunskapsspridning", "title": "Seminarium", "start_date": "2026-11-20", "end_date": "2026-11-20"}`)
		kinds := func(day string) map[string]bool {
			d, _ := time.Parse("2006-01-02", day)
			db.Now = func() time.Time { return d.Add(10 * time.Hour) }
			e.ok("broker", "POST", "/api/v1/alerts/refresh", "", nil)
			items := e.ok("a", "GET", "/api/v1/alerts?network_id={net}", "", nil)["items"].([]any)
			out := map[string]bool{}
			for _, it := range items {
				out[it.(map[string]any)["kind"].(string)] = true
			}
			return out
		}
		for _, c := range []struct {
			day                    string
			endsSoon, ended, inact bool
		}{
			{"2026-11-30", false, false, false}, // funding ends in more than 6 months
			{"2026-12-01", true, false, false},  // 2027-05-31 is within 6 months
			{"2027-02-18", true, false, false},  // 90 days after the last activity
			{"2027-02-19", true, false, true},   // 91 days: inactive
			{"2027-05-31", true, false, true},   // the last funded day still warns
			{"2027-06-01", false, true, true},   // funding ended
		} {
			got := kinds(c.day)
			if got["funding_ends_soon"] != c.endsSoon || got["funding_ended"] != c.ended || got["inactive"] != c.inact {
				t.Errorf("%s: alerts %v, want ends_soon=%v ended=%v inactive=%v", c.day, got, c.endsSoon, c.ended, c.inact)
			}
		}
		if r := e.do("a", "POST", "/api/v1/alerts/refresh", "", nil); r.status != 403 {
			t.Errorf("a buyer refreshed the alerts: %d", r.status)
		}
		var list struct{ Items []map[string]any }
		json.Unmarshal(e.do("a", "GET", "/api/v1/alerts?kind=bogus", "", nil).body, &list)
		if r := e.do("a", "GET", "/api/v1/alerts?kind=bogus", "", nil); r.status != 400 {
			t.Errorf("bad kind: %d", r.status)
		}
	})
}
