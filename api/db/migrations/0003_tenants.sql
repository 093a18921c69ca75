-- Tenants: a school or partner owns every teacher, subject, tier, student, package, booking,
-- notification and escrow row. Existing rows go to the default tenant. Plain SQLite SQL for both the
-- Node migrator and `wrangler d1 migrations apply` (no PRAGMA, no explicit transaction).
--
-- A missing referenced row is left to the foreign keys (422 unknown_reference); these triggers only
-- compare tenants of rows that exist.
--
-- SQLite cannot add a column with a REFERENCES clause and a non-NULL default while foreign keys are
-- on (D1 always has them on), so `tenant_id` columns carry no foreign key: the triggers below refuse
-- an unknown tenant and, above all, a row whose tenant differs from the rows it points at. The
-- database, not the app, keeps one tenant's rows from referring to another's.

CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  -- JSON array of origins allowed to call the public API from a browser; NULL: any origin.
  allowed_origins TEXT CHECK (allowed_origins IS NULL OR json_valid(allowed_origins)),
  -- Where this tenant's outbox is delivered, signed with webhook_secret (the server must sign with
  -- it, so it is stored as is; it grants nothing on this API).
  webhook_url TEXT,
  webhook_secret TEXT,
  -- How long a purchase holds its slots while the partner collects the payment.
  hold_minutes INTEGER NOT NULL DEFAULT 15 CHECK (hold_minutes BETWEEN 1 AND 120),
  -- HMAC key of this tenant's parent and teacher tokens (hono/jwt, HS256). Rotating it ends every
  -- token the tenant has issued.
  signing_secret TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- The tenant every row created before tenants existed belongs to, and the one a deployment may name
-- as its default for requests without a publishable key (the demo does).
INSERT INTO tenants (id, name, signing_secret) VALUES ('tenant-default', 'Default school', lower(hex(randomblob(32))));

-- API keys, stored as SHA-256 hex of the whole key; the key itself is shown once, at creation or
-- rotation. `prefix` (the first characters, e.g. `sk_live_ab12`) identifies a key in listings.
CREATE TABLE tenant_keys (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('publishable', 'secret')),
  key_hash TEXT NOT NULL UNIQUE CHECK (length(key_hash) = 64),
  prefix TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  revoked_at TEXT
);
-- At most one live key of each kind per tenant: a rotation revokes the old key in the same batch.
CREATE UNIQUE INDEX tenant_keys_live ON tenant_keys(tenant_id, kind) WHERE revoked_at IS NULL;

ALTER TABLE teachers ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'tenant-default';
ALTER TABLE subjects ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'tenant-default';
ALTER TABLE package_tiers ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'tenant-default';
ALTER TABLE students ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'tenant-default';
ALTER TABLE student_packages ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'tenant-default';
ALTER TABLE bookings ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'tenant-default';
ALTER TABLE notifications ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'tenant-default';
ALTER TABLE escrow_ledger ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'tenant-default';

CREATE INDEX teachers_tenant ON teachers(tenant_id, name);
CREATE INDEX subjects_tenant ON subjects(tenant_id, name);
CREATE INDEX package_tiers_tenant ON package_tiers(tenant_id);
CREATE INDEX students_tenant ON students(tenant_id, name);
CREATE INDEX student_packages_tenant ON student_packages(tenant_id);
CREATE INDEX notifications_tenant_pending ON notifications(tenant_id, next_attempt_at) WHERE delivered_at IS NULL;

-- Unknown tenants are refused on the rows a tenant owns directly.
CREATE TRIGGER teachers_tenant_known BEFORE INSERT ON teachers
WHEN NOT EXISTS (SELECT 1 FROM tenants WHERE id = NEW.tenant_id)
BEGIN SELECT RAISE(ABORT, 'tenant_mismatch: unknown tenant'); END;
CREATE TRIGGER subjects_tenant_known BEFORE INSERT ON subjects
WHEN NOT EXISTS (SELECT 1 FROM tenants WHERE id = NEW.tenant_id)
BEGIN SELECT RAISE(ABORT, 'tenant_mismatch: unknown tenant'); END;
CREATE TRIGGER students_tenant_known BEFORE INSERT ON students
WHEN NOT EXISTS (SELECT 1 FROM tenants WHERE id = NEW.tenant_id)
BEGIN SELECT RAISE(ABORT, 'tenant_mismatch: unknown tenant'); END;

-- A row's tenant never changes (moving a teacher between schools would drag its bookings along).
CREATE TRIGGER teachers_tenant_fixed BEFORE UPDATE OF tenant_id ON teachers
WHEN NEW.tenant_id IS NOT OLD.tenant_id
BEGIN SELECT RAISE(ABORT, 'tenant_mismatch: a row keeps its tenant'); END;
CREATE TRIGGER subjects_tenant_fixed BEFORE UPDATE OF tenant_id ON subjects
WHEN NEW.tenant_id IS NOT OLD.tenant_id
BEGIN SELECT RAISE(ABORT, 'tenant_mismatch: a row keeps its tenant'); END;
CREATE TRIGGER students_tenant_fixed BEFORE UPDATE OF tenant_id ON students
WHEN NEW.tenant_id IS NOT OLD.tenant_id
BEGIN SELECT RAISE(ABORT, 'tenant_mismatch: a row keeps its tenant'); END;
CREATE TRIGGER student_packages_tenant_fixed BEFORE UPDATE OF tenant_id ON student_packages
WHEN NEW.tenant_id IS NOT OLD.tenant_id
BEGIN SELECT RAISE(ABORT, 'tenant_mismatch: a row keeps its tenant'); END;

