package arena

import "sort"

// ---------------------------------------------------------------------------
// Joint purchasing power (7.3)

// IntentTotal is the number and summed estimated value of needs with one
// intent to buy.
type IntentTotal struct {
	Needs    int   `json:"needs"`
	ValueSEK int64 `json:"value_sek"`
}

// VolumeTotal is the summed volume of needs that use one volume unit.
type VolumeTotal struct {
	Unit   string  `json:"unit"`
	Amount float64 `json:"amount"`
}

// PurchasingPower is what a network's members would buy together: the sum of
// their needs' estimated values and volumes, split by intent to buy, and the
// joint timeline of their planned procurements.
type PurchasingPower struct {
	Members           int                    `json:"members"`             // active members whose need counts
	ValueSEK          int64                  `json:"value_sek"`           // sum of estimated values
	ByIntent          map[Intent]IntentTotal `json:"by_intent"`           // every intent, zeros included
	Volumes           []VolumeTotal          `json:"volumes"`             // summed per unit, sorted by unit
	Earliest          *Date                  `json:"earliest,omitempty"`  // earliest planned procurement
	Latest            *Date                  `json:"latest,omitempty"`    // latest planned procurement
	NeedsWithoutValue int                    `json:"needs_without_value"` // needs that give no estimated value
}

// JointPurchasingPower sums the needs of the network's active members. A
// member that was invited but has not accepted, declined or left brings
// nothing; a need missing from needs or counted already is skipped.
func JointPurchasingPower(members []NetworkMember, needs map[int64]*Need) PurchasingPower {
	pp := PurchasingPower{ByIntent: make(map[Intent]IntentTotal, len(Intents)), Volumes: []VolumeTotal{}}
	for _, i := range Intents {
		pp.ByIntent[i] = IntentTotal{}
	}
	volumes := map[string]float64{}
	seen := map[int64]bool{}
	for _, m := range members {
		if !memberIsActive(m) || m.NeedID == nil || seen[*m.NeedID] {
			continue
		}
		nd := needs[*m.NeedID]
		if nd == nil {
			continue
		}
		seen[*m.NeedID] = true
		pp.Members++
		intent := nd.Intent
		if intent == "" {
			intent = IntentExplore
		}
		it := pp.ByIntent[intent]
		it.Needs++
		if nd.EstimatedValueSEK != nil {
			pp.ValueSEK += *nd.EstimatedValueSEK
			it.ValueSEK += *nd.EstimatedValueSEK
		} else {
			pp.NeedsWithoutValue++
		}
		pp.ByIntent[intent] = it
		if nd.Volume != nil {
			volumes[nd.VolumeUnit] += *nd.Volume
		}
		if d := nd.PlannedDate; d != nil {
			if pp.Earliest == nil || d.Before(pp.Earliest.Time) {
				pp.Earliest = new(*d)
			}
			if pp.Latest == nil || d.After(pp.Latest.Time) {
				pp.Latest = new(*d)
			}
		}
	}
	for unit, amount := range volumes {
		pp.Volumes = append(pp.Volumes, VolumeTotal{Unit: unit, Amount: amount})
	}
	sort.Slice(pp.Volumes, func(i, j int) bool { return pp.Volumes[i].Unit < pp.Volumes[j].Unit })
	return pp
}
