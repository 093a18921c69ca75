import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * Counts `hits` requests (one, or a process's block of them) in `bucket`'s window and RETURNs the window's
 * count so far, these included. One statement, so two processes (or isolates) counting at once each get
 * their own numbers: SQLite serialises the writes, and D1 runs each statement atomically.
 */
export function countHit(db: Kysely<Database>, bucket: string, windowStart: number, expiresAt: number, hits = 1) {
  return db
    .insertInto('rate_limits')
    .values({ bucket, window_start: windowStart, expires_at: expiresAt, count: hits })
    .onConflict((conflict) =>
      conflict
        .columns(['bucket', 'window_start'])
        .doUpdateSet({ count: sql`${sql.ref('rate_limits.count')} + ${hits}` }),
    )
    .returning('count');
}

/** Drops windows that have ended (`now` in Unix seconds): they only ever answered requests in the past. */
export function sweepEnded(db: Kysely<Database>, now: number) {
  return db.deleteFrom('rate_limits').where('expires_at', '<=', now);
}

/** A tenant's abuse-limit overrides (null: the deployment's default); undefined for an unknown tenant. */
export function findTenantLimits(db: Kysely<Database>, tenantId: string) {
  return db
    .selectFrom('tenants')
    .select(['writes_per_minute_per_ip', 'purchases_per_hour_per_parent', 'max_open_purchases'])
    .where('id', '=', tenantId)
    .executeTakeFirst();
}
