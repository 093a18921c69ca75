import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { decode, sign } from 'hono/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_AUDIENCE } from '../../api/contract/tokens.js';
import { isLoopbackAddress as isLoopback, startNodeServer } from '../../api/server/host.js';
import { client, type Client } from '../support/http.js';
import { at, notifications, query, scenarioWithPackage } from '../support/lifecycle.js';
import { manageClient, parentFor, type Parent } from '../support/parents.js';
import { purchaseBody, type Scenario } from '../support/scenario.js';
import { ADMIN_KEY, API_TARGET, startTarget, tempDatabasePath, type ApiTarget } from '../support/target.js';

// Monday 08:00 in Khartoum; the scenario's Monday 16:00 pack starts on 7 December.
const NOW = '2026-11-30T06:00:00.000Z';
const LATER = '2026-11-30T06:02:00.000Z';
const nowSeconds = Date.parse(NOW) / 1000;

/** A second school, written straight into the database (its admin API is another part of this issue). */
const OTHER_TENANT = { id: `tenant-other-${process.pid}`, secret: 'other-school-signing-secret', key: '' };

let target: ApiTarget;
/** Family A: the scenario's, with one package. */
let s: Scenario;
let pack: any;
/** Family B: another guardian of the same school, with a package of its own. */
let other: Parent;
let otherPack: any;
/** A parent of the other school. */
let foreign: Parent;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const feedToken = (p: { calendarPath: string }) => new URL(p.calendarPath, 'http://x').searchParams.get('token')!;
const defaultSecret = () =>
  query<{ signing_secret: string }>(target, "SELECT signing_secret FROM tenants WHERE id = 'tenant-default'")[0]!
    .signing_secret;

/** What a write could have left: compared before and after every refusal. */
function written() {
  return query(
    target,
    `SELECT (SELECT count(*) FROM student_packages) AS packages, (SELECT count(*) FROM bookings) AS bookings,
            (SELECT count(*) FROM notifications) AS notifications, (SELECT count(*) FROM escrow_ledger) AS ledger,
            (SELECT group_concat(id || ':' || feed_token_version) FROM student_packages) AS feeds,
            (SELECT group_concat(id || ':' || start_utc || ':' || status) FROM bookings) AS sessions,
            (SELECT count(*) FROM guardians) AS guardians, (SELECT count(*) FROM students) AS students`,
  )[0];
}

beforeAll(async () => {
  target = await startTarget({ now: NOW });
  ({ s, pack } = await scenarioWithPackage(target));
  other = await parentFor(target);
  const bought = await other.api.post('/packages', {
    ...purchaseBody(s, [{ weekday: 'TUESDAY', time: '16:00' }]),
    studentId: other.studentIds[0],
  });
  expect(bought.status).toBe(201);
  otherPack = bought.body;
  OTHER_TENANT.key = `sk_test_${process.pid}_parent_tokens`;
  const db = new Database(target.databasePath);
  try {
    db.prepare('INSERT INTO tenants (id, name, signing_secret) VALUES (?, ?, ?)').run(
      OTHER_TENANT.id,
      'Other school',
      OTHER_TENANT.secret,
    );
    db.prepare(
      "INSERT INTO tenant_keys (id, tenant_id, kind, key_hash, prefix) VALUES (?, ?, 'secret', ?, 'sk_test')",
    ).run(`key-${OTHER_TENANT.id}`, OTHER_TENANT.id, createHash('sha256').update(OTHER_TENANT.key).digest('hex'));
  } finally {
    db.close();
  }
  foreign = await parentFor(target, undefined, { key: OTHER_TENANT.key });
}, 120_000);
afterAll(async () => {
  await target?.close();
});

