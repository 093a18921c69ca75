-- Attendance: how a session that started ended, as the teacher (POST /teacher/sessions/:id/attendance)
-- or the school (POST /admin/packages/:id/sessions/:sessionId/complete) records it (issue 12). Plain
-- SQLite SQL for both the Node migrator and `wrangler d1 migrations apply`: no PRAGMA, no explicit
-- transaction.
--
-- The session's status keeps its three values (a status CHECK cannot change without rebuilding the
-- table and its triggers): `completed` and `student_no_show` leave it `completed` (the share is
-- released, the slot stays taken), `teacher_no_show` leaves it `cancelled` (cancel_reason
-- 'teacher_no_show', the session returns to the package as a floating credit).
ALTER TABLE bookings ADD COLUMN attendance TEXT
  CHECK (attendance IS NULL OR attendance IN ('completed', 'student_no_show', 'teacher_no_show'));

-- Sessions completed before attendance existed were taught.
UPDATE bookings SET attendance = 'completed' WHERE status = 'completed';

-- Once recorded, an outcome stays: a second, different one is refused whatever the code above does
-- (a replay of the same one changes nothing, since its guard needs attendance IS NULL).
CREATE TRIGGER bookings_attendance_fixed
BEFORE UPDATE OF attendance ON bookings
WHEN OLD.attendance IS NOT NULL AND NEW.attendance IS NOT OLD.attendance
BEGIN
  SELECT RAISE(ABORT, 'attendance_recorded');
END;
