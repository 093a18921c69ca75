import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeStore } from '../../api/db/node.js';
import { bookFloatingBatch } from '../../api/db/repositories/lifecycle.js';
import { runBatch } from '../../api/db/store.js';
import { startTarget, type ApiTarget } from '../support/target.js';
import { addBooking } from '../support/scenario.js';
import { at, notifications, overlapCount, query, scenarioWithPackage, secondPackage } from '../support/lifecycle.js';
import { manageClient, parentAgain } from '../support/parents.js';

// Monday 08:00 Khartoum. A Monday 16:00 pack runs 7 Dec … 25 Jan; 14 days' grace → ends 8 Feb 14:00Z.
const NOW = '2026-11-30T06:00:00.000Z';
const GRACE_ENDS = '2027-02-08T14:00:00.000Z';

let target: ApiTarget;
beforeAll(async () => {
  target = await startTarget({ now: NOW });
});
afterAll(async () => {
  await target?.close();
});

describe('POST /packages/:id/floating-sessions', () => {
  it('books a floating session at a free slot: numbered after the recurring ones, counted, announced', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    expect(pack.gracePeriodEnds).toBe(GRACE_ENDS);
    const { status, body } = await s.parent.api.post(`/packages/${pack.id}/floating-sessions`, {
      date: '2026-12-02',
      time: '10:00',
    });
    expect(status).toBe(201);
    expect(body.session).toMatchObject({
      kind: 'floating',
      status: 'scheduled',
      sessionNumber: 9,
      date: '2026-12-02',
      time: '10:00',
      startUtc: '2026-12-02T08:00:00.000Z',
      endUtc: '2026-12-02T09:00:00.000Z',
    });
    expect(body.package).toMatchObject({
      floatingSessionsUsed: 1,
      floatingSessionsLeft: 1,
      floatingSessionsExpired: 0,
    });
    expect(body.package.sessions).toHaveLength(9);

    const booked = notifications(target, pack.id).filter((n) => n.event_type === 'session.booked');
    expect(booked).toHaveLength(1);
    expect(booked[0]!.payload).toMatchObject({
      bookingId: body.session.id,
      startUtc: '2026-12-02T08:00:00.000Z',
      floatingSessionsLeft: 1,
    });
    // The slot is gone from the teacher's free slots at once.
    const slots = await s.api.get(`/marketplace/teachers/${s.teacherId}/slots?from=2026-12-02&to=2026-12-02`);
    expect(slots.body.slots.map((x: any) => x.time)).not.toContain('10:00');
  });

  it('takes the slot as a UTC instant too', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const { status, body } = await s.parent.api.post(`/packages/${pack.id}/floating-sessions`, {
      startUtc: '2026-12-03T13:00:00+02:00',
    });
    expect(status).toBe(201);
    expect(body.session).toMatchObject({
      startUtc: '2026-12-03T11:00:00.000Z',
      date: '2026-12-03',
      time: '13:00',
      weekday: 'THURSDAY',
    });
  });

  it('refuses a third floating session of a two-credit pack with 409, writing nothing', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    for (const time of ['10:00', '11:00']) {
      expect(
        (await s.parent.api.post(`/packages/${pack.id}/floating-sessions`, { date: '2026-12-02', time })).status,
      ).toBe(201);
    }
    const third = await s.parent.api.post(`/packages/${pack.id}/floating-sessions`, {
      date: '2026-12-02',
      time: '12:00',
    });
    expect(third.status).toBe(409);
    expect(third.body.error).toMatchObject({
      code: 'no_floating_sessions_left',
      details: { floatingSessionCount: 2, floatingSessionsUsed: 2 },
    });
    expect(query(target, 'SELECT count(*) AS n FROM bookings WHERE package_id = ?', pack.id)).toEqual([{ n: 10 }]);
    expect(notifications(target, pack.id).filter((n) => n.event_type === 'session.booked')).toHaveLength(2);
  });

  it('gives floating sessions the remaining escrow shares, so all shares add up exactly to the price', async () => {
    const { s, pack } = await scenarioWithPackage(target, { hourlyRateMinor: 333_333 });
    expect(pack.priceMinor).toBe(2_999_997);
    await s.parent.api.post(`/packages/${pack.id}/floating-sessions`, { date: '2026-12-02', time: '10:00' });
    const { body } = await s.parent.api.post(`/packages/${pack.id}/floating-sessions`, {
      date: '2026-12-02',
      time: '11:00',
    });
    const shares = body.package.sessions.map((x: any) => x.escrowMinor);
    expect(shares.reduce((a: number, b: number) => a + b, 0)).toBe(2_999_997);
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
  });

  it('lets exactly as many of many concurrent bookings succeed as there are credits', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const times = ['09:00', '10:00', '11:00', '12:00', '13:00', '14:00'];
    const responses = await Promise.all(
      times.map((time) => s.parent.api.post(`/packages/${pack.id}/floating-sessions`, { date: '2026-12-03', time })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 201, 409, 409, 409, 409]);
    for (const r of responses.filter((r) => r.status === 409))
      expect(r.body.error.code).toBe('no_floating_sessions_left');
    expect(query(target, 'SELECT floating_sessions_used AS used FROM student_packages WHERE id = ?', pack.id)).toEqual([
      { used: 2 },
    ]);
    expect(
      query(
        target,
        "SELECT session_number AS n FROM bookings WHERE package_id = ? AND kind = 'floating' ORDER BY 1",
        pack.id,
      ),
    ).toEqual([{ n: 9 }, { n: 10 }]);
  });

  it('lets only one of two packages racing for one slot have it', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const other = await secondPackage(s, [{ weekday: 'TUESDAY', time: '16:00' }]);
    const responses = await Promise.all(
      [
        { id: pack.id, api: s.parent.api },
        { id: other.id, api: manageClient(target, other) },
      ].map(({ id, api }) => api.post(`/packages/${id}/floating-sessions`, { date: '2026-12-06', time: '12:00' })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(responses.find((r) => r.status === 409)!.body.error.code).toBe('slot_taken');
    expect(overlapCount(target, s.teacherId)).toBe(0);
  });

  it('is guarded by the database itself: a third booking batch past the count writes nothing', async () => {
    const { pack } = await scenarioWithPackage(target);
    const store = openNodeStore(target.databasePath);
    try {
      const book = (start: string) =>
        runBatch(
          store,
          bookFloatingBatch(store.db, {
            packageId: pack.id,
            bookingId: crypto.randomUUID(),
            token: crypto.randomUUID(),
            startUtc: start,
            endUtc: new Date(Date.parse(start) + 3_600_000).toISOString(),
            now: NOW,
          }),
        );
      const results = [];
      for (const start of ['2026-12-05T08:00:00.000Z', '2026-12-05T09:00:00.000Z', '2026-12-05T10:00:00.000Z']) {
        const { applied, record } = await book(start);
        results.push([applied, record!.floatingSessionsUsed]);
      }
      // The third batch's guard refused, and the state it read in the same batch shows why.
      expect(results).toEqual([
        [true, 1],
        [true, 2],
        [false, 2],
      ]);
    } finally {
      await store.close();
    }
    expect(
      query(target, "SELECT count(*) AS n FROM bookings WHERE package_id = ? AND kind = 'floating'", pack.id),
    ).toEqual([{ n: 2 }]);
    expect(
      query(
        target,
        "SELECT count(*) AS n FROM notifications WHERE package_id = ? AND event_type = 'session.booked'",
        pack.id,
      ),
    ).toEqual([{ n: 2 }]);
  });

  it('accepts a slot just before the package ends and refuses one at its end with 422', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const atEnd = await s.parent.api.post(`/packages/${pack.id}/floating-sessions`, {
      date: '2027-02-08',
      time: '16:00',
    });
    expect(atEnd.status).toBe(422);
    expect(atEnd.body.error).toMatchObject({ code: 'after_package_end', details: { gracePeriodEnds: GRACE_ENDS } });
    const before = await s.parent.api.post(`/packages/${pack.id}/floating-sessions`, {
      date: '2027-02-08',
      time: '15:00',
    });
    expect(before.status).toBe(201);
  });

  it('refuses a taken slot with 409 and a slot the teacher does not offer with 422 and the reason', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    await addBooking(s, '2026-12-02T08:00:00.000Z');
    const taken = await s.parent.api.post(`/packages/${pack.id}/floating-sessions`, {
      date: '2026-12-02',
      time: '10:00',
    });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'slot_taken']);
    const cases: [object, string][] = [
      [{ date: '2026-12-04', time: '10:00' }, 'outside_availability'], // Friday
      [{ date: '2026-12-01', time: '07:00' }, 'outside_availability'],
      [{ date: '2026-11-30', time: '17:00' }, 'too_soon'],
      [{ startUtc: '2026-12-02T08:30:00.000Z' }, 'booked'],
    ];
    for (const [slot, reason] of cases) {
      const response = await s.parent.api.post(`/packages/${pack.id}/floating-sessions`, slot);
      if (reason === 'booked') expect(response.status).toBe(409);
      else expect(response.body.error).toMatchObject({ code: 'slot_not_available', details: { reason } });
    }
    expect(
      query(target, "SELECT count(*) AS n FROM bookings WHERE package_id = ? AND kind = 'floating'", pack.id),
    ).toEqual([{ n: 0 }]);
  });

  it('answers 400 for a malformed slot and 404 for an unknown package', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    for (const body of [
      {},
      { date: '2026-12-02' },
      { date: '2026-12-02', time: '10:00', startUtc: '2026-12-02T08:00:00Z' },
      { startUtc: 'soon' },
    ]) {
      const response = await s.parent.api.post(`/packages/${pack.id}/floating-sessions`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    const unknown = await s.parent.api.post('/packages/nope/floating-sessions', { date: '2026-12-02', time: '10:00' });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'package_not_found']);
  });
});

