import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedTenant } from '../../api/contract/wire.js';
import { sql } from 'kysely';
import { openNodeStore } from '../../api/db/node.js';
import { insertSingleBooking } from '../../api/db/repositories/bookings.js';
import { enqueueExpiredHolds } from '../../api/services/outbox.js';
import { client, type Client } from '../support/http.js';
import { at, notifications, query } from '../support/lifecycle.js';
import { fetchDocument, responseChecker } from '../support/openapi.js';
import { manageClient, parentFor, type Parent } from '../support/parents.js';
import { buildScenario, purchaseBody, type Scenario } from '../support/scenario.js';
import { startNodeServer } from '../../api/server/host.js';
import { spawnServer } from '../support/process.js';
import {
  API_TARGET,
  startSharedTarget,
  startTarget,
  tempDatabasePath,
  type ApiTarget,
  type SharedTarget,
} from '../support/target.js';
import { createTenant } from '../support/tenants.js';

/*
 * Pay to confirm (issue 10) over HTTP, on the Node server and on the Worker. The tenant collects the
 * payment (`paymentMode: "required"`, hold 15 minutes): a purchase holds its slots until the partner's
 * server confirms it, and a hold frees its slots at `holdExpiresAt` by the clock alone. "Later" is a
 * second server on the same database with its own pinned clock (`at`), so no job and no clock mock.
 */

// Monday 08:00 in Khartoum; the Monday 16:00 series starts on 7 December (24 h notice).
const NOW = '2026-11-30T06:00:00.000Z';
const HOLD_END = '2026-11-30T06:15:00.000Z';
const JUST_BEFORE = '2026-11-30T06:14:59.999Z';
const MONDAY_4PM = [{ weekday: 'MONDAY', time: '16:00' }];

let target: ApiTarget;
let tenant: CreatedTenant;
let otherTenant: CreatedTenant;
let check: ReturnType<typeof responseChecker>;
beforeAll(async () => {
  target = await startTarget({ now: NOW });
  check = responseChecker(await fetchDocument(target.url));
  tenant = await createTenant(target);
  otherTenant = await createTenant(target);
}, 60_000);
afterAll(async () => {
  await target?.close();
});

/** A teacher of the paying tenant, with its family; every client sends the tenant's keys. */
const paying = (options: Parameters<typeof buildScenario>[1] = {}) =>
  buildScenario(target, { keys: tenant, ...options });
/** The tenant's server: confirms payments with its secret key. */
const partner = (url = target.url, key = tenant.secretKey) => client(url, { authorization: `Bearer ${key}` });
/** Another family of the paying tenant, on the server at `url`. */
const familyOn = (url: string) =>
  parentFor({ url }, undefined, { key: tenant.secretKey, publishableKey: tenant.publishableKey });
const publicOn = (url: string) => client(url, { 'x-publishable-key': tenant.publishableKey });

