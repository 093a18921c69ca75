import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeStore } from '../../api/db/node.js';
import { isConstraintViolation } from '../../api/db/store.js';
import { deliverDue, enqueueExpiryRefunds } from '../../api/services/outbox.js';
import { startTarget, type ApiTarget } from '../support/target.js';
import { at, notifications, query, scenarioWithPackage, type Later } from '../support/lifecycle.js';
import { manageClient, parentAgain, parentFor, type Parent } from '../support/parents.js';
import { addTimeOff } from '../support/scenario.js';

/*
 * Refunds on both targets (API_TARGET=worker: the Worker on workerd with its local D1). A Monday 16:00
 * pack in Africa/Khartoum (UTC+2) bought at NOW: 8 recurring sessions, 7 Dec … 25 Jan at 14:00Z, and 2
 * floating credits. At 333,333 an hour its price is 2,999,997: shares of 300,000 (sessions 1-7) and
 * 299,999 (session 8; the two credits hold 299,999 each, 599,998 together).
 */
const NOW = '2026-11-30T06:00:00.000Z';
const DEC7_TAUGHT = '2026-12-07T15:00:00.000Z';
/** 9 hours before the 14 Dec session: inside the 24-hour change window. */
const DEC14_EARLY = '2026-12-14T05:00:00.000Z';
const DEC14_TAUGHT = '2026-12-14T15:00:00.000Z';
const PRICE = 2_999_997;
const CREDITS = 599_998;
const RATE = { hourlyRateMinor: 333_333 };

let target: ApiTarget;
let expired: string;
beforeAll(async () => {
  target = await startTarget({ now: NOW });
});
afterAll(async () => {
  await target?.close();
});

/** An hour after the package's grace period ends (every pack here is bought at NOW on the same pattern). */
const expiredAt = (pack: { gracePeriodEnds: string }) =>
  (expired ??= new Date(Date.parse(pack.gracePeriodEnds) + 3_600_000).toISOString());

const complete = (later: Later, pack: any, index: number) =>
  later.admin.post(`/admin/packages/${pack.id}/sessions/${pack.sessions[index].id}/complete`);

/** One sweep of the outbox (what the Node timer and the Worker's cron run) at `now`, on the target's database. */
async function sweep(now: string) {
  const store = openNodeStore(target.databasePath);
  try {
    return await deliverDue(store, { now: new Date(now) });
  } finally {
    await store.close();
  }
}

const refundRows = (packageId: string) =>
  query<{ booking_id: string | null; amount_minor: number; reason: string; created_at: string }>(
    target,
    "SELECT booking_id, amount_minor, reason, created_at FROM escrow_ledger WHERE package_id = ? AND entry_type = 'refund' ORDER BY id",
    packageId,
  );

const sum = (values: number[]) => values.reduce((total, n) => total + n, 0);

/**
 * The ledger adds up, on the wire: the view's escrow equals the sums of the ledger's entries
 * (GET /admin/escrow), held = released + refunded + remaining, and what remains is exactly what the
 * scheduled sessions hold plus what the unused credits hold (owed back once expired; nothing once
 * refunded). Returns the view, as the family reads it.
 */
