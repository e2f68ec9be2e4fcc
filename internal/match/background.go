package match

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
)

// BackgroundFiles are the Swedish public-sector corpora in a reference
// folder whose document frequencies tell which words are everyday words of
// public administration (system, utveckling, digital) and which name a
// thing (gatubelysning, städrobot).
var BackgroundFiles = []string{"corpora/regeringsuppdrag_sv.jsonl", "corpora/regeringen_dir_sou_sv.jsonl"}

// Background is the inverse document frequency of stems in the corpora.
type Background struct {
	idf  map[string]float64
	docs int
}

// ReadBackground reads the corpora of a reference folder; nil without error
// when none is there.
func ReadBackground(dataDir string, a *Analyzer) (*Background, error) {
	df := map[string]int{}
	docs, err := eachCorpusDoc(dataDir, func(title, text string) {
		seen := map[string]bool{}
		for _, t := range a.Tokens(title + " " + text) {
			if !seen[t.Stem] {
				seen[t.Stem] = true
				df[t.Stem]++
			}
		}
	})
	if err != nil {
		return nil, err
	}
	if docs == 0 {
		return nil, nil
	}
	b := &Background{idf: make(map[string]float64, len(df)), docs: docs}
	for s, n := range df {
		b.idf[s] = math.Log((float64(docs)+1)/(float64(n)+1)) + 1
	}
	return b, nil
}

// eachCorpusDoc calls fn with the title and text of every document of the
// corpora in a reference folder (BackgroundFiles), and returns how many
// there were: 0 without error when none is there.
func eachCorpusDoc(dataDir string, fn func(title, text string)) (int, error) {
	docs := 0
	for _, name := range BackgroundFiles {
		path := filepath.Join(dataDir, name)
		f, err := openOptional(path)
		if err != nil {
			return 0, err
		} else if f == nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		line := 0
		for sc.Scan() {
			line++
			var rec struct{ Title, Text string }
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				f.Close()
				return 0, fmt.Errorf("%s: line %d: %w", path, line, err)
			}
			docs++
			fn(rec.Title, rec.Text)
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return 0, fmt.Errorf("%s: %w", path, err)
		}
	}
	return docs, nil
}

// IDF returns the background idf of a stem; unseen stems get the idf of a
// word seen once.
func (b *Background) IDF(stem string) float64 {
	if x, ok := b.idf[stem]; ok {
		return x
	}
	return math.Log((float64(b.docs)+1)/2) + 1
}
