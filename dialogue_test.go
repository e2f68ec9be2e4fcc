package arena

import (
	"testing"
)

func dialogueFixture() (buyer, supplier, broker *Actor, buyerOrg, supplierOrg *Organization, d *Dialogue) {
	buyerOrg = &Organization{Meta: Meta{ID: 1}, Name: "Falu kommun", Kind: OrgKommun}
	supplierOrg = &Organization{Meta: Meta{ID: 2}, Name: "Sensorbolaget AB", Kind: OrgCompany}
	buyer = &Actor{User: &User{Meta: Meta{ID: 10}}, Orgs: []OrgMembership{{OrgID: 1, Role: OrgRoleMember, Status: OrgMemberActive}}}
	supplier = &Actor{User: &User{Meta: Meta{ID: 20}}, Orgs: []OrgMembership{{OrgID: 2, Role: OrgRoleMember, Status: OrgMemberActive}}}
	broker = &Actor{User: &User{Meta: Meta{ID: 30}, PlatformRoles: []PlatformRole{RoleBroker}}}
	seats := int64(10)
	meeting := NewDate(2026, 5, 20)
	org := int64(1)
	d = &Dialogue{OrgID: &org, Kind: DialogueMarket, Status: DialoguePublished, Title: "Sensorer i brandposter",
		Description: "Vi behöver veta när en brandpost fryser.", Questions: []string{"Finns det?", "Vad kostar det?"},
		Deadline: new(NewDate(2026, 5, 1)), Meeting: MeetingDialogueDay, MeetingDate: &meeting, MeetingPlace: "Falun", Seats: &seats}
	return
}

func TestDialogueValidate(t *testing.T) {
	_, _, _, _, _, base := dialogueFixture()
	net := int64(5)
	for _, tc := range []struct {
		name  string
		edit  func(d *Dialogue)
		field string
	}{
		{"valid", func(d *Dialogue) {}, ""},
		{"both publishers", func(d *Dialogue) { d.NetworkID = &net }, "org_id"},
		{"no publisher", func(d *Dialogue) { d.OrgID = nil }, "org_id"},
		{"no questions", func(d *Dialogue) { d.Questions = []string{" ", ""} }, "questions"},
		{"no deadline", func(d *Dialogue) { d.Deadline = nil }, "deadline"},
		{"a meeting without a place", func(d *Dialogue) { d.MeetingPlace = "" }, "meeting_place"},
		{"seats without a meeting", func(d *Dialogue) { d.Meeting = ""; d.MeetingDate = nil; d.MeetingPlace = "" }, "meeting"},
		{"no seats", func(d *Dialogue) { zero := int64(0); d.Seats = &zero }, "seats"},
		{"unknown kind", func(d *Dialogue) { d.Kind = "auktion" }, "kind"},
	} {
		d := *base
		d.Questions = append([]string{}, base.Questions...)
		tc.edit(&d)
		err := d.Validate()
		if got := fieldOf(err); got != tc.field {
			t.Errorf("%s: Validate() = %v, want an error at %q", tc.name, err, tc.field)
		}
	}
}

func fieldOf(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := err.(*Error); ok {
		return e.Field
	}
	return "?"
}

