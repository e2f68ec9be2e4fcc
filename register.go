package arena

// Project is a funded project with an innovation-procurement aspect (4.4).
type Project struct {
	Meta
	Title            string          `json:"title"`
	Category         ProjectCategory `json:"category"`
	Procedure        Procedure       `json:"procedure,omitempty"`
	Phase            ProjectPhase    `json:"phase,omitempty"`
	FunderID         *int64          `json:"funder_id,omitempty"`
	CallID           *int64          `json:"call_id,omitempty"`
	Programme        string          `json:"programme,omitempty"`
	CoordinatorOrgID *int64          `json:"coordinator_org_id,omitempty"`
	Participants     []string        `json:"participants"`
	Description      string          `json:"description,omitempty"`
	Results          string          `json:"results,omitempty"`
	Lessons          string          `json:"lessons,omitempty"`
	StartYear        *int            `json:"start_year,omitempty"`
	EndYear          *int            `json:"end_year,omitempty"`
	Source           string          `json:"source,omitempty"`
}

// Validate checks the project's own rules.
func (p *Project) Validate() error {
	if err := requireText("title", &p.Title, NameMax); err != nil {
		return err
	}
	for _, f := range []struct {
		field string
		s     *string
		max   int
	}{{"programme", &p.Programme, NameMax}, {"description", &p.Description, LongTextMax}, {"results", &p.Results, LongTextMax},
		{"lessons", &p.Lessons, LongTextMax}, {"source", &p.Source, ShortTextMax}} {
		if err := optionalText(f.field, f.s, f.max); err != nil {
			return err
		}
	}
	if err := checkEnum("category", p.Category, ProjectCategories, false); err != nil {
		return err
	}
	if err := checkEnum("procedure", p.Procedure, Procedures, true); err != nil {
		return err
	}
	if err := checkEnum("phase", p.Phase, ProjectPhases, true); err != nil {
		return err
	}
	participants, err := checkTexts("participants", p.Participants, NameMax)
	if err != nil {
		return err
	}
	p.Participants = participants
	return checkYears(p.StartYear, p.EndYear, "start_year", "end_year")
}

// Expert is a person or research environment with subject areas.
type Expert struct {
	Meta
	Name         string     `json:"name"`
	Kind         ExpertKind `json:"kind"`
	OrgID        *int64     `json:"org_id,omitempty"`
	Affiliation  string     `json:"affiliation,omitempty"`
	SubjectAreas []string   `json:"subject_areas"`
	Description  string     `json:"description,omitempty"`
	Contact      string     `json:"contact,omitempty"`
	Website      string     `json:"website,omitempty"`
	Source       string     `json:"source,omitempty"`
}

// Validate checks the expert's own rules.
func (e *Expert) Validate() error {
	if err := requireText("name", &e.Name, NameMax); err != nil {
		return err
	}
	for _, f := range []struct {
		field string
		s     *string
		max   int
	}{{"affiliation", &e.Affiliation, ShortTextMax}, {"description", &e.Description, LongTextMax}, {"contact", &e.Contact, ShortTextMax},
		{"source", &e.Source, ShortTextMax}} {
		if err := optionalText(f.field, f.s, f.max); err != nil {
			return err
		}
	}
	if err := checkURL("website", &e.Website); err != nil {
		return err
	}
	areas, err := checkTexts("subject_areas", e.SubjectAreas, NameMax)
	if err != nil {
		return err
	}
	e.SubjectAreas = areas
	return checkEnum("kind", e.Kind, ExpertKinds, false)
}

// CanSeeExpertContact: an expert's contact is personal data when the
// expert is a person: seen by people who are signed in. A research
// environment's contact is its public address.
func CanSeeExpertContact(a *Actor, e *Expert) bool {
	return e.Kind != ExpertPerson || a.SignedIn()
}

// CanKeepRegister: the public registers (funders, calls, projects,
// experts) are kept by brokers and funder officers.
func CanKeepRegister(a *Actor) error {
	if a.SignedIn() && (a.User.HasRole(RoleBroker) || a.User.HasRole(RoleFunderOfficer)) {
		return nil
	}
	return Forbidden("err.forbidden.register")
}

// validCountry accepts an empty country (Sweden) or two capital letters.
func validCountry(c string) bool {
	if c == "" {
		return true
	}
	return len(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z'
}
