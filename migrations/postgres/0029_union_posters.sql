-- Unions post challenges for their org (发榜单位): a challenge's poster is a studio or an org.
ALTER TABLE challenges ALTER COLUMN studio_id DROP NOT NULL;
ALTER TABLE challenges ADD COLUMN org_id BIGINT REFERENCES orgs(id);
ALTER TABLE challenges ADD CONSTRAINT challenges_one_poster
    CHECK ((studio_id IS NULL) <> (org_id IS NULL));
CREATE INDEX challenges_org ON challenges(org_id);
