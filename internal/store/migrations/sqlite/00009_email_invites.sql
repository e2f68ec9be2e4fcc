-- +goose Up
-- Invitations to a network sent by e-mail to an organisation without an
-- admin on Arena (arena.EmailInvite), with their sending state: the
-- sender claims one (claimed_until), sends it and marks it sent, as the
-- outbox's rows. The sign-up link carries the id, signed; used_at marks
-- it followed.
CREATE TABLE email_invites (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    member_id INTEGER NOT NULL REFERENCES network_members (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    lang TEXT NOT NULL,
    invited_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_until TEXT,
    claimed_by TEXT NOT NULL DEFAULT '',
    sent_at TEXT,
    failed_at TEXT,
    message_id TEXT NOT NULL DEFAULT '',
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX email_invites_member ON email_invites (member_id);
CREATE INDEX email_invites_pending ON email_invites (id) WHERE sent_at IS NULL AND failed_at IS NULL;

-- +goose Down
DROP TABLE email_invites;
