import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { calendarRoutes } from './calendars.js';
import { validator } from 'hono-openapi';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../contract/errors.js';
import {
  attendanceBody,
  idParam,
  MAX_TEACHER_SESSIONS_DAYS,
  rulesBody,
  teacherSessionParam,
  teacherSessionsQuery,
  teacherTokenBody,
  ownCalendarParam,
  ownCalendarsParam,
  timeOffBody,
  timeOffPreviewBody,
} from '../contract/schemas.js';
import {
  attendanceOutcomeSchema,
  availabilityRulesSchema,
  teacherProfileSchema,
  teacherScheduleSchema,
  teacherTokenSchema,
  timeOffListSchema,
  timeOffOutcomeSchema,
  timeOffPreviewSchema,
} from '../contract/responses.js';
import { z } from 'zod';
import { listTimeOff } from '../db/repositories/admin.js';
import { addTimeOff } from '../services/lifecycle.js';
import {
  deleteTimeOff,
  issueTeacherToken,
  previewTimeOff,
  recordAttendance,
  replaceTeacherRules,
  teacherProfile,
  teacherRules,
  teacherSchedule,
  type TeacherAccess,
} from '../services/teacher.js';
import { verifyToken } from '../services/tokens.js';
import { guarded } from './admin.js';
import { actingTenant, authenticate, type AuthEnv } from './auth.js';
import { onInvalid } from './errors.js';
import { operation } from './openapi.js';
import { claimedKind } from './parent-auth.js';

/** What `requireTeacher` leaves on the context for the teacher's routes. */
export type TeacherEnv = { Variables: { teacher: TeacherAccess } };

function bearer(c: Context): string {
  const header = c.req.header('authorization') ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : '';
}

/**
 * The teacher routes' one rule: a valid teacher token, signed by its school's current secret. A parent,
 * manage or feed token is refused like no token (another audience), and so is a school's secret key:
 * `/admin` is where the school acts.
 */
export function requireTeacher(deps: Pick<AppDeps, 'store' | 'now'>): MiddlewareHandler<TeacherEnv> {
  return async function requireTeacherMiddleware(c, next) {
    const token = bearer(c);
    if (!token) throw new ApiError(401, 'unauthorized', 'Send Authorization: Bearer <teacher token>.');
    if (claimedKind(token) !== 'teacher') throw new ApiError(401, 'unauthorized', 'This token is not valid here.');
    const claims = await verifyToken(deps, token, 'teacher');
    c.set('teacher', { tenantId: claims.tid, teacherId: claims.sub });
    await next();
  };
}

/** Minting (mounted under /auth): the school's server, with its secret key. */
export function teacherTokenRoutes(deps: AppDeps) {
  return new Hono<AuthEnv>().post(
    '/teacher-tokens',
    operation({
      operationId: 'createTeacherToken',
      tag: 'auth',
      admin: true,
      summary: 'Mint a teacher token for one of your teachers (their own rules, time off and sessions)',
      description:
        'Call it from your server with your secret key when the teacher signs in to your site; hand the token to ' +
        'the teacher’s page. It expires after `ttlSeconds` (an hour by default, at most a day); rotating your keys ' +
        'with `endTokens` ends it at once. Another school’s teacher answers 404, like an unknown id.',
      responses: { 201: { description: 'The token.', schema: teacherTokenSchema } },
      errors: ['unauthorized', 'validation_error', 'malformed_request', 'teacher_not_found'],
    }),
    authenticate(deps),
    // Refuse a caller without a secret key before reading the body.
    async (c, next) => {
      actingTenant(c);
      await next();
    },
    validator('json', teacherTokenBody, onInvalid),
    async (c) => c.json(await issueTeacherToken(deps, actingTenant(c), c.req.valid('json')), 201),
  );
}

