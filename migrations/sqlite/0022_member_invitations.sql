-- Joining a studio takes the person's consent: the leader's "add" is an invitation the person
-- accepts or declines. At most one invitation to a studio waits for a person at a time.
CREATE TABLE member_invitations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    studio_id    BIGINT  NOT NULL REFERENCES studios(id) ON DELETE CASCADE,
    user_id      BIGINT  NOT NULL REFERENCES users(id),
    role         TEXT    NOT NULL,
    invited_by   BIGINT  NOT NULL REFERENCES users(id),
    status       TEXT    NOT NULL DEFAULT 'pending',
    created_at   BIGINT  NOT NULL,
    answered_at  BIGINT
);
CREATE UNIQUE INDEX member_invitations_waiting ON member_invitations(studio_id, user_id)
    WHERE status = 'pending';
CREATE INDEX member_invitations_user ON member_invitations(user_id, status);
