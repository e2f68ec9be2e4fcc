-- +goose Up
-- An invitation by e-mail is to a network (member_id, as before) or, from
-- an organisation's admin, to join the organisation with a role (org_id,
-- role): exactly one of the two. SQLite cannot drop a NOT NULL, so the
-- table is made again with its rows.
CREATE TABLE email_invites_new (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    member_id INTEGER REFERENCES network_members (id) ON DELETE CASCADE,
    org_id INTEGER REFERENCES organizations (id) ON DELETE CASCADE,
    role TEXT NOT NULL DEFAULT '',
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
    last_error TEXT NOT NULL DEFAULT '',
    CHECK ((member_id IS NULL) <> (org_id IS NULL))
);
INSERT INTO email_invites_new (id, version, created_at, updated_at, member_id, email, lang, invited_by, expires_at, used_at, used_by,
    attempts, claimed_until, claimed_by, sent_at, failed_at, message_id, last_error)
SELECT id, version, created_at, updated_at, member_id, email, lang, invited_by, expires_at, used_at, used_by,
    attempts, claimed_until, claimed_by, sent_at, failed_at, message_id, last_error FROM email_invites;
DROP TABLE email_invites;
ALTER TABLE email_invites_new RENAME TO email_invites;
CREATE INDEX email_invites_member ON email_invites (member_id);
CREATE INDEX email_invites_org ON email_invites (org_id);
CREATE INDEX email_invites_pending ON email_invites (id) WHERE sent_at IS NULL AND failed_at IS NULL;

-- +goose Down
DELETE FROM email_invites WHERE member_id IS NULL;
CREATE TABLE email_invites_old (
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
INSERT INTO email_invites_old SELECT id, version, created_at, updated_at, member_id, email, lang, invited_by, expires_at, used_at, used_by,
    attempts, claimed_until, claimed_by, sent_at, failed_at, message_id, last_error FROM email_invites;
DROP TABLE email_invites;
ALTER TABLE email_invites_old RENAME TO email_invites;
CREATE INDEX email_invites_member ON email_invites (member_id);
CREATE INDEX email_invites_pending ON email_invites (id) WHERE sent_at IS NULL AND failed_at IS NULL;
