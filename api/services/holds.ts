import { ApiError } from '../contract/errors.js';
import type { ConfirmPayment } from '../contract/schemas.js';
import type { PackageView } from '../contract/wire.js';
import type { AppDeps } from '../deps.js';
import {
  cancelHoldBatch,
  confirmBatch,
  isPaymentReferenceTaken,
  packageTenant,
  type HoldWritten,
} from '../db/repositories/holds.js';
import type { PackageRecord } from '../db/repositories/packages.js';
import { isBookingConflict, runBatch } from '../db/store.js';
import { withFeed, type PackageAccess } from './access.js';
import { found, notFound, packageOr404 } from './lookup.js';
import { packageState, toPackageView } from './packages.js';

/*
 * Pay to confirm (issue 10). A purchase in a tenant with `paymentMode: "required"` is pending until
 * `holdExpiresAt`; its sessions hold their slots meanwhile. The partner's server confirms the
 * payment (`confirmPayment`), or the parent gives up (`cancelPendingPackage`); if neither comes, the
 * hold lapses by the clock alone and the slots are free (the outbox announces `pack.hold_expired`
 * when it notices).
 */

function holdExpired(record: PackageRecord): ApiError {
  return new ApiError(
    409,
    'hold_expired',
    'The hold on these sessions lapsed before the payment was confirmed; the slots are free again.',
    { packageId: record.id, holdExpiresAt: record.holdExpiresAt },
  );
}

function notPending(record: PackageRecord, state: string): ApiError {
  return new ApiError(409, 'package_not_pending', `This package is ${state}, not waiting for payment.`, {
    packageId: record.id,
    state,
  });
}

/**
 * Why `record` cannot be confirmed with `body` at `now`, or null when it can (or when it already
 * was, with this very reference: the replay). The order is the answer's: a confirmed package
 * answers for its reference first, then a cancelled one, then the price, then the clock.
 */
function confirmRefusal(record: PackageRecord, body: ConfirmPayment, now: Date): ApiError | null {
  const state = packageState(record, now);
  if (record.holdExpiresAt === null && record.status !== 'cancelled') {
    if (record.paymentReference === body.paymentReference) return null;
    if (record.paymentReference !== null) {
      return new ApiError(
        409,
        'payment_reference_conflict',
        'This package was already confirmed with another payment reference.',
        { packageId: record.id },
      );
    }
    return notPending(record, state);
  }
  if (state === 'cancelled') return notPending(record, state);
  if (body.amountMinor !== record.priceMinor || body.currency !== record.currency) {
    return new ApiError(422, 'amount_mismatch', 'The payment does not match the package’s price.', {
      packageId: record.id,
      priceMinor: record.priceMinor,
      currency: record.currency,
      amountMinor: body.amountMinor,
      paidCurrency: body.currency,
    });
  }
  if (state === 'hold_expired') return holdExpired(record);
  return null;
}

/**
 * The partner's server confirms the payment of a pending package of its tenant: 200 with the package,
 * now active. Decided by one guarded UPDATE (hold still live at now, exact price), so a confirm
 * racing the expiry, or a second confirm, has one outcome; the same reference again answers the
 * same, another one 409.
 */
export async function confirmPayment(
  deps: AppDeps,
  tenantId: string,
  packageId: string,
  body: ConfirmPayment,
): Promise<PackageView> {
  const now = deps.now();
  const before = await packageOr404(deps, tenantId, packageId);
  const refusal = confirmRefusal(before, body, now);
  if (refusal) throw refusal;
  if (before.holdExpiresAt === null) return toPackageView(before, now);
  let written: HoldWritten;
  try {
    written = await runBatch(
      deps.store,
      confirmBatch(deps.store.db, { tenantId, packageId, ...body, now: now.toISOString() }),
    );
  } catch (error) {
    // The confirming sessions would overlap a live booking: the slots went to someone else after the
    // hold lapsed by another process's clock. The hold is over for this package either way.
    if (isBookingConflict(error)) throw holdExpired(before);
    if (!isPaymentReferenceTaken(error)) throw error;
    throw new ApiError(409, 'payment_reference_conflict', 'This payment reference already confirmed another package.', {
      packageId,
      paymentReference: body.paymentReference,
    });
  }
  const after = found(written.record, () => notFound.package(packageId));
  if (!written.applied) {
    // Someone else's write came first (another confirm, a cancel): the state the batch saw says which.
    const raced = confirmRefusal(after, body, now);
    if (raced) throw raced;
  }
  return toPackageView(after, now);
}

/**
 * The parent gives up a purchase while it waits for payment: the package and its sessions are
 * cancelled at once and the slots free. Replays answer the cancelled package. A confirmed package
 * answers 409 `package_not_pending` (cancelling a paid pack is a refund, another policy); a lapsed
 * hold 409 `hold_expired` (its slots are free already).
 */
export async function cancelPendingPackage(
  deps: AppDeps,
  record: PackageRecord,
  access: PackageAccess,
): Promise<PackageView> {
  const now = deps.now();
  const packageId = record.id;
  const refuse = (current: PackageRecord): PackageView | null => {
    const state = packageState(current, now);
    if (state === 'cancelled') return toPackageView(current, now);
    if (state === 'hold_expired') throw holdExpired(current);
    if (state !== 'pending_payment') throw notPending(current, state);
    return null;
  };
  const early = refuse(record);
  if (early) return withFeed(deps, access, record, early);
  const written = await runBatch(
    deps.store,
    cancelHoldBatch(deps.store.db, {
      tenantId: access.tenantId,
      packageId,
      token: crypto.randomUUID(),
      now: now.toISOString(),
    }),
  );
  const after = found(written.record, () => notFound.package(packageId));
  const view = written.applied ? toPackageView(after, now) : refuse(after);
  if (!view)
    throw new ApiError(409, 'package_changed', 'The package changed meanwhile; please try again.', { packageId });
  return withFeed(deps, access, after, view);
}

/**
 * The demo's checkout (`POST /demo/checkout/:packageId`, this machine only): pays the package's own
 * price with a made-up reference, through the same confirmation as the partner's server. A package
 * already confirmed answers as the replay of its own reference.
 */
export async function demoCheckout(deps: AppDeps, packageId: string): Promise<PackageView> {
  const tenantId = found(await packageTenant(deps.store.db, packageId), () => notFound.package(packageId));
  const record = await packageOr404(deps, tenantId, packageId);
  const paymentReference = record.paymentReference ?? `demo-${crypto.randomUUID()}`;
  return confirmPayment(deps, tenantId, packageId, {
    paymentReference,
    amountMinor: record.priceMinor,
    currency: record.currency,
  });
}
