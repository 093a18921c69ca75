import { sql, type Compilable, type Kysely } from 'kysely';
import { DEFAULT_HORIZON_DAYS, DEFAULT_MIN_NOTICE_MINUTES } from '../../core/index.js';
import type { AdminTeacher, StoredAvailabilityRule, TimeOffEntry } from '../../contract/wire.js';
import type { Database } from '../schema.js';
import type { BatchResult } from '../store.js';
import type { TeacherUpdateBody } from '../../contract/schemas.js';

const TEACHER_FIELDS = [
  'id',
  'name',
  'name_ar as nameAr',
  'bio',
  'timezone',
  'hourly_rate_minor as hourlyRateMinor',
  'currency',
  'min_notice_minutes as minNoticeMinutes',
  'horizon_days as horizonDays',
] as const;

/** Rows as the admin API returns them (camelCase). */
export function teacherColumns() {
  return [
    ...TEACHER_FIELDS,
    sql<string>`(SELECT json_group_array(subject_id) FROM teacher_subjects WHERE teacher_id = teachers.id)`.as(
      'subjectIds',
    ),
  ] as const;
}

/*
 * Every function here acts in one tenant (`tenantId`, second after `db`): reads see only its rows, and
 * writes touch only its rows. The 0003 triggers refuse what would point across tenants anyway.
 */

export async function adminListTeachers(db: Kysely<Database>, tenantId: string): Promise<AdminTeacher[]> {
  const rows = await db
    .selectFrom('teachers')
    .select(teacherColumns())
    .where('tenant_id', '=', tenantId)
    .orderBy('name')
    .execute();
  return rows.map((row) => ({ ...row, subjectIds: JSON.parse(row.subjectIds) as string[] }));
}

