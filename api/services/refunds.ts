import { cancelPendingPackage } from './holds.js';
import type { PackageView } from '../contract/wire.js';
import { ApiError } from '../contract/errors.js';
import type { AppDeps } from '../deps.js';
import { cancelActiveBatch } from '../db/repositories/refunds.js';
import type { PackageRecord } from '../db/repositories/packages.js';
import { runBatch } from '../db/store.js';
import { ownedPackageOr404, withFeed, type PackageAccess } from './access.js';
import { assertPackageOpen } from './lifecycle.js';
import { found, notFound } from './lookup.js';
import { flaggedAlternatives, packageState, toPackageView } from './packages.js';
import { noticeCutoff } from './policy.js';

/*
 * Refunds (docs/lifecycle.md, "Refunds"). What is owed back is derived from the clock at once (the
 * view's `escrow.refundDueMinor`); the ledger rows and their events are written by one guarded
 * batch each, at most once whatever runs twice. The expiry refund is written by the outbox sweep
 * (`enqueueExpiryRefunds` in outbox.ts); the parent's cancellation here.
 */

/** An active package with something left to cancel; throws why not. */
function assertCancellable(record: PackageRecord, now: Date): void {
  assertPackageOpen(record, now);
  if (packageState(record, now) === 'completed') {
    throw new ApiError(
      409,
      'package_completed',
      'Every session of this package was taught and no floating credit is left; there is nothing to cancel.',
      { packageId: record.id },
    );
  }
}

/**
 * `POST /packages/:id/cancel`: a package never paid (still holding, or lapsed) is a hold to give up, one
 * that was paid is a refund under the policy (docs/lifecycle.md, "Refunds").
 */
export async function cancelPackage(deps: AppDeps, packageId: string, access: PackageAccess): Promise<PackageView> {
  const record = await ownedPackageOr404(deps, packageId, access);
  return record.holdExpiresAt !== null
    ? cancelPendingPackage(deps, record, access)
    : cancelActivePackage(deps, record, access);
}

/**
 * The parent cancels an active package: sessions after the change window are cancelled and their
 * shares refunded, the unused floating credits' share refunded, sessions inside the window stay
 * booked. One guarded batch (`cancelActiveBatch`); a cancellation that lost a race to another, or
 * to the package's end, commits nothing and answers why.
 */
export async function cancelActivePackage(
  deps: AppDeps,
  record: PackageRecord,
  access: PackageAccess,
): Promise<PackageView> {
  const now = deps.now();
  const packageId = record.id;
  assertCancellable(record, now);
  const written = await runBatch(
    deps.store,
    cancelActiveBatch(deps.store.db, {
      packageId,
      token: crypto.randomUUID(),
      now: now.toISOString(),
      noticeCutoff: noticeCutoff(now),
    }),
  );
  const fresh = found(written.record, () => notFound.package(packageId));
  if (!written.applied) {
    // The guard refused; the package as the same batch saw it says why.
    assertCancellable(fresh, now);
    throw new ApiError(409, 'package_changed', 'The package changed while cancelling; please try again.', {
      packageId,
    });
  }
  return withFeed(deps, access, fresh, toPackageView(fresh, now, await flaggedAlternatives(deps, fresh, now)));
}
