package export

import (
	"strconv"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/i18n"
)

// DialogueAnswers is the table of a dialogue's answers for its publisher:
// one row per supplier, one column per question (headed by its number
// and text), in the language of c.
func DialogueAnswers(sum *arena.DialogueSummary, c *i18n.Catalog) *Table {
	t := &Table{Sheet: c.T("export.dialogue.sheet"),
		Header: []string{c.T("export.dialogue.org"), c.T("export.dialogue.org_number"), c.T("export.dialogue.contact"), c.T("export.dialogue.updated")}}
	for i, q := range sum.Dialogue.Questions {
		t.Header = append(t.Header, strconv.Itoa(i+1)+". "+q)
	}
	for _, x := range sum.Answers {
		row := []string{x.OrgName, x.OrgNumber, x.Contact, x.UpdatedAt.In(arena.Stockholm).Format("2006-01-02 15:04")}
		for i := range sum.Dialogue.Questions {
			cell := ""
			if i < len(x.Answers) {
				cell = x.Answers[i]
			}
			row = append(row, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
