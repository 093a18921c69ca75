import { sql, type Kysely } from 'kysely';
import type { FlaggedSession } from '../../contract/wire.js';
import type { CalendarStatus } from '../../contract/teacher.js';
import type { Database } from '../schema.js';
import type { Batch } from '../store.js';
import { CALENDAR_FLAG, compilable, flagCoveredStatements, flaggedFrom } from './lifecycle.js';

/*
 * External calendars (0011_external_calendars.sql). A feed's busy intervals are time off rows with its
 * `calendar_id`; a sync replaces them in one batch, so the grid never sees half a copy.
 */

export interface CalendarRow {
  id: string;
  teacherId: string;
  url: string;
  name: string | null;
  etag: string | null;
  lastModified: string | null;
  status: CalendarStatus;
  lastSyncedAt: string | null;
  lastError: string | null;
  busyCount: number;
}

/** A calendar with what a sync needs of its teacher. */
export interface CalendarToSync extends CalendarRow {
  tenantId: string;
  timezone: string;
  horizonDays: number;
}

const calendarColumns = [
  'c.id',
  'c.teacher_id as teacherId',
  'c.url',
  'c.name',
  'c.etag',
  'c.last_modified as lastModified',
  'c.status',
  'c.last_synced_at as lastSyncedAt',
  'c.last_error as lastError',
  'c.busy_count as busyCount',
] as const;

export async function listCalendars(db: Kysely<Database>, tenantId: string, teacherId: string): Promise<CalendarRow[]> {
  return db
    .selectFrom('teacher_calendars as c')
    .select(calendarColumns)
    .where('c.tenant_id', '=', tenantId)
    .where('c.teacher_id', '=', teacherId)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute();
}

/** One calendar of one teacher of one tenant; anyone else's id finds nothing. */
export async function findCalendar(
  db: Kysely<Database>,
  tenantId: string,
  teacherId: string,
  calendarId: string,
): Promise<CalendarToSync | undefined> {
  return db
    .selectFrom('teacher_calendars as c')
    .innerJoin('teachers as t', 't.id', 'c.teacher_id')
    .select([...calendarColumns, 'c.tenant_id as tenantId', 't.timezone', 't.horizon_days as horizonDays'])
    .where('c.tenant_id', '=', tenantId)
    .where('t.tenant_id', '=', tenantId)
    .where('c.teacher_id', '=', teacherId)
    .where('c.id', '=', calendarId)
    .executeTakeFirst();
}

/** Calendars whose last sync (or attempt) is older than `before`, never-synced first; any tenant. */
export async function dueCalendars(
  db: Kysely<Database>,
  before: string,
  limit: number,
): Promise<{ id: string; tenantId: string; teacherId: string }[]> {
  return db
    .selectFrom('teacher_calendars')
    .select(['id', 'tenant_id as tenantId', 'teacher_id as teacherId'])
    .where((eb) => eb.or([eb('last_synced_at', 'is', null), eb('last_synced_at', '<', before)]))
    .orderBy('last_synced_at')
    .limit(limit)
    .execute();
}

export interface NewCalendar {
  id: string;
  tenantId: string;
  teacherId: string;
  url: string;
  name: string | null;
  /** The most calendars a teacher may have: the insert is guarded on it, so two racing adds cannot pass it. */
  maxPerTeacher: number;
  now: string;
}

/** Inserts the calendar unless the teacher (of this tenant) is unknown or has `maxPerTeacher` already. */
export function insertCalendarBatch(db: Kysely<Database>, input: NewCalendar): Batch<boolean> {
  const { id, tenantId, teacherId, url, name, maxPerTeacher, now } = input;
  return {
    statements: [
      compilable(
        db,
        sql`INSERT INTO teacher_calendars (id, tenant_id, teacher_id, url, name, created_at)
            SELECT ${id}, ${tenantId}, ${teacherId}, ${url}, ${name}, ${now}
             WHERE EXISTS (SELECT 1 FROM teachers WHERE id = ${teacherId} AND tenant_id = ${tenantId})
               AND (SELECT count(*) FROM teacher_calendars WHERE teacher_id = ${teacherId}) < ${maxPerTeacher}
            RETURNING id`,
      ),
    ],
    read: (results) => results[0]!.rows.length > 0,
  };
}