func TestCanKeepDialogue(t *testing.T) {
	buyer, supplier, broker, buyerOrg, supplierOrg, d := dialogueFixture()
	draft := *d
	draft.Status = DialogueDraft
	changedQuestions := *d
	changedQuestions.Questions = []string{"En ny fråga"}
	unpublished := *d
	unpublished.Status = DialogueDraft
	otherOrg := int64(2)
	moved := *d
	moved.OrgID = &otherOrg
	net := &Network{Meta: Meta{ID: 5}, Status: NetworkClosed}
	netID := int64(5)
	ofNet := *d
	ofNet.OrgID, ofNet.NetworkID = nil, &netID
	for _, tc := range []struct {
		name   string
		a      *Actor
		old, v *Dialogue
		org    *Organization
		net    *Network
		s      *Standing
		code   string
	}{
		{"a buyer publishes for its organisation", buyer, nil, d, buyerOrg, nil, nil, ""},
		{"anonymous", nil, nil, d, buyerOrg, nil, nil, EUNAUTHORIZED},
		{"a supplier for a buyer", supplier, nil, d, buyerOrg, nil, nil, EINVALID},
		{"a supplier for itself", supplier, nil, &moved, supplierOrg, nil, nil, EINVALID},
		{"a broker", broker, nil, d, buyerOrg, nil, nil, EINVALID},
		{"a draft is deleted", buyer, &draft, nil, buyerOrg, nil, nil, ""},
		{"a published one is not", buyer, d, nil, buyerOrg, nil, nil, ECONFLICT},
		{"published stays published", buyer, d, &unpublished, buyerOrg, nil, nil, ECONFLICT},
		{"published keeps its questions", buyer, d, &changedQuestions, buyerOrg, nil, nil, ECONFLICT},
		{"a draft's questions change", buyer, &draft, &changedQuestions, buyerOrg, nil, nil, ""},
		{"the publisher is fixed", buyer, d, &moved, buyerOrg, nil, nil, EINVALID},
		{"an active member for its network", buyer, nil, &ofNet, nil, &Network{Meta: Meta{ID: 5}}, &Standing{Active: true}, ""},
		{"an invited member", buyer, nil, &ofNet, nil, &Network{Meta: Meta{ID: 5}}, &Standing{Invited: true}, EFORBIDDEN},
		{"a broker of the network", broker, nil, &ofNet, nil, &Network{Meta: Meta{ID: 5}}, &Standing{Broker: true}, EFORBIDDEN},
		{"a closed network", buyer, nil, &ofNet, nil, net, &Standing{Owner: true}, ECONFLICT},
	} {
		if got := ErrorCode(CanKeepDialogue(tc.a, tc.old, tc.v, tc.org, tc.net, tc.s)); got != tc.code {
			t.Errorf("%s: CanKeepDialogue = %q, want %q", tc.name, got, tc.code)
		}
	}
}

func TestSuppliersAnswerUntilTheDeadline(t *testing.T) {
	buyer, supplier, _, buyerOrg, supplierOrg, d := dialogueFixture()
	ans := &DialogueAnswer{DialogueID: 1, OrgID: 2, Answers: []string{"Ja", "100 kr"}}
	onTime, late := NewDate(2026, 5, 1), NewDate(2026, 5, 2)
	draft := *d
	draft.Status = DialogueDraft
	tooMany := &DialogueAnswer{DialogueID: 1, OrgID: 2, Answers: []string{"a", "b", "c"}}
	for _, tc := range []struct {
		name    string
		a       *Actor
		d       *Dialogue
		org     *Organization
		old, v  *DialogueAnswer
		earlier int
		today   Date
		code    string
	}{
		{"on the last day", supplier, d, supplierOrg, nil, ans, 0, onTime, ""},
		{"after the deadline", supplier, d, supplierOrg, nil, ans, 0, late, ECONFLICT},
		{"changed after the deadline", supplier, d, supplierOrg, ans, ans, 0, late, ECONFLICT},
		{"withdrawn after the deadline", supplier, d, supplierOrg, ans, nil, 0, late, ECONFLICT},
		{"a second answer", supplier, d, supplierOrg, nil, ans, 1, onTime, ECONFLICT},
		{"a draft", supplier, &draft, supplierOrg, nil, ans, 0, onTime, EINVALID},
		{"for another organisation", buyer, d, supplierOrg, nil, ans, 0, onTime, EINVALID},
		{"a buyer answering", buyer, d, buyerOrg, nil, &DialogueAnswer{DialogueID: 1, OrgID: 1, Answers: []string{"x"}}, 0, onTime, EINVALID},
		{"more answers than questions", supplier, d, supplierOrg, nil, tooMany, 0, onTime, EINVALID},
		{"anonymous", nil, d, supplierOrg, nil, ans, 0, onTime, EUNAUTHORIZED},
	} {
		if got := ErrorCode(CanAnswerDialogue(tc.a, tc.d, tc.org, tc.old, tc.v, tc.earlier, tc.today)); got != tc.code {
			t.Errorf("%s: CanAnswerDialogue = %q, want %q", tc.name, got, tc.code)
		}
	}
	if !CanSeeDialogueAnswer(buyer, d, nil, ans) || !CanSeeDialogueAnswer(supplier, d, nil, ans) {
		t.Error("the publisher and the supplier see the supplier's answer")
	}
	rival := &Actor{User: &User{Meta: Meta{ID: 21}}, Orgs: []OrgMembership{{OrgID: 3, Status: OrgMemberActive}}}
	if CanSeeDialogueAnswer(rival, d, nil, ans) || CanSeeDialogueAnswer(nil, d, nil, ans) {
		t.Error("another supplier, or anyone anonymous, sees a supplier's answer")
	}
}

