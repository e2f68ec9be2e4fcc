-- +goose Up
-- The header of every page a signed-in person sees counts their unread
-- notifications. With only notifications_user (user_id, id) the count read
-- every notification of the person from the table to look at read_at, so a
-- page cost more the longer the person had used Arena. This index holds
-- only the unread ones, and the count reads nothing else.
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- +goose Down
DROP INDEX notifications_unread;
