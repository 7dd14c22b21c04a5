-- no-transaction
-- Unions post challenges for their org (发榜单位): a challenge's poster is a studio or an org.
-- SQLite cannot drop a NOT NULL constraint, so the table is rebuilt (the documented twelve
-- steps: foreign keys off outside the transaction, copy, swap, check, foreign keys on).
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE challenges_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    studio_id       BIGINT  REFERENCES studios(id),
    org_id          BIGINT  REFERENCES orgs(id),
    author_id       BIGINT  NOT NULL REFERENCES users(id),
    title           TEXT    NOT NULL,
    description     TEXT    NOT NULL,
    industry        TEXT    NOT NULL DEFAULT '',
    tags            TEXT    NOT NULL DEFAULT '',
    deadline        TEXT,
    reward_yuan     BIGINT,
    visibility      TEXT    NOT NULL DEFAULT 'public',
    alliance_id     BIGINT,
    claim_mode      TEXT    NOT NULL DEFAULT 'exclusive',
    status          TEXT    NOT NULL DEFAULT 'draft',
    send_backs      BIGINT  NOT NULL DEFAULT 0,
    summary         TEXT    NOT NULL DEFAULT '',
    rating          BIGINT,
    review          TEXT    NOT NULL DEFAULT '',
    cancel_reason   TEXT    NOT NULL DEFAULT '',
    outcome_id      BIGINT,
    published_at    BIGINT,
    last_activity_at BIGINT NOT NULL,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    CHECK ((studio_id IS NULL) <> (org_id IS NULL))
);
INSERT INTO challenges_new (id, studio_id, author_id, title, description, industry, tags,
    deadline, reward_yuan, visibility, alliance_id, claim_mode, status, send_backs, summary,
    rating, review, cancel_reason, outcome_id, published_at, last_activity_at, created_at,
    updated_at)
SELECT id, studio_id, author_id, title, description, industry, tags, deadline, reward_yuan,
    visibility, alliance_id, claim_mode, status, send_backs, summary, rating, review,
    cancel_reason, outcome_id, published_at, last_activity_at, created_at, updated_at
FROM challenges;
DROP TABLE challenges;
ALTER TABLE challenges_new RENAME TO challenges;
CREATE INDEX challenges_studio ON challenges(studio_id);
CREATE INDEX challenges_board ON challenges(status, industry, id);
CREATE INDEX challenges_status_id ON challenges(status, id);
CREATE INDEX challenges_industry_id ON challenges(industry, id);
CREATE INDEX challenges_org ON challenges(org_id);
COMMIT;
PRAGMA foreign_keys = ON;
