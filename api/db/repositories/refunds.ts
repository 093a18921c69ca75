import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { Batch } from '../store.js';
import { compilable, lifecycleBatch, type LifecycleWritten } from './lifecycle.js';

/*
 * Refunds as atomic batches (see 0008_refunds.sql). What a package's unused floating credits hold
 * is its unassigned escrow: the price less the shares of its live (not cancelled) sessions, less what
 * was refunded already (api/core/money.ts `unassignedEscrow` computes the same for the view; the
 * floating booking in lifecycle.ts draws from the same amount). The database keeps every refund to
 * at most once: a session's share by escrow_ledger_once, the credits' share by
 * escrow_ledger_credits_refund_once, and no refund or release past the hold (escrow_ledger_no_overdraw).
 */

/** The unassigned escrow of the package aliased `p`. */
const UNASSIGNED = sql`(p.price_minor
  - (SELECT coalesce(sum(escrow_minor), 0) FROM bookings WHERE package_id = p.id AND status <> 'cancelled')
  - (SELECT coalesce(sum(amount_minor), 0) FROM escrow_ledger WHERE package_id = p.id AND entry_type = 'refund'))`;

export interface ExpiryRefundsWritten {
  /** Packages whose credits' share was refunded by this batch. */
  refunded: { packageId: string; amountMinor: number }[];
  /** `escrow.refund_due` rows written by this batch. */
  events: number;
}

/**
 * Once per package that has expired (its grace period ended before `now`, it was not cancelled)
 * with floating credits left unused: a `refund` ledger row of what those credits hold, reason
 * `floating_expired`, and its `escrow.refund_due` outbox row. Two sweepers at once: the unique
 * index lets one ledger row in, and the event's dedupe key one event.
 */
export function expiryRefundsBatch(db: Kysely<Database>, input: { now: string }): Batch<ExpiryRefundsWritten> {
  const { now } = input;
  const ledger = sql`
    INSERT INTO escrow_ledger (package_id, booking_id, entry_type, amount_minor, currency, created_at, reason)
    SELECT q.id, NULL, 'refund', q.unassigned, q.currency, ${now}, 'floating_expired'
      FROM (SELECT p.id, p.currency, ${UNASSIGNED} AS unassigned
              FROM student_packages p
             WHERE p.status = 'active' AND p.hold_expires_at IS NULL AND p.grace_period_ends < ${now}
               AND p.floating_sessions_used < p.floating_session_count
               AND NOT EXISTS (SELECT 1 FROM escrow_ledger r
                                WHERE r.package_id = p.id AND r.entry_type = 'refund' AND r.booking_id IS NULL)) AS q
     WHERE q.unassigned > 0
    ON CONFLICT DO NOTHING
    RETURNING package_id, amount_minor`;
  // The rows this batch wrote carry its instant; a second sweep at the same instant finds the
  // same rows and is stopped by the dedupe key.
  const events = sql`
    INSERT INTO notifications (event_type, package_id, payload, dedupe_key, created_at, next_attempt_at)
    SELECT 'escrow.refund_due', p.id,
           json_object('packageId', p.id, 'studentId', p.student_id, 'teacherId', p.teacher_id,
                       'amountMinor', l.amount_minor, 'currency', l.currency, 'reason', l.reason,
                       'floatingSessionsExpired', p.floating_session_count - p.floating_sessions_used,
                       'gracePeriodEnds', p.grace_period_ends, 'ledgerEntryId', l.id),
           'escrow.refund_due:' || p.id, ${now}, ${now}
      FROM escrow_ledger l JOIN student_packages p ON p.id = l.package_id
     WHERE l.entry_type = 'refund' AND l.booking_id IS NULL AND l.created_at = ${now}
       AND l.reason = 'floating_expired'
    ON CONFLICT(dedupe_key) DO NOTHING
    RETURNING id`;
  return {
    statements: [compilable(db, ledger), compilable(db, events)],
    read: ([written, queued]) => ({
      refunded: written!.rows.map((row) => ({
        packageId: String(row.package_id),
        amountMinor: Number(row.amount_minor),
      })),
      events: queued!.rows.length,
    }),
  };
}

export interface CancelActiveInput {
  packageId: string;
  token: string;
  now: string;
  /** Sessions starting before this (now + the change notice) stay booked and are taught. */
  noticeCutoff: string;
}

export interface CancellationWritten extends LifecycleWritten {
  /** What the refunds written by this batch add up to (0 when the guard refused). */
  refundedMinor: number;
}

/**
 * A parent's cancellation of an active package, the policy of docs/lifecycle.md ("Refunds"):
 * - the package becomes `cancelled` (guarded: still active, not ended, something left to cancel,
 *   its credits' share not refunded by the expiry sweep meanwhile);
 * - every scheduled session starting at or after the notice cutoff, and every flagged one (the
 *   teacher's time off: it cannot be taught as booked) that has not started, is cancelled (its slot
 *   frees at once) and its share refunded, one ledger row per session;
 * - what the unused floating credits hold is refunded (one ledger row, no booking);
 * - sessions inside the window stay booked (their share is released when taught), completed
 *   sessions' shares stay released;
 * - one `pack.cancelled` outbox row with what was refunded.
 */
