// Package matching keeps the match index derived from the database and
// answers what a need matches: other organisations' needs, calls, projects
// and deliverables, experts and networks, each with reasons.
package matching

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/store"
	"github.com/jackc/pgx/v5"
)

// Service owns the needs index and the smaller collections. The database
// is the source of truth: the index is built from it at start and follows
// its change log, which every instance reads, so a need written on one
// instance is matchable on all.
type Service struct {
	DB  *store.DB
	Log *slog.Logger
	// PollInterval is how often the change log is read when no
	// notification comes (PostgreSQL notifies; SQLite has one writer).
	PollInterval time.Duration
	// DataDir is the reference folder, for the corpora CPV suggestion
	// weighs words with; empty without one.
	DataDir string
	// Limit runs the expensive part of a request (ranking, suggesting)
	// within the app's bound on such work running at once; nil runs it
	// directly.
	Limit func(ctx context.Context, fn func() error) error
	// ReasonStop are words too common to give as a shared concept in a
	// match's reasons (match.ReadStopWords); nil gives every shared word.
	ReasonStop map[string]bool

	an *match.Analyzer
	ix *match.Index

	mu sync.RWMutex
	// meta holds, per indexed need, what arena.CanSeeNeed reads of it: its
	// organisation and visibility.
	meta map[int64]*arena.Need

	syncMu sync.Mutex
	last   int64          // the newest change read from the log
	seen   map[int64]bool // changes of the last window applied (a change is read again while one below it is missing)
	// gaps are the ids of the last window not in the log when it was
	// read: a change whose transaction had not committed yet (on
	// PostgreSQL a lower id can commit after a higher), or one rolled back.
	// The log is read again from the oldest of them, not from the whole
	// window below last each time.
	gaps   map[int64]bool
	kick   chan struct{}
	synced atomic.Int64 // when a sync last applied every change, Unix nanoseconds

	colls collections
	cpv   cpvState
}

// limited runs fn within Limit.
func (s *Service) limited(ctx context.Context, fn func() error) error {
	if s.Limit == nil {
		return fn()
	}
	return s.Limit(ctx, fn)
}

// SyncLag is how far the index may be behind the database's change log:
// the time since a sync last applied every change (0 before the first).
func (s *Service) SyncLag() time.Duration {
	t := s.synced.Load()
	if t == 0 {
		return 0
	}
	return time.Since(time.Unix(0, t))
}

// seenBy is what arena.CanSeeNeed reads of an indexed need.
func seenBy(n *store.IndexedNeed) *arena.Need {
	return &arena.Need{OrgID: n.OrgID, Visibility: n.Visibility}
}

// New returns a service with an empty index; Build fills it.
func New(db *store.DB, an *match.Analyzer, log *slog.Logger) *Service {
	return &Service{DB: db, Log: log, PollInterval: 500 * time.Millisecond, an: an, ix: match.NewIndex(an),
		meta: map[int64]*arena.Need{}, seen: map[int64]bool{}, gaps: map[int64]bool{}, kick: make(chan struct{}, 1), cpv: cpvState{bgDone: make(chan struct{})}}
}

// Analyzer returns the text analyzer the service ranks with.
func (s *Service) Analyzer() *match.Analyzer { return s.an }

// Index returns the needs index (Build replaces it).
func (s *Service) Index() *match.Index {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ix
}

func key(id int64) string { return strconv.FormatInt(id, 10) }

// toNeed is the one conversion from a stored need to what the matcher
// ranks; match-file builds the same Need from its file.
func toNeed(n *store.IndexedNeed) *match.Need {
	m := &match.Need{ID: key(n.ID), Org: key(n.OrgID), OrgKind: string(n.OrgKind), Title: n.Title, Description: n.Description,
		CPV: n.CPVCodes, Sector: n.Sector, ValueSEK: n.EstimatedValueSEK}
	if n.PlannedDate != nil {
		m.Year = n.PlannedDate.Year()
	}
	return m
}

// Build reads every need into a fresh index. Changes made while it reads
// are applied by the next Sync.
func (s *Service) Build(ctx context.Context) error {
	last, err := s.DB.LastChange(ctx)
	if err != nil {
		return err
	}
	var needs []*match.Need
	meta := map[int64]*arena.Need{}
	err = s.DB.EachNeedForIndex(ctx, func(n *store.IndexedNeed) error {
		needs = append(needs, toNeed(n))
		meta[n.ID] = seenBy(n)
		return nil
	})
	if err != nil {
		return err
	}
	start := time.Now()
	ix := match.NewIndex(s.an)
	ix.UpsertAll(needs)
	ix.LearnTopics() // before any request can ask
	s.mu.Lock()
	s.ix, s.meta = ix, meta
	s.mu.Unlock()
	s.syncMu.Lock()
	// Which changes of the window are still to commit is not known: the
	// first sync reads all of it.
	s.last, s.seen, s.gaps = last, map[int64]bool{}, map[int64]bool{}
	for id := max(1, last-window+1); id <= last; id++ {
		s.gaps[id] = true
	}
	s.synced.Store(time.Now().UnixNano())
	s.syncMu.Unlock()
	s.colls.invalidate()
	s.Log.Info("match index built", "needs", len(needs), "duration", time.Since(start))
	return nil
}

