package arena

import (
	"slices"
	"time"
)

// ---------------------------------------------------------------------------
// Market dialogue with suppliers (marknadsdialog, RFI; 5.1.2, 5.3.1)
//
// A buyer organisation or a network publishes a dialogue about a need: the
// need in functional terms, questions to the market, documents, a deadline
// and, when it holds one, a meeting (a dialogue day or a reverse pitch)
// with a cap on seats. Suppliers (organisations that are not public
// buyers) find the open dialogues and answer them. Each answer is seen by
// its supplier and by the publisher only, never by other suppliers.
// Suppliers' questions are answered once, and the answer is published to
// every supplier without the asker's name (likabehandling). After the
// deadline answers are locked.

// DialogueKind is what a dialogue asks the market for.
type DialogueKind string

// Kinds of dialogue.
const (
	DialogueRFI    DialogueKind = "rfi"            // request for information (RFI)
	DialogueMarket DialogueKind = "marknadsdialog" // market dialogue
)

// DialogueKinds lists every kind.
var DialogueKinds = []DialogueKind{DialogueMarket, DialogueRFI}

// DialogueStatus tells whether suppliers see a dialogue.
type DialogueStatus string

// Statuses of a dialogue: a draft is its publisher's; a published one is
// public. A published dialogue does not go back to draft: suppliers may
// have answered it.
const (
	DialogueDraft     DialogueStatus = "draft"
	DialoguePublished DialogueStatus = "published"
)

// DialogueStatuses lists every status.
var DialogueStatuses = []DialogueStatus{DialogueDraft, DialoguePublished}

// MeetingKind is the meeting a dialogue holds, if any.
type MeetingKind string

// Kinds of meeting.
const (
	MeetingDialogueDay  MeetingKind = "dialogdag"    // a day where suppliers present and ask
	MeetingReversePitch MeetingKind = "omvand_pitch" // the buyer pitches its need to suppliers
)

// MeetingKinds lists every kind of meeting.
var MeetingKinds = []MeetingKind{MeetingDialogueDay, MeetingReversePitch}

// Limits of a dialogue.
const (
	DialogueQuestionsMax = 30   // questions of one dialogue
	QuestionMax          = 2000 // one question, or its answer
	SeatsMax             = 1000 // seats of a meeting
	AttendeesMax         = 5    // seats one supplier takes
)

// Dialogue is a market dialogue or RFI published by an organisation
// (OrgID) or a network (NetworkID), exactly one of them.
type Dialogue struct {
	Meta
	OrgID        *int64         `json:"org_id,omitempty"`
	NetworkID    *int64         `json:"network_id,omitempty"`
	NeedID       *int64         `json:"need_id,omitempty"` // the need it is about, if it is in the arena
	Kind         DialogueKind   `json:"kind"`
	Status       DialogueStatus `json:"status"`
	Title        string         `json:"title"`
	Description  string         `json:"description"` // the need in functional terms
	Questions    []string       `json:"questions"`
	CPVCodes     []string       `json:"cpv_codes"`
	Sector       string         `json:"sector,omitempty"`
	Deadline     *Date          `json:"deadline"` // the last day answers and questions are taken
	Meeting      MeetingKind    `json:"meeting,omitempty"`
	MeetingDate  *Date          `json:"meeting_date,omitempty"`
	MeetingPlace string         `json:"meeting_place,omitempty"`
	Seats        *int64         `json:"seats,omitempty"`
}

