-- Outcomes (成果): patents, 先进操作法, technical innovations…, who contributed, and where other
-- units adopted them (成果推广).

CREATE TABLE outcomes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    studio_id      BIGINT  NOT NULL REFERENCES studios(id),
    author_id      BIGINT  NOT NULL REFERENCES users(id),
    title          TEXT    NOT NULL,
    summary        TEXT    NOT NULL,
    body           TEXT    NOT NULL DEFAULT '',
    kind           TEXT    NOT NULL,
    industry       TEXT    NOT NULL DEFAULT '',
    challenge_id   BIGINT  REFERENCES challenges(id),
    patent_no      TEXT    NOT NULL DEFAULT '',
    benefit_yuan   BIGINT,
    transferable   BIGINT  NOT NULL DEFAULT 0,
    year           BIGINT  NOT NULL,
    created_at     BIGINT  NOT NULL
);
CREATE INDEX outcomes_studio ON outcomes(studio_id);
CREATE INDEX outcomes_kind ON outcomes(kind);
CREATE UNIQUE INDEX outcomes_challenge ON outcomes(challenge_id);

CREATE TABLE outcome_contributors (
    outcome_id     BIGINT  NOT NULL REFERENCES outcomes(id) ON DELETE CASCADE,
    studio_id      BIGINT  NOT NULL REFERENCES studios(id),
    share_percent  BIGINT  NOT NULL,
    PRIMARY KEY (outcome_id, studio_id)
);

CREATE TABLE adoptions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    outcome_id   BIGINT  NOT NULL REFERENCES outcomes(id),
    unit         TEXT    NOT NULL,
    place        TEXT    NOT NULL DEFAULT '',
    effect       TEXT    NOT NULL DEFAULT '',
    recorded_by  BIGINT  NOT NULL REFERENCES users(id),
    created_at   BIGINT  NOT NULL
);
CREATE INDEX adoptions_outcome ON adoptions(outcome_id);
