import Database from 'better-sqlite3';
import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedTenant } from '../../api/contract/wire.js';
import { startNodeServer, type RunningServer } from '../../api/server/host.js';
import { client, request } from '../support/http.js';
import { at } from '../support/lifecycle.js';
import { fetchDocument } from '../support/openapi.js';
import { addTimeOff, buildScenario, purchaseBody, WEEKDAY_RULES, type Scenario } from '../support/scenario.js';
import { ADMIN_KEY, API_TARGET, startTarget, tempDatabasePath, type ApiTarget } from '../support/target.js';
import { createTenant } from '../support/tenants.js';

/*
 * HTTP caching of the public reads (issue 13), on the Node server and on the Worker: ETags derived from what
 * an answer depends on, 304 without computing it, never a stale 304 after a change, Cache-Control per route,
 * gzip, and on the Worker the Cache API keyed per tenant.
 */

// Monday 08:00 in Khartoum; a hold lasts the tenant's 15 minutes.
const NOW = '2026-11-30T06:00:00.000Z';
const AFTER_HOLD = '2026-11-30T06:16:00.000Z';
const SHARED = 'public, max-age=0, s-maxage=5, stale-while-revalidate=30';

let target: ApiTarget;
let tenant: CreatedTenant;
let s: Scenario;
beforeAll(async () => {
  target = await startTarget({ now: NOW, seed: true });
  tenant = await createTenant(target);
  s = await buildScenario(target, { keys: tenant });
}, 120_000);
afterAll(async () => {
  await target?.close();
});

/** The four cacheable reads of a teacher, by name. */
const READS = {
  listing: () => '/marketplace/teachers',
  tiers: (x: Scenario) => `/marketplace/teachers/${x.teacherId}/tiers`,
  grid: (x: Scenario) => `/marketplace/teachers/${x.teacherId}/weekly-availability?weeks=4`,
  slots: (x: Scenario) => `/marketplace/teachers/${x.teacherId}/slots`,
} as const;
type ReadName = keyof typeof READS;

/** A public read in the tenant, with the headers given (identity encoding unless asked). */
const read = (path: string, headers: Record<string, string> = {}, key = tenant.publishableKey) =>
  request(target.url, 'GET', path, {
    headers: { 'x-publishable-key': key, 'accept-encoding': 'identity', ...headers },
  });