async function buy(s: Scenario, parent: Parent = s.parent, patterns = MONDAY_4PM) {
  const response = await parent.api.post('/packages', {
    ...purchaseBody(s, patterns),
    studentId: parent.studentIds[0],
  });
  if (response.status !== 201) throw new Error(`purchase: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

const paymentOf = (pack: any, reference = `pay_${pack.id}`) => ({
  paymentReference: reference,
  amountMinor: pack.priceMinor,
  currency: pack.currency,
});

const slotOf = (grid: any, weekday: string, time: string) =>
  grid.availability.find((d: any) => d.weekday === weekday)?.slots.find((x: any) => x.time === time);

async function mondayFourPm(api: Client, s: Scenario) {
  const grid = await api.get(`/marketplace/teachers/${s.teacherId}/weekly-availability?weeks=4`);
  expect(grid.status).toBe(200);
  return slotOf(grid.body, 'MONDAY', '16:00');
}

async function conflictsOf(api: Client, s: Scenario): Promise<string[]> {
  const response = await api.post('/packages/check-multi-slot-availability', {
    teacherId: s.teacherId,
    tierId: s.tierId,
    patterns: MONDAY_4PM,
  });
  expect(response.status).toBe(200);
  return response.body.patterns[0].conflicts.map((c: any) => c.startUtc);
}

const starts = (pack: any): string[] => pack.sessions.map((x: any) => x.startUtc);

/** Bookings of a teacher that overlap one another and both hold their slot at `instant` (must be 0). */
function liveOverlaps(teacherId: string, instant: string): number {
  return query<{ n: number }>(
    target,
    `SELECT count(*) AS n FROM bookings a JOIN bookings b
       ON a.teacher_id = b.teacher_id AND a.id < b.id AND a.start_utc < b.end_utc AND b.start_utc < a.end_utc
     WHERE a.teacher_id = ? AND a.status IN ('scheduled','completed') AND b.status IN ('scheduled','completed')
       AND (a.hold_expires_at IS NULL OR a.hold_expires_at > ?) AND (b.hold_expires_at IS NULL OR b.hold_expires_at > ?)`,
    teacherId,
    instant,
    instant,
  )[0]!.n;
}

const ledger = (packageId: string) =>
  query<{ entry_type: string; amount_minor: number; payment_reference: string | null; created_at: string }>(
    target,
    'SELECT entry_type, amount_minor, payment_reference, created_at FROM escrow_ledger WHERE package_id = ? ORDER BY id',
    packageId,
  );

describe('a purchase in a tenant that collects payment', () => {
  it('answers 201 pending_payment with what to pay and when the hold lapses, holding no money yet', async () => {
    const s = await paying();
    const body = purchaseBody(s, MONDAY_4PM);
    const response = await s.parent.api.post('/packages', body);
    expect(response.status).toBe(201);
    expect(check('POST', '/packages', response).problems).toEqual([]);
    const pack = response.body;
    expect(pack).toMatchObject({
      state: 'pending_payment',
      holdExpiresAt: HOLD_END,
      paymentReference: null,
      confirmedAt: null,
      currency: 'SDG',
      escrow: { heldMinor: 0, releasedMinor: 0, refundedMinor: 0, remainingMinor: 0 },
    });
    expect(pack.priceMinor).toBeGreaterThan(0);
    expect(pack.manage.token).toEqual(expect.any(String));
    expect(pack.sessions).toHaveLength(8);
    // No session can be changed while unpaid.
    expect(pack.sessions.every((x: any) => !x.canReschedule && !x.canFloat)).toBe(true);
    // Only the hold is announced (with the manage link); no escrow entry before the payment.
    const events = notifications(target, pack.id);
    expect(events.map((e) => e.event_type)).toEqual(['pack.held']);
    expect(events[0]!.payload).toMatchObject({
      packageId: pack.id,
      holdExpiresAt: HOLD_END,
      priceMinor: pack.priceMinor,
      currency: 'SDG',
      manage: pack.manage,
    });
    expect(ledger(pack.id)).toEqual([]);
    // The parent reads it back the same, and a replay of the purchase answers the same package.
    const read = await manageClient(target, pack).get(`/packages/${pack.id}`);
    expect(read.body).toMatchObject({ state: 'pending_payment', holdExpiresAt: HOLD_END });
    const replay = await s.parent.api.post('/packages', body);
    expect([replay.status, replay.body.id, replay.body.state]).toEqual([200, pack.id, 'pending_payment']);
    expect(notifications(target, pack.id)).toHaveLength(1);
  });

  it('holds the slots while the hold lives: the grid, the check and another family see them taken', async () => {
    const s = await paying();
    const before = await mondayFourPm(s.api, s);
    expect(before.freeWeeks).toBe(before.weeks);
    const pack = await buy(s);
    expect((await mondayFourPm(s.api, s)).freeWeeks).toBe(0);
    const conflicts = await conflictsOf(s.api, s);
    expect(conflicts).toEqual(expect.arrayContaining(starts(pack).slice(0, 4)));
    const other = await familyOn(target.url);
    const second = await other.api.post('/packages', {
      ...purchaseBody(s, MONDAY_4PM),
      studentId: other.studentIds[0],
    });
    if (second.status === 201) {
      // The series slid to later weeks: none of the held dates.
      expect(starts(second.body).filter((x) => starts(pack).includes(x))).toEqual([]);
    } else {
      expect([409, 422]).toContain(second.status);
    }
    expect(liveOverlaps(s.teacherId, NOW)).toBe(0);
  });

  it('frees the slots at holdExpiresAt by the clock alone, and the freed slot can be bought', async () => {
    const s = await paying();
    const pack = await buy(s);
    // One millisecond before: still held, still pending.
    await at(target, JUST_BEFORE, async (later) => {
      const api = publicOn(later.url);
      expect((await mondayFourPm(api, s)).freeWeeks).toBe(0);
      const read = await manageClient(later, pack).get(`/packages/${pack.id}`);
      expect(read.body.state).toBe('pending_payment');
    });
    await at(target, HOLD_END, async (later) => {
      const api = publicOn(later.url);
      const read = await manageClient(later, pack).get(`/packages/${pack.id}`);
      expect(read.status).toBe(200);
      expect(check('GET', '/packages/{id}', read).problems).toEqual([]);
      expect(read.body).toMatchObject({ state: 'hold_expired', holdExpiresAt: HOLD_END });
      const slot = await mondayFourPm(api, s);
      expect(slot.freeWeeks).toBe(slot.weeks);
      expect(await conflictsOf(api, s)).toEqual([]);
      // Another family buys exactly the dates the lapsed hold had.
      const other = await familyOn(later.url);
      const bought = await buy(s, other);
      expect(bought.state).toBe('pending_payment');
      expect(starts(bought)).toEqual(starts(pack));
      expect(liveOverlaps(s.teacherId, HOLD_END)).toBe(0);
      // Session changes on a lapsed hold: 409 hold_expired.
      const float = await manageClient(later, pack).post(`/packages/${pack.id}/sessions/${pack.sessions[0].id}/float`);
      expect([float.status, float.body.error.code]).toEqual([409, 'hold_expired']);
    });
  });
});

describe('the calendar feed of a pending package', () => {
  it('shows the sessions tentative while held, confirmed once paid, cancelled once the hold lapsed', async () => {
    const s = await paying();
    const [paid, lapsing] = [await buy(s), await buy(s, s.parent, [{ weekday: 'TUESDAY', time: '10:00' }])];
    const statuses = async (url: string, pack: any) => {
      const feed = await fetch(url + pack.calendarPath);
      expect(feed.status).toBe(200);
      return [...(await feed.text()).matchAll(/STATUS:(\w+)/g)].map((m) => m[1]);
    };
    expect(new Set(await statuses(target.url, lapsing))).toEqual(new Set(['TENTATIVE']));
    await partner().post(`/packages/${paid.id}/confirm`, paymentOf(paid));
    await at(target, HOLD_END, async (later) => {
      expect(new Set(await statuses(later.url, paid))).toEqual(new Set(['CONFIRMED']));
      expect(new Set(await statuses(later.url, lapsing))).toEqual(new Set(['CANCELLED']));
    });
  });
});

describe('POST /packages/:id/confirm', () => {
  it('confirms with the exact price: active, the escrow hold with the reference, pack.purchased now', async () => {
    const s = await paying();
    const pack = await buy(s);
    const response = await partner().post(`/packages/${pack.id}/confirm`, paymentOf(pack, 'pi_123'));
    expect(response.status).toBe(200);
    expect(check('POST', '/packages/{id}/confirm', response).problems).toEqual([]);
    expect(response.body).toMatchObject({
      id: pack.id,
      state: 'active',
      holdExpiresAt: null,
      paymentReference: 'pi_123',
      confirmedAt: NOW,
      escrow: { heldMinor: pack.priceMinor, remainingMinor: pack.priceMinor },
    });
    expect(ledger(pack.id)).toEqual([
      { entry_type: 'hold', amount_minor: pack.priceMinor, payment_reference: 'pi_123', created_at: NOW },
    ]);
    const events = notifications(target, pack.id);
    expect(events.map((e) => e.event_type)).toEqual(['pack.held', 'pack.purchased']);
    expect(events[1]!.payload).toMatchObject({
      packageId: pack.id,
      priceMinor: pack.priceMinor,
      paymentReference: 'pi_123',
      confirmedAt: NOW,
      manage: pack.manage,
    });
    expect(
      query(target, 'SELECT count(*) AS n FROM bookings WHERE package_id = ? AND hold_expires_at IS NOT NULL', pack.id),
    ).toEqual([{ n: 0 }]);
    // The same reference again: the same answer, nothing written twice.
    const replay = await partner().post(`/packages/${pack.id}/confirm`, paymentOf(pack, 'pi_123'));
    expect([replay.status, replay.body]).toEqual([200, response.body]);
    expect(ledger(pack.id)).toHaveLength(1);
    expect(notifications(target, pack.id)).toHaveLength(2);
    // Another reference for a confirmed package.
    const other = await partner().post(`/packages/${pack.id}/confirm`, paymentOf(pack, 'pi_456'));
    expect([other.status, other.body.error.code]).toEqual([409, 'payment_reference_conflict']);
    // Active now: the parent can change sessions, and still sees the slot as theirs.
    const read = await s.parent.api.get(`/packages/${pack.id}`);
    expect(read.body.state).toBe('active');
    expect(read.body.sessions[0].canFloat).toBe(true);
  });

  it('refuses another amount or currency (422 amount_mismatch) and writes nothing', async () => {
    const s = await paying();
    const pack = await buy(s);
    for (const body of [
      { ...paymentOf(pack), amountMinor: pack.priceMinor - 1 },
      { ...paymentOf(pack), amountMinor: pack.priceMinor + 1 },
      { ...paymentOf(pack), currency: 'USD' },
    ]) {
      const response = await partner().post(`/packages/${pack.id}/confirm`, body);
      expect([response.status, response.body.error.code]).toEqual([422, 'amount_mismatch']);
      expect(check('POST', '/packages/{id}/confirm', response).problems).toEqual([]);
    }
    expect(ledger(pack.id)).toEqual([]);
    expect((await s.parent.api.get(`/packages/${pack.id}`)).body.state).toBe('pending_payment');
  });

  it('decides at the boundary: confirmed a millisecond before holdExpiresAt, 409 hold_expired at it', async () => {
    const s = await paying();
    const [early, late] = [await buy(s), await buy(s, s.parent, [{ weekday: 'TUESDAY', time: '10:00' }])];
    await at(target, JUST_BEFORE, async (later) => {
      const response = await partner(later.url).post(`/packages/${early.id}/confirm`, paymentOf(early));
      expect([response.status, response.body.state]).toEqual([200, 'active']);
    });
    await at(target, HOLD_END, async (later) => {
      const response = await partner(later.url).post(`/packages/${late.id}/confirm`, paymentOf(late));
      expect([response.status, response.body.error.code]).toEqual([409, 'hold_expired']);
      expect(check('POST', '/packages/{id}/confirm', response).problems).toEqual([]);
      // The one confirmed in time stays active after its hold would have lapsed.
      const read = await manageClient(later, early).get(`/packages/${early.id}`);
      expect(read.body.state).toBe('active');
    });
    expect(ledger(late.id)).toEqual([]);
    expect(notifications(target, late.id).map((e) => e.event_type)).toEqual(['pack.held']);
  });

  it('answers 404 for another tenant’s package and 401 without the secret key; the parent cannot confirm', async () => {
    const s = await paying();
    const pack = await buy(s);
    const foreign = await partner(target.url, otherTenant.secretKey).post(
      `/packages/${pack.id}/confirm`,
      paymentOf(pack),
    );
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'package_not_found']);
    const unknown = await partner().post('/packages/no-such-package/confirm', paymentOf(pack));
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'package_not_found']);
    const headerSets: Record<string, string>[] = [
      {},
      { authorization: 'Bearer sk_not-a-key' },
      { authorization: `Bearer ${s.parent.token}` },
    ];
    for (const headers of headerSets) {
      const response = await client(target.url, headers).post(`/packages/${pack.id}/confirm`, paymentOf(pack));
      expect([response.status, response.body.error.code]).toEqual([401, 'unauthorized']);
    }
    const invalid = await partner().post(`/packages/${pack.id}/confirm`, { paymentReference: '', amountMinor: -1 });
    expect([invalid.status, invalid.body.error.code]).toEqual([400, 'validation_error']);
    // The operator acts in the tenant it names.
    const operator = client(target.url, { authorization: `Bearer ${target.adminKey}`, 'x-tenant-id': tenant.id });
    const confirmed = await operator.post(`/packages/${pack.id}/confirm`, paymentOf(pack));
    expect([confirmed.status, confirmed.body.state]).toEqual([200, 'active']);
  });

  it('refuses a reference that already confirmed another package, and a cancelled package', async () => {
    const s = await paying();
    const a = await buy(s);
    const b = await buy(s, s.parent, [{ weekday: 'TUESDAY', time: '10:00' }]);
    expect((await partner().post(`/packages/${a.id}/confirm`, paymentOf(a, 'pi_shared'))).status).toBe(200);
    const reused = await partner().post(`/packages/${b.id}/confirm`, paymentOf(b, 'pi_shared'));
    expect([reused.status, reused.body.error.code]).toEqual([409, 'payment_reference_conflict']);
    expect(ledger(b.id)).toEqual([]);
    expect((await s.parent.api.post(`/packages/${b.id}/cancel`)).status).toBe(200);
    const cancelled = await partner().post(`/packages/${b.id}/confirm`, paymentOf(b));
    expect([cancelled.status, cancelled.body.error.code]).toEqual([409, 'package_not_pending']);
  });
});

describe('session changes wait for the payment', () => {
  it('answers 409 package_pending_payment to a reschedule, a float and a floating booking', async () => {
    const s = await paying();
    const pack = await buy(s);
    const session = pack.sessions[0];
    const calls = [
      s.parent.api.post(`/packages/${pack.id}/sessions/${session.id}/reschedule`, {
        date: '2026-12-08',
        time: '10:00',
      }),
      s.parent.api.post(`/packages/${pack.id}/sessions/${session.id}/float`),
      s.parent.api.post(`/packages/${pack.id}/floating-sessions`, { date: '2026-12-08', time: '11:00' }),
    ];
    const paths = [
      '/packages/{id}/sessions/{sessionId}/reschedule',
      '/packages/{id}/sessions/{sessionId}/float',
      '/packages/{id}/floating-sessions',
    ];
    for (const [i, response] of (await Promise.all(calls)).entries()) {
      expect([response.status, response.body.error.code]).toEqual([409, 'package_pending_payment']);
      expect(check('POST', paths[i]!, response).problems).toEqual([]);
    }
    expect(notifications(target, pack.id).map((e) => e.event_type)).toEqual(['pack.held']);
  });

  it('lets the teacher complete no session of an unpaid package: nothing is held to release', async () => {
    // A two-hour hold and no notice: the first session (09:00 local, 07:00Z) starts while still held.
    const long = await createTenant(target, { holdMinutes: 120 });
    const s = await buildScenario(target, { keys: long, minNoticeMinutes: 0 });
    const response = await s.parent.api.post('/packages', purchaseBody(s, [{ weekday: 'MONDAY', time: '09:00' }]));
    expect([response.status, response.body.holdExpiresAt]).toEqual([201, '2026-11-30T08:00:00.000Z']);
    const pack = response.body;
    expect(pack.sessions[0].startUtc).toBe('2026-11-30T07:00:00.000Z');
    await at(target, '2026-11-30T07:30:00.000Z', async (later) => {
      const teacher = client(later.url, { authorization: `Bearer ${long.secretKey}` });
      const done = await teacher.post(`/admin/packages/${pack.id}/sessions/${pack.sessions[0].id}/complete`);
      expect([done.status, done.body.error.code]).toEqual([409, 'package_pending_payment']);
      expect(check('POST', '/admin/packages/{id}/sessions/{sessionId}/complete', done).problems).toEqual([]);
    });
    expect(ledger(pack.id)).toEqual([]);
  });
});

describe('POST /packages/:id/cancel', () => {
  it('lets the parent give up a pending purchase: cancelled, slots free at once, pack.hold_cancelled', async () => {
    const s = await paying();
    const pack = await buy(s);
    const response = await s.parent.api.post(`/packages/${pack.id}/cancel`);
    expect(response.status).toBe(200);
    expect(check('POST', '/packages/{id}/cancel', response).problems).toEqual([]);
    expect(response.body.state).toBe('cancelled');
    expect(response.body.sessions.every((x: any) => x.status === 'cancelled')).toBe(true);
    expect((await mondayFourPm(s.api, s)).freeWeeks).toBe(4);
    const other = await familyOn(target.url);
    expect(starts(await buy(s, other))).toEqual(starts(pack));
    expect(notifications(target, pack.id).map((e) => e.event_type)).toEqual(['pack.held', 'pack.hold_cancelled']);
    // A replay (here through the manage link) answers the cancelled package; nothing is written twice.
    const again = await manageClient(target, pack).post(`/packages/${pack.id}/cancel`);
    expect([again.status, again.body.state]).toEqual([200, 'cancelled']);
    expect(notifications(target, pack.id)).toHaveLength(2);
    expect(ledger(pack.id)).toEqual([]);
  });

  it('cancels a paid package as a refund (the refund policy), refuses a lapsed hold (409 hold_expired) and another family (404)', async () => {
    const s = await paying();
    const active = await buy(s);
    await partner().post(`/packages/${active.id}/confirm`, paymentOf(active));
    const refunded = await s.parent.api.post(`/packages/${active.id}/cancel`);
    expect([refunded.status, refunded.body.state]).toEqual([200, 'cancelled']);
    expect(refunded.body.escrow.refundedMinor).toBeGreaterThan(0);
    expect(notifications(target, active.id).map((e) => e.event_type)).toContain('pack.cancelled');
    expect(check('POST', '/packages/{id}/cancel', refunded).problems).toEqual([]);
    const pending = await buy(s, s.parent, [{ weekday: 'TUESDAY', time: '10:00' }]);
    const stranger = await familyOn(target.url);
    const foreign = await stranger.api.post(`/packages/${pending.id}/cancel`);
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'package_not_found']);
    await at(target, HOLD_END, async (later) => {
      const lapsed = await manageClient(later, pending).post(`/packages/${pending.id}/cancel`);
      expect([lapsed.status, lapsed.body.error.code]).toEqual([409, 'hold_expired']);
    });
    expect((await s.parent.api.get(`/packages/${pending.id}`)).body.state).toBe('pending_payment');
  });
});

describe('unfinished purchases', () => {
  it('refuses a fourth live hold of one family (409 too_many_open_purchases) until one is paid, cancelled or lapsed', async () => {
    const s = await paying();
    const times = ['10:00', '11:00', '12:00', '13:00', '14:00'];
    const packs: any[] = [];
    const bodies = times.slice(0, 3).map((time) => purchaseBody(s, [{ weekday: 'TUESDAY', time }]));
    for (const body of bodies) {
      const response = await s.parent.api.post('/packages', body);
      expect(response.status).toBe(201);
      packs.push(response.body);
    }
    const fourth = purchaseBody(s, [{ weekday: 'TUESDAY', time: times[3]! }]);
    const refused = await s.parent.api.post('/packages', fourth);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'too_many_open_purchases']);
    expect(refused.body.error.details).toEqual({ limit: 3 });
    // A retry of one of the three is its replay, not a fourth hold.
    const retried = await s.parent.api.post('/packages', bodies[0]);
    expect([retried.status, retried.body.id]).toEqual([200, packs[0].id]);
    expect(query(target, 'SELECT count(*) AS n FROM student_packages WHERE teacher_id = ?', s.teacherId)).toEqual([
      { n: 3 },
    ]);
    // Another family is not limited by this one.
    expect((await buy(s, await familyOn(target.url), [{ weekday: 'TUESDAY', time: times[4]! }])).state).toBe(
      'pending_payment',
    );
    // One paid: room for one more (the same body, a fresh key).
    await partner().post(`/packages/${packs[0].id}/confirm`, paymentOf(packs[0]));
    const after = await s.parent.api.post('/packages', { ...fourth, idempotencyKey: `${fourth.idempotencyKey}-2` });
    expect(after.status).toBe(201);
    // At the hold's end every hold has lapsed: the family may start afresh.
    const again = purchaseBody(s, [{ weekday: 'TUESDAY', time: times[3]! }], {
      idempotencyKey: `${fourth.idempotencyKey}-3`,
    });
    expect((await s.parent.api.post('/packages', again)).body.error.code).toBe('too_many_open_purchases');
    await at(target, HOLD_END, async (later) => {
      const sameFamily = client(later.url, {
        authorization: `Bearer ${s.parent.token}`,
        'x-publishable-key': tenant.publishableKey,
      });
      const response = await sameFamily.post('/packages', again);
      expect([response.status, response.body.state]).toEqual([201, 'pending_payment']);
    });
  });
});

describe('a tenant that invoices (paymentMode "none")', () => {
  it('confirms at purchase, as before: active, escrow held and pack.purchased at once; confirm answers 409', async () => {
    const invoicing = await createTenant(target, { paymentMode: 'none' });
    expect(invoicing.paymentMode).toBe('none');
    const s = await buildScenario(target, { keys: invoicing });
    const pack = await buy(s);
    expect(pack).toMatchObject({ state: 'active', holdExpiresAt: null, escrow: { heldMinor: pack.priceMinor } });
    expect(notifications(target, pack.id).map((e) => e.event_type)).toEqual(['pack.purchased']);
    expect(ledger(pack.id).map((e) => e.entry_type)).toEqual(['hold']);
    const confirm = await partner(target.url, invoicing.secretKey).post(
      `/packages/${pack.id}/confirm`,
      paymentOf(pack),
    );
    expect([confirm.status, confirm.body.error.code]).toEqual([409, 'package_not_pending']);
  });

  it('is what the default tenant (every deployment from before payments) keeps', async () => {
    expect(query(target, "SELECT payment_mode FROM tenants WHERE id = 'tenant-default'")).toEqual([
      { payment_mode: 'none' },
    ]);
    const s = await buildScenario(target);
    expect((await buy(s)).state).toBe('active');
  });
});

describe('pack.hold_expired', () => {
  it('is written once per lapsed, unpaid hold by the outbox sweep, and never for a paid or cancelled one', async () => {
    const s = await paying();
    const lapsing = await buy(s);
    const paid = await buy(s, s.parent, [{ weekday: 'TUESDAY', time: '10:00' }]);
    const cancelled = await buy(s, s.parent, [{ weekday: 'TUESDAY', time: '11:00' }]);
    await partner().post(`/packages/${paid.id}/confirm`, paymentOf(paid));
    await s.parent.api.post(`/packages/${cancelled.id}/cancel`);
    const store = openNodeStore(target.databasePath);
    try {
      const mine = () =>
        query<{ n: number }>(
          target,
          "SELECT count(*) AS n FROM notifications WHERE event_type = 'pack.hold_expired' AND package_id IN (?, ?, ?)",
          lapsing.id,
          paid.id,
          cancelled.id,
        )[0]!.n;
      await enqueueExpiredHolds(store, new Date(JUST_BEFORE));
      expect(mine()).toBe(0);
      expect(await enqueueExpiredHolds(store, new Date(HOLD_END))).toBeGreaterThanOrEqual(1);
      expect(await enqueueExpiredHolds(store, new Date(Date.parse(HOLD_END) + 60_000))).toBe(0);
      expect(mine()).toBe(1);
      const events = notifications(target, lapsing.id);
      expect(events.map((e) => e.event_type)).toEqual(['pack.held', 'pack.hold_expired']);
      expect(events[1]!.payload).toEqual({
        packageId: lapsing.id,
        studentId: lapsing.studentId,
        teacherId: lapsing.teacherId,
        holdExpiresAt: HOLD_END,
        priceMinor: lapsing.priceMinor,
        currency: 'SDG',
      });
      expect(events[1]!.dedupe_key).toBe(`pack.hold_expired:${lapsing.id}`);
    } finally {
      await store.close();
    }
  });
});

describe.skipIf(API_TARGET === 'worker')('the memoised grid of one server process (Node: its clock can move)', () => {
  it('frees a lapsed hold’s slot at holdExpiresAt with no write, though grid and check are cached', async () => {
    const db = tempDatabasePath('smart-pack-holds-');
    const server = await startNodeServer({ databasePath: db.path, port: 0, adminApiKey: target.adminKey, now: NOW });
    let clock = new Date(NOW);
    server.deps.now = () => new Date(clock);
    try {
      const local = { ...target, url: server.url, databasePath: db.path };
      const t = await createTenant(local);
      const s = await buildScenario(local, { keys: t });
      const api = client(server.url, { 'x-publishable-key': t.publishableKey });
      expect((await mondayFourPm(api, s)).freeWeeks).toBe(4);
      const bought = await s.parent.api.post('/packages', purchaseBody(s, MONDAY_4PM));
      expect(bought.body.holdExpiresAt).toBe(HOLD_END);
      // Read twice so both answers are memoised for this schedule version.
      for (let i = 0; i < 2; i++) {
        expect((await mondayFourPm(api, s)).freeWeeks).toBe(0);
        expect((await conflictsOf(api, s)).length).toBeGreaterThan(0);
      }
      clock = new Date(JUST_BEFORE);
      expect((await mondayFourPm(api, s)).freeWeeks).toBe(0);
      // Nothing is written at the lapse; the next read sees it at once.
      const version = query(db.path, 'SELECT schedule_version FROM teachers WHERE id = ?', s.teacherId);
      clock = new Date(HOLD_END);
      expect((await mondayFourPm(api, s)).freeWeeks).toBe(4);
      expect(await conflictsOf(api, s)).toEqual([]);
      expect(query(db.path, 'SELECT schedule_version FROM teachers WHERE id = ?', s.teacherId)).toEqual(version);
      const other = await parentFor({ url: server.url }, undefined, {
        key: t.secretKey,
        publishableKey: t.publishableKey,
      });
      const again = await other.api.post('/packages', {
        ...purchaseBody(s, MONDAY_4PM),
        studentId: other.studentIds[0],
      });
      expect([again.status, starts(again.body)]).toEqual([201, starts(bought.body)]);
    } finally {
      await server.close();
      db.cleanup();
    }
  });
});

describe('races on the shared database', () => {
  let shared: SharedTarget;
  beforeAll(async () => {
    shared = await startSharedTarget({ now: NOW });
  }, 90_000);
  afterAll(async () => {
    await shared?.close();
  });

  it(`a confirm racing another family's purchase of the held slots: the hold wins, never a double booking`, async () => {
    const base = {
      url: shared.urls[0]!,
      adminKey: target.adminKey,
      databasePath: shared.databasePath,
      close: async () => {},
    };
    const t = await createTenant(base);
    const s = await buildScenario(base, { keys: t });
    const rounds = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY'];
    const families = await Promise.all(
      rounds.map(() => parentFor(base, undefined, { key: t.secretKey, publishableKey: t.publishableKey })),
    );
    // Each hold is another family's (a family has at most 3 unfinished purchases).
    const holders = await Promise.all(
      rounds.map(() => parentFor(base, undefined, { key: t.secretKey, publishableKey: t.publishableKey })),
    );
    const held: any[] = [];
    for (const [i, weekday] of rounds.entries()) {
      const holder = holders[i]!;
      const response = await holder.api.post('/packages', {
        ...purchaseBody(s, [{ weekday, time: '10:00' }]),
        studentId: holder.studentIds[0],
      });
      expect(response.status).toBe(201);
      held.push(response.body);
    }
    const confirmOn = client(shared.urls[0]!, { authorization: `Bearer ${t.secretKey}` });
    const results = await Promise.all(
      rounds.flatMap((weekday, i) => {
        const buyer = client(shared.urls[1]!, {
          authorization: `Bearer ${families[i]!.token}`,
          'x-publishable-key': t.publishableKey,
        });
        return [
          confirmOn.post(`/packages/${held[i].id}/confirm`, paymentOf(held[i])),
          buyer.post('/packages', {
            ...purchaseBody(s, [{ weekday, time: '10:00' }]),
            studentId: families[i]!.studentIds[0],
          }),
        ];
      }),
    );
    for (let i = 0; i < rounds.length; i++) {
      const [confirm, purchase] = [results[2 * i]!, results[2 * i + 1]!];
      expect([confirm.status, confirm.body.state]).toEqual([200, 'active']);
      // The other family never gets a held date: refused, or its series slid past them.
      if (purchase.status === 201) expect(starts(purchase.body).filter((x) => starts(held[i]).includes(x))).toEqual([]);
      else expect([409, 422]).toContain(purchase.status);
    }
    expect(
      query<{ n: number }>(
        shared.databasePath,
        `SELECT count(*) AS n FROM bookings a JOIN bookings b
           ON a.teacher_id = b.teacher_id AND a.id < b.id AND a.start_utc < b.end_utc AND b.start_utc < a.end_utc
         WHERE a.teacher_id = ? AND a.status = 'scheduled' AND b.status = 'scheduled'`,
        s.teacherId,
      )[0]!.n,
    ).toBe(0);
    expect(
      query(
        shared.databasePath,
        "SELECT count(*) AS n FROM escrow_ledger e JOIN student_packages p ON p.id = e.package_id WHERE p.teacher_id = ? AND e.entry_type = 'hold'",
        s.teacherId,
      ),
    ).toEqual([{ n: rounds.length }]);
  }, 120_000);
});

