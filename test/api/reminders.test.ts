import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedTenant } from '../../api/contract/wire.js';
import { openNodeStore } from '../../api/db/node.js';
import { startNodeServer } from '../../api/server/host.js';
import { claimDue, enqueueReminders } from '../../api/services/outbox.js';
import { client } from '../support/http.js';
import { query, scenarioWithPackage } from '../support/lifecycle.js';
import { buildScenario, purchaseBody, type Scenario } from '../support/scenario.js';
import { ADMIN_KEY, API_TARGET, startTarget, tempDatabasePath, type ApiTarget } from '../support/target.js';
import { createTenant } from '../support/tenants.js';
import { startWorkerTarget } from '../support/worker-target.js';

/*
 * `session.reminder` (issue 12, "Reminders"), on the Node server and on the Worker. The sweep is the
 * outbox's own (`enqueueReminders`, which `deliverDue` runs on every tick) called at pinned instants
 * on the target's database file, as the other outbox tests do; the last block lets the real worker of
 * each target (Node's outbox timer, the Worker's cron trigger) write and deliver one at its pinned clock.
 */

// Monday 08:00 in Khartoum; the Monday 16:00 series starts on 7 December (24 h notice).
const NOW = '2026-11-30T06:00:00.000Z';
const START = '2026-12-07T14:00:00.000Z';
const DAY_BEFORE = '2026-12-06T14:00:00.000Z';
const HOUR_BEFORE = '2026-12-07T13:00:00.000Z';
const ms = (iso: string, delta: number) => new Date(Date.parse(iso) + delta).toISOString();
const MINUTE = 60_000;

let target: ApiTarget;
let store: ReturnType<typeof openNodeStore>;
beforeAll(async () => {
  target = await startTarget({ now: NOW });
  store = openNodeStore(target.databasePath);
}, 60_000);
afterAll(async () => {
  await store?.close();
  await target?.close();
});

const sweepAt = (iso: string) => enqueueReminders(store, new Date(iso));

interface ReminderRow {
  id: number;
  booking_id: string;
  dedupe_key: string;
  withdrawn_at: string | null;
  payload: any;
}

/** The reminders of the sessions of a package (or single bookings of a teacher), in the order written. */
function reminders(where: { packageId?: string; teacherId?: string }): ReminderRow[] {
  const [column, value] = where.packageId
    ? ['n.package_id', where.packageId]
    : ['(SELECT teacher_id FROM bookings WHERE id = n.booking_id)', where.teacherId];
  return query<ReminderRow>(
    target,
    `SELECT n.id, n.booking_id, n.dedupe_key, n.withdrawn_at, n.payload FROM notifications n
      WHERE n.event_type = 'session.reminder' AND ${column} = ? ORDER BY n.id`,
    value,
  ).map((row) => ({ ...row, payload: JSON.parse(row.payload) }));
}

const keyOf = (bookingId: string, startUtc: string, offset: number) =>
  `session.reminder:${bookingId}:${startUtc}:${offset}`;