/** Removes a calendar and its busy time in one batch; false when it was not this teacher's. */
export function deleteCalendarBatch(
  db: Kysely<Database>,
  tenantId: string,
  teacherId: string,
  calendarId: string,
): Batch<boolean> {
  const mine = sql`EXISTS (SELECT 1 FROM teacher_calendars
                           WHERE id = ${calendarId} AND teacher_id = ${teacherId} AND tenant_id = ${tenantId})`;
  return {
    statements: [
      // ON DELETE CASCADE would do it; said here too, so the rows go whatever the connection's pragmas.
      compilable(db, sql`DELETE FROM time_off WHERE calendar_id = ${calendarId} AND ${mine}`),
      compilable(
        db,
        sql`DELETE FROM teacher_calendars
             WHERE id = ${calendarId} AND teacher_id = ${teacherId} AND tenant_id = ${tenantId}
            RETURNING id`,
      ),
    ],
    read: (results) => results[1]!.rows.length > 0,
  };
}

/** Rows per INSERT of a sync: a few statements per batch, each far below D1's statement limits. */
const ROWS_PER_INSERT = 500;

export interface SyncedCopy {
  tenantId: string;
  teacherId: string;
  calendarId: string;
  intervals: { startUtc: string; endUtc: string }[];
  etag: string | null;
  lastModified: string | null;
  /** A note kept in `last_error` while the status is `ok` (e.g. intervals left out); null: none. */
  note: string | null;
  /** X-WR-CALNAME, given to a calendar added without a name. */
  calendarName: string | null;
  token: string;
  now: string;
}

/**
 * A new good copy in ONE batch: the calendar's status, its old busy rows out, the new ones in, and
 * the sessions they newly cover flagged (with their `session.flagged` rows) as time off does. The
 * inserts join the calendar row, so a calendar deleted meanwhile gets no rows back. Sessions already
 * flagged are left alone: the same event re-synced every 15 minutes flags once.
 */
export function replaceBusyBatch(db: Kysely<Database>, copy: SyncedCopy): Batch<FlaggedSession[]> {
  const { tenantId, teacherId, calendarId, intervals, etag, lastModified, note, calendarName, token, now } = copy;
  const inserts = [];
  for (let i = 0; i < intervals.length; i += ROWS_PER_INSERT) {
    const rows = intervals
      .slice(i, i + ROWS_PER_INSERT)
      .map((interval) => ({ id: crypto.randomUUID(), s: interval.startUtc, e: interval.endUtc }));
    inserts.push(
      compilable(
        db,
        sql`INSERT INTO time_off (id, teacher_id, calendar_id, start_utc, end_utc, reason, created_at)
            SELECT json_extract(j.value, '$.id'), c.teacher_id, c.id,
                   json_extract(j.value, '$.s'), json_extract(j.value, '$.e'), NULL, ${now}
              FROM json_each(${JSON.stringify(rows)}) AS j
              JOIN teacher_calendars c ON c.id = ${calendarId} AND c.teacher_id = ${teacherId}
                                      AND c.tenant_id = ${tenantId}`,
      ),
    );
  }
  const statements = [
    compilable(
      db,
      sql`UPDATE teacher_calendars
             SET status = 'ok', etag = ${etag}, last_modified = ${lastModified}, last_synced_at = ${now},
                 last_error = ${note}, busy_count = ${intervals.length}, name = coalesce(name, ${calendarName})
           WHERE id = ${calendarId} AND teacher_id = ${teacherId} AND tenant_id = ${tenantId}
          RETURNING id`,
    ),
    compilable(db, sql`DELETE FROM time_off WHERE calendar_id = ${calendarId} AND teacher_id = ${teacherId}`),
    ...inserts,
    ...flagCoveredStatements(db, {
      tenantId,
      teacherId,
      covering: (o) => sql`${o}.calendar_id = ${calendarId}`,
      reason: CALENDAR_FLAG,
      onlyUnflagged: true,
      extraPayload: sql`'calendarId', o.calendar_id`,
      token,
      now,
    }),
  ];
  const flagIndex = 2 + inserts.length;
  return { statements, read: (results) => flaggedFrom(results[flagIndex]!) };
}

/** The feed answered 304: the stored copy stands, as of now. */
export async function markNotModified(
  db: Kysely<Database>,
  tenantId: string,
  calendarId: string,
  now: string,
): Promise<void> {
  await sql`UPDATE teacher_calendars
               SET status = 'ok', last_synced_at = ${now},
                   last_error = CASE WHEN status = 'failing' THEN NULL ELSE last_error END
             WHERE id = ${calendarId} AND tenant_id = ${tenantId}`.execute(db);
}

/** The fetch or the parse failed: the last good copy's rows stay, and the calendar says why. */
export async function markFailing(
  db: Kysely<Database>,
  tenantId: string,
  calendarId: string,
  error: string,
  now: string,
): Promise<void> {
  await sql`UPDATE teacher_calendars SET status = 'failing', last_error = ${error}, last_synced_at = ${now}
             WHERE id = ${calendarId} AND tenant_id = ${tenantId}`.execute(db);
}
