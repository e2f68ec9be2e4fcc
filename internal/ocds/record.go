package ocds

import (
	"errors"
	"net/url"
	"slices"
	"strings"
)

// Record returns the record package of one ocid: its releases in the input,
// embedded and oldest first, and their compiled release. It reports false
// when the input has no release of that ocid: the caller may not see it,
// or it is unknown (or a draft need's). Errors are those of Releases.
func Record(cfg Config, in Input, ocid string) (*RecordPackage, bool, error) {
	cfg, err := cfg.normalize()
	if err != nil {
		return nil, false, err
	}
	if in.Published.IsZero() {
		return nil, false, errors.New("ocds: Input.Published is required")
	}
	rels, err := build(cfg, in, func(o string) bool { return o == ocid })
	if err != nil || len(rels) == 0 {
		return nil, false, err
	}
	// RFC 3339 in UTC sorts as text; the stable sort keeps input order for
	// releases of the same second.
	slices.SortStableFunc(rels, func(a, b Release) int { return strings.Compare(a.Date, b.Date) })
	compiled := compile(rels)
	return &RecordPackage{
		URI: cfg.BaseURI + RecordsPath + url.PathEscape(ocid), Version: Version, PublishedDate: instant(in.Published),
		Publisher: cfg.publisher(), License: cfg.License, PublicationPolicy: cfg.PublicationPolicy,
		Packages: []string{cfg.BaseURI + ReleasesPath},
		Records:  []ProcessRecord{{OCID: ocid, Releases: rels, CompiledRelease: &compiled}},
	}, true, nil
}

// compile merges releases of one ocid, oldest first, into the compiled
// release: the latest release, to which the parties, awards, contracts and
// related processes of the earlier ones are added where their ids are not
// already there (as OCDS merging does for arrays of identified objects).
// Arena publishes one release per record it holds, so several releases
// share an ocid only when members record the same procurement of their own.
func compile(rels []Release) Release {
	c := rels[len(rels)-1]
	c.Tag = []string{"compiled"}
	c.ID = c.OCID + "-" + c.Date
	c.Parties = slices.Clone(c.Parties)
	c.Awards = slices.Clone(c.Awards)
	c.Contracts = slices.Clone(c.Contracts)
	c.RelatedProcesses = slices.Clone(c.RelatedProcesses)
	for i := len(rels) - 2; i >= 0; i-- {
		r := rels[i]
		c.Parties = mergeByID(c.Parties, r.Parties, func(p Party) string { return p.ID })
		c.Awards = mergeByID(c.Awards, r.Awards, func(a Award) string { return a.ID })
		c.Contracts = mergeByID(c.Contracts, r.Contracts, func(k Contract) string { return k.ID })
		c.RelatedProcesses = mergeByID(c.RelatedProcesses, r.RelatedProcesses, func(p RelatedProcess) string { return p.ID })
	}
	return c
}

// mergeByID appends the items of older whose ids dst lacks.
func mergeByID[T any](dst, older []T, id func(T) string) []T {
	for _, o := range older {
		if !slices.ContainsFunc(dst, func(d T) bool { return id(d) == id(o) }) {
			dst = append(dst, o)
		}
	}
	return dst
}
