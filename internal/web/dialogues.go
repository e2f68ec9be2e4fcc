package web

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/export"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/store"
)

// Market dialogues (marknadsdialoger): the public list suppliers find
// them in, a dialogue's page (its questions, documents, meeting and the
// questions answered to everyone; a supplier's answer, question and
// registration; the publisher's replies) and the publisher's summary with
// its export. Every write goes through the store, which asks the
// domain's rule (dialogue.go); the forms show its errors at their fields.

func (u *UI) dialogueRoutes() []route {
	return []route{
		{"GET /dialoger", u.handleDialogueList},
		{"GET /dialoger/{id}", u.handleDialogueShow},
		{"POST /dialoger/{id}/svar", u.handleDialogueAnswer},
		{"POST /dialoger/{id}/svar/ta-bort", u.handleDialogueAnswerWithdraw},
		{"POST /dialoger/{id}/fragor", u.handleDialogueAsk},
		{"POST /dialogfragor/{id}/besvara", u.handleDialogueReply},
		{"POST /dialogfragor/{id}/ta-bort", u.handleDialogueQuestionDelete},
		{"POST /dialoger/{id}/anmalan", u.handleDialogueRegister},
		{"POST /dialoger/{id}/anmalan/ta-bort", u.handleDialogueUnregister},
		{"POST /dialoger/{id}/filer", u.dialogueFiles().upload},
		{"GET /dialoger/{id}/filer/{file}", u.dialogueFiles().download},
		{"POST /dialoger/{id}/filer/{file}/ta-bort", u.dialogueFiles().remove},
		{"GET /dialoger/{id}/sammanstallning", u.handleDialogueSummary},
		{"GET /dialoger/{id}/export", u.handleDialogueExport},
	}
}

// dialogueRow is one dialogue in the list.
type dialogueRow struct {
	*arena.Dialogue
	Publisher     string
	PublisherHref string
	Open          bool
}

type dialogueListData struct {
	Rows   []dialogueRow
	Closed bool // closed dialogues are listed too
}

// publisherOf names a dialogue's publisher and links to it.
func publisherOf(nm *names, d *arena.Dialogue) (string, string) {
	if d.NetworkID != nil {
		if n := nm.Network(*d.NetworkID); n != nil {
			return n.Name, "/natverk/" + idStr(n.ID)
		}
		return "", ""
	}
	if d.OrgID != nil {
		return nm.OrgName(*d.OrgID), "/organisationer/" + idStr(*d.OrgID)
	}
	return "", ""
}

func (u *UI) handleDialogueList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := u.newPage(r, "dialogues")
	p.Title = p.T("dialogue.list.title")
	q := r.URL.Query()
	f, filters := searchAndKind(q, arena.Codes(arena.DialogueKinds))
	sector, cpv := strings.TrimSpace(q.Get("sektor")), strings.TrimSpace(q.Get("cpv"))
	f.Values.Set("sektor", sector)
	f.Values.Set("cpv", cpv)
	d := &dialogueListData{Closed: q.Get("stangda") == "1"}
	if d.Closed {
		f.Values.Set("stangda", "1")
	}
	p.Form = f
	if err := arena.CheckQuery("sektor", sector); err != nil {
		u.fail(w, r, err)
		return
	}
	if cpv != "" {
		filters["cpv"] = cpv
	}
	today := arena.Today(u.now())
	if sector != "" {
		filters["sector"] = sector
	}
	xs, err := store.All(ctx, u.app.DB.Dialogues, filters)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	nm := u.names(ctx)
	for _, x := range xs {
		row := dialogueRow{Dialogue: x, Open: x.Open(today)}
		// Closed dialogues when asked for; one's own drafts always.
		if !d.Closed && !row.Open && x.Status == arena.DialoguePublished {
			continue
		}
		row.Publisher, row.PublisherHref = publisherOf(nm, x)
		d.Rows = append(d.Rows, row)
	}
	// The open ones first, the nearest deadline first; drafts (the
	// viewer's own) last.
	sort.SliceStable(d.Rows, func(i, j int) bool {
		a, b := d.Rows[i], d.Rows[j]
		if a.Open != b.Open {
			return a.Open
		}
		if a.Status != b.Status {
			return a.Status == arena.DialoguePublished
		}
		return a.Deadline.Before(b.Deadline.Time) == a.Open
	})
	p.offerWatch(arena.WatchDialogues, filters)
	p.Data = d
	u.render(w, r, http.StatusOK, "dialogues", p)
}

