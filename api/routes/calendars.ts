import { Hono, type Context, type Env } from 'hono';
import { validator } from 'hono-openapi';
import type { ZodObject, ZodType } from 'zod';
import type { AppDeps } from '../deps.js';
import type { CalendarBody } from '../contract/schemas.js';
import { calendarBody } from '../contract/schemas.js';
import { externalCalendarSchema, externalCalendarsSchema } from '../contract/responses.js';
import {
  addExternalCalendar,
  listExternalCalendars,
  MAX_BUSY_INTERVALS,
  MAX_CALENDARS_PER_TEACHER,
  removeExternalCalendar,
  syncExternalCalendar,
} from '../services/external-calendars.js';
import { onInvalid } from './errors.js';
import { operation, type OperationSpec } from './openapi.js';

/** Who calls the routes of one mount, and for which teacher. */
export interface CalendarMount<E extends Env> {
  /** The collection's path: `/teachers/:teacherId/calendars` (admin) or `/calendars` (a teacher token). */
  base: string;
  /** The path parameters of the collection and of one calendar (`calendarId` added), validated and documented. */
  listParams: ZodObject;
  itemParams: ZodType<{ calendarId: string }>;
  tenantOf(c: Context<E>): string;
  /** The teacher acted for: the path's (admin) or the token's; anyone else's calendar ids answer 404. */
  teacherOf(c: Context<E>): string;
  /** `adminAddExternalCalendar`, `teacherAddExternalCalendar`, … */
  operationPrefix: string;
  /** The mount's OpenAPI tag and security (`{ tag: 'admin', admin: true }`, `{ tag: 'teacher', teacher: true }`). */
  spec: Pick<OperationSpec, 'tag' | 'admin' | 'parent' | 'teacher'>;
  /** Codes the mount's authentication and teacher lookup add (`unauthorized`, `teacher_not_found`). */
  errors: OperationSpec['errors'];
}

/**
 * A teacher's external calendars (ICS feeds whose busy time blocks the grid like time off), built
 * from the services so the same routes serve the school's secret key and the teacher's own token.
 */
export function calendarRoutes<E extends Env>(deps: AppDeps, mount: CalendarMount<E>) {
  const { base, spec, errors, operationPrefix: prefix } = mount;
  // Hono's handler contexts are narrowed by the validators; the mount reads only its variables and the path.
  const owner = (c: unknown) => [mount.tenantOf(c as Context<E>), mount.teacherOf(c as Context<E>)] as const;
  return new Hono<E>()
    .get(
      base,
      operation({
        ...spec,
        operationId: `${prefix}ListExternalCalendars`,
        summary: 'A teacher’s external calendars (ICS feeds) and how their last sync went',
        responses: { 200: { description: 'The calendars, oldest first.', schema: externalCalendarsSchema } },
        errors: [...errors, 'validation_error'],
      }),
      validator('param', mount.listParams, onInvalid),
      async (c) => c.json(await listExternalCalendars(deps, ...owner(c))),
    )
    .post(
      base,
      operation({
        ...spec,
        operationId: `${prefix}AddExternalCalendar`,
        summary: 'Add an ICS feed whose events block the teacher’s time; it is synced once at once',
        description:
          'The answer is 201 whatever the first fetch did: its `status` says (`ok`, or `failing` with ' +
          '`lastError`). Busy events count like time off in the grid, the check and every booking; a new event ' +
          'over a booked session flags it (`session.flagged`, reason `external_calendar`). Feeds are synced ' +
          `again every 15 minutes; at most ${MAX_CALENDARS_PER_TEACHER} per teacher and ` +
          `${MAX_BUSY_INTERVALS.toLocaleString('en')} busy intervals per feed. In production the URL must be ` +
          'https on a public host.',
        responses: { 201: { description: 'The calendar after its first sync.', schema: externalCalendarSchema } },
        errors: [
          ...errors,
          'validation_error',
          'malformed_request',
          'calendar_url_refused',
          'already_exists',
          'too_many_calendars',
        ],
      }),
      validator('param', mount.listParams, onInvalid),
      validator('json', calendarBody, onInvalid),
      async (c) => {
        const body = (c.req as unknown as { valid(target: 'json'): CalendarBody }).valid('json');
        return c.json(await addExternalCalendar(deps, ...owner(c), body), 201);
      },
    )
    .delete(
      `${base}/:calendarId`,
      operation({
        ...spec,
        operationId: `${prefix}RemoveExternalCalendar`,
        summary: 'Remove an external calendar and every busy interval it put in the teacher’s calendar',
        description: 'Sessions it flagged stay flagged: the parent has been told, and decides.',
        responses: { 200: { description: 'The calendars left.', schema: externalCalendarsSchema } },
        errors: [...errors, 'validation_error', 'calendar_not_found'],
      }),
      validator('param', mount.itemParams, onInvalid),
      async (c) => c.json(await removeExternalCalendar(deps, ...owner(c), calendarIdOf(c))),
    )
    .post(
      `${base}/:calendarId/sync`,
      operation({
        ...spec,
        operationId: `${prefix}SyncExternalCalendar`,
        summary: 'Fetch an external calendar now (with its ETag / Last-Modified) instead of waiting for the schedule',
        description:
          'A failing fetch (network, timeout, too large, HTTP error, not iCalendar) keeps the last good copy ' +
          'and answers 200 with `status: failing` and `lastError`.',
        responses: { 200: { description: 'The calendar after the sync.', schema: externalCalendarSchema } },
        errors: [...errors, 'validation_error', 'calendar_not_found'],
      }),
      validator('param', mount.itemParams, onInvalid),
      async (c) => c.json(await syncExternalCalendar(deps, ...owner(c), calendarIdOf(c))),
    );
}

function calendarIdOf(c: unknown): string {
  return (c as { req: { valid(target: 'param'): { calendarId: string } } }).req.valid('param').calendarId;
}
