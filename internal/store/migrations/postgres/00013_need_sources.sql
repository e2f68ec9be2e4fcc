-- +goose Up
-- Where an imported need came from (arena.Need.Source): a row of a
-- procurement plan or a lot of a prior information notice, once per
-- organisation, so importing the same file twice adds nothing.
ALTER TABLE needs ADD COLUMN source TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX needs_org_source ON needs (org_id, source) WHERE source <> '';

-- +goose Down
DROP INDEX needs_org_source;
ALTER TABLE needs DROP COLUMN source;
