-- Naming (命名): a union's yearly batch, the applications in it with their trail of steps,
-- the experts' scores and the objections filed during the public notice. Experts carry a field.

ALTER TABLE staff_roles ADD COLUMN field TEXT NOT NULL DEFAULT '';
ALTER TABLE studios ADD COLUMN named_at BIGINT;

CREATE TABLE naming_batches (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        BIGINT  NOT NULL REFERENCES orgs(id),
    year          BIGINT  NOT NULL,
    title         TEXT    NOT NULL,
    category      TEXT    NOT NULL DEFAULT 'model_worker',
    quota         BIGINT  NOT NULL,
    opens_on      TEXT    NOT NULL,
    closes_on     TEXT    NOT NULL,
    notice_days   BIGINT  NOT NULL,
    conditions    TEXT    NOT NULL DEFAULT '',
    created_by    BIGINT  NOT NULL REFERENCES users(id),
    created_at    BIGINT  NOT NULL
);
CREATE INDEX naming_batches_org ON naming_batches(org_id, year);

CREATE TABLE naming_applications (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id        BIGINT  NOT NULL REFERENCES naming_batches(id),
    studio_id       BIGINT  NOT NULL REFERENCES studios(id),
    applicant_id    BIGINT  NOT NULL REFERENCES users(id),
    status          TEXT    NOT NULL DEFAULT 'draft',
    snapshot        TEXT    NOT NULL DEFAULT '',
    proposed_name   TEXT    NOT NULL DEFAULT '',
    notice_ends_at  BIGINT,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);
CREATE UNIQUE INDEX naming_applications_open ON naming_applications(batch_id, studio_id)
    WHERE status NOT IN ('withdrawn', 'rejected');
CREATE INDEX naming_applications_status ON naming_applications(status);

CREATE TABLE naming_steps (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id  BIGINT  NOT NULL REFERENCES naming_applications(id),
    actor_id        BIGINT  NOT NULL REFERENCES users(id),
    action          TEXT    NOT NULL,
    from_status     TEXT    NOT NULL,
    to_status       TEXT    NOT NULL,
    opinion         TEXT    NOT NULL DEFAULT '',
    created_at      BIGINT  NOT NULL
);
CREATE INDEX naming_steps_application ON naming_steps(application_id, id);

CREATE TABLE naming_experts (
    application_id  BIGINT  NOT NULL REFERENCES naming_applications(id),
    expert_id       BIGINT  NOT NULL REFERENCES users(id),
    assigned_by     BIGINT  NOT NULL REFERENCES users(id),
    score           BIGINT,
    comment         TEXT    NOT NULL DEFAULT '',
    scored_at       BIGINT,
    PRIMARY KEY (application_id, expert_id)
);
CREATE INDEX naming_experts_expert ON naming_experts(expert_id);

CREATE TABLE naming_objections (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id  BIGINT  NOT NULL REFERENCES naming_applications(id),
    author_id       BIGINT  NOT NULL REFERENCES users(id),
    text            TEXT    NOT NULL,
    answer          TEXT    NOT NULL DEFAULT '',
    answered_by     BIGINT  REFERENCES users(id),
    answered_at     BIGINT,
    created_at      BIGINT  NOT NULL
);
CREATE INDEX naming_objections_application ON naming_objections(application_id, id);
