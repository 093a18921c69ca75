import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../support/http.js';
import { ADMIN_KEY, startTarget, type ApiTarget } from '../support/target.js';
import { parentFor } from '../support/parents.js';
import { LEGACY_FAMILY } from '../../api/db/seed.js';

const NOW = '2026-11-30T06:00:00.000Z';
const AUTH = { authorization: `Bearer ${ADMIN_KEY}` };

let target: ApiTarget;
/** The seeded legacy package's family: its token reaches the package routes' validators. */
let PARENT: Record<string, string>;
/** A teacher token of the seeded teacher: it reaches the /teacher routes' validators. */
let TEACHER: Record<string, string>;
beforeAll(async () => {
  target = await startTarget({ now: NOW, seed: true });
  const family = await parentFor(target, [LEGACY_FAMILY.student], { guardian: LEGACY_FAMILY.guardian });
  PARENT = { authorization: `Bearer ${family.token}` };
  const teacher = await request(target.url, 'POST', '/auth/teacher-tokens', {
    body: { teacherId: 'teacher-amna' },
    headers: AUTH,
  });
  TEACHER = { authorization: `Bearer ${teacher.body.token}` };
});
afterAll(async () => {
  await target?.close();
});

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  admin?: boolean;
  /** Sent with the parent token of the seeded legacy package's family. */
  parent?: boolean;
  /** Sent with a teacher token of the seeded teacher. */
  teacher?: boolean;
  json?: boolean;
}