func TestQuestionsAreAnsweredOnceToEveryone(t *testing.T) {
	buyer, supplier, _, _, supplierOrg, d := dialogueFixture()
	today := NewDate(2026, 4, 1)
	q := &DialogueQuestion{DialogueID: 1, OrgID: 2, Question: "Räcker batteriet fem år?"}
	answered := *q
	answered.Answer = "Ja, minst fem år."
	again := answered
	again.Answer = "Nej."
	rewritten := answered
	rewritten.Question = "Något annat?"
	for _, tc := range []struct {
		name   string
		a      *Actor
		old, v *DialogueQuestion
		code   string
	}{
		{"a supplier asks", supplier, nil, q, ""},
		{"a supplier asks and answers itself", supplier, nil, &answered, EINVALID},
		{"the publisher answers", buyer, q, &answered, ""},
		{"the supplier answers", supplier, q, &answered, EFORBIDDEN},
		{"answered again", buyer, &answered, &again, ECONFLICT},
		{"the question rewritten", buyer, q, &rewritten, EINVALID},
		{"the asker withdraws an open question", supplier, q, nil, ""},
		{"the asker withdraws an answered one", supplier, &answered, nil, EFORBIDDEN},
		{"the publisher removes one", buyer, &answered, nil, ""},
	} {
		if got := ErrorCode(CanAskDialogue(tc.a, d, nil, supplierOrg, tc.old, tc.v, today)); got != tc.code {
			t.Errorf("%s: CanAskDialogue = %q, want %q", tc.name, got, tc.code)
		}
	}
	rival := &Actor{User: &User{Meta: Meta{ID: 21}}, Orgs: []OrgMembership{{OrgID: 3, Status: OrgMemberActive}}}
	if CanSeeDialogueQuestion(rival, d, nil, q) || !CanSeeDialogueQuestion(rival, d, nil, &answered) || !CanSeeDialogueQuestion(nil, d, nil, &answered) {
		t.Error("an unanswered question is the asker's and the publisher's; an answered one everyone's")
	}
	if CanSeeAsker(buyer, &answered) || CanSeeAsker(rival, &answered) || !CanSeeAsker(supplier, &answered) {
		t.Error("only the asker's own people see who asked")
	}
}

func TestMeetingSeats(t *testing.T) {
	_, supplier, _, _, supplierOrg, d := dialogueFixture()
	r := &DialogueRegistration{DialogueID: 1, OrgID: 2, Attendees: 3}
	before, after := NewDate(2026, 5, 20), NewDate(2026, 5, 21)
	noMeeting := *d
	noMeeting.Meeting, noMeeting.MeetingDate, noMeeting.Seats = "", nil, nil
	for _, tc := range []struct {
		name  string
		d     *Dialogue
		taken int64
		today Date
		code  string
	}{
		{"seats left", d, 7, before, ""},
		{"one too many", d, 8, before, ECONFLICT},
		{"the meeting held", d, 0, after, ECONFLICT},
		{"no meeting", &noMeeting, 0, before, EINVALID},
	} {
		if got := ErrorCode(CanRegisterForMeeting(supplier, tc.d, supplierOrg, nil, r, 0, tc.taken, tc.today)); got != tc.code {
			t.Errorf("%s: CanRegisterForMeeting = %q, want %q", tc.name, got, tc.code)
		}
	}
}
