-- Session reminders (`session.reminder`, docs/lifecycle.md "Reminders"): the outbox sweep writes one
-- row per (session, start instant, offset) when it comes due. Plain SQLite SQL for both the Node
-- migrator and `wrangler d1 migrations apply`: no PRAGMA, no explicit transaction.

-- The tenant's offsets in minutes before a session's start, as a JSON array (at most four, each
-- 5 to 10080, i.e. up to a week); NULL: the default, 24 h and 1 h before ([1440, 60]).
ALTER TABLE tenants ADD COLUMN reminder_offsets_minutes TEXT
  CHECK (reminder_offsets_minutes IS NULL
         OR (json_valid(reminder_offsets_minutes) AND json_type(reminder_offsets_minutes) = 'array'
             AND json_array_length(reminder_offsets_minutes) <= 4));

-- A CHECK cannot look inside the array; these refuse an offset out of range, not a whole number, or twice.
CREATE TRIGGER tenants_reminder_offsets_insert
BEFORE INSERT ON tenants
WHEN NEW.reminder_offsets_minutes IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'reminder_offsets: each offset is a whole number of minutes from 5 to 10080, once')
  WHERE EXISTS (SELECT 1 FROM json_each(NEW.reminder_offsets_minutes)
                 WHERE type <> 'integer' OR value < 5 OR value > 10080)
     OR (SELECT count(DISTINCT value) FROM json_each(NEW.reminder_offsets_minutes))
        <> json_array_length(NEW.reminder_offsets_minutes);
END;
CREATE TRIGGER tenants_reminder_offsets_update
BEFORE UPDATE OF reminder_offsets_minutes ON tenants
WHEN NEW.reminder_offsets_minutes IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'reminder_offsets: each offset is a whole number of minutes from 5 to 10080, once')
  WHERE EXISTS (SELECT 1 FROM json_each(NEW.reminder_offsets_minutes)
                 WHERE type <> 'integer' OR value < 5 OR value > 10080)
     OR (SELECT count(DISTINCT value) FROM json_each(NEW.reminder_offsets_minutes))
        <> json_array_length(NEW.reminder_offsets_minutes);
END;

-- A row that must not be delivered any more (a reminder whose session was cancelled, moved or flagged
-- before it went out): kept for the record, never claimed by the delivery sweep.
ALTER TABLE notifications ADD COLUMN withdrawn_at TEXT;

-- The reminder sweep looks for scheduled sessions starting within the largest offset.
CREATE INDEX bookings_scheduled_start ON bookings(start_utc) WHERE status = 'scheduled';

-- Whatever write moves, ends or flags a session (reschedule, float, cancellation, completion, time
-- off), its reminders still waiting for delivery are withdrawn in that same write: no code path can
-- leave a reminder of a time that no longer holds. The new time's reminders are the sweep's to write.
CREATE TRIGGER bookings_reminders_withdrawn
AFTER UPDATE OF start_utc, status, flagged_reason ON bookings
WHEN OLD.start_utc IS NOT NEW.start_utc OR NEW.status <> 'scheduled' OR NEW.flagged_reason IS NOT NULL
BEGIN
  UPDATE notifications
     SET withdrawn_at = coalesce(NEW.updated_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
   WHERE booking_id = NEW.id AND event_type = 'session.reminder'
     AND delivered_at IS NULL AND withdrawn_at IS NULL;
END;