describe.skipIf(API_TARGET === 'worker')('confirm racing expiry across two processes (Node: one clock each)', () => {
  it('lets exactly one of a confirm just before the end and a purchase at the end take the slots', async () => {
    const s = await paying();
    const packs: any[] = [];
    for (const weekday of ['SUNDAY', 'WEDNESDAY', 'THURSDAY', 'SATURDAY']) {
      packs.push(await buy(s, await familyOn(target.url), [{ weekday, time: '09:00' }]));
    }
    const families = await Promise.all(packs.map(() => familyOn(target.url)));
    const env = { DATABASE_PATH: target.databasePath, ADMIN_API_KEY: target.adminKey };
    const [before, atEnd] = [
      await spawnServer({ ...env, NOW: JUST_BEFORE }),
      await spawnServer({ ...env, NOW: HOLD_END }),
    ];
    try {
      const results = await Promise.all(
        packs.flatMap((pack, i) => [
          partner(before.url).post(`/packages/${pack.id}/confirm`, paymentOf(pack)),
          client(atEnd.url, {
            authorization: `Bearer ${families[i]!.token}`,
            'x-publishable-key': tenant.publishableKey,
          }).post('/packages', {
            ...purchaseBody(s, [{ weekday: pack.recurringPatterns[0].weekday, time: '09:00' }]),
            studentId: families[i]!.studentIds[0],
          }),
        ]),
      );
      const outcomes = packs.map((pack, i) => {
        const [confirm, purchase] = [results[2 * i]!, results[2 * i + 1]!];
        const bought = purchase.status === 201 && starts(purchase.body).some((x) => starts(pack).includes(x));
        if (confirm.status === 200) {
          expect(bought).toBe(false);
          return 'confirmed';
        }
        expect([confirm.status, confirm.body.error.code]).toEqual([409, 'hold_expired']);
        expect(bought).toBe(true);
        return 'bought after the lapse';
      });
      console.info(`confirm vs purchase at the boundary: ${outcomes.join(', ')}`);
      // From the end of the holds on (the purchases' own clock), no two live bookings overlap; a
      // confirmed package never shares a slot with anything.
      expect(liveOverlaps(s.teacherId, HOLD_END)).toBe(0);
    } finally {
      await Promise.all([before.stop(), atEnd.stop()]);
    }
  }, 120_000);
});

