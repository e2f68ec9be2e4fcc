package web_test

import (
	"slices"
	"sort"
	"strings"
	"testing"
)

// Every write the API allows has a page or form in the UI for the roles
// that may do it (issue 11), or is on the list of API-only operations with
// its reason. TestEveryAPIWriteHasAForm fails on an API write on neither
// list, on a form route the UI does not serve, and on one on both.

// uiForms: an API write → the UI's routes that do the same.
var uiForms = map[string][]string{
	"POST /api/v1/auth/login":                         {"POST /logga-in", "GET /logga-in/oidc"},
	"POST /api/v1/auth/logout":                        {"POST /logga-ut"},
	"POST /api/v1/me/password":                        {"POST /installningar/losenord"},
	"DELETE /api/v1/users/{id}":                       {"POST /personer/{id}/ta-bort"},
	"PATCH /api/v1/users/{id}":                        {"POST /installningar/profil"},
	"POST /api/v1/users":                              {"POST /inbjudan"},
	"POST /api/v1/cpv/suggest":                        {"POST /behov", "POST /behov/{id}"}, // the need form's "suggest" button
	"POST /api/v1/needs":                              {"POST /behov"},
	"DELETE /api/v1/needs/{id}":                       {"POST /behov/{id}/ta-bort"},
	"PATCH /api/v1/needs/{id}":                        {"POST /behov/{id}"},
	"POST /api/v1/networks":                           {"POST /natverk", "POST /behov/{id}/natverk", "POST /maklare/natverk"},
	"PATCH /api/v1/networks/{id}":                     {"POST /natverk/{id}"},
	"DELETE /api/v1/networks/{id}":                    {"POST /natverk/{id}/ta-bort"},
	"POST /api/v1/networks/{id}/close":                {"POST /natverk/{id}/stang"},
	"POST /api/v1/network-members":                    {"POST /natverk/{id}/medlemmar", "POST /natverk/{id}/ansok"},
	"PATCH /api/v1/network-members/{id}":              {"POST /natverksmedlemmar/{id}/andra"},
	"DELETE /api/v1/network-members/{id}":             {"POST /natverksmedlemmar/{id}/dra-tillbaka"},
	"POST /api/v1/network-members/{id}/accept":        {"POST /natverksmedlemmar/{id}/{action}"},
	"POST /api/v1/network-members/{id}/decline":       {"POST /natverksmedlemmar/{id}/{action}"},
	"POST /api/v1/network-members/{id}/leave":         {"POST /natverksmedlemmar/{id}/{action}"},
	"POST /api/v1/network-members/{id}/approve":       {"POST /natverksmedlemmar/{id}/{action}"},
	"POST /api/v1/network-members/{id}/reject":        {"POST /natverksmedlemmar/{id}/{action}"},
	"POST /api/v1/network-members/{id}/email-invites": {"POST /natverk/{id}/e-postinbjudan"},
	"POST /api/v1/network-plans":                      {"POST /natverk/{id}/plan"},
	"PATCH /api/v1/network-plans/{id}":                {"POST /natverk/{id}/plan"},
	"POST /api/v1/activities":                         {"POST /natverk/{id}/aktiviteter"},
	"PATCH /api/v1/activities/{id}":                   {"POST /aktiviteter/{id}/status"},
	"POST /api/v1/deliverables":                       {"POST /natverk/{id}/leveranser"},
	"POST /api/v1/member-procurements":                {"POST /natverk/{id}/medlemsupphandlingar"},
	"POST /api/v1/member-procurements/{id}/advance":   {"POST /medlemsupphandlingar/{id}/steg"},
	"POST /api/v1/funding-periods":                    {"POST /natverk/{id}/finansiering"},
	"POST /api/v1/org-domains":                        {"POST /organisationer/{id}/domaner"},
	"DELETE /api/v1/org-domains/{id}":                 {"POST /organisationsdomaner/{id}/ta-bort"},
	"POST /api/v1/org-memberships":                    {"POST /organisationer/{id}/kollegor"}, // an admin invites a person, by e-mail
	"POST /api/v1/organizations/{id}/email-invites":   {"POST /organisationer/{id}/kollegor"},
	"PATCH /api/v1/org-memberships/{id}":              {"POST /organisationsmedlemskap/{id}/{action}"},
	"DELETE /api/v1/org-memberships/{id}":             {"POST /organisationsmedlemskap/{id}/{action}"},
	"POST /api/v1/watches":                            {"POST /bevakningar"},
	"PATCH /api/v1/watches/{id}":                      {"POST /bevakningar/{id}", "POST /bevakningar/{id}/paus"},
	"DELETE /api/v1/watches/{id}":                     {"POST /bevakningar/{id}/ta-bort"},
	"POST /api/v1/notifications/read":                 {"POST /inkorg/last"},
	"PUT /api/v1/notification-settings":               {"POST /installningar/aviseringar"},
	"POST /api/v1/calendar-feed":                      {"POST /installningar/kalender"},
	// A network's parts, changed and deleted on their own forms.
	"DELETE /api/v1/activities/{id}":                {"POST /aktiviteter/{id}/ta-bort"},
	"POST /api/v1/deliverables/{id}/files":          {"POST /leveranser/{id}/filer"},
	"DELETE /api/v1/deliverables/{id}/files/{file}": {"POST /leveranser/{id}/filer/{file}/ta-bort"},

	"POST /api/v1/dialogues":                     {"POST /dialoger"},
	"PATCH /api/v1/dialogues/{id}":               {"POST /dialoger/{id}/andra"},
	"DELETE /api/v1/dialogues/{id}":              {"POST /dialoger/{id}/ta-bort"},
	"POST /api/v1/dialogues/{id}/files":          {"POST /dialoger/{id}/filer"},
	"DELETE /api/v1/dialogues/{id}/files/{file}": {"POST /dialoger/{id}/filer/{file}/ta-bort"},
	"POST /api/v1/dialogue-answers":              {"POST /dialoger/{id}/svar"},
	"PATCH /api/v1/dialogue-answers/{id}":        {"POST /dialoger/{id}/svar"},
	"DELETE /api/v1/dialogue-answers/{id}":       {"POST /dialoger/{id}/svar/ta-bort"},
	"POST /api/v1/dialogue-questions":            {"POST /dialoger/{id}/fragor"},
	"PATCH /api/v1/dialogue-questions/{id}":      {"POST /dialogfragor/{id}/besvara"},
	"DELETE /api/v1/dialogue-questions/{id}":     {"POST /dialogfragor/{id}/ta-bort"},
	"POST /api/v1/dialogue-registrations":        {"POST /dialoger/{id}/anmalan"},
	"PATCH /api/v1/dialogue-registrations/{id}":  {"POST /dialoger/{id}/anmalan"},
	"DELETE /api/v1/dialogue-registrations/{id}": {"POST /dialoger/{id}/anmalan/ta-bort"},
	"PATCH /api/v1/deliverables/{id}":            {"POST /leveranser/{id}/andra"},
	"DELETE /api/v1/deliverables/{id}":           {"POST /leveranser/{id}/ta-bort"},
	"PATCH /api/v1/member-procurements/{id}":     {"POST /medlemsupphandlingar/{id}/andra"},
	"DELETE /api/v1/member-procurements/{id}":    {"POST /medlemsupphandlingar/{id}/ta-bort"},
	"PATCH /api/v1/funding-periods/{id}":         {"POST /finansieringsperioder/{id}/andra"},
	"DELETE /api/v1/funding-periods/{id}":        {"POST /finansieringsperioder/{id}/ta-bort"},
	// The registers' forms (regforms.go).
	"POST /api/v1/organizations":        {"POST /organisationer"},
	"PATCH /api/v1/organizations/{id}":  {"POST /organisationer/{id}/andra"},
	"DELETE /api/v1/organizations/{id}": {"POST /organisationer/{id}/ta-bort"},
	"POST /api/v1/calls":                {"POST /utlysningar"},
	"PATCH /api/v1/calls/{id}":          {"POST /utlysningar/{id}/andra"},
	"DELETE /api/v1/calls/{id}":         {"POST /utlysningar/{id}/ta-bort"},
	"POST /api/v1/funders":              {"POST /finansiarer"},
	"PATCH /api/v1/funders/{id}":        {"POST /finansiarer/{id}/andra"},
	"DELETE /api/v1/funders/{id}":       {"POST /finansiarer/{id}/ta-bort"},
	"POST /api/v1/projects":             {"POST /projekt"},
	"PATCH /api/v1/projects/{id}":       {"POST /projekt/{id}/andra"},
	"DELETE /api/v1/projects/{id}":      {"POST /projekt/{id}/ta-bort"},
	"POST /api/v1/experts":              {"POST /experter"},
	"PATCH /api/v1/experts/{id}":        {"POST /experter/{id}/andra"},
	"DELETE /api/v1/experts/{id}":       {"POST /experter/{id}/ta-bort"},
	// Imports (imports.go): the upload keeps the file as a job, whose page
	// maps its columns and runs it.
	"POST /api/v1/organizations/{id}/plan-imports":    {"POST /organisationer/{id}/import", "POST /importer/{id}"},
	"POST /api/v1/organizations/{id}/notice-imports":  {"POST /organisationer/{id}/import", "POST /importer/{id}"},
	"POST /api/v1/organizations/{id}/imports/publish": {"POST /organisationer/{id}/import/publicera"},
}