async function expectLedgerAddsUp(later: { url: string; admin: Later['admin'] }, pack: any, parent: Parent) {
  // The family's token minted at this instant (the manage link ends with the package).
  const view = (await (await parentAgain(later, parent)).api.get(`/packages/${pack.id}`)).body;
  const { entries } = (await later.admin.get(`/admin/escrow?packageId=${pack.id}`)).body;
  const of = (type: string) => sum(entries.filter((e: any) => e.entryType === type).map((e: any) => e.amountMinor));
  const { escrow } = view;
  expect(escrow.heldMinor).toBe(of('hold'));
  expect(escrow.releasedMinor).toBe(of('release'));
  expect(escrow.refundedMinor).toBe(of('refund'));
  expect(escrow.heldMinor).toBe(escrow.releasedMinor + escrow.refundedMinor + escrow.remainingMinor);
  const live = view.sessions.filter((s: any) => s.status !== 'cancelled');
  const unassigned = view.priceMinor - sum(live.map((s: any) => s.escrowMinor)) - escrow.refundedMinor;
  const scheduled = sum(live.filter((s: any) => s.status === 'scheduled').map((s: any) => s.escrowMinor));
  expect(escrow.remainingMinor).toBe(scheduled + unassigned);
  expect(escrow.refundDueMinor).toBe(view.state === 'expired' ? unassigned : 0);
  if (view.state === 'cancelled') expect(unassigned).toBe(0);
  // Every released or refunded session's share left escrow once, and only those.
  for (const entry of entries.filter((e: any) => e.bookingId)) {
    const session = view.sessions.find((s: any) => s.id === entry.bookingId);
    expect(session.escrowMinor).toBe(entry.amountMinor);
    expect(entry.entryType === 'release' ? session.status : session.cancelReason).toBe(
      entry.entryType === 'release' ? 'completed' : 'pack_cancelled',
    );
  }
  return view;
}

