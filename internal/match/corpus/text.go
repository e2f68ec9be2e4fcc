package corpus

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations end with a full stop without ending a sentence.
var abbreviations = map[string]bool{
	"bl.a.": true, "m.m.": true, "t.ex.": true, "s.k.": true, "dvs.": true, "d.v.s.": true,
	"kap.": true, "prop.": true, "nr.": true, "jfr.": true, "resp.": true, "ca.": true,
	"f.d.": true, "o.d.": true, "m.fl.": true, "p.g.a.": true, "bet.": true, "rskr.": true,
	"st.": true, "fr.o.m.": true, "t.o.m.": true, "art.": true, "dir.": true, "ang.": true,
	"mom.": true, "s.": true, "t.": true, "p.": true, "f.": true, "ff.": true,
}

// splitSentences splits text into sentences. Lines are split first; Markdown
// headings and tables are dropped, bullet markers and bold markers removed.
// With strict, only sentences that start with an upper-case letter or digit,
// end with . ! or ?, have 4–100 words and contain no link are kept; without,
// any non-empty piece is kept (for the hand-written dev set).
func splitSentences(text string, strict bool) []sentence {
	var out []sentence
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(strings.ReplaceAll(line, "**", ""))
		if line == "" || line[0] == '#' || line[0] == '|' {
			continue
		}
		for _, bullet := range []string{"* ", "- ", "• ", "– "} {
			line = strings.TrimPrefix(line, bullet)
		}
		fields := strings.Fields(line) // also folds no-break spaces
		begin := 0
		for i, w := range fields {
			if i+1 < len(fields) && !endsSentence(w, fields[i+1]) {
				continue
			}
			if s, ok := makeSentence(fields[begin:i+1], strict); ok {
				out = append(out, s)
			}
			begin = i + 1
		}
	}
	return out
}

// endsSentence reports whether word w, followed by next, ends a sentence.
func endsSentence(w, next string) bool {
	last, _ := utf8.DecodeLastRuneInString(w)
	if last != '.' && last != '!' && last != '?' {
		return false
	}
	if last == '.' && abbreviations[strings.ToLower(w)] {
		return false
	}
	first, _ := utf8.DecodeRuneInString(next)
	return unicode.IsUpper(first) || unicode.IsDigit(first)
}

func makeSentence(words []string, strict bool) (sentence, bool) {
	if len(words) == 0 {
		return sentence{}, false
	}
	text := strings.Join(words, " ")
	if strict {
		first, _ := utf8.DecodeRuneInString(text)
		last, _ := utf8.DecodeLastRuneInString(text)
		if len(words) < 4 || len(words) > 100 ||
			!(unicode.IsUpper(first) || unicode.IsDigit(first)) ||
			(last != '.' && last != '!' && last != '?') ||
			strings.Contains(text, "](") || strings.Contains(text, "http") ||
			abbreviations[strings.ToLower(words[len(words)-1])] {
			return sentence{}, false
		}
	}
	return sentence{text: text, words: len(words)}, true
}

var (
	// "S 1991:08 Pensionärskommittén", "Ju 2011:02 …": a committee number.
	committeePrefix = regexp.MustCompile(`^(?:[A-ZÅÄÖ][A-Za-zåäö]{0,3}\.?\s+)?\d{4}:\d{1,3}\s+`)
	// "… (Fö 2011:02)" and "… (dir. 2010:12)" at the end.
	committeeSuffix = regexp.MustCompile(`\s*\([^()]*\d{4}:\d{1,3}[^()]*\)\s*$`)
	// "… Diarienummer: Ju2025/01954", "…SOU 2025:79", "…Dir. 2025:82" glued
	// to the end.
	registrySuffix = regexp.MustCompile(`\s*(?:Diarienummer:?\s*\S+|(?:SOU|Ds|Dir\.)\s*\d{4}:\d+)\s*$`)
	// "Uppdrag att …", "Uppdrag till Migrationsverket om …".
	assignmentPrefix = regexp.MustCompile(`^(?:Uppdrag(?:et)?|Regeringsuppdrag)(?:\s+(?:till|åt)\s+(?:\S+\s+){1,8}?(?:att|om|angående|avseende|gällande)|\s+att|\s+om|\s+angående|\s+avseende|\s+gällande)\s+`)
)

// trailingSmall are words a shortened title must not end with.
var trailingSmall = map[string]bool{
	"och": true, "eller": true, "samt": true, "för": true, "till": true, "att": true,
	"om": true, "av": true, "i": true, "med": true, "på": true, "från": true, "vid": true,
	"en": true, "ett": true, "den": true, "det": true, "de": true, "som": true,
	"inom": true, "under": true, "mot": true, "genom": true, "hos": true, "åt": true,
	"efter": true, "inför": true, "kring": true, "utan": true, "vad": true, "hur": true,
	"när": true, "där": true, "ska": true, "skall": true, "kan": true, "m.m.": true,
}

// cleanTitle turns a corpus document title into a need title: committee
// numbers and "Uppdrag (till X) att" removed, at most maxTitleLen words,
// no dangling function word or punctuation at the end.
func cleanTitle(t string) string {
	t = strings.Join(strings.Fields(t), " ")
	t = registrySuffix.ReplaceAllString(t, "")
	t = committeeSuffix.ReplaceAllString(t, "")
	t = committeePrefix.ReplaceAllString(t, "")
	if rest := assignmentPrefix.ReplaceAllString(t, ""); rest != t && len(strings.Fields(rest)) >= 2 {
		t = rest
	}
	words := strings.Fields(t)
	if len(words) > maxTitleLen {
		words = words[:maxTitleLen]
		// Do not leave a parenthesis open by the cut.
		depth, open := 0, -1
		for i, w := range words {
			for _, r := range w {
				switch r {
				case '(':
					if depth == 0 {
						open = i
					}
					depth++
				case ')':
					depth = max(depth-1, 0)
				}
			}
		}
		if depth > 0 && open > 0 {
			words = words[:open]
		}
	}
	for len(words) > 1 {
		w := strings.TrimRight(words[len(words)-1], ",;:–-")
		if w == "" || trailingSmall[strings.ToLower(w)] {
			words = words[:len(words)-1]
			continue
		}
		words[len(words)-1] = w
		break
	}
	if len(words) == 0 {
		return ""
	}
	words[0] = upperFirst(words[0])
	return joinWords(words)
}

// upperFirst upper-cases the first letter of w.
func upperFirst(w string) string {
	r, size := utf8.DecodeRuneInString(w)
	if r == utf8.RuneError || unicode.IsUpper(r) {
		return w
	}
	return string(unicode.ToUpper(r)) + w[size:]
}
