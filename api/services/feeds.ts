import { ApiError } from '../contract/errors.js';
import type { CalendarFeed } from '../contract/wire.js';
import { rotateFeed } from '../db/repositories/guardians.js';
import { findPackage, type PackageRecord } from '../db/repositories/packages.js';
import type { AppDeps } from '../deps.js';
import type { PackageAccess } from './access.js';
import { found, notFound } from './lookup.js';
import { feedPath, verifyToken } from './tokens.js';

/**
 * The package a calendar feed token opens: the token must be a feed token (a manage or parent token
 * is refused, so neither ever works in, or needs to be put in, a calendar URL), of this package and of
 * its current feed version. A token of another package answers 404 like an unknown id; a rotated one 401.
 */
export async function feedPackage(deps: AppDeps, packageId: string, token: string | undefined): Promise<PackageRecord> {
  if (!token) throw new ApiError(401, 'unauthorized', 'Open the feed with the calendarPath of the package (?token=…).');
  const claims = await verifyToken(deps, token, 'feed');
  const record = await findPackage(deps.store.db, claims.tid, { id: packageId });
  const mine = record && claims.pid === record.id && claims.tid === record.tenantId ? record : undefined;
  const feed = found(mine, () => notFound.package(packageId));
  if (claims.ver !== feed.feedTokenVersion) {
    throw new ApiError(401, 'unauthorized', 'This calendar URL was replaced; subscribe again from the package page.');
  }
  return feed;
}

/**
 * A new feed URL: one guarded UPDATE bumps the package's feed version (only the owner's: same tenant,
 * and the guardian's for a parent token) and RETURNs it; none returned is the 404 of any other id.
 */
export async function rotateCalendarFeed(
  deps: AppDeps,
  packageId: string,
  access: PackageAccess,
): Promise<CalendarFeed> {
  if (access.kind === 'manage' && access.packageId !== packageId) throw notFound.package(packageId);
  const rotated = found(
    await rotateFeed(deps.store.db, packageId, {
      tenantId: access.tenantId,
      guardianId: access.kind === 'parent' ? access.guardianId : null,
    }),
    () => notFound.package(packageId),
  );
  return {
    calendarPath: await feedPath(deps, access.secret, {
      id: packageId,
      tenantId: access.tenantId,
      gracePeriodEnds: rotated.gracePeriodEnds,
      feedTokenVersion: rotated.version,
    }),
    version: rotated.version,
  };
}
