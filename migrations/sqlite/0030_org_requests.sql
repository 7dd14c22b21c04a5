-- A studio whose host enterprise is not in the union tree asks for it to be added under the
-- union above it; that union's staff (or the staff above) approve, which creates the
-- enterprise, or decline with a reason. One pending request per name and parent.
CREATE TABLE org_requests (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id     BIGINT  NOT NULL REFERENCES orgs(id),
    name          TEXT    NOT NULL,
    note          TEXT    NOT NULL DEFAULT '',
    requested_by  BIGINT  NOT NULL REFERENCES users(id),
    status        TEXT    NOT NULL DEFAULT 'pending',
    reason        TEXT    NOT NULL DEFAULT '',
    decided_by    BIGINT  REFERENCES users(id),
    decided_at    BIGINT,
    org_id        BIGINT  REFERENCES orgs(id),
    created_at    BIGINT  NOT NULL
);
CREATE INDEX org_requests_parent ON org_requests(parent_id, status);
CREATE INDEX org_requests_requester ON org_requests(requested_by, id);
CREATE UNIQUE INDEX org_requests_pending ON org_requests(parent_id, name) WHERE status = 'pending';