const ROUTES: Route[] = [
  { method: 'GET', path: '/marketplace/teachers?subjectId=%%%' },
  { method: 'GET', path: '/marketplace/teachers/teacher-amna/tiers?subjectId=' },
  { method: 'GET', path: '/marketplace/teachers/teacher-amna/weekly-availability?weeks=abc' },
  { method: 'GET', path: '/marketplace/teachers/teacher-amna/weekly-availability?weeks=1000' },
  { method: 'GET', path: '/marketplace/teachers/teacher-amna/weekly-availability?weeks=-1' },
  { method: 'GET', path: '/marketplace/teachers/teacher-amna/weekly-availability?duration=5' },
  { method: 'GET', path: '/marketplace/teachers/teacher-amna/weekly-availability?tierId=nope' },
  { method: 'GET', path: '/marketplace/teachers/teacher-amna/weekly-availability?unknown=1' },
  { method: 'GET', path: `/marketplace/teachers/${'x'.repeat(500)}/weekly-availability` },
  { method: 'GET', path: '/marketplace/teachers/%F0%9F%92%A5/tiers' },
  { method: 'GET', path: '/packages/..%2F..%2Fetc', parent: true },
  { method: 'GET', path: `/packages/${'y'.repeat(300)}`, parent: true },
  { method: 'POST', path: '/packages/check-multi-slot-availability', json: true },
  { method: 'POST', path: '/packages', json: true, parent: true },
  { method: 'POST', path: '/packages', json: true },
  { method: 'POST', path: '/auth/parent-tokens', json: true, admin: true },
  { method: 'POST', path: '/auth/parent-tokens', json: true },
  { method: 'GET', path: '/auth/me' },
  { method: 'POST', path: '/packages/package-legacy/calendar-token' },
  { method: 'POST', path: `/packages/${'w'.repeat(100)}/calendar-token`, parent: true },
  { method: 'GET', path: '/packages/package-legacy/calendar.ics?token=not.a.token' },
  { method: 'GET', path: `/packages/package-legacy/calendar.ics?token=${'t'.repeat(5000)}` },
  { method: 'GET', path: '/packages/package-legacy/calendar.ics?token=a&token=b' },
  { method: 'POST', path: '/admin/teachers', admin: true, json: true },
  { method: 'PUT', path: '/admin/teachers/teacher-amna', admin: true, json: true },
  { method: 'PUT', path: '/admin/teachers/teacher-amna/availability-rules', admin: true, json: true },
  { method: 'POST', path: '/admin/teachers/teacher-amna/availability-rules', admin: true, json: true },
  { method: 'POST', path: '/admin/teachers/teacher-amna/time-off', admin: true, json: true },
  { method: 'POST', path: '/admin/teachers/teacher-amna/bookings', admin: true, json: true },
  { method: 'POST', path: '/admin/teachers/teacher-amna/calendars', admin: true, json: true },
  { method: 'POST', path: '/admin/teachers/teacher-amna/calendars/%F0%9F%92%A5/sync', admin: true },
  { method: 'POST', path: '/admin/subjects', admin: true, json: true },
  { method: 'PUT', path: '/admin/subjects/math', admin: true, json: true },
  { method: 'POST', path: '/admin/tiers', admin: true, json: true },
  { method: 'PUT', path: '/admin/tiers/tier-10', admin: true, json: true },
  { method: 'POST', path: '/admin/students', admin: true, json: true },
  { method: 'PUT', path: '/admin/students/student-demo', admin: true, json: true },
  { method: 'GET', path: '/admin/notifications?packageId=%00' },
  { method: 'GET', path: '/admin/escrow', admin: true },
  { method: 'GET', path: '/marketplace/teachers/teacher-amna/slots?from=2026-13-01' },
  { method: 'GET', path: '/marketplace/teachers/teacher-amna/slots?from=2026-12-10&to=2026-12-01' },
  { method: 'GET', path: '/marketplace/teachers/teacher-amna/slots?from=2026-12-01&to=2027-12-01' },
  { method: 'GET', path: '/marketplace/teachers/teacher-amna/slots?duration=abc&tierId=tier-10' },
  { method: 'GET', path: '/marketplace/teachers/teacher-amna/slots?to=2020-01-01' },
  { method: 'GET', path: '/marketplace/teachers/ghost/slots' },
  { method: 'POST', path: '/packages/package-legacy/floating-sessions', json: true, parent: true },
  {
    method: 'POST',
    path: '/packages/package-legacy/sessions/package-legacy-session-1/reschedule',
    json: true,
    parent: true,
  },
  { method: 'POST', path: '/packages/package-legacy/sessions/no-such-session/float', parent: true },
  { method: 'POST', path: '/packages/package-legacy/sessions/%00/float', parent: true },
  { method: 'POST', path: `/packages/${'v'.repeat(300)}/cancel`, parent: true },
  { method: 'POST', path: '/packages/%00/cancel', parent: true },
  { method: 'POST', path: '/packages/package-legacy/floating-sessions', json: true },
  { method: 'POST', path: '/packages/package-legacy/confirm', admin: true, json: true },
  { method: 'POST', path: '/packages/package-legacy/confirm', json: true },
  { method: 'GET', path: '/packages/no-such-package/calendar.ics' },
  { method: 'GET', path: `/packages/${'z'.repeat(100)}/calendar.ics` },
  { method: 'POST', path: '/admin/packages/package-legacy/sessions/package-legacy-session-1/complete', admin: true },
  { method: 'POST', path: '/admin/packages/package-legacy/sessions/%F0%9F%92%A5/complete', admin: true },
  { method: 'POST', path: '/admin/tenants', admin: true, json: true },
  { method: 'POST', path: '/admin/tenants/tnt_nobody/keys', admin: true, json: true },
  { method: 'POST', path: '/admin/tenants/%F0%9F%92%A5/keys', admin: true, json: true },
  { method: 'GET', path: '/marketplace/teachers?key=%00' },
  { method: 'GET', path: `/marketplace/teachers?key=pk_${'k'.repeat(300)}` },
  { method: 'GET', path: '/marketplace/teachers/teacher-amna/tiers?key=sk_not-a-publishable-key' },
];

/** The teacher's routes (issue 12), swept in their own test so each test's time stays bounded on the Worker. */
const TEACHER_ROUTES: Route[] = [
  { method: 'POST', path: '/auth/teacher-tokens', json: true, admin: true },
  { method: 'GET', path: '/teacher/me' },
  { method: 'GET', path: '/teacher/me', parent: true },
  { method: 'PUT', path: '/teacher/availability-rules', json: true, teacher: true },
  { method: 'POST', path: '/teacher/time-off/preview', json: true, teacher: true },
  { method: 'POST', path: '/teacher/time-off', json: true, teacher: true },
  { method: 'DELETE', path: '/teacher/time-off/no-such-time-off', teacher: true },
  { method: 'DELETE', path: '/teacher/time-off/%F0%9F%92%A5', teacher: true },
  { method: 'GET', path: '/teacher/sessions?from=yesterday', teacher: true },
  { method: 'GET', path: '/teacher/sessions?from=2026-12-01T00:00:00Z&to=2027-12-01T00:00:00Z', teacher: true },
  { method: 'GET', path: '/teacher/sessions?unknown=1', teacher: true },
  { method: 'POST', path: '/teacher/sessions/no-such-session/attendance', json: true, teacher: true },
  { method: 'POST', path: `/teacher/sessions/${'s'.repeat(100)}/attendance`, teacher: true },
];