describe('session.reminder', () => {
  it('is written 24 h and 1 h before a session, once each however many sweeps run', async () => {
    const { pack } = await scenarioWithPackage(target);
    const first = pack.sessions[0];
    expect(first.startUtc).toBe(START);
    await sweepAt(ms(DAY_BEFORE, -1));
    expect(reminders({ packageId: pack.id })).toEqual([]);
    expect(await sweepAt(DAY_BEFORE)).toBeGreaterThanOrEqual(1);
    await sweepAt(ms(DAY_BEFORE, MINUTE));
    await sweepAt(ms(DAY_BEFORE, 10 * MINUTE));
    expect(reminders({ packageId: pack.id }).map((r) => r.dedupe_key)).toEqual([keyOf(first.id, START, 1440)]);
    await sweepAt(HOUR_BEFORE);
    await sweepAt(HOUR_BEFORE);
    await sweepAt(ms(HOUR_BEFORE, 5 * MINUTE));
    expect(reminders({ packageId: pack.id }).map((r) => r.dedupe_key)).toEqual([
      keyOf(first.id, START, 1440),
      keyOf(first.id, START, 60),
    ]);
    // The next week's session has its own, in its own time.
    await sweepAt(ms(DAY_BEFORE, 7 * 86_400_000));
    expect(reminders({ packageId: pack.id }).map((r) => r.dedupe_key)).toEqual([
      keyOf(first.id, START, 1440),
      keyOf(first.id, START, 60),
      keyOf(pack.sessions[1].id, pack.sessions[1].startUtc, 1440),
    ]);
  });

  it('carries the session, the names in both languages and the local start in the parent’s language', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const student = s.parent.students[0]!;
    const put = await s.admin.put(`/admin/students/${s.studentId}`, {
      name: student.name,
      nameAr: 'طالب الاختبار',
      locale: 'ar-SD',
    });
    expect(put.status).toBe(200);
    await sweepAt(DAY_BEFORE);
    const [row] = reminders({ packageId: pack.id });
    const purchased = query<{ payload: string }>(
      target,
      'SELECT payload FROM notifications WHERE dedupe_key = ?',
      `pack.purchased:${pack.id}`,
    )[0]!;
    expect(row!.payload).toEqual({
      bookingId: pack.sessions[0].id,
      packageId: pack.id,
      sessionNumber: 1,
      kind: 'recurring',
      studentId: s.studentId,
      studentName: student.name,
      studentNameAr: 'طالب الاختبار',
      guardianId: s.parent.guardianId,
      teacherId: s.teacherId,
      teacherName: 'Test Teacher',
      teacherNameAr: null,
      subjectId: s.subjectId,
      subjectName: 'Mathematics',
      subjectNameAr: 'الرياضيات',
      startUtc: START,
      endUtc: '2026-12-07T15:00:00.000Z',
      timezone: 'Africa/Khartoum',
      date: '2026-12-07',
      time: '16:00',
      weekday: 'MONDAY',
      language: 'ar',
      localStart: expect.stringContaining('ديسمبر'),
      offsetMinutes: 1440,
      remindAt: DAY_BEFORE,
      manage: JSON.parse(purchased.payload).manage,
    });
    expect(row!.payload.manage.url).toMatch(new RegExp(`^/pack/${pack.id}\\?t=`));
    expect(row!.payload.localStart).toMatch(/4:00/);
    // The tenant's webhook gets it: the row belongs to the package's tenant.
    expect(query(target, 'SELECT tenant_id FROM notifications WHERE id = ?', row!.id)).toEqual([
      { tenant_id: 'tenant-default' },
    ]);
  });

  it('speaks English to a family with no language or another one', async () => {
    const { pack } = await scenarioWithPackage(target);
    await sweepAt(DAY_BEFORE);
    const [row] = reminders({ packageId: pack.id });
    expect(row!.payload).toMatchObject({ language: 'en', localStart: expect.stringMatching(/Monday.*December.*7/) });
  });

  it('is never written for a cancelled session, and one waiting for delivery is withdrawn when it is cancelled', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const [first, second] = pack.sessions;
    expect((await s.parent.api.post(`/packages/${pack.id}/sessions/${first.id}/float`)).status).toBe(200);
    await sweepAt(DAY_BEFORE);
    await sweepAt(HOUR_BEFORE);
    expect(reminders({ packageId: pack.id })).toEqual([]);

    const secondDayBefore = ms(second.startUtc, -1440 * MINUTE);
    await sweepAt(secondDayBefore);
    const [written] = reminders({ packageId: pack.id });
    expect(written).toMatchObject({ dedupe_key: keyOf(second.id, second.startUtc, 1440), withdrawn_at: null });
    // Not delivered yet (no webhook answered): the session is cancelled first.
    expect((await s.parent.api.post(`/packages/${pack.id}/sessions/${second.id}/float`)).status).toBe(200);
    expect(reminders({ packageId: pack.id })[0]!.withdrawn_at).not.toBeNull();
    const claimed = await claimDue(store, { now: new Date(ms(secondDayBefore, MINUTE)), limit: 1000 });
    expect(claimed.map((c) => c.id)).not.toContain(written!.id);
    await sweepAt(ms(second.startUtc, -60 * MINUTE));
    expect(reminders({ packageId: pack.id })).toHaveLength(1);
  });

  it('after a reschedule sends none for the old time and writes the new time’s own', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const first = pack.sessions[0];
    await sweepAt(DAY_BEFORE);
    const [old] = reminders({ packageId: pack.id });
    expect(old!.dedupe_key).toBe(keyOf(first.id, START, 1440));
    // Tuesday 11:00 in Khartoum.
    const moved = await s.parent.api.post(`/packages/${pack.id}/sessions/${first.id}/reschedule`, {
      date: '2026-12-08',
      time: '11:00',
    });
    expect(moved.status).toBe(200);
    const NEW_START = '2026-12-08T09:00:00.000Z';
    expect(moved.body.session.startUtc).toBe(NEW_START);
    expect(reminders({ packageId: pack.id })[0]!.withdrawn_at).not.toBeNull();
    expect((await claimDue(store, { now: new Date(HOUR_BEFORE), limit: 1000 })).map((c) => c.id)).not.toContain(
      old!.id,
    );
    // The old time's 1 h reminder is never written.
    await sweepAt(HOUR_BEFORE);
    expect(reminders({ packageId: pack.id })).toHaveLength(1);
    await sweepAt(ms(NEW_START, -1440 * MINUTE));
    await sweepAt(ms(NEW_START, -60 * MINUTE));
    const rows = reminders({ packageId: pack.id });
    expect(rows.map((r) => [r.dedupe_key, r.withdrawn_at === null])).toEqual([
      [keyOf(first.id, START, 1440), false],
      [keyOf(first.id, NEW_START, 1440), true],
      [keyOf(first.id, NEW_START, 60), true],
    ]);
    expect(rows[2]!.payload).toMatchObject({
      startUtc: NEW_START,
      date: '2026-12-08',
      time: '11:00',
      offsetMinutes: 60,
    });
  });

  it('is not written for a session flagged by the teacher’s time off', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const off = await s.admin.post(`/admin/teachers/${s.teacherId}/time-off`, {
      startUtc: '2026-12-07T00:00:00.000Z',
      endUtc: '2026-12-08T00:00:00.000Z',
      reason: 'away',
    });
    expect(off.status).toBe(201);
    await sweepAt(DAY_BEFORE);
    await sweepAt(HOUR_BEFORE);
    expect(reminders({ packageId: pack.id })).toEqual([]);
  });
});

