-- External calendars (issue 12): ICS feeds of a teacher's other platforms, whose busy times block the
-- teacher's grid. Plain SQLite SQL for both the Node migrator and `wrangler d1 migrations apply` (no
-- PRAGMA, no explicit transaction).
--
-- A feed's busy intervals are stored as time off rows carrying the feed's id, so the grid, the check,
-- the time-off triggers of 0002 (a package session is refused inside them) and the schedule_version
-- triggers of 0001 treat them exactly like time off, with no second code path. Deleting a feed
-- deletes its rows (ON DELETE CASCADE), which bumps the version like any time off deleted.

CREATE TABLE teacher_calendars (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  teacher_id TEXT NOT NULL REFERENCES teachers(id) ON DELETE CASCADE,
  -- The feed URL as given (it often carries a secret of its own: the wire only ever shows it with the
  -- query hidden).
  url TEXT NOT NULL CHECK (url GLOB 'http://*' OR url GLOB 'https://*'),
  name TEXT,
  -- The last good copy's validators, sent back as If-None-Match / If-Modified-Since.
  etag TEXT,
  last_modified TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ok', 'failing')),
  last_synced_at TEXT,
  last_error TEXT,
  busy_count INTEGER NOT NULL DEFAULT 0 CHECK (busy_count >= 0),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX teacher_calendars_teacher ON teacher_calendars(teacher_id);
-- The sweep picks the calendars synced longest ago first.
CREATE INDEX teacher_calendars_due ON teacher_calendars(last_synced_at);
-- One feed once per teacher: a second add of the same URL is a 409, not a second copy of every event.
CREATE UNIQUE INDEX teacher_calendars_url ON teacher_calendars(teacher_id, url);

-- As every owned row of 0003: a known tenant's, the teacher's own tenant's, for good.
CREATE TRIGGER teacher_calendars_tenant_insert BEFORE INSERT ON teacher_calendars
WHEN NOT EXISTS (SELECT 1 FROM tenants WHERE id = NEW.tenant_id)
  OR EXISTS (SELECT 1 FROM teachers WHERE id = NEW.teacher_id AND tenant_id IS NOT NEW.tenant_id)
BEGIN SELECT RAISE(ABORT, 'tenant_mismatch: calendar and teacher belong to different tenants'); END;
CREATE TRIGGER teacher_calendars_tenant_fixed BEFORE UPDATE OF tenant_id, teacher_id ON teacher_calendars
WHEN NEW.tenant_id IS NOT OLD.tenant_id OR NEW.teacher_id IS NOT OLD.teacher_id
BEGIN SELECT RAISE(ABORT, 'tenant_mismatch: a row keeps its tenant'); END;

-- NULL: time off the school or teacher entered; set: a busy interval of that feed's last good copy.
ALTER TABLE time_off ADD COLUMN calendar_id TEXT REFERENCES teacher_calendars(id) ON DELETE CASCADE;
CREATE INDEX time_off_calendar ON time_off(calendar_id) WHERE calendar_id IS NOT NULL;

-- A feed's rows are its own teacher's.
CREATE TRIGGER time_off_calendar_teacher BEFORE INSERT ON time_off
WHEN NEW.calendar_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM teacher_calendars WHERE id = NEW.calendar_id AND teacher_id = NEW.teacher_id)
BEGIN SELECT RAISE(ABORT, 'tenant_mismatch: a calendar''s busy time is its own teacher''s'); END;