// window is how far below the newest change read a missing change is
// waited for: on PostgreSQL a change with a lower id can commit after a
// higher.
const window = 1000

// from is where the next read of the log starts: after the newest change
// read, or before the oldest change of the window still missing.
func (s *Service) from() int64 {
	from := s.last
	for id := range s.gaps {
		from = min(from, id-1)
	}
	return max(0, from, s.last-window)
}

// Sync applies the changes made since the last sync.
func (s *Service) Sync(ctx context.Context) error {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	for {
		changes, err := s.DB.ChangesSince(ctx, s.from(), 5000)
		if err != nil {
			return err
		}
		fresh := 0
		read := map[int64]bool{}
		for _, c := range changes {
			if err := ctx.Err(); err != nil {
				return err
			}
			read[c.ID] = true
			delete(s.gaps, c.ID)
			if c.ID <= s.last-window || s.seen[c.ID] {
				continue
			}
			if err := s.apply(ctx, c); err != nil {
				return err
			}
			s.seen[c.ID] = true
			fresh++
		}
		if len(changes) > 0 {
			if newest := changes[len(changes)-1].ID; newest > s.last {
				for id := max(s.last+1, newest-window+1); id < newest; id++ {
					if !read[id] {
						s.gaps[id] = true
					}
				}
				s.last = newest
			}
		}
		old := func(id int64, _ bool) bool { return id <= s.last-window }
		maps.DeleteFunc(s.seen, old)
		maps.DeleteFunc(s.gaps, old)
		if len(changes) < 5000 || fresh == 0 {
			s.synced.Store(time.Now().UnixNano())
			return nil
		}
	}
}

func (s *Service) apply(ctx context.Context, c store.Change) error {
	switch c.Entity {
	case "needs":
		return s.reloadNeed(ctx, c.EntityID)
	case "organizations":
		// A changed kind changes how the organisation's needs rank.
		ids, err := s.DB.NeedIDsOfOrg(ctx, c.EntityID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := s.reloadNeed(ctx, id); err != nil {
				return err
			}
		}
	case "reference":
		s.cpv.invalidate()
	}
	s.colls.changed(c.Entity)
	return nil
}

func (s *Service) reloadNeed(ctx context.Context, id int64) error {
	n, err := s.DB.NeedForIndex(ctx, id)
	if arena.ErrorCode(err) == arena.ENOTFOUND {
		s.Index().Remove(key(id))
		s.mu.Lock()
		delete(s.meta, id)
		s.mu.Unlock()
		return nil
	} else if err != nil {
		return err
	}
	s.Index().Upsert(toNeed(n))
	s.mu.Lock()
	s.meta[id] = seenBy(n)
	s.mu.Unlock()
	return nil
}

// Kick asks the running service to sync now (after a write on this
// instance, so its own writes are matchable at once).
func (s *Service) Kick() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Run syncs when kicked, when PostgreSQL notifies a change and at the poll
// interval, until ctx ends.
func (s *Service) Run(ctx context.Context) {
	if s.DB.Dialect == store.Postgres {
		go s.listen(ctx)
	}
	t := time.NewTicker(s.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.kick:
		}
		if err := s.Sync(ctx); err != nil && !errors.Is(err, context.Canceled) {
			s.Log.Warn("match index sync failed", "err", err)
		}
	}
}

// listen waits for PostgreSQL's notifications of new changes, reconnecting
// when the connection drops; polling covers the gaps.
func (s *Service) listen(ctx context.Context) {
	for ctx.Err() == nil {
		conn, err := pgx.Connect(ctx, s.DB.DSN)
		if err == nil {
			_, err = conn.Exec(ctx, "LISTEN arena_changes")
			for err == nil {
				_, err = conn.WaitForNotification(ctx)
				if err == nil {
					s.Kick()
				}
			}
			conn.Close(context.Background())
		}
		if ctx.Err() != nil {
			return
		}
		s.Log.Warn("change notifications interrupted; polling until reconnected", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(2 * time.Second):
		}
	}
}