describe('session.reminder and payment', () => {
  let tenant: CreatedTenant;
  let s: Scenario;
  const partner = () => client(target.url, { authorization: `Bearer ${tenant.secretKey}` });
  beforeAll(async () => {
    // Offsets of 8 h: a purchase at 08:00 of a 16:00 session today is due its reminder at once.
    tenant = await createTenant(target, { paymentMode: 'required' });
    const patched = await client(target.url, { authorization: `Bearer ${ADMIN_KEY}` }).patch(
      `/admin/tenants/${tenant.id}`,
      { reminderOffsetsMinutes: [480] },
    );
    expect(patched.status).toBe(200);
    s = await buildScenario(target, { keys: tenant, minNoticeMinutes: 60 });
  }, 60_000);

  it('is not written while the purchase waits for payment, nor after its hold lapsed; it is once paid', async () => {
    const bought = await s.parent.api.post('/packages', purchaseBody(s, [{ weekday: 'MONDAY', time: '16:00' }]));
    expect(bought.status).toBe(201);
    expect(bought.body.state).toBe('pending_payment');
    expect(bought.body.sessions[0].startUtc).toBe('2026-11-30T14:00:00.000Z');
    const lapsing = await s.parent.api.post('/packages', purchaseBody(s, [{ weekday: 'MONDAY', time: '17:00' }]));
    expect(lapsing.status).toBe(201);
    await sweepAt(ms(NOW, MINUTE));
    expect(reminders({ packageId: bought.body.id })).toEqual([]);
    const paid = await partner().post(`/packages/${bought.body.id}/confirm`, {
      paymentReference: `pay_${bought.body.id}`,
      amountMinor: bought.body.priceMinor,
      currency: bought.body.currency,
    });
    expect(paid.status).toBe(200);
    await sweepAt(ms(NOW, 2 * MINUTE));
    expect(reminders({ packageId: bought.body.id }).map((r) => r.payload.offsetMinutes)).toEqual([480]);
    // 17:00's reminder is due at 07:00 UTC, after the 15-minute hold lapsed unpaid.
    await sweepAt('2026-11-30T07:00:00.000Z');
    expect(reminders({ packageId: lapsing.body.id })).toEqual([]);
  });
});