describe('POST /auth/parent-tokens', () => {
  it('upserts one guardian per family by the school’s ids and signs a parent token naming the children', async () => {
    const first = await parentFor(target, ['kid-a', 'kid-b'], { guardian: 'family-upsert' });
    expect(first.students.map((x) => [x.externalId, x.name])).toEqual([
      ['kid-a', 'Test Student 1'],
      ['kid-b', 'Test Student 2'],
    ]);
    const again = await parentFor(target, ['kid-b', 'kid-a', 'kid-c'], { guardian: 'family-upsert' });
    expect(again.guardianId).toBe(first.guardianId);
    expect(again.students.slice(0, 2).map((x) => x.id)).toEqual([first.studentIds[1], first.studentIds[0]]);
    expect(query(target, 'SELECT count(*) AS n FROM guardians WHERE external_id = ?', 'family-upsert')).toEqual([
      { n: 1 },
    ]);
    const { header, payload } = decode(again.token);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({
      tid: 'tenant-default',
      sub: again.guardianId,
      sids: again.studentIds,
      aud: TOKEN_AUDIENCE.parent,
      iat: nowSeconds,
      exp: nowSeconds + 3600,
    });
    expect(again.expiresAt).toBe('2026-11-30T07:00:00.000Z');
    const me = await again.api.get('/auth/me');
    expect(me.body).toEqual({
      guardianId: again.guardianId,
      students: again.students.map(({ id, name }) => ({ id, name, nameAr: null })),
      expiresAt: again.expiresAt,
    });
  });

  it('keeps a child’s Arabic name: given at minting, shown by /auth/me, kept by a later token that leaves it out', async () => {
    const mint = (students: object[]) =>
      client(target.url, bearer(ADMIN_KEY)).post('/auth/parent-tokens', {
        guardian: { externalId: 'family-arabic-names', name: 'Mariam Osman' },
        students,
      });
    const first = await mint([
      { externalId: 'arabic-kid-1', name: 'Sara Osman', nameAr: '  سارة عثمان ' },
      { externalId: 'arabic-kid-2', name: 'Adam Osman' },
    ]);
    expect(first.status).toBe(201);
    expect(first.body.students.map((x: any) => [x.name, x.nameAr])).toEqual([
      ['Sara Osman', 'سارة عثمان'],
      ['Adam Osman', null],
    ]);
    // The school's server sends the family again without Arabic names, and names the second child in Arabic.
    const again = await mint([
      { externalId: 'arabic-kid-1', name: 'Sara Osman' },
      { externalId: 'arabic-kid-2', name: 'Adam Osman', nameAr: 'آدم عثمان' },
    ]);
    expect(again.body.students.map((x: any) => x.nameAr)).toEqual(['سارة عثمان', 'آدم عثمان']);
    const me = await client(target.url, bearer(again.body.token)).get('/auth/me');
    expect(me.body.students.map((x: any) => [x.name, x.nameAr])).toEqual([
      ['Sara Osman', 'سارة عثمان'],
      ['Adam Osman', 'آدم عثمان'],
    ]);
    const before = written();
    for (const nameAr of ['   ', 'ا'.repeat(201), 42]) {
      const refused = await mint([{ externalId: 'arabic-kid-1', name: 'Sara Osman', nameAr }]);
      expect([refused.status, refused.body.error.code]).toEqual([400, 'validation_error']);
    }
    expect(written()).toEqual(before);
  });

  it('refuses a child the school already gave to another guardian with 409, writing nothing', async () => {
    await parentFor(target, ['kid-taken'], { guardian: 'family-one' });
    const before = written();
    const taken = await client(target.url, bearer(ADMIN_KEY)).post('/auth/parent-tokens', {
      guardian: { externalId: 'family-two', name: 'Another parent' },
      students: [
        { externalId: 'kid-new', name: 'New' },
        { externalId: 'kid-taken', name: 'Taken' },
      ],
    });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'student_of_other_guardian']);
    expect(written()).toEqual(before);
  });

  it('needs a secret key (or the operator key), and keeps each school’s families apart', async () => {
    const body = { guardian: { externalId: 'g', name: 'G' }, students: [{ externalId: 'kid-a', name: 'A' }] };
    for (const headers of [{}, bearer('sk_unknown'), bearer(foreign.token)]) {
      const refused = await client(target.url, headers).post('/auth/parent-tokens', body);
      expect([refused.status, refused.body.error.code]).toEqual([401, 'unauthorized']);
    }
    // The same external ids in another school are another family and other children.
    const there = await parentFor(target, ['kid-a'], { guardian: 'family-upsert', key: OTHER_TENANT.key });
    const here = await parentFor(target, ['kid-a'], { guardian: 'family-upsert' });
    expect(there.guardianId).not.toBe(here.guardianId);
    expect(there.studentIds[0]).not.toBe(here.studentIds[0]);
    expect(decode(there.token).payload.tid).toBe(OTHER_TENANT.id);
  });

  it('refuses out-of-range lifetimes, empty or oversized families and repeated ids with 400', async () => {
    const admin = client(target.url, bearer(ADMIN_KEY));
    const guardian = { externalId: 'g-bad', name: 'G' };
    const kid = { externalId: 'k', name: 'K' };
    for (const body of [
      { guardian, students: [kid], ttlSeconds: 59 },
      { guardian, students: [kid], ttlSeconds: 86_401 },
      { guardian, students: [] },
      { guardian, students: Array.from({ length: 21 }, (_, i) => ({ externalId: `k${i}`, name: 'K' })) },
      { guardian, students: [kid, kid] },
      { guardian: { externalId: '', name: 'G' }, students: [kid] },
    ]) {
      const response = await admin.post('/auth/parent-tokens', body);
      expect([response.status, response.body.error.code], JSON.stringify(body).slice(0, 80)).toEqual([
        400,
        'validation_error',
      ]);
    }
  });
});

