-- +goose Up
-- Failed sign-ins per account and per client address, for throttling with
-- exponential backoff; kept in the database so every instance behind a
-- load balancer counts the same failures.
CREATE TABLE login_attempts (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure TEXT NOT NULL,
    blocked_until TEXT NOT NULL
);
-- An organisation's e-mail domains: a person signing in through OpenID
-- Connect with a verified address there asks to join the organisation,
-- and its admin approves.
CREATE TABLE org_domains (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    domain TEXT NOT NULL UNIQUE
);
CREATE INDEX org_domains_org ON org_domains (org_id);

-- +goose Down
DROP TABLE org_domains;
DROP TABLE login_attempts;
