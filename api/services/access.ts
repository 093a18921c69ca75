import type { PackageView } from '../contract/wire.js';
import type { AppDeps } from '../deps.js';
import { findPackage, type PackageRecord } from '../db/repositories/packages.js';
import { found, notFound } from './lookup.js';
import { feedPath } from './tokens.js';

/**
 * Who may act on a package, as their verified token says: a parent (the guardian's token: every
 * package of that guardian) or a manage link (that one package). Routes resolve it once per request
 * (api/routes/parent-auth.ts); services take it and never read a header.
 */
export type PackageAccess =
  | { kind: 'parent'; tenantId: string; guardianId: string; studentIds: string[]; exp: number; secret: string }
  | { kind: 'manage'; tenantId: string; packageId: string; secret: string };

/** The parent's own access (a purchase needs a parent token, not a manage link). */
export type ParentAccess = Extract<PackageAccess, { kind: 'parent' }>;

/** Whether `access` reaches `record`: same tenant, and that guardian's package or that very package. */
export function owns(access: PackageAccess, record: Pick<PackageRecord, 'id' | 'tenantId' | 'guardianId'>): boolean {
  if (record.tenantId !== access.tenantId) return false;
  return access.kind === 'parent' ? record.guardianId === access.guardianId : record.id === access.packageId;
}

/**
 * The package, if `access` reaches it; otherwise the same 404 as for an unknown id, so a package id
 * tells nobody else whether it exists.
 */
export async function ownedPackageOr404(deps: AppDeps, packageId: string, access: PackageAccess) {
  const record = await findPackage(deps.store.db, access.tenantId, { id: packageId });
  return found(record && owns(access, record) ? record : undefined, () => notFound.package(packageId));
}

/** The view as its owner gets it: `calendarPath` carries a read-only feed token (never theirs). */
export async function withFeed(
  deps: AppDeps,
  access: PackageAccess,
  record: Pick<PackageRecord, 'id' | 'tenantId' | 'gracePeriodEnds' | 'feedTokenVersion'>,
  view: PackageView,
): Promise<PackageView> {
  return { ...view, calendarPath: await feedPath(deps, access.secret, record) };
}
