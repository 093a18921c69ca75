import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeStore } from '../../api/db/node.js';
import { bookFloatingBatch, rescheduleBatch } from '../../api/db/repositories/lifecycle.js';
import { isBookingConflict } from '../../api/db/store.js';
import { startTarget, type ApiTarget } from '../support/target.js';
import { addBooking, addTimeOff } from '../support/scenario.js';
import { at, notifications, query, scenarioWithPackage, secondPackage } from '../support/lifecycle.js';
import { manageClient } from '../support/parents.js';

// Monday 08:00 Khartoum (UTC+2). Packs on Monday 16:00 and Monday 17:00; Monday 14 Dec is week 2.
const NOW = '2026-11-30T06:00:00.000Z';
const MONDAY_14_LOCAL = { startUtc: '2026-12-13T22:00:00.000Z', endUtc: '2026-12-14T22:00:00.000Z' };

let target: ApiTarget;
beforeAll(async () => {
  target = await startTarget({ now: NOW });
});
afterAll(async () => {
  await target?.close();
});

/** Scheduled bookings inside some time off that are not flagged: must always be none. */
function silentlyDoubleBooked(teacherId: string) {
  return query(
    target,
    `SELECT b.id FROM bookings b JOIN time_off o ON o.teacher_id = b.teacher_id
      WHERE b.teacher_id = ? AND b.status = 'scheduled' AND b.start_utc < o.end_utc AND b.end_utc > o.start_utc
        AND b.flagged_reason IS NULL`,
    teacherId,
  );
}

