-- +goose Up
-- Bevakningar: a person's saved searches of a register (arena.Watch).
CREATE TABLE watches (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    target TEXT NOT NULL,
    filters TEXT NOT NULL DEFAULT '{}',
    paused INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX watches_user ON watches (user_id);
CREATE INDEX watches_target ON watches (target) WHERE paused = 0;

-- What a watch caught: the watch, its register and the new record.
ALTER TABLE notifications ADD COLUMN watch_id INTEGER;
ALTER TABLE notifications ADD COLUMN target TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN entity_id INTEGER;

-- What else an event and its notifications name (a network alert's kind).
ALTER TABLE events ADD COLUMN detail TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN detail TEXT NOT NULL DEFAULT '';

-- A call's reminders (arena.CallClosesEvent) are recorded once per call,
-- however many instances run the daily job.
CREATE UNIQUE INDEX events_once ON events (kind, entity_id) WHERE kind IN ('call.closes.30', 'call.closes.7');

-- A person's calendar feed: the hash of the secret in its address. A new
-- address replaces the old, which then answers nothing.
CREATE TABLE calendar_feeds (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE calendar_feeds;
DROP INDEX events_once;
ALTER TABLE notifications DROP COLUMN detail;
ALTER TABLE events DROP COLUMN detail;
ALTER TABLE notifications DROP COLUMN entity_id;
ALTER TABLE notifications DROP COLUMN target;
ALTER TABLE notifications DROP COLUMN watch_id;
DROP TABLE watches;
