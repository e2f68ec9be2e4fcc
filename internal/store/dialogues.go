package store

import (
	"context"

	arena "github.com/arena-se/arena"
)

// The market dialogues (arena.Dialogue) with their answers, questions and
// meeting registrations. Each write gathers its facts in the write's
// transaction (the dialogue, the publishing network's members, the
// writing organisation) and asks the domain's rule.

func (db *DB) initDialogues() {
	db.Dialogues = &Entity[arena.Dialogue]{db: db, Name: "dialogue", Table: "dialogues",
		refs: map[string]string{"org_id": "organizations", "network_id": "networks", "need_id": "needs"},
		filters: map[string]filter{
			"org_id":     eqID("org_id"),
			"network_id": eqID("network_id"),
			"need_id":    eqID("need_id"),
			"kind":       eqString("kind", enumStrings(arena.DialogueKinds)...),
			"status":     eqString("status", enumStrings(arena.DialogueStatuses)...),
			"sector":     eqString("sector"),
			"cpv":        cpvSubtree("cpv_codes"),
			"open_on":    dialogueOpenOn,
			"q":          textSearch("title", "description"),
		},
		visible:  dialogueVisibility,
		event:    arena.DialogueEvent,
		precheck: func(d *arena.Dialogue) error { return db.checkCPV("cpv_codes", d.CPVCodes) },
		authorize: func(ctx context.Context, tx *Tx, a *arena.Actor, old, v *arena.Dialogue) error {
			d := v
			if old != nil {
				d = old
			}
			p, err := db.publisherTx(ctx, tx, a, d)
			if err != nil {
				return err
			}
			return arena.CanKeepDialogue(a, old, v, p.org, p.net, p.standing)
		},
		check: func(ctx context.Context, tx *Tx, d *arena.Dialogue) error {
			need, err := db.needTx(ctx, tx, d.NeedID)
			if err != nil {
				return err
			}
			var members []arena.NetworkMember
			if d.NetworkID != nil && need != nil {
				ms, err := allTx(ctx, tx, db.NetworkMembers, "t.network_id = ?", *d.NetworkID)
				if err != nil {
					return err
				}
				for _, m := range ms {
					members = append(members, *m)
				}
			}
			return arena.CheckDialogueNeed(d, need, members)
		},
	}
	db.DialogueAnswers = &Entity[arena.DialogueAnswer]{db: db, Name: "dialogue_answer", Table: "dialogue_answers",
		refs:    map[string]string{"org_id": "organizations"},
		filters: map[string]filter{"dialogue_id": eqID("dialogue_id"), "org_id": eqID("org_id")},
		visible: supplierPartVisibility,
		authorize: func(ctx context.Context, tx *Tx, a *arena.Actor, old, v *arena.DialogueAnswer) error {
			x := v
			if old != nil {
				x = old
			}
			f, err := db.takingPartTx(ctx, tx, "dialogue_answers", x.DialogueID, x.OrgID)
			if err != nil {
				return err
			}
			return arena.CanAnswerDialogue(a, f.dialogue, f.org, old, v, f.earlier, arena.Today(db.Now()))
		},
	}
	db.DialogueQuestions = &Entity[arena.DialogueQuestion]{db: db, Name: "dialogue_question", Table: "dialogue_questions",
		refs:    map[string]string{"org_id": "organizations"},
		filters: map[string]filter{"dialogue_id": eqID("dialogue_id")},
		visible: questionVisibility,
		redact: func(_ context.Context, a *arena.Actor, qs []*arena.DialogueQuestion) error {
			for _, q := range qs {
				if !arena.CanSeeAsker(a, q) {
					q.OrgID = 0
				}
			}
			return nil
		},
		event: arena.QuestionEvent,
		authorize: func(ctx context.Context, tx *Tx, a *arena.Actor, old, v *arena.DialogueQuestion) error {
			arena.KeepAsker(old, v)
			x := v
			if old != nil {
				x = old
			}
			f, err := db.takingPartTx(ctx, tx, "", x.DialogueID, x.OrgID)
			if err != nil {
				return err
			}
			var s *arena.Standing
			if f.dialogue != nil {
				p, err := db.publisherTx(ctx, tx, a, f.dialogue)
				if err != nil {
					return err
				}
				s = p.standing
			}
			return arena.CanAskDialogue(a, f.dialogue, s, f.org, old, v, arena.Today(db.Now()))
		},
	}
	db.DialogueRegistrations = &Entity[arena.DialogueRegistration]{db: db, Name: "dialogue_registration", Table: "dialogue_registrations",
		refs:    map[string]string{"org_id": "organizations"},
		filters: map[string]filter{"dialogue_id": eqID("dialogue_id"), "org_id": eqID("org_id")},
		visible: supplierPartVisibility,
		authorize: func(ctx context.Context, tx *Tx, a *arena.Actor, old, v *arena.DialogueRegistration) error {
			x := v
			if old != nil {
				x = old
			}
			f, err := db.takingPartTx(ctx, tx, "dialogue_registrations", x.DialogueID, x.OrgID)
			if err != nil {
				return err
			}
			// The seats the other registrations hold, read after the
			// dialogue's row is locked: two suppliers taking the last seat
			// at once are one after the other.
			var taken int64
			if f.dialogue != nil {
				if err := tx.queryRow(ctx, "SELECT COALESCE(SUM(attendees), 0) FROM dialogue_registrations WHERE dialogue_id = ? AND org_id <> ?",
					x.DialogueID, x.OrgID).Scan(&taken); err != nil {
					return err
				}
			}
			return arena.CanRegisterForMeeting(a, f.dialogue, f.org, old, v, f.earlier, taken, arena.Today(db.Now()))
		},
	}
}

