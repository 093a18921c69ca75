-- Pay to confirm: a purchase holds its slots until the partner confirms the payment, and an unpaid
-- hold frees them when it lapses, derived from the clock (no job has to run). Plain SQLite SQL for
-- both the Node migrator and `wrangler d1 migrations apply` (no PRAGMA, no explicit transaction).
--
-- SQLite's own 'now' is never the judge: every statement that depends on time compares against an
-- instant the app wrote into the row it inserts or updates (`created_at` of a package,
-- `written_at` of a booking), so tests and demos that pin the app clock pin these guards too.

-- `required`: a purchase is pending until confirmed; `none`: the school invoices, confirmed at once.
ALTER TABLE tenants ADD COLUMN payment_mode TEXT NOT NULL DEFAULT 'required'
  CHECK (payment_mode IN ('required', 'none'));
-- An existing deployment keeps what it did: its purchases were confirmed when made.
UPDATE tenants SET payment_mode = 'none' WHERE id = 'tenant-default';

-- NULL: confirmed (or bought in a tenant without payment). Otherwise the package is pending until
-- this instant, and its hold has lapsed from then on.
ALTER TABLE student_packages ADD COLUMN hold_expires_at TEXT;
ALTER TABLE student_packages ADD COLUMN payment_reference TEXT;
ALTER TABLE student_packages ADD COLUMN confirmed_at TEXT;
-- The limit of live holds the guardian may have, as the app read it for this insert (the tenant's
-- own or the deployment's); the trigger below enforces it. NULL for confirmed inserts.
ALTER TABLE student_packages ADD COLUMN open_purchase_limit INTEGER
  CHECK (open_purchase_limit IS NULL OR open_purchase_limit >= 1);
-- One payment confirms at most one package of a tenant.
CREATE UNIQUE INDEX student_packages_payment_reference ON student_packages(tenant_id, payment_reference)
  WHERE payment_reference IS NOT NULL;
-- The outbox sweep looks for pending packages whose hold lapsed.
CREATE INDEX student_packages_holds ON student_packages(hold_expires_at)
  WHERE hold_expires_at IS NOT NULL AND status = 'active';
CREATE INDEX student_packages_guardian_holds ON student_packages(guardian_id, hold_expires_at)
  WHERE hold_expires_at IS NOT NULL AND status = 'active';

-- The escrow hold is written when the payment is confirmed, with its reference.
ALTER TABLE escrow_ledger ADD COLUMN payment_reference TEXT;

-- A booking carries its package's hold (NULL once confirmed) so the overlap guard can judge it
-- without a join, and the app's now of the statement that wrote it.
ALTER TABLE bookings ADD COLUMN hold_expires_at TEXT;
ALTER TABLE bookings ADD COLUMN written_at TEXT;

-- The partial unique index cannot see time: a lapsed hold at the same start must not block a new
-- purchase. It stays for confirmed bookings only (an expired hold never becomes confirmed, so it
-- never meets a confirmed booking in this index); the triggers below refuse every overlap.
DROP INDEX bookings_teacher_start_active;
CREATE UNIQUE INDEX bookings_teacher_start_confirmed ON bookings(teacher_id, start_utc)
  WHERE status IN ('scheduled', 'completed') AND hold_expires_at IS NULL;
CREATE INDEX bookings_teacher_holds ON bookings(teacher_id, hold_expires_at)
  WHERE hold_expires_at IS NOT NULL AND status = 'scheduled';

-- An existing booking blocks unless it is a hold that has lapsed at the writer's now. A writer that
-- names no now (NULL written_at) sees every hold as live: refusing is the safe side. The triggers run
-- inside the write lock, so two racing writers cannot both pass (SQLite and D1 alike).
DROP TRIGGER bookings_no_overlap_insert;
CREATE TRIGGER bookings_no_overlap_insert
BEFORE INSERT ON bookings
WHEN NEW.status IN ('scheduled', 'completed')
BEGIN
  SELECT RAISE(ABORT, 'booking_overlap')
  WHERE EXISTS (
    SELECT 1 FROM bookings b
    WHERE b.teacher_id = NEW.teacher_id
      AND b.status IN ('scheduled', 'completed')
      AND (b.hold_expires_at IS NULL OR b.hold_expires_at > coalesce(NEW.written_at, ''))
      AND b.start_utc < NEW.end_utc
      AND b.end_utc > NEW.start_utc
  );
END;

DROP TRIGGER bookings_no_overlap_update;
CREATE TRIGGER bookings_no_overlap_update
BEFORE UPDATE OF start_utc, end_utc, status, teacher_id ON bookings
WHEN NEW.status IN ('scheduled', 'completed')
BEGIN
  SELECT RAISE(ABORT, 'booking_overlap')
  WHERE EXISTS (
    SELECT 1 FROM bookings b
    WHERE b.teacher_id = NEW.teacher_id
      AND b.id <> NEW.id
      AND b.status IN ('scheduled', 'completed')
      AND (b.hold_expires_at IS NULL OR b.hold_expires_at > coalesce(NEW.written_at, ''))
      AND b.start_utc < NEW.end_utc
      AND b.end_utc > NEW.start_utc
  );
END;

-- A hold becoming confirmed must not overlap anything live (it cannot, unless it had lapsed: the
-- confirm is guarded on that, and this is the database saying so too).
CREATE TRIGGER bookings_no_overlap_confirm
BEFORE UPDATE OF hold_expires_at ON bookings
WHEN OLD.hold_expires_at IS NOT NULL AND NEW.hold_expires_at IS NULL AND NEW.status IN ('scheduled', 'completed')
BEGIN
  SELECT RAISE(ABORT, 'booking_overlap')
  WHERE OLD.hold_expires_at <= coalesce(NEW.written_at, '')
     OR EXISTS (
    SELECT 1 FROM bookings b
    WHERE b.teacher_id = NEW.teacher_id
      AND b.id <> NEW.id
      AND b.status IN ('scheduled', 'completed')
      AND (b.hold_expires_at IS NULL OR b.hold_expires_at > coalesce(NEW.written_at, ''))
      AND b.start_utc < NEW.end_utc
      AND b.end_utc > NEW.start_utc
  );
END;

-- A package session holds exactly what its package holds.
CREATE TRIGGER bookings_hold_of_package
BEFORE INSERT ON bookings
WHEN NEW.package_id IS NOT NULL
  AND NEW.hold_expires_at IS NOT (SELECT hold_expires_at FROM student_packages WHERE id = NEW.package_id)
BEGIN SELECT RAISE(ABORT, 'hold_mismatch: a session holds what its package holds'); END;

-- A hold only ever goes away (confirmed); a confirmed package never becomes pending again, and a
-- lapsed hold is not confirmed by any statement whose now is past it.
CREATE TRIGGER student_packages_hold_update
BEFORE UPDATE OF hold_expires_at ON student_packages
BEGIN
  SELECT RAISE(ABORT, 'hold_mismatch: a confirmed package stays confirmed')
   WHERE OLD.hold_expires_at IS NULL AND NEW.hold_expires_at IS NOT NULL;
  SELECT RAISE(ABORT, 'hold_expired')
   WHERE OLD.hold_expires_at IS NOT NULL AND NEW.hold_expires_at IS NULL
     AND (NEW.confirmed_at IS NULL OR NEW.confirmed_at >= OLD.hold_expires_at);
END;

-- At most `open_purchase_limit` live holds per guardian, judged at the new package's created_at.
CREATE TRIGGER student_packages_open_limit
BEFORE INSERT ON student_packages
WHEN NEW.hold_expires_at IS NOT NULL AND NEW.guardian_id IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'too_many_open_purchases')
   WHERE (SELECT count(*) FROM student_packages p
           WHERE p.guardian_id = NEW.guardian_id AND p.status = 'active'
             AND p.hold_expires_at IS NOT NULL AND p.hold_expires_at > NEW.created_at)
         >= coalesce(NEW.open_purchase_limit, 3);
