-- Onboarding supervision (上线进网督导): how many days before a deadline an org's studios'
-- leaders are reminded (inherited like the deadlines; 7 when no union chose), and the reminders
-- sent, each once per studio, kind (before or after the deadline) and deadline.

ALTER TABLE orgs ADD COLUMN remind_days BIGINT;

CREATE TABLE onboarding_reminders (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    studio_id   BIGINT  NOT NULL REFERENCES studios(id),
    kind        TEXT    NOT NULL,
    deadline    TEXT    NOT NULL,
    leader_id   BIGINT  NOT NULL REFERENCES users(id),
    sent_at     BIGINT  NOT NULL
);
CREATE UNIQUE INDEX onboarding_reminders_once ON onboarding_reminders(studio_id, kind, deadline);
