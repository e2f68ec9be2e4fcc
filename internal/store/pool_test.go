package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// TestPoolKeepsItsConnections: as many requests at once as the pool has
// connections return them to be used again, not closed (on PostgreSQL a
// new connection is a new server process; closing the ones above the idle
// limit made the load test's instances open 342 in 15 s).
func TestPoolKeepsItsConnections(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				for range 40 {
					if _, err := db.CountNeeds(context.Background()); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		for name, s := range db.Stats() {
			if s.MaxIdleClosed > 0 || s.MaxLifetimeClosed > 0 {
				t.Errorf("%s pool: %d connections closed above the idle limit, %d for their age (open at most %d)", name, s.MaxIdleClosed, s.MaxLifetimeClosed, s.MaxOpenConnections)
			}
		}
	})
}
