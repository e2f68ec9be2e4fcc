// Package eval loads the Arena development set of procurement needs
// (/work/shared/eval/needs.jsonl), scores rankings against it exactly like
// the reference scorer in the data set's README, and provides lexical
// TF-IDF baselines and grouped cross-validation folds.
//
// The package uses the standard library only. The labels cluster,
// hard_negative_of and id must never be fed to a system under test; the
// baselines here only read title and description (and org, to apply the
// "other organisations only" rule).
package eval