// Validate checks the dialogue's own rules.
func (d *Dialogue) Validate() error {
	if (d.OrgID == nil) == (d.NetworkID == nil) {
		return Invalid("org_id", "err.dialogue.one_publisher")
	}
	if err := requireText("title", &d.Title, NameMax); err != nil {
		return err
	}
	if err := requireText("description", &d.Description, LongTextMax); err != nil {
		return err
	}
	if err := optionalText("sector", &d.Sector, NameMax); err != nil {
		return err
	}
	if d.Status == "" {
		d.Status = DialogueDraft
	}
	if err := checkEnum("kind", d.Kind, DialogueKinds, false); err != nil {
		return err
	}
	if err := checkEnum("status", d.Status, DialogueStatuses, false); err != nil {
		return err
	}
	if len(d.Questions) > DialogueQuestionsMax {
		return Invalid("questions", "err.list_long", F{"max": DialogueQuestionsMax})
	}
	qs, err := checkTexts("questions", d.Questions, QuestionMax)
	if err != nil {
		return err
	}
	if len(qs) == 0 {
		return Invalid("questions", "err.dialogue.no_questions")
	}
	d.Questions = qs
	codes, err := normalizeCPVList("cpv_codes", d.CPVCodes)
	if err != nil {
		return err
	}
	d.CPVCodes = codes
	if d.Deadline == nil || d.Deadline.IsZero() {
		return Invalid("deadline", "err.required")
	}
	if err := checkEnum("meeting", d.Meeting, MeetingKinds, true); err != nil {
		return err
	}
	if err := optionalText("meeting_place", &d.MeetingPlace, ShortTextMax); err != nil {
		return err
	}
	if d.Meeting == "" {
		if d.MeetingDate != nil || d.MeetingPlace != "" || d.Seats != nil {
			return Invalid("meeting", "err.dialogue.meeting_kind")
		}
		return nil
	}
	switch {
	case d.MeetingDate == nil:
		return Invalid("meeting_date", "err.required")
	case d.MeetingPlace == "":
		return Invalid("meeting_place", "err.required")
	case d.Seats == nil:
		return Invalid("seats", "err.required")
	case *d.Seats < 1 || *d.Seats > SeatsMax:
		return Invalid("seats", "err.between", F{"min": 1, "max": SeatsMax})
	}
	return nil
}

// Open reports whether the dialogue takes answers and questions on day
// today: published, and the deadline not passed.
func (d *Dialogue) Open(today Date) bool {
	return d.Status == DialoguePublished && d.Deadline != nil && !today.After(d.Deadline.Time)
}

func deadlineOf(d *Dialogue) Date {
	if d.Deadline == nil {
		return Date{}
	}
	return *d.Deadline
}

// KeepAsker keeps a question's asker on an update: the publisher, who
// answers it, reads it without the asker (CanSeeAsker), and the asker
// does not change.
func KeepAsker(old, v *DialogueQuestion) {
	if old != nil && v != nil && v.OrgID == 0 {
		v.OrgID = old.OrgID
	}
}

// Publishes reports whether the actor speaks for the dialogue's
// publisher: a person of the publishing organisation, or of the publishing
// network's owner, coordinator or an active member (s is the actor's
// standing in that network; nil for an organisation's dialogue). Brokers
// do not: suppliers' answers are for the buyers they were given to.
func Publishes(a *Actor, d *Dialogue, s *Standing) bool {
	if !a.SignedIn() {
		return false
	}
	if d.OrgID != nil {
		return a.InOrg(*d.OrgID)
	}
	return s != nil && (s.Owner || s.Coordinator || s.Active)
}

// CanSeeDialogue: a published dialogue is public; a draft is its
// publisher's.
func CanSeeDialogue(a *Actor, d *Dialogue, s *Standing) bool {
	return d.Status == DialoguePublished || Publishes(a, d, s)
}

// CanStartDialogue: anyone signed in opens the form of a new dialogue;
// whether they may publish it for the organisation or network they choose
// is CanKeepDialogue's to say.
func CanStartDialogue(a *Actor) error {
	if !a.SignedIn() {
		return Err(EUNAUTHORIZED, "err.sign_in")
	}
	return nil
}

// CanKeepDialogue is the rule for writing a dialogue (old nil: publishing
// one; v nil: deleting it). An organisation's dialogue is written by its
// people, and only a public buyer publishes one; a network's by those who
// work in it (not its brokers), while it is not closed. The publisher is
// fixed, a published dialogue stays published and keeps its questions
// (suppliers answer them by their order), and only a draft is deleted.
// org is the publishing organisation, net the publishing network (either
// may be nil), s the actor's standing in net.
func CanKeepDialogue(a *Actor, old, v *Dialogue, org *Organization, net *Network, s *Standing) error {
	if !a.SignedIn() {
		return Err(EUNAUTHORIZED, "err.sign_in")
	}
	d := v
	if old != nil {
		d = old
	}
	if !Publishes(a, d, s) {
		if old == nil && d.OrgID != nil {
			return Invalid("org_id", "err.dialogue.own_org")
		}
		return Forbidden("err.forbidden.dialogue")
	}
	if org != nil && !org.Kind.IsPublicBuyer() {
		return Invalid("org_id", "err.dialogue.buyer_org")
	}
	if net != nil && net.ReadOnly() {
		return Conflict("status", "err.network.closed")
	}
	switch {
	case old == nil:
		return nil
	case v == nil:
		if old.Status == DialoguePublished {
			return Conflict("status", "err.dialogue.delete_published")
		}
		return nil
	}
	if !sameID(old.OrgID, v.OrgID) || !sameID(old.NetworkID, v.NetworkID) {
		return Invalid("org_id", "err.dialogue.publisher_fixed")
	}
	if old.Status == DialoguePublished && v.Status != DialoguePublished {
		return Conflict("status", "err.dialogue.stays_published")
	}
	if old.Status == DialoguePublished && !slices.Equal(old.Questions, v.Questions) {
		return Conflict("questions", "err.dialogue.questions_fixed")
	}
	return nil
}

