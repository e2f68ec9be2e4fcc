package browser

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/chromedp/chromedp"
)

// AxeTags are the rule sets run on every page: WCAG 2.1 A and AA, which
// Swedish public digital services must meet.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// AxeFile is axe-core's script inside the module, installed by
// `npm ci --prefix tools/axe`.
const AxeFile = "tools/axe/node_modules/axe-core/axe.min.js"

// Violation is one failed axe rule and the elements that fail it.
type Violation struct {
	ID          string          `json:"id"`
	Impact      string          `json:"impact"`
	Help        string          `json:"help"`
	HelpURL     string          `json:"helpUrl"`
	Tags        []string        `json:"tags"`
	Nodes       []AxeNode       `json:"-"`
	RawNodes    json.RawMessage `json:"nodes"`
	Description string          `json:"description"`
}

// AxeNode is one element that fails a rule.
type AxeNode struct {
	Target         []any  `json:"target"`
	HTML           string `json:"html"`
	FailureSummary string `json:"failureSummary"`
}

var (
	axeOnce sync.Once
	axeSrc  string
	axeErr  error
)

// AxeSource reads axe-core's script once.
func AxeSource() (string, error) {
	axeOnce.Do(func() {
		root, err := ModuleRoot()
		if err != nil {
			axeErr = err
			return
		}
		b, err := os.ReadFile(filepath.Join(root, AxeFile))
		if err != nil {
			axeErr = fmt.Errorf("axe-core is not installed (%v): run `npm ci --prefix tools/axe`", err)
			return
		}
		axeSrc = string(b)
	})
	return axeSrc, axeErr
}

// axeRunJS runs axe on the whole document with the WCAG 2.1 A/AA tags and
// returns its violations as JSON (a string, so nothing is lost in the
// conversion of the result).
func axeRunJS() string {
	tags, _ := json.Marshal(AxeTags)
	return `(async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: ` + string(tags) + `}, resultTypes: ['violations']});
  return JSON.stringify(r.violations);
})()`
}

// Axe injects axe-core into the page (once per document) and runs it; it
// returns the violations, none when the page passes.
func (p *Page) Axe() ([]Violation, error) {
	src, err := AxeSource()
	if err != nil {
		return nil, err
	}
	has, err := Eval[bool](p, `typeof window.axe === 'object' && typeof window.axe.run === 'function'`)
	if err != nil {
		return nil, err
	}
	if !has {
		if err := p.Do(chromedp.Evaluate[chromedp.Void](src)); err != nil {
			return nil, fmt.Errorf("inject axe-core: %w", err)
		}
	}
	out, err := Eval[string](p, axeRunJS(), chromedp.EvalAwaitPromise)
	if err != nil {
		return nil, fmt.Errorf("axe.run: %w", err)
	}
	var vs []Violation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		return nil, fmt.Errorf("axe.run result: %w", err)
	}
	for i := range vs {
		if err := json.Unmarshal(vs[i].RawNodes, &vs[i].Nodes); err != nil {
			return nil, err
		}
		vs[i].RawNodes = nil
	}
	return vs, nil
}

// FormatViolations lists violations readably: rule, impact, help, and for
// each element its selector, HTML and what to fix.
func FormatViolations(page string, vs []Violation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d axe-core violation(s) of %s\n", page, len(vs), strings.Join(AxeTags, ", "))
	for _, v := range vs {
		fmt.Fprintf(&b, "  - [%s] %s: %s\n    %s\n", v.Impact, v.ID, v.Help, v.HelpURL)
		for i, n := range v.Nodes {
			if i == 5 {
				fmt.Fprintf(&b, "      … and %d more element(s)\n", len(v.Nodes)-5)
				break
			}
			html := n.HTML
			if len(html) > 200 {
				html = html[:200] + "…"
			}
			fmt.Fprintf(&b, "      at %v: %s\n", n.Target, html)
			for _, line := range strings.Split(strings.TrimSpace(n.FailureSummary), "\n") {
				fmt.Fprintf(&b, "        %s\n", strings.TrimSpace(line))
			}
		}
	}
	return b.String()
}
