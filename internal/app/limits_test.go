package app

import (
	"context"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
)

func client(addr string) context.Context { return WithClient(context.Background(), addr) }

func person(id int64, addr string) context.Context {
	return arena.WithActor(client(addr), &arena.Actor{User: &arena.User{Meta: arena.Meta{ID: id}}})
}

// acquired reports whether Acquire got a slot within wait, and gives the
// slot back at the test's end.
func acquired(t *testing.T, l *Limiter, ctx context.Context, wait time.Duration) (bool, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	release, err := l.Acquire(ctx)
	if err != nil {
		return false, err
	}
	t.Cleanup(release)
	return true, nil
}

// A client's requests beyond its share wait for its own slots (they do
// not fail, and they slow only that client); too many waiting are told to
// come back; other clients go ahead meanwhile.
func TestLimiterSharesPerClient(t *testing.T) {
	l := NewLimiter(10, 2)
	a := client("192.0.2.1")
	for i := range 2 {
		if ok, err := acquired(t, l, a, time.Second); !ok {
			t.Fatalf("slot %d of the client refused: %v", i, err)
		}
	}
	// The third waits for the client's own slot, until its deadline.
	if ok, err := acquired(t, l, a, 50*time.Millisecond); ok || arena.ErrorCode(err) != arena.EUNAVAILABLE {
		t.Fatalf("a third request of the client = %v, %v; want it to wait and time out (unavailable)", ok, err)
	}
	// Another client is not held up.
	if ok, err := acquired(t, l, client("192.0.2.2"), 50*time.Millisecond); !ok {
		t.Fatalf("another client waits behind the first: %v", err)
	}
	// A waiting request gets the slot once one is given back.
	release, err := l.Acquire(person(7, "192.0.2.9"))
	if err != nil {
		t.Fatal(err)
	}
	release2, err := l.Acquire(person(7, "192.0.2.9"))
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		r, err := l.Acquire(person(7, "192.0.2.10")) // the same person from another address
		if err == nil {
			r()
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("the person's third request did not wait: %v", err)
	case <-time.After(30 * time.Millisecond):
	}
	release()
	if err := <-got; err != nil {
		t.Fatalf("the waiting request failed after a slot was given back: %v", err)
	}
	release2()

	// A client with its slots taken and its queue full is refused at once.
	b := client("192.0.2.3")
	hold := make(chan struct{})
	defer close(hold)
	for range 2 {
		if ok, err := acquired(t, l, b, time.Second); !ok {
			t.Fatal(err)
		}
	}
	for range l.maxQueued {
		go func() {
			ctx, cancel := context.WithCancel(b)
			defer cancel()
			go func() { <-hold; cancel() }()
			if r, err := l.Acquire(ctx); err == nil {
				r()
			}
		}()
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		l.mu.Lock()
		n := l.clients["addr:192.0.2.3"].users
		l.mu.Unlock()
		if n == 2+l.maxQueued {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d requests of the client hold or wait; want %d", n, 2+l.maxQueued)
		}
		time.Sleep(time.Millisecond)
	}
	start := time.Now()
	if _, err := l.Acquire(b); arena.ErrorCode(err) != arena.ELIMITED {
		t.Fatalf("a client over its queue: %v; want limited", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("the refusal took %v", d)
	}
}

// The total bounds everyone together; a request waits for a free slot.
func TestLimiterTotal(t *testing.T) {
	l := NewLimiter(2, 2)
	if ok, _ := acquired(t, l, client("a"), time.Second); !ok {
		t.Fatal("first slot refused")
	}
	if ok, _ := acquired(t, l, client("b"), time.Second); !ok {
		t.Fatal("second slot refused")
	}
	if ok, err := acquired(t, l, client("c"), 30*time.Millisecond); ok || arena.ErrorCode(err) != arena.EUNAVAILABLE {
		t.Fatalf("a third client with every slot busy = %v, %v; want unavailable after waiting", ok, err)
	}
	l.mu.Lock()
	_, left := l.clients["addr:c"]
	l.mu.Unlock()
	if left {
		t.Fatal("a client that gave up is still counted")
	}
}
