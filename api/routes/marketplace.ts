import { Hono } from 'hono';
import { zValidator } from '@hono/zod-validator';
import { DEFAULT_SESSION_MINUTES, weeklyGrid } from '../core/index.js';
import type { WeeklyGrid } from '../contract/wire.js';
import type { AppDeps } from '../deps.js';
import { listTeachers } from '../db/repositories/teachers.js';
import { jsonText, onInvalid } from './errors.js';
import { scheduleOr404 } from '../services/lookup.js';
import { tierOffers } from '../services/marketplace.js';
import { teacherSlotRoutes } from './lifecycle.js';
import { teacherParam, teachersQuery, tiersQuery, weeklyAvailabilityQuery } from '../contract/schemas.js';

/** Public, read-only routes a booking page needs before anything is chosen. */
export function marketplaceRoutes(deps: AppDeps) {
  return new Hono()
    .get('/teachers', zValidator('query', teachersQuery, onInvalid), async (c) => {
      const { subjectId } = c.req.valid('query');
      return c.json({ teachers: await listTeachers(deps.store.db, subjectId) });
    })
    .get(
      '/teachers/:teacherId/tiers',
      zValidator('param', teacherParam, onInvalid),
      zValidator('query', tiersQuery, onInvalid),
      async (c) => c.json(await tierOffers(deps, c.req.valid('param').teacherId)),
    )
    .get(
      '/teachers/:teacherId/weekly-availability',
      zValidator('param', teacherParam, onInvalid),
      zValidator('query', weeklyAvailabilityQuery, onInvalid),
      async (c) => {
        const { teacherId } = c.req.valid('param');
        const { subjectId, tierId, weeks, duration } = c.req.valid('query');
        const now = deps.now();
        const { probe, row } = await scheduleOr404(deps, teacherId, now, { subjectId, tierId });
        const durationMinutes = duration ?? probe.tier?.sessionMinutes ?? DEFAULT_SESSION_MINUTES;
        // The grid only moves with the clock at minute granularity (notice cut-off); purchase re-checks exactly.
        const minute = Math.floor(now.getTime() / 60_000);
        const text = deps.schedules.derive(row, `grid|${durationMinutes}|${weeks}|${minute}`, () => {
          const grid = weeklyGrid({ schedule: row.schedule, durationMinutes, weeks, now: new Date(minute * 60_000).toISOString() });
          const body: WeeklyGrid = { teacherId, ...grid };
          return JSON.stringify(body);
        });
        return jsonText<WeeklyGrid>(c, text);
      },
    )
    .route('/', teacherSlotRoutes(deps));
}