describe('time off added after purchase', () => {
  it('flags every session it covers in the same write and notifies each affected package', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const other = await secondPackage(s, [{ weekday: 'MONDAY', time: '17:00' }]);
    const single = await addBooking(s, '2026-12-14T10:00:00.000Z');
    const { status, body } = await s.admin.post(`/admin/teachers/${s.teacherId}/time-off`, {
      ...MONDAY_14_LOCAL,
      reason: 'Conference',
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ teacherId: s.teacherId, ...MONDAY_14_LOCAL, reason: 'Conference' });
    expect(body.flaggedSessions.map((x: any) => [x.packageId, x.startUtc])).toEqual([
      [null, '2026-12-14T10:00:00.000Z'],
      [pack.id, '2026-12-14T14:00:00.000Z'],
      [other.id, '2026-12-14T15:00:00.000Z'],
    ]);
    expect(body.flaggedSessions[0].id).toBe(single.id);
    for (const [pkg, sessionId] of [
      [pack.id, pack.sessions[1].id],
      [other.id, other.sessions[1].id],
    ]) {
      const flagged = notifications(target, pkg).filter((n) => n.event_type === 'session.flagged');
      expect(flagged).toHaveLength(1);
      expect(flagged[0]!.payload).toMatchObject({
        bookingId: sessionId,
        reason: 'teacher_time_off',
        timeOffId: body.id,
      });
    }
    expect(silentlyDoubleBooked(s.teacherId)).toEqual([]);
  });

  it('shows the flag on the package with same-week alternatives from the scheduling core', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    await addTimeOff(s, MONDAY_14_LOCAL.startUtc, MONDAY_14_LOCAL.endUtc);
    const { body } = await s.parent.api.get(`/packages/${pack.id}`);
    expect(body.flaggedSessionCount).toBe(1);
    const flagged = body.sessions.find((x: any) => x.flaggedReason);
    expect(flagged).toMatchObject({
      id: pack.sessions[1].id,
      flaggedReason: 'teacher_time_off',
      flaggedAt: NOW,
      canReschedule: true,
      canFloat: true,
      changeableUntil: '2026-12-14T14:00:00.000Z',
    });
    // The whole Monday is off, so: the same time on the nearest days, the earlier day first.
    expect(flagged.alternatives.map((x: any) => `${x.weekday} ${x.date} ${x.time}`)).toEqual([
      'SUNDAY 2026-12-13 16:00',
      'TUESDAY 2026-12-15 16:00',
      'SATURDAY 2026-12-12 16:00',
    ]);
    const free = await s.api.get(`/marketplace/teachers/${s.teacherId}/slots?from=2026-12-11&to=2026-12-17`);
    const freeStarts = new Set(free.body.slots.map((x: any) => x.startUtc));
    expect(flagged.alternatives.every((x: any) => freeStarts.has(x.startUtc))).toBe(true);
    expect(body.sessions.filter((x: any) => !x.flaggedReason).every((x: any) => x.alternatives.length === 0)).toBe(
      true,
    );
  });

  it('offers other times the same day first when only part of the day is off', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    await addTimeOff(s, '2026-12-14T13:00:00.000Z', '2026-12-14T15:00:00.000Z'); // 15:00-17:00 local
    const { body } = await s.parent.api.get(`/packages/${pack.id}`);
    const flagged = body.sessions.find((x: any) => x.flaggedReason);
    expect(flagged.alternatives.map((x: any) => `${x.date} ${x.time}`)).toEqual([
      '2026-12-14 17:00',
      '2026-12-14 14:00',
      '2026-12-14 18:00',
    ]);
  });

  it('lets the parent move a flagged session even inside 24 h, without using up a reschedule', async () => {
    const { s, pack } = await scenarioWithPackage(target, { tier: { rescheduleLimit: 0 } });
    await addTimeOff(s, MONDAY_14_LOCAL.startUtc, MONDAY_14_LOCAL.endUtc);
    await at(target, '2026-12-14T06:00:00.000Z', async (later) => {
      const { body: view } = await manageClient(later, pack).get(`/packages/${pack.id}`);
      const flagged = view.sessions.find((x: any) => x.flaggedReason);
      const target = flagged.alternatives.find((x: any) => x.date === '2026-12-15');
      const moved = await manageClient(later, pack).post(`/packages/${pack.id}/sessions/${flagged.id}/reschedule`, {
        date: target.date,
        time: target.time,
      });
      expect(moved.status).toBe(200);
      expect(moved.body.session).toMatchObject({
        startUtc: '2026-12-15T14:00:00.000Z',
        rescheduleCount: 0,
        flaggedReason: null,
        alternatives: [],
      });
      expect(moved.body.package.flaggedSessionCount).toBe(0);
    });
    expect(silentlyDoubleBooked(s.teacherId)).toEqual([]);
  });

  it('lets the parent take a floating credit for a flagged session instead', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    await addTimeOff(s, MONDAY_14_LOCAL.startUtc, MONDAY_14_LOCAL.endUtc);
    await at(target, '2026-12-14T06:00:00.000Z', async (later) => {
      const floated = await manageClient(later, pack).post(
        `/packages/${pack.id}/sessions/${pack.sessions[1].id}/float`,
      );
      expect(floated.status).toBe(200);
      expect(floated.body.package).toMatchObject({ floatingSessionsLeft: 3, flaggedSessionCount: 0 });
    });
    expect(notifications(target, pack.id).find((n) => n.event_type === 'session.floated')!.payload.wasFlagged).toBe(
      true,
    );
    expect(silentlyDoubleBooked(s.teacherId)).toEqual([]);
  });

  it('flags nothing and notifies no one when the time off touches no session', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const { body } = await s.admin.post(`/admin/teachers/${s.teacherId}/time-off`, {
      startUtc: '2026-12-15T06:00:00.000Z',
      endUtc: '2026-12-15T10:00:00.000Z',
    });
    expect(body.flaggedSessions).toEqual([]);
    expect(notifications(target, pack.id).map((n) => n.event_type)).toEqual(['pack.purchased']);
    expect((await s.parent.api.get(`/packages/${pack.id}`)).body.flaggedSessionCount).toBe(0);
  });

  it('has the database refuse a reschedule or floating booking into time off written after its check', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    // The parent's check saw Tuesday 10:00 free; then the teacher blocked it.
    await addTimeOff(s, '2026-12-15T08:00:00.000Z', '2026-12-15T09:00:00.000Z');
    const store = openNodeStore(target.databasePath);
    try {
      const moved = await store
        .batch(
          rescheduleBatch(store.db, {
            packageId: pack.id,
            bookingId: pack.sessions[0].id,
            token: crypto.randomUUID(),
            fromStartUtc: pack.sessions[0].startUtc,
            startUtc: '2026-12-15T08:00:00.000Z',
            endUtc: '2026-12-15T09:00:00.000Z',
            now: NOW,
            noticeCutoff: '2026-12-01T06:00:00.000Z',
          }).statements,
        )
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(String(moved)).toContain('booking_in_time_off');
      expect(isBookingConflict(moved)).toBe(true);
      const booked = await store
        .batch(
          bookFloatingBatch(store.db, {
            packageId: pack.id,
            bookingId: crypto.randomUUID(),
            token: crypto.randomUUID(),
            startUtc: '2026-12-15T08:30:00.000Z',
            endUtc: '2026-12-15T09:30:00.000Z',
            now: NOW,
          }).statements,
        )
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(isBookingConflict(booked)).toBe(true);
    } finally {
      await store.close();
    }
    expect(query(target, 'SELECT floating_sessions_used AS used FROM student_packages WHERE id = ?', pack.id)).toEqual([
      { used: 0 },
    ]);
    expect(silentlyDoubleBooked(s.teacherId)).toEqual([]);
  });
});