describe('the tenant’s reminderOffsetsMinutes', () => {
  const operator = () => client(target.url, { authorization: `Bearer ${ADMIN_KEY}` });

  it('defaults to 24 h and 1 h, is set and cleared by PATCH, and is refused out of range', async () => {
    const tenant = await createTenant(target, { paymentMode: 'none' });
    const listed = await operator().get('/admin/tenants');
    expect(listed.body.tenants.find((t: any) => t.id === tenant.id).reminderOffsetsMinutes).toEqual([1440, 60]);
    const set = await operator().patch(`/admin/tenants/${tenant.id}`, { reminderOffsetsMinutes: [2880, 120, 5] });
    expect([set.status, set.body.reminderOffsetsMinutes]).toEqual([200, [2880, 120, 5]]);
    for (const bad of [[4], [10_081], [30.5], [60, 60], [5, 10, 15, 20, 25], 'daily']) {
      const refused = await operator().patch(`/admin/tenants/${tenant.id}`, { reminderOffsetsMinutes: bad });
      expect([refused.status, refused.body.error.code]).toEqual([400, 'validation_error']);
    }
    const none = await operator().patch(`/admin/tenants/${tenant.id}`, { reminderOffsetsMinutes: [] });
    expect(none.body.reminderOffsetsMinutes).toEqual([]);
    const cleared = await operator().patch(`/admin/tenants/${tenant.id}`, { reminderOffsetsMinutes: null });
    expect(cleared.body.reminderOffsetsMinutes).toEqual([1440, 60]);
  });

  it('decides when the sweep writes a tenant’s reminders, and [] writes none', async () => {
    const twoHours = await createTenant(target, { paymentMode: 'none' });
    const silent = await createTenant(target, { paymentMode: 'none' });
    await operator().patch(`/admin/tenants/${twoHours.id}`, { reminderOffsetsMinutes: [120] });
    await operator().patch(`/admin/tenants/${silent.id}`, { reminderOffsetsMinutes: [] });
    const a = await scenarioWithPackage(target, { keys: twoHours });
    const b = await scenarioWithPackage(target, { keys: silent });
    for (const at of [DAY_BEFORE, HOUR_BEFORE, ms(START, -120 * MINUTE)]) await sweepAt(at);
    expect(reminders({ packageId: a.pack.id }).map((r) => [r.dedupe_key, r.payload.remindAt])).toEqual([
      [keyOf(a.pack.sessions[0].id, START, 120), '2026-12-07T12:00:00.000Z'],
    ]);
    expect(reminders({ packageId: b.pack.id })).toEqual([]);
  });
});