// DialogueKindFilterOptions are the kinds with "all" first.
func (p *page) DialogueKindFilterOptions() []option {
	return append([]option{{Value: "", Label: p.T("search.any")}}, enumOptions(p, "dialogue_kind", arena.DialogueKinds)...)
}

// dialoguePage is a dialogue as the viewer takes part in it.
type dialoguePage struct {
	D                *arena.Dialogue
	Publisher        string
	PublisherHref    string
	Need             *arena.Need
	Open             bool
	Publishes        bool // the viewer speaks for the publisher
	CanEdit          bool
	Files            []*arena.File
	MaxMB            int
	Public           []*arena.DialogueQuestion // answered: every supplier's
	Pending          []*arena.DialogueQuestion // unanswered, as the viewer sees them
	Suppliers        []option                  // the viewer's supplier organisations
	Supplier         int64                     // the one it takes part for
	Answer           *arena.DialogueAnswer     // its answer, if given
	AnswerFields     []fieldView
	Registration     *arena.DialogueRegistration
	MeetingHeld      bool
	SeatsLeft        int64
	AnswerCount      int
	RegistrationsFor int64 // seats taken, for the publisher
}

func (u *UI) handleDialogueShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.renderDialogue(w, r, http.StatusOK, id, newForm(nil))
}

// supplierOrgs are the actor's organisations that take part in dialogues
// as suppliers (arena.IsSupplier), by name.
func (u *UI) supplierOrgs(ctx context.Context, a *arena.Actor) ([]option, error) {
	if !a.SignedIn() {
		return nil, nil
	}
	orgs, err := u.app.DB.Organizations.GetManyUnchecked(ctx, a.OrgIDs())
	if err != nil {
		return nil, err
	}
	var out []option
	for _, id := range a.OrgIDs() {
		if o := orgs[id]; arena.IsSupplier(o) {
			out = append(out, option{Value: idStr(o.ID), Label: o.Name})
		}
	}
	return out, nil
}

// supplierOf is the supplier organisation a form writes for: the one
// posted, when it is one of the actor's, or the first.
func supplierOf(opts []option, posted string) int64 {
	for _, o := range opts {
		if o.Value == posted {
			id, _ := strconv.ParseInt(o.Value, 10, 64)
			return id
		}
	}
	if len(opts) == 0 {
		return 0
	}
	id, _ := strconv.ParseInt(opts[0].Value, 10, 64)
	return id
}

// ownOf is the record of the dialogue that the organisation has, if any.
func ownOf[T any](ctx context.Context, e *store.Entity[T], dialogue, org int64) (*T, error) {
	xs, err := store.All(ctx, e, map[string]string{"dialogue_id": idStr(dialogue), "org_id": idStr(org)})
	if err != nil || len(xs) == 0 {
		return nil, err
	}
	return xs[0], nil
}

