import type { Kysely } from 'kysely';
import type { SubjectSummary } from '../../contract/wire.js';
import type { Database } from '../schema.js';

const columns = ['id', 'name', 'name_ar as nameAr'] as const;

export async function listSubjects(db: Kysely<Database>, tenantId: string): Promise<SubjectSummary[]> {
  return db.selectFrom('subjects').select(columns).where('tenant_id', '=', tenantId).orderBy('name').execute();
}

export async function insertSubject(
  db: Kysely<Database>,
  tenantId: string,
  subject: SubjectSummary,
): Promise<SubjectSummary> {
  return db
    .insertInto('subjects')
    .values({ tenant_id: tenantId, id: subject.id, name: subject.name, name_ar: subject.nameAr })
    .returning(columns)
    .executeTakeFirstOrThrow();
}

/** The subject as changed, or undefined when the tenant has no such subject. */
export async function updateSubject(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  values: Omit<SubjectSummary, 'id'>,
): Promise<SubjectSummary | undefined> {
  return db
    .updateTable('subjects')
    .set({ name: values.name, name_ar: values.nameAr })
    .where('id', '=', id)
    .where('tenant_id', '=', tenantId)
    .returning(columns)
    .executeTakeFirst();
}
