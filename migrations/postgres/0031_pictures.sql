-- Pictures, each the random name of a picture kept in two sizes under uploads/pictures (NULL:
-- none): a studio's photo or logo, a person's portrait, and an outcome's picture (made from the
-- first photo attached to it, for the showcase).
ALTER TABLE studios ADD COLUMN picture TEXT;
ALTER TABLE users ADD COLUMN portrait TEXT;
ALTER TABLE outcomes ADD COLUMN picture TEXT;
