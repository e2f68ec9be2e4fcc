package eval

import "slices"

// Folds deals the sorted distinct non-empty cluster labels of recs
// round-robin into k folds (label i goes to fold i mod k), for grouped
// cross-validation by cluster. The result always has k entries (some may
// be empty when k exceeds the number of labels); k < 1 gives nil.
func Folds(recs []Record, k int) [][]string {
	if k < 1 {
		return nil
	}
	seen := make(map[string]bool)
	var labels []string
	for _, r := range recs {
		if r.Cluster != "" && !seen[r.Cluster] {
			seen[r.Cluster] = true
			labels = append(labels, r.Cluster)
		}
	}
	slices.Sort(labels)
	folds := make([][]string, k)
	for i, l := range labels {
		folds[i%k] = append(folds[i%k], l)
	}
	return folds
}