// IsSupplier reports whether an organisation takes part in dialogues as a
// supplier: every kind but the public buyers (companies, universities and
// institutes, associations).
func IsSupplier(o *Organization) bool { return o != nil && !o.Kind.IsPublicBuyer() }

// supplierTakesPart is what answering, asking and registering share: a
// person of the supplier organisation named (org, which must be a
// supplier) writes for it, in a dialogue the actor may see.
func supplierTakesPart(a *Actor, d *Dialogue, orgID int64, org *Organization) error {
	if !a.SignedIn() {
		return Err(EUNAUTHORIZED, "err.sign_in")
	}
	if d == nil || d.Status != DialoguePublished {
		return Invalid("dialogue_id", "err.reference", F{"what": Term{Key: "entity.dialogue"}})
	}
	if !a.InOrg(orgID) {
		return Invalid("org_id", "err.dialogue.own_org")
	}
	if !IsSupplier(org) {
		return Invalid("org_id", "err.dialogue.supplier_org")
	}
	return nil
}

// DialogueAnswer is a supplier's answer to a dialogue: one text per
// question, in the questions' order. An organisation answers a dialogue
// once, and changes its answer until the deadline.
type DialogueAnswer struct {
	Meta
	DialogueID int64    `json:"dialogue_id"`
	OrgID      int64    `json:"org_id"`
	Answers    []string `json:"answers"`
	Contact    string   `json:"contact,omitempty"` // who at the supplier to ask
}

// Validate checks the answer's own rules.
func (x *DialogueAnswer) Validate() error {
	if x.DialogueID <= 0 {
		return Invalid("dialogue_id", "err.required")
	}
	if x.OrgID <= 0 {
		return Invalid("org_id", "err.required")
	}
	if err := optionalText("contact", &x.Contact, ShortTextMax); err != nil {
		return err
	}
	if len(x.Answers) > DialogueQuestionsMax {
		return Invalid("answers", "err.list_long", F{"max": DialogueQuestionsMax})
	}
	for i := range x.Answers {
		if err := optionalText("answers", &x.Answers[i], LongTextMax); err != nil {
			return err
		}
	}
	if !slices.ContainsFunc(x.Answers, func(s string) bool { return s != "" }) {
		return Invalid("answers", "err.dialogue.empty_answer")
	}
	return nil
}

// CanSeeDialogueAnswer: an answer is seen by its supplier's people and by
// the dialogue's publisher, never by other suppliers.
func CanSeeDialogueAnswer(a *Actor, d *Dialogue, s *Standing, x *DialogueAnswer) bool {
	return a.SignedIn() && (a.InOrg(x.OrgID) || Publishes(a, d, s))
}

// CanAnswerDialogue is the rule for a supplier's answer (old nil: giving
// it; v nil: withdrawing it): a person of the supplier writes for it,
// while the dialogue is open (today at the latest its deadline), at most
// one answer per question, and one answer per organisation (earlier is
// how many the organisation has given before). org is the answering
// organisation.
func CanAnswerDialogue(a *Actor, d *Dialogue, org *Organization, old, v *DialogueAnswer, earlier int, today Date) error {
	x := v
	if old != nil {
		x = old
	}
	if err := supplierTakesPart(a, d, x.OrgID, org); err != nil {
		return err
	}
	if !d.Open(today) {
		return Conflict("deadline", "err.dialogue.closed", F{"date": deadlineOf(d)})
	}
	if old != nil && v != nil && (old.OrgID != v.OrgID || old.DialogueID != v.DialogueID) {
		return Invalid("org_id", "err.dialogue.answer_fixed")
	}
	if v != nil && len(v.Answers) > len(d.Questions) {
		return Invalid("answers", "err.dialogue.answers_count", F{"n": len(d.Questions)})
	}
	if old == nil && earlier > 0 {
		return Conflict("org_id", "err.dialogue.answered_already")
	}
	return nil
}

