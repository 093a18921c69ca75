import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeStore } from '../../api/db/node.js';
import { rescheduleBatch } from '../../api/db/repositories/lifecycle.js';
import { isBookingConflict, runBatch } from '../../api/db/store.js';
import { client } from '../support/http.js';
import {
  ADMIN_KEY,
  API_TARGET,
  startSharedTarget,
  startTarget,
  type ApiTarget,
  type SharedTarget,
} from '../support/target.js';
import { addBooking, buildScenario, purchaseBody } from '../support/scenario.js';
import { manageClient, parentFor } from '../support/parents.js';
import { at, notifications, overlapCount, query, scenarioWithPackage, secondPackage } from '../support/lifecycle.js';

// Monday 08:00 Khartoum (UTC+2). The Monday 16:00 pack's first session is 7 Dec, 14:00Z.
const NOW = '2026-11-30T06:00:00.000Z';

let target: ApiTarget;
beforeAll(async () => {
  target = await startTarget({ now: NOW });
});
afterAll(async () => {
  await target?.close();
});

const reschedule = (api: any, packageId: string, sessionId: string, body: unknown) =>
  api.post(`/packages/${packageId}/sessions/${sessionId}/reschedule`, body);

describe('POST /packages/:id/sessions/:sessionId/reschedule', () => {
  it('moves the session in place and frees its old slot at once', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const first = pack.sessions[0];
    expect(first.startUtc).toBe('2026-12-07T14:00:00.000Z');
    const { status, body } = await reschedule(s.parent.api, pack.id, first.id, { date: '2026-12-08', time: '11:00' });
    expect(status).toBe(200);
    expect(body.session).toMatchObject({
      id: first.id,
      sessionNumber: 1,
      startUtc: '2026-12-08T09:00:00.000Z',
      date: '2026-12-08',
      time: '11:00',
      rescheduleCount: 1,
      reschedulesLeft: 1,
      revision: 1,
      escrowMinor: first.escrowMinor,
    });
    expect(body.package.sessions).toHaveLength(8);

    const slots = await s.api.get(`/marketplace/teachers/${s.teacherId}/slots?from=2026-12-07&to=2026-12-07`);
    expect(slots.body.slots.map((x: any) => x.time)).toContain('16:00');
    const other = await secondPackage(s, [{ weekday: 'TUESDAY', time: '16:00' }]);
    const takeOld = await manageClient(target, other).post(`/packages/${other.id}/floating-sessions`, {
      date: '2026-12-07',
      time: '16:00',
    });
    expect(takeOld.status).toBe(201);

    const rescheduled = notifications(target, pack.id).filter((n) => n.event_type === 'session.rescheduled');
    expect(rescheduled).toHaveLength(1);
    expect(rescheduled[0]!.payload).toMatchObject({
      bookingId: first.id,
      fromStartUtc: '2026-12-07T14:00:00.000Z',
      startUtc: '2026-12-08T09:00:00.000Z',
      rescheduleCount: 1,
      reschedulesLeft: 1,
    });
  });

  it('may move a session to a time overlapping its own old slot', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const { status, body } = await reschedule(s.parent.api, pack.id, pack.sessions[0].id, {
      date: '2026-12-07',
      time: '16:30',
    });
    expect(status).toBe(200);
    expect(body.session.startUtc).toBe('2026-12-07T14:30:00.000Z');
  });

  it('allows each session the tier’s reschedule limit and refuses the next with 409', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const [one, two] = pack.sessions;
    expect((await reschedule(s.parent.api, pack.id, one.id, { date: '2026-12-08', time: '10:00' })).status).toBe(200);
    expect((await reschedule(s.parent.api, pack.id, one.id, { date: '2026-12-09', time: '10:00' })).status).toBe(200);
    const third = await reschedule(s.parent.api, pack.id, one.id, { date: '2026-12-10', time: '10:00' });
    expect(third.status).toBe(409);
    expect(third.body.error).toMatchObject({
      code: 'reschedule_limit_reached',
      details: { rescheduleLimit: 2, rescheduleCount: 2 },
    });
    // The limit is per session: the next session still has both of its own.
    expect((await reschedule(s.parent.api, pack.id, two.id, { date: '2026-12-15', time: '10:00' })).status).toBe(200);
    const view = (await s.parent.api.get(`/packages/${pack.id}`)).body;
    const after = view.sessions.find((x: any) => x.id === one.id);
    expect(after).toMatchObject({
      startUtc: '2026-12-09T08:00:00.000Z',
      rescheduleCount: 2,
      reschedulesLeft: 0,
      canReschedule: false,
      canFloat: true,
    });
  });

  it('refuses any reschedule when the tier allows none', async () => {
    const { s, pack } = await scenarioWithPackage(target, { tier: { rescheduleLimit: 0 } });
    const response = await reschedule(s.parent.api, pack.id, pack.sessions[0].id, {
      date: '2026-12-08',
      time: '10:00',
    });
    expect([response.status, response.body.error.code]).toEqual([409, 'reschedule_limit_reached']);
  });

  it('needs 24 hours’ notice before the session starts', async () => {
    const { pack } = await scenarioWithPackage(target);
    const first = pack.sessions[0];
    await at(target, '2026-12-06T14:00:01.000Z', async (later) => {
      const response = await reschedule(manageClient(later, pack), pack.id, first.id, {
        date: '2026-12-09',
        time: '10:00',
      });
      expect(response.status).toBe(409);
      expect(response.body.error).toMatchObject({ code: 'change_window_passed', details: { changeNoticeHours: 24 } });
      expect((await manageClient(later, pack).get(`/packages/${pack.id}`)).body.sessions[0]).toMatchObject({
        canReschedule: false,
        canFloat: false,
      });
    });
    await at(target, '2026-12-06T14:00:00.000Z', async (later) => {
      expect(
        (await reschedule(manageClient(later, pack), pack.id, first.id, { date: '2026-12-09', time: '10:00' })).status,
      ).toBe(200);
    });
  });

  it('refuses taken, unchanged, unoffered and after-the-end slots without changing the session', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const first = pack.sessions[0];
    await addBooking(s, '2026-12-08T08:00:00.000Z');
    const cases: [object, number, string][] = [
      [{ date: '2026-12-08', time: '10:00' }, 409, 'slot_taken'],
      [{ date: '2026-12-07', time: '16:00' }, 422, 'same_slot'],
      [{ date: '2026-12-11', time: '10:00' }, 422, 'slot_not_available'],
      [{ date: '2027-02-08', time: '16:00' }, 422, 'after_package_end'],
      [{ date: '2026-12-14', time: '16:00' }, 409, 'slot_taken'], // its own session 2
    ];
    for (const [slot, status, code] of cases) {
      const response = await reschedule(s.parent.api, pack.id, first.id, slot);
      expect([response.status, response.body.error.code], JSON.stringify(slot)).toEqual([status, code]);
    }
    expect(query(target, 'SELECT start_utc, reschedule_count, revision FROM bookings WHERE id = ?', first.id)).toEqual([
      { start_utc: '2026-12-07T14:00:00.000Z', reschedule_count: 0, revision: 0 },
    ]);
    expect(notifications(target, pack.id).map((n) => n.event_type)).toEqual(['pack.purchased']);
  });

  it('answers 404 for a session of another package and 409 for a session that is no longer scheduled', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const other = await secondPackage(s, [{ weekday: 'TUESDAY', time: '16:00' }]);
    const foreign = await reschedule(s.parent.api, pack.id, other.sessions[0].id, {
      date: '2026-12-09',
      time: '10:00',
    });
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'session_not_found']);
    await s.parent.api.post(`/packages/${pack.id}/sessions/${pack.sessions[0].id}/float`);
    const cancelled = await reschedule(s.parent.api, pack.id, pack.sessions[0].id, {
      date: '2026-12-09',
      time: '10:00',
    });
    expect(cancelled.body.error).toMatchObject({ code: 'session_not_scheduled', details: { status: 'cancelled' } });
  });

  it('lets exactly one of two concurrent reschedules into one slot win', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const other = await secondPackage(s, [{ weekday: 'TUESDAY', time: '16:00' }]);
    const racers = [
      { api: s.parent.api, pkg: pack.id, session: pack.sessions[0] },
      { api: manageClient(target, other), pkg: other.id, session: other.sessions[0] },
    ];
    const responses = await Promise.all(
      racers.map((r) => reschedule(r.api, r.pkg, r.session.id, { date: '2026-12-10', time: '12:00' })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(responses.find((r) => r.status === 409)!.body.error.code).toBe('slot_taken');
    const loser = racers[responses.findIndex((r) => r.status === 409)]!;
    expect(query(target, 'SELECT start_utc, reschedule_count FROM bookings WHERE id = ?', loser.session.id)).toEqual([
      { start_utc: loser.session.startUtc, reschedule_count: 0 },
    ]);
    expect(overlapCount(target, s.teacherId)).toBe(0);
  });

  it('is refused by the database itself when two reschedule batches aim at one slot', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const other = await secondPackage(s, [{ weekday: 'TUESDAY', time: '16:00' }]);
    const store = openNodeStore(target.databasePath);
    const move = (packageId: string, session: any) =>
      runBatch(
        store,
        rescheduleBatch(store.db, {
          packageId,
          bookingId: session.id,
          token: crypto.randomUUID(),
          fromStartUtc: session.startUtc,
          startUtc: '2026-12-10T10:00:00.000Z',
          endUtc: '2026-12-10T11:00:00.000Z',
          now: NOW,
          noticeCutoff: '2026-12-01T06:00:00.000Z',
        }),
      );
    try {
      const won = await move(pack.id, pack.sessions[0]);
      expect(won.applied).toBe(true);
      expect(won.record!.sessions.find((x) => x.id === pack.sessions[0].id)!.startUtc).toBe('2026-12-10T10:00:00.000Z');
      const lost = await move(other.id, other.sessions[0]).then(
        () => null,
        (error: unknown) => error,
      );
      expect(isBookingConflict(lost)).toBe(true);
    } finally {
      await store.close();
    }
    expect(query(target, 'SELECT start_utc FROM bookings WHERE id = ?', other.sessions[0].id)).toEqual([
      { start_utc: other.sessions[0].startUtc },
    ]);
    expect(notifications(target, other.id).map((n) => n.event_type)).toEqual(['pack.purchased']);
  });
});

