-- Abuse limits: fixed-window counters every server process and the Worker see, because they live in
-- the one database (two Node processes on one file, every isolate on one D1). One upsert per request
-- counts and reads a window atomically (api/db/repositories/rate-limits.ts). Plain SQLite SQL for both
-- the Node migrator and `wrangler d1 migrations apply`.

CREATE TABLE rate_limits (
  -- What is counted and for whom: `ip:<address>:writes`, `parent:<guardianId>:purchases`, ...
  bucket TEXT NOT NULL,
  -- The window's first second (Unix seconds of the app clock), a multiple of its length.
  window_start INTEGER NOT NULL,
  -- The second after the window: rows with expires_at at or before now are only history, swept away.
  expires_at INTEGER NOT NULL CHECK (expires_at > window_start),
  count INTEGER NOT NULL CHECK (count >= 1),
  PRIMARY KEY (bucket, window_start)
) WITHOUT ROWID;

CREATE INDEX rate_limits_expires ON rate_limits (expires_at);

-- Per-tenant overrides of the deployment's defaults; NULL: the default (api/services/rate-limit.ts).
ALTER TABLE tenants ADD COLUMN writes_per_minute_per_ip INTEGER
  CHECK (writes_per_minute_per_ip IS NULL OR writes_per_minute_per_ip >= 1);
ALTER TABLE tenants ADD COLUMN purchases_per_hour_per_parent INTEGER
  CHECK (purchases_per_hour_per_parent IS NULL OR purchases_per_hour_per_parent >= 1);
ALTER TABLE tenants ADD COLUMN max_open_purchases INTEGER
  CHECK (max_open_purchases IS NULL OR max_open_purchases >= 1);
