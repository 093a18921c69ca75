import { DEFAULT_SESSION_MINUTES, minuteKey, tierPrice, weeklyGrid } from '../core/index.js';
import type { WeeklyAvailabilityQuery } from '../contract/schemas.js';
import type { TiersResponse, WeeklyGrid } from '../contract/wire.js';
import type { AppDeps } from '../deps.js';
import { findTeacher } from '../db/repositories/teachers.js';
import { listTiersForTeacher } from '../db/repositories/tiers.js';
import { found, notFound, scheduleOr404 } from './lookup.js';

/** The tiers a teacher sells, each priced in the teacher's currency from their hourly rate. */
export async function tierOffers(deps: AppDeps, tenantId: string, teacherId: string): Promise<TiersResponse> {
  const teacher = found(await findTeacher(deps.store.db, tenantId, teacherId), () => notFound.teacher(teacherId));
  const tiers = await listTiersForTeacher(deps.store.db, tenantId, teacherId);
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

/**
 * The weekly grid as JSON text, memoised per schedule version: the read a booking page makes most,
 * served from the string once computed. Every instant of one minute key gets the same grid as the
 * purchase's exact check (minuteKey says why).
 */
export async function weeklyGridText(
  deps: AppDeps,
  tenantId: string,
  teacherId: string,
  query: WeeklyAvailabilityQuery,
): Promise<string> {
  const { subjectId, tierId, weeks, duration } = query;
  const now = deps.now();
  const { probe, row } = await scheduleOr404(deps, tenantId, teacherId, now, { subjectId, tierId });
  const durationMinutes = duration ?? probe.tier?.sessionMinutes ?? DEFAULT_SESSION_MINUTES;
  return deps.schedules.derive(row, `grid|${durationMinutes}|${weeks}|${minuteKey(now)}`, () => {
    const body: WeeklyGrid = {
      teacherId,
      ...weeklyGrid({ schedule: row.schedule, durationMinutes, weeks, now: now.toISOString() }),
    };
    return JSON.stringify(body);
  });
}
