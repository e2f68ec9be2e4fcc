-- +goose Up
-- An instance claims the events it works out for a lease, as a sender
-- claims e-mail: with several instances on one database each event is
-- matched and turned into notifications by one of them, not by every
-- instance at once (all but one of which then found it done and threw
-- their work away). An instance that dies leaves its events to the
-- others when the lease lapses.
ALTER TABLE events ADD COLUMN claimed_by TEXT;
ALTER TABLE events ADD COLUMN claimed_until TEXT;

-- +goose Down
ALTER TABLE events DROP COLUMN claimed_until;
ALTER TABLE events DROP COLUMN claimed_by;
