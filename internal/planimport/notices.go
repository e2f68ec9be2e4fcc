package planimport

import (
	"context"
	"errors"
	"io"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/eforms"
	"github.com/arena-se/arena/internal/store"
)

// ReadNotice parses a prior information notice (eForms UBL XML). A notice
// that is malformed or not a PIN gives an *arena.Error of the field "file"
// whose facts name the element: nothing of it is imported.
func ReadNotice(r io.Reader) (*eforms.Notice, error) {
	n, err := eforms.Parse(r)
	var ee *eforms.Error
	if errors.As(err, &ee) {
		return nil, arena.Invalid("file", "err.eforms."+ee.Code, arena.F{"element": ee.Element, "value": ee.Value, "line": ee.Line})
	}
	return n, err
}

// NoticeRows makes each lot of a notice a draft need of orgID: its title,
// description, CPV codes (main first), estimated value when in kronor,
// and the planned start (or, lacking one, the date the buyer plans to
// publish the contract notice). Its source is the notice's id and the
// lot's. Row numbers count the lots from 1.
func NoticeRows(n *eforms.Notice, orgID int64) ([]Row, []RowError) {
	var rows []Row
	var errs []RowError
	for i, lot := range n.Lots {
		need := arena.Need{OrgID: orgID, Visibility: arena.VisibilityDraft, Title: lot.Title, Description: lot.Description,
			Source: "eforms:" + n.ID + "/" + lot.ID}
		if lot.MainCPV != "" {
			need.CPVCodes = append(need.CPVCodes, lot.MainCPV)
		}
		need.CPVCodes = append(need.CPVCodes, lot.AdditionalCPV...)
		if lot.EstimatedValue != nil {
			if v, ok := lot.EstimatedValue.SEK(); ok {
				need.EstimatedValueSEK = &v
			}
		}
		date := lot.PlannedStart
		if date == "" {
			date = n.FutureNoticeDate
		}
		if date != "" {
			d, err := arena.ParseDate(date)
			if err != nil {
				errs = append(errs, rowError(i+1, lot.ID, arena.Invalid(string(PlannedDate), "err.import.date", arena.F{"value": date})))
				continue
			}
			need.PlannedDate = &d
		}
		rows = append(rows, Row{Number: i + 1, Need: need})
	}
	return rows, errs
}

// ImportNotice imports a notice's lots as draft needs of orgID, or, when
// orgID is 0, of the buyer the notice names by its Swedish organisation
// number: found in Arena, or registered in the same transaction (only a
// system actor, the command line, registers one). Nothing of the notice
// is written when a lot is bad, unless opt.Partial.
func ImportNotice(ctx context.Context, db *store.DB, orgID int64, n *eforms.Notice, opt Options) (*Report, *arena.Organization, error) {
	org, err := noticeBuyer(ctx, db, orgID, n)
	if err != nil {
		return nil, nil, err
	}
	if org.ID == 0 {
		opt.NewOrg = org
	}
	rows, errs := NoticeRows(n, org.ID)
	rep, err := Rows(ctx, db, org.ID, rows, errs, func(field string) string { return field }, opt)
	return rep, org, err
}

// noticeBuyer is the organisation a notice's lots become needs of.
func noticeBuyer(ctx context.Context, db *store.DB, orgID int64, n *eforms.Notice) (*arena.Organization, error) {
	if orgID != 0 {
		return db.Organizations.Get(ctx, orgID)
	}
	number, err := arena.NormalizeOrgNumber(n.Buyer.CompanyID)
	if err != nil {
		return nil, arena.Invalid("file", "err.eforms.buyer_number", arena.F{"element": "efac:Organization/efac:Company/cac:PartyLegalEntity/cbc:CompanyID", "value": n.Buyer.CompanyID})
	}
	page, err := db.Organizations.List(ctx, store.ListQuery{Filters: map[string]string{"org_number": number}, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(page.Items) == 1 {
		return page.Items[0], nil
	}
	kind, ok := arena.OrgKindOfNumber(number)
	if !ok {
		return nil, arena.Invalid("file", "err.eforms.buyer_kind", arena.F{"value": number})
	}
	return &arena.Organization{Name: n.Buyer.Name, OrgNumber: number, Kind: kind, Website: n.Buyer.Website}, nil
}
