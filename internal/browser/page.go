package browser

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

const defaultTimeout = 20 * time.Second

// Page is one tab of one person: a browser context with its own cookies.
// Its methods find elements the way a person does, by the text of a label,
// a button or a link, or by an id the page gives.
type Page struct {
	ctx     context.Context
	Base    string        // the server, e.g. http://127.0.0.1:41234
	Timeout time.Duration // for each step
}

// Context is the tab's chromedp context, for actions this type lacks.
func (p *Page) Context() context.Context { return p.ctx }

// Do runs actions in the tab, each call limited by the page's timeout.
func (p *Page) Do(actions ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(p.ctx, p.Timeout)
	defer cancel()
	return chromedp.Do(ctx, actions...)
}

// Eval evaluates a JavaScript expression in the page and decodes its value.
func Eval[T any](p *Page, expr string, opts ...chromedp.EvaluateOption) (T, error) {
	ctx, cancel := context.WithTimeout(p.ctx, p.Timeout)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T](expr, opts...))
}

// findJS defines the lookups by visible text that the selectors below use.
const findJS = `
const norm = s => (s || '').replace(/\s+/g, ' ').trim().toLowerCase();
const visible = el => !!(el && (el.offsetWidth || el.offsetHeight || el.getClientRects().length));
const pick = (els, t, txt) => els.find(e => txt(e) === t) || els.find(e => txt(e).startsWith(t)) || els.find(e => txt(e).includes(t)) || null;
const byLabel = (text, within) => {
  const root = within || document;
  const t = norm(text);
  const labels = [...root.querySelectorAll('label')].filter(l => l.control);
  const l = pick(labels, t, l => norm(l.textContent));
  if (l) return l.control;
  const fields = [...root.querySelectorAll('input, select, textarea')];
  return pick(fields, t, e => norm(e.getAttribute('aria-label'))) ;
};
const clickable = 'button, a[href], input[type=submit], input[type=button], summary, [role=button]';
const byText = (text, sel) => {
  const t = norm(text);
  const els = [...document.querySelectorAll(sel || clickable)].filter(visible);
  return pick(els, t, e => norm(e.innerText || e.value || e.getAttribute('aria-label') || e.getAttribute('title')));
};
`

// FieldJS is a JavaScript expression for the form field whose label (or
// aria-label) reads label: exactly, else at its start, else anywhere.
func FieldJS(label string) string {
	return fmt.Sprintf(`(() => {%s; return byLabel(%s); })()`, findJS, jsString(label))
}

// ButtonJS is a JavaScript expression for the visible button, link or
// submit input whose text is text (exactly, at its start, or anywhere).
func ButtonJS(text string) string {
	return fmt.Sprintf(`(() => {%s; return byText(%s); })()`, findJS, jsString(text))
}

// LinkJS is ButtonJS for links only.
func LinkJS(text string) string {
	return fmt.Sprintf(`(() => {%s; return byText(%s, 'a[href]'); })()`, findJS, jsString(text))
}

