import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../support/lifecycle.js';
import { fetchDocument, operations, type OpenApiDocument } from '../support/openapi.js';
import { purchaseBody } from '../support/scenario.js';
import { startTarget, type ApiTarget } from '../support/target.js';
import { tenantWorld, type TenantWorld } from '../support/tenants.js';
import { client, type Client, type JsonResponse } from '../support/http.js';

/*
 * The isolation matrix: two tenants, every route of the OpenAPI document, each tenant's keys against
 * the other's ids. Another tenant's id must answer exactly like an id that does not exist (404 on a
 * path, the unknown-reference answer in a body), listings show only the caller's rows, and nothing
 * of the other tenant changes. A route added to the app without an entry below fails the test.
 */

const NOW = '2026-11-30T06:00:00.000Z';

let target: ApiTarget;
let doc: OpenApiDocument;
let a: TenantWorld;
let b: TenantWorld;
beforeAll(async () => {
  target = await startTarget({ now: NOW });
  doc = await fetchDocument(target.url);
  a = await tenantWorld(target);
  b = await tenantWorld(target);
  // Something in every table a tenant owns: time off, a rule, a single booking.
  for (const w of [a, b]) {
    expect((await w.admin.post(`/admin/teachers/${w.s.teacherId}/time-off`, timeOff)).status).toBe(201);
    const single = await w.admin.post(`/admin/teachers/${w.s.teacherId}/bookings`, {
      startUtc: '2026-12-09T12:00:00Z',
      endUtc: '2026-12-09T13:00:00Z',
      studentId: w.s.studentId,
    });
    expect(single.status).toBe(201);
  }
}, 60_000);
afterAll(async () => {
  await target?.close();
});

const timeOff = { startUtc: '2026-12-20T00:00:00Z', endUtc: '2026-12-21T00:00:00Z', reason: 'away' };
const teacherBody = { name: 'Intruder', timezone: 'Africa/Khartoum', hourlyRateMinor: 1, currency: 'SDG' };
const tierBody = { name: 'Five', sessionCount: 5, recurringCount: 4, floatingCount: 1 };
const slot = { date: '2026-12-02', time: '15:00' };

/** Everything of a tenant the database holds, to show that another tenant's requests changed none of it. */
function snapshot(w: TenantWorld) {
  const t = w.tenant.id;
  const owned = [
    'teachers',
    'subjects',
    'package_tiers',
    'students',
    'student_packages',
    'bookings',
    'escrow_ledger',
    'teacher_calendars',
  ];
  return {
    ...Object.fromEntries(
      owned.map((table) => [table, query(target, `SELECT * FROM ${table} WHERE tenant_id = ? ORDER BY 1, 2`, t)]),
    ),
    notifications: query(
      target,
      'SELECT id, event_type, payload FROM notifications WHERE tenant_id = ? ORDER BY id',
      t,
    ),
    byTeacher: ['availability_rules', 'time_off', 'teacher_subjects'].map((table) =>
      query(
        target,
        `SELECT * FROM ${table} WHERE teacher_id IN (SELECT id FROM teachers WHERE tenant_id = ?) ORDER BY 1, 2`,
        t,
      ),
    ),
    keys: query(target, 'SELECT * FROM tenant_keys WHERE tenant_id = ? ORDER BY id', t),
  };
}

/** `/admin/tiers/{id}` with the other tenant's ids filled in. */
function fill(path: string, other: TenantWorld): string {
  const id = path.startsWith('/admin/subjects')
    ? other.s.subjectId
    : path.startsWith('/admin/tiers')
      ? other.s.tierId
      : path.startsWith('/admin/students')
        ? other.s.studentId
        : path.startsWith('/admin/tenants')
          ? other.tenant.id
          : other.pack.id;
  return path
    .replace('{teacherId}', other.s.teacherId)
    .replace('{sessionId}', other.pack.sessions[0]!.id)
    .replace('{calendarId}', 'calendar-of-nobody')
    .replace('{id}', id);
}

type Expect =
  | { status: 401 | 403 | 404; code: string; body?: unknown }
  | { list: string; body?: undefined }
  | { query: string; empty: string }
  | { create: unknown };