describe('the expiry refund of unused floating credits', () => {
  it('is owed in the view the moment the package expires, before any sweep', async () => {
    const { s, pack } = await scenarioWithPackage(target, RATE);
    expect(pack.escrow).toEqual({
      heldMinor: PRICE,
      releasedMinor: 0,
      refundedMinor: 0,
      remainingMinor: PRICE,
      refundDueMinor: 0,
    });
    await at(target, pack.gracePeriodEnds, async (later) => {
      const view = await expectLedgerAddsUp(later, pack, s.parent);
      expect([view.state, view.escrow.refundDueMinor]).toEqual(['active', 0]);
    });
    await at(target, expiredAt(pack), async (later) => {
      const view = await expectLedgerAddsUp(later, pack, s.parent);
      expect(view).toMatchObject({ state: 'expired', floatingSessionsLeft: 0, floatingSessionsExpired: 2 });
      expect(view.escrow).toEqual({
        heldMinor: PRICE,
        releasedMinor: 0,
        refundedMinor: 0,
        remainingMinor: PRICE,
        refundDueMinor: CREDITS,
      });
    });
    expect(refundRows(pack.id)).toEqual([]);
    expect(notifications(target, pack.id).map((n) => n.event_type)).not.toContain('escrow.refund_due');
  });

  it('is written once by the sweep, however many sweeps run, then shown as refunded, not due', async () => {
    const { s, pack } = await scenarioWithPackage(target, RATE);
    const total = () =>
      query<{ n: number }>(target, "SELECT count(*) AS n FROM notifications WHERE event_type = 'escrow.refund_due'")[0]!
        .n;
    const before = total();
    const end = expiredAt(pack);
    const reports = await Promise.all([sweep(end), sweep(end)]);
    const later = await sweep(new Date(Date.parse(end) + 60_000).toISOString());
    // The reports count exactly the events written, and this package's was written once.
    expect(sum([...reports, later].map((r) => r.refundsQueued))).toBe(total() - before);
    expect(later.refundsQueued).toBe(0);
    expect(refundRows(pack.id)).toEqual([
      { booking_id: null, amount_minor: CREDITS, reason: 'floating_expired', created_at: end },
    ]);
    const events = notifications(target, pack.id).filter((n) => n.event_type === 'escrow.refund_due');
    expect(events).toHaveLength(1);
    expect(events[0]!.dedupe_key).toBe(`escrow.refund_due:${pack.id}`);
    expect(events[0]!.payload).toEqual({
      packageId: pack.id,
      studentId: pack.studentId,
      teacherId: pack.teacherId,
      amountMinor: CREDITS,
      currency: 'SDG',
      reason: 'floating_expired',
      floatingSessionsExpired: 2,
      gracePeriodEnds: pack.gracePeriodEnds,
      ledgerEntryId: expect.any(Number),
    });
    await at(target, end, async (later) => {
      const view = await expectLedgerAddsUp(later, pack, s.parent);
      expect(view.escrow).toEqual({
        heldMinor: PRICE,
        releasedMinor: 0,
        refundedMinor: CREDITS,
        remainingMinor: PRICE - CREDITS,
        refundDueMinor: 0,
      });
      const { body } = await later.admin.get(`/admin/escrow?packageId=${pack.id}`);
      expect(body.entries.map((e: any) => [e.entryType, e.reason, e.amountMinor])).toEqual([
        ['hold', null, PRICE],
        ['refund', 'floating_expired', CREDITS],
      ]);
    });
  });

  it('has the database refuse a second refund of the credits, and any refund past the hold', async () => {
    const { pack } = await scenarioWithPackage(target, RATE);
    const store = openNodeStore(target.databasePath);
    try {
      const refund = (amount: number, bookingId: string | null = null) =>
        store.db
          .insertInto('escrow_ledger')
          .values({
            package_id: pack.id,
            booking_id: bookingId,
            entry_type: 'refund',
            amount_minor: amount,
            currency: 'SDG',
            reason: 'floating_expired',
          })
          .execute()
          .then(
            () => null,
            (error: unknown) => error,
          );
      expect(await refund(1)).toBeNull();
      expect(isConstraintViolation(await refund(1))).toBe(true);
      expect(String(await refund(PRICE, pack.sessions[0].id))).toMatch(/escrow_overdrawn/);
      const unexplained = await store.db
        .insertInto('escrow_ledger')
        .values({ package_id: pack.id, entry_type: 'refund', amount_minor: 1, currency: 'SDG' })
        .execute()
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(String(unexplained)).toMatch(/refund_without_reason/);
    } finally {
      await store.close();
    }
  });

  it('refunds nothing when every credit was used, and what is left when some were floated and booked', async () => {
    const used = await scenarioWithPackage(target, RATE);
    for (const time of ['10:00', '11:00']) {
      const booked = await used.s.parent.api.post(`/packages/${used.pack.id}/floating-sessions`, {
        date: '2026-12-02',
        time,
      });
      expect(booked.status).toBe(201);
    }
    const mixed = await scenarioWithPackage(target, RATE);
    await mixed.s.parent.api.post(`/packages/${mixed.pack.id}/sessions/${mixed.pack.sessions[2].id}/float`);
    await mixed.s.parent.api.post(`/packages/${mixed.pack.id}/floating-sessions`, {
      date: '2026-12-02',
      time: '10:00',
    });
    await at(target, NOW, async (now) => {
      await expectLedgerAddsUp(now, used.pack, used.s.parent);
      await expectLedgerAddsUp(now, mixed.pack, mixed.s.parent);
    });
    const end = expiredAt(used.pack);
    await at(target, end, async (later) => {
      expect((await expectLedgerAddsUp(later, used.pack, used.s.parent)).escrow.refundDueMinor).toBe(0);
      const view = await expectLedgerAddsUp(later, mixed.pack, mixed.s.parent);
      // Three credits (two bought, one floated), one booked: two left, holding what no live session holds.
      expect(view.floatingSessionsExpired).toBe(2);
      expect(view.escrow.refundDueMinor).toBe(CREDITS);
    });
    await sweep(end);
    expect(refundRows(used.pack.id)).toEqual([]);
    expect(refundRows(mixed.pack.id).map((r) => [r.amount_minor, r.reason])).toEqual([[CREDITS, 'floating_expired']]);
    await at(target, end, async (later) => {
      expect((await expectLedgerAddsUp(later, mixed.pack, mixed.s.parent)).escrow.refundDueMinor).toBe(0);
    });
  });
});

