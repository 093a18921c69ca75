import { sql, type Kysely } from 'kysely';
import type { TeacherListing } from '../../contract/wire.js';
import type { Database } from '../schema.js';

export type { TeacherListing } from '../../contract/wire.js';

export async function listTeachers(
  db: Kysely<Database>,
  tenantId: string,
  subjectId?: string,
): Promise<TeacherListing[]> {
  let query = db
    .selectFrom('teachers as t')
    .select([
      't.id',
      't.name',
      't.name_ar as nameAr',
      't.bio',
      't.timezone',
      't.currency',
      't.hourly_rate_minor as hourlyRateMinor',
      sql<string>`(SELECT json_group_array(json_object('id', s.id, 'name', s.name, 'nameAr', s.name_ar))
        FROM (SELECT s.* FROM subjects s JOIN teacher_subjects ts ON ts.subject_id = s.id
              WHERE ts.teacher_id = t.id ORDER BY s.name) s)`.as('subjects'),
    ])
    .where('t.tenant_id', '=', tenantId)
    .orderBy('t.name');
  if (subjectId) {
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('teacher_subjects as ts')
          .select('ts.teacher_id')
          .whereRef('ts.teacher_id', '=', 't.id')
          .where('ts.subject_id', '=', subjectId),
      ),
    );
  }
  const rows = await query.execute();
  return rows.map((row) => ({ ...row, subjects: JSON.parse(row.subjects) as TeacherListing['subjects'] }));
}

export async function findTeacher(db: Kysely<Database>, tenantId: string, teacherId: string) {
  return db
    .selectFrom('teachers')
    .select([
      'id',
      'name',
      'name_ar as nameAr',
      'bio',
      'timezone',
      'currency',
      'hourly_rate_minor as hourlyRateMinor',
      'min_notice_minutes as minNoticeMinutes',
      'horizon_days as horizonDays',
    ])
    .where('id', '=', teacherId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

export async function teachesSubject(db: Kysely<Database>, teacherId: string, subjectId: string): Promise<boolean> {
  const row = await db
    .selectFrom('teacher_subjects')
    .select('teacher_id')
    .where('teacher_id', '=', teacherId)
    .where('subject_id', '=', subjectId)
    .executeTakeFirst();
  return row !== undefined;
}
