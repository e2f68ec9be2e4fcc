package main

import (
	"fmt"
	"math/rand/v2"
	"time"

	arena "github.com/arena-se/arena"
)

// theme is one procurement need that several buyers have and name in their
// own words, so that matching has real work: the same need, other words.
type theme struct {
	titles []string // how different buyers name it
	need   string   // what they need
	effect string   // the effect they are after
	cpv    string
	sector string
}

var themes = []theme{
	{[]string{"Digitala trygghetslarm i hemtjänsten", "Larm för äldre som bor kvar hemma", "Mobila trygghetslarm med platsangivelse"},
		"Vi behöver trygghetslarm som fungerar i en helt digital larmkedja, även utanför bostaden, med larmmottagning dygnet runt.",
		"Effekten vi söker är ökad trygghet för äldre och kortare åtgärdstider.", "35121700", "vård och omsorg"},
	{[]string{"Laddinfrastruktur för kommunens fordon", "Laddplatser vid kommunala arbetsplatser", "Laddstolpar för elbilar i tjänsten"},
		"Vi ska ställa om fordonsflottan till el och behöver laddplatser med lastbalansering och debitering per användare.",
		"Målet är fossilfria tjänsteresor och lägre driftkostnader.", "34144900", "transporter"},
	{[]string{"Solceller på skolor och förskolor", "Solenergi på kommunens tak", "Solcellsanläggningar på offentliga byggnader"},
		"Vi vill installera solcellsmoduler på våra fastigheters tak och följa produktionen i ett gemensamt system.",
		"Effekten ska vara minskade energikostnader och ökad egen elproduktion.", "09331200", "energi"},
	{[]string{"Insamling av matavfall i flerbostadshus", "Sensorstyrd sophämtning", "Smartare avfallshämtning med fyllnadsgradsgivare"},
		"Vi behöver en lösning för sophämtning där kärlens fyllnadsgrad mäts så att hämtningen sker när den behövs.",
		"Vi vill minska antalet körningar och öka andelen sorterat matavfall.", "90511000", "avfall"},
	{[]string{"Digital journal för elevhälsan", "Journalsystem för skolsköterskor", "Informationssystem för elevhälsans medicinska insats"},
		"Elevhälsan behöver ett journalsystem som uppfyller kraven på informationssäkerhet och kan dela uppgifter med regionen.",
		"Effekten är säkrare dokumentation och mindre dubbelarbete.", "48814000", "utbildning"},
	{[]string{"Belysning i gång- och cykelvägar", "Smart gatubelysning med närvarostyrning", "LED-armaturer för vägbelysning"},
		"Vi ska byta ut gammal gatubelysning mot armaturer som dimras när ingen rör sig på platsen.",
		"Målet är lägre elförbrukning och ökad trygghet på kvällar.", "31520000", "infrastruktur"},
	{[]string{"Möbler för aktivt lärande", "Flexibla skolmöbler för klassrum", "Ergonomiska elevmöbler"},
		"Skolorna behöver möbler som går att flytta och anpassa efter olika undervisningsformer och elever med särskilda behov.",
		"Effekten vi söker är bättre arbetsmiljö och studiero.", "39160000", "utbildning"},
	{[]string{"E-tjänsteplattform för invånarärenden", "Digital ärendehantering för medborgare", "Självservice för bygglov och tillstånd"},
		"Vi behöver en plattform där invånare kan lämna och följa sina ärenden i alla kanaler, kopplad till våra verksamhetssystem.",
		"Målet är kortare handläggningstider och nöjdare invånare.", "72000000", "digitalisering"},
	{[]string{"Lokalvård med uppföljning i realtid", "Behovsstyrd städning av lokaler", "Städtjänster med sensorer för användning"},
		"Vi vill att städningen styrs av hur lokalerna faktiskt används, mätt med sensorer, i stället för fasta scheman.",
		"Effekten ska vara renare lokaler till lägre kostnad.", "90910000", "fastigheter"},
	{[]string{"Skötsel av grönytor med robotgräsklippare", "Biologisk mångfald i parker", "Hållbar parkskötsel"},
		"Vi söker nya sätt att sköta parker och grönområden som gynnar pollinatörer och minskar bullret.",
		"Målet är ökad biologisk mångfald och färre fossila maskiner.", "77310000", "miljö"},
	{[]string{"Digital skyltning i kollektivtrafiken", "Realtidsinformation vid hållplatser", "Tillgängliga informationsskyltar för resenärer"},
		"Vi behöver skyltar som visar avgångar i realtid och som också fungerar för personer med syn- eller hörselnedsättning.",
		"Effekten vi söker är fler resenärer och bättre tillgänglighet.", "34928470", "transporter"},
	{[]string{"Kylning av vårdlokaler under värmeböljor", "Energieffektiv komfortkyla", "Luftkonditionering i äldreboenden"},
		"Våra boenden blir för varma på sommaren och vi behöver kyla som inte ökar energianvändningen nämnvärt.",
		"Målet är en säker inomhustemperatur för sköra äldre.", "42512000", "vård och omsorg"},
	{[]string{"Provhantering i laboratoriet", "Automatiserad biobank", "Spårbarhet för blodprover"},
		"Vi behöver minska den manuella hanteringen av prover och korta tiden mellan provtagning och analys.",
		"Effekten är snabbare svar till patienterna och färre fel.", "38000000", "hälso- och sjukvård"},
	{[]string{"Klimatsmarta byggmaterial i nyproduktion", "Betong med låg klimatpåverkan", "Trästommar i kommunala byggprojekt"},
		"Vi ska bygga skolor och bostäder och vill ställa krav på byggmaterial med lägre klimatavtryck.",
		"Målet är halverade utsläpp från byggskedet.", "44000000", "bygg"},
	{[]string{"Vattenmätare med fjärravläsning", "Läckagedetektering i ledningsnätet", "Smarta vattenmätare för hushåll"},
		"Vi behöver mätare som läses av på distans och som larmar vid läckor i ledningsnätet.",
		"Effekten vi söker är mindre vattenförlust och färre avbrott.", "65000000", "vatten och avlopp"},
	{[]string{"Hjälpmedel för fallprevention", "Sensorer som upptäcker fall", "Fallskydd för äldre i särskilt boende"},
		"Vi söker hjälpmedel som minskar risken för fall och snabbt larmar personalen när någon har fallit.",
		"Målet är färre fallskador och höftfrakturer.", "33190000", "vård och omsorg"},
	{[]string{"System för lokalbokning", "Bokning av idrottshallar och möteslokaler", "Digital bokning av föreningslokaler"},
		"Föreningar och invånare behöver kunna boka våra lokaler digitalt, med passerkontroll och fakturering.",
		"Effekten är bättre nyttjande av lokalerna.", "48400000", "kultur och fritid"},
	{[]string{"Marknadsdialog om cirkulära möbler", "Återbruk av kontorsmöbler", "Renovering av begagnade möbler"},
		"Vi vill köpa renoverade möbler och ta tillvara det vi redan har i stället för att köpa nytt.",
		"Målet är minskat avfall och lägre klimatpåverkan.", "79000000", "miljö"},
	{[]string{"Elektrifierade arbetsfordon", "Eldrivna maskiner för gatuunderhåll", "Fossilfria fordon för snöröjning"},
		"Vi behöver arbetsfordon och maskiner som drivs med el eller biogas för gatuunderhåll och snöröjning.",
		"Effekten ska vara minskade utsläpp och mindre buller i centrum.", "34100000", "transporter"},
	{[]string{"Energieffektivisering av äldre skolor", "Renovering av miljonprogramshus", "Energirenovering av flerbostadshus"},
		"Vi ska renovera fastigheter från 1960- och 70-talen och vill minska energianvändningen kraftigt.",
		"Målet är halverad energianvändning och bättre inomhusmiljö.", "45453000", "fastigheter"},
	{[]string{"Förbrukningsmaterial med mindre plast", "Plastfria engångsartiklar i vården", "Medicinska förbrukningsartiklar med lägre klimatpåverkan"},
		"Vi vill ersätta engångsartiklar av fossil plast med alternativ som är lika säkra för patienterna.",
		"Effekten vi söker är mindre plastavfall.", "33140000", "hälso- och sjukvård"},
	{[]string{"Styrning av inomhusklimat i skolor", "Sensorer för luftkvalitet i klassrum", "Ventilationsstyrning efter behov"},
		"Vi behöver mäta koldioxid och temperatur i klassrummen och styra ventilationen efter det.",
		"Målet är bättre luft för eleverna och lägre energianvändning.", "42961000", "fastigheter"},
}