describe.skipIf(API_TARGET === 'worker')('the demo checkout (npm start; Node host)', () => {
  it('confirms a pending demo purchase at its own price through the confirm service, on loopback', async () => {
    const db = tempDatabasePath('smart-pack-demo-checkout-');
    const server = await startNodeServer({
      databasePath: db.path,
      port: 0,
      adminApiKey: target.adminKey,
      now: NOW,
      seed: true,
      demo: true,
      demoPaymentMode: 'required',
    });
    try {
      const family = await client(server.url).get('/demo/parent-token');
      expect(family.status).toBe(200);
      const parent = client(server.url, { authorization: `Bearer ${family.body.token}` });
      const bought = await parent.post('/packages', {
        studentId: family.body.students[0].id,
        teacherId: 'teacher-amna',
        subjectId: 'math',
        tierId: 'tier-10',
        recurringPatterns: [{ weekday: 'THURSDAY', time: '15:00' }],
        idempotencyKey: `demo-checkout-${process.pid}`,
      });
      expect([bought.status, bought.body.state]).toEqual([201, 'pending_payment']);
      const paid = await client(server.url).post(`/demo/checkout/${bought.body.id}`);
      expect(paid.status).toBe(200);
      expect(check('POST', '/packages/{id}/confirm', paid).problems).toEqual([]);
      expect(paid.body).toMatchObject({ state: 'active', priceMinor: bought.body.priceMinor, confirmedAt: NOW });
      expect(paid.body.paymentReference).toMatch(/^demo-[0-9a-f-]{36}$/);
      const again = await client(server.url).post(`/demo/checkout/${bought.body.id}`);
      expect([again.status, again.body.paymentReference]).toEqual([200, paid.body.paymentReference]);
      const unknown = await client(server.url).post('/demo/checkout/no-such-package');
      expect([unknown.status, unknown.body.error.code]).toEqual([404, 'package_not_found']);
      expect(
        query(db.path, 'SELECT event_type FROM notifications WHERE package_id = ? ORDER BY id', bought.body.id),
      ).toEqual([{ event_type: 'pack.held' }, { event_type: 'pack.purchased' }]);
    } finally {
      await server.close();
      db.cleanup();
    }
  });
});

