-- Smart Pack Grid schema. Plain SQLite SQL: the Node server applies this folder itself and
-- `wrangler d1 migrations apply` applies the same files to Cloudflare D1, so no PRAGMA and no
-- explicit transaction here. Instants are ISO-8601 UTC text of fixed width
-- (YYYY-MM-DDTHH:MM:SS.sssZ) so that string comparison is time comparison.

CREATE TABLE teachers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_ar TEXT,
  bio TEXT,
  timezone TEXT NOT NULL,
  hourly_rate_minor INTEGER NOT NULL CHECK (hourly_rate_minor >= 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  min_notice_minutes INTEGER NOT NULL DEFAULT 1440 CHECK (min_notice_minutes >= 0),
  horizon_days INTEGER NOT NULL DEFAULT 182 CHECK (horizon_days BETWEEN 7 AND 366),
  -- Bumped by triggers on every change to the teacher's calendar; read caches key on it.
  schedule_version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE subjects (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_ar TEXT
);

CREATE TABLE teacher_subjects (
  teacher_id TEXT NOT NULL REFERENCES teachers(id) ON DELETE CASCADE,
  subject_id TEXT NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
  PRIMARY KEY (teacher_id, subject_id)
);

CREATE TABLE availability_rules (
  id TEXT PRIMARY KEY,
  teacher_id TEXT NOT NULL REFERENCES teachers(id) ON DELETE CASCADE,
  weekday TEXT NOT NULL CHECK (weekday IN ('SUNDAY','MONDAY','TUESDAY','WEDNESDAY','THURSDAY','FRIDAY','SATURDAY')),
  start_time TEXT NOT NULL CHECK (start_time GLOB '[0-2][0-9]:[0-5][0-9]'),
  end_time TEXT NOT NULL CHECK (end_time GLOB '[0-2][0-9]:[0-5][0-9]'),
  CHECK (start_time < end_time)
);
CREATE INDEX availability_rules_teacher ON availability_rules(teacher_id);

CREATE TABLE time_off (
  id TEXT PRIMARY KEY,
  teacher_id TEXT NOT NULL REFERENCES teachers(id) ON DELETE CASCADE,
  start_utc TEXT NOT NULL,
  end_utc TEXT NOT NULL,
  reason TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CHECK (start_utc < end_utc)
);
CREATE INDEX time_off_teacher ON time_off(teacher_id, end_utc);

-- A tier belongs to one teacher, or to every teacher when teacher_id is NULL.
-- The recurring/floating split is stored as whole numbers, never derived at run time.
CREATE TABLE package_tiers (
  id TEXT PRIMARY KEY,
  teacher_id TEXT REFERENCES teachers(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  session_count INTEGER NOT NULL CHECK (session_count BETWEEN 1 AND 100),
  recurring_count INTEGER NOT NULL CHECK (recurring_count >= 1),
  floating_count INTEGER NOT NULL CHECK (floating_count >= 0),
  discount_percent INTEGER NOT NULL DEFAULT 0 CHECK (discount_percent BETWEEN 0 AND 90),
  grace_period_days INTEGER NOT NULL DEFAULT 14 CHECK (grace_period_days >= 0),
  reschedule_limit INTEGER NOT NULL DEFAULT 2 CHECK (reschedule_limit >= 0),
  session_minutes INTEGER NOT NULL DEFAULT 60 CHECK (session_minutes BETWEEN 15 AND 240),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  CHECK (recurring_count + floating_count = session_count)
);

CREATE TABLE students (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT,
  phone TEXT,
  timezone TEXT,
  locale TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE student_packages (
  id TEXT PRIMARY KEY,
  student_id TEXT NOT NULL REFERENCES students(id),
  teacher_id TEXT NOT NULL REFERENCES teachers(id),
  subject_id TEXT NOT NULL REFERENCES subjects(id),
  tier_id TEXT NOT NULL REFERENCES package_tiers(id),
  is_smart_pack INTEGER NOT NULL DEFAULT 1,
  -- JSON array of {weekday, time}; NULL for packages bought before multi-slot.
  recurring_patterns TEXT CHECK (recurring_patterns IS NULL OR json_valid(recurring_patterns)),
  -- Deprecated single-pattern fields, still read for legacy packages.
  recurring_weekday TEXT,
  recurring_time TEXT,
  session_count INTEGER NOT NULL,
  recurring_session_count INTEGER NOT NULL,
  floating_session_count INTEGER NOT NULL CHECK (floating_session_count >= 0),
  floating_sessions_used INTEGER NOT NULL DEFAULT 0,
  reschedule_limit INTEGER NOT NULL,
  session_minutes INTEGER NOT NULL,
  first_scheduled_session TEXT,
  last_scheduled_session TEXT,
  grace_period_ends TEXT,
  price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
  currency TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'cancelled')),
  idempotency_key TEXT NOT NULL UNIQUE,
  request_hash TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CHECK (floating_sessions_used BETWEEN 0 AND floating_session_count),
  CHECK (recurring_patterns IS NOT NULL OR (recurring_weekday IS NOT NULL AND recurring_time IS NOT NULL))
);
CREATE INDEX student_packages_student ON student_packages(student_id);

CREATE TABLE bookings (
  id TEXT PRIMARY KEY,
  package_id TEXT REFERENCES student_packages(id),
  teacher_id TEXT NOT NULL REFERENCES teachers(id),
  student_id TEXT REFERENCES students(id),
  subject_id TEXT REFERENCES subjects(id),
  -- Date and time checked by two GLOBs: D1 refuses LIKE/GLOB patterns longer than 50 bytes.
  start_utc TEXT NOT NULL CHECK (start_utc GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T*' AND substr(start_utc, 12) GLOB '[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9]Z'),
  end_utc TEXT NOT NULL CHECK (end_utc GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T*' AND substr(end_utc, 12) GLOB '[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9]Z'),
  kind TEXT NOT NULL CHECK (kind IN ('recurring', 'floating', 'single')),
  session_number INTEGER,
  status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'completed', 'cancelled')),
  reschedule_count INTEGER NOT NULL DEFAULT 0 CHECK (reschedule_count >= 0),
  -- This session's share of the package price; the shares of a package add up to its price.
  escrow_minor INTEGER NOT NULL DEFAULT 0 CHECK (escrow_minor >= 0),
  -- Set when something (e.g. new time off) makes the session need the parent's attention.
  flagged_reason TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CHECK (start_utc < end_utc),
  CHECK ((package_id IS NULL) = (kind = 'single')),
  UNIQUE (package_id, session_number)
);
CREATE INDEX bookings_teacher_time ON bookings(teacher_id, start_utc, end_utc);
CREATE INDEX bookings_package ON bookings(package_id);
-- The database itself refuses a second active booking of a teacher at the same start...
CREATE UNIQUE INDEX bookings_teacher_start_active ON bookings(teacher_id, start_utc)
  WHERE status IN ('scheduled', 'completed');

-- ...and any overlap at all, since sessions can differ in length. ABORT fails the statement, and
-- the caller's transaction (or D1 batch) rolls back as a whole.
CREATE TRIGGER bookings_no_overlap_insert
BEFORE INSERT ON bookings
WHEN NEW.status IN ('scheduled', 'completed')
BEGIN
  SELECT RAISE(ABORT, 'booking_overlap')
  WHERE EXISTS (
    SELECT 1 FROM bookings b
    WHERE b.teacher_id = NEW.teacher_id
      AND b.status IN ('scheduled', 'completed')
      AND b.start_utc < NEW.end_utc
      AND b.end_utc > NEW.start_utc
  );
END;

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
      AND b.start_utc < NEW.end_utc
      AND b.end_utc > NEW.start_utc
  );
