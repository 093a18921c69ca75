import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openNodeStore } from '../../api/db/node.js';
import { backoffMs, claimDue, deliverDue, enqueueExpiring, verifySignature } from '../../api/services/outbox.js';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { ADMIN_KEY, startTarget, tempDatabasePath, type ApiTarget } from '../support/target.js';
import { buildScenario, purchaseBody } from '../support/scenario.js';
import { query, scenarioWithPackage } from '../support/lifecycle.js';

const NOW = '2026-11-30T06:00:00.000Z';
const SECRET = 'whsec-test-secret';
// Purchase rows are stamped by the database's own clock; sweep after both it and the pinned one.
const T0 = new Date(Math.max(Date.now(), Date.parse(NOW)) + 60_000);
const plus = (ms: number) => new Date(T0.getTime() + ms);

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver on loopback; `reply` picks the status of the n-th request (0-based). */
async function receiver(reply: (n: number) => number = () => 200) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const status = reply(received.length);
      received.push({ headers: req.headers, body });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/smart-pack`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let target: ApiTarget;
let store: ReturnType<typeof openNodeStore>;
let hook: Awaited<ReturnType<typeof receiver>> | undefined;
beforeEach(async () => {
  target = await startTarget({ now: NOW });
  store = openNodeStore(target.databasePath);
});
afterEach(async () => {
  await hook?.close();
  hook = undefined;
  await store.close();
  await target.close();
});

const rows = () =>
  query<{
    id: number;
    event_type: string;
    attempts: number;
    next_attempt_at: string;
    delivered_at: string | null;
    last_error: string | null;
  }>(
    target,
    'SELECT id, event_type, attempts, next_attempt_at, delivered_at, last_error FROM notifications ORDER BY id',
  );
const sweep = (now: Date, extra: Partial<Parameters<typeof deliverDue>[1]> = {}) =>
  deliverDue(store, { now, webhookUrl: hook!.url, secret: SECRET, ...extra });

describe('deliverDue', () => {
  it('posts each due row to the webhook, signed with HMAC-SHA256, and marks it delivered once', async () => {
    hook = await receiver();
    const { s, pack } = await scenarioWithPackage(target);
    await s.parent.api.post(`/packages/${pack.id}/floating-sessions`, { date: '2026-12-02', time: '10:00' });
    const report = await sweep(T0);
    expect(report).toMatchObject({ claimed: 2, delivered: 2, failed: [] });
    expect(hook.received.map((r) => r.headers['x-smartpack-event'])).toEqual(['pack.purchased', 'session.booked']);
    for (const [i, { headers, body }] of hook.received.entries()) {
      expect(headers['content-type']).toBe('application/json');
      const [t, v1] = String(headers['x-smartpack-signature'])
        .split(',')
        .map((part) => part.split('=')[1]);
      expect(Number(t)).toBe(Math.floor(T0.getTime() / 1000));
      // Checked with node:crypto, independently of the code under test.
      expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex'));
      const parsed = JSON.parse(body);
      expect(parsed).toMatchObject({
        id: rows()[i]!.id,
        type: headers['x-smartpack-event'],
        attempt: 1,
        data: { packageId: pack.id },
      });
      expect(headers['x-smartpack-delivery']).toBe(String(parsed.id));
    }
    expect(rows().map((r) => [r.attempts, r.delivered_at])).toEqual([
      [1, T0.toISOString()],
      [1, T0.toISOString()],
    ]);
    expect(await sweep(plus(3_600_000))).toMatchObject({ claimed: 0, delivered: 0 });
    expect(hook.received).toHaveLength(2);
  });

  it('retries a failed delivery after a backoff and delivers it when the receiver recovers', async () => {
    hook = await receiver((n) => (n === 0 ? 500 : 200));
    await scenarioWithPackage(target);
    const first = await sweep(T0);
    expect(first.failed).toEqual([
      { id: 1, attempts: 1, error: 'HTTP 500', nextAttemptAt: plus(30_000).toISOString() },
    ]);
    expect(rows()[0]).toMatchObject({
      attempts: 1,
      delivered_at: null,
      last_error: 'HTTP 500',
      next_attempt_at: plus(30_000).toISOString(),
    });
    expect(await sweep(plus(29_999))).toMatchObject({ claimed: 0 });
    expect(await sweep(plus(30_000))).toMatchObject({ claimed: 1, delivered: 1 });
    expect(rows()[0]).toMatchObject({ attempts: 2, delivered_at: plus(30_000).toISOString(), last_error: null });
    const [a, b] = hook.received.map((r) => JSON.parse(r.body));
    expect([a.id, a.attempt, b.id, b.attempt]).toEqual([1, 1, 1, 2]);
    expect(b.data).toEqual(a.data);
  });

  it('backs off exponentially while the receiver keeps failing, and never drops the row', async () => {
    hook = await receiver(() => 503);
    await scenarioWithPackage(target);
    let now = T0;
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const report = await sweep(now);
      expect(report.claimed).toBe(1);
      const next = new Date(report.failed[0]!.nextAttemptAt);
      waits.push(next.getTime() - now.getTime());
      now = next;
    }
    expect(waits).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000]);
    expect(rows()[0]).toMatchObject({ attempts: 6, delivered_at: null, last_error: 'HTTP 503' });
    expect(backoffMs(40)).toBe(6 * 3_600_000);
  });

  it('records an unreachable receiver as a failed attempt to retry', async () => {
    hook = await receiver();
    const deadUrl = hook.url;
    await hook.close();
    hook = await receiver();
    await scenarioWithPackage(target);
    const report = await sweep(T0, { webhookUrl: deadUrl.replace(/:\d+\//, ':9/') });
    expect(report.failed).toHaveLength(1);
    expect(rows()[0]).toMatchObject({ attempts: 1, delivered_at: null });
    expect(rows()[0]!.last_error).toBeTruthy();
    expect(await sweep(plus(30_000))).toMatchObject({ delivered: 1 });
  });

  it('never loses a row claimed by a worker that crashed: it is sent again once the lease runs out', async () => {
    hook = await receiver();
    await scenarioWithPackage(target);
    // A worker claims the row, then dies before sending or recording anything.
    const claimed = await claimDue(store, { now: T0, leaseMs: 60_000 });
    expect(claimed.map((c) => c.eventType)).toEqual(['pack.purchased']);
    expect(await sweep(plus(59_000))).toMatchObject({ claimed: 0 });
    expect(hook.received).toHaveLength(0);
    expect(await sweep(plus(60_000))).toMatchObject({ claimed: 1, delivered: 1 });
    expect(rows()[0]).toMatchObject({ attempts: 2, delivered_at: plus(60_000).toISOString() });
  });

  it('never hands one row to two workers claiming at the same time', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    for (const time of ['10:00', '11:00'])
      await s.parent.api.post(`/packages/${pack.id}/floating-sessions`, { date: '2026-12-02', time });
    await s.parent.api.post(`/packages/${pack.id}/sessions/${pack.sessions[0].id}/reschedule`, {
      date: '2026-12-08',
      time: '10:00',
    });
    const other = openNodeStore(target.databasePath);
    try {
      const [a, b] = await Promise.all([
        claimDue(store, { now: T0, limit: 2 }),
        claimDue(other, { now: T0, limit: 10 }),
      ]);
      const ids = [...a, ...b].map((c) => c.id).sort();
      expect(ids).toEqual([1, 2, 3, 4]);
      expect(new Set(ids).size).toBe(4);
    } finally {
      await other.close();
    }
  });
});

describe('pack.expiring', () => {
  it('is written once, within 7 days of the end, while floating credits are left', async () => {
    const { pack } = await scenarioWithPackage(target);
    const end = Date.parse(pack.gracePeriodEnds);
    const count = () => query(target, "SELECT count(*) AS n FROM notifications WHERE event_type = 'pack.expiring'")[0];
    expect(await enqueueExpiring(store, new Date(end - 8 * 86_400_000))).toBe(0);
    expect(await enqueueExpiring(store, new Date(end - 6 * 86_400_000))).toBe(1);
    expect(await enqueueExpiring(store, new Date(end - 5 * 86_400_000))).toBe(0);
    expect(count()).toEqual({ n: 1 });
    const [row] = query<{ payload: string; dedupe_key: string }>(
      target,
      "SELECT payload, dedupe_key FROM notifications WHERE event_type = 'pack.expiring'",
    );
    expect(JSON.parse(row!.payload)).toEqual({
      packageId: pack.id,
      studentId: pack.studentId,
      teacherId: pack.teacherId,
      gracePeriodEnds: pack.gracePeriodEnds,
      floatingSessionsLeft: 2,
    });
    expect(row!.dedupe_key).toBe(`pack.expiring:${pack.id}`);
  });

  it('is not written for a package with no floating credits left, and is delivered by the sweep', async () => {
    hook = await receiver();
    const { s, pack } = await scenarioWithPackage(target);
    const used = await scenarioWithPackage(target);
    for (const time of ['10:00', '11:00']) {
      await used.s.parent.api.post(`/packages/${used.pack.id}/floating-sessions`, { date: '2026-12-03', time });
    }
    const report = await sweep(new Date(Math.max(Date.parse(pack.gracePeriodEnds) - 86_400_000, T0.getTime())));
    expect(report.expiringQueued).toBe(1);
    const expiring = hook.received
      .filter((r) => r.headers['x-smartpack-event'] === 'pack.expiring')
      .map((r) => JSON.parse(r.body).data.packageId);
    expect(expiring).toEqual([pack.id]);
    expect(s.teacherId).not.toBe(used.s.teacherId);
  });
});

describe('verifySignature (what a receiver runs)', () => {
  it('accepts the genuine header and refuses a changed body, another secret or an old timestamp', async () => {
    hook = await receiver();
    await scenarioWithPackage(target);
    await sweep(T0);
    const { headers, body } = hook.received[0]!;
    const header = String(headers['x-smartpack-signature']);
    expect(await verifySignature(SECRET, header, body, { now: T0 })).toBe(true);
    expect(await verifySignature(SECRET, header, body.replace('pack.purchased', 'pack.purchasex'), { now: T0 })).toBe(
      false,
    );
    expect(await verifySignature('another-secret', header, body, { now: T0 })).toBe(false);
    expect(await verifySignature(SECRET, header, body, { now: plus(301_000) })).toBe(false);
    expect(await verifySignature(SECRET, 'garbage', body, { now: T0 })).toBe(false);
  });
});

describe('the Node server with WEBHOOK_URL set', () => {
  const db = tempDatabasePath('smart-pack-outbox-');
  let server: ServerProcess | undefined;
  let nodeHook: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    nodeHook = await receiver();
  });
  afterAll(async () => {
    await server?.stop();
    await nodeHook.close();
    db.cleanup();
  });

  it('delivers the outbox on its own, signed, and records the delivery', async () => {
    // Real clock: the runner must see its own rows come due.
    server = await spawnServer({
      DATABASE_PATH: db.path,
      ADMIN_API_KEY: ADMIN_KEY,
      WEBHOOK_URL: nodeHook.url,
      WEBHOOK_SECRET: SECRET,
      OUTBOX_INTERVAL_MS: '100',
    });
    const s = await buildScenario({
      url: server.url,
      adminKey: ADMIN_KEY,
      databasePath: db.path,
      close: async () => {},
    });
    const bought = await s.parent.api.post('/packages', purchaseBody(s, [{ weekday: 'MONDAY', time: '16:00' }]));
    expect(bought.status).toBe(201);
    const deliveredAt = () =>
      query<{ d: string | null }>(db.path, 'SELECT delivered_at AS d FROM notifications')[0]?.d ?? null;
    const deadline = Date.now() + 10_000;
    while (deliveredAt() === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(nodeHook.received).toHaveLength(1);
    const { headers, body } = nodeHook.received[0]!;
    expect(headers['x-smartpack-event']).toBe('pack.purchased');
    expect(await verifySignature(SECRET, String(headers['x-smartpack-signature']), body, { now: new Date() })).toBe(
      true,
    );
    expect(JSON.parse(body).data.packageId).toBe(bought.body.id);
    const [row] = query<{ attempts: number; last_error: string | null }>(
      db.path,
      'SELECT attempts, last_error FROM notifications',
    );
    expect(row).toEqual({ attempts: 1, last_error: null });
  }, 60_000);
});
