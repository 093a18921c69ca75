import { Hono } from 'hono';
import { validator } from 'hono-openapi';
import { minuteKey, tierPrice, weeklyGrid } from '../core/index.js';
import type { TiersResponse, WeeklyGrid } from '../contract/wire.js';
import type { AppDeps } from '../deps.js';
import { findTeacher, listTeachers } from '../db/repositories/teachers.js';
import { listTiersForTeacher } from '../db/repositories/tiers.js';
import { ApiError, jsonText, onInvalid } from './errors.js';
import { operation } from './openapi.js';
import { teacherSlotRoutes } from './lifecycle.js';
import { teacherParam, tiersQuery, weeklyAvailabilityQuery } from '../contract/schemas.js';
import { z } from 'zod';
import { id } from '../contract/schemas.js';
import { teachersResponseSchema, tiersResponseSchema, weeklyGridSchema } from '../contract/responses.js';
import { SCHEDULING_ERROR_CODES } from '../contract/errors.js';

const DEFAULT_SESSION_MINUTES = 60;

export function teacherNotFound(teacherId: string): ApiError {
  return new ApiError(404, 'teacher_not_found', `No teacher with id ${teacherId}`, { teacherId });
}

/** Public, read-only routes a booking page needs before anything is chosen. */
export function marketplaceRoutes(deps: AppDeps) {
  return new Hono()
    .get(
      '/teachers',
      operation({
        operationId: 'listTeachers',
        tag: 'marketplace',
        summary: 'Teachers with their zone, currency, hourly rate and subjects',
        responses: {
          200: {
            description: 'The teachers, by name; only those teaching `subjectId` when given.',
            schema: teachersResponseSchema,
          },
        },
        errors: ['validation_error'],
      }),
      validator('query', z.strictObject({ subjectId: id.optional() }), onInvalid),
      async (c) => {
        const { subjectId } = c.req.valid('query');
        return c.json({ teachers: await listTeachers(deps.store.db, subjectId) });
      },
    )
    .get(
      '/teachers/:teacherId/tiers',
      operation({
        operationId: 'listTiers',
        tag: 'marketplace',
        summary: 'The tiers a teacher sells, priced from the hourly rate in the teacher’s currency',
        responses: {
          200: { description: 'The teacher’s active tiers with their terms and prices.', schema: tiersResponseSchema },
        },
        errors: ['validation_error', 'teacher_not_found'],
      }),
      validator('param', teacherParam, onInvalid),
      validator('query', tiersQuery, onInvalid),
      async (c) => {
        const { teacherId } = c.req.valid('param');
        const teacher = await findTeacher(deps.store.db, teacherId);
        if (!teacher) throw teacherNotFound(teacherId);
        const tiers = await listTiersForTeacher(deps.store.db, teacherId);
        const body: TiersResponse = {
          teacherId,
          timezone: teacher.timezone,
          currency: teacher.currency,
          tiers: tiers.map(({ active: _active, teacherId: _owner, ...tier }) => ({
            ...tier,
            ...tierPrice(teacher.hourlyRateMinor, tier.sessionMinutes, tier.sessionCount, tier.discountPercent),
            currency: teacher.currency,
          })),
        };
        return c.json(body);
      },
    )
    .get(
      '/teachers/:teacherId/weekly-availability',
      operation({
        operationId: 'getWeeklyAvailability',
        tag: 'marketplace',
        summary: 'The weekly grid: each weekday’s slots, free over how many of the next `weeks` weeks',
        description:
          'The session length is `duration`, else the tier’s (`tierId`), else 60 minutes. A slot is free in a ' +
          'week when it lies inside the teacher’s hours, clear of bookings and time off, after the minimum notice ' +
          'and within the booking horizon.',
        responses: {
          200: { description: 'Seven days, SUNDAY first, in the teacher’s zone.', schema: weeklyGridSchema },
        },
        errors: [
          'validation_error',
          'teacher_not_found',
          'subject_not_taught',
          'tier_not_found',
          ...SCHEDULING_ERROR_CODES,
        ],
      }),
      validator('param', teacherParam, onInvalid),
      validator('query', weeklyAvailabilityQuery, onInvalid),
      async (c) => {
        const { teacherId } = c.req.valid('param');
        const { subjectId, tierId, weeks, duration } = c.req.valid('query');
        const now = deps.now();
        const loaded = await deps.schedules.load(teacherId, now, { subjectId, tierId });
        if (!loaded) throw teacherNotFound(teacherId);
        const { probe, row } = loaded;
        if (probe.teachesSubject === false) {
          throw new ApiError(404, 'subject_not_taught', `Teacher ${teacherId} does not teach ${subjectId}`, {
            teacherId,
            subjectId,
          });
        }
        if (tierId && !probe.tier) throw new ApiError(404, 'tier_not_found', `No tier ${tierId} for this teacher`, { tierId });
        const durationMinutes = duration ?? probe.tier?.sessionMinutes ?? DEFAULT_SESSION_MINUTES;
        // Every instant of one minute key gets the same grid as the purchase's exact check (minuteKey says why).
        const minute = minuteKey(now);
        const text = deps.schedules.derive(row, `grid|${durationMinutes}|${weeks}|${minute}`, () => {
          const grid = weeklyGrid({ schedule: row.schedule, durationMinutes, weeks, now: now.toISOString() });
          const body: WeeklyGrid = { teacherId, ...grid };
          return JSON.stringify(body);
        });
        return jsonText<WeeklyGrid>(c, text);
      },
    )
    .route('/', teacherSlotRoutes(deps));
}
