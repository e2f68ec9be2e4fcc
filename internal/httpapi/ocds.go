package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/ocds"
	"github.com/arena-se/arena/internal/openapi"
	"github.com/arena-se/arena/internal/store"
)

// OCDS: what the caller may see of needs and member procurements as Open
// Contracting Data Standard 1.1.5 packages. The visibility is the store's
// (arena.CanSeeNeed, the network insiders' procurements); the mapping is
// the ocds package's.

// ocdsPage is the number of needs in a release package page by default,
// and the most: the API's page size (store.MaxPageSize).
const ocdsPage = store.MaxPageSize

func (s *Server) registerOCDSRoutes() {
	s.handle("GET", ocds.ReleasesPath, s.handleOCDSReleases)
	s.doc(openapi.Operation{Method: "GET", Path: ocds.ReleasesPath, OperationID: "ocdsReleases", Tag: "ocds", Status: 200,
		Summary: "An OCDS 1.1.5 release package of what the caller may see: needs (not drafts) as planning releases with their buyer, budget, rationale and CPV items, " +
			"a page of them at a time by id (a Link header with rel=\"next\" gives the next page; 404 when there is nothing to publish, since a package needs a release); and, on the first page, the member procurements of networks " +
			"with their ocid, linked to the network and the member's needs as related processes",
		Params: []openapi.Param{
			{Name: "limit", In: "query", Type: "integer", Description: "needs per page, at most 500 (the default)"},
			{Name: "after", In: "query", Type: "integer", Description: "the id of the last need of the previous page"}},
		Response: reflect.TypeFor[ocds.ReleasePackage]()})
	s.handle("GET", ocds.RecordsPath+"{ocid}", s.handleOCDSRecord) // an ocid with a slash comes escaped (%2F)
	s.doc(openapi.Operation{Method: "GET", Path: ocds.RecordsPath + "{ocid}", OperationID: "ocdsRecord", Tag: "ocds", Status: 200,
		Summary:  "The OCDS record package of one contracting process (a need's or a member procurement's ocid), as the caller may see it",
		Params:   []openapi.Param{{Name: "ocid", In: "path", Type: "string", Description: "the ocid"}},
		Response: reflect.TypeFor[ocds.RecordPackage]()})
}

// ocdsConfig is the OCDS configuration, its links based on where Arena is
// reached.
func (s *Server) ocdsConfig(r *http.Request) ocds.Config {
	base := s.app.Reach.PublicURL
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return ocds.Config{Publisher: s.app.OCDSPublisher, PublisherURI: s.app.OCDSPublisherURI, OCIDPrefix: s.app.OCDSPrefix, BaseURI: strings.TrimSuffix(base, "/")}
}

func (s *Server) handleOCDSReleases(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, after, err := pageParams(q.Get("limit"), q.Get("after"))
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	ctx := r.Context()
	page, err := s.db.Needs.List(ctx, store.ListQuery{After: after, Limit: limit})
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	var procs []*arena.MemberProcurement
	if after == 0 {
		if procs, err = store.All(ctx, s.db.MemberProcurements, nil); err != nil {
			s.WriteError(w, r, err)
			return
		}
	}
	in, err := s.ocdsInput(ctx, page.Items, procs)
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	cfg := s.ocdsConfig(r)
	pkg, err := ocds.Releases(cfg, *in)
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	if len(pkg.Releases) == 0 {
		// The schema wants at least one release: an empty package is
		// not OCDS.
		s.WriteError(w, r, arena.Err(arena.ENOTFOUND, "err.ocds.empty"))
		return
	}
	if page.Next != 0 {
		next := url.Values{"after": {strconv.FormatInt(page.Next, 10)}, "limit": {strconv.Itoa(limit)}}
		w.Header().Set("Link", "<"+cfg.BaseURI+ocds.ReleasesPath+"?"+next.Encode()+`>; rel="next"`)
	}
	s.writeJSON(w, r, http.StatusOK, pkg)
}