export function cancelActiveBatch(db: Kysely<Database>, input: CancelActiveInput): Batch<CancellationWritten> {
  const { packageId, token, now, noticeCutoff } = input;
  const mine = sql`EXISTS (SELECT 1 FROM student_packages WHERE id = ${packageId} AND change_token = ${token})`;
  const batch = lifecycleBatch(db, packageId, [
    compilable(
      db,
      sql`UPDATE student_packages
             SET status = 'cancelled', cancelled_at = ${now}, change_token = ${token}
           WHERE id = ${packageId} AND status = 'active' AND hold_expires_at IS NULL
             AND (grace_period_ends IS NULL OR grace_period_ends >= ${now})
             AND (floating_sessions_used < floating_session_count
                  OR EXISTS (SELECT 1 FROM bookings WHERE package_id = ${packageId} AND status = 'scheduled'))
             AND NOT EXISTS (SELECT 1 FROM escrow_ledger
                              WHERE package_id = ${packageId} AND entry_type = 'refund' AND booking_id IS NULL)
          RETURNING id`,
    ),
    compilable(
      db,
      sql`UPDATE bookings
             SET status = 'cancelled', cancelled_at = ${now}, cancel_reason = 'pack_cancelled',
                 change_token = ${token}, revision = revision + 1, updated_at = ${now}
           WHERE package_id = ${packageId} AND status = 'scheduled' AND start_utc > ${now}
             AND (start_utc >= ${noticeCutoff} OR flagged_reason IS NOT NULL)
             AND ${mine}`,
    ),
    compilable(
      db,
      sql`INSERT INTO escrow_ledger (package_id, booking_id, entry_type, amount_minor, currency, created_at, reason)
          SELECT b.package_id, b.id, 'refund', b.escrow_minor, p.currency, ${now}, 'pack_cancelled'
            FROM bookings b JOIN student_packages p ON p.id = b.package_id
           WHERE b.package_id = ${packageId} AND b.change_token = ${token} AND b.status = 'cancelled'
          RETURNING amount_minor`,
    ),
    compilable(
      db,
      sql`INSERT INTO escrow_ledger (package_id, booking_id, entry_type, amount_minor, currency, created_at, reason)
          SELECT q.id, NULL, 'refund', q.unassigned, q.currency, ${now}, 'pack_cancelled'
            FROM (SELECT p.id, p.currency, ${UNASSIGNED} AS unassigned
                    FROM student_packages p WHERE p.id = ${packageId} AND p.change_token = ${token}) AS q
           WHERE q.unassigned > 0
          RETURNING amount_minor`,
    ),
    compilable(
      db,
      sql`INSERT INTO notifications (event_type, package_id, payload, dedupe_key, created_at, next_attempt_at)
          SELECT 'pack.cancelled', p.id,
                 json_object(
                   'packageId', p.id, 'studentId', p.student_id, 'teacherId', p.teacher_id,
                   'cancelledAt', p.cancelled_at,
                   'refundedMinor', (SELECT coalesce(sum(amount_minor), 0) FROM escrow_ledger
                                      WHERE package_id = p.id AND reason = 'pack_cancelled'),
                   'currency', p.currency,
                   'sessionsRefundedMinor', (SELECT coalesce(sum(amount_minor), 0) FROM escrow_ledger
                                              WHERE package_id = p.id AND reason = 'pack_cancelled'
                                                AND booking_id IS NOT NULL),
                   'floatingRefundedMinor', (SELECT coalesce(sum(amount_minor), 0) FROM escrow_ledger
                                              WHERE package_id = p.id AND reason = 'pack_cancelled'
                                                AND booking_id IS NULL),
                   'floatingSessionsRefunded', p.floating_session_count - p.floating_sessions_used,
                   'cancelledSessionIds', json((SELECT json_group_array(id) FROM
                     (SELECT id FROM bookings WHERE package_id = p.id AND change_token = ${token}
                       ORDER BY start_utc, id))),
                   'keptSessionIds', json((SELECT json_group_array(id) FROM
                     (SELECT id FROM bookings WHERE package_id = p.id AND status = 'scheduled'
                       ORDER BY start_utc, id)))),
                 'pack.cancelled:' || p.id, ${now}, ${now}
            FROM student_packages p
           WHERE p.id = ${packageId} AND p.change_token = ${token}`,
    ),
  ]);
  return {
    statements: batch.statements,
    read: (results) => ({
      ...batch.read(results),
      refundedMinor: [results[2]!, results[3]!]
        .flatMap((result) => result.rows)
        .reduce((sum, row) => sum + Number(row.amount_minor), 0),
    }),
  };
}
