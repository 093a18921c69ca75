-- Parents: a guardian (the parent a school vouches for) owns the packages bought with their token.
-- Plain SQLite SQL for both the Node migrator and `wrangler d1 migrations apply` (no PRAGMA, no
-- explicit transaction).
--
-- A school names its families by its own ids (`external_id`); `POST /auth/parent-tokens` upserts
-- them by that id within the tenant. Rows created before parents existed keep `guardian_id` NULL: a
-- legacy package belongs to no family, so no parent token reaches it.

CREATE TABLE guardians (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  external_id TEXT NOT NULL,
  name TEXT NOT NULL,
  email TEXT,
  phone TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (tenant_id, external_id)
);

ALTER TABLE students ADD COLUMN external_id TEXT;
ALTER TABLE students ADD COLUMN guardian_id TEXT REFERENCES guardians(id);
-- The school's id of a student is unique within the school; students made by /admin have none.
CREATE UNIQUE INDEX students_external ON students(tenant_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX students_guardian ON students(guardian_id) WHERE guardian_id IS NOT NULL;

ALTER TABLE student_packages ADD COLUMN guardian_id TEXT REFERENCES guardians(id);
-- The `ver` claim of the package's calendar feed token: rotating the feed bumps it, and every feed
-- URL signed with an older version stops working.
ALTER TABLE student_packages ADD COLUMN feed_token_version INTEGER NOT NULL DEFAULT 0 CHECK (feed_token_version >= 0);
CREATE INDEX student_packages_guardian ON student_packages(guardian_id) WHERE guardian_id IS NOT NULL;

-- A guardian is a known tenant's, for good.
CREATE TRIGGER guardians_tenant_known BEFORE INSERT ON guardians
WHEN NOT EXISTS (SELECT 1 FROM tenants WHERE id = NEW.tenant_id)
BEGIN SELECT RAISE(ABORT, 'tenant_mismatch: unknown tenant'); END;
CREATE TRIGGER guardians_tenant_fixed BEFORE UPDATE OF tenant_id ON guardians
WHEN NEW.tenant_id IS NOT OLD.tenant_id
BEGIN SELECT RAISE(ABORT, 'tenant_mismatch: a row keeps its tenant'); END;

-- A student's guardian is of the student's school; once a student has a guardian it keeps them (a
-- token for another family of the school must not take a child over, and packages follow the child).
CREATE TRIGGER students_guardian_insert BEFORE INSERT ON students
WHEN NEW.guardian_id IS NOT NULL
  AND EXISTS (SELECT 1 FROM guardians WHERE id = NEW.guardian_id AND tenant_id IS NOT NEW.tenant_id)
BEGIN SELECT RAISE(ABORT, 'tenant_mismatch: student and guardian belong to different tenants'); END;
CREATE TRIGGER students_guardian_update BEFORE UPDATE OF guardian_id ON students
BEGIN
  SELECT RAISE(ABORT, 'guardian_mismatch: the student belongs to another guardian')
   WHERE OLD.guardian_id IS NOT NULL AND NEW.guardian_id IS NOT OLD.guardian_id;
  SELECT RAISE(ABORT, 'tenant_mismatch: student and guardian belong to different tenants')
   WHERE NEW.guardian_id IS NOT NULL
     AND EXISTS (SELECT 1 FROM guardians WHERE id = NEW.guardian_id AND tenant_id IS NOT NEW.tenant_id);
END;

-- A package bought by a guardian is of the guardian's school and for one of the guardian's children;
-- its owner never changes.
CREATE TRIGGER student_packages_guardian_insert BEFORE INSERT ON student_packages
WHEN NEW.guardian_id IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'tenant_mismatch: package and guardian belong to different tenants')
   WHERE EXISTS (SELECT 1 FROM guardians WHERE id = NEW.guardian_id AND tenant_id IS NOT NEW.tenant_id);
  SELECT RAISE(ABORT, 'guardian_mismatch: the student is not this guardian''s')
   WHERE EXISTS (SELECT 1 FROM students WHERE id = NEW.student_id AND guardian_id IS NOT NEW.guardian_id);
END;
CREATE TRIGGER student_packages_guardian_fixed BEFORE UPDATE OF guardian_id ON student_packages
WHEN NEW.guardian_id IS NOT OLD.guardian_id
BEGIN SELECT RAISE(ABORT, 'guardian_mismatch: a package keeps its guardian'); END;
