import { DEFAULT_SESSION_MINUTES, minuteKey, tierPrice, weeklyGrid } from '../core/index.js';
import type { WeeklyAvailabilityQuery } from '../contract/schemas.js';
import type { TeacherListing, TiersResponse, WeeklyGrid } from '../contract/wire.js';
import { zoneLabels } from './zone-labels.js';
import type { AppDeps } from '../deps.js';
import { catalogVersion } from '../db/repositories/catalog.js';
import { findTeacher, listTeachers } from '../db/repositories/teachers.js';
import { listTiersForTeacher } from '../db/repositories/tiers.js';
import { found, notFound, probeOr404, scheduleAt } from './lookup.js';

/**
 * What a versioned read answers with (the routes' ETag layer, api/routes/http-cache.ts): `read` runs only
 * when the client's tag does not match.
 */
export interface VersionedRead<T> {
  /** Everything the answer depends on beyond tenant, route and query; undefined when it would be a 404. */
  version: string | undefined;
  read: () => Promise<T>;
}

const catalogKey = (version: number | undefined) => (version === undefined ? undefined : `catalog|${version}`);

/** The tenant's teachers, versioned by its catalog (one indexed read validates a client's copy). */
export async function teacherListing(
  deps: AppDeps,
  tenantId: string,
  subjectId: string | undefined,
): Promise<VersionedRead<{ teachers: TeacherListing[] }>> {
  return {
    version: catalogKey(await catalogVersion(deps.store.db, tenantId)),
    read: async () => ({ teachers: await listTeachers(deps.store.db, tenantId, subjectId) }),
  };
}

/** tierOffers, versioned by the catalog, which teachers' rates and currencies and the tiers all bump. */
export async function tierListing(
  deps: AppDeps,
  tenantId: string,
  teacherId: string,
): Promise<VersionedRead<TiersResponse>> {
  return {
    version: catalogKey(await catalogVersion(deps.store.db, tenantId, teacherId)),
    read: () => tierOffers(deps, tenantId, teacherId),
  };
}

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
 * purchase's exact check (minuteKey says why). Its version is the probe's (schedule version key with the
 * earliest live hold's expiry, catalog) with the memo key, so a matching client's 304 costs the probe alone.
 *
 * A booking page's first screen asks for more in the same request: `include=tiers` adds the tiers (as
 * `GET …/tiers` answers them; the catalog version is already in the tag), `lang` the zones' names
 * (`zoneLabels`, at the window's start, which is what the widget shows them at). Both are spliced onto the
 * memoised text, so the grid is still computed once per minute key whoever asks.
 */
export async function weeklyGridText(
  deps: AppDeps,
  tenantId: string,
  teacherId: string,
  query: WeeklyAvailabilityQuery,
): Promise<VersionedRead<string>> {
  const { subjectId, tierId, weeks, duration } = query;
  const now = deps.now();
  const probe = await probeOr404(deps, tenantId, teacherId, now, { subjectId, tierId });
  const durationMinutes = duration ?? probe.tier?.sessionMinutes ?? DEFAULT_SESSION_MINUTES;
  const key = `grid|${durationMinutes}|${weeks}|${minuteKey(now)}`;
  return {
    version: `${probe.version}|${probe.catalogVersion}|${key}`,
    read: async () => {
      const row = await scheduleAt(deps, teacherId, probe, now);
      const grid = deps.schedules.derive(row, key, () => {
        const body: WeeklyGrid = {
          teacherId,
          ...weeklyGrid({ schedule: row.schedule, durationMinutes, weeks, now: now.toISOString() }),
        };
        return { text: JSON.stringify(body), timezone: body.timezone, windowStart: body.windowStart };
      });
      const extra: string[] = [];
      if (query.include === 'tiers')
        extra.push(`"tiers":${JSON.stringify(await tierOffers(deps, tenantId, teacherId))}`);
      if (query.lang) {
        const labels = zoneLabels(query.lang, [grid.timezone, query.viewerTimeZone], Date.parse(grid.windowStart));
        extra.push(`"zoneLabels":${JSON.stringify(labels)}`);
      }
      return extra.length ? `${grid.text.slice(0, -1)},${extra.join(',')}}` : grid.text;
    },
  };
}
