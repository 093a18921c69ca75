import { Hono } from 'hono';
import { validator } from 'hono-openapi';
import { z } from 'zod';
import { MAX_SLOT_RANGE_DAYS } from '../core/index.js';
import type { AppDeps } from '../deps.js';
import { packageCalendar } from '../services/calendar.js';
import {
  bookFloatingSession,
  completeSession,
  DEFAULT_SLOT_RANGE_DAYS,
  floatSession,
  rescheduleSession,
  teacherSlots,
} from '../services/lifecycle.js';
import { feedPackage, rotateCalendarFeed } from '../services/feeds.js';
import { cancelPackage } from '../services/refunds.js';
import { CHANGE_NOTICE_HOURS } from '../services/policy.js';
import { actingTenant, type AuthEnv, type PublicEnv } from './auth.js';
import { onInvalid } from './errors.js';
import { conditional } from './http-cache.js';
import { operation } from './openapi.js';
import { calendarQuery, idParam, sessionParams, slotsQuery, slotTarget, teacherParam } from '../contract/schemas.js';
import {
  calendarFeedSchema,
  completionOutcomeSchema,
  datedSlotsSchema,
  packageViewSchema,
  sessionOutcomeSchema,
} from '../contract/responses.js';
import { requireAccess, type AccessEnv } from './parent-auth.js';
import { SCHEDULING_ERROR_CODES } from '../contract/errors.js';

/** Public: dated free slots of a teacher (mounted under /marketplace). */
export function teacherSlotRoutes(deps: AppDeps) {
  return new Hono<PublicEnv>().get(
    '/teachers/:teacherId/slots',
    operation({
      operationId: 'listFreeSlots',
      tag: 'marketplace',
      publishable: true,
      summary: 'A teacher’s free dated slots in a range of teacher-local dates (for a floating session or a move)',
      description:
        `\`from\` defaults to today in the teacher’s zone and the range to ${DEFAULT_SLOT_RANGE_DAYS} days; a ` +
        `range spans at most ${MAX_SLOT_RANGE_DAYS} days. Free means what it means in the weekly grid.`,
      responses: { 200: { description: 'The free slots, in time order.', schema: datedSlotsSchema } },
      errors: ['validation_error', 'teacher_not_found', 'tier_not_found', ...SCHEDULING_ERROR_CODES],
    }),
    validator('param', teacherParam, onInvalid),
    validator('query', slotsQuery, onInvalid),
    async (c) => {
      const query = c.req.valid('query');
      const slots = await teacherSlots(deps, c.get('tenantId'), c.req.valid('param').teacherId, query);
      return conditional(c, deps.sharedCache, query, slots, (body) => c.json(body));
    },
  );
}

