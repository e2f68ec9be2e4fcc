-- +goose Up
CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    name TEXT NOT NULL,
    org_number TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    scb_code TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX organizations_org_number ON organizations (org_number) WHERE org_number <> '';
CREATE INDEX organizations_kind ON organizations (kind);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    platform_roles TEXT NOT NULL DEFAULT '[]',
    password_hash TEXT NOT NULL DEFAULT ''
);

CREATE TABLE org_memberships (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    UNIQUE (user_id, org_id)
);
CREATE INDEX org_memberships_org ON org_memberships (org_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    last_used_at TEXT
);

CREATE TABLE needs (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    cpv_codes TEXT NOT NULL DEFAULT '[]',
    sector TEXT NOT NULL DEFAULT '',
    estimated_value_sek INTEGER,
    volume REAL,
    volume_unit TEXT NOT NULL DEFAULT '',
    planned_date TEXT,
    intent TEXT NOT NULL,
    visibility TEXT NOT NULL,
    created_by INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX needs_org ON needs (org_id);
CREATE INDEX needs_visibility ON needs (visibility);

CREATE TABLE networks (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id INTEGER REFERENCES networks (id),
    sector TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    owner_org_id INTEGER REFERENCES organizations (id),
    coordinator_org_id INTEGER REFERENCES organizations (id),
    country TEXT NOT NULL DEFAULT '',
    start_year INTEGER,
    end_year INTEGER,
    status TEXT NOT NULL,
    open INTEGER NOT NULL DEFAULT 0,
    website TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX networks_parent ON networks (parent_id);

CREATE TABLE network_members (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    network_id INTEGER NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    need_id INTEGER REFERENCES needs (id) ON DELETE SET NULL,
    role TEXT NOT NULL,
    tier TEXT NOT NULL,
    status TEXT NOT NULL,
    contact_name TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    mandate INTEGER NOT NULL DEFAULT 0,
    management_sponsor TEXT NOT NULL DEFAULT '',
    UNIQUE (network_id, org_id)
);
CREATE INDEX network_members_org ON network_members (org_id);

CREATE TABLE network_plans (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    network_id INTEGER NOT NULL UNIQUE REFERENCES networks (id) ON DELETE CASCADE,
    goal TEXT NOT NULL DEFAULT '',
    rules TEXT NOT NULL DEFAULT '',
    responsibilities TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    network_id INTEGER NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    start_date TEXT,
    end_date TEXT,
    status TEXT NOT NULL
);
CREATE INDEX activities_network ON activities (network_id);

CREATE TABLE deliverables (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    network_id INTEGER NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    doc_version TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    published_date TEXT
);
CREATE INDEX deliverables_network ON deliverables (network_id);

CREATE TABLE member_procurements (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    network_id INTEGER NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    deliverable_id INTEGER REFERENCES deliverables (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    central_purchasing_body TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL,
    planned_date TEXT,
    announced_date TEXT,
    awarded_date TEXT,
    implemented_date TEXT,
    evaluated_date TEXT,
    withdrawn_date TEXT,
    withdrawn_reason TEXT NOT NULL DEFAULT '',
    procurement_ref TEXT NOT NULL DEFAULT '',
    ocid TEXT NOT NULL DEFAULT ''
);
CREATE INDEX member_procurements_network ON member_procurements (network_id);

CREATE TABLE funders (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    org_id INTEGER REFERENCES organizations (id),
    website TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT ''
);

CREATE TABLE funding_periods (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    network_id INTEGER NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
    funder_id INTEGER REFERENCES funders (id),
    start_date TEXT,
    end_date TEXT,
    amount_sek INTEGER,
    note TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX funding_periods_network ON funding_periods (network_id);

CREATE TABLE funding_calls (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    funder_id INTEGER NOT NULL REFERENCES funders (id),
    title TEXT NOT NULL,
    programme TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    eligible_org_kinds TEXT NOT NULL DEFAULT '[]',
    themes TEXT NOT NULL DEFAULT '[]',
    opens_date TEXT,
    closes_date TEXT,
    min_amount_sek INTEGER,
    max_amount_sek INTEGER,
    budget_sek INTEGER,
    co_funding_rate REAL,
    url TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT ''
);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    procedure TEXT NOT NULL DEFAULT '',
    phase TEXT NOT NULL DEFAULT '',
    funder_id INTEGER REFERENCES funders (id),
    call_id INTEGER REFERENCES funding_calls (id),
    programme TEXT NOT NULL DEFAULT '',
    coordinator_org_id INTEGER REFERENCES organizations (id),
    participants TEXT NOT NULL DEFAULT '[]',
    description TEXT NOT NULL DEFAULT '',
    results TEXT NOT NULL DEFAULT '',
    lessons TEXT NOT NULL DEFAULT '',
    start_year INTEGER,
    end_year INTEGER,
    source TEXT NOT NULL DEFAULT ''
);

CREATE TABLE experts (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    org_id INTEGER REFERENCES organizations (id),
    affiliation TEXT NOT NULL DEFAULT '',
    subject_areas TEXT NOT NULL DEFAULT '[]',
    description TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT ''
);

CREATE TABLE cpv_codes (
    code TEXT PRIMARY KEY,
    check_digit TEXT NOT NULL,
    level INTEGER NOT NULL,
    parent_code TEXT NOT NULL DEFAULT '',
    label_sv TEXT NOT NULL,
    label_en TEXT NOT NULL
);

CREATE TABLE scb_counties (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL
);

CREATE TABLE scb_municipalities (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    county_code TEXT NOT NULL REFERENCES scb_counties (code)
);

CREATE TABLE seed_runs (
    name TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
);

CREATE TABLE change_log (
    id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    op TEXT NOT NULL,
    at TEXT NOT NULL
);

-- +goose Down
DROP TABLE change_log;
DROP TABLE seed_runs;
DROP TABLE scb_municipalities;
DROP TABLE scb_counties;
DROP TABLE cpv_codes;
DROP TABLE experts;
DROP TABLE projects;
DROP TABLE funding_calls;
DROP TABLE funding_periods;
DROP TABLE funders;
DROP TABLE member_procurements;
DROP TABLE deliverables;
DROP TABLE activities;
DROP TABLE network_plans;
DROP TABLE network_members;
DROP TABLE networks;
DROP TABLE needs;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE org_memberships;
DROP TABLE users;
DROP TABLE organizations;
