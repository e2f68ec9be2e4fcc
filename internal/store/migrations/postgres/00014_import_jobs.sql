-- +goose Up
-- An uploaded procurement plan or prior information notice being imported
-- as draft needs of an organisation (store.ImportJob): the file, the
-- mapping of its columns, the progress of a run and its report, in the
-- database so that every instance shows it. An organisation keeps its
-- latest jobs only (store.keptImportJobs).
CREATE TABLE import_jobs (
    id BIGSERIAL PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    data BYTEA NOT NULL,
    mapping TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    dry_run BIGINT NOT NULL DEFAULT 0,
    partial BIGINT NOT NULL DEFAULT 0,
    done BIGINT NOT NULL DEFAULT 0,
    total BIGINT NOT NULL DEFAULT 0,
    report TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX import_jobs_org ON import_jobs (org_id, id);

-- +goose Down
DROP TABLE import_jobs;