describe('the token matrix on every parent route', () => {
  /** Each package route of family A's package, as the parent calls it. */
  const packageRoutes = () => [
    { name: 'GET /packages/:id', call: (api: Client) => api.get(`/packages/${pack.id}`) },
    {
      name: 'reschedule',
      call: (api: Client) =>
        api.post(`/packages/${pack.id}/sessions/${pack.sessions[0].id}/reschedule`, {
          date: '2026-12-09',
          time: '10:00',
        }),
    },
    { name: 'float', call: (api: Client) => api.post(`/packages/${pack.id}/sessions/${pack.sessions[1].id}/float`) },
    {
      name: 'floating booking',
      call: (api: Client) => api.post(`/packages/${pack.id}/floating-sessions`, { date: '2026-12-02', time: '10:00' }),
    },
    { name: 'calendar-token', call: (api: Client) => api.post(`/packages/${pack.id}/calendar-token`) },
  ];

  const forged = () =>
    sign(
      {
        tid: 'tenant-default',
        sub: s.parent.guardianId,
        sids: s.parent.studentIds,
        aud: TOKEN_AUDIENCE.parent,
        iat: nowSeconds,
        exp: nowSeconds + 3600,
      },
      'not-the-school-secret',
      'HS256',
    );

  it('refuses no token, a forged one and one made for something else with 401 on each package route', async () => {
    const before = written();
    const cases: [string, Record<string, string>][] = [
      ['none', {}],
      ['not a token', bearer('abc')],
      ['forged', bearer(await forged())],
      ['wrong audience (the feed token)', bearer(feedToken(pack))],
      [
        'wrong audience (signed by the school for another purpose)',
        bearer(
          await sign(
            {
              tid: 'tenant-default',
              sub: s.parent.guardianId,
              sids: s.parent.studentIds,
              aud: 'smart-pack:teacher',
              iat: nowSeconds,
              exp: nowSeconds + 3600,
            },
            defaultSecret(),
            'HS256',
          ),
        ),
      ],
      [
        'alg none',
        bearer(`${btoa('{"alg":"none","typ":"JWT"}')}.${btoa(JSON.stringify(decode(s.parent.token).payload))}.`),
      ],
    ];
    for (const route of packageRoutes()) {
      for (const [what, headers] of cases) {
        const response = await route.call(client(target.url, headers));
        expect([response.status, response.body.error?.code], `${route.name} / ${what}`).toEqual([401, 'unauthorized']);
      }
    }
    expect(written()).toEqual(before);
  });

  it('answers 404 to a valid token of another guardian, another school or another package, as for an unknown id', async () => {
    const before = written();
    const cases: [string, Client][] = [
      ['other guardian', other.api],
      ['other tenant', foreign.api],
      ['another package’s manage token', manageClient(target, otherPack)],
    ];
    for (const route of packageRoutes()) {
      for (const [what, api] of cases) {
        const response = await route.call(api);
        expect([response.status, response.body.error?.code], `${route.name} / ${what}`).toEqual([
          404,
          'package_not_found',
        ]);
      }
    }
    expect(written()).toEqual(before);
    // And the owner's token and manage link do open it.
    expect((await s.parent.api.get(`/packages/${pack.id}`)).status).toBe(200);
    expect((await manageClient(target, pack).get(`/packages/${pack.id}`)).status).toBe(200);
  });

  it('refuses a purchase without a valid parent token (401) or for a student the token does not name (403)', async () => {
    const before = written();
    const body = purchaseBody(s, [{ weekday: 'WEDNESDAY', time: '16:00' }]);
    const unauthorized: [string, Record<string, string>][] = [
      ['none', {}],
      ['forged', bearer(await forged())],
      ['manage token', bearer(pack.manage.token)],
      ['feed token', bearer(feedToken(pack))],
    ];
    for (const [what, headers] of unauthorized) {
      const response = await client(target.url, headers).post('/packages', body);
      expect([response.status, response.body.error?.code], what).toEqual([401, 'unauthorized']);
    }
    const forbidden: [string, Client, string][] = [
      ['other guardian, this student', other.api, s.studentId],
      ['other tenant, this student', foreign.api, s.studentId],
      ['this parent, another family’s student', s.parent.api, other.studentIds[0]!],
    ];
    for (const [what, api, studentId] of forbidden) {
      const response = await api.post('/packages', { ...body, studentId });
      expect(response.status, what).toBe(403);
      expect(response.body.error, what).toMatchObject({ code: 'student_not_in_token', details: { studentId } });
    }
    // The other school's parent, for its own child: this school's teacher is no teacher there.
    const cross = await foreign.api.post('/packages', { ...body, studentId: foreign.studentIds[0] });
    expect([cross.status, cross.body.error.code]).toEqual([404, 'teacher_not_found']);
    expect(written()).toEqual(before);
  });

  it('keeps a replayed idempotency key from showing another family’s package', async () => {
    const body = purchaseBody(s, [{ weekday: 'SATURDAY', time: '10:00' }]);
    expect((await s.parent.api.post('/packages', body)).status).toBe(201);
    const before = written();
    const replay = await other.api.post('/packages', { ...body, studentId: other.studentIds[0] });
    expect([replay.status, replay.body.error.code]).toEqual([409, 'idempotency_key_reused']);
    expect(JSON.stringify(replay.body)).not.toContain(s.parent.guardianId);
    expect(written()).toEqual(before);
  });

  it('opens the calendar feed with its feed token only, and never with the parent’s or the manage token', async () => {
    const before = written();
    const path = `/packages/${pack.id}/calendar.ics`;
    const feedOf = (token: string) => fetch(`${target.url}${path}?token=${encodeURIComponent(token)}`);
    const otherSchoolFeed = await sign(
      { tid: OTHER_TENANT.id, pid: pack.id, ver: 0, aud: TOKEN_AUDIENCE.feed, iat: nowSeconds, exp: nowSeconds + 3600 },
      OTHER_TENANT.secret,
      'HS256',
    );
    const expiredFeed = await sign(
      {
        tid: 'tenant-default',
        pid: pack.id,
        ver: 0,
        aud: TOKEN_AUDIENCE.feed,
        iat: nowSeconds - 7200,
        exp: nowSeconds - 3600,
      },
      defaultSecret(),
      'HS256',
    );
    const cases: [string, Response, number][] = [
      ['no token', await fetch(`${target.url}${path}`), 401],
      ['the parent token', await feedOf(s.parent.token), 401],
      ['the manage token', await feedOf(pack.manage.token), 401],
      ['forged', await feedOf(await sign({ ...decode(feedToken(pack)).payload }, 'guess', 'HS256')), 401],
      ['expired', await feedOf(expiredFeed), 401],
      ['another package’s feed token', await feedOf(feedToken(otherPack)), 404],
      ['another school’s feed token', await feedOf(otherSchoolFeed), 404],
    ];
    for (const [what, response, status] of cases) {
      expect([response.status, ((await response.json()) as any).error.code], what).toEqual([
        status,
        status === 401 ? 'unauthorized' : 'package_not_found',
      ]);
    }
    const ok = await fetch(`${target.url}${pack.calendarPath}`);
    expect([ok.status, ok.headers.get('content-type')]).toEqual([200, 'text/calendar; charset=utf-8']);
    expect(written()).toEqual(before);
  });

  it('refuses tokens that expired, judged by the server’s clock', async () => {
    const short = await parentFor(target, [s.parent.students[0]!.externalId], {
      guardian: s.parent.guardianExternalId,
      ttlSeconds: 60,
    });
    expect((await short.api.get(`/packages/${pack.id}`)).status).toBe(200);
    await at(target, LATER, async (later) => {
      const before = written();
      const expired = client(later.url, bearer(short.token));
      for (const route of packageRoutes()) {
        const response = await route.call(expired);
        expect([response.status, response.body.error?.code], route.name).toEqual([401, 'unauthorized']);
      }
      const buy = await expired.post('/packages', purchaseBody(s, [{ weekday: 'WEDNESDAY', time: '10:00' }]));
      expect([buy.status, buy.body.error.code]).toEqual([401, 'unauthorized']);
      expect((await expired.get('/auth/me')).status).toBe(401);
      expect(written()).toEqual(before);
      // The manage link lives until the package ends.
      expect((await manageClient(later, pack).get(`/packages/${pack.id}`)).status).toBe(200);
    });
  }, 120_000);
});

