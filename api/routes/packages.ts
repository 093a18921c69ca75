import { Hono } from 'hono';
import { validator } from 'hono-openapi';
import type { AppDeps } from '../deps.js';
import { checkAvailability, getPackageView, purchaseSmartPack } from '../services/packages.js';
import type { PublicEnv } from './auth.js';
import { onInvalid } from './errors.js';
import { operation } from './openapi.js';
import { packageLifecycleRoutes } from './lifecycle.js';
import { checkMultiSlot, confirmPayment, idempotencyHeader, idParam, purchase } from '../contract/schemas.js';
import { confirmPayment as confirmPackagePayment } from '../services/holds.js';
import { actingTenant, authenticate, requireAdmin, type AuthEnv } from './auth.js';
import { multiSlotAvailabilitySchema, packageViewSchema, purchasedPackageSchema } from '../contract/responses.js';
import { requireAccess, type AccessEnv } from './parent-auth.js';
import { SCHEDULING_ERROR_CODES } from '../contract/errors.js';
import { tenantLimits } from '../services/rate-limit.js';
import { rateLimit } from './rate-limit.js';

/** Checking, buying and reading Smart Packs. */
export function packageRoutes(deps: AppDeps) {
  // Counted per family, whatever address or device it buys from, in the tenant's own limit. Well-formed
  // attempts count (a retry with the same idempotency key too), so a script cannot probe for free.
  const purchasesPerParent = rateLimit(deps, {
    bucket: (c) => {
      const access = c.get('access');
      return access.kind === 'parent' ? `parent:${access.tenantId}:${access.guardianId}:purchases` : null;
    },
    limit: async (c) => (await tenantLimits(deps, c.get('access').tenantId)).purchasesPerHourPerParent,
    windowSeconds: 3600,
    what: 'purchases by this family',
  });
  return new Hono<AccessEnv & PublicEnv>()
    .post(
      '/check-multi-slot-availability',
      operation({
        operationId: 'checkMultiSlotAvailability',
        tag: 'packages',
        publishable: true,
        summary: 'Check weekly patterns before buying: the sessions they give, the conflicts and their resolutions',
        description:
          'Runs the same scheduling as the purchase, without writing. Give `tierId` or `recurringSessionCount`. Each ' +
          'conflicting occurrence is skipped and the series runs one week longer (`extend`, the default), moved to ' +
          'another slot that week (`alternative`), or turned into one more floating session (`float`), as ' +
          '`resolutions` say.',
        responses: {
          200: {
            description: 'Whether the patterns fit, and the sessions they would book.',
            schema: multiSlotAvailabilitySchema,
          },
        },
        errors: [
          'validation_error',
          'malformed_request',
          'teacher_not_found',
          'subject_not_taught',
          'tier_not_found',
          ...SCHEDULING_ERROR_CODES,
        ],
      }),
      validator('json', checkMultiSlot, onInvalid),
      async (c) => c.json(await checkAvailability(deps, c.get('tenantId'), c.req.valid('json'))),
    )
    .post(
      '/',
      operation({
        operationId: 'purchasePackage',
        tag: 'packages',
        publishable: true,
        summary: 'Buy a Smart Pack: re-checks the patterns and books every recurring session at once',
        description:
          'Idempotent: send the same `Idempotency-Key` (header, or `idempotencyKey` in the body) when retrying. The ' +
          'same purchase with a used key answers 200 with the package it bought; another purchase with it, 409. In a ' +
          'tenant with `paymentMode: "required"` the package answers `pending_payment`: its sessions hold their ' +
          'slots until `holdExpiresAt` (now + the tenant’s `holdMinutes`) while the partner collects `priceMinor` ' +
          '`currency` and confirms it (`POST /packages/{id}/confirm`); a family has at most 3 unfinished purchases ' +
          '(the tenant’s `maxOpenPurchases`) at once. Give ' +
          '`recurringPatterns`, or the older single-slot `recurringWeekday` + `recurringTime`. Needs the parent ' +
          'token of the student’s family (`Authorization: Bearer`); the package is that guardian’s. The answer ' +
          'carries the package’s manage link (`manage`), as the `pack.purchased` webhook does.',
        parent: true,
        responses: {
          201: { description: 'Bought: the new package and its manage link.', schema: purchasedPackageSchema },
          200: {
            description: 'A retry of a purchase already made with this key: that package.',
            schema: purchasedPackageSchema,
          },
        },
        errors: [
          'unauthorized',
          'student_not_in_token',
          'validation_error',
          'malformed_request',
          'idempotency_key_required',
          'idempotency_key_mismatch',
          'teacher_not_found',
          'student_not_found',
          'subject_not_taught',
          'tier_not_found',
          'idempotency_key_reused',
          'slot_taken',
          'not_available',
          'too_many_open_purchases',
          ...SCHEDULING_ERROR_CODES,
        ],
      }),
      requireAccess(deps, ['parent']),
      validator('header', idempotencyHeader, onInvalid),
      validator('json', purchase, onInvalid),
      purchasesPerParent,
      async (c) => {
        const access = c.get('access');
        // requireAccess(['parent']) let nothing else through.
        if (access.kind !== 'parent') throw new Error('purchase without a parent token');
        const { view, status } = await purchaseSmartPack(
          deps,
          c.req.valid('json'),
          c.req.valid('header')['idempotency-key'],
          access,
        );
        return c.json(view, status);
      },
    )
    .get(
      '/:id',
      operation({
        operationId: 'getPackage',
        tag: 'packages',
        publishable: true,
        summary: 'A bought package as the parent sees it now: state, sessions, floating credits, escrow',
        description:
          'Needs the guardian’s parent token or the package’s manage token; any other package id answers 404, ' +
          'whether or not it exists.',
        parent: true,
        responses: { 200: { description: 'The package.', schema: packageViewSchema } },
        errors: ['unauthorized', 'validation_error', 'package_not_found'],
      }),
      requireAccess(deps, ['parent', 'manage']),
      validator('param', idParam, onInvalid),
      async (c) => c.json(await getPackageView(deps, c.req.valid('param').id, c.get('access'))),
    )
    .route('/', confirmRoutes(deps))
    .route('/', packageLifecycleRoutes(deps));
}

