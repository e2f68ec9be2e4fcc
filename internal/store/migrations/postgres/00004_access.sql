-- +goose Up
-- An organisation's admin invites a person; the membership counts once the
-- person accepts. Existing memberships were made by brokers and the
-- command line, and stay active.
ALTER TABLE org_memberships ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
-- A member organisation's recorded consent to closing its network.
ALTER TABLE network_members ADD COLUMN close_consent BOOLEAN NOT NULL DEFAULT false;
-- Alerts keep their facts; the catalogues word them when they are shown.
DELETE FROM alerts;
ALTER TABLE alerts DROP COLUMN text_sv;
ALTER TABLE alerts DROP COLUMN text_en;
ALTER TABLE alerts ADD COLUMN org_ids TEXT NOT NULL DEFAULT '[]';
ALTER TABLE alerts ADD COLUMN org_names TEXT NOT NULL DEFAULT '[]';
ALTER TABLE alerts ADD COLUMN call_title TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN days INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE alerts DROP COLUMN days;
ALTER TABLE alerts DROP COLUMN call_title;
ALTER TABLE alerts DROP COLUMN org_names;
ALTER TABLE alerts DROP COLUMN org_ids;
ALTER TABLE alerts ADD COLUMN text_sv TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN text_en TEXT NOT NULL DEFAULT '';
ALTER TABLE network_members DROP COLUMN close_consent;
ALTER TABLE org_memberships DROP COLUMN status;
