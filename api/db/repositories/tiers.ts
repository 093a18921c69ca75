import type { Kysely } from 'kysely';
import type { AdminTier } from '../../contract/wire.js';
import type { Database } from '../schema.js';

/** The tier's terms as a JSON object, for reads that fold a tier into a larger statement. */
export const TIER_JSON = `json_object('id', id, 'name', name, 'nameAr', name_ar, 'sessionCount', session_count,
  'recurringCount', recurring_count, 'floatingCount', floating_count, 'discountPercent', discount_percent,
  'gracePeriodDays', grace_period_days, 'rescheduleLimit', reschedule_limit, 'sessionMinutes', session_minutes)`;

const columns = [
  'id',
  'teacher_id as teacherId',
  'name',
  'name_ar as nameAr',
  'session_count as sessionCount',
  'recurring_count as recurringCount',
  'floating_count as floatingCount',
  'discount_percent as discountPercent',
  'grace_period_days as gracePeriodDays',
  'reschedule_limit as rescheduleLimit',
  'session_minutes as sessionMinutes',
  'active',
] as const;

function tiersQuery(db: Kysely<Database>) {
  return db.selectFrom('package_tiers').select(columns);
}

function toTier(row: Omit<AdminTier, 'active'> & { active: number }): AdminTier {
  return { ...row, active: row.active === 1 };
}

/** Active tiers a teacher sells: the teacher's own plus the tenant-wide ones. */
export async function listTiersForTeacher(
  db: Kysely<Database>,
  tenantId: string,
  teacherId: string,
): Promise<AdminTier[]> {
  const rows = await tiersQuery(db)
    .where('tenant_id', '=', tenantId)
    .where('active', '=', 1)
    .where((eb) => eb.or([eb('teacher_id', 'is', null), eb('teacher_id', '=', teacherId)]))
    .orderBy('session_count')
    .execute();
  return rows.map(toTier);
}

/** A tier the teacher sells, or undefined (unknown, inactive, or another teacher's). */
export async function findTierForTeacher(
  db: Kysely<Database>,
  tenantId: string,
  teacherId: string,
  tierId: string,
): Promise<AdminTier | undefined> {
  const row = await tiersQuery(db)
    .where('id', '=', tierId)
    .where('tenant_id', '=', tenantId)
    .where('active', '=', 1)
    .where((eb) => eb.or([eb('teacher_id', 'is', null), eb('teacher_id', '=', teacherId)]))
    .executeTakeFirst();
  return row && toTier(row);
}

export async function listAllTiers(db: Kysely<Database>, tenantId: string): Promise<AdminTier[]> {
  return (await tiersQuery(db).where('tenant_id', '=', tenantId).orderBy('session_count').execute()).map(toTier);
}

function tierValues(tier: AdminTier) {
  return {
    teacher_id: tier.teacherId,
    name: tier.name,
    name_ar: tier.nameAr,
    session_count: tier.sessionCount,
    recurring_count: tier.recurringCount,
    floating_count: tier.floatingCount,
    discount_percent: tier.discountPercent,
    grace_period_days: tier.gracePeriodDays,
    reschedule_limit: tier.rescheduleLimit,
    session_minutes: tier.sessionMinutes,
    active: tier.active ? 1 : 0,
  };
}

/** The package_tiers_tenant_insert trigger refuses a teacher of another tenant. */
export async function insertTier(db: Kysely<Database>, tenantId: string, tier: AdminTier): Promise<AdminTier> {
  const row = await db
    .insertInto('package_tiers')
    .values({ tenant_id: tenantId, id: tier.id, ...tierValues(tier) })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toTier(row);
}

/** The tier as changed, or undefined when the tenant has no such tier. */
export async function updateTier(
  db: Kysely<Database>,
  tenantId: string,
  tier: AdminTier,
): Promise<AdminTier | undefined> {
  const row = await db
    .updateTable('package_tiers')
    .set(tierValues(tier))
    .where('id', '=', tier.id)
    .where('tenant_id', '=', tenantId)
    .returning(columns)
    .executeTakeFirst();
  return row && toTier(row);
}
