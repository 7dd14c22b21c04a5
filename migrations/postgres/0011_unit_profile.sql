-- The rest of the Changchun application form (长春市职工创新工作室创建申请表): the kind of the host
-- unit (an enterprise, a public institution or other), the studio's premises and its equipment
-- (Changchun ⑤: 有便于开展创新工作的基本设备设施).

ALTER TABLE studios ADD COLUMN unit_type TEXT NOT NULL DEFAULT 'enterprise';
ALTER TABLE studios ADD COLUMN premises_m2 BIGINT;
ALTER TABLE studios ADD COLUMN premises_address TEXT NOT NULL DEFAULT '';
ALTER TABLE studios ADD COLUMN equipment TEXT NOT NULL DEFAULT '';
