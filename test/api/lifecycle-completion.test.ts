import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeStore } from '../../api/db/node.js';
import { isConstraintViolation } from '../../api/db/store.js';
import { startTarget, type ApiTarget } from '../support/target.js';
import { at, notifications, query, scenarioWithPackage } from '../support/lifecycle.js';
import { manageClient } from '../support/parents.js';

// Monday 08:00 Khartoum (UTC+2). A Monday 16:00 pack: sessions 7 Dec … 25 Jan at 14:00Z.
const NOW = '2026-11-30T06:00:00.000Z';

let target: ApiTarget;
beforeAll(async () => {
  target = await startTarget({ now: NOW });
});
afterAll(async () => {
  await target?.close();
});

const completePath = (packageId: string, sessionId: string) =>
  `/admin/packages/${packageId}/sessions/${sessionId}/complete`;
const releases = (bookingId: string) =>
  query(
    target,
    "SELECT amount_minor AS amount, currency FROM escrow_ledger WHERE booking_id = ? AND entry_type = 'release'",
    bookingId,
  );

describe('POST /admin/packages/:id/sessions/:sessionId/complete (teacher side)', () => {
  it('marks a started session completed and releases exactly its escrow share, announced once', async () => {
    const { pack } = await scenarioWithPackage(target, { hourlyRateMinor: 333_333 });
    const first = pack.sessions[0];
    await at(target, '2026-12-07T14:50:00.000Z', async (later) => {
      const { status, body } = await later.admin.post(completePath(pack.id, first.id));
      expect(status).toBe(200);
      expect(body).toMatchObject({ released: true, releasedMinor: first.escrowMinor });
      expect(body.session).toMatchObject({
        id: first.id,
        status: 'completed',
        completedAt: '2026-12-07T14:50:00.000Z',
      });
      expect(body.package.escrow).toEqual({
        heldMinor: 2_999_997,
        releasedMinor: first.escrowMinor,
        refundedMinor: 0,
        remainingMinor: 2_999_997 - first.escrowMinor,
        refundDueMinor: 0,
      });
    });
    expect(releases(first.id)).toEqual([{ amount: first.escrowMinor, currency: 'SDG' }]);
    const released = notifications(target, pack.id).filter((n) => n.event_type === 'escrow.released');
    expect(released.map((n) => [n.booking_id, n.payload.amountMinor, n.dedupe_key])).toEqual([
      [first.id, first.escrowMinor, `escrow.released:${first.id}`],
    ]);
  });

  it('treats a repeated completion as done already and releases nothing more', async () => {
    const { pack } = await scenarioWithPackage(target);
    const first = pack.sessions[0];
    await at(target, '2026-12-07T15:00:00.000Z', async (later) => {
      expect((await later.admin.post(completePath(pack.id, first.id))).body.released).toBe(true);
      const again = await later.admin.post(completePath(pack.id, first.id));
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ released: false, releasedMinor: 0, session: { status: 'completed' } });
    });
    expect(releases(first.id)).toHaveLength(1);
  });

  it('releases once when the same completion arrives many times at once', async () => {
    const { pack } = await scenarioWithPackage(target);
    const first = pack.sessions[0];
    await at(target, '2026-12-07T15:00:00.000Z', async (later) => {
      const responses = await Promise.all(
        Array.from({ length: 6 }, () => later.admin.post(completePath(pack.id, first.id))),
      );
      expect(responses.every((r) => r.status === 200)).toBe(true);
      expect(responses.filter((r) => r.body.released)).toHaveLength(1);
    });
    expect(releases(first.id)).toHaveLength(1);
    expect(notifications(target, pack.id).filter((n) => n.event_type === 'escrow.released')).toHaveLength(1);
  });

  it('has the database refuse a second release of one session whatever the code does', async () => {
    const { pack } = await scenarioWithPackage(target);
    const first = pack.sessions[0];
    const store = openNodeStore(target.databasePath);
    try {
      const release = () =>
        store.db
          .insertInto('escrow_ledger')
          .values({
            package_id: pack.id,
            booking_id: first.id,
            entry_type: 'release',
            amount_minor: first.escrowMinor,
            currency: 'SDG',
          })
          .execute();
      await release();
      const second = await release().then(
        () => null,
        (error: unknown) => error,
      );
      expect(isConstraintViolation(second)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('refuses a session that has not started, and one that was cancelled, with 409', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const early = await s.admin.post(completePath(pack.id, pack.sessions[0].id));
    expect(early.body.error).toMatchObject({
      code: 'session_not_started',
      details: { startUtc: '2026-12-07T14:00:00.000Z' },
    });
    await s.parent.api.post(`/packages/${pack.id}/sessions/${pack.sessions[1].id}/float`);
    await at(target, '2026-12-14T15:00:00.000Z', async (later) => {
      const cancelled = await later.admin.post(completePath(pack.id, pack.sessions[1].id));
      expect([cancelled.status, cancelled.body.error.code]).toEqual([409, 'session_not_scheduled']);
    });
    expect(
      query(target, "SELECT count(*) AS n FROM escrow_ledger WHERE package_id = ? AND entry_type = 'release'", pack.id),
    ).toEqual([{ n: 0 }]);
  });

  it('is only for the school: no admin token, no completion', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const response = await s.api.post(completePath(pack.id, pack.sessions[0].id));
    expect(response.status).toBe(401);
    // The parent's own token manages the package, and is no teacher's.
    expect((await s.parent.api.post(completePath(pack.id, pack.sessions[0].id))).status).toBe(401);
  });

  it('releases the whole price, exactly, once every session is taught; the package is then completed', async () => {
    const { s, pack } = await scenarioWithPackage(target, { hourlyRateMinor: 333_333 });
    for (const time of ['10:00', '11:00'])
      await s.parent.api.post(`/packages/${pack.id}/floating-sessions`, { date: '2026-12-02', time });
    const sessions = (await s.parent.api.get(`/packages/${pack.id}`)).body.sessions;
    expect(sessions).toHaveLength(10);
    await at(target, '2027-01-26T00:00:00.000Z', async (later) => {
      for (const session of sessions)
        expect((await later.admin.post(completePath(pack.id, session.id))).body.released).toBe(true);
      const { body } = await manageClient(later, pack).get(`/packages/${pack.id}`);
      expect(body.state).toBe('completed');
      expect(body.escrow).toEqual({
        heldMinor: 2_999_997,
        releasedMinor: 2_999_997,
        refundedMinor: 0,
        remainingMinor: 0,
        refundDueMinor: 0,
      });
    });
  });
});