// pageParams reads limit and after.
func pageParams(l, a string) (limit int, after int64, err error) {
	limit = ocdsPage
	if l != "" {
		if limit, err = strconv.Atoi(l); err != nil || limit < 1 || limit > ocdsPage {
			return 0, 0, arena.Invalid("limit", "err.range", arena.F{"min": 1, "max": ocdsPage})
		}
	}
	if a != "" {
		if after, err = strconv.ParseInt(a, 10, 64); err != nil || after < 0 {
			return 0, 0, arena.Invalid("after", "err.number")
		}
	}
	return limit, after, nil
}

func (s *Server) handleOCDSRecord(w http.ResponseWriter, r *http.Request) {
	ocid := r.PathValue("ocid")
	cfg := s.ocdsConfig(r)
	ctx := r.Context()
	var needs []*arena.Need
	var procs []*arena.MemberProcurement
	var err error
	if id, ok := strings.CutPrefix(ocid, cfg.OCIDPrefix+"-need-"); ok {
		if n, err := strconv.ParseInt(id, 10, 64); err == nil {
			if need, err := s.db.Needs.Get(ctx, n); err == nil {
				needs = append(needs, need)
			}
		}
	} else {
		// A member procurement: Arena's own ocid, or the one it records.
		all, err := store.All(ctx, s.db.MemberProcurements, nil)
		if err != nil {
			s.WriteError(w, r, err)
			return
		}
		for _, p := range all {
			if ocds.ProcurementOCID(cfg, p) == ocid {
				procs = append(procs, p)
			}
		}
	}
	in, err := s.ocdsInput(ctx, needs, procs)
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	pkg, ok, err := ocds.Record(cfg, *in, ocid)
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	if !ok {
		s.WriteError(w, r, arena.Err(arena.ENOTFOUND, "err.ocds.not_found", arena.F{"ocid": ocid}))
		return
	}
	s.writeJSON(w, r, http.StatusOK, pkg)
}

// ocdsInput gathers what the packages name: the needs' and procurements'
// organisations, the procurements' networks and the needs members brought
// to them, each as the caller may see it.
func (s *Server) ocdsInput(ctx context.Context, needs []*arena.Need, procs []*arena.MemberProcurement) (*ocds.Input, error) {
	in := &ocds.Input{Orgs: map[int64]arena.Organization{}, Networks: map[int64]arena.Network{}, NeedNetworks: map[int64][]int64{}, Published: s.db.Now()}
	if ref := s.db.Reference(); ref != nil && ref.HasCPV() {
		in.CPVLabel = func(code string) string {
			if c, ok := ref.LookupCPV(code); ok {
				return c.LabelSV
			}
			return ""
		}
	}
	var orgIDs, netIDs []int64
	for _, n := range needs {
		if !n.Shared() {
			continue
		}
		in.Needs = append(in.Needs, *n)
		orgIDs = append(orgIDs, n.OrgID)
	}
	for _, p := range procs {
		in.Procurements = append(in.Procurements, *p)
		orgIDs = append(orgIDs, p.OrgID)
		netIDs = append(netIDs, p.NetworkID)
	}
	slices.Sort(netIDs)
	netIDs = slices.Compact(netIDs)
	nets, err := s.db.Networks.GetMany(ctx, netIDs)
	if err != nil {
		return nil, err
	}
	for id, n := range nets {
		in.Networks[id] = *n
		members, err := store.All(ctx, s.db.NetworkMembers, map[string]string{"network_id": strconv.FormatInt(id, 10)})
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			if m.NeedID != nil {
				in.NeedNetworks[*m.NeedID] = append(in.NeedNetworks[*m.NeedID], id)
			}
		}
	}
	// A procurement whose network the caller may not see is left out.
	kept := in.Procurements[:0]
	for _, p := range in.Procurements {
		if _, ok := in.Networks[p.NetworkID]; ok {
			kept = append(kept, p)
		}
	}
	in.Procurements = kept
	orgs, err := s.db.Organizations.GetMany(ctx, orgIDs)
	if err != nil {
		return nil, err
	}
	for id, o := range orgs {
		in.Orgs[id] = *o
	}
	return in, nil
}
