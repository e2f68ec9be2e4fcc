// Package arena holds the domain of the innovation-procurement arena: the
// organisations, needs, buyer networks, funding and projects that the report
// "Upphandling för att stödja innovation" (2022) describes, the rules they
// obey and the error codes every adapter maps. It imports nothing of HTTP or SQL.
package arena

import (
	"errors"
	"fmt"
)

// Error codes. Adapters map them to transport status codes in one place.
const (
	EINVALID      = "invalid"      // input breaks a rule; Field says which
	ENOTFOUND     = "not_found"    // no such record, or not visible to the caller
	ECONFLICT     = "conflict"     // a unique value is taken or a state forbids the change
	EPRECONDITION = "precondition" // the record changed since the caller read it
	EUNAUTHORIZED = "unauthorized" // no valid identity
	EFORBIDDEN    = "forbidden"    // identity known, action not allowed
	EINTERNAL     = "internal"     // a bug or an unavailable dependency
	EUNAVAILABLE  = "unavailable"  // reference data or a service is missing
)

// Error is the one error type of the domain: a code, a message safe to show
// to the user, and for EINVALID the field that broke the rule.
type Error struct {
	Code    string
	Field   string
	Message string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("arena %s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("arena %s: %s", e.Code, e.Message)
}

// Errorf returns an Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error naming the field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound returns an ENOTFOUND error for a kind of record.
func NotFound(what string) *Error {
	return &Error{Code: ENOTFOUND, Message: what + " not found"}
}

// ErrorCode returns the code of err, EINTERNAL for errors of other types and
// "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the safe message of err; internal errors get a
// generic text so no detail leaks.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorField returns the field named by an EINVALID error, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