// apiOnly: API writes the UI does not offer, on purpose.
var apiOnly = map[string]string{
	"DELETE /api/v1/network-plans/{id}": "a network has one plan; the form empties its fields, and the record stays with the network",
	"PATCH /api/v1/org-domains/{id}":    "a domain is only its name: the page removes one and adds another",
	"POST /api/v1/alerts/refresh":       "the alerts are recomputed by the daily job and on every change; a broker's manual refresh is for integrations",
}

func TestEveryAPIWriteHasAForm(t *testing.T) {
	e := newEnv(t)
	served := e.ui.Patterns()
	var writes []string
	for _, r := range e.api.Routes() {
		if !strings.HasPrefix(r, "GET ") {
			writes = append(writes, r)
		}
	}
	sort.Strings(writes)
	for _, w := range writes {
		forms, inUI := uiForms[w]
		_, only := apiOnly[w]
		switch {
		case !inUI && !only:
			t.Errorf("%s: no form in the UI, and not on the list of API-only operations (apiOnly) with its reason", w)
		case inUI && only:
			t.Errorf("%s: on both lists", w)
		}
		for _, f := range forms {
			if !slices.Contains(served, f) {
				t.Errorf("%s: the UI serves no %s", w, f)
			}
		}
	}
	for w := range apiOnly {
		if !slices.Contains(writes, w) {
			t.Errorf("%s is listed but the API has no such write", w)
		}
	}
	for w := range uiForms {
		if !slices.Contains(writes, w) {
			t.Errorf("%s is listed but the API has no such write", w)
		}
	}
	t.Logf("%d API writes: %d with forms, %d API-only", len(writes), len(uiForms), len(apiOnly))
}