describe('expiry', () => {
  it('reports unused floating sessions as expired once the package has ended, with no job involved', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    await s.parent.api.post(`/packages/${pack.id}/floating-sessions`, { date: '2026-12-02', time: '10:00' });
    await at(target, '2027-02-08T13:59:59.000Z', async (later) => {
      const { body } = await manageClient(later, pack).get(`/packages/${pack.id}`);
      expect(body).toMatchObject({ state: 'active', floatingSessionsLeft: 1, floatingSessionsExpired: 0 });
    });
    await at(target, '2027-02-08T14:00:01.000Z', async (later) => {
      // The manage link ended with the package; the school mints the parent a fresh token.
      expect((await manageClient(later, pack).get(`/packages/${pack.id}`)).status).toBe(401);
      const parent = await parentAgain(later, s.parent);
      const { body } = await parent.api.get(`/packages/${pack.id}`);
      expect(body).toMatchObject({
        state: 'expired',
        floatingSessionsUsed: 1,
        floatingSessionsLeft: 0,
        floatingSessionsExpired: 1,
      });
      const late = await parent.api.post(`/packages/${pack.id}/floating-sessions`, {
        date: '2027-02-09',
        time: '10:00',
      });
      expect(late.status).toBe(422);
      expect(late.body.error).toMatchObject({
        code: 'package_expired',
        details: { gracePeriodEnds: GRACE_ENDS, floatingSessionsExpired: 1 },
      });
    });
    // Reading it again "now" shows it active: the state is derived from the clock, nothing was stored.
    expect((await s.parent.api.get(`/packages/${pack.id}`)).body.state).toBe('active');
  });
});
