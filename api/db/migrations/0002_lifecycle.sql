-- Package lifecycle: floating bookings, reschedules, completion, flags from time off, outbox delivery.
-- Plain SQLite SQL for both the Node migrator and `wrangler d1 migrations apply`: no PRAGMA, no
-- explicit transaction.
--
-- D1 has no interactive transactions, so every lifecycle write is one batch of guarded statements.
-- The first statement of a batch stamps the row it changes with a fresh `change_token`; every later
-- statement is guarded on that token, so it only takes effect when this very request's change did.
-- A request that lost a race leaves nothing behind, and its handler tells why by reading afterwards.

ALTER TABLE bookings ADD COLUMN change_token TEXT;
-- Bumped by every lifecycle change of a session; the calendar feed's SEQUENCE.
ALTER TABLE bookings ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bookings ADD COLUMN flagged_at TEXT;
ALTER TABLE bookings ADD COLUMN completed_at TEXT;
ALTER TABLE bookings ADD COLUMN cancelled_at TEXT;
-- 'floated': the parent (or the teacher's time off) turned the session into a floating credit.
ALTER TABLE bookings ADD COLUMN cancel_reason TEXT;

ALTER TABLE student_packages ADD COLUMN change_token TEXT;

-- The delivery worker's claim on a row: only the claimant may record the outcome of its attempt.
ALTER TABLE notifications ADD COLUMN claim_token TEXT;

-- The expiry sweep looks for active packages whose grace period ends soon.
CREATE INDEX student_packages_grace ON student_packages(grace_period_ends) WHERE status = 'active';

-- A package session never lands inside the teacher's time off. Time off added later flags the
-- sessions it covers (in the same batch); these triggers close the other order: a floating booking,
-- reschedule or purchase that passed its check before the time off was written is refused when it
-- commits after it. Single bookings are the school's own entries and are not refused.
CREATE TRIGGER bookings_no_time_off_insert
BEFORE INSERT ON bookings
WHEN NEW.status = 'scheduled' AND NEW.package_id IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'booking_in_time_off')
  WHERE EXISTS (
    SELECT 1 FROM time_off o
    WHERE o.teacher_id = NEW.teacher_id
      AND o.start_utc < NEW.end_utc
      AND o.end_utc > NEW.start_utc
  );
END;

CREATE TRIGGER bookings_no_time_off_update
BEFORE UPDATE OF start_utc, end_utc ON bookings
WHEN NEW.status = 'scheduled' AND NEW.package_id IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'booking_in_time_off')
  WHERE EXISTS (
    SELECT 1 FROM time_off o
    WHERE o.teacher_id = NEW.teacher_id
      AND o.start_utc < NEW.end_utc
      AND o.end_utc > NEW.start_utc
  );
END;
