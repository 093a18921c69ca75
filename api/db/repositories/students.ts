import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface StudentRecord {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  timezone: string | null;
  locale: string | null;
}

const columns = ['id', 'name', 'email', 'phone', 'timezone', 'locale'] as const;

export async function listStudents(db: Kysely<Database>): Promise<StudentRecord[]> {
  return db.selectFrom('students').select(columns).orderBy('name').execute();
}

export async function insertStudent(db: Kysely<Database>, student: StudentRecord): Promise<StudentRecord> {
  return db.insertInto('students').values(student).returning(columns).executeTakeFirstOrThrow();
}

/** The student as changed, or undefined when there is no such student. */
export async function updateStudent(
  db: Kysely<Database>,
  id: string,
  values: Omit<StudentRecord, 'id'>,
): Promise<StudentRecord | undefined> {
  return db.updateTable('students').set(values).where('id', '=', id).returning(columns).executeTakeFirst();
}
