-- A host may keep a waiting list (候补): a registration beyond the capacity waits, and moves up
-- in order when a place frees. The order is a number drawn from the event's own counter in the
-- transaction that joins the line, so it follows the order of commits, not of clocks.
ALTER TABLE events ADD COLUMN waitlist BIGINT NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN wait_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE event_registrations ADD COLUMN wait_no BIGINT;
CREATE INDEX event_registrations_waiting ON event_registrations(event_id, status, wait_no);
