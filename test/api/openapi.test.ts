import { DEFAULT_TENANT_ID } from '../../api/contract/auth.js';
import { Validator } from '@seriousme/openapi-schema-validator';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { ERROR_STATUS, type ErrorCode } from '../../api/contract/errors.js';
import { migrate } from '../../api/db/migrate-node.js';
import { openNodeStore } from '../../api/db/node.js';
import { ScheduleSource } from '../../api/db/schedule-source.js';
import { documentedCodes, fetchDocument, openApiPath, operations, type OpenApiDocument } from '../support/openapi.js';
import { startTarget, tempDatabasePath, type ApiTarget } from '../support/target.js';

let target: ApiTarget;
let doc: OpenApiDocument;
beforeAll(async () => {
  target = await startTarget({ now: '2026-11-30T06:00:00.000Z' });
  doc = await fetchDocument(target.url);
});
afterAll(async () => {
  await target?.close();
});

const path = (key: string) => key.split(' ')[1]!;

/** What a parent's token (or, on a package's routes, its manage token) opens. */
const PARENT_OPERATIONS = [
  'POST /packages',
  'GET /packages/{id}',
  'POST /packages/{id}/floating-sessions',
  'POST /packages/{id}/sessions/{sessionId}/reschedule',
  'POST /packages/{id}/sessions/{sessionId}/float',
  'POST /packages/{id}/cancel',
  'POST /packages/{id}/calendar-token',
  'POST /packages/{id}/cancel',
  'GET /auth/me',
];

/** What a teacher's token opens: everything under /teacher, and nothing else. */
const isTeacherOperation = (key: string) => path(key).startsWith('/teacher/');

/** Under /packages, the partner's server's: the payment confirmation, with the tenant's secret key. */
const PARTNER_OPERATIONS = ['POST /packages/{id}/confirm'];

