-- +goose Up
-- The files of a network's deliverables (arena.DeliverableFile), stored in
-- the database so that every instance serves them.
CREATE TABLE deliverable_files (
    id BIGSERIAL PRIMARY KEY,
    deliverable_id BIGINT NOT NULL REFERENCES deliverables (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX deliverable_files_deliverable ON deliverable_files (deliverable_id);

-- +goose Down
DROP TABLE deliverable_files;
