package matching_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/refdata"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// testCPV is a small part of CPV 2008: the codes the tests' needs use.
var testCPV = []refdata.CPV{
	{Code: "32000000", Check: "3", Level: 1, LabelSV: "Radio-, televisions-, kommuniktions- och telekommunikationsutrustning samt tillhörande utrustning"},
	{Code: "32500000", Check: "8", Level: 2, Parent: "32000000", LabelSV: "Telekommunikationsmateriel"},
	{Code: "35000000", Check: "4", Level: 1, LabelSV: "Säkerhets-, brandbekämpnings-, polis- och försvarsutrustning"},
	{Code: "35100000", Check: "5", Level: 2, Parent: "35000000", LabelSV: "Nöd- och säkerhetsutrustning"},
	{Code: "35120000", Check: "1", Level: 3, Parent: "35100000", LabelSV: "Bevaknings- och säkerhetssystem"},
	{Code: "35121000", Check: "8", Level: 4, Parent: "35120000", LabelSV: "Säkerhetsmateriel"},
	{Code: "35121700", Check: "5", Level: 5, Parent: "35121000", LabelSV: "Larmsystem"},
	{Code: "48000000", Check: "8", Level: 1, LabelSV: "Programvara och informationssystem"},
	{Code: "72000000", Check: "5", Level: 1, LabelSV: "IT-tjänster: konsultverksamhet, programvaruutveckling, Internet och stöd"},
	{Code: "72200000", Check: "7", Level: 2, Parent: "72000000", LabelSV: "Programmering av mjukvara samt rådgivning"},
	{Code: "79000000", Check: "4", Level: 1, LabelSV: "Företagstjänster: lagstiftning, marknadsföring, rådgivning, rekrytering, tryckning och säkerhet"},
	{Code: "79400000", Check: "8", Level: 2, Parent: "79000000", LabelSV: "Företags- och managementrådgivning samt tillhörande tjänster"},
	{Code: "85000000", Check: "9", Level: 1, LabelSV: "Hälso- och sjukvård samt socialvård"},
	{Code: "85300000", Check: "2", Level: 2, Parent: "85000000", LabelSV: "Socialvård och tillhörande tjänster"},
}

// visibilityWorld is Falun asking about alarm needs that other
// organisations describe alike, each with a code of its own: Mölndal is
// Falun's partner (both active in a network), Borås only invited to it.
//
//	public   Region Örebro, public                  35121000 — everyone sees it
//	partner  Mölndal, network-visible               32500000 — Falun sees it, the anonymous do not
//	draft    Borås, draft                           72200000 — only Borås
//	internal Borås, organisation only               79400000 — only Borås
//	stranger Borås, network-visible, not a partner  85300000 — only Borås
//	mydraft  Falun's own draft                      48000000 — Falun sees it, but a draft fits no call
//	                                                             and Falun's own need votes for no code of Falun's
func visibilityWorld(t *testing.T, db *store.DB) *world {
	w := newWorld(t, db)
	if err := db.LoadReference(context.Background(), &refdata.Set{CPV: testCPV}); err != nil {
		t.Fatal(err)
	}
	const desc = "Digitala trygghetslarm med larmmottagning dygnet runt för hemtjänstens brukare i ordinärt boende."
	w.need(t, "q", "falun", "Trygghetslarm för äldre i ordinärt boende", desc, arena.VisibilityPublic, "35121700")
	w.need(t, "public", "orebro", "Digitala trygghetslarm för äldre i hemtjänsten", desc, arena.VisibilityPublic, "35121000")
	w.need(t, "partner", "molndal", "Trygghetslarm i hemtjänsten för äldre", desc, arena.VisibilityNetwork, "32500000")
	w.need(t, "draft", "boras", "Trygghetslarm för äldre, digitala", desc, arena.VisibilityDraft, "72200000")
	w.need(t, "internal", "boras", "Trygghetslarm för äldre i hemmet", desc, arena.VisibilityOrganisation, "79400000")
	w.need(t, "stranger", "boras", "Trygghetslarm för hemtjänstens äldre", desc, arena.VisibilityNetwork, "85300000")
	w.need(t, "mydraft", "falun", "Trygghetslarm, etapp två, utkast", desc, arena.VisibilityDraft, "48000000")
	n := w.network(t, &arena.Network{Name: "Nätverket för trygghetslarm", Kind: arena.NetworkStrategic, Open: true}, arena.MemberActive,
		map[string]string{"falun": "", "molndal": ""})
	if err := db.NetworkMembers.Create(system, &arena.NetworkMember{NetworkID: n.ID, OrgID: w.orgs["boras"].ID, Status: arena.MemberInvited}); err != nil {
		t.Fatal(err)
	}
	w.sync(t)
	return w
}