const HANDWRITTEN_BODIES: (string | undefined)[] = [
  undefined,
  '',
  '{',
  'null',
  '[]',
  '"text"',
  '42',
  '{}',
  '{"teacherId": 5}',
  '{"__proto__": {"admin": true}}',
  '{"teacherId":"teacher-amna","patterns":[]}',
  '{"teacherId":"teacher-amna","patterns":[{"weekday":"MONDAY","time":"24:00"}],"recurringSessionCount":8}',
  '{"teacherId":"teacher-amna","patterns":[{"weekday":"FUNDAY","time":"16:00"}],"recurringSessionCount":8}',
  '{"teacherId":"teacher-amna","patterns":[{"weekday":"MONDAY","time":"16:00"}],"recurringSessionCount":1e9}',
  '{"teacherId":"teacher-amna","patterns":[{"weekday":"MONDAY","time":"16:00"}],"recurringSessionCount":-1}',
  '{"teacherId":"teacher-amna","tierId":"tier-10","patterns":[{"weekday":"MONDAY","time":"16:00"}],"resolutions":[{"date":"2026-02-30","time":"16:00","action":"float"}]}',
  '{"teacherId":"teacher-amna","tierId":"tier-10","patterns":[{"weekday":"MONDAY","time":"16:00"}],"resolutions":[{"date":"2026-12-01","time":"16:00","action":"float"}]}',
  '{"studentId":"student-demo","teacherId":"teacher-amna","subjectId":"math","tierId":"tier-10","idempotencyKey":"k"}',
  '{"studentId":"student-demo","teacherId":"teacher-amna","subjectId":"arabic","tierId":"tier-10","idempotencyKey":"abcdefghij","recurringPatterns":[{"weekday":"MONDAY","time":"16:00"}]}',
  '{"studentId":"ghost","teacherId":"teacher-amna","subjectId":"math","tierId":"tier-10","idempotencyKey":"abcdefghij","recurringPatterns":[{"weekday":"MONDAY","time":"16:00"}]}',
  '{"name":"x","timezone":"Mars/Olympus","hourlyRateMinor":1,"currency":"SDG"}',
  '{"name":"x","timezone":"Africa/Khartoum","hourlyRateMinor":1.5,"currency":"SDG"}',
  '{"name":"x","timezone":"Africa/Khartoum","hourlyRateMinor":1,"currency":"SDG","subjectIds":["no-such-subject"]}',
  '{"rules":[{"weekday":"MONDAY","startTime":"18:00","endTime":"09:00"}]}',
  '{"startUtc":"2026-12-01T10:00:00Z","endUtc":"2026-12-01T09:00:00Z"}',
  '{"startUtc":"yesterday","endUtc":"tomorrow"}',
  '{"name":"t","sessionCount":10,"recurringCount":8,"floatingCount":3}',
  '{"name":"t","sessionCount":10,"recurringCount":8,"floatingCount":2,"teacherId":"ghost"}',
  '{"name":"","email":"not-an-email"}',
  JSON.stringify({
    teacherId: 'teacher-amna',
    patterns: Array.from({ length: 10_000 }, () => ({ weekday: 'MONDAY', time: '16:00' })),
  }),
  'x'.repeat(200_000),
];

