-- A student's name in Arabic, beside the name the school gave (often Latin script from its own system),
-- for the teacher's schedule, the parent's child chooser and reminders on Arabic pages. Nullable: a school
-- that has one spelling leaves it out and every page shows `name`. Plain SQLite SQL for both the Node
-- migrator and `wrangler d1 migrations apply`: no PRAGMA, no explicit transaction.
ALTER TABLE students ADD COLUMN name_ar TEXT CHECK (name_ar IS NULL OR length(trim(name_ar)) BETWEEN 1 AND 200);
