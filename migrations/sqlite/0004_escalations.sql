-- Escalations of stale work (催办): one row per (challenge, kind, stage) that was sent. The sweep
-- writes the row in the transaction that notifies, so people are told once per quiet spell, and
-- the unique key means two nodes sweeping at once cannot both send.
-- kind: stale_open | stale_claim | stale_progress. stage: when the quiet spell began (stale_open,
-- stale_progress) or the pending claim's id (stale_claim).

CREATE TABLE escalations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    challenge_id  BIGINT  NOT NULL REFERENCES challenges(id),
    kind          TEXT    NOT NULL,
    stage         BIGINT  NOT NULL,
    recipients    BIGINT  NOT NULL DEFAULT 0,
    created_at    BIGINT  NOT NULL,
    UNIQUE (challenge_id, kind, stage)
);
