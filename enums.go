package arena

import (
	"slices"
	"strings"
)

// OrgKind is the kind of an organisation.
type OrgKind string

// Organisation kinds. The Swedish forms used in the report and the eval set
// ("statlig myndighet", "kommunalförbund") are accepted by ParseOrgKind.
const (
	OrgKommun          OrgKind = "kommun"
	OrgRegion          OrgKind = "region"
	OrgAgency          OrgKind = "statlig_myndighet"
	OrgKommunalforbund OrgKind = "kommunalforbund"
	OrgMunicipalCo     OrgKind = "kommunalt_bolag"
	OrgCentralPurchase OrgKind = "inkopscentral"
	OrgCompany         OrgKind = "foretag"
	OrgAcademia        OrgKind = "larosate_institut"
	OrgAssociation     OrgKind = "forening"
)

// OrgKinds lists every organisation kind.
var OrgKinds = []OrgKind{OrgKommun, OrgRegion, OrgAgency, OrgKommunalforbund, OrgMunicipalCo, OrgCentralPurchase, OrgCompany, OrgAcademia, OrgAssociation}

// ParseOrgKind accepts a kind's code or its Swedish name in any case, with
// spaces or underscores and with or without Swedish letters.
func ParseOrgKind(s string) (OrgKind, bool) {
	r := strings.NewReplacer(" ", "_", "-", "_", "/", "_", "ö", "o", "ä", "a", "å", "a")
	k := OrgKind(r.Replace(strings.ToLower(strings.TrimSpace(s))))
	switch k {
	case "larosate", "institut", "larosate_institut", "larosate_eller_institut":
		return OrgAcademia, true
	case "myndighet", "statlig_myndighet":
		return OrgAgency, true
	}
	return k, slices.Contains(OrgKinds, k)
}

// IsPublicBuyer reports whether organisations of kind k are upphandlande
// organisationer (contracting authorities).
func (k OrgKind) IsPublicBuyer() bool {
	switch k {
	case OrgKommun, OrgRegion, OrgAgency, OrgKommunalforbund, OrgMunicipalCo, OrgCentralPurchase:
		return true
	}
	return false
}

// OrgRole is a user's role within an organisation.
type OrgRole string

// Organisation roles.
const (
	OrgRoleMember OrgRole = "member"
	OrgRoleAdmin  OrgRole = "admin"
)

// OrgRoles lists every organisation role.
var OrgRoles = []OrgRole{OrgRoleMember, OrgRoleAdmin}

// OrgMemberStatus is where a person is in joining an organisation.
type OrgMemberStatus string

// Organisation membership statuses.
const (
	OrgMemberInvited   OrgMemberStatus = "invited"   // the organisation's admin asked; the person has not accepted
	OrgMemberRequested OrgMemberStatus = "requested" // the person asked (signing in with an address of the organisation's domain); the admin has not approved
	OrgMemberActive    OrgMemberStatus = "active"
)

// OrgMemberStatuses lists every status.
var OrgMemberStatuses = []OrgMemberStatus{OrgMemberInvited, OrgMemberRequested, OrgMemberActive}

// PlatformRole is a role a user holds on the platform itself.
type PlatformRole string

// Platform roles: the arena's own brokers and the funders' officers.
const (
	RoleBroker        PlatformRole = "broker"
	RoleFunderOfficer PlatformRole = "funder_officer"
)

// PlatformRoles lists every platform role.
var PlatformRoles = []PlatformRole{RoleBroker, RoleFunderOfficer}

// Intent is how far a buyer has come towards buying what a need describes.
type Intent string

// Intents to buy, weakest first.
const (
	IntentExplore  Intent = "explore"
	IntentPlan     Intent = "plan"
	IntentBudgeted Intent = "budgeted"
	IntentDecided  Intent = "decided"
)

// Intents lists every intent to buy, weakest first.
var Intents = []Intent{IntentExplore, IntentPlan, IntentBudgeted, IntentDecided}

// Visibility says who may see a need.
type Visibility string

// Visibilities, narrowest first.
const (
	VisibilityDraft        Visibility = "draft"        // the own organisation, marked unfinished
	VisibilityOrganisation Visibility = "organisation" // the own organisation
	VisibilityNetwork      Visibility = "network"      // also organisations sharing a network with the owner
	VisibilityPublic       Visibility = "public"       // everyone
)

// Visibilities lists every visibility, narrowest first.
var Visibilities = []Visibility{VisibilityDraft, VisibilityOrganisation, VisibilityNetwork, VisibilityPublic}

