-- +goose Up
-- An invitation by e-mail is to a network (member_id, as before) or, from
-- an organisation's admin, to join the organisation with a role (org_id,
-- role): exactly one of the two.
ALTER TABLE email_invites ALTER COLUMN member_id DROP NOT NULL;
ALTER TABLE email_invites ADD COLUMN org_id BIGINT REFERENCES organizations (id) ON DELETE CASCADE;
ALTER TABLE email_invites ADD COLUMN role TEXT NOT NULL DEFAULT '';
ALTER TABLE email_invites ADD CONSTRAINT email_invites_one_target CHECK ((member_id IS NULL) <> (org_id IS NULL));
CREATE INDEX email_invites_org ON email_invites (org_id);

-- +goose Down
DELETE FROM email_invites WHERE member_id IS NULL;
DROP INDEX email_invites_org;
ALTER TABLE email_invites DROP CONSTRAINT email_invites_one_target;
ALTER TABLE email_invites DROP COLUMN role;
ALTER TABLE email_invites DROP COLUMN org_id;
ALTER TABLE email_invites ALTER COLUMN member_id SET NOT NULL;
