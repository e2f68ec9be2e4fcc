-- +goose Up
-- SQLite has one writer process, so it needs no notification; the index
-- on the change log's time keeps pruning cheap on both databases.
CREATE INDEX change_log_at ON change_log (at);

-- +goose Down
DROP INDEX change_log_at;
