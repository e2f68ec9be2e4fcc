package seed

import (
	"slices"
	"testing"
	"time"

	"github.com/arena-se/arena"
)

// reportNetwork is one of the report's networks as the arena stores it.
type reportNetwork struct {
	network arena.Network
	members []arena.NetworkMember
	periods []arena.FundingPeriod
}

// reportArena builds the report's organisations and networks as domain
// values, with ids handed out in order, and validates them as the store does.
func reportArena(t *testing.T) (map[int64]*arena.Organization, map[string]reportNetwork) {
	t.Helper()
	r, err := LoadReport()
	if err != nil {
		t.Fatalf("LoadReport: %v", err)
	}
	orgs := map[int64]*arena.Organization{}
	orgID := map[string]int64{}
	for i, o := range r.Organizations {
		v := o.Arena()
		v.ID = int64(i + 1)
		if err := v.Validate(); err != nil {
			t.Fatalf("organisation %s: %v", o.Key, err)
		}
		orgs[v.ID], orgID[o.Key] = &v, v.ID
	}
	funderID := map[string]int64{}
	for i, f := range r.Funders {
		funderID[f.Key] = int64(i + 1)
	}
	opt := func(m map[string]int64, key string) *int64 {
		if key == "" {
			return nil
		}
		return new(m[key])
	}
	netID := map[string]int64{}
	for i, n := range r.Networks {
		netID[n.Key] = int64(i + 1)
	}
	networks := map[string]reportNetwork{}
	for _, n := range r.Networks {
		id := netID[n.Key]
		rn := reportNetwork{network: n.Arena(opt(netID, n.Parent), opt(orgID, n.Owner), opt(orgID, n.Coordinator))}
		rn.network.ID = id
		if err := rn.network.Validate(); err != nil {
			t.Fatalf("network %s: %v", n.Key, err)
		}
		for _, m := range n.Members {
			v := m.Arena(id, orgID[m.Org])
			if err := v.Validate(); err != nil {
				t.Fatalf("network %s member %s: %v", n.Key, m.Org, err)
			}
			rn.members = append(rn.members, v)
		}
		for _, p := range n.FundingPeriods {
			v := p.Arena(id, opt(funderID, p.Funder))
			if err := v.Validate(); err != nil {
				t.Fatalf("network %s funding period: %v", n.Key, err)
			}
			rn.periods = append(rn.periods, v)
		}
		networks[n.Key] = rn
	}
	return orgs, networks
}

// reportToday is the day the seeded networks are judged on.
var reportToday = arena.NewDate(2026, time.November, 27)

// TestReportNetworksClassify checks that the report's networks come out as
// the report describes them (5.1.2, 5.1.1, 5.3.1).
func TestReportNetworksClassify(t *testing.T) {
	orgs, networks := reportArena(t)
	for key, want := range map[string]arena.NetworkKind{
		"bebo":             arena.NetworkStrategic,
		"belok":            arena.NetworkStrategic,
		"besma":            arena.NetworkStrategic,
		"lagan":            arena.NetworkStrategic,
		"skr_socialtjanst": arena.NetworkTactical,
	} {
		rn, ok := networks[key]
		if !ok {
			t.Errorf("the report has no network %q", key)
			continue
		}
		c := arena.Classify(&rn.network, rn.members, orgs, nil, rn.periods, reportToday)
		if c.Kind != want || c.Disagrees {
			t.Errorf("%s classifies %s (disagrees %v, scores %v, reasons %+v); want %s", key, c.Kind, c.Disagrees, c.Scores, c.Reasons, want)
		}
		if len(c.Reasons) == 0 {
			t.Errorf("%s: no reasons", key)
		}
	}
	// Every network classifies with reasons; where the facts contradict the
	// declared kind the product says so. SGU's network is declared strategic
	// but is time-limited (2019–2022) with public members only.
	var disagree []string
	for key, rn := range networks {
		c := arena.Classify(&rn.network, rn.members, orgs, nil, rn.periods, reportToday)
		t.Logf("%-32s declared %-9s classified %-9s scores %v", key, rn.network.Kind, c.Kind, c.Scores)
		if c.Disagrees {
			disagree = append(disagree, key)
		}
	}
	slices.Sort(disagree)
	if want := []string{"sgu_samverkan_for_innovation"}; !slices.Equal(disagree, want) {
		t.Errorf("networks whose classification disagrees with the declared kind: %v; want %v", disagree, want)
	}
}

// TestReportNetworksFundingEnded checks that the three networks funded by
// Naturvårdsverket, whose funding ended on 31 December 2022 (5.1.3), are
// flagged, and that Energimyndigheten's are not.
func TestReportNetworksFundingEnded(t *testing.T) {
	_, networks := reportArena(t)
	ended := arena.NewDate(2022, time.December, 31)
	for key, want := range map[string]bool{
		"svenskt_vatten_avloppsrening": true,
		"sgu_samverkan_for_innovation": true,
		"sfk_konstgras":                true,
		"bebo":                         false,
		"belok":                        false,
		"besma":                        false,
		"lagan":                        false,
	} {
		rn, ok := networks[key]
		if !ok {
			t.Errorf("the report has no network %q", key)
			continue
		}
		alerts := arena.NetworkAlerts(&rn.network, rn.members, nil, rn.periods, nil, nil, nil, reportToday)
		got := false
		for _, a := range alerts {
			if a.Kind == arena.AlertFundingEnded {
				got = true
				if a.Due == nil || !a.Due.Equal(ended.Time) || a.NetworkID != rn.network.ID {
					t.Errorf("%s: funding_ended alert %+v; want due %s", key, a, ended)
				}
			}
			if a.Kind == arena.AlertFundingEndsSoon {
				t.Errorf("%s: funding_ends_soon on %s: %+v", key, reportToday, a)
			}
		}
		if got != want {
			t.Errorf("%s: funding_ended alert %v; want %v (alerts %+v)", key, got, want, alerts)
		}
	}
}
