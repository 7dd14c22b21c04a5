-- Funds (经费, Jieyang art. 12-13; Shaanxi: 50,000 yuan once to a named provincial alliance): a
-- union grants an amount to a studio or an alliance, held in the account of the recipient's
-- unit union; the studio's leader files expenses against it, the granting union approves or
-- returns them. `committed_fen` is what approved and pending expenses take from the grant, so
-- that an expense beyond the balance is refused by one conditional update.

CREATE TABLE grants (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id          BIGINT  NOT NULL REFERENCES orgs(id),
    studio_id       BIGINT  REFERENCES studios(id),
    alliance_id     BIGINT  REFERENCES alliances(id),
    holder_studio_id BIGINT NOT NULL REFERENCES studios(id),
    account_org_id  BIGINT  NOT NULL REFERENCES orgs(id),
    amount_fen      BIGINT  NOT NULL,
    committed_fen   BIGINT  NOT NULL DEFAULT 0,
    year            BIGINT  NOT NULL,
    purpose         TEXT    NOT NULL,
    granted_by      BIGINT  NOT NULL REFERENCES users(id),
    created_at      BIGINT  NOT NULL,
    CHECK ((studio_id IS NULL) <> (alliance_id IS NULL)),
    CHECK (committed_fen >= 0 AND committed_fen <= amount_fen)
);
CREATE INDEX grants_org ON grants(org_id, year);
CREATE INDEX grants_holder ON grants(holder_studio_id);

CREATE TABLE expenses (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    grant_id        BIGINT  NOT NULL REFERENCES grants(id),
    category        TEXT    NOT NULL,
    amount_fen      BIGINT  NOT NULL,
    spent_on        TEXT    NOT NULL,
    note            TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT 'pending',
    filed_by        BIGINT  NOT NULL REFERENCES users(id),
    decided_by      BIGINT  REFERENCES users(id),
    opinion         TEXT    NOT NULL DEFAULT '',
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);
CREATE INDEX expenses_grant ON expenses(grant_id, spent_on, id);
CREATE INDEX expenses_pending ON expenses(status, id);

CREATE TABLE expense_receipts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    expense_id      BIGINT  NOT NULL REFERENCES expenses(id),
    file_name       TEXT    NOT NULL,
    original_name   TEXT    NOT NULL,
    mime            TEXT    NOT NULL,
    size_bytes      BIGINT  NOT NULL,
    uploaded_by     BIGINT  NOT NULL REFERENCES users(id),
    created_at      BIGINT  NOT NULL
);
CREATE INDEX expense_receipts_expense ON expense_receipts(expense_id, id);
