import { sql, type Kysely } from 'kysely';
import type { TokenStudent } from '../../contract/wire.js';
import type { Batch } from '../store.js';
import type { Database } from '../schema.js';

/** The HMAC key of a tenant's tokens; undefined for an unknown tenant. */
export async function signingSecret(db: Kysely<Database>, tenantId: string): Promise<string | undefined> {
  const row = await db.selectFrom('tenants').select('signing_secret').where('id', '=', tenantId).executeTakeFirst();
  return row?.signing_secret;
}

export interface FamilyInput {
  tenantId: string;
  /** Used only when the guardian is new; an existing one keeps its id. */
  guardianId: string;
  guardian: { externalId: string; name: string; email: string | null; phone: string | null };
  /** `id` is used only for a new student; a null `nameAr` keeps the Arabic name on file. */
  students: Array<{ id: string; externalId: string; name: string; nameAr: string | null }>;
  now: string;
}

export interface FamilyWritten {
  guardianId: string;
  students: TokenStudent[];
}

/**
 * The family as one batch of two upserts by the school's ids, each RETURNing the row as it now is. A
 * student the school already gave to another guardian makes the `students_guardian_update` trigger
 * abort the batch (`guardian_mismatch`), so nothing is written. Students travel as one JSON parameter
 * (D1 allows at most 100 bound parameters per statement).
 */
export function upsertFamilyBatch(db: Kysely<Database>, input: FamilyInput): Batch<FamilyWritten> {
  const guardian = db
    .insertInto('guardians')
    .values({
      id: input.guardianId,
      tenant_id: input.tenantId,
      external_id: input.guardian.externalId,
      name: input.guardian.name,
      email: input.guardian.email,
      phone: input.guardian.phone,
      created_at: input.now,
    })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'external_id']).doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        email: eb.ref('excluded.email'),
        phone: eb.ref('excluded.phone'),
      })),
    )
    .returning('id');
  // `WHERE true` tells SQLite's parser that ON CONFLICT belongs to the INSERT, not to a join.
  const students = sql`
    INSERT INTO students (id, tenant_id, external_id, name, name_ar, guardian_id, created_at)
    SELECT json_extract(s.value, '$.id'), ${input.tenantId}, json_extract(s.value, '$.externalId'),
           json_extract(s.value, '$.name'), json_extract(s.value, '$.nameAr'),
           (SELECT id FROM guardians WHERE tenant_id = ${input.tenantId} AND external_id = ${input.guardian.externalId}),
           ${input.now}
      FROM json_each(${JSON.stringify(input.students)}) AS s
     WHERE true
    ON CONFLICT (tenant_id, external_id) WHERE external_id IS NOT NULL
    DO UPDATE SET name = excluded.name, name_ar = coalesce(excluded.name_ar, students.name_ar),
                  guardian_id = excluded.guardian_id
    RETURNING id, external_id AS externalId, name, name_ar AS nameAr
  `;
  return {
    statements: [guardian, { compile: () => students.compile(db) }],
    read: ([g, s]) => {
      const byExternal = new Map((s!.rows as unknown as TokenStudent[]).map((row) => [row.externalId, row]));
      return {
        guardianId: String(g!.rows[0]!.id),
        // In the order the school gave them (RETURNING has no defined order).
        students: input.students.map((student) => byExternal.get(student.externalId)!),
      };
    },
  };
}

/** The names of a guardian's students among `ids` (for `GET /auth/me`), in the order of `ids`. */
export async function guardianStudents(
  db: Kysely<Database>,
  tenantId: string,
  guardianId: string,
  ids: readonly string[],
): Promise<Array<{ id: string; name: string; nameAr: string | null }>> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('students')
    .select(['id', 'name', 'name_ar as nameAr'])
    .where('tenant_id', '=', tenantId)
    .where('guardian_id', '=', guardianId)
    .where('id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * Bumps a package's feed version (rotating its calendar URL) in one statement guarded on the owner
 * the caller's token proved (tenant, and guardian for a parent token); RETURNs the new version, or
 * nothing when the guard refused (someone else's package, or none).
 */
export async function rotateFeed(
  db: Kysely<Database>,
  packageId: string,
  owner: { tenantId: string; guardianId: string | null },
): Promise<{ version: number; gracePeriodEnds: string | null } | undefined> {
  let update = db
    .updateTable('student_packages')
    .set((eb) => ({ feed_token_version: eb('feed_token_version', '+', 1) }))
    .where('id', '=', packageId)
    .where('tenant_id', '=', owner.tenantId);
  if (owner.guardianId !== null) update = update.where('guardian_id', '=', owner.guardianId);
  return update.returning(['feed_token_version as version', 'grace_period_ends as gracePeriodEnds']).executeTakeFirst();
}