/** The partner's server's side of a pending package (secret key, not a parent's token). */
function confirmRoutes(deps: AppDeps) {
  return new Hono<AuthEnv>().post(
    '/:id/confirm',
    operation({
      operationId: 'confirmPackagePayment',
      tag: 'packages',
      admin: true,
      summary: 'The partner’s server confirms the payment of a pending package: it becomes active',
      description:
        'With the tenant’s secret key (the partner’s server, after its checkout or its payment provider’s webhook). ' +
        '`amountMinor` and `currency` must equal the package’s `priceMinor` and `currency` (422 `amount_mismatch`). ' +
        'The same `paymentReference` again answers the same package; another reference for a confirmed package, ' +
        '409 `payment_reference_conflict` (also when the reference confirmed another package). A hold that lapsed ' +
        '(now ≥ `holdExpiresAt`) answers 409 `hold_expired`: refund the payment. The escrow hold is written and ' +
        '`pack.purchased` emitted at this moment.',
      responses: { 200: { description: 'Confirmed: the package, active.', schema: packageViewSchema } },
      errors: [
        'unauthorized',
        'validation_error',
        'malformed_request',
        'package_not_found',
        'amount_mismatch',
        'hold_expired',
        'payment_reference_conflict',
        'package_not_pending',
      ],
    }),
    authenticate(deps),
    requireAdmin(),
    validator('param', idParam, onInvalid),
    validator('json', confirmPayment, onInvalid),
    async (c) =>
      c.json(await confirmPackagePayment(deps, actingTenant(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
}
