-- Open challenges (揭榜攻关), claims and their teams, the challenge timeline, outcomes (成果)
-- with contributors and adoptions, and in-app notifications.

CREATE TABLE challenges (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    studio_id       BIGINT  NOT NULL REFERENCES studios(id),
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
    updated_at      BIGINT  NOT NULL
);
CREATE INDEX challenges_status ON challenges(status);
CREATE INDEX challenges_studio ON challenges(studio_id);
CREATE INDEX challenges_industry ON challenges(industry);

CREATE TABLE claims (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    challenge_id  BIGINT  NOT NULL REFERENCES challenges(id),
    studio_id     BIGINT  NOT NULL REFERENCES studios(id),
    author_id     BIGINT  NOT NULL REFERENCES users(id),
    proposal      TEXT    NOT NULL,
    plan          TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL DEFAULT 'pending',
    created_at    BIGINT  NOT NULL,
    decided_at    BIGINT,
    UNIQUE (challenge_id, studio_id)
);
CREATE INDEX claims_studio ON claims(studio_id);

CREATE TABLE claim_members (
    claim_id       BIGINT  NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    user_id        BIGINT  NOT NULL REFERENCES users(id),
    studio_id      BIGINT  NOT NULL REFERENCES studios(id),
    share_percent  BIGINT  NOT NULL,
    PRIMARY KEY (claim_id, user_id)
);

CREATE TABLE challenge_events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    challenge_id  BIGINT  NOT NULL REFERENCES challenges(id),
    author_id     BIGINT  NOT NULL REFERENCES users(id),
    kind          TEXT    NOT NULL,
    body          TEXT    NOT NULL DEFAULT '',
    percent       BIGINT,
    created_at    BIGINT  NOT NULL
);
CREATE INDEX challenge_events_challenge ON challenge_events(challenge_id, id);

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     BIGINT  NOT NULL REFERENCES users(id),
    kind        TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    link        TEXT    NOT NULL,
    is_read     BIGINT  NOT NULL DEFAULT 0,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX notifications_user ON notifications(user_id, id);
