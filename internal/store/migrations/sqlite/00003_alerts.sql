-- +goose Up
-- Health alerts of networks, recomputed by the daily job (and on demand)
-- from the networks, their funding, activities, members and calls.
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    network_id INTEGER NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
    org_id INTEGER,
    call_id INTEGER,
    due TEXT,
    text_sv TEXT NOT NULL,
    text_en TEXT NOT NULL,
    computed_at TEXT NOT NULL
);
CREATE INDEX alerts_network ON alerts (network_id);

-- +goose Down
DROP TABLE alerts;
