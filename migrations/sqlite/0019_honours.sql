-- Honours (荣誉推荐; 国防邮电工会意见（二十二）, Jieyang art. 14): a union records that it recommends a
-- person (劳动模范, 五一劳动奖章, 大国工匠 …), a studio (工人先锋号, 五一劳动奖状, 示范性创新
-- 工作室) or an outcome (优秀职工技术创新成果) for an honour, and later whether it was awarded.
-- Exactly one subject is set, the one the honour is for.

CREATE TABLE honours (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      BIGINT  NOT NULL REFERENCES orgs(id),
    honour      TEXT    NOT NULL,
    level       TEXT    NOT NULL,
    year        BIGINT  NOT NULL,
    user_id     BIGINT  REFERENCES users(id),
    studio_id   BIGINT  REFERENCES studios(id),
    outcome_id  BIGINT  REFERENCES outcomes(id),
    reason      TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'recommended',
    note        TEXT    NOT NULL DEFAULT '',
    recorded_by BIGINT  NOT NULL REFERENCES users(id),
    decided_by  BIGINT  REFERENCES users(id),
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    CHECK ((CASE WHEN user_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN studio_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN outcome_id IS NULL THEN 0 ELSE 1 END) = 1)
);
CREATE INDEX honours_org ON honours(org_id, year);
CREATE INDEX honours_user ON honours(user_id);
CREATE INDEX honours_studio ON honours(studio_id);
-- A subject is recommended for the same honour at most once a year.
CREATE UNIQUE INDEX honours_once ON honours(honour, level, year, COALESCE(user_id, 0), COALESCE(studio_id, 0), COALESCE(outcome_id, 0));