describe('session.reminder for single lessons, and the grace of a late sweep', () => {
  it('is written for a lesson with a student, not one without, and not when its instant passed over 15 minutes ago', async () => {
    const s = await buildScenario(target);
    const book = async (startUtc: string, studentId: string | null) => {
      const response = await s.admin.post(`/admin/teachers/${s.teacherId}/bookings`, {
        startUtc,
        endUtc: ms(startUtc, 60 * MINUTE),
        studentId,
        subjectId: s.subjectId,
      });
      expect(response.status).toBe(201);
      return response.body.id as string;
    };
    // Booked 30 minutes before it starts: the 24 h and the 1 h instants are both long past.
    const late = await book('2026-12-02T10:00:00.000Z', s.studentId);
    await sweepAt('2026-12-02T09:30:00.000Z');
    // Booked 50 minutes before: the 1 h instant passed 10 minutes ago, within grace.
    const soon = await book('2026-12-03T10:00:00.000Z', s.studentId);
    const nobody = await book('2026-12-03T12:00:00.000Z', null);
    await sweepAt('2026-12-03T09:10:00.000Z');
    await sweepAt('2026-12-03T11:00:00.000Z');
    const rows = reminders({ teacherId: s.teacherId });
    expect(rows.map((r) => r.booking_id)).toEqual([soon]);
    expect(rows.map((r) => r.booking_id)).not.toContain(late);
    expect(rows.map((r) => r.booking_id)).not.toContain(nobody);
    expect(rows[0]!.payload).toMatchObject({
      packageId: null,
      sessionNumber: null,
      kind: 'single',
      manage: null,
      offsetMinutes: 60,
      startUtc: '2026-12-03T10:00:00.000Z',
      time: '12:00',
      subjectName: 'Mathematics',
    });
  });
});

/** A webhook receiver on loopback that answers 200 to everything. */
async function receiver() {
  const received: { event: string; body: any }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ event: String(req.headers['x-smartpack-event']), body: JSON.parse(body) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/smart-pack`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the running outbox worker (Node: its timer; Worker: the cron trigger)', () => {
  it('writes a due reminder at its pinned clock and delivers it to the webhook', async () => {
    const CLOCK = '2026-12-02T08:00:00.000Z';
    const hook = await receiver();
    const db = tempDatabasePath('smart-pack-reminders-');
    let run: () => Promise<void>;
    let server: { url: string; close(): Promise<void> };
    if (API_TARGET === 'worker') {
      const worker = await startWorkerTarget({
        now: CLOCK,
        adminKey: ADMIN_KEY,
        vars: { WEBHOOK_URL: hook.url, WEBHOOK_SECRET: 'whsec-reminders' },
      });
      server = worker;
      // What Cloudflare does every minute; wrangler dev runs the cron handler on this route.
      run = async () => {
        const response = await fetch(`${worker.url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent('* * * * *')}`);
        expect(response.status).toBe(200);
      };
    } else {
      const node = await startNodeServer({
        databasePath: db.path,
        port: 0,
        adminApiKey: ADMIN_KEY,
        now: CLOCK,
        webhook: { url: hook.url, secret: 'whsec-reminders', intervalMs: 60_000 },
      });
      server = node;
      run = async () => {
        await node.outbox!.sweep();
      };
    }
    try {
      const s = await buildScenario({
        url: server.url,
        adminKey: ADMIN_KEY,
        databasePath: db.path,
        close: async () => {},
      });
      const booked = await s.admin.post(`/admin/teachers/${s.teacherId}/bookings`, {
        startUtc: '2026-12-02T09:00:00.000Z',
        endUtc: '2026-12-02T10:00:00.000Z',
        studentId: s.studentId,
      });
      expect(booked.status).toBe(201);
      await run();
      await run();
      const delivered = hook.received.filter((r) => r.event === 'session.reminder');
      expect(delivered).toHaveLength(1);
      expect(delivered[0]!.body.data).toMatchObject({
        bookingId: booked.body.id,
        offsetMinutes: 60,
        startUtc: '2026-12-02T09:00:00.000Z',
        time: '11:00',
        studentName: s.parent.students[0]!.name,
      });
    } finally {
      await server.close();
      await hook.close();
      db.cleanup();
    }
  }, 120_000);
});
