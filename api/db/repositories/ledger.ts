import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/*
 * Reads of the two append-only tables the school audits: the outbox (`notifications`) and the
 * escrow ledger. Their writes happen inside the lifecycle and purchase batches.
 */

export interface NotificationRecord {
  id: number;
  eventType: string;
  packageId: string | null;
  bookingId: string | null;
  payload: unknown;
  attempts: number;
  nextAttemptAt: string;
  deliveredAt: string | null;
  lastError: string | null;
  createdAt: string;
}

export async function listNotifications(
  db: Kysely<Database>,
  filter: { packageId?: string | undefined; eventType?: string | undefined },
): Promise<NotificationRecord[]> {
  let query = db
    .selectFrom('notifications')
    .select([
      'id',
      'event_type as eventType',
      'package_id as packageId',
      'booking_id as bookingId',
      'payload',
      'attempts',
      'next_attempt_at as nextAttemptAt',
      'delivered_at as deliveredAt',
      'last_error as lastError',
      'created_at as createdAt',
    ])
    .orderBy('id');
  if (filter.packageId) query = query.where('package_id', '=', filter.packageId);
  if (filter.eventType) query = query.where('event_type', '=', filter.eventType);
  const rows = await query.execute();
  return rows.map((row) => ({ ...row, payload: JSON.parse(row.payload) as unknown }));
}

export interface EscrowEntryRecord {
  id: number;
  bookingId: string | null;
  entryType: 'hold' | 'release' | 'refund';
  amountMinor: number;
  currency: string;
  createdAt: string;
}

export async function listEscrowEntries(db: Kysely<Database>, packageId: string): Promise<EscrowEntryRecord[]> {
  return db
    .selectFrom('escrow_ledger')
    .select(['id', 'booking_id as bookingId', 'entry_type as entryType', 'amount_minor as amountMinor', 'currency', 'created_at as createdAt'])
    .where('package_id', '=', packageId)
    .orderBy('id')
    .execute();
}
