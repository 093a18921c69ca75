import { Hono } from 'hono';
import { validator } from 'hono-openapi';
import type { AppDeps } from '../deps.js';
import { parentTokenBody } from '../contract/schemas.js';
import { parentIdentitySchema, parentTokenSchema } from '../contract/responses.js';
import { issueParentToken, parentIdentity } from '../services/parents.js';
import { actingTenant, authenticate, type AuthEnv } from './auth.js';
import { onInvalid } from './errors.js';
import { operation } from './openapi.js';
import { requireAccess, type AccessEnv } from './parent-auth.js';

/** Parent identity (mounted under /auth): the school's server mints tokens, the widget reads them. */
export function parentRoutes(deps: AppDeps) {
  const mint = new Hono<AuthEnv>().post(
    '/parent-tokens',
    operation({
      operationId: 'createParentToken',
      tag: 'auth',
      admin: true,
      summary: 'Vouch for a family: upsert the guardian and the children by your ids, and mint a parent token',
      description:
        'Call it from your server with your secret key (never from a browser), when the parent signs in to your ' +
        'site; hand the token to the page that embeds the widget (`parent-token`). Guardians and students are ' +
        'matched by `externalId` within your school: a family with several children is one guardian, and a ' +
        'child already given to another guardian is refused (409). The token names these children only, and ' +
        'expires after `ttlSeconds` (an hour by default, at most a day).',
      responses: { 201: { description: 'The token and the family it names.', schema: parentTokenSchema } },
      errors: ['unauthorized', 'validation_error', 'malformed_request', 'not_found', 'student_of_other_guardian'],
    }),
    authenticate(deps),
    // Refuse a caller without a secret key before reading the body.
    async (c, next) => {
      actingTenant(c);
      await next();
    },
    validator('json', parentTokenBody, onInvalid),
    async (c) => c.json(await issueParentToken(deps, actingTenant(c), c.req.valid('json')), 201),
  );
  const me = new Hono<AccessEnv>().get(
    '/me',
    operation({
      operationId: 'getParent',
      tag: 'auth',
      parent: true,
      summary: 'What a parent token names: the guardian and the children to choose from',
      responses: { 200: { description: 'The guardian and the token’s students.', schema: parentIdentitySchema } },
      errors: ['unauthorized'],
    }),
    requireAccess(deps, ['parent']),
    async (c) => {
      const access = c.get('access');
      if (access.kind !== 'parent') throw new Error('requireAccess let a non-parent token through');
      return c.json(await parentIdentity(deps, access));
    },
  );
  return new Hono().route('/', mint).route('/', me);
}
