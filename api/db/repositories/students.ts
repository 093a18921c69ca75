import type { Kysely } from 'kysely';
import type { Student } from '../../contract/wire.js';
import type { Database } from '../schema.js';

const columns = ['id', 'name', 'email', 'phone', 'timezone', 'locale'] as const;

export async function listStudents(db: Kysely<Database>): Promise<Student[]> {
  return db.selectFrom('students').select(columns).orderBy('name').execute();
}

export async function insertStudent(db: Kysely<Database>, student: Student): Promise<Student> {
  return db.insertInto('students').values(student).returning(columns).executeTakeFirstOrThrow();
}

/** The student as changed, or undefined when there is no such student. */
export async function updateStudent(
  db: Kysely<Database>,
  id: string,
  values: Omit<Student, 'id'>,
): Promise<Student | undefined> {
  return db.updateTable('students').set(values).where('id', '=', id).returning(columns).executeTakeFirst();
}