/** The routes the app really has, as `METHOD /path` (middleware such as CORS is registered as ALL). */
async function appRoutes(): Promise<string[]> {
  const db = tempDatabasePath('smart-pack-openapi-');
  const store = openNodeStore(db.path);
  try {
    migrate(store.sqlite);
    const app = createApp({
      store,
      schedules: new ScheduleSource(store),
      now: () => new Date(),
      adminApiKey: 'k',
      corsOrigin: '*',
      defaultTenantId: DEFAULT_TENANT_ID,
      isLoopbackRequest: () => false,
    });
    return [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${openApiPath(r.path)}`))];
  } finally {
    await store.close();
    db.cleanup();
  }
}

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    expect(await validator.validate(doc as never)).toEqual({ valid: true });
    expect(validator.version).toBe('3.1');
    expect(doc.info.version).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    // The validator does look inside: a response without its required description is refused.
    const broken = structuredClone(doc);
    delete (broken.paths['/health']!.get!.responses['200'] as { description?: string }).description;
    expect((await new Validator().validate(broken as never)).valid).toBe(false);
  });

  it('can be read from any origin', async () => {
    const response = await fetch(`${target.url}/openapi.json`, { headers: { origin: 'https://tools.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('documents every route the app serves, and nothing else', async () => {
    const documented = new Set(operations(doc).map((o) => o.key));
    const routes = await appRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(35);
    expect(routes.filter((route) => !documented.has(route))).toEqual([]);
    expect([...documented].filter((key) => !routes.includes(key))).toEqual([]);
  });

  it('puts every /admin operation, and only those, behind the bearer scheme with a 401', () => {
    expect(doc.components).toMatchObject({ securitySchemes: { adminKey: { type: 'http', scheme: 'bearer' } } });
    const all = operations(doc);
    const admin = all.filter(({ path }) => path.startsWith('/admin/'));
    expect(admin.length).toBe(30); // 26, and the 4 external-calendar routes
    for (const { key, operation } of all) {
      const isAdmin = path(key).startsWith('/admin/');
      // Minting a parent token is the school server's, with its secret key.
      const isKeyed =
        isAdmin ||
        key === 'POST /auth/parent-tokens' ||
        key === 'POST /auth/teacher-tokens' ||
        PARTNER_OPERATIONS.includes(key);
      const isTeacher = isTeacherOperation(key);
      const isParent = PARENT_OPERATIONS.includes(key);
      // Public routes are scoped by the publishable key (optional with a default tenant); a token's routes
      // take the tenant from the token, a key beside it is allowed.
      const isPublishable = /^\/(marketplace|packages)(\/|$)/.test(path(key)) && !PARTNER_OPERATIONS.includes(key);
      expect(operation.security, key).toEqual(
        isKeyed
          ? [{ adminKey: [] }]
          : isTeacher
            ? [{ teacherToken: [] }]
            : isParent && isPublishable
              ? [{ parentToken: [], publishableKey: [] }, { parentToken: [] }]
              : isParent
                ? [{ parentToken: [] }]
                : isPublishable
                  ? [{ publishableKey: [] }, {}]
                  : undefined,
      );
      expect(operation.tags, key).toEqual(isAdmin ? ['admin'] : expect.not.arrayContaining(['admin']));
      // The feed has no security scheme (its token is in the URL, for calendar apps) and still a 401.
      const needsToken = isKeyed || isParent || isPublishable || isTeacher;
      expect(documentedCodes(operation).get(401), key).toEqual(needsToken ? ['unauthorized'] : undefined);
    }
  });

  it('scopes every public operation by the publishable key (optional with a default tenant), with a 401', () => {
    expect(doc.components).toMatchObject({
      securitySchemes: { publishableKey: { type: 'apiKey', in: 'header', name: 'X-Publishable-Key' } },
    });
    const publicOps = operations(doc).filter(
      ({ key, path }) => /^\/(marketplace|packages)(\/|$)/.test(path) && !PARTNER_OPERATIONS.includes(key),
    );
    expect(publicOps.length).toBeGreaterThanOrEqual(11);
    for (const { key, operation } of publicOps) {
      expect(JSON.stringify(operation.security), key).toContain('publishableKey');
      expect(operation.tags, key).toEqual(expect.not.arrayContaining(['admin']));
      expect(documentedCodes(operation).get(401), key).toEqual(['unauthorized']);
    }
    // The strict query schemas accept `?key=` for plain links, and say so.
    for (const { key, operation } of publicOps.filter(({ method }) => method === 'get')) {
      const params = operation.parameters ?? [];
      if (!params.some((p) => p.in === 'query')) continue;
      expect(
        params.some((p) => p.in === 'query' && p.name === 'key'),
        key,
      ).toBe(true);
    }
    for (const { key, operation } of operations(doc).filter(
      ({ path }) => path === '/health' || path === '/openapi.json',
    )) {
      expect(operation.security, key).toBeUndefined();
      expect(documentedCodes(operation).get(401), key).toBeUndefined();
    }
  });

  it('puts every /teacher operation behind the teacher token scheme, with a 401', () => {
    expect(doc.components).toMatchObject({
      securitySchemes: { teacherToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    });
    const teacher = operations(doc).filter(({ key }) => isTeacherOperation(key));
    expect(teacher.length).toBe(13); // 9, and the 4 external-calendar routes
    for (const { key, operation } of teacher) {
      expect(operation.security, key).toEqual([{ teacherToken: [] }]);
      expect(operation.tags, key).toEqual(['teacher']);
      expect(documentedCodes(operation).get(401), key).toEqual(['unauthorized']);
    }
  });

  it('puts the parent’s routes behind the parent token scheme, with the 403 of a student not in the token', () => {
    expect(doc.components).toMatchObject({
      securitySchemes: { parentToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    });
    const byKey = new Map(operations(doc).map((o) => [o.key, o.operation]));
    // Every alternative needs the parent token (a publishable key beside it is allowed).
    for (const key of PARENT_OPERATIONS) {
      const alternatives = byKey.get(key)?.security ?? [];
      expect(alternatives.length, key).toBeGreaterThan(0);
      for (const requirement of alternatives) expect(Object.keys(requirement), key).toContain('parentToken');
    }
    expect(documentedCodes(byKey.get('POST /packages')!).get(403)).toEqual(['student_not_in_token']);
  });

  it('gives each operation an id, a summary, a success schema and its error codes under their statuses', () => {
    const ids = new Set<string>();
    for (const { key, operation } of operations(doc)) {
      expect(ids.has(operation.operationId), `${key}: operationId ${operation.operationId} is taken`).toBe(false);
      ids.add(operation.operationId);
      expect(operation.summary, key).toBeTruthy();
      const successes = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
      expect(successes.length, `${key}: no success response`).toBeGreaterThan(0);
      for (const [status, response] of successes) {
        // A 204 has no body to describe.
        expect(Object.values(response.content ?? {}).length, `${key} ${status}: no content schema`).toBe(
          status === '204' ? 0 : 1,
        );
      }
      const codes = documentedCodes(operation);
      expect(codes.get(500), key).toEqual(['internal_error']);
      for (const [status, listed] of codes) {
        for (const code of listed)
          expect(ERROR_STATUS[code as ErrorCode], `${key}: ${code} under ${status}`).toBe(status);
      }
    }
  });

  it('documents path, query and header parameters and request bodies from the validators’ schemas', () => {
    const withInput = operations(doc).filter(({ operation }) => operation.parameters?.length || operation.requestBody);
    expect(withInput.length).toBeGreaterThanOrEqual(11);
    for (const { key, path, operation } of withInput) {
      const params = operation.parameters ?? [];
      for (const name of path.match(/\{[^}]+\}/g) ?? []) {
        const param = params.find((p) => p.in === 'path' && `{${p.name}}` === name);
        // The library's stand-in for an undocumented path parameter is a bare string; ours carry the id rule.
        expect(param?.schema.pattern, `${key}: ${name} is not from a validator`).toBe('^[A-Za-z0-9_-]{1,64}$');
        expect(param?.required, key).toBe(true);
      }
      expect(documentedCodes(operation).get(400), `${key}: validation_error`).toContain('validation_error');
      if (operation.requestBody) {
        expect(Object.keys(operation.requestBody.content), key).toEqual(['application/json']);
        expect(documentedCodes(operation).get(400), `${key}: malformed_request`).toContain('malformed_request');
      }
    }
    const purchase = doc.paths['/packages']!.post!;
    expect(purchase.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'idempotency-key' }));
    const grid = doc.paths['/marketplace/teachers/{teacherId}/weekly-availability']!.get!;
    expect(grid.parameters?.find((p) => p.name === 'weeks')?.schema).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 26,
      default: 8,
    });
  });
});
