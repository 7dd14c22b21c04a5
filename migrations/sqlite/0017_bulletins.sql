-- Bulletins (简报, Zhengzhou 001 三（三）: 市总工会将通过印发简报……宣传推广各单位典型经验做法): a
-- union sends one down its subtree; the studios' people and the staff below read it, and who
-- read it when is kept.

CREATE TABLE bulletins (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      BIGINT  NOT NULL REFERENCES orgs(id),
    title       TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    sent_by     BIGINT  NOT NULL REFERENCES users(id),
    created_at  BIGINT  NOT NULL
);
CREATE INDEX bulletins_org ON bulletins(org_id, id);

CREATE TABLE bulletin_reads (
    bulletin_id BIGINT  NOT NULL REFERENCES bulletins(id),
    user_id     BIGINT  NOT NULL REFERENCES users(id),
    read_at     BIGINT  NOT NULL,
    PRIMARY KEY (bulletin_id, user_id)
);
