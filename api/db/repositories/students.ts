import type { Kysely } from 'kysely';
import type { Student } from '../../contract/wire.js';
import type { Database } from '../schema.js';

const columns = ['id', 'name', 'name_ar as nameAr', 'email', 'phone', 'timezone', 'locale'] as const;

export async function listStudents(db: Kysely<Database>, tenantId: string): Promise<Student[]> {
  return db.selectFrom('students').select(columns).where('tenant_id', '=', tenantId).orderBy('name').execute();
}

export async function insertStudent(db: Kysely<Database>, tenantId: string, student: Student): Promise<Student> {
  return db
    .insertInto('students')
    .values({ ...row(student), id: student.id, tenant_id: tenantId })
    .returning(columns)
    .executeTakeFirstOrThrow();
}

function row({ nameAr, ...rest }: Omit<Student, 'id'>) {
  return { ...rest, name_ar: nameAr };
}

/** The student as changed, or undefined when the tenant has no such student. */
export async function updateStudent(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  values: Omit<Student, 'id'>,
): Promise<Student | undefined> {
  return db
    .updateTable('students')
    .set(row(values))
    .where('id', '=', id)
    .where('tenant_id', '=', tenantId)
    .returning(columns)
    .executeTakeFirst();
}