describe('manage links and feed rotation', () => {
  it('puts the manage link in the purchase answer and the pack.purchased webhook, and nothing secret in the package row', async () => {
    expect(pack.manage).toEqual({
      token: expect.any(String),
      url: `/pack/${pack.id}?t=${pack.manage.token}`,
      expiresAt: pack.gracePeriodEnds,
    });
    expect(decode(pack.manage.token).payload).toEqual({
      tid: 'tenant-default',
      pid: pack.id,
      aud: TOKEN_AUDIENCE.manage,
      iat: nowSeconds,
      exp: Date.parse(pack.gracePeriodEnds) / 1000,
    });
    const [purchased] = notifications(target, pack.id);
    expect(purchased).toMatchObject({
      event_type: 'pack.purchased',
      payload: { packageId: pack.id, manage: pack.manage },
    });
    const row = JSON.stringify(query(target, 'SELECT * FROM student_packages WHERE id = ?', pack.id));
    expect(row).not.toContain(pack.manage.token);
    // The feed URL carries a feed token, never the manage token.
    expect(pack.calendarPath).not.toContain(pack.manage.token);
    expect(decode(feedToken(pack)).payload).toMatchObject({ aud: TOKEN_AUDIENCE.feed, pid: pack.id, ver: 0 });
  });

  it('rotates the feed URL with the guardian’s token or the manage link; every older URL stops working', async () => {
    const { s: family, pack: own } = await scenarioWithPackage(target, {
      patterns: [{ weekday: 'SUNDAY', time: '12:00' }],
    });
    const first = await family.parent.api.post(`/packages/${own.id}/calendar-token`);
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(1);
    const second = await manageClient(target, own).post(`/packages/${own.id}/calendar-token`);
    expect(second.body.version).toBe(2);
    expect((await fetch(`${target.url}${own.calendarPath}`)).status).toBe(401);
    expect((await fetch(`${target.url}${first.body.calendarPath}`)).status).toBe(401);
    expect((await fetch(`${target.url}${second.body.calendarPath}`)).status).toBe(200);
    const view = await family.parent.api.get(`/packages/${own.id}`);
    expect(decode(feedToken(view.body)).payload.ver).toBe(2);
    expect(query(target, 'SELECT feed_token_version AS v FROM student_packages WHERE id = ?', own.id)).toEqual([
      { v: 2 },
    ]);
  });
});

