// Package ocds exports Arena's needs and member procurements as Open
// Contracting Data Standard 1.1.5: a release package of everything the
// caller may see, and a record package for one contracting process (ocid).
//
// The functions are pure: the caller passes only what the caller may see,
// and gets JSON-ready Go values back. Validator checks the JSON against the
// standard's schemas.
package ocds

// Version is the OCDS version written in every package (major.minor, as the
// schema wants); the fields follow the 1.1.5 schema.
const Version = "1.1"

// Paths of the API that serves the packages, below Config.BaseURI. Package
// uris and the links between releases are built from them, so the routes
// serving the packages use them too.
const (
	ReleasesPath = "/api/v1/ocds/releases" // the release package
	RecordsPath  = "/api/v1/ocds/records/" // followed by an ocid: its record package
)

// ReleasePackage is an OCDS release package.
type ReleasePackage struct {
	URI               string    `json:"uri"`
	Version           string    `json:"version"`
	PublishedDate     string    `json:"publishedDate"`
	Publisher         Publisher `json:"publisher"`
	License           string    `json:"license,omitempty"`
	PublicationPolicy string    `json:"publicationPolicy,omitempty"`
	Releases          []Release `json:"releases"`
}

// RecordPackage is an OCDS record package with embedded releases.
type RecordPackage struct {
	URI               string          `json:"uri"`
	Version           string          `json:"version"`
	PublishedDate     string          `json:"publishedDate"`
	Publisher         Publisher       `json:"publisher"`
	License           string          `json:"license,omitempty"`
	PublicationPolicy string          `json:"publicationPolicy,omitempty"`
	Packages          []string        `json:"packages,omitempty"`
	Records           []ProcessRecord `json:"records"`
}

// ProcessRecord is the record of one contracting process: every release and
// their compiled state.
type ProcessRecord struct {
	OCID            string    `json:"ocid"`
	Releases        []Release `json:"releases"`
	CompiledRelease *Release  `json:"compiledRelease,omitempty"`
}

// Publisher is who publishes a package.
type Publisher struct {
	Name string `json:"name"`
	URI  string `json:"uri,omitempty"`
}

// Release is what is known of one contracting process at one time. Dates
// are RFC 3339 date-times.
type Release struct {
	OCID             string                 `json:"ocid"`
	ID               string                 `json:"id"`
	Date             string                 `json:"date"`
	Tag              []string               `json:"tag"`
	InitiationType   string                 `json:"initiationType"`
	Language         string                 `json:"language,omitempty"`
	Parties          []Party                `json:"parties,omitempty"`
	Buyer            *OrganizationReference `json:"buyer,omitempty"`
	Planning         *Planning              `json:"planning,omitempty"`
	Tender           *Tender                `json:"tender,omitempty"`
	Awards           []Award                `json:"awards,omitempty"`
	Contracts        []Contract             `json:"contracts,omitempty"`
	RelatedProcesses []RelatedProcess       `json:"relatedProcesses,omitempty"`
}

// Party is an organisation taking part in a contracting process (the
// schema's Organization).
type Party struct {
	ID           string        `json:"id"`
	Name         string        `json:"name,omitempty"`
	Identifier   *Identifier   `json:"identifier,omitempty"`
	Address      *Address      `json:"address,omitempty"`
	ContactPoint *ContactPoint `json:"contactPoint,omitempty"`
	Roles        []string      `json:"roles,omitempty"`
}

// OrganizationReference names a party by its id in parties.
type OrganizationReference struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// Identifier is an organisation's identifier in a registered scheme.
type Identifier struct {
	Scheme    string `json:"scheme,omitempty"`
	ID        string `json:"id,omitempty"`
	LegalName string `json:"legalName,omitempty"`
}

// Address is an organisation's address; Arena knows only the country.
type Address struct {
	CountryName string `json:"countryName,omitempty"`
}

// ContactPoint is how to reach an organisation.
type ContactPoint struct {
	URL string `json:"url,omitempty"`
}

