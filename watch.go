package arena

import (
	"maps"
	"slices"
	"strings"
)

// ---------------------------------------------------------------------------
// Bevakningar: a person's saved searches of a register, told of what is new

// WatchTarget is the register a watch (bevakning) keeps an eye on.
type WatchTarget string

// Watch targets.
const (
	WatchNeeds     WatchTarget = "needs"
	WatchCalls     WatchTarget = "calls"
	WatchProjects  WatchTarget = "projects"
	WatchNetworks  WatchTarget = "networks"
	WatchDialogues WatchTarget = "dialogues"
)

// WatchTargets are the targets, in the order a form offers them.
var WatchTargets = []WatchTarget{WatchNeeds, WatchCalls, WatchProjects, WatchNetworks, WatchDialogues}

// Valid reports whether t is a known target.
func (t WatchTarget) Valid() bool { return slices.Contains(WatchTargets, t) }

// Term returns the words for the target.
func (t WatchTarget) Term() Term { return Term{Key: "watch_target." + string(t)} }

// WatchFilters are the filters a watch may keep, by target. They are the
// register's own list filters (the store's, the API's and the register
// pages'), so a watch tells of exactly what its register would list to
// the person: "cpv" takes a code's whole subtree, "lan", "kommun" and
// "org_kind" are the posting organisation's.
var WatchFilters = map[WatchTarget][]string{
	WatchNeeds:     {"q", "cpv", "sector", "intent", "lan", "kommun", "org_kind"},
	WatchCalls:     {"q", "eligible_org_kind", "theme", "funder_id"},
	WatchProjects:  {"q", "category", "procedure", "phase", "funder_id"},
	WatchNetworks:  {"q", "kind", "sector", "country"},
	WatchDialogues: {"q", "cpv", "sector"},
}

// WatchesMax bounds a person's watches: each is one query per new record.
const WatchesMax = 50

// Watch is a person's bevakning: a register and its filters. Whatever new
// the register would list to the person under the filters, the person is
// told of (NotifyOfWatch), unless the watch is paused.
type Watch struct {
	Meta
	UserID  int64             `json:"user_id"` // set by the server: the person who keeps it
	Name    string            `json:"name"`
	Target  WatchTarget       `json:"target"`
	Filters map[string]string `json:"filters"` // filter name → value, as in the register's list
	Paused  bool              `json:"paused"`
}

// Validate checks the watch's own rules: a name, a known target and only
// that target's filters, each value a short text; empty values are
// dropped. Whether a value is one the filter takes (a known kind, an id)
// is checked by the register's list.
func (w *Watch) Validate() error {
	if err := requireText("name", &w.Name, NameMax); err != nil {
		return err
	}
	if err := checkEnum("target", w.Target, WatchTargets, false); err != nil {
		return err
	}
	allowed := WatchFilters[w.Target]
	clean := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(w.Filters)) {
		if !slices.Contains(allowed, name) {
			return Invalid("filters", "err.filter", F{"filter": name, "choices": Choices(allowed)})
		}
		v := strings.TrimSpace(w.Filters[name])
		if err := CheckQuery(name, v); err != nil {
			return err
		}
		if v != "" {
			clean[name] = v
		}
	}
	w.Filters = clean
	return nil
}

// CanSeeWatch: a watch is its keeper's alone (what a person follows is
// personal); the platform sees every watch to tell of what is new.
func CanSeeWatch(a *Actor, w *Watch) bool {
	return a != nil && (a.System || a.SignedIn() && a.UserID() == w.UserID)
}

// CanChangeWatch: a signed-in person makes, changes and deletes their own
// watches, at most WatchesMax (count is how many they have, the new one
// not included); nobody changes another's, nor who keeps one.
func CanChangeWatch(a *Actor, old, v *Watch, count int) error {
	if !a.SignedIn() {
		return Err(EUNAUTHORIZED, "err.sign_in")
	}
	if old != nil && old.UserID != a.UserID() {
		return Forbidden("err.forbidden.watch")
	}
	if old == nil && v != nil && count >= WatchesMax {
		return Invalid("name", "err.watch.too_many", F{"max": WatchesMax})
	}
	return nil
}

// StampWatch sets who keeps the watch: the person who made it.
func StampWatch(a *Actor, old, v *Watch) {
	if old != nil {
		v.UserID = old.UserID
		return
	}
	v.UserID = a.UserID()
}

// NotifyOfWatch is the rule for telling a person of a new record their
// watch catches: only the watch's keeper, only while it is not paused, and
// only of what the keeper may see (listed is whether the register lists
// the record to the keeper under the watch's filters: the visibility
// rules of the register). A need from the keeper's own organisation is
// not news to them.
func NotifyOfWatch(recipient *Actor, w *Watch, listed bool, need *Need) bool {
	if recipient == nil || recipient.System || !listed || w.Paused || recipient.UserID() != w.UserID {
		return false
	}
	return need == nil || !recipient.InOrg(need.OrgID)
}