END;

CREATE TABLE escrow_ledger (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  package_id TEXT NOT NULL REFERENCES student_packages(id),
  booking_id TEXT REFERENCES bookings(id),
  entry_type TEXT NOT NULL CHECK (entry_type IN ('hold', 'release', 'refund')),
  amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
  currency TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX escrow_ledger_package ON escrow_ledger(package_id);
-- A session's share is released or refunded at most once.
CREATE UNIQUE INDEX escrow_ledger_once ON escrow_ledger(booking_id) WHERE booking_id IS NOT NULL;

-- Transactional outbox: rows are written in the same atomic write as the change they announce
-- and delivered later, at least once, by the delivery worker.
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_type TEXT NOT NULL,
  package_id TEXT,
  booking_id TEXT,
  payload TEXT NOT NULL CHECK (json_valid(payload)),
  -- Makes an event idempotent where it could be raised twice (e.g. "expires soon").
  dedupe_key TEXT UNIQUE,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  delivered_at TEXT,
  last_error TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX notifications_pending ON notifications(next_attempt_at) WHERE delivered_at IS NULL;

-- A purchase writes its escrow hold and its outbox row in the same statement set as the package,
-- so no code path can create a package without them.
CREATE TRIGGER student_packages_purchased
AFTER INSERT ON student_packages
BEGIN
  -- Stamped with the package's own created_at (the app's clock), not the database's.
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

-- Cache invalidation: every change to what a teacher's grid depends on bumps schedule_version.
CREATE TRIGGER bookings_version_insert AFTER INSERT ON bookings
BEGIN UPDATE teachers SET schedule_version = schedule_version + 1 WHERE id = NEW.teacher_id; END;
CREATE TRIGGER bookings_version_update AFTER UPDATE OF start_utc, end_utc, status, teacher_id ON bookings
BEGIN UPDATE teachers SET schedule_version = schedule_version + 1 WHERE id IN (NEW.teacher_id, OLD.teacher_id); END;
CREATE TRIGGER bookings_version_delete AFTER DELETE ON bookings
BEGIN UPDATE teachers SET schedule_version = schedule_version + 1 WHERE id = OLD.teacher_id; END;
CREATE TRIGGER time_off_version_insert AFTER INSERT ON time_off
BEGIN UPDATE teachers SET schedule_version = schedule_version + 1 WHERE id = NEW.teacher_id; END;
CREATE TRIGGER time_off_version_update AFTER UPDATE ON time_off
BEGIN UPDATE teachers SET schedule_version = schedule_version + 1 WHERE id IN (NEW.teacher_id, OLD.teacher_id); END;
CREATE TRIGGER time_off_version_delete AFTER DELETE ON time_off
BEGIN UPDATE teachers SET schedule_version = schedule_version + 1 WHERE id = OLD.teacher_id; END;
CREATE TRIGGER rules_version_insert AFTER INSERT ON availability_rules
BEGIN UPDATE teachers SET schedule_version = schedule_version + 1 WHERE id = NEW.teacher_id; END;
CREATE TRIGGER rules_version_update AFTER UPDATE ON availability_rules
BEGIN UPDATE teachers SET schedule_version = schedule_version + 1 WHERE id IN (NEW.teacher_id, OLD.teacher_id); END;
CREATE TRIGGER rules_version_delete AFTER DELETE ON availability_rules
BEGIN UPDATE teachers SET schedule_version = schedule_version + 1 WHERE id = OLD.teacher_id; END;
-- The rate and currency too: purchases price from the cached row.
CREATE TRIGGER teachers_version_update AFTER UPDATE OF timezone, min_notice_minutes, horizon_days, hourly_rate_minor, currency ON teachers
BEGIN UPDATE teachers SET schedule_version = schedule_version + 1 WHERE id = NEW.id; END;
