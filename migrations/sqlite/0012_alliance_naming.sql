-- An alliance applies for naming through its lead studio (Shaanxi: a named provincial alliance):
-- the application carries the alliance, and naming it sets the alliance's naming union and date.
-- A studio may hold one open application of its own and one for the alliance it leads.

ALTER TABLE naming_applications ADD COLUMN alliance_id BIGINT REFERENCES alliances(id);
ALTER TABLE alliances ADD COLUMN naming_org_id BIGINT REFERENCES orgs(id);
ALTER TABLE alliances ADD COLUMN named_at BIGINT;
DROP INDEX naming_applications_open;
CREATE UNIQUE INDEX naming_applications_open
    ON naming_applications(batch_id, studio_id, COALESCE(alliance_id, 0))
    WHERE status NOT IN ('withdrawn', 'rejected');
