package oidc

import "errors"

// Kind names the step of configuration or sign-in that failed, so that the
// caller can choose a message (in Swedish, on the pages) without parsing text.
type Kind string

// The kinds of Error. New fails with KindConfig or KindDiscovery; Finish with
// any of the others.
const (
	// KindConfig: the Config is incomplete or invalid; nothing was contacted.
	KindConfig Kind = "config"
	// KindDiscovery: the issuer could not be reached or its discovery
	// document was unusable.
	KindDiscovery Kind = "discovery"
	// KindState: the callback does not belong to a sign-in this browser
	// started: the flow cookie is missing, expired or forged, or the state
	// (or the iss parameter) does not match it.
	KindState Kind = "state"
	// KindProviderError: the provider answered with an error (for example
	// access_denied when the user cancelled) or without a code.
	KindProviderError Kind = "provider_error"
	// KindExchange: the token endpoint refused the code or could not be
	// reached in time.
	KindExchange Kind = "exchange"
	// KindToken: the ID token is missing or does not verify (signature,
	// issuer, audience, expiry) or its claims cannot be read.
	KindToken Kind = "token"
	// KindNonce: the ID token's nonce is not the one this sign-in sent.
	KindNonce Kind = "nonce"
	// KindEmailMissing: the ID token carries no e-mail address.
	KindEmailMissing Kind = "email_missing"
	// KindEmailUnverified: the provider does not say the e-mail address is
	// verified (email_verified is absent or not true).
	KindEmailUnverified Kind = "email_unverified"
)

// Error is the error New and Finish return: which step failed and why. The
// text is for logs; show users a message chosen by Kind.
type Error struct {
	Kind Kind
	Err  error
}

// Error returns the kind and the cause.
func (e *Error) Error() string { return "oidc: " + string(e.Kind) + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of an *Error in err's chain, or "" if there is none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

func fail(kind Kind, err error) *Error { return &Error{Kind: kind, Err: err} }

func failText(kind Kind, text string) *Error { return fail(kind, errors.New(text)) }
