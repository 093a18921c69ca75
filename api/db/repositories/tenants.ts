import type { Kysely } from 'kysely';
import type { KeyKind } from '../../contract/auth.js';
import type { Database } from '../schema.js';

/** The tenant a live (not revoked) key belongs to, found by the key's SHA-256. */
export async function findLiveKey(
  db: Kysely<Database>,
  keyHash: string,
): Promise<{ tenantId: string; kind: KeyKind } | undefined> {
  return db
    .selectFrom('tenant_keys')
    .select(['tenant_id as tenantId', 'kind'])
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}
