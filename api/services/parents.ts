import { DEFAULT_TENANT_ID } from '../contract/auth.js';
import { ApiError } from '../contract/errors.js';
import type { ParentTokenBody } from '../contract/schemas.js';
import { PARENT_TOKEN_TTL } from '../contract/tokens.js';
import type { ParentIdentity, ParentToken } from '../contract/wire.js';
import { guardianStudents, upsertFamilyBatch } from '../db/repositories/guardians.js';
import { DEMO_FAMILY } from '../db/seed.js';
import { runBatch } from '../db/store.js';
import type { AppDeps } from '../deps.js';
import type { ParentAccess } from './access.js';
import { secretOf, signToken } from './tokens.js';

/**
 * The school's server vouches for a family: upserts the guardian and the children by the school's
 * own ids in one batch, then signs a parent token naming them. A child the school already gave to
 * another guardian is refused by the database (the batch writes nothing).
 */
export async function issueParentToken(deps: AppDeps, tenantId: string, body: ParentTokenBody): Promise<ParentToken> {
  const now = deps.now();
  let family;
  try {
    family = await runBatch(
      deps.store,
      upsertFamilyBatch(deps.store.db, {
        tenantId,
        guardianId: crypto.randomUUID(),
        guardian: {
          externalId: body.guardian.externalId,
          name: body.guardian.name,
          email: body.guardian.email ?? null,
          phone: body.guardian.phone ?? null,
        },
        students: body.students.map((s) => ({
          id: crypto.randomUUID(),
          externalId: s.externalId,
          name: s.name,
          nameAr: s.nameAr ?? null,
        })),
        now: now.toISOString(),
      }),
    );
  } catch (error) {
    const text = String((error as { message?: unknown })?.message ?? error);
    if (text.includes('guardian_mismatch')) {
      throw new ApiError(
        409,
        'student_of_other_guardian',
        'One of these students already belongs to another guardian of this school; nothing was changed.',
        null,
      );
    }
    if (text.includes('tenant_mismatch')) throw new ApiError(404, 'not_found', `No tenant with id ${tenantId}`);
    throw error;
  }
  const secret = await secretOf(deps, tenantId);
  const ttl = body.ttlSeconds ?? PARENT_TOKEN_TTL.default;
  const exp = Math.floor(now.getTime() / 1000) + ttl;
  const token = await signToken(deps, secret, 'parent', {
    tid: tenantId,
    sub: family.guardianId,
    sids: family.students.map((s) => s.id),
    exp,
  });
  return {
    token,
    expiresAt: new Date(exp * 1000).toISOString(),
    guardianId: family.guardianId,
    students: family.students,
  };
}

/** What a parent token names, with the children's names (for the widget's chooser). */
export async function parentIdentity(deps: AppDeps, access: ParentAccess): Promise<ParentIdentity> {
  return {
    guardianId: access.guardianId,
    students: await guardianStudents(deps.store.db, access.tenantId, access.guardianId, access.studentIds),
    expiresAt: new Date(access.exp * 1000).toISOString(),
  };
}

/** A parent token for the demo family, for `npm start`'s pages on this machine only. */
export function demoParentToken(deps: AppDeps): Promise<ParentToken> {
  return issueParentToken(deps, DEFAULT_TENANT_ID, DEMO_FAMILY);
}
