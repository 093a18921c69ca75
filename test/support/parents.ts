import { ADMIN_KEY } from './target.js';
import { client, type Client } from './http.js';

/**
 * A family as a school's server vouches for it: `POST /auth/parent-tokens` with the operator key (or
 * a tenant's secret key), over HTTP, and the public API as that parent's browser calls it.
 */
export interface Parent {
  token: string;
  expiresAt: string;
  guardianId: string;
  /** The school's id of the guardian, to mint again for the same family. */
  guardianExternalId: string;
  students: { id: string; externalId: string; name: string }[];
  studentIds: string[];
  /** The public API with this parent's token as the bearer. */
  api: Client;
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

/**
 * Mints a parent token on `target` for the children named by the school's ids `studentIds` (new ones
 * are created; one fresh child by default), under a new guardian unless `guardian` names one.
 */
export async function parentFor(
  target: { url: string },
  studentIds: string[] = [unique('student')],
  options: { guardian?: string; ttlSeconds?: number; key?: string; tenantId?: string; publishableKey?: string } = {},
): Promise<Parent> {
  const guardianExternalId = options.guardian ?? unique('guardian');
  const headers: Record<string, string> = { authorization: `Bearer ${options.key ?? ADMIN_KEY}` };
  if (options.tenantId) headers['x-tenant-id'] = options.tenantId;
  const response = await client(target.url, headers).post('/auth/parent-tokens', {
    guardian: { externalId: guardianExternalId, name: 'Test Parent' },
    students: studentIds.map((externalId, index) => ({ externalId, name: `Test Student ${index + 1}` })),
    ...(options.ttlSeconds ? { ttlSeconds: options.ttlSeconds } : {}),
  });
  if (response.status !== 201) throw new Error(`parent token: ${response.status} ${JSON.stringify(response.body)}`);
  const body = response.body as Omit<Parent, 'api' | 'studentIds' | 'guardianExternalId'>;
  return {
    ...body,
    guardianExternalId,
    studentIds: body.students.map((s) => s.id),
    api: client(target.url, {
      authorization: `Bearer ${body.token}`,
      ...(options.publishableKey ? { 'x-publishable-key': options.publishableKey } : {}),
    }),
  };
}

/** The same family's token minted by another server (e.g. one at a later instant, whose clock judges it). */
export function parentAgain(target: { url: string }, parent: Parent, options: { ttlSeconds?: number } = {}) {
  return parentFor(
    target,
    parent.students.map((s) => s.externalId),
    { ...options, guardian: parent.guardianExternalId },
  );
}

/** The public API with a purchased package's manage token as the bearer. */
export function manageClient(target: { url: string }, pack: { manage: { token: string } }): Client {
  return client(target.url, { authorization: `Bearer ${pack.manage.token}` });
}