END;

-- The purchase trigger of 0001, for confirmed inserts only (a tenant without payment, the seed).
DROP TRIGGER student_packages_purchased;
CREATE TRIGGER student_packages_purchased
AFTER INSERT ON student_packages
WHEN NEW.hold_expires_at IS NULL
BEGIN
  INSERT INTO escrow_ledger (package_id, entry_type, amount_minor, currency, created_at)
  VALUES (NEW.id, 'hold', NEW.price_minor, NEW.currency, NEW.created_at);
  INSERT INTO notifications (event_type, package_id, payload, dedupe_key, next_attempt_at, created_at)
  VALUES (
    'pack.purchased',
    NEW.id,
    json_object(
      'packageId', NEW.id,
      'studentId', NEW.student_id,
      'teacherId', NEW.teacher_id,
      'subjectId', NEW.subject_id,
      'sessionCount', NEW.session_count,
      'recurringSessionCount', NEW.recurring_session_count,
      'floatingSessionCount', NEW.floating_session_count,
      'firstSession', NEW.first_scheduled_session,
      'lastSession', NEW.last_scheduled_session,
      'gracePeriodEnds', NEW.grace_period_ends,
      'priceMinor', NEW.price_minor,
      'currency', NEW.currency
    ),
    'pack.purchased:' || NEW.id,
    NEW.created_at,
    NEW.created_at
  );