func (u *UI) renderDialogue(w http.ResponseWriter, r *http.Request, status int, id int64, f *form) {
	ctx := r.Context()
	db := u.app.DB
	x, s, err := db.DialogueStanding(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := u.newPage(r, "dialogues")
	p.Form = f
	p.Title = x.Title
	today := arena.Today(u.now())
	d := &dialoguePage{D: x, Open: x.Open(today), Publishes: arena.Publishes(p.Actor, x, s), MaxMB: arena.MaxFileSize >> 20}
	d.Publisher, d.PublisherHref = publisherOf(u.names(ctx), x)
	d.CanEdit = p.SignedIn() && db.Dialogues.Authorize(ctx, x, x) == nil
	if x.NeedID != nil {
		if n, err := db.Needs.Get(ctx, *x.NeedID); err == nil {
			d.Need = n
		}
	}
	if d.Files, err = db.DialogueFiles.List(ctx, id); err != nil {
		u.fail(w, r, err)
		return
	}
	qs, err := store.All(ctx, db.DialogueQuestions, map[string]string{"dialogue_id": idStr(id)})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	for _, q := range qs {
		if q.Answered() {
			d.Public = append(d.Public, q)
		} else {
			d.Pending = append(d.Pending, q)
		}
	}
	if x.Meeting != "" && x.Seats != nil {
		taken, err := db.SeatsTaken(ctx, id)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		d.SeatsLeft = max(*x.Seats-taken, 0)
		d.RegistrationsFor = taken
		d.MeetingHeld = x.MeetingDate != nil && today.After(x.MeetingDate.Time)
	}
	if d.Publishes {
		n, err := store.Count(ctx, db.DialogueAnswers, map[string]string{"dialogue_id": idStr(id)})
		if err != nil {
			u.fail(w, r, err)
			return
		}
		d.AnswerCount = n
	}
	if d.Suppliers, err = u.supplierOrgs(ctx, p.Actor); err != nil {
		u.fail(w, r, err)
		return
	}
	if d.Supplier = supplierOf(d.Suppliers, f.V("org_id")); d.Supplier != 0 {
		if d.Answer, err = ownOf(ctx, db.DialogueAnswers, id, d.Supplier); err != nil {
			u.fail(w, r, err)
			return
		}
		if d.Registration, err = ownOf(ctx, db.DialogueRegistrations, id, d.Supplier); err != nil {
			u.fail(w, r, err)
			return
		}
	}
	// The answer form: one field per question, the stored answer unless
	// the form was posted.
	for i, q := range x.Questions {
		name := "answer-" + strconv.Itoa(i+1)
		if _, posted := f.Values[name]; !posted && d.Answer != nil && i < len(d.Answer.Answers) {
			f.Values.Set(name, d.Answer.Answers[i])
		}
		fv := p.Field(name, "dialogue.answer_label", "", "textarea", false)
		d.AnswerFields = append(d.AnswerFields, fv.WithLabel(p.T("dialogue.answer_to", i+1, q)))
	}
	if _, posted := f.Values["contact"]; !posted && d.Answer != nil {
		f.Values.Set("contact", d.Answer.Contact)
	}
	if _, posted := f.Values["attendees"]; !posted && d.Registration != nil {
		f.Values.Set("attendees", strconv.FormatInt(d.Registration.Attendees, 10))
		f.Values.Set("names", d.Registration.Names)
	}
	p.Data = d
	u.render(w, r, status, "dialogue", p)
}

// dialogueFailed shows a write's error on the dialogue's page: an invalid
// field at its field (fieldOf maps the record's fields to the form's), any
// other refusal of the rules above the forms.
func (u *UI) dialogueFailed(w http.ResponseWriter, r *http.Request, id int64, f *form, err error, fieldOf map[string]string) {
	p := u.newPage(r, "dialogues")
	switch code := arena.ErrorCode(err); code {
	case arena.EINVALID, arena.ECONFLICT:
		p.failFrom(f, err, fieldOf)
		if code == arena.ECONFLICT && f.General == "" {
			f.General = p.ErrText(err)
		}
		u.renderDialogue(w, r, httpapi.StatusOf(code), id, f)
	case arena.EPRECONDITION:
		f.General = p.T("error.stale.text")
		u.renderDialogue(w, r, httpapi.StatusOf(code), id, f)
	default:
		u.fail(w, r, err)
	}
}

// dialogueForm reads a post about dialogue {id}: the actor, the id, the
// form (with its fields in page order) and the supplier it writes for.
func (u *UI) dialogueForm(w http.ResponseWriter, r *http.Request, order ...string) (int64, *form, int64, bool) {
	if u.postForm(w, r) == nil {
		return 0, nil, 0, false
	}
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return 0, nil, 0, false
	}
	f := newForm(r.PostForm, order...)
	opts, err := u.supplierOrgs(r.Context(), arena.ActorFrom(r.Context()))
	if err != nil {
		u.fail(w, r, err)
		return 0, nil, 0, false
	}
	return id, f, supplierOf(opts, f.V("org_id")), true
}

func version(r *http.Request) int64 {
	v, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	return v
}