const RACE_SERVERS =
  API_TARGET === 'worker' ? 'one Worker on workerd with a local D1' : 'two server processes sharing one SQLite file';

describe(`concurrent reschedules on ${RACE_SERVERS}`, () => {
  let shared: SharedTarget | undefined;
  let db: { path: string };
  let servers: { url: string }[] = [];
  afterAll(async () => {
    await shared?.close();
  });

  it('lets exactly one of eight parents take the one contested slot and never double-books', async () => {
    shared = await startSharedTarget({ now: NOW });
    db = { path: shared.databasePath };
    servers = shared.urls.map((url) => ({ url }));
    const s = await buildScenario({
      url: servers[0]!.url,
      adminKey: ADMIN_KEY,
      databasePath: db.path,
      close: async () => {},
    });
    const weekdays = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'SATURDAY'] as const;
    const sessions: { packageId: string; sessionId: string; manage: string }[] = [];
    for (let i = 0; i < 8; i++) {
      const parent = await parentFor(servers[0]!);
      const pattern = { weekday: weekdays[i % weekdays.length]!, time: i < 6 ? '10:00' : '14:00' };
      const bought = await parent.api.post('/packages', {
        ...purchaseBody(s, [pattern]),
        studentId: parent.studentIds[0],
      });
      expect(bought.status).toBe(201);
      sessions.push({
        packageId: bought.body.id,
        sessionId: bought.body.sessions[0].id,
        manage: bought.body.manage.token,
      });
    }
    const responses = await Promise.all(
      sessions.map((x, i) =>
        client(servers[i % 2]!.url, { authorization: `Bearer ${x.manage}` }).post(
          `/packages/${x.packageId}/sessions/${x.sessionId}/reschedule`,
          {
            date: '2026-12-10',
            time: '17:00',
          },
        ),
      ),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409).every((r) => r.body.error.code === 'slot_taken')).toBe(true);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(7);
    expect(overlapCount(db.path, s.teacherId)).toBe(0);
    expect(
      query(
        db.path,
        "SELECT count(*) AS n FROM bookings WHERE teacher_id = ? AND start_utc = '2026-12-10T15:00:00.000Z'",
        s.teacherId,
      ),
    ).toEqual([{ n: 1 }]);
  }, 120_000);
});
