-- +goose Up
-- Invitations to a network sent by e-mail to an organisation without an
-- admin on Arena (arena.EmailInvite), with their sending state: the
-- sender claims one (claimed_until), sends it and marks it sent, as the
-- outbox's rows. The sign-up link carries the id, signed; used_at marks
-- it followed.
CREATE TABLE email_invites (
    id BIGSERIAL PRIMARY KEY,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    member_id BIGINT NOT NULL REFERENCES network_members (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    lang TEXT NOT NULL,
    invited_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    used_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_until TIMESTAMPTZ,
    claimed_by TEXT NOT NULL DEFAULT '',
    sent_at TIMESTAMPTZ,
    failed_at TIMESTAMPTZ,
    message_id TEXT NOT NULL DEFAULT '',
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX email_invites_member ON email_invites (member_id);
CREATE INDEX email_invites_pending ON email_invites (id) WHERE sent_at IS NULL AND failed_at IS NULL;

-- +goose Down
DROP TABLE email_invites;