describe.skipIf(API_TARGET === 'worker')('the demo parent token (npm start)', () => {
  it('mints a token for the seeded two-child family on a demo host, from this machine', async () => {
    const db = tempDatabasePath();
    const server = await startNodeServer({
      databasePath: db.path,
      port: 0,
      adminApiKey: ADMIN_KEY,
      now: NOW,
      seed: true,
      demo: true,
    });
    try {
      const response = await client(server.url).get('/demo/parent-token');
      expect(response.status).toBe(200);
      expect(response.body.students.map((x: any) => [x.id, x.name])).toEqual([
        ['student-demo', 'Sara Osman'],
        ['student-demo-2', 'Adam Osman'],
      ]);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const me = await client(server.url, bearer(response.body.token)).get('/auth/me');
      expect(me.body.guardianId).toBe('guardian-demo');
    } finally {
      await server.close();
      db.cleanup();
    }
    // The API alone (a production host) has no such route.
    const api = (await client(target.url).get('/demo/parent-token')).status;
    expect(api).toBe(404);
    expect([isLoopback('127.0.0.1'), isLoopback('::1'), isLoopback('::ffff:127.0.0.1')]).toEqual([true, true, true]);
    expect([isLoopback('10.0.0.1'), isLoopback('::ffff:192.168.1.2'), isLoopback(undefined)]).toEqual([
      false,
      false,
      false,
    ]);
  });
});
