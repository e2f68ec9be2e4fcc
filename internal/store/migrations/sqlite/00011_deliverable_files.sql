-- +goose Up
-- The files of a network's deliverables (arena.DeliverableFile), stored in
-- the database so that every instance serves them.
CREATE TABLE deliverable_files (
    id INTEGER PRIMARY KEY,
    deliverable_id INTEGER NOT NULL REFERENCES deliverables (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX deliverable_files_deliverable ON deliverable_files (deliverable_id);

-- +goose Down
DROP TABLE deliverable_files;
