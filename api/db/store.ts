import type { Compilable, Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface BatchResult {
  /** What a SELECT read, or what a write's RETURNING clause says it changed. */
  rows: Record<string, unknown>[];
  /**
   * Rows changed by a write without RETURNING. D1 also counts rows its triggers wrote (better-sqlite3
   * does not), so this is only ever "0 or more": a guarded write says what it did with RETURNING.
   */
  changes: number;
}

/**
 * Statements for one atomic batch and how to read what they did. Each guarded statement RETURNs
 * the rows it changed (none: its guard refused), and a last SELECT can read the state the batch
 * left, so the answer, or the reason for a refusal, comes from the batch itself.
 */
export interface Batch<T> {
  statements: Compilable[];
  read(results: BatchResult[]): T;
}

export async function runBatch<T>(store: Store, batch: Batch<T>): Promise<T> {
  return batch.read(await store.batch(batch.statements));
}

/**
 * The database as the app sees it: a Kysely instance for reads and single statements, and an
 * atomic batch for multi-statement writes. The batch is the only write primitive that runs on
 * both targets: better-sqlite3 wraps it in one IMMEDIATE transaction, Cloudflare D1 in
 * `db.batch()` (D1 has no interactive transactions, so no read-then-write inside a write).
 * A statement that fails (e.g. the booking overlap trigger) rolls back the whole batch.
 */
export interface Store {
  db: Kysely<Database>;
  batch(queries: Compilable[]): Promise<BatchResult[]>;
  /**
   * One read of fixed SQL text with its parameters, prepared once and run directly: no query builder and no
   * driver queue around it. For the statement every public read runs first (the probe); others use `db`.
   */
  read<R>(sql: string, parameters: readonly unknown[]): Promise<R[]>;
  /**
   * Node only: a stamp that changes whenever anything commits to the file, on this connection
   * (`total_changes()`) or any other, in any process (`PRAGMA data_version`), in one statement that touches
   * no table. A read made at a stamp is still true while the stamp is unchanged, so it may be remembered
   * against it (the probe: api/db/repositories/schedule.ts). D1 offers no such thing: undefined there.
   */
  changeStamp?(): string;
  /** SQL statements sent so far; the benchmark reads it to show statements per request. */
  readonly statementCount: number;
}

/**
 * True when an error comes from the database refusing an overlapping or duplicate active booking,
 * or a package session inside the teacher's time off.
 */
export function isBookingConflict(error: unknown): boolean {
  const text = String((error as { message?: unknown })?.message ?? error);
  return (
    text.includes('booking_overlap') ||
    text.includes('booking_in_time_off') ||
    text.includes('bookings.teacher_id, bookings.start_utc') ||
    text.includes('bookings_teacher_start_active') ||
    text.includes('bookings_teacher_start_confirmed')
  );
}

export function isConstraintViolation(error: unknown): boolean {
  const text = String((error as { message?: unknown })?.message ?? error);
  return /constraint|SQLITE_CONSTRAINT/i.test(text);
}

/**
 * True when a 0003 trigger refused a row pointing at another tenant's (or an unknown tenant). Its text
 * starts with `tenant_mismatch` on both targets; better-sqlite3's message says nothing of a constraint.
 */
export function isTenantMismatch(error: unknown): boolean {
  return String((error as { message?: unknown })?.message ?? error).includes('tenant_mismatch');
}
