-- +goose Up
-- Every instance listens on arena_changes and reads the change log when
-- woken, so indexes derived from the database follow writes made elsewhere.
-- +goose StatementBegin
CREATE FUNCTION arena_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('arena_changes', '');
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER change_log_notify AFTER INSERT ON change_log
    FOR EACH STATEMENT EXECUTE FUNCTION arena_notify_change();
CREATE INDEX change_log_at ON change_log (at);

-- +goose Down
DROP INDEX change_log_at;
DROP TRIGGER change_log_notify ON change_log;
DROP FUNCTION arena_notify_change();