// Planning is the planning stage: why, and with what money.
type Planning struct {
	Rationale string     `json:"rationale,omitempty"`
	Budget    *Budget    `json:"budget,omitempty"`
	Documents []Document `json:"documents,omitempty"`
}

// Budget is the money planned for a contracting process.
type Budget struct {
	Description string `json:"description,omitempty"`
	Amount      *Value `json:"amount,omitempty"`
}

// Value is an amount of money. Arena's amounts are whole kronor.
type Value struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// Tender is the tender stage, or the planned one.
type Tender struct {
	ID                       string                 `json:"id"`
	Title                    string                 `json:"title,omitempty"`
	Description              string                 `json:"description,omitempty"`
	Status                   string                 `json:"status,omitempty"`
	ProcuringEntity          *OrganizationReference `json:"procuringEntity,omitempty"`
	Items                    []Item                 `json:"items,omitempty"`
	Value                    *Value                 `json:"value,omitempty"`
	ProcurementMethodDetails string                 `json:"procurementMethodDetails,omitempty"`
	MainProcurementCategory  string                 `json:"mainProcurementCategory,omitempty"`
	TenderPeriod             *Period                `json:"tenderPeriod,omitempty"`
}

// Item is something to be bought, classified by CPV.
type Item struct {
	ID                        string           `json:"id"`
	Description               string           `json:"description,omitempty"`
	Classification            *Classification  `json:"classification,omitempty"`
	AdditionalClassifications []Classification `json:"additionalClassifications,omitempty"`
	Quantity                  *float64         `json:"quantity,omitempty"`
	Unit                      *Unit            `json:"unit,omitempty"`
}

// Classification is a code in a classification scheme such as CPV.
type Classification struct {
	Scheme      string `json:"scheme"`
	ID          string `json:"id"`
	Description string `json:"description,omitempty"`
}

// Unit is the unit an item's quantity is counted in.
type Unit struct {
	Name string `json:"name,omitempty"`
}

// Period is a span of time; either end may be open.
type Period struct {
	StartDate string `json:"startDate,omitempty"`
	EndDate   string `json:"endDate,omitempty"`
}

// Award is the award of a contract.
type Award struct {
	ID          string `json:"id"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	Status      string `json:"status,omitempty"`
	Date        string `json:"date,omitempty"`
}

// Contract is a contract entered into after an award.
type Contract struct {
	ID             string          `json:"id"`
	AwardID        string          `json:"awardID"`
	Title          string          `json:"title,omitempty"`
	Description    string          `json:"description,omitempty"`
	Status         string          `json:"status,omitempty"`
	Period         *Period         `json:"period,omitempty"`
	Implementation *Implementation `json:"implementation,omitempty"`
}

// Implementation is what happened while a contract was carried out.
type Implementation struct {
	Milestones []Milestone `json:"milestones,omitempty"`
}

// Milestone is a dated event of a contracting process.
type Milestone struct {
	ID      string `json:"id"`
	Title   string `json:"title,omitempty"`
	Type    string `json:"type,omitempty"`
	Status  string `json:"status,omitempty"`
	DateMet string `json:"dateMet,omitempty"`
}

// Document is a document or page about a contracting process.
type Document struct {
	ID           string `json:"id"`
	DocumentType string `json:"documentType,omitempty"`
	Title        string `json:"title,omitempty"`
	URL          string `json:"url,omitempty"`
	Format       string `json:"format,omitempty"`
	Language     string `json:"language,omitempty"`
}

// RelatedProcess links a release to another process it follows from.
type RelatedProcess struct {
	ID           string   `json:"id"`
	Relationship []string `json:"relationship,omitempty"`
	Title        string   `json:"title,omitempty"`
	Scheme       string   `json:"scheme,omitempty"`
	Identifier   string   `json:"identifier,omitempty"`
	URI          string   `json:"uri,omitempty"`
}
