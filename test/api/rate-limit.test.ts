import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../api/db/migrate-node.js';
import { openNodeStore } from '../../api/db/node.js';
import { startNodeServer } from '../../api/server/host.js';
import { buildScenario } from '../support/scenario.js';
import {
  blockSize,
  consume,
  DEFAULT_RATE_LIMITS,
  rateLimitsFromEnv,
  sweepRateLimits,
} from '../../api/services/rate-limit.js';
import { ADMIN_KEY, API_TARGET, startSharedTarget, tempDatabasePath, type ApiTarget } from '../support/target.js';
import { createTenant } from '../support/tenants.js';
import { freshPersistDir, startWorkerTarget } from '../support/worker-target.js';
import { parentFor, type Parent } from '../support/parents.js';

// 20 s into its minute: the window ends in 40 s.
const NOW = '2026-11-30T06:00:20.000Z';
const NEXT_MINUTE = '2026-11-30T06:01:00.000Z';
const AUTH = { authorization: `Bearer ${ADMIN_KEY}` };

interface Limited {
  url: string;
  /** The same database, served with the clock at another instant. */
  at(now: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A server with the given RATE_LIMIT_* environment (none: the deployment's real defaults) on a fresh
 * database: the Node server, or the Worker on a local D1. Worker servers run one at a time (two workerd
 * processes on one persist dir fail with SQLITE_BUSY), so `at` stops the previous one.
 */
async function startLimited(env: Record<string, string> | undefined): Promise<Limited> {
  if (API_TARGET === 'worker') {
    const persistTo = await freshPersistDir({ now: NOW });
    const start = (now: string) =>
      startWorkerTarget({ now, adminKey: ADMIN_KEY, persistTo, vars: env, realRateLimits: !env });
    let current = await start(NOW);
    return {
      url: current.url,
      async at(now) {
        await current.close();
        current = await start(now);
        return current.url;
      },
      async close() {
        await current.close();
        rmSync(persistTo, { recursive: true, force: true });
      },
    };
  }
  const db = tempDatabasePath('smart-pack-rate-');
  const options = {
    databasePath: db.path,
    port: 0,
    adminApiKey: ADMIN_KEY,
    ...(env && { rateLimits: rateLimitsFromEnv(env) }),
  };
  const servers = [await startNodeServer({ ...options, now: NOW })];
  return {
    url: servers[0]!.url,
    async at(now) {
      const server = await startNodeServer({ ...options, now });
      servers.push(server);
      return server.url;
    },
    async close() {
      await Promise.all(servers.map((server) => server.close()));
      db.cleanup();
    },
  };
}

/**
 * Requests from one client address. Node sees the socket's address, so the client binds to another
 * loopback address; the Worker reads CF-Connecting-IP, which Cloudflare sets (and `wrangler dev` passes on).
 */
function clientAt(address: string) {
  // undici's own connector drops `localAddress`: connect the socket here.
  const agent = new Agent({
    connect: (options, callback) => {
      const socket = connect({ host: options.hostname, port: Number(options.port), localAddress: address });
      socket.once('connect', () => callback(null, socket)).once('error', (error) => callback(error, null));
      return socket;
    },
  });
  return {
    async send(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const response = await undiciFetch(url + path, {
        method,
        dispatcher: agent,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(API_TARGET === 'worker' ? { 'cf-connecting-ip': address } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
    },
    close: () => agent.close(),
  };
}

/** A write that needs no data: an empty purchase without a parent token, refused (401) unless the limit answers first. */
const write = (client: ReturnType<typeof clientAt>, url: string) => client.send(url, 'POST', '/packages', {});

describe('per-IP write limit (RATE_LIMIT_WRITES_PER_MINUTE=3, RATE_LIMIT_CHECKS_PER_MINUTE=2)', () => {
  let target: Limited;
  const first = clientAt('127.0.0.1');
  const second = clientAt('127.0.0.2');

  beforeAll(async () => {
    target = await startLimited({ RATE_LIMIT_WRITES_PER_MINUTE: '3', RATE_LIMIT_CHECKS_PER_MINUTE: '2' });
  }, 120_000);
  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
    await target?.close();
  });

  it('answers the 4th write in a minute with 429 rate_limited, Retry-After and the error shape', async () => {
    const allowed = [];
    for (let i = 0; i < 3; i++) allowed.push(await write(first, target.url));
    expect(allowed.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(allowed.map((r) => r.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0']);
    expect(allowed[0]!.headers.get('ratelimit-limit')).toBe('3');
    expect(allowed[0]!.headers.get('ratelimit-reset')).toBe('40');

    const refused = await write(first, target.url);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('40');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
    expect(refused.body).toEqual({
      error: {
        code: 'rate_limited',
        message: expect.stringContaining('Try again in 40 s'),
        details: { limit: 3, windowSeconds: 60, retryAfterSeconds: 40 },
      },
    });
  });

  it('counts every write method and /admin, refuses before authentication, and leaves reads alone', async () => {
    expect((await first.send(target.url, 'PUT', '/admin/students/x', { name: 'X' })).status).toBe(429);
    expect(
      (await first.send(target.url, 'POST', '/admin/students', { name: 'X' }, { authorization: 'Bearer no' })).status,
    ).toBe(429);
    expect((await first.send(target.url, 'POST', '/packages/package-x/floating-sessions', {})).status).toBe(429);
    const read = await first.send(target.url, 'GET', '/marketplace/teachers');
    expect(read.status).toBe(200);
    expect(read.headers.get('ratelimit-limit')).toBeNull();
  });

  it('exempts the operator key', async () => {
    const created = await first.send(target.url, 'POST', '/admin/students', { name: 'Written by the operator' }, AUTH);
    expect(created.status).toBe(201);
  });

  it('keeps each address in its own bucket', async () => {
    expect((await write(second, target.url)).status).toBe(401);
    expect((await write(first, target.url)).status).toBe(429);
  });

  it('gives the availability check its own budget, so browsing slots never spends the writes', async () => {
    const check = (client: ReturnType<typeof clientAt>) =>
      client.send(target.url, 'POST', '/packages/check-multi-slot-availability', {});
    // `second` has spent 1 of 3 writes; its checks are counted apart.
    expect([(await check(second)).status, (await check(second)).status, (await check(second)).status]).toEqual([
      400, 400, 429,
    ]);
    expect((await write(second, target.url)).status).toBe(401);
  });

  it('refuses a valid check past the limit alike on the checks’ own path and the ordinary route', async () => {
    const s = await buildScenario({ url: target.url, adminKey: ADMIN_KEY, databasePath: '', close: async () => {} });
    const third = clientAt('127.0.0.3');
    try {
      const body = { teacherId: s.teacherId, tierId: s.tierId, patterns: [{ weekday: 'MONDAY', time: '10:00' }] };
      // A plain JSON check takes api/routes/fast-check.ts; with a charset it takes the ordinary route.
      const check = (contentType: string) =>
        third.send(target.url, 'POST', '/packages/check-multi-slot-availability', body, {
          'content-type': contentType,
        });
      const allowed = [await check('application/json'), await check('application/json; charset=utf-8')];
      expect(allowed.map((r) => [r.status, r.headers.get('ratelimit-remaining')])).toEqual([
        [200, '1'],
        [200, '0'],
      ]);
      const refused = [await check('application/json'), await check('application/json; charset=utf-8')];
      const seen = (r: (typeof refused)[number]) => ({
        status: r.status,
        body: r.body,
        headers: Object.fromEntries(
          [...r.headers].filter(([name]) => !['date', 'content-length', 'transfer-encoding'].includes(name)),
        ),
      });
      expect(refused[0]!.status).toBe(429);
      expect(refused[0]!.headers.get('retry-after')).toBe('40');
      expect(seen(refused[0]!)).toEqual(seen(refused[1]!));
    } finally {
      await third.close();
    }
  });

  it('frees the address when the next minute starts', async () => {
    const later = await target.at(NEXT_MINUTE);
    const again = await write(first, later);
    expect(again.status).toBe(401);
    expect(again.headers.get('ratelimit-remaining')).toBe('2');
    expect(again.headers.get('ratelimit-reset')).toBe('60');
  });
});

describe(`per-IP write limit at the real default (${DEFAULT_RATE_LIMITS.writesPerMinutePerIp} a minute)`, () => {
  let target: Limited;
  const client = clientAt('127.0.0.1');

  beforeAll(async () => {
    target = await startLimited(undefined);
  }, 120_000);
  afterAll(async () => {
    await client.close();
    await target?.close();
  });

  it('allows 60 writes in a minute and refuses the 61st', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await write(client, target.url)).status);
    expect(statuses.slice(0, 60).every((status) => status === 401)).toBe(true);
    expect(statuses[60]).toBe(429);
  });
});

describe('per-tenant server limit (RATE_LIMIT_TENANT_WRITES_PER_MINUTE=4, RATE_LIMIT_WRITES_PER_MINUTE=2)', () => {
  let target: Limited;
  const server = clientAt('127.0.0.1');

  beforeAll(async () => {
    target = await startLimited({ RATE_LIMIT_TENANT_WRITES_PER_MINUTE: '4', RATE_LIMIT_WRITES_PER_MINUTE: '2' });
  }, 120_000);
  afterAll(async () => {
    await server.close();
    await target?.close();
  });

  const mint = (secretKey: string, n: number) =>
    server.send(
      target.url,
      'POST',
      '/auth/parent-tokens',
      { guardian: { externalId: `g-${n}`, name: 'Parent' }, students: [{ externalId: `s-${n}`, name: 'Child' }] },
      { authorization: `Bearer ${secretKey}` },
    );

  it('counts a school server by its key, not its address: more parents than the per-IP limit, then 429', async () => {
    const school = await createTenant({ url: target.url, adminKey: ADMIN_KEY } as ApiTarget);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await mint(school.secretKey, i)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 429]);
    // Another school's server from the same address has its own budget.
    const other = await createTenant({ url: target.url, adminKey: ADMIN_KEY } as ApiTarget);
    expect((await mint(other.secretKey, 9)).status).toBe(201);
  });

  it('counts a request with an unknown secret key by its address, so made-up keys buy no budget', async () => {
    const fake = clientAt('127.0.0.3');
    try {
      const send = (n: number) =>
        fake.send(target.url, 'POST', '/auth/parent-tokens', {}, { authorization: `Bearer sk_made_up_${n}` });
      expect([(await send(1)).status, (await send(2)).status, (await send(3)).status]).toEqual([401, 401, 429]);
    } finally {
      await fake.close();
    }
  });
});

describe('per-family purchase limit (RATE_LIMIT_PURCHASES_PER_HOUR=2)', () => {
  let target: Limited;
  const client = clientAt('127.0.0.1');
  const otherDevice = clientAt('127.0.0.2');

  beforeAll(async () => {
    target = await startLimited({ RATE_LIMIT_PURCHASES_PER_HOUR: '2' });
  }, 120_000);
  afterAll(async () => {
    await Promise.all([client.close(), otherDevice.close()]);
    await target?.close();
  });

  // A well-formed purchase of a teacher that does not exist: 404 once counted, so no schedule is needed.
  const attempt = (via: ReturnType<typeof clientAt>, parent: Parent, n: number) =>
    via.send(
      target.url,
      'POST',
      '/packages',
      {
        studentId: parent.studentIds[0],
        teacherId: 'teacher-none',
        subjectId: 'subject-none',
        tierId: 'tier-none',
        recurringPatterns: [{ weekday: 'MONDAY', time: '16:00' }],
        idempotencyKey: `limit-key-${parent.guardianId}-${n}`,
      },
      { authorization: `Bearer ${parent.token}` },
    );

  it('refuses the 3rd purchase of one family in an hour, from whichever address, with 429 and Retry-After', async () => {
    const family = await parentFor(target);
    expect((await attempt(client, family, 1)).status).toBe(404);
    expect((await attempt(otherDevice, family, 2)).status).toBe(404);
    const refused = await attempt(otherDevice, family, 3);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(refused.body.error.details).toMatchObject({ limit: 2, windowSeconds: 3600 });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
  });

  it('keeps each family in its own bucket', async () => {
    const family = await parentFor(target);
    expect((await attempt(client, family, 1)).status).toBe(404);
  });

  it('does not count what a request without a parent token sends', async () => {
    const family = await parentFor(target);
    for (let i = 0; i < 3; i++) expect((await client.send(target.url, 'POST', '/packages', {})).status).toBe(401);
    expect((await attempt(client, family, 1)).status).toBe(404);
    expect((await attempt(client, family, 2)).status).toBe(404);
  });
});

describe(`per-IP write limit on ${API_TARGET === 'worker' ? 'one Worker (local D1)' : 'two server processes sharing one SQLite file'}`, () => {
  it('holds across them: of 24 concurrent writes spread over both, exactly 10 get through', async () => {
    const shared = await startSharedTarget({ now: NOW, env: { RATE_LIMIT_WRITES_PER_MINUTE: '10' } });
    const client = clientAt('127.0.0.1');
    try {
      const answers = await Promise.all(
        Array.from({ length: 24 }, (_, i) => write(client, shared.urls[i % shared.urls.length]!)),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 401)).toHaveLength(10);
      expect(statuses.filter((status) => status === 429)).toHaveLength(14);
      const db = new Database(shared.databasePath, { readonly: true });
      try {
        expect(db.prepare(`SELECT bucket, count FROM rate_limits WHERE bucket LIKE 'ip:%:writes'`).all()).toEqual([
          { bucket: expect.any(String), count: 24 },
        ]);
      } finally {
        db.close();
      }
    } finally {
      await client.close();
      await shared.close();
    }
  }, 120_000);
});

describe('rate-limit counters', () => {
  it('numbers a large limit’s requests in blocks, one counting write per block, never allowing more than the limit', async () => {
    const db = tempDatabasePath('smart-pack-rate-blocks-');
    // Two stores on one file: two processes, each holding its own block of the window's numbers.
    const first = openNodeStore(db.path);
    migrate(first.sqlite);
    const second = openNodeStore(db.path);
    try {
      const now = new Date('2026-11-30T06:00:10.000Z');
      const rule = { limit: 500, windowSeconds: 60 };
      const size = blockSize(rule.limit);
      expect(size).toBe(10);
      expect(blockSize(DEFAULT_RATE_LIMITS.purchasesPerHourPerParent)).toBe(1);
      const writesBefore = first.statementCount + second.statementCount;
      const decisions = [];
      for (let i = 0; i < 600; i++) {
        const store = i % 3 === 0 ? second : first;
        decisions.push({ store, ...(await consume({ store, now: () => now }, 'ip:1.2.3.4:checks', rule)) });
      }
      const allowed = decisions.filter((d) => d.allowed).length;
      // Numbers a process held when the window filled are lost to it: stricter by under a block each.
      expect(allowed).toBeLessThanOrEqual(rule.limit);
      expect(allowed).toBeGreaterThan(rule.limit - 2 * size);
      // Within one process each request is told one fewer left than the one before, until none.
      const seen = decisions.filter((d) => d.store === first).map((d) => d.remaining);
      expect(seen.slice(0, size)).toEqual(Array.from({ length: size }, (_, i) => seen[0]! - i));
      expect(seen[0]).toBe(rule.limit - size - 1);
      expect(seen.at(-1)).toBe(0);
      const writes = first.statementCount + second.statementCount - writesBefore;
      expect(writes).toBeLessThanOrEqual(600 / size + 2 + 12 /* the occasional sweep */);
      const row = first.sqlite.prepare('SELECT count FROM rate_limits').get() as { count: number };
      expect(row.count % size).toBe(0);
      expect(row.count).toBeGreaterThanOrEqual(600);
    } finally {
      await first.close();
      await second.close();
      db.cleanup();
    }
  });

  it('counts in windows aligned to the app clock and sweeps the ended ones', async () => {
    const db = tempDatabasePath('smart-pack-rate-unit-');
    const store = openNodeStore(db.path);
    try {
      migrate(store.sqlite);
      let now = new Date('2026-11-30T06:59:59.000Z');
      const deps = { store, now: () => now };
      const rule = { limit: 2, windowSeconds: 3600 };
      expect(await consume(deps, 'parent:g1:purchases', rule)).toEqual({
        allowed: true,
        limit: 2,
        remaining: 1,
        retryAfterSeconds: 1,
      });
      await consume(deps, 'parent:g1:purchases', rule);
      expect((await consume(deps, 'parent:g1:purchases', rule)).allowed).toBe(false);
      now = new Date('2026-11-30T07:00:00.000Z');
      expect(await consume(deps, 'parent:g1:purchases', rule)).toMatchObject({ allowed: true, remaining: 1 });
      await sweepRateLimits(deps);
      expect(store.sqlite.prepare('SELECT window_start, count FROM rate_limits').all()).toEqual([
        { window_start: Date.parse('2026-11-30T07:00:00Z') / 1000, count: 1 },
      ]);
    } finally {
      await store.close();
      db.cleanup();
    }
  });
});