// publisher is the facts of a dialogue's publisher: its organisation, or
// its network and the actor's standing there.
type publisher struct {
	org      *arena.Organization
	net      *arena.Network
	standing *arena.Standing
}

func (db *DB) publisherTx(ctx context.Context, tx *Tx, a *arena.Actor, d *arena.Dialogue) (publisher, error) {
	var p publisher
	switch {
	case d.OrgID != nil:
		o, found, err := findTx(ctx, tx, db.Organizations, *d.OrgID)
		if err != nil {
			return p, err
		}
		if !found {
			return p, arena.Invalid("org_id", "err.reference", arena.F{"what": arena.Term{Key: "entity.organization"}})
		}
		p.org = o
	case d.NetworkID != nil:
		ns, err := db.networkTx(ctx, tx, a, *d.NetworkID)
		if err != nil {
			return p, err
		}
		p.net, p.standing = ns.Network, &ns.Standing
	}
	return p, nil
}

// takingPart is the facts of a supplier's part in a dialogue: the
// dialogue (nil when there is none), the supplier and how many records of
// the kind (table) it has in the dialogue already.
type takingPart struct {
	dialogue *arena.Dialogue
	org      *arena.Organization
	earlier  int
}

// takingPartTx reads a supplier's facts in a dialogue. The dialogue's row
// is locked on PostgreSQL, so that the writes of one dialogue's suppliers
// (the last seat, the one answer per organisation) are one after the other.
func (db *DB) takingPartTx(ctx context.Context, tx *Tx, table string, dialogueID, orgID int64) (takingPart, error) {
	var f takingPart
	if db.Dialect == Postgres {
		if _, err := tx.exec(ctx, "SELECT id FROM dialogues WHERE id = ? FOR UPDATE", dialogueID); err != nil {
			return f, err
		}
	}
	d, found, err := findTx(ctx, tx, db.Dialogues, dialogueID)
	if err != nil {
		return f, err
	}
	if found {
		f.dialogue = d
	}
	if f.org, _, err = findTx(ctx, tx, db.Organizations, orgID); err != nil {
		return f, err
	}
	if table != "" {
		err = tx.queryRow(ctx, "SELECT COUNT(*) FROM "+table+" WHERE dialogue_id = ? AND org_id = ?", dialogueID, orgID).Scan(&f.earlier)
	}
	return f, err
}

// dialogueOpenOn matches dialogues that take answers on a date
// (YYYY-MM-DD): published, the deadline not passed.
func dialogueOpenOn(_ *DB, v string) (string, []any, error) {
	d, err := arena.ParseDate(v)
	if err != nil {
		return "", nil, arena.Invalid("open_on", "err.date", arena.F{"value": v})
	}
	return "t.status = 'published' AND t.deadline >= ?", []any{d.String()}, nil
}