// DialogueQuestion is a supplier's question about a dialogue and, once
// the publisher has answered it, the answer, published to every supplier
// without the asker's name.
type DialogueQuestion struct {
	Meta
	DialogueID int64  `json:"dialogue_id"`
	OrgID      int64  `json:"org_id,omitempty"` // the asker: seen only by the asker's own people
	Question   string `json:"question"`
	Answer     string `json:"answer,omitempty"`
}

// Validate checks the question's own rules.
func (q *DialogueQuestion) Validate() error {
	if q.DialogueID <= 0 {
		return Invalid("dialogue_id", "err.required")
	}
	if err := requireText("question", &q.Question, QuestionMax); err != nil {
		return err
	}
	return optionalText("answer", &q.Answer, QuestionMax)
}

// Answered reports whether the publisher has answered the question.
func (q *DialogueQuestion) Answered() bool { return q.Answer != "" }

// CanSeeDialogueQuestion: an answered question is public with its
// dialogue; an unanswered one is seen by the asker's people and the
// publisher.
func CanSeeDialogueQuestion(a *Actor, d *Dialogue, s *Standing, q *DialogueQuestion) bool {
	return q.Answered() && d.Status == DialoguePublished || a.SignedIn() && a.InOrg(q.OrgID) || Publishes(a, d, s)
}

// CanSeeAsker: who asked a question is seen by the asker's own people
// only; the publisher answers every supplier alike.
func CanSeeAsker(a *Actor, q *DialogueQuestion) bool { return a.SignedIn() && a.InOrg(q.OrgID) }

// CanAskDialogue is the rule for a supplier's question (old nil) and its
// answer (an update) and for removing one (v nil). A person of a supplier
// asks for it while the dialogue is open, without an answer. The
// publisher answers a question once: the answer is published as given
// and the question is not rewritten. The asker withdraws an unanswered
// question; the publisher removes any. s is the actor's standing in the
// publishing network.
func CanAskDialogue(a *Actor, d *Dialogue, s *Standing, org *Organization, old, v *DialogueQuestion, today Date) error {
	switch {
	case old == nil:
		if err := supplierTakesPart(a, d, v.OrgID, org); err != nil {
			return err
		}
		if !d.Open(today) {
			return Conflict("deadline", "err.dialogue.closed", F{"date": deadlineOf(d)})
		}
		if v.Answered() {
			return Invalid("answer", "err.dialogue.asker_answers")
		}
		return nil
	case v == nil:
		if Publishes(a, d, s) || a.InOrg(old.OrgID) && !old.Answered() {
			return nil
		}
		if !a.SignedIn() {
			return Err(EUNAUTHORIZED, "err.sign_in")
		}
		return Forbidden("err.forbidden.dialogue_question")
	}
	if !Publishes(a, d, s) {
		if !a.SignedIn() {
			return Err(EUNAUTHORIZED, "err.sign_in")
		}
		return Forbidden("err.forbidden.dialogue")
	}
	if old.Answered() {
		return Conflict("answer", "err.dialogue.answered_once")
	}
	if v.Question != old.Question || v.DialogueID != old.DialogueID || v.OrgID != old.OrgID {
		return Invalid("question", "err.dialogue.question_fixed")
	}
	if !v.Answered() {
		return Invalid("answer", "err.required")
	}
	return nil
}

// DialogueRegistration is a supplier's registration for a dialogue's
// meeting: how many seats it takes and who comes.
type DialogueRegistration struct {
	Meta
	DialogueID int64  `json:"dialogue_id"`
	OrgID      int64  `json:"org_id"`
	Attendees  int64  `json:"attendees"`
	Names      string `json:"names,omitempty"` // who comes: personal data, seen as the registration is
}

// Validate checks the registration's own rules.
func (r *DialogueRegistration) Validate() error {
	if r.DialogueID <= 0 {
		return Invalid("dialogue_id", "err.required")
	}
	if r.OrgID <= 0 {
		return Invalid("org_id", "err.required")
	}
	if r.Attendees < 1 || r.Attendees > AttendeesMax {
		return Invalid("attendees", "err.between", F{"min": 1, "max": AttendeesMax})
	}
	return optionalText("names", &r.Names, ShortTextMax)
}