// CSSJS is a JavaScript expression for the first element matching a CSS
// selector, such as "#need-title".
func CSSJS(sel string) string {
	return fmt.Sprintf(`document.querySelector(%s)`, jsString(sel))
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Visit loads a path of the server and waits until the document is
// loaded, whatever its status.
func (p *Page) Visit(path string) error {
	if err := p.Do(chromedp.Navigate(p.Base + path)); err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	if err := p.waitLoaded(""); err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	return nil
}

// Open is Visit that fails on an error status.
func (p *Page) Open(path string) error {
	if err := p.Visit(path); err != nil {
		return err
	}
	if st := p.Status(); st >= 400 {
		return fmt.Errorf("open %s: status %d: %s", path, st, p.excerpt())
	}
	return nil
}

// Status is the HTTP status of the document shown, 0 when unknown.
func (p *Page) Status() int {
	st, err := Eval[int](p, `(performance.getEntriesByType('navigation')[0] || {}).responseStatus || 0`)
	if err != nil {
		return 0
	}
	return st
}

// Path is the path and query of the document shown.
func (p *Page) Path() string {
	s, _ := Eval[string](p, `location.pathname + location.search`)
	return s
}

// Text is the visible text of the page.
func (p *Page) Text() string {
	s, _ := Eval[string](p, `document.body ? document.body.innerText : ''`)
	return s
}

func (p *Page) excerpt() string {
	t := strings.Join(strings.Fields(p.Text()), " ")
	if len(t) > 600 {
		t = t[:600] + "…"
	}
	return fmt.Sprintf("%s shows %q", p.Path(), t)
}

// WaitText waits until the page's visible text contains every one of the
// strings (compared with whitespace collapsed).
func (p *Page) WaitText(want ...string) error {
	deadline := time.Now().Add(p.Timeout)
	for {
		text := strings.Join(strings.Fields(p.Text()), " ")
		var missing []string
		for _, w := range want {
			if !strings.Contains(text, strings.Join(strings.Fields(w), " ")) {
				missing = append(missing, w)
			}
		}
		if len(missing) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the page lacks %q; %s", missing, p.excerpt())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Has tells whether the JavaScript expression finds an element now.
func (p *Page) Has(expr string) bool {
	ok, err := Eval[bool](p, `!!(`+expr+`)`)
	return err == nil && ok
}

// FollowRun follows a running import's page until the run has ended, as a
// person without JavaScript does with its "Visa hur långt den har kommit"
// link (the page also reloads itself every other second, but a browser may
// hold back the timers of a tab it does not show); it gives up after the
// page's Timeout.
func (p *Page) FollowRun() error {
	deadline := time.Now().Add(p.Timeout)
	for p.Has(`document.querySelector('#import-running')`) {
		if time.Now().After(deadline) {
			return fmt.Errorf("the import did not end; %s", p.excerpt())
		}
		time.Sleep(200 * time.Millisecond)
		// The page may reload itself meanwhile: a link gone is no failure.
		_ = p.PressJS(CSSJS("#import-refresh"), "Visa hur långt den har kommit")
	}
	return nil
}

// mark tags the current document, so waitLoaded can tell a new one.
func (p *Page) mark() (string, error) {
	b := make([]byte, 8)
	rand.Read(b)
	token := hex.EncodeToString(b)
	_, err := Eval[chromedp.Void](p, `window.__arenaDoc = `+jsString(token))
	return token, err
}

// waitLoaded waits until a document other than the one marked with
// token (any, when token is "") has loaded completely.
func (p *Page) waitLoaded(token string) error {
	deadline := time.Now().Add(p.Timeout)
	expr := `document.readyState === 'complete' && window.__arenaDoc !== ` + jsString(token)
	if token == "" {
		expr = `document.readyState === 'complete'`
	}
	for {
		ok, err := Eval[bool](p, expr)
		if err == nil && ok {
			return nil
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = errors.New("no new page loaded")
			}
			return fmt.Errorf("waiting for the next page: %w; %s", err, p.excerpt())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Navigating runs step, which must load a new page (a link followed, a
// form sent), and waits until that page has loaded.
func (p *Page) Navigating(step func() error) error {
	token, err := p.mark()
	if err != nil {
		return err
	}
	if err := step(); err != nil {
		return err
	}
	return p.waitLoaded(token)
}

// Fill types value into the field labelled label, replacing what is
// there; a select gets the option whose text (or value) starts with value,
// a checkbox or radio is checked unless value is "false".
func (p *Page) Fill(label, value string) error {
	sel := chromedp.JSPath(FieldJS(label))
	kind, err := Eval[string](p, `(el => el ? (el.tagName.toLowerCase() + ':' + (el.type || '')) : '')(`+FieldJS(label)+`)`)
	if err != nil {
		return err
	}
	if kind == "" {
		return fmt.Errorf("no field labelled %q; %s", label, p.excerpt())
	}
	switch {
	case strings.HasPrefix(kind, "select:"):
		ok, err := Eval[bool](p, fmt.Sprintf(`(el => {
  const t = %s.toLowerCase();
  const o = [...el.options].find(o => o.text.trim().toLowerCase() === t || o.value.toLowerCase() === t) ||
            [...el.options].find(o => o.text.trim().toLowerCase().startsWith(t));
  if (!o) return false;
  el.value = o.value;
  el.dispatchEvent(new Event('input', {bubbles: true}));
  el.dispatchEvent(new Event('change', {bubbles: true}));
  return true;
})(%s)`, jsString(value), FieldJS(label)))
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("the list %q has no option %q", label, value)
		}
		return nil
	case kind == "input:checkbox" || kind == "input:radio":
		want := value != "false"
		checked, err := Eval[bool](p, `(`+FieldJS(label)+`).checked`)
		if err != nil {
			return err
		}
		if checked != want {
			return p.Do(chromedp.Click(sel))
		}
		return nil
	}
	if _, err := Eval[bool](p, `(el => { el.value = ''; el.dispatchEvent(new Event('input', {bubbles: true})); return true; })(`+FieldJS(label)+`)`); err != nil {
		return err
	}
	return p.Do(chromedp.SendKeys(sel, value))
}

// Upload chooses file for the file input the CSS selector css names, as a
// person choosing it in the file dialogue would.
func (p *Page) Upload(css, file string) error {
	if !p.Has(`document.querySelector(` + jsString(css) + `)`) {
		return fmt.Errorf("no file field %s; %s", css, p.excerpt())
	}
	return p.Do(chromedp.SetUploadFiles(chromedp.CSS(css), []string{file}))
}

// Press clicks the button or link with the given text and waits for the
// page it loads. A text can name two elements (the header's "Logga in"
// link and the form's "Logga in" button): prefer PressJS with an id.
func (p *Page) Press(text string) error {
	return p.PressJS(ButtonJS(text), text)
}

// PressJS clicks the element the JavaScript expression finds and waits
// for the page it loads; name describes it in errors.
func (p *Page) PressJS(expr, name string) error {
	if !p.Has(expr) {
		return fmt.Errorf("no button or link %q; %s", name, p.excerpt())
	}
	return p.Navigating(func() error { return p.Do(chromedp.Click(chromedp.JSPath(expr))) })
}

// Screenshot writes a PNG of the whole page.
func (p *Page) Screenshot(file string) error {
	// Wait for web fonts, as a person would before looking.
	if _, err := Eval[bool](p, `document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(p.ctx, p.Timeout)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return err
	}
	return os.WriteFile(file, buf, 0o644)
}

// Keyboard.

// Key sends keys (see package kb for named keys such as kb.Tab).
func (p *Page) Key(keys string, opts ...chromedp.KeyOption) error {
	return p.Do(chromedp.KeyEvent(keys, opts...))
}

// Type types text into whatever has the focus.
func (p *Page) Type(text string) error { return p.Key(text) }

// Focused describes the element that has the focus, for errors.
func (p *Page) Focused() string {
	s, _ := Eval[string](p, `(el => el ? (el.outerHTML || '').slice(0, 160) : '(none)')(document.activeElement)`)
	return s
}

// TabTo presses Tab until the element that the JavaScript expression
// finds has the focus, at most max times (Shift+Tab when the element comes
// before the focused one), and checks that it shows a focus indicator.
func (p *Page) TabTo(expr, name string, max int) error {
	if !p.Has(expr) {
		return fmt.Errorf("no %s on the page; %s", name, p.excerpt())
	}
	dir, err := Eval[string](p, `(t => {
  const a = document.activeElement;
  if (a === t) return 'here';
  if (!a || a === document.body) return 'forward';
  return (a.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING) ? 'forward' : 'back';
})(`+expr+`)`)
	if err != nil {
		return err
	}
	var opts []chromedp.KeyOption
	if dir == "back" {
		opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
	}
	for i := 0; dir != "here" && i < max; i++ {
		if err := p.Key(kb.Tab, opts...); err != nil {
			return err
		}
		at, err := Eval[bool](p, `document.activeElement === (`+expr+`)`)
		if err != nil {
			return err
		}
		if at {
			dir = "here"
		}
	}
	if dir != "here" {
		return fmt.Errorf("Tab did not reach %s in %d presses (focus is on %s); %s", name, max, p.Focused(), p.excerpt())
	}
	return p.focusVisible(name)
}

// focusVisible fails when the focused element has neither an outline nor
// a box shadow nor a changed background: WCAG 2.4.7, focus visible.
func (p *Page) focusVisible(name string) error {
	ok, err := Eval[bool](p, `(el => {
  if (!el || el === document.body) return false;
  const s = getComputedStyle(el);
  if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) return true;
  if (s.boxShadow && s.boxShadow !== 'none') return true;
  return false;
})(document.activeElement)`)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s has the focus but shows no focus indicator (outline or box-shadow): %s", name, p.Focused())
	}
	return nil
}

// KeyFill moves to the field labelled label with Tab and types value; a
// select is set by typing the start of the option, a checkbox is toggled
// with Space.
func (p *Page) KeyFill(label, value string, max int) error {
	expr := FieldJS(label)
	if err := p.TabTo(expr, "the field "+jsString(label), max); err != nil {
		return err
	}
	kind, _ := Eval[string](p, `(el => el.tagName.toLowerCase() + ':' + (el.type || ''))(document.activeElement)`)
	switch {
	case kind == "input:checkbox" || kind == "input:radio":
		checked, _ := Eval[bool](p, `document.activeElement.checked`)
		if checked != (value != "false") {
			return p.Key(" ")
		}
		return nil
	case strings.HasPrefix(kind, "select"):
		if err := p.Type(value); err != nil {
			return err
		}
		ok, _ := Eval[bool](p, fmt.Sprintf(`(el => el.options[el.selectedIndex] && el.options[el.selectedIndex].text.trim().toLowerCase().startsWith(%s.toLowerCase()))(document.activeElement)`, jsString(value)))
		if !ok {
			return fmt.Errorf("typing %q in the list %q did not choose it", value, label)
		}
		return nil
	}
	// Select what is there, so typing replaces it.
	if err := p.Key("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)); err != nil {
		return err
	}
	if err := p.Key(kb.Delete); err != nil {
		return err
	}
	return p.Type(value)
}

// KeyPress moves to the button or link with Tab and presses Enter (Space
// for a checkbox-like control is KeyFill's job), then waits for the page
// it loads.
func (p *Page) KeyPress(expr, name string, max int) error {
	if err := p.TabTo(expr, name, max); err != nil {
		return err
	}
	return p.Navigating(func() error { return p.Key(kb.Enter) })
}

// SignIn signs in through the sign-in page with the mouse, as the
// screenshots do; the tests sign in their own way.
func (p *Page) SignIn(email, password string) error {
	if err := p.Open("/logga-in"); err != nil {
		return err
	}
	if err := p.Fill("E-postadress", email); err != nil {
		return err
	}
	if err := p.Fill("Lösenord", password); err != nil {
		return err
	}
	if err := p.PressJS(CSSJS("#login-submit"), "the sign-in button"); err != nil {
		return err
	}
	if !p.Has(CSSJS("#sign-out")) {
		return fmt.Errorf("sign in as %s failed; %s", email, p.excerpt())
	}
	return nil
}

// SignOut signs out with the header's button.
func (p *Page) SignOut() error {
	return p.PressJS(CSSJS("#sign-out"), "the sign-out button")
}

// Href is the href of the element the JavaScript expression finds, or "".
func (p *Page) Href(expr string) string {
	s, _ := Eval[string](p, `(el => el ? el.getAttribute('href') || '' : '')(`+expr+`)`)
	return s
}

// Viewport sets the size of the page's viewport, as a phone or a desktop.
func (p *Page) Viewport(width, height int64, mobile bool) error {
	var opts []chromedp.EmulateViewportOption
	if mobile {
		opts = append(opts, chromedp.EmulateMobile)
	}
	return p.Do(chromedp.EmulateViewport(width, height, opts...))
}