/** The raw bytes of an answer, undecoded (fetch would decompress them). */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) => {
      const req = httpRequest(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('conditional reads', () => {
  it.each(Object.keys(READS) as ReadName[])(
    'answers %s with a strong ETag, then a matching If-None-Match with 304, no body and the same headers',
    async (name) => {
      const path = READS[name](s);
      const first = await read(path);
      expect(first.status).toBe(200);
      const tag = first.headers.get('etag')!;
      expect(tag).toMatch(/^"[0-9a-f]{16}"$/);
      expect(first.headers.get('cache-control')).toBe(SHARED);
      expect(first.headers.get('vary')).toBe('X-Publishable-Key, Origin, Accept-Encoding');

      const again = await read(path, { 'if-none-match': tag });
      expect(again.status).toBe(304);
      expect(again.body).toBeNull();
      expect(again.headers.get('etag')).toBe(tag);
      expect(again.headers.get('cache-control')).toBe(first.headers.get('cache-control'));
      expect(again.headers.get('vary')).toBe(first.headers.get('vary'));
    },
  );

  it('compares weakly: a W/ prefix, a list holding the tag, and * all match; another tag does not', async () => {
    const path = READS.grid(s);
    const tag = (await read(path)).headers.get('etag')!;
    expect((await read(path, { 'if-none-match': `W/${tag}` })).status).toBe(304);
    expect((await read(path, { 'if-none-match': `"nope", ${tag}` })).status).toBe(304);
    expect((await read(path, { 'if-none-match': '*' })).status).toBe(304);
    expect((await read(path, { 'if-none-match': '"0000000000000000"' })).status).toBe(200);
  });

  it('gives each query and each tenant its own tag', async () => {
    const four = (await read(READS.grid(s))).headers.get('etag');
    const eight = (await read(`/marketplace/teachers/${s.teacherId}/weekly-availability?weeks=8`)).headers.get('etag');
    expect(four).not.toBe(eight);
    const ours = (await read('/marketplace/teachers')).headers.get('etag');
    const theirs = (await request(target.url, 'GET', '/marketplace/teachers')).headers.get('etag');
    expect(ours).not.toBe(theirs);
  });

  it('computes a 404 rather than answer 304 for a teacher the tenant does not have', async () => {
    const other = await createTenant(target);
    const tag = (await read(READS.tiers(s))).headers.get('etag')!;
    const response = await read(READS.tiers(s), { 'if-none-match': tag }, other.publishableKey);
    expect(response.status).toBe(404);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('never a stale 304', () => {
  /** Each read's tag now; after `change`, every read named answers 200 with another tag. */
  async function changes(x: Scenario, names: ReadName[], change: () => Promise<unknown>, url = target.url) {
    const before = new Map<ReadName, string>();
    for (const name of names) before.set(name, (await read(READS[name](x))).headers.get('etag')!);
    await change();
    for (const name of names) {
      const after = await request(url, 'GET', READS[name](x), {
        headers: { 'x-publishable-key': tenant.publishableKey, 'if-none-match': before.get(name)! },
      });
      expect(after.status, name).toBe(200);
      expect(after.headers.get('etag'), name).not.toBe(before.get(name));
    }
  }

  it('after the teacher’s hours change', async () => {
    const x = await buildScenario(target, { keys: tenant });
    await changes(x, ['grid', 'slots'], () =>
      x.admin.put(`/admin/teachers/${x.teacherId}/availability-rules`, {
        rules: WEEKDAY_RULES(['MONDAY'], '10:00', '12:00'),
      }),
    );
  });

  it('after time off', async () => {
    const x = await buildScenario(target, { keys: tenant });
    await changes(x, ['grid', 'slots'], () => addTimeOff(x, '2026-12-07T06:00:00.000Z', '2026-12-07T16:00:00.000Z'));
  });

  it('after a purchase holds slots, and again when the hold lapses by the clock alone', async () => {
    const x = await buildScenario(target, { keys: tenant });
    const held = new Map<ReadName, string>();
    await changes(x, ['grid', 'slots'], async () => {
      const bought = await x.parent.api.post('/packages', purchaseBody(x, [{ weekday: 'MONDAY', time: '16:00' }]));
      expect(bought.status).toBe(201);
      expect(bought.body.state).toBe('pending_payment');
    });
    for (const name of ['grid', 'slots'] as const) held.set(name, (await read(READS[name](x))).headers.get('etag')!);
    await at(target, AFTER_HOLD, async (later) => {
      for (const name of ['grid', 'slots'] as const) {
        const after = await request(later.url, 'GET', READS[name](x), {
          headers: { 'x-publishable-key': tenant.publishableKey, 'if-none-match': held.get(name)! },
        });
        expect(after.status, name).toBe(200);
        expect(after.headers.get('etag'), name).not.toBe(held.get(name));
      }
    });
  });

  it('after a tier changes, and after a new teacher joins the listing', async () => {
    const x = await buildScenario(target, { keys: tenant });
    await changes(x, ['tiers', 'grid'], () =>
      x.admin.put(`/admin/tiers/${x.tierId}`, {
        teacherId: x.teacherId,
        name: 'Renamed',
        sessionCount: 10,
        recurringCount: 8,
        floatingCount: 2,
        discountPercent: 20,
        gracePeriodDays: 14,
        rescheduleLimit: 2,
        sessionMinutes: 60,
      }),
    );
    await changes(x, ['listing'], () => buildScenario(target, { keys: tenant }));
  });

  it('after another process writes the file itself: no answer is remembered past a commit from elsewhere', async () => {
    const x = await buildScenario(target, { keys: tenant });
    // Twice, so the second revalidation runs on what the first remembered (the probe, on Node).
    await read(READS.grid(x));
    await changes(x, ['grid', 'slots'], async () => {
      const db = new Database(target.databasePath);
      try {
        db.prepare(
          `INSERT INTO bookings (id, tenant_id, teacher_id, start_utc, end_utc, kind) VALUES (?, ?, ?, ?, ?, 'single')`,
        ).run(`raw-${x.teacherId}`, tenant.id, x.teacherId, '2026-12-07T08:00:00.000Z', '2026-12-07T09:00:00.000Z');
      } finally {
        db.close();
      }
    });
  });

  it('when the minute turns, for the answers that depend on it', async () => {
    const x = await buildScenario(target, { keys: tenant });
    const tag = (await read(READS.grid(x))).headers.get('etag')!;
    await at(target, '2026-11-30T06:01:00.000Z', async (later) => {
      const after = await request(later.url, 'GET', READS.grid(x), {
        headers: { 'x-publishable-key': tenant.publishableKey, 'if-none-match': tag },
      });
      expect(after.status).toBe(200);
    });
  });
});

describe('Cache-Control per route', () => {
  const CACHEABLE = new Set(['listTeachers', 'listTiers', 'getWeeklyAvailability', 'listFreeSlots']);

  it('lets shared caches keep the four public reads briefly, and no other route of the OpenAPI document', async () => {
    const document = await fetchDocument(target.url);
    const seen: string[] = [];
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const url = path.replace('{teacherId}', s.teacherId).replace(/\{\w+\}/g, 'x');
        const response = await request(target.url, method.toUpperCase(), url, {
          headers: { 'x-publishable-key': tenant.publishableKey },
          ...(method === 'get' ? {} : { body: {} }),
        });
        const expected = CACHEABLE.has(op.operationId) ? SHARED : op.operationId === 'openapi' ? undefined : 'no-store';
        if (expected === undefined) continue;
        if (CACHEABLE.has(op.operationId)) expect(response.status, op.operationId).toBe(200);
        expect(response.headers.get('cache-control'), `${method} ${path} (${response.status})`).toBe(expected);
        seen.push(op.operationId);
      }
    }
    expect(seen.filter((id) => CACHEABLE.has(id)).sort()).toEqual([...CACHEABLE].sort());
    expect(seen.length).toBeGreaterThan(20);
  });

  it('never lets anyone keep a per-parent answer: the check, the purchase, the package, who the parent is', async () => {
    const x = await buildScenario(target, { keys: tenant });
    const check = await x.parent.api.post('/packages/check-multi-slot-availability', {
      teacherId: x.teacherId,
      tierId: x.tierId,
      patterns: [{ weekday: 'MONDAY', time: '10:00' }],
    });
    expect(check.status).toBe(200);
    const bought = await x.parent.api.post('/packages', purchaseBody(x, [{ weekday: 'MONDAY', time: '10:00' }]));
    expect(bought.status).toBe(201);
    const view = await x.parent.api.get(`/packages/${bought.body.id}`);
    expect(view.status).toBe(200);
    const me = await client(target.url, { authorization: `Bearer ${x.parent.token}` }).get('/auth/me');
    expect(me.status).toBe(200);
    for (const response of [check, bought, view, me]) expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('keeps a public read private when a Bearer token, not the publishable key, named the tenant', async () => {
    const response = await client(target.url, { authorization: `Bearer ${s.parent.token}` }).get(READS.slots(s));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('x-cache')).toBeNull();
  });

  it('never lets anyone keep an error', async () => {
    const unknown = await read('/marketplace/teachers/nobody/weekly-availability');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('cache-control')).toBe('no-store');
    const invalid = await read(`/marketplace/teachers/${s.teacherId}/weekly-availability?weeks=999`);
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('cache-control')).toBe('no-store');
  });
});

describe('compression', () => {
  const gridUrl = () => `${target.url}${READS.grid(s)}`;

  it('gzips JSON for a client that accepts it, with a tag of its own, and the bytes decompress to the same JSON', async () => {
    const plain = await rawGet(gridUrl(), { 'x-publishable-key': tenant.publishableKey });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const zipped = await rawGet(gridUrl(), { 'x-publishable-key': tenant.publishableKey, 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.body.length).toBeLessThan(plain.body.length);
    expect(JSON.parse(gunzipSync(zipped.body).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
    // Node tags the gzip bytes apart; on workerd the front line encodes, and keeps the tag or makes it weak.
    const plainTag = plain.headers.etag as string;
    if (API_TARGET === 'node') expect(zipped.headers.etag).toBe(`${plainTag.slice(0, -1)}-gzip"`);
    else expect([plainTag, `W/${plainTag}`]).toContain(zipped.headers.etag);
  });

  it('answers the gzip tag with a bodiless 304 carrying that same tag', async () => {
    const zipped = await rawGet(gridUrl(), { 'x-publishable-key': tenant.publishableKey, 'accept-encoding': 'gzip' });
    const again = await rawGet(gridUrl(), {
      'x-publishable-key': tenant.publishableKey,
      'accept-encoding': 'gzip',
      'if-none-match': zipped.headers.etag as string,
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    // Miniflare's stand-in for Cloudflare's front line labels even an empty 304 gzip; Node sends no such header.
    if (API_TARGET === 'node') expect(again.headers['content-encoding']).toBeUndefined();
    expect((again.headers.etag as string).replace(/^W\//, '')).toBe(
      (zipped.headers.etag as string).replace(/^W\//, ''),
    );
  });

  it('leaves the answer unencoded without Accept-Encoding, or when gzip is refused', async () => {
    for (const accept of [undefined, 'identity', 'gzip;q=0, deflate']) {
      const response = await rawGet(gridUrl(), {
        'x-publishable-key': tenant.publishableKey,
        ...(accept ? { 'accept-encoding': accept } : {}),
      });
      expect(response.headers['content-encoding'], accept).toBeUndefined();
      expect(JSON.parse(response.body.toString('utf8')).teacherId).toBe(s.teacherId);
    }
  });
});

describe.skipIf(API_TARGET === 'node')('the Worker’s Cache API', () => {
  it('serves a second identical read from the cache, never another tenant’s, and a change at once', async () => {
    const x = await buildScenario(target, { keys: tenant });
    const path = `/marketplace/teachers/${x.teacherId}/weekly-availability?weeks=2`;
    const first = await read(path);
    expect(first.headers.get('x-cache')).toBe('MISS');
    const second = await read(path);
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    // Another tenant asking the same URL reaches its own key: this teacher is not there.
    const other = await createTenant(target);
    expect((await read(path, {}, other.publishableKey)).status).toBe(404);

    // The key is the tag, which the schedule version is part of: a change is another key, so no wait.
    await x.admin.put(`/admin/teachers/${x.teacherId}/availability-rules`, { rules: [] });
    const fresh = await read(path);
    expect(fresh.headers.get('x-cache')).toBe('MISS');
    expect(fresh.headers.get('etag')).not.toBe(first.headers.get('etag'));
    expect(fresh.body.availability.every((day: any) => day.slots.length === 0)).toBe(true);
  }, 60_000);
});

describe.skipIf(API_TARGET === 'worker')('the Node server', () => {
  let server: RunningServer;
  let db: ReturnType<typeof tempDatabasePath>;
  beforeAll(async () => {
    db = tempDatabasePath();
    server = await startNodeServer({
      databasePath: db.path,
      port: 0,
      adminApiKey: ADMIN_KEY,
      now: NOW,
      seed: true,
      demo: true,
    });
  });
  afterAll(async () => {
    await server?.close();
    db?.cleanup();
  });

  it('answers a revalidated grid with the one version read: no schedule load, no grid computed', async () => {
    const path = `${server.url}/marketplace/teachers/teacher-amna/weekly-availability?weeks=26`;
    const first = await fetch(path);
    expect(first.status).toBe(200);
    const { schedules, store } = server.deps;
    const work = { ...schedules.work };
    const statements = store.statementCount;
    const again = await fetch(path, { headers: { 'if-none-match': first.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect(schedules.work).toEqual(work);
    expect(store.statementCount - statements).toBe(1);
    expect(first.headers.get('x-cache')).toBeNull();
  });

  it('serves the widget with a content tag: the ?v=<hash> URL immutable, the entry partners embed short-lived', async () => {
    const page = await (await fetch(`${server.url}/`)).text();
    const versioned = /\/dist\/smart-pack-grid\.js\?v=([0-9a-f]{16})/.exec(page);
    expect(versioned).not.toBeNull();
    const hashed = await fetch(`${server.url}${versioned![0]}`);
    expect(hashed.status).toBe(200);
    expect(hashed.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const entry = await fetch(`${server.url}/dist/smart-pack-grid.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(entry.headers.get('cache-control')).toBe('public, max-age=300');
    expect(entry.headers.get('etag')).toBe(`"${versioned![1]}"`);
    const again = await fetch(`${server.url}/dist/smart-pack-grid.js`, {
      headers: { 'accept-encoding': 'identity', 'if-none-match': entry.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
    const zipped = await rawGet(`${server.url}/dist/smart-pack-grid.js`, { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.etag).toBe(`"${versioned![1]}-gzip"`);
  });

  it('asks browsers to revalidate the demo pages on every visit', async () => {
    const page = await fetch(`${server.url}/book/teacher-amna`);
    expect(page.headers.get('cache-control')).toBe('no-cache');
  });
});
