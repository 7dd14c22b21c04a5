-- A studio's own projects (课题立项 → 项目跟进 → 集中攻关 → 成果转化): registered by the studio
-- with its members as the team, followed with progress, delivered and turned into an outcome,
-- or opened to other studios as a challenge. Seen only by the studio and the unions above it;
-- never indexed for search.
CREATE TABLE projects (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    studio_id     BIGINT  NOT NULL REFERENCES studios(id),
    author_id     BIGINT  NOT NULL REFERENCES users(id),
    title         TEXT    NOT NULL,
    description   TEXT    NOT NULL,
    industry      TEXT    NOT NULL DEFAULT '',
    plan          TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL DEFAULT 'active',
    percent       BIGINT  NOT NULL DEFAULT 0,
    summary       TEXT    NOT NULL DEFAULT '',
    challenge_id  BIGINT  REFERENCES challenges(id),
    outcome_id    BIGINT  REFERENCES outcomes(id),
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);
CREATE INDEX projects_studio ON projects(studio_id, id);

CREATE TABLE project_members (
    project_id  BIGINT  NOT NULL REFERENCES projects(id),
    user_id     BIGINT  NOT NULL REFERENCES users(id),
    PRIMARY KEY (project_id, user_id)
);

CREATE TABLE project_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  BIGINT  NOT NULL REFERENCES projects(id),
    author_id   BIGINT  NOT NULL REFERENCES users(id),
    kind        TEXT    NOT NULL,
    body        TEXT    NOT NULL DEFAULT '',
    percent     BIGINT,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX project_events_project ON project_events(project_id, id);
