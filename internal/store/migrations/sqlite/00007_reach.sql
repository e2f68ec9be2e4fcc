-- +goose Up
-- Events are written in the same transaction as the write that makes
-- them; a job derives notifications from each (processed_at set in the
-- transaction that writes them), so nothing is lost and nothing told twice.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    by_user_id INTEGER,
    at TEXT NOT NULL,
    processed_at TEXT
);
CREATE INDEX events_pending ON events (id) WHERE processed_at IS NULL;

-- What each person is told: the in-app inbox.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    need_id INTEGER,
    my_need_id INTEGER,
    network_id INTEGER,
    member_id INTEGER,
    member_status TEXT NOT NULL DEFAULT '',
    score REAL NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    read_at TEXT,
    UNIQUE (event_id, user_id)
);
CREATE INDEX notifications_user ON notifications (user_id, id);

-- The e-mails to send: one row per notification that goes by e-mail,
-- due at once or at the digest's time. A sender claims rows for a while
-- (claimed_until), sends, and marks them sent; a claim that lapses (the
-- sender died) is taken again.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    notification_id INTEGER NOT NULL UNIQUE REFERENCES notifications (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    mode TEXT NOT NULL,
    due_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_until TEXT,
    claimed_by TEXT NOT NULL DEFAULT '',
    sent_at TEXT,
    failed_at TEXT,
    message_id TEXT NOT NULL DEFAULT '',
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox (due_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- How each person hears of each kind by e-mail; no row is the default.
CREATE TABLE notification_prefs (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- A person's language for e-mail.
CREATE TABLE user_settings (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    lang TEXT NOT NULL DEFAULT 'sv'
);

-- Keys the instances share, made once (the key that signs unsubscribe
-- links).
CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE secrets;
DROP TABLE user_settings;
DROP TABLE notification_prefs;
DROP TABLE outbox;
DROP TABLE notifications;
DROP TABLE events;
