import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../support/http.js';
import { query } from '../support/lifecycle.js';
import { ADMIN_KEY, startTarget, type ApiTarget } from '../support/target.js';

const NOW = '2026-11-30T06:00:00.000Z';
const AUTH = { authorization: `Bearer ${ADMIN_KEY}` };

let target: ApiTarget;
beforeAll(async () => {
  target = await startTarget({ now: NOW, seed: true });
});
afterAll(async () => {
  await target?.close();
});

/** Every row the API can write, with its text, so "nothing was written" means nothing at all. */
function snapshot() {
  const tables = ['teachers', 'subjects', 'teacher_subjects', 'students', 'package_tiers', 'time_off', 'bookings'];
  return [...tables, 'student_packages', 'notifications'].map((table) =>
    query(target, `SELECT * FROM ${table} ORDER BY rowid`),
  );
}

/** A body sent as exact bytes (fetch would encode a string as valid UTF-8). */
async function sendBytes(
  method: string,
  path: string,
  bytes: Uint8Array<ArrayBuffer>,
  headers: Record<string, string> = {},
) {
  const init = { method, headers: { 'content-type': 'application/json', ...headers }, body: bytes };
  const response = await fetch(target.url + path, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as any };
}

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? [...new TextEncoder().encode(part)] : part)));

function expectInvalidText(response: { status: number; headers: Headers; body: any }, what: string) {
  expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBe(400);
  expect(response.headers.get('content-type'), what).toMatch(/^application\/json/);
  expect(response.body.error, what).toMatchObject({ code: 'invalid_text', message: expect.any(String) });
  expect(response.body.error, what).toHaveProperty('details');
}

const WRITES: { method: string; path: string; json: (text: string) => string }[] = [
  { method: 'POST', path: '/admin/students', json: (t) => `{"name":"${t}"}` },
  { method: 'POST', path: '/admin/subjects', json: (t) => `{"name":"Music","nameAr":"${t}"}` },
  { method: 'PUT', path: '/admin/subjects/math', json: (t) => `{"name":"${t}"}` },
  {
    method: 'POST',
    path: '/admin/teachers',
    json: (t) => `{"name":"New","bio":"${t}","timezone":"Africa/Khartoum","hourlyRateMinor":1,"currency":"SDG"}`,
  },
  {
    method: 'POST',
    path: '/admin/teachers/teacher-amna/time-off',
    json: (t) => `{"startUtc":"2027-01-04T00:00:00Z","endUtc":"2027-01-05T00:00:00Z","reason":"${t}"}`,
  },
  {
    method: 'POST',
    path: '/admin/tiers',
    json: (t) => `{"name":"${t}","sessionCount":2,"recurringCount":2,"floatingCount":0}`,
  },
];

describe('text that is not well-formed Unicode', () => {
  it('refuses invalid UTF-8 in a body with 400 invalid_text, writing nothing (it was stored as U+FFFD)', async () => {
    const before = snapshot();
    for (const route of WRITES) {
      const [head, tail] = route.json('\u0000').split('\u0000') as [string, string];
      for (const bad of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80]]) {
        const what = `${route.method} ${route.path} ${bad.map((b) => b.toString(16)).join(' ')}`;
        expectInvalidText(await sendBytes(route.method, route.path, bytes(head, bad, tail), AUTH), what);
      }
    }
    expect(snapshot()).toEqual(before);
  });

  it('refuses a lone surrogate escaped in JSON with 400 invalid_text, writing nothing', async () => {
    const before = snapshot();
    for (const route of WRITES) {
      for (const bad of ['\\ud800', '\\uDBFF', '\\udc00', 'x\\ude00y', '\\ud83d', '\\ude00\\ud83d']) {
        const what = `${route.method} ${route.path} ${bad}`;
        const headers = { ...AUTH, 'content-type': 'application/json' };
        expectInvalidText(
          await request(target.url, route.method, route.path, { rawBody: route.json(bad), headers }),
          what,
        );
      }
    }
    // In a key, or deep inside the body of a public route.
    const check = await request(target.url, 'POST', '/packages/check-multi-slot-availability', {
      rawBody:
        '{"teacherId":"teacher-amna","tierId":"tier-10","patterns":[{"weekday":"MONDAY","time":"16:00","\\ud800":1}]}',
      headers: { 'content-type': 'application/json' },
    });
    expectInvalidText(check, 'key');
    expect(check.body.error.details).toMatchObject({ where: 'body', path: 'patterns.0' });
    const purchase = await request(target.url, 'POST', '/packages', {
      rawBody: JSON.stringify({
        studentId: 'student-demo',
        teacherId: 'teacher-amna',
        subjectId: 'math',
        tierId: 'tier-10',
        recurringPatterns: [{ weekday: 'THURSDAY', time: '14:00' }],
        idempotencyKey: 'key-lone-surrogate-\ud800',
      }),
      headers: { 'content-type': 'application/json' },
    });
    expectInvalidText(purchase, 'idempotencyKey');
    expect(snapshot()).toEqual(before);
  });

  it('accepts well-formed text: Arabic, an emoji as an escaped pair, and an escaped backslash before "ud800"', async () => {
    for (const [name, stored] of [
      ['مريم عثمان', 'مريم عثمان'],
      ['\\ud83d\\ude00 smile', '\u{1F600} smile'],
      ['back\\\\ud800slash', 'back\\ud800slash'],
    ] as const) {
      const created = await request(target.url, 'POST', '/admin/students', {
        rawBody: `{"name":"${name}"}`,
        headers: { ...AUTH, 'content-type': 'application/json' },
      });
      expect(created.status, name).toBe(201);
      expect(created.body.name).toBe(stored);
      expect(query(target, 'SELECT name FROM students WHERE id = ?', created.body.id)).toEqual([{ name: stored }]);
    }
  });

  it('refuses percent-encoded invalid UTF-8 in the query string and the path with 400 invalid_text', async () => {
    for (const path of [
      '/admin/notifications?eventType=%ED%A0%80',
      '/admin/notifications?eventType=%FF',
      '/admin/notifications?packageId=abc&eventType=pack.%C3',
      '/marketplace/teachers/%ED%A0%80/tiers',
      '/marketplace/teachers/teacher-amna%FF/weekly-availability',
      '/packages/%C0%AF',
    ]) {
      expectInvalidText(await request(target.url, 'GET', path, { headers: AUTH }), path);
    }
    // Well-formed escapes still mean what they say.
    const fine = await request(target.url, 'GET', '/admin/notifications?eventType=pack.%C3%A9', { headers: AUTH });
    expect(fine.status).toBe(200);
    expect(fine.body.notifications).toEqual([]);
  });
});
