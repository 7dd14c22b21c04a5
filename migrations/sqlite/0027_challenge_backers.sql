-- A union or an enterprise backs a studio's challenge (挂帅): it adds to the reward and follows
-- the challenge's progress. One backing an org a challenge.
CREATE TABLE challenge_backers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    challenge_id  BIGINT  NOT NULL REFERENCES challenges(id),
    org_id        BIGINT  NOT NULL REFERENCES orgs(id),
    amount_yuan   BIGINT  NOT NULL,
    backed_by     BIGINT  NOT NULL REFERENCES users(id),
    created_at    BIGINT  NOT NULL,
    UNIQUE (challenge_id, org_id)
);
CREATE INDEX challenge_backers_challenge ON challenge_backers(challenge_id);