describe('cancellation policy: POST /packages/:id/sessions/:sessionId/float', () => {
  it('turns a session cancelled at least 24 h ahead into one more floating session and frees its slot', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const first = pack.sessions[0];
    const { status, body } = await s.parent.api.post(`/packages/${pack.id}/sessions/${first.id}/float`);
    expect(status).toBe(200);
    expect(body.session).toMatchObject({
      id: first.id,
      status: 'cancelled',
      cancelReason: 'floated',
      cancelledAt: NOW,
      canFloat: false,
    });
    expect(body.package).toMatchObject({
      sessionCount: 10,
      recurringSessionCount: 7,
      floatingSessionCount: 3,
      floatingSessionsUsed: 0,
      floatingSessionsLeft: 3,
    });
    const slots = await s.api.get(`/marketplace/teachers/${s.teacherId}/slots?from=2026-12-07&to=2026-12-07`);
    expect(slots.body.slots.map((x: any) => x.time)).toContain('16:00');
    expect(notifications(target, pack.id).find((n) => n.event_type === 'session.floated')!.payload).toMatchObject({
      bookingId: first.id,
      floatingSessionsLeft: 3,
      wasFlagged: false,
    });
    // The credit is real: it can be booked, even back into the freed slot.
    const rebooked = await s.parent.api.post(`/packages/${pack.id}/floating-sessions`, {
      date: '2026-12-07',
      time: '16:00',
    });
    expect(rebooked.status).toBe(201);
    expect(rebooked.body.session.sessionNumber).toBe(9);
  });

  it('keeps the escrow exact: a floated share goes to the floating sessions that replace it', async () => {
    const { s, pack } = await scenarioWithPackage(target, { hourlyRateMinor: 333_333 });
    await s.parent.api.post(`/packages/${pack.id}/sessions/${pack.sessions[0].id}/float`);
    for (const time of ['10:00', '11:00', '12:00']) {
      expect(
        (await s.parent.api.post(`/packages/${pack.id}/floating-sessions`, { date: '2026-12-02', time })).status,
      ).toBe(201);
    }
    const { body } = await s.parent.api.get(`/packages/${pack.id}`);
    const live = body.sessions.filter((x: any) => x.status !== 'cancelled');
    expect(live).toHaveLength(10);
    expect(live.reduce((sum: number, x: any) => sum + x.escrowMinor, 0)).toBe(2_999_997);
    expect(body.floatingSessionsLeft).toBe(0);
  });

  it('gives a floating session’s credit back when it is floated', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const booked = await s.parent.api.post(`/packages/${pack.id}/floating-sessions`, {
      date: '2026-12-02',
      time: '10:00',
    });
    const { body } = await s.parent.api.post(`/packages/${pack.id}/sessions/${booked.body.session.id}/float`);
    expect(body.package).toMatchObject({
      recurringSessionCount: 8,
      floatingSessionCount: 2,
      floatingSessionsUsed: 0,
      floatingSessionsLeft: 2,
    });
  });

  it('refuses to float a session less than 24 h ahead', async () => {
    const { pack } = await scenarioWithPackage(target);
    await at(target, '2026-12-06T15:00:00.000Z', async (later) => {
      const response = await manageClient(later, pack).post(
        `/packages/${pack.id}/sessions/${pack.sessions[0].id}/float`,
      );
      expect([response.status, response.body.error.code]).toEqual([409, 'change_window_passed']);
    });
    expect(query(target, 'SELECT status FROM bookings WHERE id = ?', pack.sessions[0].id)).toEqual([
      { status: 'scheduled' },
    ]);
  });
});
