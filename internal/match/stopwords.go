package match

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// StopWordsFile is the broad Swedish stop-word list of a reference folder
// (stopwords-iso, 418 words: grammar words and light verbs and particles
// such as "ta", "fram", "får"). The ranking uses the narrower Snowball list
// of the stemmer; this one says which shared words are too common to give
// as the reason of a match.
const StopWordsFile = "nlp/stopwords_sv_iso.txt"

// maxStopWords bounds what ReadStopWords keeps of a file.
const maxStopWords = 10_000

// openOptional opens a file of a reference folder: nil and no error when
// the folder does not have it (the product runs without reference data).
func openOptional(path string) (*os.File, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	return f, err
}

// ReadStopWords reads the stop-word list of a reference folder, one
// lower-case word a line; nil without error when the folder has none.
func ReadStopWords(dataDir string) (map[string]bool, error) {
	path := filepath.Join(dataDir, StopWordsFile)
	f, err := openOptional(path)
	if f == nil || err != nil {
		return nil, err
	}
	defer f.Close()
	words := map[string]bool{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		w := strings.TrimSpace(sc.Text())
		if w == "" || strings.HasPrefix(w, "#") {
			continue
		}
		if !utf8.ValidString(w) || strings.ContainsAny(w, " \t") {
			return nil, fmt.Errorf("%s: line %d: not a word", path, line)
		}
		w = strings.ToLower(w)
		if len(words) == maxStopWords {
			return nil, fmt.Errorf("%s: more than %d words", path, maxStopWords)
		}
		words[w] = true
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return words, nil
}