/** What each admin operation must answer with one tenant's secret key and the other's ids. */
const ADMIN: Record<string, Expect> = {
  adminListTeachers: { list: 'teachers' },
  adminGetTeacher: { status: 404, code: 'teacher_not_found' },
  adminCreateTeacher: { create: teacherBody },
  adminUpdateTeacher: { status: 404, code: 'teacher_not_found', body: teacherBody },
  adminListAvailabilityRules: { status: 404, code: 'teacher_not_found' },
  adminReplaceAvailabilityRules: {
    status: 404,
    code: 'teacher_not_found',
    body: { rules: [{ weekday: 'MONDAY', startTime: '00:00', endTime: '24:00' }] },
  },
  adminAddAvailabilityRule: {
    status: 404,
    code: 'teacher_not_found',
    body: { weekday: 'FRIDAY', startTime: '08:00', endTime: '09:00' },
  },
  adminListTimeOff: { status: 404, code: 'teacher_not_found' },
  adminAddTimeOff: {
    status: 404,
    code: 'teacher_not_found',
    body: { startUtc: '2026-12-01T00:00:00Z', endUtc: '2027-02-01T00:00:00Z' },
  },
  adminAddBooking: {
    status: 404,
    code: 'teacher_not_found',
    body: { startUtc: '2026-12-10T06:00:00Z', endUtc: '2026-12-10T07:00:00Z' },
  },
  adminListSubjects: { list: 'subjects' },
  adminCreateSubject: { create: { name: 'Chemistry' } },
  adminUpdateSubject: { status: 404, code: 'subject_not_found', body: { name: 'Renamed' } },
  adminListTiers: { list: 'tiers' },
  adminCreateTier: { create: tierBody },
  adminUpdateTier: { status: 404, code: 'tier_not_found', body: { ...tierBody, active: false } },
  adminListNotifications: { query: '/admin/notifications?packageId=', empty: 'notifications' },
  adminListEscrowEntries: { query: '/admin/escrow?packageId=', empty: 'entries' },
  adminListStudents: { list: 'students' },
  adminCreateStudent: { create: { name: 'Someone' } },
  adminUpdateStudent: { status: 404, code: 'student_not_found', body: { name: 'Renamed' } },
  completeSession: { status: 404, code: 'package_not_found' },
  adminCreateTenant: { status: 404, code: 'not_found', body: { name: 'Mine' } },
  adminListTenants: { status: 404, code: 'not_found' },
  adminRotateTenantKeys: { status: 404, code: 'not_found', body: {} },
  adminUpdateTenant: { status: 404, code: 'not_found', body: { name: 'Mine' } },
  adminListExternalCalendars: { status: 404, code: 'teacher_not_found' },
  adminAddExternalCalendar: { status: 404, code: 'teacher_not_found', body: { url: 'http://127.0.0.1:9/x.ics' } },
  adminRemoveExternalCalendar: { status: 404, code: 'teacher_not_found' },
  adminSyncExternalCalendar: { status: 404, code: 'teacher_not_found' },
};

/** The same for the public operations, with one tenant's publishable key. */
const PUBLIC: Record<string, Expect> = {
  listTeachers: { list: 'teachers' },
  listTiers: { status: 404, code: 'teacher_not_found' },
  getWeeklyAvailability: { status: 404, code: 'teacher_not_found' },
  listFreeSlots: { status: 404, code: 'teacher_not_found' },
  checkMultiSlotAvailability: { status: 404, code: 'teacher_not_found' },
  // With the caller's own parent token: the other tenant's student is not one of the token's (403, as
  // for any student the token does not name: it says nothing about whether the id exists).
  purchasePackage: { status: 403, code: 'student_not_in_token' },
  getPackage: { status: 404, code: 'package_not_found' },
  bookFloatingSession: { status: 404, code: 'package_not_found', body: slot },
  rescheduleSession: { status: 404, code: 'package_not_found', body: slot },
  floatSession: { status: 404, code: 'package_not_found' },
  cancelPackage: { status: 404, code: 'package_not_found' },
  // A feed opens with its own token only; without one nobody reads it, whatever the package.
  getPackageCalendar: { status: 401, code: 'unauthorized' },
  rotateCalendarToken: { status: 404, code: 'package_not_found' },
  // The partner's server, with the caller's secret key (see `callerOf`).
  confirmPackagePayment: {
    status: 404,
    code: 'package_not_found',
    body: { paymentReference: 'pi_isolation', amountMinor: 1, currency: 'SDG' },
  },
};

/** Public routes are the parent's, but for the payment confirmation: the partner's server (secret key). */
const callerOf = (me: TenantWorld, operationId: string): Client =>
  operationId === 'confirmPackagePayment' ? me.admin : me.parent;

/** Ids of everything a world made, to find in (or keep out of) a listing. */
const idsOf = (w: TenantWorld) => [w.s.teacherId, w.s.subjectId, w.s.tierId, w.s.studentId, w.pack.id];

