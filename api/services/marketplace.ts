import { tierPrice } from '../core/index.js';
import type { TiersResponse } from '../contract/wire.js';
import type { AppDeps } from '../deps.js';
import { findTeacher } from '../db/repositories/teachers.js';
import { listTiersForTeacher } from '../db/repositories/tiers.js';
import { found, notFound } from './lookup.js';

/** The tiers a teacher sells, each priced in the teacher's currency from their hourly rate. */
export async function tierOffers(deps: AppDeps, teacherId: string): Promise<TiersResponse> {
  const teacher = found(await findTeacher(deps.store.db, teacherId), () => notFound.teacher(teacherId));
  const tiers = await listTiersForTeacher(deps.store.db, teacherId);
  return {
    teacherId,
    timezone: teacher.timezone,
    currency: teacher.currency,
    tiers: tiers.map(({ active: _active, teacherId: _owner, ...tier }) => ({
      ...tier,
      ...tierPrice(teacher.hourlyRateMinor, tier.sessionMinutes, tier.sessionCount, tier.discountPercent),
      currency: teacher.currency,
    })),
  };
}
