package web_test

import (
	"net/url"

	tw "github.com/arena-se/arena/internal/testworld"
)

// dialogueRows are the market dialogue's pages and forms, by the same
// rules as the API's rows (internal/httpapi/dialogue_matrix_test.go): A's
// people publish A's dialogue; F, the supplier, answers, asks and
// registers for itself; G's records in the world are never F's to see.
func dialogueRows() []webRow {
	all := append([]string{sup}, everyone...)
	pubA := want{admin: 200, member: 200, sup: 404, rest: 404}
	open := tw.DialogueOpts{}
	newDialogue := url.Values{"org_id": {"{A}"}, "kind": {"rfi"}, "title": {"RFI {uniq}"}, "description": {"Behovet i funktionella termer"},
		"questions": {"Vad finns?\nVad kostar det?"}, "deadline": {"2026-04-30"}, "status": {"draft"}}
	saved := url.Values{"version": {"1"}}
	for k, vs := range newDialogue {
		saved[k] = vs
	}
	saved.Set("status", "published")
	answer := url.Values{"org_id": {"{F}"}, "answer-1": {"Vi har sensorer"}, "answer-2": {"900 kr per år"}, "contact": {"sara@f.test"}}
	signIn := want{anon: toSignIn, sup: 303, rest: 400}
	return []webRow{
		{name: "dialogues", method: "GET", path: "/dialoger", want: want{sup: 200, rest: 200},
			see: []tw.Seen{{Text: tw.DialogueTitle, To: all}, {Text: tw.DialogueDraft, To: peopleOfA}}},
		{name: "dialogues, closed too, by CPV", method: "GET", path: "/dialoger?stangda=1&cpv=38000000&slag=marknadsdialog", want: want{sup: 200, rest: 200},
			see: []tw.Seen{{Text: tw.DialogueTitle, To: all}}},
		{name: "dialogue", method: "GET", path: "/dialoger/{dialogue}", want: want{sup: 200, rest: 200},
			see: []tw.Seen{{Text: tw.AnswerToAll, To: all}, {Text: tw.QuestionOpen, To: peopleOfA}, {Text: tw.AnswerOfF, To: []string{sup}},
				{Text: `id="answer-form"`, To: []string{sup}}, {Text: `id="reply-{question}-send"`, To: peopleOfA}, {Text: `id="dialogue-summary"`, To: peopleOfA}}},
		{name: "dialogue draft", method: "GET", path: "/dialoger/{dialogue:draft}", want: pubA},
		{name: "dialogue form, new", method: "GET", path: "/dialoger/ny", want: want{anon: toSignIn, sup: 200, rest: 200}},
		{name: "dialogue published", method: "POST", path: "/dialoger", form: newDialogue, want: want{admin: 303, member: 303, anon: toSignIn, sup: 400, rest: 400}},
		{name: "dialogue edit form", method: "GET", path: "/dialoger/{dlg}/andra", setup: tw.FreshDialogue(tw.DialogueOpts{Draft: true}),
			want: want{admin: 200, member: 200, anon: toSignIn, sup: 404, rest: 404}},
		{name: "dialogue draft published", method: "POST", path: "/dialoger/{dlg}/andra", form: saved, setup: tw.FreshDialogue(tw.DialogueOpts{Draft: true}),
			want: want{admin: 303, member: 303, anon: toSignIn, sup: 404, rest: 404}},
		{name: "dialogue draft deleted", method: "POST", path: "/dialoger/{dlg}/ta-bort", form: url.Values{"version": {"1"}}, setup: tw.FreshDialogue(tw.DialogueOpts{Draft: true}),
			want: want{admin: 303, member: 303, anon: toSignIn, sup: 404, rest: 404}},
		{name: "dialogue published, not deleted", method: "POST", path: "/dialoger/{dlg}/ta-bort", form: url.Values{"version": {"1"}}, setup: tw.FreshDialogue(open),
			want: want{admin: 409, member: 409, anon: toSignIn, sup: 403, rest: 403}},

		{name: "dialogue answered", method: "POST", path: "/dialoger/{dlg}/svar", form: answer, setup: tw.FreshDialogue(open), want: signIn},
		{name: "dialogue answer changed", method: "POST", path: "/dialoger/{dlg}/svar", form: merged(answer, url.Values{"version": {"1"}}), setup: tw.FreshAnswer(open), want: signIn},
		{name: "dialogue answered after the deadline", method: "POST", path: "/dialoger/{dlg}/svar", form: answer, setup: tw.FreshDialogue(tw.DialogueOpts{Closed: true}),
			want: want{anon: toSignIn, sup: 409, rest: 400}},
		{name: "dialogue answered with nothing", method: "POST", path: "/dialoger/{dlg}/svar", form: url.Values{"org_id": {"{F}"}, "answer-1": {" "}},
			setup: tw.FreshDialogue(open), want: want{anon: toSignIn, sup: 400, rest: 400}},
		{name: "dialogue answer withdrawn", method: "POST", path: "/dialoger/{dlg}/svar/ta-bort", form: url.Values{"org_id": {"{F}"}, "version": {"1"}},
			setup: tw.FreshAnswer(open), want: want{anon: toSignIn, sup: 303, rest: 404}},
		{name: "dialogue question asked", method: "POST", path: "/dialoger/{dlg}/fragor", form: url.Values{"org_id": {"{F}"}, "question": {"Hur många brandposter?"}},
			setup: tw.FreshDialogue(open), want: signIn},
		{name: "dialogue question answered", method: "POST", path: "/dialogfragor/{q}/besvara", form: url.Values{"reply-{q}": {"Cirka tusen."}, "version": {"1"}},
			setup: tw.FreshQuestion(false), want: want{admin: 303, member: 303, anon: toSignIn, sup: 403, rest: 404}},
		{name: "dialogue question answered twice", method: "POST", path: "/dialogfragor/{q}/besvara", form: url.Values{"reply-{q}": {"Annat."}, "version": {"1"}},
			setup: tw.FreshQuestion(true), want: want{admin: 409, member: 409, anon: toSignIn, sup: 403, rest: 403}},
		{name: "dialogue question withdrawn", method: "POST", path: "/dialogfragor/{q}/ta-bort", form: url.Values{"version": {"1"}},
			setup: tw.FreshQuestion(false), want: want{admin: 303, member: 303, anon: toSignIn, sup: 303, rest: 404}},
		{name: "dialogue meeting registered", method: "POST", path: "/dialoger/{dlg}/anmalan", form: url.Values{"org_id": {"{F}"}, "attendees": {"2"}, "names": {"Frida"}},
			setup: tw.FreshDialogue(tw.DialogueOpts{Seats: 10}), want: signIn},
		{name: "dialogue meeting full", method: "POST", path: "/dialoger/{dlg}/anmalan", form: url.Values{"org_id": {"{F}"}, "attendees": {"2"}},
			setup: tw.FreshSeatsTaken(3, 2), want: want{anon: toSignIn, sup: 409, rest: 400}},
		{name: "dialogue meeting, attendees not a number", method: "POST", path: "/dialoger/{dlg}/anmalan", form: url.Values{"org_id": {"{F}"}, "attendees": {"två"}},
			setup: tw.FreshDialogue(tw.DialogueOpts{Seats: 10}), want: want{anon: toSignIn, sup: 400, rest: 400}},
		{name: "dialogue registration cancelled", method: "POST", path: "/dialoger/{dlg}/anmalan/ta-bort", form: url.Values{"org_id": {"{F}"}, "version": {"1"}},
			setup: tw.FreshRegistration(10, 0), want: want{anon: toSignIn, sup: 303, rest: 404}},

		{name: "dialogue file upload, not a multipart form", method: "POST", path: "/dialoger/{dlg}/filer", setup: tw.FreshDialogue(open), want: want{anon: toSignIn, sup: 400, rest: 400}},
		{name: "dialogue file download", method: "GET", path: "/dialoger/{dlg}/filer/{file}", setup: tw.FreshDialogueFile, want: want{sup: 200, rest: 200}},
		{name: "dialogue file removed", method: "POST", path: "/dialoger/{dlg}/filer/{file}/ta-bort", setup: tw.FreshDialogueFile,
			want: want{admin: 303, member: 303, anon: toSignIn, sup: 403, rest: 403}},

		{name: "dialogue summary", method: "GET", path: "/dialoger/{dialogue}/sammanstallning", want: want{admin: 200, member: 200, anon: toSignIn, sup: 403, rest: 403},
			see: []tw.Seen{{Text: tw.AnswerOfF, To: peopleOfA}, {Text: tw.AnswerOfG, To: peopleOfA}, {Text: tw.NamesOfG, To: peopleOfA}}},
		{name: "dialogue export", method: "GET", path: "/dialoger/{dialogue}/export?format=csv", want: want{admin: 200, member: 200, anon: toSignIn, sup: 403, rest: 403},
			see: []tw.Seen{{Text: tw.AnswerOfG, To: peopleOfA}}},
		{name: "dialogue export, an unknown format", method: "GET", path: "/dialoger/{dialogue}/export?format=pdf", want: want{admin: 400, member: 400, anon: toSignIn, sup: 403, rest: 403}},
	}
}

// merged is a's values with b's.
func merged(a, b url.Values) url.Values {
	out := url.Values{}
	for _, v := range []url.Values{a, b} {
		for k, vs := range v {
			out[k] = vs
		}
	}
	return out
}
