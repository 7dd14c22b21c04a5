-- A person may close their account (个人信息保护法): the row stays, so that what others rely on
-- (awards, outcomes, ledgers, conversations) keeps its author, but its personal fields are
-- erased, its name becomes 已注销用户 and it can no longer sign in.
ALTER TABLE users ADD COLUMN closed_at BIGINT;