// CanSeeDialogueRegistration: as an answer, by the supplier and the
// publisher.
func CanSeeDialogueRegistration(a *Actor, d *Dialogue, s *Standing, r *DialogueRegistration) bool {
	return a.SignedIn() && (a.InOrg(r.OrgID) || Publishes(a, d, s))
}

// CanRegisterForMeeting is the rule for a supplier's registration (old
// nil: registering; v nil: cancelling): a person of the supplier, for a
// dialogue with a meeting that has not been held (today at the latest its
// day), one registration per organisation (earlier), and no more seats
// than are left: taken is the seats the other registrations hold.
func CanRegisterForMeeting(a *Actor, d *Dialogue, org *Organization, old, v *DialogueRegistration, earlier int, taken int64, today Date) error {
	r := v
	if old != nil {
		r = old
	}
	if err := supplierTakesPart(a, d, r.OrgID, org); err != nil {
		return err
	}
	if d.Meeting == "" || d.MeetingDate == nil || d.Seats == nil {
		return Invalid("dialogue_id", "err.dialogue.no_meeting")
	}
	if today.After(d.MeetingDate.Time) {
		return Conflict("meeting_date", "err.dialogue.meeting_held", F{"date": *d.MeetingDate})
	}
	if old != nil && v != nil && (old.OrgID != v.OrgID || old.DialogueID != v.DialogueID) {
		return Invalid("org_id", "err.dialogue.answer_fixed")
	}
	if old == nil && earlier > 0 {
		return Conflict("org_id", "err.dialogue.registered_already")
	}
	if v != nil && taken+v.Attendees > *d.Seats {
		return Conflict("attendees", "err.dialogue.full", F{"n": max(*d.Seats-taken, 0)})
	}
	return nil
}

// CheckDialogueNeed: the need a dialogue is about is the publisher's own:
// a need of the publishing organisation, or of an active member of the
// publishing network (members are the network's). need is nil when the
// dialogue names none or the need does not exist.
func CheckDialogueNeed(d *Dialogue, need *Need, members []NetworkMember) error {
	if d.NeedID == nil {
		return nil
	}
	if need != nil {
		if d.OrgID != nil && need.OrgID == *d.OrgID {
			return nil
		}
		for _, m := range members {
			if d.NetworkID != nil && m.NetworkID == *d.NetworkID && m.OrgID == need.OrgID && memberStatus(m) == MemberActive {
				return nil
			}
		}
	}
	return Invalid("need_id", "err.dialogue.own_need")
}

// CanSeeDialogueSummary: the answers together, the summary and its
// export, are the publisher's.
func CanSeeDialogueSummary(a *Actor, d *Dialogue, s *Standing) error {
	if Publishes(a, d, s) {
		return nil
	}
	if !a.SignedIn() {
		return Err(EUNAUTHORIZED, "err.sign_in")
	}
	return Forbidden("err.forbidden.dialogue_summary")
}

// DialogueSummary is what a dialogue's publisher reads of it: every
// supplier's answer with its organisation, the questions (without who
// asked) and the meeting's registrations.
type DialogueSummary struct {
	Dialogue      *Dialogue             `json:"dialogue"`
	Locked        bool                  `json:"locked"` // the deadline has passed: the answers are final
	Answers       []SummaryAnswer       `json:"answers"`
	Questions     []*DialogueQuestion   `json:"questions"`
	Registrations []SummaryRegistration `json:"registrations"`
	SeatsTaken    int64                 `json:"seats_taken"`
}

// SummaryAnswer is a supplier's answer with its organisation.
type SummaryAnswer struct {
	OrgID     int64     `json:"org_id"`
	OrgName   string    `json:"org_name"`
	OrgNumber string    `json:"org_number,omitempty"`
	Contact   string    `json:"contact,omitempty"`
	Answers   []string  `json:"answers"`
	UpdatedAt time.Time `json:"updated_at"`
}

// SummaryRegistration is a supplier's registration for the meeting.
type SummaryRegistration struct {
	OrgID     int64  `json:"org_id"`
	OrgName   string `json:"org_name"`
	Attendees int64  `json:"attendees"`
	Names     string `json:"names,omitempty"`
}