-- A subject offered by a teacher is a subject of the teacher's school.
CREATE TRIGGER teacher_subjects_same_tenant BEFORE INSERT ON teacher_subjects
WHEN EXISTS (SELECT 1 FROM teachers t JOIN subjects s ON s.id = NEW.subject_id
             WHERE t.id = NEW.teacher_id AND t.tenant_id IS NOT s.tenant_id)
BEGIN SELECT RAISE(ABORT, 'tenant_mismatch: teacher and subject belong to different tenants'); END;

-- A teacher's own tier is in the teacher's school; a tier for every teacher is in a known school.
CREATE TRIGGER package_tiers_tenant_insert BEFORE INSERT ON package_tiers
WHEN NOT EXISTS (SELECT 1 FROM tenants WHERE id = NEW.tenant_id)
  OR (NEW.teacher_id IS NOT NULL AND EXISTS (SELECT 1 FROM teachers WHERE id = NEW.teacher_id AND tenant_id IS NOT NEW.tenant_id))
BEGIN SELECT RAISE(ABORT, 'tenant_mismatch: tier and teacher belong to different tenants'); END;
CREATE TRIGGER package_tiers_tenant_update BEFORE UPDATE OF tenant_id, teacher_id ON package_tiers
WHEN NEW.tenant_id IS NOT OLD.tenant_id
  OR (NEW.teacher_id IS NOT NULL AND EXISTS (SELECT 1 FROM teachers WHERE id = NEW.teacher_id AND tenant_id IS NOT NEW.tenant_id))
BEGIN SELECT RAISE(ABORT, 'tenant_mismatch: tier and teacher belong to different tenants'); END;

-- A package, and everything it points at, is one tenant's.
CREATE TRIGGER student_packages_same_tenant BEFORE INSERT ON student_packages
WHEN EXISTS (SELECT 1 FROM teachers WHERE id = NEW.teacher_id AND tenant_id IS NOT NEW.tenant_id)
  OR EXISTS (SELECT 1 FROM students WHERE id = NEW.student_id AND tenant_id IS NOT NEW.tenant_id)
  OR EXISTS (SELECT 1 FROM subjects WHERE id = NEW.subject_id AND tenant_id IS NOT NEW.tenant_id)
  OR EXISTS (SELECT 1 FROM package_tiers WHERE id = NEW.tier_id AND tenant_id IS NOT NEW.tenant_id)
BEGIN SELECT RAISE(ABORT, 'tenant_mismatch: package rows belong to different tenants'); END;

-- A booking is its teacher's tenant's, and so are its package, student and subject.
CREATE TRIGGER bookings_same_tenant_insert BEFORE INSERT ON bookings
WHEN EXISTS (SELECT 1 FROM teachers WHERE id = NEW.teacher_id AND tenant_id IS NOT NEW.tenant_id)
  OR (NEW.package_id IS NOT NULL AND EXISTS (SELECT 1 FROM student_packages WHERE id = NEW.package_id AND tenant_id IS NOT NEW.tenant_id))
  OR (NEW.student_id IS NOT NULL AND EXISTS (SELECT 1 FROM students WHERE id = NEW.student_id AND tenant_id IS NOT NEW.tenant_id))
  OR (NEW.subject_id IS NOT NULL AND EXISTS (SELECT 1 FROM subjects WHERE id = NEW.subject_id AND tenant_id IS NOT NEW.tenant_id))
BEGIN SELECT RAISE(ABORT, 'tenant_mismatch: booking rows belong to different tenants'); END;
CREATE TRIGGER bookings_same_tenant_update BEFORE UPDATE OF tenant_id, teacher_id, package_id, student_id, subject_id ON bookings
WHEN NEW.tenant_id IS NOT OLD.tenant_id
  OR EXISTS (SELECT 1 FROM teachers WHERE id = NEW.teacher_id AND tenant_id IS NOT NEW.tenant_id)
  OR (NEW.package_id IS NOT NULL AND EXISTS (SELECT 1 FROM student_packages WHERE id = NEW.package_id AND tenant_id IS NOT NEW.tenant_id))
  OR (NEW.student_id IS NOT NULL AND EXISTS (SELECT 1 FROM students WHERE id = NEW.student_id AND tenant_id IS NOT NEW.tenant_id))
  OR (NEW.subject_id IS NOT NULL AND EXISTS (SELECT 1 FROM subjects WHERE id = NEW.subject_id AND tenant_id IS NOT NEW.tenant_id))
BEGIN SELECT RAISE(ABORT, 'tenant_mismatch: booking rows belong to different tenants'); END;

-- Ledger entries and outbox rows take their tenant from what they are about, whatever statement
-- wrote them (the purchase trigger, a lifecycle batch, the expiry sweep): no writer can forget it.
CREATE TRIGGER escrow_ledger_tenant AFTER INSERT ON escrow_ledger
BEGIN
  UPDATE escrow_ledger SET tenant_id = (SELECT tenant_id FROM student_packages WHERE id = NEW.package_id)
   WHERE id = NEW.id;
END;
CREATE TRIGGER notifications_tenant AFTER INSERT ON notifications
WHEN NEW.package_id IS NOT NULL OR NEW.booking_id IS NOT NULL
BEGIN
  UPDATE notifications
     SET tenant_id = coalesce(
           (SELECT tenant_id FROM student_packages WHERE id = NEW.package_id),
           (SELECT tenant_id FROM bookings WHERE id = NEW.booking_id),
           NEW.tenant_id)
   WHERE id = NEW.id;
END;
