package testworld

import (
	"context"
	"io"
	"log/slog"
	"regexp"
	"strconv"
	"testing"

	"github.com/arena-se/arena/internal/app"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/store"
)

// NewApp builds the app's services on db as `arena serve` does, with the
// match index built from what db holds; log nil discards the log.
func NewApp(tb testing.TB, db *store.DB, log *slog.Logger) *app.App {
	tb.Helper()
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	svc := matching.New(db, match.NewAnalyzer(nil), log)
	if err := svc.Build(context.Background()); err != nil {
		tb.Fatal(err)
	}
	a, err := app.New(db, svc, log, "test")
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// Vars are a matrix case's placeholders: the world's records by name and
// the case's fresh records.
type Vars map[string]string

// Set names a record's id.
func (v Vars) Set(name string, id int64) { v[name] = strconv.FormatInt(id, 10) }

// placeholder is a name in braces: {A}, {need:draft}, {n/A}, {me.org}.
var placeholder = regexp.MustCompile(`\{[A-Za-z][A-Za-z0-9:/._]*\}`)

// Expand replaces the placeholders v knows and leaves the others.
func (v Vars) Expand(s string) string {
	return placeholder.ReplaceAllStringFunc(s, func(p string) string {
		if val, ok := v[p[1:len(p)-1]]; ok {
			return val
		}
		return p
	})
}

// Seen is a text an answer shows to the actors in To and to nobody else;
// with Maybe it may be missing for them too (a ranking decides).
type Seen struct {
	Text  string
	To    []string
	Maybe bool
}

// Route expands s and puts an id in every placeholder left (a record a
// case's setup would make), for finding the route a path takes.
func (v Vars) Route(s string) string {
	return placeholder.ReplaceAllString(v.Expand(s), "1")
}

// Unknown returns the first placeholder left in s, "" when there is none.
func Unknown(s string) string { return placeholder.FindString(s) }

// NeverShown is the personal data no answer to the actor may hold,
// whatever it is about: the contact people of N's members for those
// outside N (arena.CanSeeMemberContact; D's own for D's people), a person
// expert's contact for the anonymous (arena.CanSeeExpertContact); and the
// suppliers' answers, their registrations and unanswered questions in A's
// dialogue for all but A's people, the publisher (F sees its own answer:
// arena.CanSeeDialogueAnswer, CanSeeDialogueQuestion).
func NeverShown(actor string) []string {
	var out []string
	switch actor {
	case Admin, Member:
	case Supplier:
		out = []string{AnswerOfG, NamesOfG, QuestionOpen}
	default:
		out = []string{AnswerOfF, AnswerOfG, NamesOfG, QuestionOpen}
	}
	return append(out, neverShown(actor)...)
}

func neverShown(actor string) []string {
	switch actor {
	case Anonymous:
		return []string{ContactEmail, ContactName, Sponsor, InvitedContact, DeclinedContact, ExpertContact}
	case Other, Funder:
		return []string{ContactEmail, ContactName, Sponsor, InvitedContact, DeclinedContact}
	case Declined:
		return []string{ContactEmail, ContactName, Sponsor, InvitedContact}
	}
	return nil
}