function databaseCounts(): Record<string, number> {
  const db = new Database(target.databasePath, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT (SELECT count(*) FROM student_packages) AS packages, (SELECT count(*) FROM bookings) AS bookings,
                (SELECT count(*) FROM escrow_ledger) AS escrow, (SELECT count(*) FROM notifications) AS notifications,
                (SELECT count(*) FROM teachers) AS teachers, (SELECT count(*) FROM package_tiers) AS tiers,
                (SELECT count(*) FROM students) AS students, (SELECT count(*) FROM availability_rules) AS rules,
                (SELECT count(*) FROM time_off) AS time_off`,
      )
      .get() as Record<string, number>;
  } finally {
    db.close();
  }
}

async function send(route: Route, rawBody: string | undefined, contentType = 'application/json') {
  const headers: Record<string, string> = route.admin
    ? { ...AUTH }
    : route.parent
      ? { ...PARENT }
      : route.teacher
        ? { ...TEACHER }
        : {};
  if (rawBody !== undefined) headers['content-type'] = contentType;
  return request(target.url, route.method, route.path, { rawBody, headers });
}

function expectClientError(response: { status: number; body: any }, what: string) {
  const where = `${what} → ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`;
  expect(response.status, where).toBeGreaterThanOrEqual(400);
  expect(response.status, where).toBeLessThan(500);
  expect(typeof response.body?.error?.code, where).toBe('string');
  expect(typeof response.body?.error?.message, where).toBe('string');
  expect(response.body.error, where).toHaveProperty('details');
}

/** Sends every route its malformed requests; each must be a 4xx JSON error. */
async function sweep(routes: Route[]) {
  for (const route of routes) {
    const bodies = route.json ? HANDWRITTEN_BODIES : [undefined];
    for (const body of bodies) {
      expectClientError(await send(route, body), `${route.method} ${route.path} ${String(body).slice(0, 80)}`);
    }
    if (route.json) {
      expectClientError(await send(route, '{"a":1}', 'text/plain'), `${route.method} ${route.path} text/plain`);
    }
  }
}

describe('bad input on every route', () => {
  it('answers every malformed request to the teacher’s routes with a 4xx JSON error and changes nothing', async () => {
    const before = databaseCounts();
    await sweep(TEACHER_ROUTES);
    expect(databaseCounts()).toEqual(before);
  });

  it('answers every malformed request with a 4xx JSON error and changes nothing', async () => {
    const before = databaseCounts();
    for (const route of ROUTES) {
      const bodies = route.json ? HANDWRITTEN_BODIES : [undefined];
      for (const body of bodies) {
        expectClientError(await send(route, body), `${route.method} ${route.path} ${String(body).slice(0, 80)}`);
      }
      if (route.json) {
        expectClientError(await send(route, '{"a":1}', 'text/plain'), `${route.method} ${route.path} text/plain`);
      }
    }
    expect(databaseCounts()).toEqual(before);
  });

  it('answers random JSON bodies with 4xx, never 5xx', async () => {
    const before = databaseCounts();
    const jsonRoutes = [...ROUTES, ...TEACHER_ROUTES].filter((r) => r.json);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...jsonRoutes), fc.jsonValue(), async (route, value) => {
        const response = await send(route, JSON.stringify(value));
        expectClientError(response, `${route.method} ${route.path} ${JSON.stringify(value).slice(0, 120)}`);
      }),
      { numRuns: 300 },
    );
    expect(databaseCounts()).toEqual(before);
  });

  it('refuses /admin without the bearer token, or with a wrong one', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Basic ${ADMIN_KEY}`, `Bearer ${ADMIN_KEY}x`]) {
      const response = await request(target.url, 'GET', '/admin/teachers', {
        headers: authorization ? { authorization } : {},
      });
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('unauthorized');
    }
    const ok = await request(target.url, 'GET', '/admin/teachers', { headers: AUTH });
    expect(ok.status).toBe(200);
  });

  it('refuses a session start with seconds, and dates outside 2000-2099, with 400', async () => {
    const withSeconds = await request(
      target.url,
      'POST',
      '/packages/package-legacy/sessions/package-legacy-session-1/reschedule',
      {
        body: { startUtc: '2026-12-20T15:00:30Z' },
        headers: PARENT,
      },
    );
    expect(withSeconds.status).toBe(400);
    expect(withSeconds.body.error.message).toMatch(/whole minute/);
    const farFuture = await request(target.url, 'GET', '/marketplace/teachers/teacher-amna/slots?from=9999-12-31');
    expect(farFuture.status).toBe(400);
    expect(farFuture.body.error.code).toBe('validation_error');
  });

  it('answers unknown routes with a 404 JSON error', async () => {
    const response = await request(target.url, 'DELETE', '/packages');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });
});
