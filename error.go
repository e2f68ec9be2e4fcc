// Package arena holds the domain of the innovation-procurement arena: the
// organisations, needs, buyer networks, funding and projects that the report
// "Upphandling för att stödja innovation" (2022) describes, the rules they
// obey (who may see and do what included) and the error codes every adapter
// maps. It imports nothing of HTTP or SQL, and words nothing itself: it says
// what by catalogue key and facts (Msg), and the catalogues say it in
// Swedish or English.
package arena

import (
	"errors"
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
	ELIMITED      = "limited"      // too many attempts or requests; the fact "seconds" says when to try again
)

// Error is the one error type of the domain: a code, for EINVALID the field
// that broke the rule, and the message by key and facts, safe to show.
type Error struct {
	Code  string
	Field string
	Msg   Msg
}

func (e *Error) Error() string {
	if e.Field != "" {
		return "arena " + e.Code + ": " + e.Field + ": " + e.Msg.String()
	}
	return "arena " + e.Code + ": " + e.Msg.String()
}

// Err returns an Error with a code and a message key with its facts.
func Err(code, key string, facts ...F) *Error {
	return &Error{Code: code, Msg: M(key, facts...)}
}

// Invalid returns an EINVALID error naming the field.
func Invalid(field, key string, facts ...F) *Error {
	return &Error{Code: EINVALID, Field: field, Msg: M(key, facts...)}
}

// Conflict returns an ECONFLICT error; field may be "".
func Conflict(field, key string, facts ...F) *Error {
	return &Error{Code: ECONFLICT, Field: field, Msg: M(key, facts...)}
}

// Forbidden returns an EFORBIDDEN error.
func Forbidden(key string, facts ...F) *Error { return Err(EFORBIDDEN, key, facts...) }

// NotFound returns an ENOTFOUND error for a kind of record ("need",
// "network"): the same answer whether the record does not exist or the
// caller may not see it.
func NotFound(kind string) *Error {
	return &Error{Code: ENOTFOUND, Msg: M("err.not_found", F{"what": Term{Key: "entity." + kind}})}
}

// Limited returns an ELIMITED error: try again after seconds.
func Limited(key string, seconds int) *Error {
	return &Error{Code: ELIMITED, Msg: M(key, F{"seconds": seconds, "n": seconds})}
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

// ErrorMsg returns the message of err; errors of other types are internal
// and get a general message, so no detail leaks.
func ErrorMsg(err error) Msg {
	var e *Error
	if errors.As(err, &e) {
		return e.Msg
	}
	return M("err.internal")
}

// ErrorField returns the field named by an error, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