END;

-- A pending purchase announces its hold only: no money is held before it is paid.
CREATE TRIGGER student_packages_held
AFTER INSERT ON student_packages
WHEN NEW.hold_expires_at IS NOT NULL
BEGIN
  INSERT INTO notifications (event_type, package_id, payload, dedupe_key, next_attempt_at, created_at)
  VALUES (
    'pack.held',
    NEW.id,
    json_object(
      'packageId', NEW.id,
      'studentId', NEW.student_id,
      'teacherId', NEW.teacher_id,
      'subjectId', NEW.subject_id,
      'sessionCount', NEW.session_count,
      'firstSession', NEW.first_scheduled_session,
      'lastSession', NEW.last_scheduled_session,
      'holdExpiresAt', NEW.hold_expires_at,
      'priceMinor', NEW.price_minor,
      'currency', NEW.currency
    ),
    'pack.held:' || NEW.id,
    NEW.created_at,
    NEW.created_at
  );
END;

-- Confirmation: the sessions stop being holds, the escrow hold is written with the payment's
-- reference, and `pack.purchased` is announced (with the manage link the `pack.held` row carried),
-- all in the statement that confirms, so no code path can confirm without them.
CREATE TRIGGER student_packages_confirmed
AFTER UPDATE OF hold_expires_at ON student_packages
WHEN OLD.hold_expires_at IS NOT NULL AND NEW.hold_expires_at IS NULL
BEGIN
  UPDATE bookings SET hold_expires_at = NULL, written_at = NEW.confirmed_at
   WHERE package_id = NEW.id AND hold_expires_at IS NOT NULL;
  INSERT INTO escrow_ledger (package_id, entry_type, amount_minor, currency, created_at, payment_reference)
  VALUES (NEW.id, 'hold', NEW.price_minor, NEW.currency, NEW.confirmed_at, NEW.payment_reference);
  INSERT INTO notifications (event_type, package_id, payload, dedupe_key, next_attempt_at, created_at)
  VALUES (
    'pack.purchased',
    NEW.id,
    json_object(
      'packageId', NEW.id,
      'studentId', NEW.student_id,
      'teacherId', NEW.teacher_id,
      'subjectId', NEW.subject_id,
      'sessionCount', NEW.session_count,
      'recurringSessionCount', NEW.recurring_session_count,
      'floatingSessionCount', NEW.floating_session_count,
      'firstSession', NEW.first_scheduled_session,
      'lastSession', NEW.last_scheduled_session,
      'gracePeriodEnds', NEW.grace_period_ends,
      'priceMinor', NEW.price_minor,
      'currency', NEW.currency,
      'paymentReference', NEW.payment_reference,
      'confirmedAt', NEW.confirmed_at,
      'manage', json((SELECT json_extract(payload, '$.manage') FROM notifications
                       WHERE dedupe_key = 'pack.held:' || NEW.id))
    ),
    'pack.purchased:' || NEW.id,
    NEW.confirmed_at,
    NEW.confirmed_at
  );
END;
