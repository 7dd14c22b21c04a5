-- The network: alliances (工作室联盟) with their member studios and join requests, mentoring
-- (师带徒) with its log, courses (在线学习) with lessons and progress, and offline events
-- (线下活动) with registrations and check-in.

CREATE TABLE alliances (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT    NOT NULL,
    description     TEXT    NOT NULL DEFAULT '',
    scope           TEXT    NOT NULL,
    org_id          BIGINT  NOT NULL REFERENCES orgs(id),
    lead_studio_id  BIGINT  NOT NULL REFERENCES studios(id),
    status          TEXT    NOT NULL DEFAULT 'forming',
    founded_by      BIGINT  NOT NULL REFERENCES users(id),
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);
CREATE UNIQUE INDEX alliances_name ON alliances(name);

CREATE TABLE alliance_members (
    alliance_id  BIGINT  NOT NULL REFERENCES alliances(id),
    studio_id    BIGINT  NOT NULL REFERENCES studios(id),
    joined_at    BIGINT  NOT NULL,
    PRIMARY KEY (alliance_id, studio_id)
);
CREATE INDEX alliance_members_studio ON alliance_members(studio_id);

CREATE TABLE alliance_requests (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    alliance_id  BIGINT  NOT NULL REFERENCES alliances(id),
    studio_id    BIGINT  NOT NULL REFERENCES studios(id),
    kind         TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'pending',
    message      TEXT    NOT NULL DEFAULT '',
    author_id    BIGINT  NOT NULL REFERENCES users(id),
    decided_by   BIGINT  REFERENCES users(id),
    created_at   BIGINT  NOT NULL,
    decided_at   BIGINT
);
CREATE UNIQUE INDEX alliance_requests_pending ON alliance_requests(alliance_id, studio_id) WHERE status = 'pending';

CREATE TABLE mentorships (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    studio_id      BIGINT  NOT NULL REFERENCES studios(id),
    mentor_id      BIGINT  NOT NULL REFERENCES users(id),
    apprentice_id  BIGINT  NOT NULL REFERENCES users(id),
    skill          TEXT    NOT NULL,
    goals          TEXT    NOT NULL DEFAULT '',
    plan           TEXT    NOT NULL DEFAULT '',
    starts_on      TEXT    NOT NULL,
    ends_on        TEXT    NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'active',
    evaluation     TEXT    NOT NULL DEFAULT '',
    grade          TEXT    NOT NULL DEFAULT '',
    created_by     BIGINT  NOT NULL REFERENCES users(id),
    created_at     BIGINT  NOT NULL,
    completed_at   BIGINT
);
CREATE INDEX mentorships_studio ON mentorships(studio_id);
CREATE INDEX mentorships_apprentice ON mentorships(apprentice_id);

CREATE TABLE mentorship_logs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    mentorship_id  BIGINT  NOT NULL REFERENCES mentorships(id),
    author_id      BIGINT  NOT NULL REFERENCES users(id),
    on_date        TEXT    NOT NULL,
    minutes        BIGINT  NOT NULL,
    content        TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL
);
CREATE INDEX mentorship_logs_mentorship ON mentorship_logs(mentorship_id, id);

CREATE TABLE courses (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    studio_id    BIGINT  REFERENCES studios(id),
    alliance_id  BIGINT  REFERENCES alliances(id),
    author_id    BIGINT  NOT NULL REFERENCES users(id),
    title        TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    created_at   BIGINT  NOT NULL
);
CREATE INDEX courses_studio ON courses(studio_id);
CREATE INDEX courses_alliance ON courses(alliance_id);

CREATE TABLE lessons (
    course_id    BIGINT  NOT NULL REFERENCES courses(id),
    n            BIGINT  NOT NULL,
    title        TEXT    NOT NULL,
    body_or_url  TEXT    NOT NULL,
    minutes      BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (course_id, n)
);

CREATE TABLE enrolments (
    course_id    BIGINT  NOT NULL REFERENCES courses(id),
    user_id      BIGINT  NOT NULL REFERENCES users(id),
    enrolled_at  BIGINT  NOT NULL,
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX enrolments_user ON enrolments(user_id);

CREATE TABLE lesson_completions (
    course_id     BIGINT  NOT NULL REFERENCES courses(id),
    user_id       BIGINT  NOT NULL REFERENCES users(id),
    n             BIGINT  NOT NULL,
    completed_at  BIGINT  NOT NULL,
    PRIMARY KEY (course_id, user_id, n)
);

CREATE TABLE events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    studio_id        BIGINT  REFERENCES studios(id),
    alliance_id      BIGINT  REFERENCES alliances(id),
    author_id        BIGINT  NOT NULL REFERENCES users(id),
    kind             TEXT    NOT NULL,
    title            TEXT    NOT NULL,
    description      TEXT    NOT NULL DEFAULT '',
    location         TEXT    NOT NULL,
    starts_at        BIGINT  NOT NULL,
    ends_at          BIGINT  NOT NULL,
    capacity         BIGINT  NOT NULL,
    registered       BIGINT  NOT NULL DEFAULT 0,
    audience         TEXT    NOT NULL DEFAULT 'public',
    summary          TEXT    NOT NULL DEFAULT '',
    checkin_code     TEXT    NOT NULL DEFAULT '',
    checkin_expires  BIGINT  NOT NULL DEFAULT 0,
    created_at       BIGINT  NOT NULL
);
CREATE INDEX events_starts ON events(starts_at);
CREATE INDEX events_studio ON events(studio_id);
CREATE INDEX events_alliance ON events(alliance_id);

CREATE TABLE event_registrations (
    event_id         BIGINT  NOT NULL REFERENCES events(id),
    user_id          BIGINT  NOT NULL REFERENCES users(id),
    status           TEXT    NOT NULL DEFAULT 'registered',
    failed_checkins  BIGINT  NOT NULL DEFAULT 0,
    registered_at    BIGINT  NOT NULL,
    checked_in_at    BIGINT,
    PRIMARY KEY (event_id, user_id)
);
CREATE INDEX event_registrations_user ON event_registrations(user_id);

CREATE TABLE event_photos (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    BIGINT  NOT NULL REFERENCES events(id),
    file_name   TEXT    NOT NULL,
    mime        TEXT    NOT NULL,
    bytes       BIGINT  NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX event_photos_event ON event_photos(event_id);
