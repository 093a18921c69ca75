-- Refunds: the escrow share of a package's unused floating credits once it has expired, and a
-- parent's cancellation of an active package (docs/lifecycle.md, "Refunds"). Plain SQLite SQL for
-- both the Node migrator and `wrangler d1 migrations apply`: no PRAGMA, no explicit transaction.
--
-- A refund names why it was made. A session's share (booking_id set) is refunded at most once
-- (escrow_ledger_once, 0001); the package's unassigned share, what its unused floating credits
-- hold (booking_id NULL), is refunded at most once too, whoever tries: the expiry sweep, a second
-- sweeper, or a cancellation racing either.
ALTER TABLE escrow_ledger ADD COLUMN reason TEXT
  CHECK (reason IS NULL OR (entry_type = 'refund' AND reason IN ('floating_expired', 'pack_cancelled')));

CREATE UNIQUE INDEX escrow_ledger_credits_refund_once ON escrow_ledger(package_id)
  WHERE entry_type = 'refund' AND booking_id IS NULL;

-- The expiry sweep finds the refunds it has just written by their instant (the app's clock).
CREATE INDEX escrow_ledger_credits_refunds ON escrow_ledger(created_at)
  WHERE entry_type = 'refund' AND booking_id IS NULL;

CREATE TRIGGER escrow_ledger_refund_reason
BEFORE INSERT ON escrow_ledger
WHEN NEW.entry_type = 'refund' AND NEW.reason IS NULL
BEGIN
  SELECT RAISE(ABORT, 'refund_without_reason');
END;

-- The ledger always adds up: what leaves escrow (released to the teacher, refunded to the family)
-- never exceeds what the package's hold put in, whatever the code above it does.
CREATE TRIGGER escrow_ledger_no_overdraw
BEFORE INSERT ON escrow_ledger
WHEN NEW.entry_type IN ('release', 'refund')
BEGIN
  SELECT RAISE(ABORT, 'escrow_overdrawn')
  WHERE NEW.amount_minor
        + (SELECT coalesce(sum(amount_minor), 0) FROM escrow_ledger
            WHERE package_id = NEW.package_id AND entry_type IN ('release', 'refund'))
        > (SELECT coalesce(sum(amount_minor), 0) FROM escrow_ledger
            WHERE package_id = NEW.package_id AND entry_type = 'hold');
END;

-- When the parent cancelled the package (the app's clock); NULL for every other package.
ALTER TABLE student_packages ADD COLUMN cancelled_at TEXT;