// organisations beyond the demo users' own, made with `arena user create`:
// real municipalities with their organisation numbers.
var extraOrgs = []struct{ number, name, kind, email string }{
	{"212000-0142", "Stockholms stad", "kommun", "upphandling@stockholm.load"},
	{"212000-1124", "Malmö stad", "kommun", "upphandling@malmo.load"},
	{"212000-3005", "Uppsala kommun", "kommun", "upphandling@uppsala.load"},
	{"212000-0449", "Linköpings kommun", "kommun", "upphandling@linkoping.load"},
	{"212000-2080", "Västerås stad", "kommun", "upphandling@vasteras.load"},
}

// attackerOrg is the organisation the attacker signs in to.
var attackerOrg = struct{ number, name, kind, email string }{"212000-2742", "Luleå kommun", "kommun", "angripare@lulea.load"}

// newNeed makes a public need of the organisation on the theme, in words
// that vary with the random source.
func newNeed(rng *rand.Rand, orgID int64, orgName string) *arena.Need {
	t := themes[rng.IntN(len(themes))]
	title := t.titles[rng.IntN(len(t.titles))]
	desc := fmt.Sprintf("%s %s %s Vi planerar för ungefär %d enheter under %d år och vill gärna samverka med andra organisationer i en gemensam marknadsdialog.",
		intros[rng.IntN(len(intros))](orgName), t.need, t.effect, 50+rng.IntN(2000), 2+rng.IntN(4))
	value := int64(500_000 + rng.IntN(20_000_000))
	planned := arena.DateOf(time.Now().AddDate(0, 3+rng.IntN(24), 0))
	return &arena.Need{OrgID: orgID, Title: title, Description: desc, CPVCodes: []string{t.cpv}, Sector: t.sector,
		EstimatedValueSEK: &value, PlannedDate: &planned, Intent: arena.Intents[rng.IntN(len(arena.Intents))],
		Visibility: arena.VisibilityPublic}
}

var intros = []func(org string) string{
	func(org string) string { return org + " ser ett växande behov inom området." },
	func(org string) string { return "I " + org + " har verksamheten lyft frågan flera år i rad." },
	func(org string) string {
		return org + " vill pröva nya lösningar i stället för att köpa det vi alltid har köpt."
	},
	func(org string) string { return "Inför nästa budgetår utreder " + org + " hur behovet kan mötas." },
}
