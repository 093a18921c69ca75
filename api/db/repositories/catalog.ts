import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

// Fixed SQL text, as the schedule probe: a conditional read pays this statement and nothing more.
const CATALOG_SQL = `SELECT n.catalog_version AS version,
    CASE WHEN ? IS NULL THEN 1 ELSE EXISTS (SELECT 1 FROM teachers t WHERE t.id = ? AND t.tenant_id = n.id) END AS teacher
  FROM tenants n WHERE n.id = ?`;

/**
 * The tenant's catalog version (0013_catalog_version.sql: triggers bump it on every change to teachers,
 * subjects, who teaches what and tiers), or undefined when the tenant has no such teacher: an answer
 * that would be a 404 has no version to validate.
 */
export async function catalogVersion(
  db: Kysely<Database>,
  tenantId: string,
  teacherId?: string,
): Promise<number | undefined> {
  const { rows } = await db.executeQuery<{ version: number; teacher: number }>(
    CompiledQuery.raw(CATALOG_SQL, [teacherId ?? null, teacherId ?? null, tenantId]),
  );
  const row = rows[0];
  return row && row.teacher === 1 ? row.version : undefined;
}
