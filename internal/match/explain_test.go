package match

import (
	"fmt"
	"slices"
	"testing"
)

// genericTexts are twelve needs on other subjects written in the field's
// prose: "omfattar", "leverantören" and "lösningen" are in every one.
func genericTexts() []string {
	subjects := []string{"snöröjning av gator", "tolkning på distans", "skolmåltider", "städning av lokaler",
		"parkering för cyklar", "fönsterbyte i skolor", "arkivering av handlingar", "tvätt av arbetskläder",
		"vägmarkering", "simhallens ventilation", "lekplatser", "bokning av lokaler"}
	out := make([]string, len(subjects))
	for i, s := range subjects {
		out[i] = fmt.Sprintf("Uppdraget omfattar %s. Leverantören ska redovisa hur lösningen fungerar.", s)
	}
	return out
}

// A shared concept is given as a reason when it carries the match: the
// field's common words that two needs share beside a concept of their
// own ("matsvinn") are not named, but they are when they are all the
// match has.
func TestReasonsAreWhatCarriesTheMatch(t *testing.T) {
	ix := NewIndex(NewAnalyzer(nil))
	for i, text := range genericTexts() {
		ix.Upsert(&Need{ID: fmt.Sprintf("g%d", i), Org: fmt.Sprintf("org%d", i), Title: "Behov " + fmt.Sprint(i), Description: text})
	}
	food := &Need{ID: "food", Org: "falun", Title: "Minska matsvinnet i skolköken",
		Description: "Uppdraget omfattar mätning av matsvinn. Leverantören ska redovisa hur lösningen minskar matsvinnet."}
	waste := &Need{ID: "waste", Org: "borlange", Title: "Uppföljning av matsvinn",
		Description: "Uppdraget omfattar uppföljning av matsvinn i kommunens kök. Leverantören ska redovisa hur lösningen används."}
	ix.Upsert(food)
	ix.Upsert(waste)
	got := ix.Explain(food, waste, 6)
	if !slices.ContainsFunc(got, func(c SharedConcept) bool { return c.Need == "matsvinn" || c.Need == "matsvinnet" }) {
		t.Fatalf("shared %v: lacks matsvinn", got)
	}
	for _, c := range got {
		switch c.Need {
		case "omfattar", "leverantören", "lösningen", "uppdraget", "redovisa":
			t.Errorf("shared %v: the common word %q is named beside matsvinn", got, c.Need)
		}
	}
	// Two needs that share only the field's words: those words are what
	// they share, and are named.
	only := ix.Explain(&Need{ID: "q", Org: "x", Description: "Uppdraget omfattar bokning. Leverantören ska redovisa hur lösningen fungerar."},
		&Need{ID: "g0", Org: "org0", Description: genericTexts()[0]}, 6)
	if len(only) == 0 {
		t.Fatal("needs that share only common words: no concept named")
	}

	// A concept shared through a compound's part weighs as the word it is,
	// not less than the words both needs use whole: "larm", in more needs
	// than "digital", is what the two alarm needs are about.
	an := NewAnalyzer(referenceFolder(t, "trygghet\t1\t0\t1\t0\t\nlarm\t1\t0\t1\t0\t\nkedja\t0\t0\t1\t0\t\n",
		`{"title": "Trygghet", "text": "Trygghet och larm. Ett larm i en kedja."}`, `{"title": "Trygghetslarm", "text": "Larmkedja."}`))
	alarms := NewIndex(an)
	for i, text := range genericTexts() {
		alarms.Upsert(&Need{ID: fmt.Sprintf("g%d", i), Org: fmt.Sprintf("org%d", i), Title: "Behov " + fmt.Sprint(i), Description: text})
	}
	for i, title := range []string{"Larm i simhallen", "Larm i skolornas kök", "Larm vid pumpstationer"} {
		alarms.Upsert(&Need{ID: fmt.Sprintf("l%d", i), Org: fmt.Sprintf("lorg%d", i), Title: title, Description: "Ett larm ska gå till jouren."})
	}
	a := &Need{ID: "a", Org: "falun", Title: "Trygghetslarm med digital larmkedja för hemtjänsten",
		Description: "Trygghetslarmen ska vara digitala hela vägen till larmcentralen och hemtjänsten."}
	b := &Need{ID: "b", Org: "borlange", Title: "Digitala larm för trygghet i hemmet",
		Description: "Hemtjänsten behöver digitala larm som fungerar utan fast telefoni."}
	alarms.Upsert(a)
	alarms.Upsert(b)
	got = alarms.Explain(b, a, 6)
	if !slices.ContainsFunc(got, func(c SharedConcept) bool { return c.Need == "larm" }) {
		t.Errorf("alarm needs: shared %v lacks larm", got)
	}

	// The items' reasons follow the same rule.
	var items []Item
	for i, text := range genericTexts() {
		items = append(items, Item{ID: fmt.Sprintf("proj:g%d", i), Title: "Projekt " + fmt.Sprint(i), Body: text})
	}
	items = append(items, Item{ID: "proj:waste", Title: waste.Title, Body: waste.Description})
	ms := collection(t, NewAnalyzer(nil), items).rank(food, 1, 0, nil)
	if len(ms) != 1 || ms[0].ID != "proj:waste" {
		t.Fatalf("items: got %v, want proj:waste first", collSummary(ms))
	}
	if !slices.ContainsFunc(ms[0].Shared, func(c SharedConcept) bool { return c.Item == "matsvinn" }) {
		t.Fatalf("items: shared %v lacks matsvinn", ms[0].Shared)
	}
	for _, c := range ms[0].Shared {
		switch c.Item {
		case "omfattar", "leverantören", "lösningen", "uppdraget", "redovisa":
			t.Errorf("items: shared %v: the common word %q is named beside matsvinn", ms[0].Shared, c.Item)
		}
	}
}