// NetworkKind is the report's split of buyer networks (5.3.1).
type NetworkKind string

// Network kinds.
const (
	NetworkStrategic NetworkKind = "strategic"
	NetworkTactical  NetworkKind = "tactical"
)

// NetworkKinds lists both network kinds.
var NetworkKinds = []NetworkKind{NetworkStrategic, NetworkTactical}

// NetworkStatus is where a network is in its life.
type NetworkStatus string

// Network statuses.
const (
	NetworkActive NetworkStatus = "active"
	NetworkEnded  NetworkStatus = "ended"  // stopped working, as the report tells of some
	NetworkClosed NetworkStatus = "closed" // closed in the arena: read-only
)

// NetworkStatuses lists every network status.
var NetworkStatuses = []NetworkStatus{NetworkActive, NetworkEnded, NetworkClosed}

// MemberRole is what an organisation is in a network.
type MemberRole string

// Member roles.
const (
	MemberBuyer       MemberRole = "buyer"
	MemberSupplier    MemberRole = "supplier"
	MemberResearcher  MemberRole = "researcher"
	MemberFunder      MemberRole = "funder"
	MemberCoordinator MemberRole = "coordinator"
)

// MemberRoles lists every member role.
var MemberRoles = []MemberRole{MemberBuyer, MemberSupplier, MemberResearcher, MemberFunder, MemberCoordinator}

// MemberTier separates the core group from observers, as PIANOo does (5.2.1).
type MemberTier string

// Member tiers.
const (
	TierCore     MemberTier = "core"
	TierObserver MemberTier = "observer"
)

// MemberTiers lists both tiers.
var MemberTiers = []MemberTier{TierCore, TierObserver}

// MemberStatus is where an organisation is in joining a network.
type MemberStatus string

// Member statuses.
const (
	MemberInvited   MemberStatus = "invited"
	MemberRequested MemberStatus = "requested" // the organisation asked to join an open network
	MemberActive    MemberStatus = "active"
	MemberDeclined  MemberStatus = "declined"
	MemberLeft      MemberStatus = "left"
)

// MemberStatuses lists every member status.
var MemberStatuses = []MemberStatus{MemberInvited, MemberRequested, MemberActive, MemberDeclined, MemberLeft}

// ActivityKind is one of the activities networks run (5, 5.1.2).
type ActivityKind string

// Activity kinds, in the order the template list shows them.
const (
	ActivityNeedsAnalysis  ActivityKind = "behovsanalys"
	ActivityScanning       ActivityKind = "omvarldsbevakning"
	ActivityRFI            ActivityKind = "rfi"
	ActivityMarketDialogue ActivityKind = "marknadsdialog"
	ActivityJointSpec      ActivityKind = "gemensam_kravspecifikation"
	ActivityPreStudy       ActivityKind = "forstudie"
	ActivityTechContest    ActivityKind = "tekniktavling"
	ActivityTestVerify     ActivityKind = "test_och_verifiering"
	ActivityPCP            ActivityKind = "forkommersiell_upphandling"
	ActivityDissemination  ActivityKind = "kunskapsspridning"
	ActivityOther          ActivityKind = "annan"
)

// ActivityKinds lists the activity template.
var ActivityKinds = []ActivityKind{ActivityNeedsAnalysis, ActivityScanning, ActivityRFI, ActivityMarketDialogue, ActivityJointSpec, ActivityPreStudy, ActivityTechContest, ActivityTestVerify, ActivityPCP, ActivityDissemination, ActivityOther}

// ActivityStatus is where an activity is.
type ActivityStatus string

// Activity statuses.
const (
	ActivityPlanned   ActivityStatus = "planned"
	ActivityOngoing   ActivityStatus = "ongoing"
	ActivityDone      ActivityStatus = "done"
	ActivityCancelled ActivityStatus = "cancelled"
)

// ActivityStatuses lists every activity status.
var ActivityStatuses = []ActivityStatus{ActivityPlanned, ActivityOngoing, ActivityDone, ActivityCancelled}

// DeliverableKind is what a network produced.
type DeliverableKind string

// Deliverable kinds.
const (
	DeliverableRequirementSpec DeliverableKind = "requirement_specification"
	DeliverableGuidance        DeliverableKind = "guidance"
	DeliverablePrototype       DeliverableKind = "evaluated_prototype"
	DeliverableDPS             DeliverableKind = "dps" // dynamiskt inköpssystem (DIS)
	DeliverableOther           DeliverableKind = "other"
)

