-- What a student's no-show means for the family, per school (issue 12 left it fixed): `release` (the
-- default, as before) pays the teacher's share, since the teacher kept the time; `credit` forgives it, and
-- the session returns to the package as a floating credit, nothing released (as a teacher's no-show).
-- Plain SQLite SQL for both the Node migrator and `wrangler d1 migrations apply`.
ALTER TABLE tenants ADD COLUMN student_no_show TEXT NOT NULL DEFAULT 'release'
  CHECK (student_no_show IN ('release', 'credit'));
