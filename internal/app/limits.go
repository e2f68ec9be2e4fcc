package app

import (
	"context"
	"runtime"
	"sync"
	"time"

	arena "github.com/arena-se/arena"
)

// Limiter bounds the expensive work running at once (password hashing,
// matching, CPV suggestion): at most a few per client, and at most a few
// per core in all, so one client cannot starve the others. A client over
// its share is told to come back (ELIMITED, 429); when every slot is busy
// a request waits for one until its own deadline, then is told the
// service is busy (EUNAVAILABLE, 503).
type Limiter struct {
	slots     chan struct{}
	perClient int
	mu        sync.Mutex
	running   map[string]int
}

// NewLimiter returns a limiter with total slots and perClient slots for
// one client; zero or less picks the defaults (two per core, and two).
func NewLimiter(total, perClient int) *Limiter {
	if total <= 0 {
		total = 2 * runtime.GOMAXPROCS(0)
	}
	if perClient <= 0 {
		perClient = 2
	}
	return &Limiter{slots: make(chan struct{}, total), perClient: perClient, running: map[string]int{}}
}

// Acquire takes a slot for the client of ctx and returns the function
// that gives it back.
func (l *Limiter) Acquire(ctx context.Context) (release func(), err error) {
	client := ClientOf(ctx)
	l.mu.Lock()
	if l.running[client] >= l.perClient {
		l.mu.Unlock()
		return nil, arena.Limited("err.busy", 1)
	}
	l.running[client]++
	l.mu.Unlock()
	done := func() {
		l.mu.Lock()
		if l.running[client]--; l.running[client] <= 0 {
			delete(l.running, client)
		}
		l.mu.Unlock()
	}
	select {
	case l.slots <- struct{}{}:
		return func() { <-l.slots; done() }, nil
	case <-ctx.Done():
		done()
		return nil, arena.Err(arena.EUNAVAILABLE, "err.overloaded")
	}
}

// Do runs fn in a slot of the client of ctx.
func (l *Limiter) Do(ctx context.Context, fn func() error) error {
	release, err := l.Acquire(ctx)
	if err != nil {
		return err
	}
	defer release()
	return fn()
}

type clientKey struct{}

// WithClient returns a context naming the client (its network address) a
// request comes from, for limits and throttling.
func WithClient(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientKey{}, addr)
}

// ClientOf returns the client of ctx, "" when unknown.
func ClientOf(ctx context.Context) string {
	c, _ := ctx.Value(clientKey{}).(string)
	return c
}

// retryAfter is a wait in whole seconds, at least one.
func retryAfter(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	return max(s, 1)
}
