import type { Kysely } from 'kysely';
import type { EscrowEntry } from '../../contract/wire.js';
import type { Database } from '../schema.js';

/* The escrow ledger is append-only; its entries are written inside the purchase and lifecycle batches. */

/** Another tenant's package has no entries here, like an unknown one. */
export async function listEscrowEntries(
  db: Kysely<Database>,
  tenantId: string,
  packageId: string,
): Promise<EscrowEntry[]> {
  return db
    .selectFrom('escrow_ledger')
    .select([
      'id',
      'booking_id as bookingId',
      'entry_type as entryType',
      'reason',
      'amount_minor as amountMinor',
      'currency',
      'created_at as createdAt',
    ])
    .where('package_id', '=', packageId)
    .where('tenant_id', '=', tenantId)
    .orderBy('id')
    .execute();
}
