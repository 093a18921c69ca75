-- A tier's name in Arabic, for the booking widget on Arabic pages (issue 11). Nullable: a school that
-- names its packs in one language leaves it out and every page shows `name`. Plain SQLite SQL for both
-- the Node migrator and `wrangler d1 migrations apply`: no PRAGMA, no explicit transaction.
ALTER TABLE package_tiers ADD COLUMN name_ar TEXT CHECK (name_ar IS NULL OR length(trim(name_ar)) BETWEEN 1 AND 200);
