import { Hono } from 'hono';
import { validator } from 'hono-openapi';
import type { AppDeps } from '../deps.js';
import { listTenants } from '../db/repositories/tenants.js';
import { createTenant, rotateKeys, updateTenant } from '../services/tenants.js';
import { keyRotationBody, idParam, tenantBody, tenantPatch } from '../contract/schemas.js';
import {
  createdTenantSchema,
  rotatedKeysSchema,
  tenantListSchema,
  updatedTenantSchema,
} from '../contract/responses.js';
import { PUBLISHABLE_KEY_TTL_MS } from '../contract/auth.js';
import { requireOperator, type AuthEnv } from './auth.js';
import { onInvalid } from './errors.js';
import { operation } from './openapi.js';

const OPERATOR_ONLY =
  'Operator key only: a tenant’s secret key gets 404 `not_found` here, as for a route that does not exist.';

/** Tenant management (mounted under /admin, after its authentication): the operator's alone. */
export function tenantRoutes(deps: AppDeps) {
  return new Hono<AuthEnv>()
    .use('/tenants', requireOperator())
    .use('/tenants/*', requireOperator())
    .post(
      '/tenants',
      operation({
        operationId: 'adminCreateTenant',
        tag: 'admin',
        admin: true,
        summary: 'Create a tenant (a school or partner) with its publishable and secret keys',
        description:
          `${OPERATOR_ONLY} The keys (and, with a \`webhookUrl\`, the webhook secret) are in this answer only: ` +
          'only their SHA-256 is stored. Give the publishable key to web pages (the widget’s `publishable-key`), ' +
          'the secret key to the partner’s server.',
        responses: { 201: { description: 'The tenant and its keys, shown once.', schema: createdTenantSchema } },
        errors: ['unauthorized', 'not_found', 'validation_error', 'malformed_request'],
      }),
      validator('json', tenantBody, onInvalid),
      async (c) => c.json(await createTenant(deps, c.req.valid('json')), 201),
    )
    .get(
      '/tenants',
      operation({
        operationId: 'adminListTenants',
        tag: 'admin',
        admin: true,
        summary: 'Every tenant, oldest first, with the prefixes of its live keys (never a key)',
        description: OPERATOR_ONLY,
        responses: { 200: { description: 'The tenants.', schema: tenantListSchema } },
        errors: ['unauthorized', 'not_found'],
      }),
      async (c) => c.json({ tenants: await listTenants(deps.store.db) }),
    )
    .patch(
      '/tenants/:id',
      operation({
        operationId: 'adminUpdateTenant',
        tag: 'admin',
        admin: true,
        summary: 'Change a tenant’s settings: name, origins, webhook, hold length, payment mode, abuse limits',
        description:
          `${OPERATOR_ONLY} Only the fields sent change; null clears a nullable one (\`allowedOrigins\`: the ` +
          'deployment’s CORS_ORIGIN; a limit: the deployment’s). A first `webhookUrl` gets a webhook secret and ' +
          '`rotateWebhookSecret: true` replaces it: it is in this answer only. Holds already made keep their ' +
          'length; purchases after this follow the new `holdMinutes` and `paymentMode`.',
        responses: { 200: { description: 'The tenant as changed.', schema: updatedTenantSchema } },
        errors: ['unauthorized', 'not_found', 'validation_error', 'malformed_request', 'tenant_not_found'],
      }),
      validator('param', idParam, onInvalid),
      validator('json', tenantPatch, onInvalid),
      async (c) => c.json(await updateTenant(deps, c.req.valid('param').id, c.req.valid('json'))),
    )
    .post(
      '/tenants/:id/keys',
      operation({
        operationId: 'adminRotateTenantKeys',
        tag: 'admin',
        admin: true,
        summary: 'Rotate a tenant’s secret key (default), publishable key, or both',
        description:
          `${OPERATOR_ONLY} The old secret key stops working the moment this answers. A rotated publishable key ` +
          `may still be accepted for up to ${PUBLISHABLE_KEY_TTL_MS / 1000} s by a server that resolved it before ` +
          '(it is cached; secret keys never are). Of two rotations racing for one key, one wins and the other ' +
          'answers 409 `rotation_conflict`, changing nothing. With `endTokens: true` the tenant’s token signing ' +
          'secret is replaced in the same batch: every parent token, manage link and calendar-feed URL it issued ' +
          'stops working at once (for a leaked secret key, whose holder could mint tokens).',
        responses: { 201: { description: 'The new keys, shown once.', schema: rotatedKeysSchema } },
        errors: [
          'unauthorized',
          'not_found',
          'validation_error',
          'malformed_request',
          'tenant_not_found',
          'rotation_conflict',
        ],
      }),
      validator('param', idParam, onInvalid),
      validator('json', keyRotationBody, onInvalid),
      async (c) => c.json(await rotateKeys(deps, c.req.valid('param').id, c.req.valid('json')), 201),
    );
}
