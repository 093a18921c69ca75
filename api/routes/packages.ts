import { Hono } from 'hono';
import { zValidator } from '@hono/zod-validator';
import type { AppDeps } from '../deps.js';
import { checkAvailability, getPackageView, purchaseSmartPack } from '../services/packages.js';
import { onInvalid } from './errors.js';
import { packageLifecycleRoutes } from './lifecycle.js';
import { checkMultiSlot, idempotencyHeader, idParam, purchase } from '../contract/schemas.js';

/** Checking, buying and reading Smart Packs. */
export function packageRoutes(deps: AppDeps) {
  return new Hono()
    .post('/check-multi-slot-availability', zValidator('json', checkMultiSlot, onInvalid), async (c) =>
      c.json(await checkAvailability(deps, c.req.valid('json'))),
    )
    .post(
      '/',
      zValidator('header', idempotencyHeader, onInvalid),
      zValidator('json', purchase, onInvalid),
      async (c) => {
        const { view, status } = await purchaseSmartPack(
          deps,
          c.req.valid('json'),
          c.req.valid('header')['idempotency-key'],
        );
        return c.json(view, status);
      },
    )
    .get('/:id', zValidator('param', idParam, onInvalid), async (c) =>
      c.json(await getPackageView(deps, c.req.valid('param').id)),
    )
    .route('/', packageLifecycleRoutes(deps));
}