describe('POST /packages/:id/cancel (a parent cancels an active package)', () => {
  it('refunds sessions after the change window and the unused credits; keeps the one inside it and the taught one', async () => {
    const { s, pack } = await scenarioWithPackage(target, RATE);
    const ids = pack.sessions.map((x: any) => x.id);
    await at(target, DEC7_TAUGHT, async (later) => {
      expect((await complete(later, pack, 0)).body.released).toBe(true);
      await expectLedgerAddsUp(later, pack, s.parent);
    });
    const sessionsRefunded = sum(pack.sessions.slice(2).map((x: any) => x.escrowMinor));
    expect(sessionsRefunded).toBe(1_799_999);
    await at(target, DEC14_EARLY, async (later) => {
      const { status, body } = await manageClient(later, pack).post(`/packages/${pack.id}/cancel`);
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body).toMatchObject({ id: pack.id, state: 'cancelled', floatingSessionsLeft: 0 });
      expect(body.sessions.map((x: any) => [x.status, x.cancelReason])).toEqual([
        ['completed', null],
        ['scheduled', null],
        ...ids.slice(2).map(() => ['cancelled', 'pack_cancelled']),
      ]);
      expect(body.sessions.slice(2).every((x: any) => x.cancelledAt === DEC14_EARLY)).toBe(true);
      expect(body.sessions.every((x: any) => !x.canFloat && !x.canReschedule)).toBe(true);
      expect(body.escrow).toEqual({
        heldMinor: PRICE,
        releasedMinor: 300_000,
        refundedMinor: sessionsRefunded + CREDITS,
        remainingMinor: 300_000,
        refundDueMinor: 0,
      });
      await expectLedgerAddsUp(later, pack, s.parent);
      // The cancelled sessions' slots are free again.
      const slots = await later.api.get(`/marketplace/teachers/${s.teacherId}/slots?from=2026-12-21&to=2026-12-21`);
      expect(slots.body.slots.map((x: any) => x.time)).toContain('16:00');
      // A replay, or a second click, is told the package is cancelled; nothing more is refunded.
      const again = await manageClient(later, pack).post(`/packages/${pack.id}/cancel`);
      expect([again.status, again.body.error.code]).toEqual([409, 'package_cancelled']);
      const floatAfter = await manageClient(later, pack).post(`/packages/${pack.id}/floating-sessions`, {
        date: '2026-12-16',
        time: '10:00',
      });
      expect([floatAfter.status, floatAfter.body.error.code]).toEqual([409, 'package_cancelled']);
    });
    expect(refundRows(pack.id)).toEqual([
      ...pack.sessions.slice(2).map((x: any) => ({
        booking_id: x.id,
        amount_minor: x.escrowMinor,
        reason: 'pack_cancelled',
        created_at: DEC14_EARLY,
      })),
      { booking_id: null, amount_minor: CREDITS, reason: 'pack_cancelled', created_at: DEC14_EARLY },
    ]);
    const cancelled = notifications(target, pack.id).filter((n) => n.event_type === 'pack.cancelled');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]!.dedupe_key).toBe(`pack.cancelled:${pack.id}`);
    expect(cancelled[0]!.payload).toEqual({
      packageId: pack.id,
      studentId: pack.studentId,
      teacherId: pack.teacherId,
      cancelledAt: DEC14_EARLY,
      refundedMinor: sessionsRefunded + CREDITS,
      sessionsRefundedMinor: sessionsRefunded,
      floatingRefundedMinor: CREDITS,
      floatingSessionsRefunded: 2,
      currency: 'SDG',
      cancelledSessionIds: ids.slice(2),
      keptSessionIds: [ids[1]],
    });
    // The session inside the window is taught, and its share released as for any session.
    await at(target, DEC14_TAUGHT, async (later) => {
      expect((await complete(later, pack, 1)).body).toMatchObject({ released: true, releasedMinor: 300_000 });
      const view = await expectLedgerAddsUp(later, pack, s.parent);
      expect(view.state).toBe('cancelled');
      expect(view.escrow).toMatchObject({ releasedMinor: 600_000, remainingMinor: 0 });
    });
    // A cancelled package's credits are not refunded a second time when its end passes.
    await sweep(expiredAt(pack));
    expect(refundRows(pack.id).filter((r) => r.reason === 'floating_expired')).toEqual([]);
  });

  it('refunds a flagged session (the teacher’s time off) even inside the window; one that started stays', async () => {
    const { s, pack } = await scenarioWithPackage(target, RATE);
    await addTimeOff(s, '2026-12-14T13:00:00.000Z', '2026-12-14T16:00:00.000Z');
    await at(target, DEC14_EARLY, async (later) => {
      const { status, body } = await manageClient(later, pack).post(`/packages/${pack.id}/cancel`);
      expect(status).toBe(200);
      // 7 Dec started and was not marked taught: the teacher may still complete it.
      expect(body.sessions.map((x: any) => x.status)).toEqual([
        'scheduled',
        ...pack.sessions.slice(1).map(() => 'cancelled'),
      ]);
      expect(body.escrow).toMatchObject({
        refundedMinor: PRICE - 300_000,
        remainingMinor: 300_000,
        refundDueMinor: 0,
      });
      await expectLedgerAddsUp(later, pack, s.parent);
    });
  });

  it('with the parent’s own token, well ahead: every session and every credit refunded, the whole price', async () => {
    const { s, pack } = await scenarioWithPackage(target, RATE);
    const { status, body } = await s.parent.api.post(`/packages/${pack.id}/cancel`);
    expect(status).toBe(200);
    expect(body.sessions.every((x: any) => x.status === 'cancelled')).toBe(true);
    expect(body.escrow).toEqual({
      heldMinor: PRICE,
      releasedMinor: 0,
      refundedMinor: PRICE,
      remainingMinor: 0,
      refundDueMinor: 0,
    });
    const slots = await s.api.get(`/marketplace/teachers/${s.teacherId}/slots?from=2026-12-07&to=2026-12-07`);
    expect(slots.body.slots.map((x: any) => x.time)).toContain('16:00');
    const event = notifications(target, pack.id).find((n) => n.event_type === 'pack.cancelled')!;
    expect(event.payload).toMatchObject({ refundedMinor: PRICE, keptSessionIds: [], floatingRefundedMinor: CREDITS });
    await at(target, NOW, (now) => expectLedgerAddsUp(now, pack, s.parent));
  });

  it('answers 404 for another family’s package and 401 without a token, and changes nothing', async () => {
    const { s, pack } = await scenarioWithPackage(target, RATE);
    const other = await parentFor(s);
    const response = await other.api.post(`/packages/${pack.id}/cancel`);
    expect([response.status, response.body.error.code]).toEqual([404, 'package_not_found']);
    expect((await s.api.post(`/packages/${pack.id}/cancel`)).status).toBe(401);
    expect((await s.admin.post(`/packages/${pack.id}/cancel`)).status).toBe(401);
    expect((await s.parent.api.post('/packages/no-such-package/cancel')).status).toBe(404);
    expect(query(target, 'SELECT status FROM student_packages WHERE id = ?', pack.id)).toEqual([{ status: 'active' }]);
    expect(refundRows(pack.id)).toEqual([]);
    expect(notifications(target, pack.id).map((n) => n.event_type)).not.toContain('pack.cancelled');
  });

  it('refuses an expired package (422 package_expired) and a completed one (409 package_completed)', async () => {
    const ended = await scenarioWithPackage(target, RATE);
    const done = await scenarioWithPackage(target, RATE);
    for (const time of ['10:00', '11:00'])
      await done.s.parent.api.post(`/packages/${done.pack.id}/floating-sessions`, { date: '2026-12-02', time });
    const sessions = (await done.s.parent.api.get(`/packages/${done.pack.id}`)).body.sessions;
    await at(target, expiredAt(ended.pack), async (later) => {
      const family = await parentAgain(later, ended.s.parent);
      const response = await family.api.post(`/packages/${ended.pack.id}/cancel`);
      expect([response.status, response.body.error.code]).toEqual([422, 'package_expired']);
      for (const session of sessions)
        await later.admin.post(`/admin/packages/${done.pack.id}/sessions/${session.id}/complete`);
      const completed = await (await parentAgain(later, done.s.parent)).api.post(`/packages/${done.pack.id}/cancel`);
      expect([completed.status, completed.body.error.code]).toEqual([409, 'package_completed']);
      expect((await expectLedgerAddsUp(later, done.pack, done.s.parent)).escrow).toMatchObject({
        releasedMinor: PRICE,
        remainingMinor: 0,
      });
    });
  });

  it('refunds once when the same cancellation arrives many times at once', async () => {
    const { s, pack } = await scenarioWithPackage(target, RATE);
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => s.parent.api.post(`/packages/${pack.id}/cancel`)),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.filter((r) => r.status !== 200).map((r) => [r.status, r.body.error.code])).toEqual(
      Array.from({ length: 4 }, () => [409, expect.stringMatching(/^package_(cancelled|changed)$/)]),
    );
    expect(sum(refundRows(pack.id).map((r) => r.amount_minor))).toBe(PRICE);
    expect(notifications(target, pack.id).filter((n) => n.event_type === 'pack.cancelled')).toHaveLength(1);
  });
});

