-- The audit log keeps the client address of each action (empty for the command line and
-- background jobs), and is read by person and by time.

ALTER TABLE audit_log ADD COLUMN address TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_actor ON audit_log(actor_id, id);
CREATE INDEX audit_time ON audit_log(created_at);