// DialogueStanding reads a dialogue the actor may see and the actor's
// standing in its publishing network (nil for an organisation's).
func (db *DB) DialogueStanding(ctx context.Context, id int64) (*arena.Dialogue, *arena.Standing, error) {
	d, err := db.Dialogues.Get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if d.NetworkID == nil {
		return d, nil, nil
	}
	ns, err := db.NetworkState(ctx, *d.NetworkID)
	if err != nil {
		return nil, nil, err
	}
	return d, &ns.Standing, nil
}

// SeatsTaken is how many seats of a dialogue's meeting are taken: public,
// as the seats left are.
func (db *DB) SeatsTaken(ctx context.Context, id int64) (int64, error) {
	var n int64
	err := db.queryRow(ctx, "SELECT COALESCE(SUM(attendees), 0) FROM dialogue_registrations WHERE dialogue_id = ?", id).Scan(&n)
	return n, err
}

// DialogueSummary gathers a dialogue's answers, questions and
// registrations for its publisher (arena.CanSeeDialogueSummary), answers
// in the order they were given.
func (db *DB) DialogueSummary(ctx context.Context, id int64) (*arena.DialogueSummary, error) {
	a := arena.ActorFrom(ctx)
	d, s, err := db.DialogueStanding(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := arena.CanSeeDialogueSummary(a, d, s); err != nil {
		return nil, err
	}
	sum := &arena.DialogueSummary{Dialogue: d, Locked: !d.Open(arena.Today(db.Now())),
		Answers: []arena.SummaryAnswer{}, Registrations: []arena.SummaryRegistration{}}
	answers, err := allRead(ctx, db.DialogueAnswers, "t.dialogue_id = ?", id)
	if err != nil {
		return nil, err
	}
	regs, err := allRead(ctx, db.DialogueRegistrations, "t.dialogue_id = ?", id)
	if err != nil {
		return nil, err
	}
	if sum.Questions, err = allRead(ctx, db.DialogueQuestions, "t.dialogue_id = ?", id); err != nil {
		return nil, err
	}
	if err := db.DialogueQuestions.redactFor(ctx, sum.Questions); err != nil {
		return nil, err
	}
	var orgIDs []int64
	for _, x := range answers {
		orgIDs = append(orgIDs, x.OrgID)
	}
	for _, r := range regs {
		orgIDs = append(orgIDs, r.OrgID)
	}
	orgs, err := db.Organizations.GetManyUnchecked(ctx, orgIDs)
	if err != nil {
		return nil, err
	}
	name := func(id int64) (string, string) {
		if o := orgs[id]; o != nil {
			return o.Name, o.OrgNumber
		}
		return "", ""
	}
	for _, x := range answers {
		n, num := name(x.OrgID)
		sum.Answers = append(sum.Answers, arena.SummaryAnswer{OrgID: x.OrgID, OrgName: n, OrgNumber: num, Contact: x.Contact, Answers: x.Answers, UpdatedAt: x.UpdatedAt})
	}
	for _, r := range regs {
		n, _ := name(r.OrgID)
		sum.Registrations = append(sum.Registrations, arena.SummaryRegistration{OrgID: r.OrgID, OrgName: n, Attendees: r.Attendees, Names: r.Names})
		sum.SeatsTaken += r.Attendees
	}
	return sum, nil
}

// DialogueParticipants are the organisations that take part in a
// dialogue as suppliers: they answered, asked or registered.
func (db *DB) DialogueParticipants(ctx context.Context, id int64) ([]int64, error) {
	rows, err := db.query(ctx, "SELECT org_id FROM dialogue_answers WHERE dialogue_id = ? UNION SELECT org_id FROM dialogue_questions WHERE dialogue_id = ? "+
		"UNION SELECT org_id FROM dialogue_registrations WHERE dialogue_id = ? ORDER BY 1", id, id, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var org int64
		if err := rows.Scan(&org); err != nil {
			return nil, err
		}
		out = append(out, org)
	}
	return out, rows.Err()
}
