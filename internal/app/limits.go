package app

import (
	"context"
	"runtime"
	"strconv"
	"sync"
	"time"

	arena "github.com/arena-se/arena"
)

// Limiter bounds the expensive work running at once (password hashing,
// matching, CPV suggestion): at most a few per core in all and at most a
// few per client, so one client cannot starve the others. A client is the
// signed-in person, or the network address of an anonymous one. A
// client's requests beyond its share wait for its own slots, so they slow
// only that client; a client with too many waiting is told to come back
// (ELIMITED, 429). A request that reaches its deadline while waiting is
// told the service is busy (EUNAVAILABLE, 503).
type Limiter struct {
	slots     chan struct{}
	perClient int
	maxQueued int // a client's requests waiting for its slots, at most
	mu        sync.Mutex
	clients   map[string]*clientSlots
}

// clientSlots are one client's slots and how many requests hold or wait
// for them.
type clientSlots struct {
	slots chan struct{}
	users int
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
	return &Limiter{slots: make(chan struct{}, total), perClient: perClient, maxQueued: 4 * perClient, clients: map[string]*clientSlots{}}
}

// limitKey names the client of ctx: the signed-in person, else the
// address.
func limitKey(ctx context.Context) string {
	if a := arena.ActorFrom(ctx); a.SignedIn() {
		return "user:" + strconv.FormatInt(a.UserID(), 10)
	}
	return "addr:" + ClientOf(ctx)
}

// Acquire takes a slot for the client of ctx and returns the function
// that gives it back.
func (l *Limiter) Acquire(ctx context.Context) (release func(), err error) {
	key := limitKey(ctx)
	l.mu.Lock()
	c := l.clients[key]
	if c == nil {
		c = &clientSlots{slots: make(chan struct{}, l.perClient)}
		l.clients[key] = c
	}
	if c.users >= l.perClient+l.maxQueued {
		l.mu.Unlock()
		return nil, arena.Limited("err.busy", 1)
	}
	c.users++
	l.mu.Unlock()
	leave := func() {
		l.mu.Lock()
		if c.users--; c.users == 0 {
			delete(l.clients, key)
		}
		l.mu.Unlock()
	}
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		leave()
		return nil, arena.Err(arena.EUNAVAILABLE, "err.overloaded")
	}
	select {
	case l.slots <- struct{}{}:
		return func() { <-l.slots; <-c.slots; leave() }, nil
	case <-ctx.Done():
		<-c.slots
		leave()
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
