-- Changes to a named studio (Jieyang art. 7): a new leader, a new name or the title given up,
-- requested by the unit's union and approved up the tree. The studio's history keeps each one.

CREATE TABLE studio_changes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    studio_id       BIGINT  NOT NULL REFERENCES studios(id),
    kind            TEXT    NOT NULL,
    new_leader_id   BIGINT  REFERENCES users(id),
    new_name        TEXT    NOT NULL DEFAULT '',
    reason          TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending',
    requested_by    BIGINT  NOT NULL REFERENCES users(id),
    reviewed_by     BIGINT  REFERENCES users(id),
    decided_by      BIGINT  REFERENCES users(id),
    opinion         TEXT    NOT NULL DEFAULT '',
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);
CREATE INDEX studio_changes_studio ON studio_changes(studio_id, id);
CREATE UNIQUE INDEX studio_changes_open ON studio_changes(studio_id)
    WHERE status IN ('pending', 'reviewed');