/** The parent's side of a package after purchase (mounted under /packages). */
export function packageLifecycleRoutes(deps: AppDeps) {
  // The guardian's token (every package of the guardian) or the package's manage link.
  const owner = requireAccess(deps, ['parent', 'manage']);
  return new Hono<AccessEnv & PublicEnv>()
    .post(
      '/:id/floating-sessions',
      operation({
        operationId: 'bookFloatingSession',
        tag: 'packages',
        publishable: true,
        summary: 'Book one of the package’s floating sessions at a free slot before the package ends',
        parent: true,
        responses: { 201: { description: 'The new session and the package after it.', schema: sessionOutcomeSchema } },
        errors: [
          'unauthorized',
          'validation_error',
          'malformed_request',
          'package_not_found',
          'teacher_not_found',
          'package_cancelled',
          'package_pending_payment',
          'hold_expired',
          'no_floating_sessions_left',
          'package_changed',
          'slot_taken',
          'package_expired',
          'slot_not_available',
          'after_package_end',
        ],
      }),
      owner,
      validator('param', idParam, onInvalid),
      validator('json', slotTarget, onInvalid),
      async (c) =>
        c.json(await bookFloatingSession(deps, c.req.valid('param').id, c.req.valid('json'), c.get('access')), 201),
    )
    .post(
      '/:id/sessions/:sessionId/reschedule',
      operation({
        operationId: 'rescheduleSession',
        tag: 'packages',
        publishable: true,
        summary: 'Move a scheduled session to another free slot before the package ends',
        description:
          `Allowed up to ${CHANGE_NOTICE_HOURS} hours before the session starts and up to the tier’s reschedule ` +
          'limit; a session flagged by the teacher’s time off can be moved until it starts, without counting ' +
          'against the limit.',
        parent: true,
        responses: {
          200: { description: 'The moved session and the package after it.', schema: sessionOutcomeSchema },
        },
        errors: [
          'unauthorized',
          'validation_error',
          'malformed_request',
          'package_not_found',
          'session_not_found',
          'teacher_not_found',
          'package_cancelled',
          'package_pending_payment',
          'hold_expired',
          'session_not_scheduled',
          'session_started',
          'change_window_passed',
          'reschedule_limit_reached',
          'slot_taken',
          'session_changed',
          'package_expired',
          'slot_not_available',
          'same_slot',
          'after_package_end',
        ],
      }),
      owner,
      validator('param', sessionParams, onInvalid),
      validator('json', slotTarget, onInvalid),
      async (c) => {
        const { id: packageId, sessionId } = c.req.valid('param');
        return c.json(await rescheduleSession(deps, packageId, sessionId, c.req.valid('json'), c.get('access')));
      },
    )
    .post(
      '/:id/sessions/:sessionId/float',
      operation({
        operationId: 'floatSession',
        tag: 'packages',
        publishable: true,
        summary: 'Cancel a scheduled session into one more floating credit; its slot frees at once',
        description: `Allowed up to ${CHANGE_NOTICE_HOURS} hours before the session starts (until it starts if flagged).`,
        parent: true,
        responses: {
          200: { description: 'The cancelled session and the package after it.', schema: sessionOutcomeSchema },
        },
        errors: [
          'unauthorized',
          'validation_error',
          'package_not_found',
          'session_not_found',
          'package_cancelled',
          'package_pending_payment',
          'hold_expired',
          'session_not_scheduled',
          'session_started',
          'change_window_passed',
          'session_changed',
          'package_expired',
        ],
      }),
      owner,
      validator('param', sessionParams, onInvalid),
      async (c) => {
        const { id: packageId, sessionId } = c.req.valid('param');
        return c.json(await floatSession(deps, packageId, sessionId, c.get('access')));
      },
    )
    .post(
      '/:id/cancel',
      operation({
        operationId: 'cancelPackage',
        tag: 'packages',
        publishable: true,
        summary:
          'Cancel the package: an unpaid hold frees its slots; a paid pack refunds what is not about to be taught',
        description:
          'While `pending_payment`: its sessions are cancelled and the slots free at once, nothing was paid, a ' +
          'replay answers the cancelled package, and `pack.hold_cancelled` is emitted; a lapsed hold answers 409 ' +
          '`hold_expired` (its slots are free already). Once paid: sessions starting ' +
          `at least ${CHANGE_NOTICE_HOURS} hours from now (and sessions the teacher’s time off ` +
          'flagged) are cancelled, their slots freed and their escrow shares refunded; the share of unused ' +
          `floating credits is refunded. Sessions within ${CHANGE_NOTICE_HOURS} hours stay booked and are taught; ` +
          'taught sessions stay released. A `pack.cancelled` event carries the amount refunded. Cancelling a ' +
          'cancelled paid package answers 409 `package_cancelled`.',
        parent: true,
        responses: {
          200: {
            description: 'The cancelled package; `escrow.refundedMinor` includes what this refunded.',
            schema: packageViewSchema,
          },
        },
        errors: [
          'unauthorized',
          'validation_error',
          'package_not_found',
          'package_cancelled',
          'package_completed',
          'package_changed',
          'package_expired',
          'hold_expired',
        ],
      }),
      owner,
      validator('param', idParam, onInvalid),
      async (c) => c.json(await cancelPackage(deps, c.req.valid('param').id, c.get('access'))),
    )
    .get(
      '/:id/calendar.ics',
      operation({
        operationId: 'getPackageCalendar',
        tag: 'packages',
        publishable: true,
        summary: 'The package’s sessions as an iCalendar feed (subscribe to it; each change bumps SEQUENCE)',
        description:
          'Read-only, with the feed token of the package’s `calendarPath` as `?token=` (calendar apps send no ' +
          'headers). Rotating the feed (`POST /packages/:id/calendar-token`) ends every older feed URL. ' +
          '`&lang=ar` gives the titles and notes in Arabic, with the Arabic names of the teacher and subject.',
        responses: {
          200: { description: 'An RFC 5545 calendar.', schema: z.string(), mediaType: 'text/calendar' },
        },
        errors: ['unauthorized', 'validation_error', 'package_not_found'],
      }),
      validator('param', idParam, onInvalid),
      validator('query', calendarQuery, onInvalid),
      async (c) => {
        const packageId = c.req.valid('param').id;
        const { token, lang } = c.req.valid('query');
        const record = await feedPackage(deps, packageId, token);
        return c.body(packageCalendar(record, { now: deps.now(), lang }), 200, {
          'content-type': 'text/calendar; charset=utf-8',
          'content-disposition': `inline; filename="smart-pack-${packageId}.ics"`,
          'cache-control': 'private, max-age=300',
          // The URL is the credential: keep it out of other sites' logs.
          'referrer-policy': 'no-referrer',
        });
      },
    )
    .post(
      '/:id/calendar-token',
      operation({
        operationId: 'rotateCalendarToken',
        publishable: true,
        tag: 'packages',
        summary: 'Rotate the package’s calendar feed URL: the new one works, every older one stops',
        description: 'For a feed URL that was shared too widely. Needs the guardian’s token or the manage link.',
        parent: true,
        responses: { 200: { description: 'The new feed path.', schema: calendarFeedSchema } },
        errors: ['unauthorized', 'validation_error', 'package_not_found'],
      }),
      owner,
      validator('param', idParam, onInvalid),
      async (c) => c.json(await rotateCalendarFeed(deps, c.req.valid('param').id, c.get('access'))),
    );
}

/** Teacher side, behind the admin token (mounted under /admin). */
export function adminLifecycleRoutes(deps: AppDeps) {
  return new Hono<AuthEnv>().post(
    '/packages/:id/sessions/:sessionId/complete',
    operation({
      operationId: 'completeSession',
      tag: 'admin',
      admin: true,
      summary: 'Mark a session taught: its escrow share is released to the teacher, at most once',
      description:
        'Allowed once the session has started. A retry of a completion answers 200 again with `released: false`; ' +
        'nothing is released twice.',
      responses: {
        200: {
          description: 'The completed session, the package after it and the release.',
          schema: completionOutcomeSchema,
        },
      },
      errors: [
        'unauthorized',
        'validation_error',
        'package_not_found',
        'session_not_found',
        'session_not_scheduled',
        'session_not_started',
        'session_changed',
        'package_pending_payment',
        'hold_expired',
      ],
    }),
    validator('param', sessionParams, onInvalid),
    async (c) => {
      const { id: packageId, sessionId } = c.req.valid('param');
      return c.json(await completeSession(deps, actingTenant(c), packageId, sessionId));
    },
  );
}
