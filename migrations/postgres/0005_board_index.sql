-- The board filters by status and/or industry and lists newest first: give each filter an index
-- that ends in id, so a page is an index walk, never a sort of every match.
DROP INDEX challenges_status;
DROP INDEX challenges_industry;
CREATE INDEX challenges_board ON challenges(status, industry, id);
CREATE INDEX challenges_status_id ON challenges(status, id);
CREATE INDEX challenges_industry_id ON challenges(industry, id);
