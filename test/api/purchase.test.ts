import { parentFor } from '../support/parents.js';
import { LEGACY_FAMILY } from '../../api/db/seed.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type ApiTarget } from '../support/target.js';
import { addBooking, buildScenario, purchaseBody } from '../support/scenario.js';

const NOW = '2026-11-30T06:00:00.000Z';
const TWO_SLOTS = [
  { weekday: 'MONDAY', time: '16:00' },
  { weekday: 'WEDNESDAY', time: '17:00' },
];

let target: ApiTarget;
beforeAll(async () => {
  target = await startTarget({ now: NOW });
});
afterAll(async () => {
  await target?.close();
});

describe('POST /packages (5.5)', () => {
  it('creates the package with 8 recurring bookings on the chosen weekdays and stores the patterns', async () => {
    const s = await buildScenario(target);
    const { status, body } = await s.parent.api.post('/packages', purchaseBody(s, TWO_SLOTS));
    expect(status).toBe(201);
    expect(body.recurringPatterns).toEqual(TWO_SLOTS);
    expect(body.sessionCount).toBe(10);
    expect(body.recurringSessionCount).toBe(8);
    expect(body.floatingSessionCount).toBe(2);
    expect(body.floatingSessionsLeft).toBe(2);
    expect(body.state).toBe('active');
    expect(body.sessions).toHaveLength(8);
    expect(body.sessions.map((x: any) => x.sessionNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(body.sessions.map((x: any) => x.weekday)).toEqual([
      'WEDNESDAY',
      'MONDAY',
      'WEDNESDAY',
      'MONDAY',
      'WEDNESDAY',
      'MONDAY',
      'WEDNESDAY',
      'MONDAY',
    ]);
    expect(body.sessions.every((x: any) => x.kind === 'recurring' && x.status === 'scheduled')).toBe(true);
    expect(body.firstScheduledSession).toBe('2026-12-02T15:00:00.000Z');
    expect(body.lastScheduledSession).toBe('2026-12-28T14:00:00.000Z');
    expect(body.gracePeriodEnds).toBe('2027-01-11T14:00:00.000Z');

    const read = await s.parent.api.get(`/packages/${body.id}`);
    expect(read.status).toBe(200);
    // The purchase adds the manage link; the rest is the package as read.
    const { manage, ...view } = body;
    expect(read.body).toEqual(view);
    expect(manage).toEqual({
      token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      url: `/pack/${body.id}?t=${manage.token}`,
      expiresAt: '2027-01-11T14:00:00.000Z',
    });
  });

  it('holds the exact price in escrow and gives each session an integer share that adds up', async () => {
    const s = await buildScenario(target, { hourlyRateMinor: 333_333 });
    const { body } = await s.parent.api.post('/packages', purchaseBody(s, TWO_SLOTS));
    // 10 sessions × 60 min at 333,333 per hour = 3,333,330 list, minus 10 % = 2,999,997.
    expect(body.priceMinor).toBe(2_999_997);
    expect(body.escrow).toEqual({
      heldMinor: 2_999_997,
      releasedMinor: 0,
      refundedMinor: 0,
      remainingMinor: 2_999_997,
      refundDueMinor: 0,
    });
    const shares = body.sessions.map((x: any) => x.escrowMinor);
    expect(shares.every((n: number) => Number.isInteger(n) && n >= 299_999 && n <= 300_000)).toBe(true);
    const ledger = await s.admin.get(`/admin/escrow?packageId=${body.id}`);
    expect(ledger.body.entries).toEqual([
      expect.objectContaining({ entryType: 'hold', amountMinor: 2_999_997, currency: 'SDG', bookingId: null }),
    ]);
  });

  it('writes a pack.purchased notification in the same write', async () => {
    const s = await buildScenario(target);
    const { body } = await s.parent.api.post('/packages', purchaseBody(s, TWO_SLOTS));
    const { body: outbox } = await s.admin.get(`/admin/notifications?packageId=${body.id}`);
    expect(outbox.notifications).toHaveLength(1);
    expect(outbox.notifications[0]).toMatchObject({
      eventType: 'pack.purchased',
      deliveredAt: null,
      payload: { packageId: body.id, studentId: s.studentId, sessionCount: 10, priceMinor: body.priceMinor },
    });
  });

  it('books the suggested alternative for a conflicting week', async () => {
    const s = await buildScenario(target);
    await addBooking(s, '2026-12-14T14:00:00.000Z');
    const { status, body } = await s.parent.api.post(
      '/packages',
      purchaseBody(s, [{ weekday: 'MONDAY', time: '16:00' }], {
        resolutions: [
          {
            date: '2026-12-14',
            time: '16:00',
            action: 'alternative',
            alternative: { date: '2026-12-14', time: '18:00' },
          },
        ],
      }),
    );
    expect(status).toBe(201);
    expect(body.sessions[1]).toMatchObject({ date: '2026-12-14', time: '18:00', sessionNumber: 2 });
  });

  it('moves a conflicting week to the floating sessions when the parent chooses float', async () => {
    const s = await buildScenario(target);
    await addBooking(s, '2026-12-14T14:00:00.000Z');
    const { status, body } = await s.parent.api.post(
      '/packages',
      purchaseBody(s, [{ weekday: 'MONDAY', time: '16:00' }], {
        resolutions: [{ date: '2026-12-14', time: '16:00', action: 'float' }],
      }),
    );
    expect(status).toBe(201);
    expect(body.recurringSessionCount).toBe(7);
    expect(body.floatingSessionCount).toBe(3);
    expect(body.sessions).toHaveLength(7);
  });

  it('answers 422 not_available, writing nothing, when the sessions cannot all be scheduled', async () => {
    const s = await buildScenario(target);
    const { status, body } = await s.parent.api.post(
      '/packages',
      purchaseBody(s, [{ weekday: 'FRIDAY', time: '16:00' }]),
    );
    expect(status).toBe(422);
    expect(body.error.code).toBe('not_available');
    expect(body.error.details.availability.available).toBe(false);
    const outbox = await s.admin.get('/admin/notifications');
    expect(outbox.body.notifications.filter((n: any) => n.payload.studentId === s.studentId)).toHaveLength(0);
  });

  it('refuses a pack whose every recurring session was turned into a floating one', async () => {
    const s = await buildScenario(target, { tier: { sessionCount: 2, recurringCount: 1, floatingCount: 1 } });
    await addBooking(s, '2026-12-07T14:00:00.000Z');
    const body = purchaseBody(s, [{ weekday: 'MONDAY', time: '16:00' }], {
      resolutions: [{ date: '2026-12-07', time: '16:00', action: 'float' }],
    });
    const { status, body: error } = await s.parent.api.post('/packages', body);
    // Without a recurring session the pack would have no end date for its floating sessions.
    expect(status).toBe(422);
    expect(error.error.code).toBe('not_available');
    expect(error.error.details.availability.scheduledSessions).toEqual([]);
  });

  it('never books over a slot a previous purchase took: busy weeks are skipped (extend)', async () => {
    const s = await buildScenario(target);
    const first = await s.parent.api.post('/packages', purchaseBody(s, [{ weekday: 'SUNDAY', time: '11:00' }]));
    expect(first.status).toBe(201);
    const check = await s.api.post('/packages/check-multi-slot-availability', {
      teacherId: s.teacherId,
      tierId: s.tierId,
      patterns: [{ weekday: 'SUNDAY', time: '11:00' }],
    });
    expect(check.body.patterns[0].conflicts).toHaveLength(8);
    expect(check.body.patterns[0].conflicts.every((c: any) => c.reason === 'booked')).toBe(true);
    const second = await s.parent.api.post('/packages', purchaseBody(s, [{ weekday: 'SUNDAY', time: '11:00' }]));
    expect(second.status).toBe(201);
    const taken = new Set(first.body.sessions.map((x: any) => x.startUtc));
    expect(second.body.sessions.filter((x: any) => taken.has(x.startUtc))).toEqual([]);
    expect(second.body.firstScheduledSession > first.body.lastScheduledSession).toBe(true);
  });

  describe('idempotency', () => {
    it('replays the same response for the same key and body, creating nothing new', async () => {
      const s = await buildScenario(target);
      const body = purchaseBody(s, TWO_SLOTS);
      const first = await s.parent.api.post('/packages', body);
      const again = await s.parent.api.post('/packages', body);
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      const outbox = await s.admin.get(`/admin/notifications?packageId=${first.body.id}`);
      expect(outbox.body.notifications).toHaveLength(1);
      const ledger = await s.admin.get(`/admin/escrow?packageId=${first.body.id}`);
      expect(ledger.body.entries).toHaveLength(1);
    });

    it('treats a reordered body as the same request', async () => {
      const s = await buildScenario(target);
      const body = purchaseBody(s, TWO_SLOTS);
      const first = await s.parent.api.post('/packages', body);
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const again = await s.parent.api.post('/packages', reordered);
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);
    });

    it('treats the same patterns and resolutions in another order as the same request: they are sets', async () => {
      const s = await buildScenario(target);
      await addBooking(s, '2026-12-09T15:00:00.000Z'); // Wednesday 17:00 local
      await addBooking(s, '2026-12-14T14:00:00.000Z'); // Monday 16:00 local
      const resolutions = [
        { date: '2026-12-09', time: '17:00', action: 'float' },
        { date: '2026-12-14', time: '16:00', action: 'extend' },
      ];
      const body = purchaseBody(s, TWO_SLOTS, { resolutions });
      const first = await s.parent.api.post('/packages', body);
      expect(first.status).toBe(201);
      const again = await s.parent.api.post('/packages', {
        ...body,
        recurringPatterns: [...TWO_SLOTS].reverse(),
        resolutions: [...resolutions].reverse(),
      });
      expect(again.status, JSON.stringify(again.body)).toBe(200);
      expect(again.body).toEqual(first.body);
    });

    it('answers 409 when the key is reused for a different purchase', async () => {
      const s = await buildScenario(target);
      const body = purchaseBody(s, TWO_SLOTS);
      await s.parent.api.post('/packages', body);
      const other = await s.parent.api.post('/packages', {
        ...body,
        recurringPatterns: [{ weekday: 'THURSDAY', time: '10:00' }],
      });
      expect(other.status).toBe(409);
      expect(other.body.error.code).toBe('idempotency_key_reused');
    });

    it('accepts the key as an Idempotency-Key header', async () => {
      const s = await buildScenario(target);
      const { idempotencyKey: _drop, ...body } = purchaseBody(s, TWO_SLOTS);
      const headers = { 'idempotency-key': `header-key-${s.studentId}` };
      const first = await s.parent.api.post('/packages', body, headers);
      const again = await s.parent.api.post('/packages', body, headers);
      expect([first.status, again.status]).toEqual([201, 200]);
      expect(again.body.id).toBe(first.body.id);
    });

    it('requires a key', async () => {
      const s = await buildScenario(target);
      const { idempotencyKey: _drop, ...body } = purchaseBody(s, TWO_SLOTS);
      const { status, body: error } = await s.parent.api.post('/packages', body);
      expect(status).toBe(400);
      expect(error.error.code).toBe('idempotency_key_required');
    });

    it('creates exactly one package when the same request is sent ten times at once', async () => {
      const s = await buildScenario(target);
      const body = purchaseBody(s, TWO_SLOTS);
      const responses = await Promise.all(Array.from({ length: 10 }, () => s.parent.api.post('/packages', body)));
      const ids = new Set(responses.map((r) => r.body.id));
      expect(ids.size).toBe(1);
      expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
      expect(responses.filter((r) => r.status === 200)).toHaveLength(9);
    });
  });

  describe('legacy single-slot clients', () => {
    it('accepts recurringWeekday + recurringTime and answers with recurringPatterns', async () => {
      const s = await buildScenario(target);
      const { recurringPatterns: _drop, ...body } = purchaseBody(s, []);
      const { status, body: pack } = await s.parent.api.post('/packages', {
        ...body,
        recurringWeekday: 'TUESDAY',
        recurringTime: '17:00',
      });
      expect(status).toBe(201);
      expect(pack.recurringPatterns).toEqual([{ weekday: 'TUESDAY', time: '17:00' }]);
      expect(pack.sessions).toHaveLength(8);
      expect(pack.sessions.every((x: any) => x.weekday === 'TUESDAY' && x.time === '17:00')).toBe(true);
    });

    it('refuses both forms at once', async () => {
      const s = await buildScenario(target);
      const { status } = await s.parent.api.post('/packages', {
        ...purchaseBody(s, TWO_SLOTS),
        recurringWeekday: 'TUESDAY',
        recurringTime: '17:00',
      });
      expect(status).toBe(400);
    });
  });
});

describe('GET /packages/:id for a package bought before multi-slot', () => {
  it('converts the stored recurringWeekday/recurringTime into recurringPatterns', async () => {
    const seeded = await startTarget({ now: NOW, seed: true });
    try {
      const family = await parentFor(seeded, [LEGACY_FAMILY.student], { guardian: LEGACY_FAMILY.guardian });
      expect(family.studentIds).toEqual(['student-legacy']);
      const { status, body } = await family.api.get('/packages/package-legacy');
      expect(status).toBe(200);
      expect(body.recurringPatterns).toEqual([{ weekday: 'SUNDAY', time: '17:00' }]);
      expect(body.sessions).toHaveLength(8);
      expect(body.sessions.every((x: any) => x.weekday === 'SUNDAY' && x.time === '17:00')).toBe(true);
      expect(body.floatingSessionsLeft).toBe(2);
      expect(body.state).toBe('active');
    } finally {
      await seeded.close();
    }
  });

  it('answers 404 with the error shape for an unknown package', async () => {
    const { status, body } = await (await parentFor(target)).api.get('/packages/nope');
    expect(status).toBe(404);
    expect(body.error).toMatchObject({ code: 'package_not_found', details: { packageId: 'nope' } });
  });
});