function call(api: Client, method: string, path: string, body: unknown): Promise<JsonResponse> {
  return (api as unknown as Record<string, (p: string, b?: unknown) => Promise<JsonResponse>>)[method]!(
    path,
    method === 'get' ? undefined : (body ?? {}),
  );
}

describe('the isolation matrix', () => {
  for (const [name, mine, theirs] of [
    ['A against B', () => a, () => b],
    ['B against A', () => b, () => a],
  ] as const) {
    it(`${name}: every /admin route with the secret key answers the other tenant's ids as unknown and changes nothing`, async () => {
      const [me, other] = [mine(), theirs()];
      const before = snapshot(other);
      const admin = operations(doc).filter(({ path }) => path.startsWith('/admin/'));
      expect(admin.length).toBeGreaterThanOrEqual(25);
      for (const { key, path, method, operation } of admin) {
        const rule = ADMIN[operation.operationId];
        expect(rule, `${key} (${operation.operationId}) has no row in the isolation matrix`).toBeDefined();
        if (!rule) continue;
        if ('list' in rule) {
          const response = await call(me.admin, method, path, undefined);
          expect(response.status, key).toBe(200);
          const text = JSON.stringify(response.body);
          for (const id of idsOf(other)) expect(text.includes(id), `${key} lists ${id}`).toBe(false);
          expect(response.body[rule.list].length, key).toBeGreaterThan(0);
        } else if ('query' in rule) {
          const response = await call(me.admin, method, rule.query + other.pack.id, undefined);
          expect(response.status, key).toBe(200);
          expect(response.body[rule.empty], key).toEqual([]);
          const own = await call(me.admin, method, rule.query + me.pack.id, undefined);
          expect(own.body[rule.empty].length, key).toBeGreaterThan(0);
        } else if ('create' in rule) {
          const response = await call(me.admin, method, path, rule.create);
          expect(response.status, key).toBe(201);
        } else {
          const response = await call(me.admin, method, fill(path, other), rule.body);
          expect([response.status, response.body?.error?.code], `${key} ${fill(path, other)}`).toEqual([
            rule.status,
            rule.code,
          ]);
        }
      }
      expect(snapshot(other)).toEqual(before);
    });

    it(`${name}: writes naming the other tenant's teacher, subject, tier or student answer as for an unknown id`, async () => {
      const [me, other] = [mine(), theirs()];
      const before = { other: snapshot(other), me: snapshot(me) };
      const cases: { what: string; method: 'post' | 'put'; path: string; body: (ref: string) => unknown }[] = [
        {
          what: 'subject',
          method: 'post',
          path: '/admin/teachers',
          body: (ref) => ({ ...teacherBody, subjectIds: [ref] }),
        },
        {
          what: 'subject',
          method: 'put',
          path: `/admin/teachers/${me.s.teacherId}`,
          body: (ref) => ({ ...teacherBody, subjectIds: [ref] }),
        },
        { what: 'teacher', method: 'post', path: '/admin/tiers', body: (ref) => ({ ...tierBody, teacherId: ref }) },
        {
          what: 'teacher',
          method: 'put',
          path: `/admin/tiers/${me.s.tierId}`,
          body: (ref) => ({ ...tierBody, teacherId: ref }),
        },
        {
          what: 'student',
          method: 'post',
          path: `/admin/teachers/${me.s.teacherId}/bookings`,
          body: (ref) => ({ startUtc: '2026-12-11T06:00:00Z', endUtc: '2026-12-11T07:00:00Z', studentId: ref }),
        },
        {
          what: 'subject',
          method: 'post',
          path: `/admin/teachers/${me.s.teacherId}/bookings`,
          body: (ref) => ({ startUtc: '2026-12-11T06:00:00Z', endUtc: '2026-12-11T07:00:00Z', subjectId: ref }),
        },
      ];
      const ref = (what: string, w: TenantWorld) =>
        what === 'subject' ? w.s.subjectId : what === 'teacher' ? w.s.teacherId : w.s.studentId;
      for (const { what, method, path, body } of cases) {
        const foreign = await me.admin[method](path, body(ref(what, other)));
        const unknown = await me.admin[method](path, body(`${what}-that-does-not-exist`));
        const label = `${method} ${path} with the other tenant's ${what}`;
        expect(foreign.status, label).toBeGreaterThanOrEqual(400);
        expect([foreign.status, foreign.body.error.code, foreign.body.error.details], label).toEqual([
          unknown.status,
          unknown.body.error.code,
          unknown.body.error.details,
        ]);
      }
      // The public purchase with the caller's publishable key, naming the other tenant's rows.
      const purchases: [string, Record<string, string>, string][] = [
        ['student', { studentId: other.s.studentId }, 'student_not_in_token'],
        ['tier', { tierId: other.s.tierId }, 'tier_not_found'],
        ['subject', { subjectId: other.s.subjectId }, 'subject_not_taught'],
      ];
      for (const [what, override, code] of purchases) {
        const response = await me.parent.post(
          '/packages',
          purchaseBody(me.s, [{ weekday: 'THURSDAY', time: '16:00' }], override),
        );
        expect([response.status, response.body.error.code], what).toEqual([what === 'student' ? 403 : 404, code]);
      }
      expect({ other: snapshot(other), me: snapshot(me) }).toEqual(before);
    });

    it(`${name}: every public route with the publishable key sees its own tenant only`, async () => {
      const [me, other] = [mine(), theirs()];
      const before = snapshot(other);
      const publicOps = operations(doc).filter(({ path }) => /^\/(marketplace|packages)(\/|$)/.test(path));
      expect(publicOps.length).toBe(Object.keys(PUBLIC).length);
      for (const { key, path, method, operation } of publicOps) {
        const rule = PUBLIC[operation.operationId];
        expect(rule, `${key} (${operation.operationId}) has no row in the isolation matrix`).toBeDefined();
        if (!rule) continue;
        if ('list' in rule) {
          const response = await call(me.parent, method, path, undefined);
          const ids = response.body.teachers.map((t: { id: string }) => t.id);
          expect(ids, key).toContain(me.s.teacherId);
          expect(ids, key).not.toContain(other.s.teacherId);
          continue;
        }
        if (!('code' in rule)) throw new Error(`${key}: unexpected rule`);
        const body =
          operation.operationId === 'checkMultiSlotAvailability'
            ? { teacherId: other.s.teacherId, tierId: other.s.tierId, patterns: [{ weekday: 'MONDAY', time: '12:00' }] }
            : operation.operationId === 'purchasePackage'
              ? purchaseBody(other.s, [{ weekday: 'MONDAY', time: '12:00' }])
              : rule.body;
        const response = await call(callerOf(me, operation.operationId), method, fill(path, other), body);
        expect([response.status, response.body?.error?.code], `${key} ${fill(path, other)}`).toEqual([
          rule.status,
          rule.code,
        ]);
      }
      expect(snapshot(other)).toEqual(before);
    });
  }
});

