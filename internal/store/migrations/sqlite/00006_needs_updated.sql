-- +goose Up
-- The start page asks which needs changed since the user's last visit;
-- without changes there are no new matches to compute.
CREATE INDEX needs_updated ON needs (updated_at);

-- +goose Down
DROP INDEX needs_updated;
