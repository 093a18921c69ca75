import { Hono } from 'hono';
import { validator } from 'hono-openapi';
import type { WeeklyGridAnswer } from '../contract/wire.js';
import type { AppDeps } from '../deps.js';
import type { PublicEnv } from './auth.js';
import { jsonText, onInvalid } from './errors.js';
import { operation } from './openapi.js';
import { teacherListing, tierListing, weeklyGridText } from '../services/marketplace.js';
import { conditional } from './http-cache.js';
import { teacherSlotRoutes } from './lifecycle.js';
import { teacherParam, teachersQuery, tiersQuery, weeklyAvailabilityQuery } from '../contract/schemas.js';
import { teachersResponseSchema, tiersResponseSchema, weeklyGridAnswerSchema } from '../contract/responses.js';
import { SCHEDULING_ERROR_CODES } from '../contract/errors.js';

/** Public, read-only routes a booking page needs before anything is chosen, in the publishable key's tenant. */
export function marketplaceRoutes(deps: AppDeps) {
  return new Hono<PublicEnv>()
    .get(
      '/teachers',
      operation({
        operationId: 'listTeachers',
        tag: 'marketplace',
        publishable: true,
        summary: 'Teachers with their zone, currency, hourly rate and subjects',
        responses: {
          200: {
            description: 'The teachers, by name; only those teaching `subjectId` when given.',
            schema: teachersResponseSchema,
          },
        },
        errors: ['validation_error'],
      }),
      validator('query', teachersQuery, onInvalid),
      async (c) => {
        const query = c.req.valid('query');
        return conditional(
          c,
          deps.sharedCache,
          query,
          await teacherListing(deps, c.get('tenantId'), query.subjectId),
          (body) => c.json(body),
        );
      },
    )
    .get(
      '/teachers/:teacherId/tiers',
      operation({
        operationId: 'listTiers',
        tag: 'marketplace',
        publishable: true,
        summary: 'The tiers a teacher sells, priced from the hourly rate in the teacher’s currency',
        responses: {
          200: { description: 'The teacher’s active tiers with their terms and prices.', schema: tiersResponseSchema },
        },
        errors: ['validation_error', 'teacher_not_found'],
      }),
      validator('param', teacherParam, onInvalid),
      validator('query', tiersQuery, onInvalid),
      async (c) =>
        conditional(
          c,
          deps.sharedCache,
          c.req.valid('query'),
          await tierListing(deps, c.get('tenantId'), c.req.valid('param').teacherId),
          (body) => c.json(body),
        ),
    )
    .get(
      '/teachers/:teacherId/weekly-availability',
      operation({
        operationId: 'getWeeklyAvailability',
        tag: 'marketplace',
        publishable: true,
        summary: 'The weekly grid: each weekday’s slots, free over how many of the next `weeks` weeks',
        description:
          'The session length is `duration`, else the tier’s (`tierId`), else 60 minutes. A slot is free in a ' +
          'week when it lies inside the teacher’s hours, clear of bookings and time off, after the minimum notice ' +
          'and within the booking horizon.',
        responses: {
          200: {
            description:
              'Seven days, SUNDAY first, in the teacher’s zone; with `include` and `lang`, the tiers and zone names too.',
            schema: weeklyGridAnswerSchema,
          },
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
        const query = c.req.valid('query');
        const grid = await weeklyGridText(deps, c.get('tenantId'), c.req.valid('param').teacherId, query);
        return conditional(c, deps.sharedCache, query, grid, (text) => jsonText<WeeklyGridAnswer>(c, text));
      },
    )
    .route('/', teacherSlotRoutes(deps));
}