// handleDialogueAnswer gives or changes the supplier's answer.
func (u *UI) handleDialogueAnswer(w http.ResponseWriter, r *http.Request) {
	id, f, org, ok := u.dialogueForm(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	db := u.app.DB
	x, err := db.Dialogues.Get(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	v := &arena.DialogueAnswer{DialogueID: id, OrgID: org, Contact: f.V("contact")}
	for i := range x.Questions {
		name := "answer-" + strconv.Itoa(i+1)
		f.Order = append(f.Order, name)
		v.Answers = append(v.Answers, f.V(name))
	}
	f.Order = append(f.Order, "contact")
	old, err := ownOf(ctx, db.DialogueAnswers, id, org)
	if err == nil {
		if old == nil {
			err = db.DialogueAnswers.Create(ctx, v)
		} else {
			v.ID = old.ID
			err = db.DialogueAnswers.Update(ctx, v, version(r))
		}
	}
	if err != nil {
		u.dialogueFailed(w, r, id, f, err, map[string]string{"answers": "answer-1"})
		return
	}
	http.Redirect(w, r, withNotice("/dialoger/"+idStr(id), "dialog-svar-sparat")+"#answer", http.StatusSeeOther)
}

// handleDialogueAnswerWithdraw withdraws the supplier's answer.
func (u *UI) handleDialogueAnswerWithdraw(w http.ResponseWriter, r *http.Request) {
	withdrawOwn(u, w, r, u.app.DB.DialogueAnswers, "dialog-svar-borttaget", "#answer")
}

// handleDialogueUnregister cancels the supplier's registration.
func (u *UI) handleDialogueUnregister(w http.ResponseWriter, r *http.Request) {
	withdrawOwn(u, w, r, u.app.DB.DialogueRegistrations, "dialog-anmalan-borttagen", "#meeting")
}

// withdrawOwn deletes the supplier's own record of the dialogue (its
// answer or registration).
func withdrawOwn[T any](u *UI, w http.ResponseWriter, r *http.Request, e *store.Entity[T], notice, anchor string) {
	id, f, org, ok := u.dialogueForm(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	var own *T
	var err error
	if org != 0 {
		own, err = ownOf(ctx, e, id, org)
	}
	if err == nil && own == nil {
		err = arena.NotFound(e.Name)
	}
	if err == nil {
		err = e.Delete(ctx, metaOf(own).ID, version(r))
	}
	if err != nil {
		u.dialogueFailed(w, r, id, f, err, nil)
		return
	}
	http.Redirect(w, r, withNotice("/dialoger/"+idStr(id), notice)+anchor, http.StatusSeeOther)
}

// handleDialogueAsk asks a question for the supplier.
func (u *UI) handleDialogueAsk(w http.ResponseWriter, r *http.Request) {
	id, f, org, ok := u.dialogueForm(w, r, "question")
	if !ok {
		return
	}
	q := &arena.DialogueQuestion{DialogueID: id, OrgID: org, Question: f.V("question")}
	if err := u.app.DB.DialogueQuestions.Create(r.Context(), q); err != nil {
		u.dialogueFailed(w, r, id, f, err, nil)
		return
	}
	http.Redirect(w, r, withNotice("/dialoger/"+idStr(id), "dialog-fraga-stalld")+"#questions", http.StatusSeeOther)
}

// questionOfPath reads the question of the path, as the actor sees it.
func (u *UI) questionOfPath(w http.ResponseWriter, r *http.Request) (*arena.DialogueQuestion, bool) {
	if u.postForm(w, r) == nil {
		return nil, false
	}
	id, err := pathID(r)
	if err == nil {
		var q *arena.DialogueQuestion
		if q, err = u.app.DB.DialogueQuestions.Get(r.Context(), id); err == nil {
			return q, true
		}
	}
	u.fail(w, r, err)
	return nil, false
}

// handleDialogueReply is the publisher's answer to a question, published
// to every supplier.
func (u *UI) handleDialogueReply(w http.ResponseWriter, r *http.Request) {
	q, ok := u.questionOfPath(w, r)
	if !ok {
		return
	}
	name := "reply-" + idStr(q.ID)
	f := newForm(r.PostForm, name)
	q.Answer = f.V(name)
	if err := u.app.DB.DialogueQuestions.Update(r.Context(), q, version(r)); err != nil {
		u.dialogueFailed(w, r, q.DialogueID, f, err, map[string]string{"answer": name})
		return
	}
	http.Redirect(w, r, withNotice("/dialoger/"+idStr(q.DialogueID), "dialog-fraga-besvarad")+"#questions", http.StatusSeeOther)
}

// handleDialogueQuestionDelete withdraws a question (its asker) or
// removes it (the publisher).
func (u *UI) handleDialogueQuestionDelete(w http.ResponseWriter, r *http.Request) {
	q, ok := u.questionOfPath(w, r)
	if !ok {
		return
	}
	if err := u.app.DB.DialogueQuestions.Delete(r.Context(), q.ID, version(r)); err != nil {
		u.dialogueFailed(w, r, q.DialogueID, newForm(r.PostForm), err, nil)
		return
	}
	http.Redirect(w, r, withNotice("/dialoger/"+idStr(q.DialogueID), "dialog-fraga-borttagen")+"#questions", http.StatusSeeOther)
}

// handleDialogueRegister registers the supplier for the meeting, or
// changes its registration.
func (u *UI) handleDialogueRegister(w http.ResponseWriter, r *http.Request) {
	id, f, org, ok := u.dialogueForm(w, r, "attendees", "names")
	if !ok {
		return
	}
	ctx := r.Context()
	db := u.app.DB
	p := u.newPage(r, "dialogues")
	n, ok := readWhole(f.V("attendees"))
	if !ok {
		f.Fail("attendees", p.T("err.between", 1, arena.AttendeesMax))
		u.renderDialogue(w, r, httpapi.StatusOf(arena.EINVALID), id, f)
		return
	}
	v := &arena.DialogueRegistration{DialogueID: id, OrgID: org, Attendees: n, Names: f.V("names")}
	old, err := ownOf(ctx, db.DialogueRegistrations, id, org)
	if err == nil {
		if old == nil {
			err = db.DialogueRegistrations.Create(ctx, v)
		} else {
			v.ID = old.ID
			err = db.DialogueRegistrations.Update(ctx, v, version(r))
		}
	}
	if err != nil {
		u.dialogueFailed(w, r, id, f, err, nil)
		return
	}
	http.Redirect(w, r, withNotice("/dialoger/"+idStr(id), "dialog-anmald")+"#meeting", http.StatusSeeOther)
}

// readWhole reads a small whole number as people type it.
func readWhole(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n, err == nil
}

// dialogueFiles are a dialogue's documents, put and removed by its
// publisher.
func (u *UI) dialogueFiles() fileHandlers {
	return fileHandlers{u: u, files: func() *store.Files { return u.app.DB.DialogueFiles }, base: "/dialoger", anchor: "#documents",
		section: "dialogues", render: u.renderDialogue}
}

// dialogueSummaryPage is the publisher's summary: per question, every
// supplier's answer.
type dialogueSummaryPage struct {
	S       *arena.DialogueSummary
	ByQ     []summaryQuestion
	Formats []string
}

type summaryQuestion struct {
	N        int
	Question string
	Answers  []summaryAnswer
}

type summaryAnswer struct {
	OrgName string
	Text    string
}

func (u *UI) handleDialogueSummary(w http.ResponseWriter, r *http.Request) {
	if u.requireActor(w, r) == nil {
		return
	}
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	sum, err := u.app.DB.DialogueSummary(r.Context(), id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := u.newPage(r, "dialogues")
	p.Title = p.T("dialogue.summary.title", sum.Dialogue.Title)
	d := &dialogueSummaryPage{S: sum, Formats: []string{export.XLSX, export.CSV}}
	for i, q := range sum.Dialogue.Questions {
		sq := summaryQuestion{N: i + 1, Question: q}
		for _, a := range sum.Answers {
			if i < len(a.Answers) && a.Answers[i] != "" {
				sq.Answers = append(sq.Answers, summaryAnswer{OrgName: a.OrgName, Text: a.Answers[i]})
			}
		}
		d.ByQ = append(d.ByQ, sq)
	}
	p.Data = d
	u.render(w, r, http.StatusOK, "dialogue_summary", p)
}

func (u *UI) handleDialogueExport(w http.ResponseWriter, r *http.Request) {
	if u.requireActor(w, r) == nil {
		return
	}
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	sum, err := u.app.DB.DialogueSummary(r.Context(), id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = export.XLSX
	}
	if err := export.CheckFormat("format", format); err != nil {
		u.fail(w, r, err)
		return
	}
	p := u.newPage(r, "dialogues")
	if err := httpapi.ServeTable(w, r, u.app.Limits, format, "dialog-"+idStr(id), func() (*export.Table, error) {
		return export.DialogueAnswers(sum, p.cat), nil
	}); err != nil {
		u.fail(w, r, err)
	}
}
