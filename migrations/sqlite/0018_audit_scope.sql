-- Each audit line keeps the path of the org its entity belongs to (a studio's host unit, a
-- grant's account, a batch's union…), so that union staff read the lines of their subtree's
-- entities, whoever acted. Lines written before have none: platform admins read them.

ALTER TABLE audit_log ADD COLUMN org_path TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_org ON audit_log(org_path, id);
