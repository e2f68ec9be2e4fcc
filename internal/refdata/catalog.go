package refdata

import (
	"cmp"
	"slices"
	"strings"
)

// Catalog indexes a Set for look-ups. It is built once by NewCatalog and never
// changed afterwards, which is what makes it safe for concurrent use without
// locks; accessors that return slices return copies to keep it so.
type Catalog struct {
	cpv            map[string]CPV
	counties       map[string]County
	municipalities map[string]Municipality
	countyList     []County       // sorted by code
	municipalList  []Municipality // sorted by code
}

// NewCatalog builds a Catalog from s, copying what it needs so later changes
// to s do not show through. A nil or empty Set gives an empty Catalog whose
// look-ups all fail, for running without reference data. If a code occurs
// twice (ReadDir refuses that, a hand-built Set might not) the first wins.
func NewCatalog(s *Set) *Catalog {
	c := &Catalog{
		cpv:            map[string]CPV{},
		counties:       map[string]County{},
		municipalities: map[string]Municipality{},
	}
	if s == nil {
		return c
	}
	for _, x := range s.CPV {
		if _, dup := c.cpv[x.Code]; !dup {
			c.cpv[x.Code] = x
		}
	}
	for _, x := range s.Counties {
		if _, dup := c.counties[x.Code]; !dup {
			c.counties[x.Code] = x
			c.countyList = append(c.countyList, x)
		}
	}
	for _, x := range s.Municipalities {
		if _, dup := c.municipalities[x.Code]; !dup {
			c.municipalities[x.Code] = x
			c.municipalList = append(c.municipalList, x)
		}
	}
	slices.SortFunc(c.countyList, func(a, b County) int { return cmp.Compare(a.Code, b.Code) })
	slices.SortFunc(c.municipalList, func(a, b Municipality) int { return cmp.Compare(a.Code, b.Code) })
	return c
}

// HasCPV reports whether CPV codes were loaded; if not, callers can only
// check a code's form.
func (c *Catalog) HasCPV() bool { return len(c.cpv) > 0 }

// HasGeo reports whether both län and kommuner were loaded. Both are
// required so that a caller checking codes against the lists never refuses
// every kommun just because only the län file was present.
func (c *Catalog) HasGeo() bool { return len(c.counties) > 0 && len(c.municipalities) > 0 }

// CPVCount returns the number of CPV codes loaded.
func (c *Catalog) CPVCount() int { return len(c.cpv) }

// LookupCPV finds a CPV code written as 8 digits ("33196000") or with its
// check digit ("33196000-0"). It reports false if the code is malformed or
// unknown, or if a check digit is given and differs from the listed one,
// since a wrong check digit usually means a mistyped code.
func (c *Catalog) LookupCPV(code string) (CPV, bool) {
	digits, check, ok := splitCPV(code)
	if !ok {
		return CPV{}, false
	}
	x, ok := c.cpv[digits]
	if !ok || (check != "" && check != x.Check) {
		return CPV{}, false
	}
	return x, true
}

// CPVAncestors returns the parent chain of a code accepted by LookupCPV,
// nearest first and ending with its division; nil for a division or for a
// code LookupCPV refuses.
func (c *Catalog) CPVAncestors(code string) []CPV {
	x, ok := c.LookupCPV(code)
	if !ok {
		return nil
	}
	var out []CPV
	// The bound guards against a parent loop in a hand-built Set; ReadDir's
	// data cannot have one deeper than the seven CPV levels.
	for x.Parent != "" && len(out) < len(c.cpv) {
		p, ok := c.cpv[x.Parent]
		if !ok {
			break
		}
		out = append(out, p)
		x = p
	}
	return out
}

// Municipality finds a kommun by its four-digit SCB code ("0114").
func (c *Catalog) Municipality(code string) (Municipality, bool) {
	m, ok := c.municipalities[strings.TrimSpace(code)]
	return m, ok
}

// County finds a län by its two-digit SCB code ("01").
func (c *Catalog) County(code string) (County, bool) {
	x, ok := c.counties[strings.TrimSpace(code)]
	return x, ok
}

// Municipalities returns all kommuner sorted by code, as a copy the caller
// may change.
func (c *Catalog) Municipalities() []Municipality { return slices.Clone(c.municipalList) }

// Counties returns all län sorted by code, as a copy the caller may change.
func (c *Catalog) Counties() []County { return slices.Clone(c.countyList) }

// splitCPV accepts "NNNNNNNN" or "NNNNNNNN-N" and returns the 8 digits and
// the check digit ("" if not given). It mirrors the root package's SplitCPV
// rather than importing it, so that package can depend on this one.
func splitCPV(s string) (digits, check string, ok bool) {
	s = strings.TrimSpace(s)
	digits, check, hasDash := strings.Cut(s, "-")
	if !isDigits(digits, 8) || (hasDash && !isDigits(check, 1)) {
		return "", "", false
	}
	return digits, check, true
}

// CPVList returns every CPV code, sorted by code.
func (c *Catalog) CPVList() []CPV {
	out := make([]CPV, 0, len(c.cpv))
	for _, x := range c.cpv {
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b CPV) int { return strings.Compare(a.Code, b.Code) })
	return out
}