describe('a parent token beside a publishable key', () => {
  it('is refused (401) when the key names another school than the token, on every parent route', async () => {
    const before = snapshot(a);
    const mixed = client(target.url, {
      authorization: `Bearer ${a.s.parent.token}`,
      'x-publishable-key': b.tenant.publishableKey,
    });
    const answers = [
      await mixed.get(`/packages/${a.pack.id}`),
      await mixed.post('/packages', purchaseBody(a.s, [{ weekday: 'TUESDAY', time: '10:00' }])),
      await mixed.post(`/packages/${a.pack.id}/floating-sessions`, slot),
    ];
    for (const answer of answers) expect([answer.status, answer.body.error?.code]).toEqual([401, 'unauthorized']);
    expect(snapshot(a)).toEqual(before);
    // The same token with its own school's key opens the package.
    const own = client(target.url, {
      authorization: `Bearer ${a.s.parent.token}`,
      'x-publishable-key': a.tenant.publishableKey,
    });
    expect((await own.get(`/packages/${a.pack.id}`)).status).toBe(200);
  });
});

describe('a public read with a token and no publishable key', () => {
  it('reads the token’s school (the pack page opened from a manage link knows no key)', async () => {
    const byToken = client(target.url, { authorization: `Bearer ${a.s.parent.token}` });
    const listed = await byToken.get('/marketplace/teachers');
    expect(listed.status).toBe(200);
    const ids = listed.body.teachers.map((t: { id: string }) => t.id);
    expect(ids).toContain(a.s.teacherId);
    expect(ids).not.toContain(b.s.teacherId);
    expect((await byToken.get(`/marketplace/teachers/${b.s.teacherId}/tiers`)).status).toBe(404);
  });

  it('refuses (401) a forged token rather than reading the default school', async () => {
    const forged = `${a.s.parent.token.slice(0, -4)}AAAA`;
    const response = await client(target.url, { authorization: `Bearer ${forged}` }).get('/marketplace/teachers');
    expect([response.status, response.body.error?.code]).toEqual([401, 'unauthorized']);
  });
});
