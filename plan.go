package arena

// Responsibility is one line of a plan's split of responsibilities.
type Responsibility struct {
	Who  string `json:"who"`
	What string `json:"what"`
}

// NetworkPlan is a network's shared plan: its rules (spelregler) and who is
// responsible for what (5.4.1). A network has at most one.
type NetworkPlan struct {
	Meta
	NetworkID        int64            `json:"network_id"`
	Goal             string           `json:"goal,omitempty"`
	Rules            string           `json:"rules,omitempty"`
	Responsibilities []Responsibility `json:"responsibilities"`
}

// Validate checks the plan's own rules.
func (p *NetworkPlan) Validate() error {
	if p.NetworkID <= 0 {
		return Invalid("network_id", "err.required")
	}
	if err := optionalText("goal", &p.Goal, LongTextMax); err != nil {
		return err
	}
	if err := optionalText("rules", &p.Rules, LongTextMax); err != nil {
		return err
	}
	if p.Responsibilities == nil {
		p.Responsibilities = []Responsibility{}
	}
	if len(p.Responsibilities) > ListMax {
		return Invalid("responsibilities", "err.list_long", F{"max": ListMax})
	}
	for i := range p.Responsibilities {
		r := &p.Responsibilities[i]
		r.Who, r.What = trimText(r.Who), trimText(r.What)
		if r.Who == "" || r.What == "" {
			return Invalid("responsibilities", "err.plan.responsibility")
		}
		if err := checkText("responsibilities", r.Who, NameMax); err != nil {
			return err
		}
		if err := checkText("responsibilities", r.What, ShortTextMax); err != nil {
			return err
		}
	}
	return nil
}

// Activity is something a network does: a market dialogue, a pre-study.
type Activity struct {
	Meta
	NetworkID   int64          `json:"network_id"`
	Kind        ActivityKind   `json:"kind"`
	Title       string         `json:"title"`
	Description string         `json:"description,omitempty"`
	StartDate   *Date          `json:"start_date,omitempty"`
	EndDate     *Date          `json:"end_date,omitempty"`
	Status      ActivityStatus `json:"status"`
}

// Validate checks the activity's own rules.
func (a *Activity) Validate() error {
	if a.NetworkID <= 0 {
		return Invalid("network_id", "err.required")
	}
	if err := checkEnum("kind", a.Kind, ActivityKinds, false); err != nil {
		return err
	}
	if err := requireText("title", &a.Title, NameMax); err != nil {
		return err
	}
	if err := optionalText("description", &a.Description, LongTextMax); err != nil {
		return err
	}
	if a.Status == "" {
		a.Status = ActivityPlanned
	}
	if err := checkEnum("status", a.Status, ActivityStatuses, false); err != nil {
		return err
	}
	return checkDates(a.StartDate, a.EndDate, "end_date")
}

// checkDates refuses an end date before the start date, on field.
func checkDates(start, end *Date, field string) error {
	if start != nil && end != nil && end.Before(start.Time) {
		return Invalid(field, "err.end_before_start")
	}
	return nil
}
