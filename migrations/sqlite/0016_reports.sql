-- Progress reports (信息报送, Zhengzhou 001): a union's schedule for its subtree (the nearest
-- one above a studio applies), the reports (one per studio and period; urgent ones at any time)
-- and the reminders sent for a missing report, once per studio and period.

CREATE TABLE report_schedules (
    org_id      BIGINT  PRIMARY KEY REFERENCES orgs(id),
    period      TEXT    NOT NULL,
    due_day     BIGINT  NOT NULL,
    set_by      BIGINT  NOT NULL REFERENCES users(id),
    set_on      TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL
);

CREATE TABLE reports (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    studio_id       BIGINT  NOT NULL REFERENCES studios(id),
    alliance_id     BIGINT  REFERENCES alliances(id),
    period_key      TEXT    NOT NULL DEFAULT '',
    period_label    TEXT    NOT NULL DEFAULT '',
    urgent          BIGINT  NOT NULL DEFAULT 0,
    progress        TEXT    NOT NULL,
    problems        TEXT    NOT NULL DEFAULT '',
    suggestions     TEXT    NOT NULL DEFAULT '',
    filed_by        BIGINT  NOT NULL REFERENCES users(id),
    created_at      BIGINT  NOT NULL
);
CREATE UNIQUE INDEX reports_once ON reports(studio_id, COALESCE(alliance_id, 0), period_key)
    WHERE urgent = 0;
CREATE INDEX reports_time ON reports(created_at);

CREATE TABLE report_reminders (
    studio_id   BIGINT  NOT NULL REFERENCES studios(id),
    period_key  TEXT    NOT NULL,
    sent_at     BIGINT  NOT NULL,
    PRIMARY KEY (studio_id, period_key)
);
