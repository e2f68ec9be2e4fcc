package testdb

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"

	"github.com/arena-se/arena/internal/refdata"
)

var (
	refOnce sync.Once
	ref     *refdata.Set
)

// Reference is the reference data of ARENA_TEST_DATA_DIR (or
// ../shared/data beside the repository, seen from a package two folders
// down), read once per test binary; nil when there is none.
func Reference() *refdata.Set {
	refOnce.Do(func() {
		dir := os.Getenv("ARENA_TEST_DATA_DIR")
		if dir == "" {
			dir = filepath.Join("..", "..", "..", "shared", "data")
		}
		if set, _, err := refdata.ReadDir(dir); err == nil && len(set.CPV) > 0 {
			ref = set
		}
	})
	return ref
}

// LogBuffer keeps a server's log, written from any goroutine, to show with
// a failure.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// Take returns what was logged since the last Take and forgets it.
func (l *LogBuffer) Take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.buf.String()
	l.buf.Reset()
	return s
}
