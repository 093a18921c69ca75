import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface TierRecord {
  id: string;
  teacherId: string | null;
  name: string;
  sessionCount: number;
  recurringCount: number;
  floatingCount: number;
  discountPercent: number;
  gracePeriodDays: number;
  rescheduleLimit: number;
  sessionMinutes: number;
  active: boolean;
}

function tiersQuery(db: Kysely<Database>) {
  return db
    .selectFrom('package_tiers')
    .select([
      'id',
      'teacher_id as teacherId',
      'name',
      'session_count as sessionCount',
      'recurring_count as recurringCount',
      'floating_count as floatingCount',
      'discount_percent as discountPercent',
      'grace_period_days as gracePeriodDays',
      'reschedule_limit as rescheduleLimit',
      'session_minutes as sessionMinutes',
      'active',
    ]);
}

function toTier(row: Omit<TierRecord, 'active'> & { active: number }): TierRecord {
  return { ...row, active: row.active === 1 };
}

/** Active tiers a teacher sells: the teacher's own plus the marketplace-wide ones. */
export async function listTiersForTeacher(db: Kysely<Database>, teacherId: string): Promise<TierRecord[]> {
  const rows = await tiersQuery(db)
    .where('active', '=', 1)
    .where((eb) => eb.or([eb('teacher_id', 'is', null), eb('teacher_id', '=', teacherId)]))
    .orderBy('session_count')
    .execute();
  return rows.map(toTier);
}

/** A tier the teacher sells, or undefined (unknown, inactive, or another teacher's). */
export async function findTierForTeacher(
  db: Kysely<Database>,
  teacherId: string,
  tierId: string,
): Promise<TierRecord | undefined> {
  const row = await tiersQuery(db)
    .where('id', '=', tierId)
    .where('active', '=', 1)
    .where((eb) => eb.or([eb('teacher_id', 'is', null), eb('teacher_id', '=', teacherId)]))
    .executeTakeFirst();
  return row && toTier(row);
}

export async function listAllTiers(db: Kysely<Database>): Promise<TierRecord[]> {
  return (await tiersQuery(db).orderBy('session_count').execute()).map(toTier);
}
