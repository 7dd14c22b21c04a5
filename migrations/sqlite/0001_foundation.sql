-- Accounts, the union tree, studios, and the outbox/audit trail.
-- Times are BIGINT Unix milliseconds (UTC); calendar dates are TEXT 'YYYY-MM-DD'.
-- Flags are BIGINT 0/1 so that both databases decode them the same way.

CREATE TABLE users (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    username         TEXT    NOT NULL UNIQUE,
    password_hash    TEXT    NOT NULL,
    display_name     TEXT    NOT NULL,
    is_admin         BIGINT  NOT NULL DEFAULT 0,
    real_name        TEXT    NOT NULL DEFAULT '',
    gender           TEXT    NOT NULL DEFAULT '',
    birth_month      TEXT    NOT NULL DEFAULT '',
    education        TEXT    NOT NULL DEFAULT '',
    ethnicity        TEXT    NOT NULL DEFAULT '',
    political_status TEXT    NOT NULL DEFAULT '',
    trade            TEXT    NOT NULL DEFAULT '',
    title            TEXT    NOT NULL DEFAULT '',
    phone            TEXT    NOT NULL DEFAULT '',
    email            TEXT    NOT NULL DEFAULT '',
    honours          TEXT    NOT NULL DEFAULT '',
    created_at       BIGINT  NOT NULL
);

CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   TEXT    NOT NULL UNIQUE,
    user_id      BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE orgs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT    NOT NULL,
    level          TEXT    NOT NULL,
    parent_id      BIGINT  REFERENCES orgs(id),
    path           TEXT    NOT NULL,
    deadline_demo  TEXT,
    deadline_all   TEXT,
    created_at     BIGINT  NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id);
CREATE INDEX orgs_path ON orgs(path);

CREATE TABLE staff_roles (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    org_id      BIGINT  NOT NULL REFERENCES orgs(id),
    role        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    UNIQUE (user_id, org_id, role)
);

CREATE TABLE studios (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    name              TEXT    NOT NULL,
    org_id            BIGINT  NOT NULL REFERENCES orgs(id),
    naming_org_id     BIGINT  REFERENCES orgs(id),
    kind              TEXT    NOT NULL,
    field             TEXT    NOT NULL DEFAULT '',
    industry          TEXT    NOT NULL DEFAULT '',
    region            TEXT    NOT NULL DEFAULT '',
    founded_on        TEXT    NOT NULL DEFAULT '',
    goals             TEXT    NOT NULL DEFAULT '',
    intro             TEXT    NOT NULL DEFAULT '',
    outcomes_summary  TEXT    NOT NULL DEFAULT '',
    honours           TEXT    NOT NULL DEFAULT '',
    demonstration     BIGINT  NOT NULL DEFAULT 0,
    status            TEXT    NOT NULL DEFAULT 'draft',
    online            BIGINT  NOT NULL DEFAULT 0,
    onboarded_at      BIGINT,
    leader_id         BIGINT  NOT NULL REFERENCES users(id),
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL
);
CREATE INDEX studios_org ON studios(org_id);
CREATE INDEX studios_industry ON studios(industry);
CREATE INDEX studios_region ON studios(region);

CREATE TABLE studio_members (
    studio_id   BIGINT  NOT NULL REFERENCES studios(id) ON DELETE CASCADE,
    user_id     BIGINT  NOT NULL REFERENCES users(id),
    role        TEXT    NOT NULL,
    joined_at   BIGINT  NOT NULL,
    PRIMARY KEY (studio_id, user_id)
);
CREATE INDEX studio_members_user ON studio_members(user_id);

-- A one-row-per-name counter; writers take the next outbox id by updating it inside their
-- transaction, so outbox ids become visible in commit order.
CREATE TABLE counters (
    name   TEXT    PRIMARY KEY,
    value  BIGINT  NOT NULL
);
INSERT INTO counters (name, value) VALUES ('outbox', 0);

CREATE TABLE outbox (
    id          BIGINT  PRIMARY KEY,
    kind        TEXT    NOT NULL,
    entity_id   BIGINT  NOT NULL,
    op          TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id     BIGINT,
    action       TEXT    NOT NULL,
    entity_kind  TEXT    NOT NULL,
    entity_id    BIGINT  NOT NULL,
    detail       TEXT    NOT NULL DEFAULT '',
    created_at   BIGINT  NOT NULL
);
CREATE INDEX audit_entity ON audit_log(entity_kind, entity_id);