// TestOneVisibilityRule holds every way matching reads needs to
// arena.CanSeeNeed: what a caller may not see is never a match, never
// votes for a CPV code, never fits a call, and what the caller may see
// does.
func TestOneVisibilityRule(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := visibilityWorld(t, db)
		hidden := []string{"draft", "internal", "stranger"}
		q := w.needs["q"]

		res, err := w.svc.Matches(w.actors["falun"], q.ID, matching.KindNeeds, 20, w.clockAt)
		if err != nil {
			t.Fatal(err)
		}
		w.expectNeeds(t, "matches", itemIDs(res.Items), []string{"public", "partner"}, append(hidden, "mydraft"))
		// The start page's matches of several needs at once are each
		// need's Matches, for the needs the caller may see only.
		for _, who := range []string{"falun", "anonymous"} {
			ids := []int64{q.ID, w.needs["draft"].ID, w.needs["public"].ID}
			many, err := w.svc.NeedMatchesOf(w.actors[who], ids, 20)
			if err != nil {
				t.Fatal(err)
			}
			var want []*matching.Result
			for _, id := range ids {
				one, err := w.svc.Matches(w.actors[who], id, matching.KindNeeds, 20, w.clockAt)
				if arena.ErrorCode(err) == arena.ENOTFOUND {
					continue
				} else if err != nil {
					t.Fatal(err)
				}
				want = append(want, one)
			}
			if !reflect.DeepEqual(many, want) {
				t.Errorf("%s: NeedMatchesOf gives %d results, Matches one by one %d (or other items)", who, len(many), len(want))
			}
		}

		for _, c := range []struct {
			who           string
			org           int64 // the organisation asking, 0 for none named
			votes, silent []string
		}{
			{"falun", w.orgs["falun"].ID, []string{"public", "partner"}, append(hidden, "mydraft")},
			{"falun", 0, []string{"public", "partner"}, append(hidden, "mydraft")},
			{"anonymous", 0, []string{"public"}, append(hidden, "partner", "mydraft")},
		} {
			sug, err := w.svc.SuggestCPV(w.actors[c.who], q.Title, q.Description, c.org, len(testCPV))
			if err != nil {
				t.Fatal(err)
			}
			voted := map[string]bool{}
			for _, s := range sug {
				for _, r := range s.Reasons {
					if r.Key == "cpv.why.used_by_one" || r.Key == "cpv.why.used_by_many" || r.Key == "cpv.why.same_group" {
						voted[s.Code[:3]] = true
					}
				}
			}
			for _, k := range c.votes {
				if !voted[w.needs[k].CPVCodes[0][:3]] {
					t.Errorf("%s (organisation %d): the %s need did not vote for its code (groups voted for: %v)", c.who, c.org, k, voted)
				}
			}
			for _, k := range c.silent {
				if voted[w.needs[k].CPVCodes[0][:3]] {
					t.Errorf("%s (organisation %d): the %s need voted for its code (groups voted for: %v)", c.who, c.org, k, voted)
				}
			}
		}

		call := &arena.FundingCall{Title: "Trygghetslarm och välfärdsteknik för äldre", Description: "Digitala trygghetslarm i hemtjänsten och ordinärt boende."}
		w.call(t, call)
		for who, want := range map[string][]string{"falun": {"q", "public", "partner"}, "anonymous": {"q", "public"}} {
			fit, err := w.svc.CallFits(w.actors[who], call.ID, w.clockAt)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, f := range fit.Needs {
				ids = append(ids, f.ID)
			}
			dont := append([]string{"mydraft"}, hidden...)
			if who == "anonymous" {
				dont = append(dont, "partner")
			}
			w.expectNeeds(t, "call fits for "+who, ids, want, dont)
		}

		groups, err := w.svc.LatentNetworks(w.actors["broker"], w.clockAt)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range groups {
			for _, n := range g.Needs {
				if n.Visibility != arena.VisibilityPublic {
					t.Errorf("latent network with a %s need: %s", n.Visibility, n.Title)
				}
			}
		}
	})
}

func itemIDs(items []matching.Item) []int64 {
	var ids []int64
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	return ids
}

// expectNeeds checks that ids hold the needs named in want and none named
// in dont.
func (w *world) expectNeeds(t *testing.T, what string, ids []int64, want, dont []string) {
	t.Helper()
	for _, k := range want {
		if !slices.Contains(ids, w.needs[k].ID) {
			t.Errorf("%s lack the %s need", what, k)
		}
	}
	for _, k := range dont {
		if slices.Contains(ids, w.needs[k].ID) {
			t.Errorf("%s hold the %s need", what, k)
		}
	}
}

func (w *world) call(t *testing.T, c *arena.FundingCall) {
	t.Helper()
	if w.funder == 0 {
		f := &arena.Funder{Name: "Vinnova", Kind: arena.FunderAgency}
		if err := w.db.Funders.Create(system, f); err != nil {
			t.Fatal(err)
		}
		w.funder = f.ID
	}
	c.FunderID = w.funder
	if err := w.db.Calls.Create(system, c); err != nil {
		t.Fatal(err)
	}
	w.sync(t)
}

// TestSuggestCPVWithoutVotersIsLabelsOnly: a caller who may see no similar
// need gets suggestions from the labels alone.
func TestSuggestCPVWithoutVotersIsLabelsOnly(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		if err := db.LoadReference(context.Background(), &refdata.Set{CPV: testCPV}); err != nil {
			t.Fatal(err)
		}
		w.need(t, "draft", "boras", "Programmering av trygghetslarm", "Utkast om larm.", arena.VisibilityDraft, "72200000")
		sug, err := w.svc.SuggestCPV(w.actors["anonymous"], "Programmering av trygghetslarm", "Utkast om larm.", 0, 5)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sug {
			for _, r := range s.Reasons {
				if r.Key != "cpv.why.label_word" && r.Key != "cpv.why.parent_word" && r.Key != "cpv.why.label_like" {
					t.Errorf("%s: reason %v with nobody to vote", s.Code, r)
				}
			}
		}
	})
}
