package web

import (
	"net/url"
	"slices"
	"strings"

	arena "github.com/arena-se/arena"
)

// form is what a user typed, with the errors found in it, so a failed
// submit shows the input again with each error next to its field.
type form struct {
	Values  url.Values
	Errors  map[string]string // field → message, in the page's language
	Order   []string          // fields in page order, for the error summary
	General string            // an error that belongs to no field
	// Choices are options found while reading the form, for a field the
	// page then offers as a choice (several organisations match a name).
	Choices map[string][]option
}

func newForm(v url.Values, order ...string) *form {
	if v == nil {
		v = url.Values{}
	}
	return &form{Values: v, Errors: map[string]string{}, Order: order}
}

// V is a field's value.
func (f *form) V(name string) string { return f.Values.Get(name) }

// Checked reports whether a checkbox or multi-select holds value.
func (f *form) Checked(name, value string) bool { return slices.Contains(f.Values[name], value) }

// Err is a field's error message, "" when none.
func (f *form) Err(name string) string { return f.Errors[name] }

// Fail records an error on a field; the first error of a field stands.
func (f *form) Fail(name, msg string) {
	if _, ok := f.Errors[name]; !ok {
		f.Errors[name] = msg
	}
}

// OK reports whether the form has no errors.
func (f *form) OK() bool { return len(f.Errors) == 0 && f.General == "" }

type fieldError struct{ Name, Message string }

// ErrorList lists the field errors in page order.
func (f *form) ErrorList() []fieldError {
	var out []fieldError
	seen := map[string]bool{}
	for _, n := range f.Order {
		if m, ok := f.Errors[n]; ok {
			out = append(out, fieldError{n, m})
			seen[n] = true
		}
	}
	for n, m := range f.Errors {
		if !seen[n] {
			out = append(out, fieldError{n, m})
		}
	}
	return out
}

// HasErrors reports whether the page's form has errors.
func (p *page) HasErrors() bool { return p.Form != nil && !p.Form.OK() }

// option is one choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}

// fieldView is what the field templates need to draw one labelled input.
type fieldView struct {
	Name, Label, Hint, Type, Value, Err string
	ErrPrefix, Optional                 string
	Required                            bool
	Rows                                int
	Autocomplete, InputMode             string
	Options                             []option
}

// Describedby lists the ids of the field's hint and error.
func (f fieldView) Describedby() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.Name+"-hint")
	}
	if f.Err != "" {
		ids = append(ids, f.Name+"-error")
	}
	return strings.Join(ids, " ")
}

// Field describes a text input of the page's form: name, the label's and
// hint's message keys (hint may be ""), the input type (text, textarea,
// date, email, password, number) and whether it is required.
func (p *page) Field(name, labelKey, hintKey, typ string, required bool) fieldView {
	f := fieldView{Name: name, Label: p.T(labelKey), Type: typ, Required: required,
		ErrPrefix: p.T("form.error_prefix"), Optional: p.T("form.optional")}
	if hintKey != "" {
		f.Hint = p.T(hintKey)
	}
	if p.Form != nil {
		f.Value, f.Err = p.Form.V(name), p.Form.Err(name)
	}
	switch name {
	case "email":
		f.Autocomplete = "email"
	case "password":
		f.Autocomplete = "current-password"
	}
	return f
}

// Select describes a select of the page's form with its options.
func (p *page) Select(name, labelKey, hintKey string, opts []option) fieldView {
	f := p.Field(name, labelKey, hintKey, "select", true)
	f.Options = make([]option, len(opts))
	for i, o := range opts {
		o.Selected = o.Value == f.Value
		f.Options[i] = o
	}
	return f
}

// WithLabel replaces the label, for a field of a repeated group whose label
// names which row or record it belongs to.
func (f fieldView) WithLabel(label string) fieldView { f.Label = label; return f }

// NoOptional leaves out the "optional" mark, for rows that may stay empty.
func (f fieldView) NoOptional() fieldView { f.Optional = ""; return f }

// CurrentPassword marks a password field as the person's present one.
func (f fieldView) CurrentPassword() fieldView { f.Autocomplete = "current-password"; return f }

// NewPassword marks a password field as one the person chooses now.
func (f fieldView) NewPassword() fieldView { f.Autocomplete = "new-password"; return f }

// WithRows sets a textarea's height.
func (f fieldView) WithRows(n int) fieldView { f.Rows = n; return f }

// WithInputMode sets the on-screen keyboard a phone shows.
func (f fieldView) WithInputMode(m string) fieldView { f.InputMode = m; return f }

// enumOptions makes the options of an enumeration, labelled from the
// catalogue as prefix.value.
func enumOptions[T ~string](p *page, prefix string, values []T) []option {
	out := make([]option, len(values))
	for i, v := range values {
		out[i] = option{Value: string(v), Label: p.E(prefix, v)}
	}
	return out
}

// errorText words a domain error in the page's language, from the
// catalogue: the domain says what by key and facts.
func (p *page) errorText(err error) string { return p.cat.Error(err) }

// failFrom puts a domain error on the form: an EINVALID error next to its
// field (mapped through fieldOf when the form names it differently), other
// errors at the top.
func (p *page) failFrom(f *form, err error, fieldOf map[string]string) {
	field := arena.ErrorField(err)
	if n, ok := fieldOf[field]; ok {
		field = n
	}
	if arena.ErrorCode(err) == arena.EINVALID && field != "" && slices.Contains(f.Order, field) {
		f.Fail(field, p.errorText(err))
		return
	}
	f.General = p.errorText(err)
}

// IntentOptions are the intents to buy, weakest first.
func (p *page) IntentOptions() []option { return enumOptions(p, "intent", arena.Intents) }

// IntentFilterOptions are the intents with "any" first, for filters.
func (p *page) IntentFilterOptions() []option {
	return append([]option{{Value: "", Label: p.T("search.any")}}, p.IntentOptions()...)
}

// VisibilityOptions are the visibilities, narrowest first.
func (p *page) VisibilityOptions() []option { return enumOptions(p, "visibility", arena.Visibilities) }
