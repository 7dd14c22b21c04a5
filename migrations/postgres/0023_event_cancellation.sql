-- A host cancels an event with a reason: registrants are told, registration and check-in close.
ALTER TABLE events ADD COLUMN cancelled_at BIGINT;
ALTER TABLE events ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