describe('the database guards holds on its own (statements straight to the file, no app checks)', () => {
  it('lets a lapsed hold block nothing, a live one block everything, and never confirms a lapsed hold', async () => {
    const s = await paying();
    const pack = await buy(s);
    const [first] = pack.sessions;
    const store = openNodeStore(target.databasePath);
    const single = (now: string) =>
      insertSingleBooking(store.db, tenant.id, {
        id: `single-${now}-${process.pid}`,
        teacherId: s.teacherId,
        studentId: null,
        subjectId: null,
        startUtc: first.startUtc,
        endUtc: first.endUtc,
        now,
      });
    const confirmAt = (now: string) =>
      store.batch([
        {
          compile: () =>
            sql`UPDATE student_packages SET hold_expires_at = NULL, payment_reference = ${`raw-${now}`}, confirmed_at = ${now}
                 WHERE id = ${pack.id}`.compile(store.db),
        },
      ]);
    try {
      await expect(single(JUST_BEFORE)).rejects.toThrow(/booking_overlap/);
      // A writer that names no now sees every hold as live.
      await expect(
        store.db
          .insertInto('bookings')
          .values({
            tenant_id: tenant.id,
            id: `single-unstamped-${process.pid}`,
            package_id: null,
            teacher_id: s.teacherId,
            student_id: null,
            subject_id: null,
            start_utc: first.startUtc,
            end_utc: first.endUtc,
            kind: 'single',
            session_number: null,
            flagged_reason: null,
          })
          .execute(),
      ).rejects.toThrow(/booking_overlap/);
      await expect(confirmAt(HOLD_END)).rejects.toThrow(/hold_expired/);
      expect((await single(HOLD_END)).startUtc).toBe(first.startUtc);
      // Confirming the lapsed hold by an earlier clock now meets the booking made after the lapse.
      await expect(confirmAt(JUST_BEFORE)).rejects.toThrow(/booking_overlap|UNIQUE/);
      expect(ledger(pack.id)).toEqual([]);
      expect(liveOverlaps(s.teacherId, HOLD_END)).toBe(0);
    } finally {
      await store.close();
    }
  });
});
