package httpapi_test

import (
	"testing"

	tw "github.com/arena-se/arena/internal/testworld"
)

// netDraft is a draft dialogue {dlg} of N.
func netDraft(t *testing.T, w *tw.World, v tw.Vars) {
	v.Set("dlg", w.NewDialogue(t, tw.DialogueOpts{Network: w.ID(t, "N"), Draft: true}))
}

// dialogueRows are the market dialogue's rows. A's dialogue is published
// by A's people (arena.Publishes), N's by O's and A's (owner and active
// member; not I, invited, nor the broker). Suppliers (F; G is the rival
// whose records are in the world) answer, ask and register for their own
// organisation only (CanAnswerDialogue, CanAskDialogue,
// CanRegisterForMeeting); an answer is seen by its supplier and the
// publisher (CanSeeDialogueAnswer), a question by everyone once answered
// (CanSeeDialogueQuestion), the summary and export by the publisher
// (CanSeeDialogueSummary).
func dialogueRows() []apiRow {
	everyone := append([]string{anon, sup}, signedIn...)
	pubA := expect{admin: 200, member: 200, sup: 404, others: 404}
	open := tw.DialogueOpts{}
	newDialogue := `{"org_id": {A}, "kind": "rfi", "title": "RFI {uniq}", "description": "Behovet i funktionella termer", "questions": ["Vad finns?"], "deadline": "2026-04-30"}`
	rows := []apiRow{
		{name: "dialogues list", method: "GET", path: "/api/v1/dialogues", want: expect{sup: 200, others: 200},
			see: []tw.Seen{{Text: tw.DialogueTitle, To: everyone}, {Text: tw.DialogueDraft, To: peopleOfA}}},
		{name: "dialogues open on a day", method: "GET", path: "/api/v1/dialogues?open_on=2026-03-02&cpv=38000000", want: expect{sup: 200, others: 200},
			see: []tw.Seen{{Text: tw.DialogueTitle, To: everyone}}},
		{name: "dialogue get", method: "GET", path: "/api/v1/dialogues/{dialogue}", want: expect{sup: 200, others: 200}},
		{name: "dialogue draft get", method: "GET", path: "/api/v1/dialogues/{dialogue:draft}", want: pubA},
		{name: "network dialogue draft get", method: "GET", path: "/api/v1/dialogues/{dlg}", setup: netDraft,
			want: expect{owner: 200, admin: 200, member: 200, sup: 404, others: 404}},
		{name: "dialogue published by A", method: "POST", path: "/api/v1/dialogues", body: newDialogue,
			want: expect{admin: 201, member: 201, anon: 401, sup: 400, others: 400}},
		{name: "dialogue published by a supplier", method: "POST", path: "/api/v1/dialogues", body: `{"org_id": {F}, "kind": "rfi", "title": "RFI {uniq}", "description": "x", "questions": ["q"], "deadline": "2026-04-30"}`,
			want: expect{anon: 401, sup: 400, others: 400}},
		{name: "dialogue published by N", method: "POST", path: "/api/v1/dialogues", body: `{"network_id": {N}, "kind": "marknadsdialog", "title": "Dialog {uniq}", "description": "x", "questions": ["q"], "deadline": "2026-04-30"}`,
			want: expect{owner: 201, admin: 201, member: 201, anon: 401, sup: 403, others: 403}},
		{name: "dialogue published by the closed C", method: "POST", path: "/api/v1/dialogues", body: `{"network_id": {C}, "kind": "rfi", "title": "RFI {uniq}", "description": "x", "questions": ["q"], "deadline": "2026-04-30"}`,
			want: expect{admin: 409, member: 409, owner: 409, anon: 401, sup: 403, others: 403}},
		{name: "dialogue draft changed", method: "PATCH", path: "/api/v1/dialogues/{dlg}", body: `{"title": "Ändrad {uniq}"}`, setup: tw.FreshDialogue(tw.DialogueOpts{Draft: true}), want: pubA},
		{name: "dialogue draft published", method: "PATCH", path: "/api/v1/dialogues/{dlg}", body: `{"status": "published"}`, setup: tw.FreshDialogue(tw.DialogueOpts{Draft: true}), want: pubA},
		{name: "dialogue published changed", method: "PATCH", path: "/api/v1/dialogues/{dlg}", body: `{"deadline": "2026-05-01"}`, setup: tw.FreshDialogue(open),
			want: expect{admin: 200, member: 200, anon: 401, sup: 403, others: 403}},
		{name: "dialogue published, its questions changed", method: "PATCH", path: "/api/v1/dialogues/{dlg}", body: `{"questions": ["En annan fråga"]}`, setup: tw.FreshDialogue(open),
			want: expect{admin: 409, member: 409, anon: 401, sup: 403, others: 403}},
		{name: "dialogue published, back to draft", method: "PATCH", path: "/api/v1/dialogues/{dlg}", body: `{"status": "draft"}`, setup: tw.FreshDialogue(open),
			want: expect{admin: 409, member: 409, anon: 401, sup: 403, others: 403}},
		{name: "dialogue draft deleted", method: "DELETE", path: "/api/v1/dialogues/{dlg}", setup: tw.FreshDialogue(tw.DialogueOpts{Draft: true}),
			want: expect{admin: 204, member: 204, anon: 401, sup: 404, others: 404}},
		{name: "dialogue published deleted", method: "DELETE", path: "/api/v1/dialogues/{dlg}", setup: tw.FreshDialogue(open),
			want: expect{admin: 409, member: 409, anon: 401, sup: 403, others: 403}},

		// Answers.
		{name: "dialogue answers", method: "GET", path: "/api/v1/dialogue-answers?dialogue_id={dialogue}", want: expect{sup: 200, others: 200},
			see: []tw.Seen{{Text: tw.AnswerOfF, To: []string{admin, member, sup}}, {Text: tw.AnswerOfG, To: peopleOfA}}},
		{name: "dialogue answer of the rival", method: "GET", path: "/api/v1/dialogue-answers/{answer:rival}", want: pubA},
		{name: "dialogue answer of one's own", method: "GET", path: "/api/v1/dialogue-answers/{answer}", want: expect{admin: 200, member: 200, sup: 200, others: 404}},
		{name: "dialogue answered", method: "POST", path: "/api/v1/dialogue-answers", body: `{"dialogue_id": {dlg}, "org_id": {F}, "answers": ["Ja", "100 kr"]}`,
			setup: tw.FreshDialogue(open), want: expect{sup: 201, anon: 401, others: 400}},
		{name: "dialogue answered for one's own organisation", method: "POST", path: "/api/v1/dialogue-answers", body: `{"dialogue_id": {dlg}, "org_id": {me.org}, "answers": ["Ja"]}`,
			setup: tw.FreshDialogue(open), want: expect{sup: 201, anon: 401, others: 400}},
		{name: "dialogue answered twice", method: "POST", path: "/api/v1/dialogue-answers", body: `{"dialogue_id": {dlg}, "org_id": {F}, "answers": ["Igen"]}`,
			setup: tw.FreshAnswer(open), want: expect{sup: 409, anon: 401, others: 400}},
		{name: "dialogue answered after the deadline", method: "POST", path: "/api/v1/dialogue-answers", body: `{"dialogue_id": {dlg}, "org_id": {F}, "answers": ["Sent"]}`,
			setup: tw.FreshDialogue(tw.DialogueOpts{Closed: true}), want: expect{sup: 409, anon: 401, others: 400}},
		{name: "dialogue draft answered", method: "POST", path: "/api/v1/dialogue-answers", body: `{"dialogue_id": {dlg}, "org_id": {F}, "answers": ["Ja"]}`,
			setup: tw.FreshDialogue(tw.DialogueOpts{Draft: true}), want: expect{sup: 400, anon: 401, others: 400}},
		{name: "dialogue answer changed", method: "PATCH", path: "/api/v1/dialogue-answers/{ans}", body: `{"answers": ["Ändrat"]}`, setup: tw.FreshAnswer(open),
			want: expect{sup: 200, admin: 400, member: 400, others: 404}},
		{name: "dialogue answer changed after the deadline", method: "PATCH", path: "/api/v1/dialogue-answers/{ans}", body: `{"answers": ["Ändrat"]}`,
			setup: tw.FreshAnswer(tw.DialogueOpts{Closed: true}), want: expect{sup: 409, admin: 400, member: 400, others: 404}},
		{name: "dialogue answer withdrawn", method: "DELETE", path: "/api/v1/dialogue-answers/{ans}", setup: tw.FreshAnswer(open),
			want: expect{sup: 204, admin: 400, member: 400, anon: 401, others: 404}},

		// Questions.
		{name: "dialogue questions", method: "GET", path: "/api/v1/dialogue-questions?dialogue_id={dialogue}", want: expect{sup: 200, others: 200},
			see: []tw.Seen{{Text: tw.QuestionOpen, To: peopleOfA}, {Text: tw.QuestionAnswered, To: everyone}, {Text: tw.AnswerToAll, To: everyone}}},
		{name: "dialogue question unanswered", method: "GET", path: "/api/v1/dialogue-questions/{question}", want: pubA},
		{name: "dialogue question answered", method: "GET", path: "/api/v1/dialogue-questions/{question:answered}", want: expect{sup: 200, others: 200}},
		{name: "dialogue question asked", method: "POST", path: "/api/v1/dialogue-questions", body: `{"dialogue_id": {dlg}, "org_id": {F}, "question": "Hur många brandposter?"}`,
			setup: tw.FreshDialogue(open), want: expect{sup: 201, anon: 401, others: 400}},
		{name: "dialogue question asked after the deadline", method: "POST", path: "/api/v1/dialogue-questions", body: `{"dialogue_id": {dlg}, "org_id": {F}, "question": "Sent?"}`,
			setup: tw.FreshDialogue(tw.DialogueOpts{Closed: true}), want: expect{sup: 409, anon: 401, others: 400}},
		{name: "dialogue question answered by the publisher", method: "PATCH", path: "/api/v1/dialogue-questions/{q}", body: `{"answer": "Cirka tusen."}`,
			setup: tw.FreshQuestion(false), want: expect{admin: 200, member: 200, sup: 403, others: 404}},
		{name: "dialogue question answered twice", method: "PATCH", path: "/api/v1/dialogue-questions/{q}", body: `{"answer": "Ett annat svar."}`,
			setup: tw.FreshQuestion(true), want: expect{admin: 409, member: 409, sup: 403, anon: 401, others: 403}},
		{name: "dialogue question withdrawn", method: "DELETE", path: "/api/v1/dialogue-questions/{q}", setup: tw.FreshQuestion(false),
			want: expect{admin: 204, member: 204, sup: 204, anon: 401, others: 404}},
		{name: "dialogue question answered, withdrawn", method: "DELETE", path: "/api/v1/dialogue-questions/{q}", setup: tw.FreshQuestion(true),
			want: expect{admin: 204, member: 204, sup: 403, anon: 401, others: 403}},

		// The meeting.
		{name: "dialogue registrations", method: "GET", path: "/api/v1/dialogue-registrations?dialogue_id={dialogue}", want: expect{sup: 200, others: 200},
			see: []tw.Seen{{Text: tw.NamesOfG, To: peopleOfA}}},
		{name: "dialogue registration of the rival", method: "GET", path: "/api/v1/dialogue-registrations/{registration:rival}", want: pubA},
		{name: "dialogue meeting registered", method: "POST", path: "/api/v1/dialogue-registrations", body: `{"dialogue_id": {dlg}, "org_id": {F}, "attendees": 2}`,
			setup: tw.FreshDialogue(tw.DialogueOpts{Seats: 10}), want: expect{sup: 201, anon: 401, others: 400}},
		{name: "dialogue meeting full", method: "POST", path: "/api/v1/dialogue-registrations", body: `{"dialogue_id": {dlg}, "org_id": {F}, "attendees": 2}`,
			setup: tw.FreshSeatsTaken(3, 2), want: expect{sup: 409, anon: 401, others: 400}},
		{name: "dialogue without a meeting registered", method: "POST", path: "/api/v1/dialogue-registrations", body: `{"dialogue_id": {dlg}, "org_id": {F}, "attendees": 1}`,
			setup: tw.FreshDialogue(open), want: expect{sup: 400, anon: 401, others: 400}},
		{name: "dialogue registration changed", method: "PATCH", path: "/api/v1/dialogue-registrations/{reg}", body: `{"attendees": 2}`,
			setup: tw.FreshRegistration(10, 2), want: expect{sup: 200, admin: 400, member: 400, others: 404}},
		{name: "dialogue registration beyond the seats", method: "PATCH", path: "/api/v1/dialogue-registrations/{reg}", body: `{"attendees": 2}`,
			setup: tw.FreshRegistration(3, 2), want: expect{sup: 409, admin: 400, member: 400, others: 404}},
		{name: "dialogue registration cancelled", method: "DELETE", path: "/api/v1/dialogue-registrations/{reg}", setup: tw.FreshRegistration(10, 0),
			want: expect{sup: 204, admin: 400, member: 400, anon: 401, others: 404}},

		// Documents.
		{name: "dialogue files", method: "GET", path: "/api/v1/dialogues/{dlg}/files", setup: tw.FreshDialogueFile, want: expect{sup: 200, others: 200}},
		{name: "dialogue file added", method: "POST", path: "/api/v1/dialogues/{dlg}/files?name=underlag.pdf", body: string(tw.TinyPDF), setup: tw.FreshDialogue(open),
			want: expect{admin: 201, member: 201, anon: 401, sup: 403, others: 403}},
		{name: "dialogue draft's file added", method: "POST", path: "/api/v1/dialogues/{dlg}/files?name=underlag.pdf", body: string(tw.TinyPDF), setup: tw.FreshDialogue(tw.DialogueOpts{Draft: true}),
			want: expect{admin: 201, member: 201, anon: 401, sup: 404, others: 404}},
		{name: "dialogue file download", method: "GET", path: "/api/v1/dialogues/{dlg}/files/{file}", setup: tw.FreshDialogueFile, want: expect{sup: 200, others: 200}},
		{name: "dialogue file removed", method: "DELETE", path: "/api/v1/dialogues/{dlg}/files/{file}", setup: tw.FreshDialogueFile,
			want: expect{admin: 204, member: 204, anon: 401, sup: 403, others: 403}},

		// The publisher's summary and export.
		{name: "dialogue summary", method: "GET", path: "/api/v1/dialogues/{dialogue}/summary", want: expect{admin: 200, member: 200, anon: 401, sup: 403, others: 403},
			see: []tw.Seen{{Text: tw.AnswerOfF, To: peopleOfA}, {Text: tw.AnswerOfG, To: peopleOfA}, {Text: tw.QuestionOpen, To: peopleOfA}, {Text: tw.NamesOfG, To: peopleOfA}}},
		{name: "dialogue summary of a draft", method: "GET", path: "/api/v1/dialogues/{dialogue:draft}/summary", want: pubA},
		{name: "network dialogue summary", method: "GET", path: "/api/v1/dialogues/{dialogue:net}/summary",
			want: expect{owner: 200, admin: 200, member: 200, anon: 401, sup: 403, others: 403}},
		{name: "dialogue export", method: "GET", path: "/api/v1/dialogues/{dialogue}/export?format=csv", want: expect{admin: 200, member: 200, anon: 401, sup: 403, others: 403},
			see: []tw.Seen{{Text: tw.AnswerOfG, To: peopleOfA}}},
		{name: "dialogue export as Excel", method: "GET", path: "/api/v1/dialogues/{dialogue}/export?format=xlsx", want: expect{admin: 200, member: 200, anon: 401, sup: 403, others: 403}},
		{name: "dialogue export in an unknown format", method: "GET", path: "/api/v1/dialogues/{dialogue}/export?format=pdf", want: expect{admin: 400, member: 400, anon: 401, sup: 403, others: 403}},
	}
	return rows
}