describe('the ledger adds up after every step', () => {
  // Steps at the instants the other tests use (on the Worker, each instant is one more wrangler dev).
  type Step = { at: string; do: (later: Later, pack: any, s: any) => Promise<unknown> };
  const float = (index: number): Step => ({
    at: NOW,
    do: (later, pack) =>
      manageClient(later, pack).post(`/packages/${pack.id}/sessions/${pack.sessions[index].id}/float`),
  });
  const book = (time: string): Step => ({
    at: NOW,
    do: (later, pack) =>
      manageClient(later, pack).post(`/packages/${pack.id}/floating-sessions`, { date: '2026-12-03', time }),
  });
  const teach = (index: number): Step => ({ at: DEC7_TAUGHT, do: (later, pack) => complete(later, pack, index) });
  const cancel: Step = {
    at: DEC14_EARLY,
    do: (later, pack) => manageClient(later, pack).post(`/packages/${pack.id}/cancel`),
  };
  const expire = (pack: any): Step => ({ at: expiredAt(pack), do: async () => undefined });
  const sweepStep = (pack: any): Step => ({ at: expiredAt(pack), do: () => sweep(expiredAt(pack)) });

  const table: [string, (pack: any) => Step[]][] = [
    ['float, book, teach, expire, sweep', (p) => [float(2), book('10:00'), teach(0), expire(p), sweepStep(p)]],
    ['book, float a session, teach, cancel', () => [book('10:00'), float(3), teach(0), cancel]],
    [
      'float two, book both, expire, sweep',
      (p) => [float(1), float(2), book('10:00'), book('11:00'), expire(p), sweepStep(p)],
    ],
    ['teach, cancel, expire, sweep', (p) => [teach(0), cancel, expire(p), sweepStep(p)]],
  ];

  for (const [name, steps] of table) {
    it(name, async () => {
      const { s, pack } = await scenarioWithPackage(target, { hourlyRateMinor: 100_003 });
      for (const step of steps(pack)) {
        await at(target, step.at, async (later) => {
          const response: any = await step.do(later, await current(later, pack), s);
          if (response && typeof response.status === 'number')
            expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
          await expectLedgerAddsUp(later, pack, s.parent);
        });
      }
    });
  }

  /** The package as it is now, so a step can name its sessions by position. */
  async function current(later: Later, pack: any) {
    const view = (await manageClient(later, pack).get(`/packages/${pack.id}`)).body;
    return { ...pack, sessions: view.sessions };
  }
});

describe('enqueueExpiryRefunds', () => {
  it('writes nothing for a package that has not expired', async () => {
    const { pack } = await scenarioWithPackage(target, RATE);
    const store = openNodeStore(target.databasePath);
    try {
      await enqueueExpiryRefunds(store, new Date(pack.gracePeriodEnds));
    } finally {
      await store.close();
    }
    expect(refundRows(pack.id)).toEqual([]);
  });
});
