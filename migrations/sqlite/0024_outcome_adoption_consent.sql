-- Outcomes entered by hand are edited afterwards, and adoptions (成果推广) are recorded by the
-- adopting unit and confirmed by the outcome's studio: only confirmed ones count.
ALTER TABLE outcomes ADD COLUMN updated_at BIGINT;
ALTER TABLE adoptions ADD COLUMN org_id BIGINT REFERENCES orgs(id);
ALTER TABLE adoptions ADD COLUMN status TEXT NOT NULL DEFAULT 'pending';
ALTER TABLE adoptions ADD COLUMN decided_by BIGINT REFERENCES users(id);
ALTER TABLE adoptions ADD COLUMN decided_at BIGINT;
-- Adoptions recorded before the studio's consent existed keep counting.
UPDATE adoptions SET status = 'confirmed', decided_at = created_at;
