-- Assessment (考核, Jieyang art. 9–11; Changchun 5): a union's round for the studios it named
-- (and the alliances, assessed through their lead studio),
-- each studio's way through it with its trail and scores, the rectification a failing studio is
-- given. An excellent grade recommends the studio for the next level (read from its latest grade).

CREATE TABLE assessment_rounds (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      BIGINT  NOT NULL REFERENCES orgs(id),
    kind        TEXT    NOT NULL,
    year        BIGINT  NOT NULL,
    title       TEXT    NOT NULL,
    due_on      TEXT    NOT NULL,
    created_by  BIGINT  NOT NULL REFERENCES users(id),
    created_at  BIGINT  NOT NULL
);
CREATE UNIQUE INDEX assessment_rounds_once ON assessment_rounds(org_id, kind, year);

CREATE TABLE assessments (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id            BIGINT  NOT NULL REFERENCES assessment_rounds(id),
    studio_id           BIGINT  NOT NULL REFERENCES studios(id),
    alliance_id         BIGINT  REFERENCES alliances(id),
    status              TEXT    NOT NULL DEFAULT 'pending',
    self_evaluation     TEXT    NOT NULL DEFAULT '',
    metrics             TEXT    NOT NULL DEFAULT '',
    grade               TEXT    NOT NULL DEFAULT '',
    rectify_by          TEXT    NOT NULL DEFAULT '',
    requirements        TEXT    NOT NULL DEFAULT '',
    withdrawal_flagged  BIGINT  NOT NULL DEFAULT 0,
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL
);
CREATE UNIQUE INDEX assessments_once ON assessments(round_id, studio_id, COALESCE(alliance_id, 0));
CREATE INDEX assessments_studio ON assessments(studio_id);

CREATE TABLE assessment_steps (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id   BIGINT  NOT NULL REFERENCES assessments(id),
    actor_id        BIGINT  NOT NULL REFERENCES users(id),
    action          TEXT    NOT NULL,
    from_status     TEXT    NOT NULL,
    to_status       TEXT    NOT NULL,
    opinion         TEXT    NOT NULL DEFAULT '',
    created_at      BIGINT  NOT NULL
);
CREATE INDEX assessment_steps_assessment ON assessment_steps(assessment_id, id);

CREATE TABLE assessment_scores (
    assessment_id   BIGINT  NOT NULL REFERENCES assessments(id),
    scorer_id       BIGINT  NOT NULL REFERENCES users(id),
    score           BIGINT  NOT NULL,
    comment         TEXT    NOT NULL DEFAULT '',
    scored_at       BIGINT  NOT NULL,
    PRIMARY KEY (assessment_id, scorer_id)
);