/** The teacher's own side (mounted under /teacher), behind a teacher token. */
export function teacherRoutes(deps: AppDeps) {
  const { store } = deps;
  const me = (c: Context<TeacherEnv>) => c.get('teacher');
  return (
    new Hono<TeacherEnv>()
      .use(requireTeacher(deps))
      .get(
        '/me',
        operation({
          operationId: 'getTeacher',
          tag: 'teacher',
          teacher: true,
          summary: 'Who the teacher token names: the teacher, their zone and the grid’s session length',
          responses: { 200: { description: 'The teacher.', schema: teacherProfileSchema } },
          errors: ['unauthorized', 'teacher_not_found'],
        }),
        async (c) => c.json(await teacherProfile(deps, me(c))),
      )
      .get(
        '/availability-rules',
        operation({
          operationId: 'getTeacherAvailabilityRules',
          tag: 'teacher',
          teacher: true,
          summary: 'The teacher’s weekly teaching hours',
          responses: { 200: { description: 'The rules, by weekday and start.', schema: availabilityRulesSchema } },
          errors: ['unauthorized', 'teacher_not_found'],
        }),
        async (c) => c.json(await teacherRules(deps, me(c))),
      )
      .put(
        '/availability-rules',
        operation({
          operationId: 'replaceTeacherAvailabilityRules',
          tag: 'teacher',
          teacher: true,
          summary: 'Replace all of the teacher’s weekly teaching hours at once',
          description:
            'As `PUT /admin/teachers/:id/availability-rules`: sessions already booked stay; the parent’s grid and ' +
            'every check use the new hours at once.',
          responses: { 200: { description: 'The rules now.', schema: availabilityRulesSchema } },
          errors: ['unauthorized', 'validation_error', 'malformed_request', 'teacher_not_found'],
        }),
        validator('json', rulesBody, onInvalid),
        async (c) => c.json(await replaceTeacherRules(deps, me(c), c.req.valid('json'), guarded)),
      )
      .get(
        '/time-off',
        operation({
          operationId: 'listTeacherTimeOff',
          tag: 'teacher',
          teacher: true,
          summary: 'The teacher’s time off',
          responses: { 200: { description: 'The time off, by start.', schema: timeOffListSchema } },
          errors: ['unauthorized', 'teacher_not_found'],
        }),
        async (c) => {
          const { tenantId, teacherId } = me(c);
          return c.json({ teacherId, timeOff: await listTimeOff(store.db, tenantId, teacherId) });
        },
      )
      .post(
        '/time-off/preview',
        operation({
          operationId: 'previewTeacherTimeOff',
          tag: 'teacher',
          teacher: true,
          summary: 'Which booked sessions a time off would flag, before saving it; writes nothing',
          description: 'The same predicate as the save: the teacher’s scheduled bookings the interval overlaps.',
          responses: {
            200: { description: 'The sessions it would flag, in time order.', schema: timeOffPreviewSchema },
          },
          errors: ['unauthorized', 'validation_error', 'malformed_request', 'teacher_not_found'],
        }),
        validator('json', timeOffPreviewBody, onInvalid),
        async (c) => c.json(await previewTimeOff(deps, me(c), c.req.valid('json'))),
      )
      .post(
        '/time-off',
        operation({
          operationId: 'addTeacherTimeOff',
          tag: 'teacher',
          teacher: true,
          summary: 'Add time off; the sessions it covers are flagged and their parents notified in the same write',
          description: 'As `POST /admin/teachers/:id/time-off`.',
          responses: {
            201: { description: 'The time off and the bookings it flagged.', schema: timeOffOutcomeSchema },
          },
          errors: ['unauthorized', 'validation_error', 'malformed_request', 'teacher_not_found'],
        }),
        validator('json', timeOffBody, onInvalid),
        async (c) => {
          const { tenantId, teacherId } = me(c);
          await teacherProfile(deps, me(c));
          return c.json(await guarded(() => addTimeOff(deps, tenantId, teacherId, c.req.valid('json'))), 201);
        },
      )
      .delete(
        '/time-off/:id',
        operation({
          operationId: 'deleteTeacherTimeOff',
          tag: 'teacher',
          teacher: true,
          summary: 'Remove one of the teacher’s time off; the grid offers that time again',
          description:
            'Sessions it flagged stay flagged (their parents were told to move them, and may have): nothing is ' +
            'unflagged automatically.',
          responses: { 204: { description: 'Removed; nothing in the body.', schema: z.null() } },
          errors: ['unauthorized', 'validation_error', 'time_off_not_found'],
        }),
        validator('param', idParam, onInvalid),
        async (c) => {
          await deleteTimeOff(deps, me(c), c.req.valid('param').id);
          return c.body(null, 204);
        },
      )
      .get(
        '/sessions',
        operation({
          operationId: 'listTeacherSessions',
          tag: 'teacher',
          teacher: true,
          summary: 'The teacher’s sessions across every package (and single bookings) in a range, in time order',
          description:
            `\`from\` defaults to a day ago and \`to\` to four weeks after now; a range spans at most ` +
            `${MAX_TEACHER_SESSIONS_DAYS} days. A flagged, upcoming session lists free start instants to move it to.`,
          responses: { 200: { description: 'The sessions.', schema: teacherScheduleSchema } },
          errors: ['unauthorized', 'validation_error', 'teacher_not_found'],
        }),
        validator('query', teacherSessionsQuery, onInvalid),
        async (c) => c.json(await teacherSchedule(deps, me(c), c.req.valid('query'))),
      )
      .post(
        '/sessions/:sessionId/attendance',
        operation({
          operationId: 'recordAttendance',
          tag: 'teacher',
          teacher: true,
          summary: 'Record how a started session ended: taught, the student did not come, or the teacher did not',
          description:
            '`completed` releases the session’s escrow share (as the school’s completion does); `student_no_show` ' +
            'releases it too (status `no_show`); `teacher_no_show` cancels the session and gives it back to the ' +
            'package as a floating credit, releasing nothing. Each emits `session.completed` or `session.no_show`. ' +
            'The same outcome again answers 200 with `recorded: false`; another outcome answers 409.',
          responses: { 200: { description: 'The session after the record.', schema: attendanceOutcomeSchema } },
          errors: [
            'unauthorized',
            'validation_error',
            'malformed_request',
            'session_not_found',
            'session_not_scheduled',
            'session_not_started',
            'session_changed',
            'attendance_recorded',
            'package_pending_payment',
          ],
        }),
        validator('param', teacherSessionParam, onInvalid),
        validator('json', attendanceBody, onInvalid),
        async (c) => c.json(await recordAttendance(deps, me(c), c.req.valid('param').sessionId, c.req.valid('json'))),
      )
      // The teacher's own external calendars: the admin routes' factory, with the teacher from the token.
      .route(
        '/',
        calendarRoutes<TeacherEnv>(deps, {
          base: '/calendars',
          listParams: ownCalendarsParam,
          itemParams: ownCalendarParam,
          tenantOf: (c) => c.get('teacher').tenantId,
          teacherOf: (c) => c.get('teacher').teacherId,
          operationPrefix: 'teacher',
          spec: { tag: 'teacher', teacher: true },
          errors: ['unauthorized', 'teacher_not_found'],
        }),
      )
  );
}
