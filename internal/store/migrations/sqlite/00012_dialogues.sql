-- +goose Up
-- Market dialogues with suppliers (arena.Dialogue): published by an
-- organisation or a network, answered by suppliers, with their questions
-- and registrations for the dialogue's meeting, and the dialogue's
-- documents.
CREATE TABLE dialogues (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    org_id INTEGER REFERENCES organizations (id) ON DELETE CASCADE,
    network_id INTEGER REFERENCES networks (id) ON DELETE CASCADE,
    need_id INTEGER REFERENCES needs (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    questions TEXT NOT NULL DEFAULT '[]',
    cpv_codes TEXT NOT NULL DEFAULT '[]',
    sector TEXT NOT NULL DEFAULT '',
    deadline TEXT NOT NULL,
    meeting TEXT NOT NULL DEFAULT '',
    meeting_date TEXT,
    meeting_place TEXT NOT NULL DEFAULT '',
    seats INTEGER
);
CREATE INDEX dialogues_org ON dialogues (org_id);
CREATE INDEX dialogues_network ON dialogues (network_id);

CREATE TABLE dialogue_answers (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    dialogue_id INTEGER NOT NULL REFERENCES dialogues (id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    answers TEXT NOT NULL DEFAULT '[]',
    contact TEXT NOT NULL DEFAULT '',
    UNIQUE (dialogue_id, org_id)
);

CREATE TABLE dialogue_questions (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    dialogue_id INTEGER NOT NULL REFERENCES dialogues (id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    answer TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dialogue_questions_dialogue ON dialogue_questions (dialogue_id);

CREATE TABLE dialogue_registrations (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    dialogue_id INTEGER NOT NULL REFERENCES dialogues (id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    attendees INTEGER NOT NULL,
    names TEXT NOT NULL DEFAULT '',
    UNIQUE (dialogue_id, org_id)
);

CREATE TABLE dialogue_files (
    id INTEGER PRIMARY KEY,
    dialogue_id INTEGER NOT NULL REFERENCES dialogues (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX dialogue_files_dialogue ON dialogue_files (dialogue_id);

-- +goose Down
DROP TABLE dialogue_files;
DROP TABLE dialogue_registrations;
DROP TABLE dialogue_questions;
DROP TABLE dialogue_answers;
DROP TABLE dialogues;
