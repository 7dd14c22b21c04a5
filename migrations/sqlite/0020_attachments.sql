-- Files attached to a record: the pictures of a bulletin (简报配图) and the attachments of a
-- progress report (报送附件). Stored under a random name in the data directory; the name the
-- person gave is kept for display.

CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_kind    TEXT    NOT NULL,
    owner_id      BIGINT  NOT NULL,
    file_name     TEXT    NOT NULL,
    original_name TEXT    NOT NULL,
    mime          TEXT    NOT NULL,
    size_bytes    BIGINT  NOT NULL,
    uploaded_by   BIGINT  NOT NULL REFERENCES users(id),
    created_at    BIGINT  NOT NULL
);
CREATE INDEX attachments_owner ON attachments(owner_kind, owner_id, id);