export async function adminGetTeacher(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<AdminTeacher | undefined> {
  const row = await db
    .selectFrom('teachers')
    .select(teacherColumns())
    .where('id', '=', id)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row && { ...row, subjectIds: JSON.parse(row.subjectIds) as string[] };
}

/** What a teacher is created or replaced with: the validated request body, one definition. */
export type TeacherInput = TeacherUpdateBody;

function teacherValues(input: TeacherInput) {
  return {
    name: input.name,
    name_ar: input.nameAr ?? null,
    bio: input.bio ?? null,
    timezone: input.timezone,
    hourly_rate_minor: input.hourlyRateMinor,
    currency: input.currency,
    min_notice_minutes: input.minNoticeMinutes ?? DEFAULT_MIN_NOTICE_MINUTES,
    horizon_days: input.horizonDays ?? DEFAULT_HORIZON_DAYS,
  };
}

/**
 * A new teacher and its subjects, as statements for one batch that report what they wrote. The
 * teacher is a plain INSERT: an id that exists fails the batch, so of two concurrent creates of one
 * id the database lets exactly one commit and writes nothing of the other. The subject links are
 * guarded on the statement before them having inserted its row (`changes()` is that statement's
 * count), so they can only ever attach to the teacher this batch created.
 */
export function createTeacherStatements(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  input: TeacherInput,
): Compilable[] {
  const statements: Compilable[] = [
    db
      .insertInto('teachers')
      .values({ tenant_id: tenantId, id, ...teacherValues(input) })
      .returning(TEACHER_FIELDS),
  ];
  if (input.subjectIds?.length) {
    statements.push({
      compile: () =>
        sql`INSERT INTO teacher_subjects (teacher_id, subject_id)
            SELECT ${id}, value FROM json_each(${JSON.stringify(input.subjectIds)}) WHERE changes() = 1
            RETURNING subject_id`.compile(db),
    });
  }
  return statements;
}

/** The teacher as `createTeacherStatements` wrote it, from the batch's own results. */
export function createdTeacher(results: BatchResult[]): AdminTeacher {
  const row = results[0]!.rows[0] as Omit<AdminTeacher, 'subjectIds'>;
  // Sorted like the read's json_group_array, which walks the (teacher_id, subject_id) key.
  const subjectIds = (results[1]?.rows ?? []).map((link) => String(link.subject_id)).sort();
  return { ...row, subjectIds };
}

/** The database refused a teacher id that exists. */
export function isDuplicateTeacher(error: unknown): boolean {
  return /UNIQUE constraint failed: teachers\.id/.test(String((error as { message?: unknown })?.message ?? error));
}

/**
 * Upsert of a teacher and (when given) the exact set of subjects, as statements for one batch. Every
 * statement is guarded on the teacher being the tenant's: an id of another tenant's teacher changes
 * nothing of it (the update's WHERE, the links' EXISTS), whatever the route checked before.
 */
export function saveTeacherStatements(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  input: TeacherInput,
): Compilable[] {
  const values = teacherValues(input);
  const statements: Compilable[] = [
    db
      .insertInto('teachers')
      .values({ tenant_id: tenantId, id, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values).where('teachers.tenant_id', '=', tenantId)),
  ];
  if (input.subjectIds) {
    statements.push(
      db
        .deleteFrom('teacher_subjects')
        .where('teacher_id', '=', id)
        .where(({ exists, selectFrom }) =>
          exists(selectFrom('teachers').select('id').where('id', '=', id).where('tenant_id', '=', tenantId)),
        ),
      {
        compile: () =>
          sql`INSERT INTO teacher_subjects (teacher_id, subject_id)
                SELECT ${id}, value FROM json_each(${JSON.stringify(input.subjectIds)})
                 WHERE EXISTS (SELECT 1 FROM teachers WHERE id = ${id} AND tenant_id = ${tenantId})`.compile(db),
      },
    );
  }
  return statements;
}

/** `teacher_id` is one of the tenant's teachers (rules and time off carry no tenant of their own). */
const ownTeacher = (tenantId: string, teacherId: string) =>
  sql<boolean>`EXISTS (SELECT 1 FROM teachers WHERE id = ${teacherId} AND tenant_id = ${tenantId})`;

export async function listRules(
  db: Kysely<Database>,
  tenantId: string,
  teacherId: string,
): Promise<StoredAvailabilityRule[]> {
  return db
    .selectFrom('availability_rules')
    .select(['id', 'weekday', 'start_time as startTime', 'end_time as endTime'])
    .where('teacher_id', '=', teacherId)
    .where(ownTeacher(tenantId, teacherId))
    .orderBy('weekday')
    .orderBy('start_time')
    .execute();
}

export async function insertRule(
  db: Kysely<Database>,
  tenantId: string,
  teacherId: string,
  rule: StoredAvailabilityRule,
): Promise<void> {
  await sql`INSERT INTO availability_rules (id, teacher_id, weekday, start_time, end_time)
            SELECT ${rule.id}, ${teacherId}, ${rule.weekday}, ${rule.startTime}, ${rule.endTime}
             WHERE ${ownTeacher(tenantId, teacherId)}`.execute(db);
}

export function replaceRulesStatements(
  db: Kysely<Database>,
  tenantId: string,
  teacherId: string,
  rules: StoredAvailabilityRule[],
): Compilable[] {
  return [
    db.deleteFrom('availability_rules').where('teacher_id', '=', teacherId).where(ownTeacher(tenantId, teacherId)),
    {
      compile: () =>
        sql`INSERT INTO availability_rules (id, teacher_id, weekday, start_time, end_time)
            SELECT json_extract(value, '$.id'), ${teacherId}, json_extract(value, '$.weekday'),
                   json_extract(value, '$.startTime'), json_extract(value, '$.endTime')
              FROM json_each(${JSON.stringify(rules)})
             WHERE ${ownTeacher(tenantId, teacherId)}`.compile(db),
    },
  ];
}

export async function listTimeOff(db: Kysely<Database>, tenantId: string, teacherId: string): Promise<TimeOffEntry[]> {
  return (
    db
      .selectFrom('time_off')
      .select(['id', 'start_utc as startUtc', 'end_utc as endUtc', 'reason'])
      .where('teacher_id', '=', teacherId)
      // An external calendar's busy time is listed with its calendar, not as time off entered by hand.
      .where('calendar_id', 'is', null)
      .where(ownTeacher(tenantId, teacherId))
      .orderBy('start_utc')
      .execute()
  );
}
