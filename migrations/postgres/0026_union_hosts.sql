-- Unions host events and courses too (现场推进会, 观摩会, 素质提升大讲堂), for their subtree or
-- for everyone: the host is a studio, an alliance or an org.
ALTER TABLE events ADD COLUMN org_id BIGINT REFERENCES orgs(id);
ALTER TABLE courses ADD COLUMN org_id BIGINT REFERENCES orgs(id);
CREATE INDEX events_org ON events(org_id);
CREATE INDEX courses_org ON courses(org_id);
