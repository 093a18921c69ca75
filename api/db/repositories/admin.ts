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

export async function adminListTeachers(db: Kysely<Database>): Promise<AdminTeacher[]> {
  const rows = await db.selectFrom('teachers').select(teacherColumns()).orderBy('name').execute();
  return rows.map((row) => ({ ...row, subjectIds: JSON.parse(row.subjectIds) as string[] }));
}

export async function adminGetTeacher(db: Kysely<Database>, id: string): Promise<AdminTeacher | undefined> {
  const row = await db.selectFrom('teachers').select(teacherColumns()).where('id', '=', id).executeTakeFirst();
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
export function createTeacherStatements(db: Kysely<Database>, id: string, input: TeacherInput): Compilable[] {
  const statements: Compilable[] = [
    db
      .insertInto('teachers')
      .values({ id, ...teacherValues(input) })
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

/** Upsert of a teacher and (when given) the exact set of subjects, as statements for one batch. */
export function saveTeacherStatements(db: Kysely<Database>, id: string, input: TeacherInput): Compilable[] {
  const values = teacherValues(input);
  const statements: Compilable[] = [
    db
      .insertInto('teachers')
      .values({ id, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values)),
  ];
  if (input.subjectIds) {
    statements.push(db.deleteFrom('teacher_subjects').where('teacher_id', '=', id), {
      compile: () =>
        sql`INSERT INTO teacher_subjects (teacher_id, subject_id)
              SELECT ${id}, value FROM json_each(${JSON.stringify(input.subjectIds)})`.compile(db),
    });
  }
  return statements;
}

export async function listRules(db: Kysely<Database>, teacherId: string): Promise<StoredAvailabilityRule[]> {
  return db
    .selectFrom('availability_rules')
    .select(['id', 'weekday', 'start_time as startTime', 'end_time as endTime'])
    .where('teacher_id', '=', teacherId)
    .orderBy('weekday')
    .orderBy('start_time')
    .execute();
}

export async function insertRule(db: Kysely<Database>, teacherId: string, rule: StoredAvailabilityRule): Promise<void> {
  await db
    .insertInto('availability_rules')
    .values({
      id: rule.id,
      teacher_id: teacherId,
      weekday: rule.weekday,
      start_time: rule.startTime,
      end_time: rule.endTime,
    })
    .execute();
}

export function replaceRulesStatements(
  db: Kysely<Database>,
  teacherId: string,
  rules: StoredAvailabilityRule[],
): Compilable[] {
  return [
    db.deleteFrom('availability_rules').where('teacher_id', '=', teacherId),
    {
      compile: () =>
        sql`INSERT INTO availability_rules (id, teacher_id, weekday, start_time, end_time)
            SELECT json_extract(value, '$.id'), ${teacherId}, json_extract(value, '$.weekday'),
                   json_extract(value, '$.startTime'), json_extract(value, '$.endTime')
              FROM json_each(${JSON.stringify(rules)})`.compile(db),
    },
  ];
}

export async function listTimeOff(db: Kysely<Database>, teacherId: string): Promise<TimeOffEntry[]> {
  return db
    .selectFrom('time_off')
    .select(['id', 'start_utc as startUtc', 'end_utc as endUtc', 'reason'])
    .where('teacher_id', '=', teacherId)
    .orderBy('start_utc')
    .execute();
}