// DeliverableKinds lists every deliverable kind.
var DeliverableKinds = []DeliverableKind{DeliverableRequirementSpec, DeliverableGuidance, DeliverablePrototype, DeliverableDPS, DeliverableOther}

// ProcurementStage is where a member's own procurement is (7.6).
type ProcurementStage string

// Procurement stages in their required order; withdrawn may follow any of them.
const (
	StagePlanned     ProcurementStage = "planned"
	StageAnnounced   ProcurementStage = "announced"
	StageAwarded     ProcurementStage = "awarded"
	StageImplemented ProcurementStage = "implemented"
	StageEvaluated   ProcurementStage = "evaluated"
	StageWithdrawn   ProcurementStage = "withdrawn"
)

// ProcurementStages lists the stages, withdrawn last.
var ProcurementStages = []ProcurementStage{StagePlanned, StageAnnounced, StageAwarded, StageImplemented, StageEvaluated, StageWithdrawn}

// FollowThroughKind separates a member's own procurement from a hand-over to a
// central purchasing body (7.4, point 4).
type FollowThroughKind string

// Follow-through kinds.
const (
	FollowOwnProcurement FollowThroughKind = "own_procurement"
	FollowHandover       FollowThroughKind = "central_purchasing_handover"
)

// FollowThroughKinds lists both kinds.
var FollowThroughKinds = []FollowThroughKind{FollowOwnProcurement, FollowHandover}

// FunderKind is what sort of body a funder is (4.1).
type FunderKind string

// Funder kinds.
const (
	FunderAgency FunderKind = "agency"
	FunderSIP    FunderKind = "strategic_innovation_programme"
	FunderEU     FunderKind = "eu"
	FunderOther  FunderKind = "other"
)

// FunderKinds lists every funder kind.
var FunderKinds = []FunderKind{FunderAgency, FunderSIP, FunderEU, FunderOther}

// ProjectCategory is one of the report's five project categories (4.4).
type ProjectCategory string

// Project categories.
const (
	CategoryInnovationProcurement ProjectCategory = "innovation_procurement"
	CategoryResearch              ProjectCategory = "research"
	CategoryInnovativeProcurement ProjectCategory = "innovative_procurement"
	CategorySustainability        ProjectCategory = "sustainability_circular"
	CategoryNetworkBuilding       ProjectCategory = "network_building"
)

// ProjectCategories lists the five categories.
var ProjectCategories = []ProjectCategory{CategoryInnovationProcurement, CategoryResearch, CategoryInnovativeProcurement, CategorySustainability, CategoryNetworkBuilding}

// Procedure is the procurement procedure a project used.
type Procedure string

// Procedures.
const (
	ProcedureCompetitiveDialogue   Procedure = "competitive_dialogue"
	ProcedureNegotiated            Procedure = "negotiated"
	ProcedureInnovationPartnership Procedure = "innovation_partnership"
	ProcedurePCP                   Procedure = "pcp"
	ProcedurePPI                   Procedure = "ppi"
	ProcedureOpen                  Procedure = "open"
	ProcedureOther                 Procedure = "other"
)

// Procedures lists every procedure.
var Procedures = []Procedure{ProcedureCompetitiveDialogue, ProcedureNegotiated, ProcedureInnovationPartnership, ProcedurePCP, ProcedurePPI, ProcedureOpen, ProcedureOther}

// ProjectPhase is where a project is.
type ProjectPhase string

// Project phases.
const (
	PhasePlanned   ProjectPhase = "planned"
	PhaseOngoing   ProjectPhase = "ongoing"
	PhaseCompleted ProjectPhase = "completed"
)

// ProjectPhases lists every phase.
var ProjectPhases = []ProjectPhase{PhasePlanned, PhaseOngoing, PhaseCompleted}

// ExpertKind separates people from research environments.
type ExpertKind string

// Expert kinds.
const (
	ExpertPerson      ExpertKind = "person"
	ExpertEnvironment ExpertKind = "research_environment"
)

// ExpertKinds lists both kinds.
var ExpertKinds = []ExpertKind{ExpertPerson, ExpertEnvironment}

// checkEnum returns an EINVALID error naming field unless v is one of values.
// An empty v is allowed only when optional.
func checkEnum[T ~string](field string, v T, values []T, optional bool) error {
	if v == "" && optional {
		return nil
	}
	if slices.Contains(values, v) {
		return nil
	}
	return Invalid(field, "err.choice", F{"value": string(v), "choices": enumChoices(values)})
}

// Codes returns the codes of enumerated values, as the API writes them.
func Codes[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
