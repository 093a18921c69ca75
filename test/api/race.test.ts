import { DEFAULT_TENANT_ID } from '../../api/contract/auth.js';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/http.js';
import {
  ADMIN_KEY,
  API_TARGET,
  startSharedTarget,
  startTarget,
  type ApiTarget,
  type SharedTarget,
} from '../support/target.js';
import { buildScenario, purchaseBody, type Scenario } from '../support/scenario.js';
import { openNodeStore } from '../../api/db/node.js';
import { purchaseBatch } from '../../api/db/repositories/packages.js';
import { isBookingConflict } from '../../api/db/store.js';

const NOW = '2026-11-30T06:00:00.000Z';

/** Active bookings of one teacher that overlap another, straight from the database file. */
function overlaps(databasePath: string, teacherId: string): number {
  const db = new Database(databasePath, { readonly: true });
  try {
    const row = db
      .prepare(
        `SELECT count(*) AS n FROM bookings a JOIN bookings b
           ON a.teacher_id = b.teacher_id AND a.id < b.id
          AND a.start_utc < b.end_utc AND b.start_utc < a.end_utc
        WHERE a.teacher_id = ? AND a.status IN ('scheduled','completed') AND b.status IN ('scheduled','completed')`,
      )
      .get(teacherId) as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}

const RACE_SERVERS =
  API_TARGET === 'worker' ? 'one Worker on workerd with a local D1' : 'two server processes sharing one SQLite file';

describe(`concurrent purchases on ${RACE_SERVERS}`, () => {
  let shared: SharedTarget;
  let db: { path: string };
  let servers: { url: string }[] = [];
  let scenario: Scenario;
  let tier90: string;

  beforeAll(async () => {
    shared = await startSharedTarget({ now: NOW });
    db = { path: shared.databasePath };
    servers = shared.urls.map((url) => ({ url }));
    scenario = await buildScenario({
      url: servers[0]!.url,
      adminKey: ADMIN_KEY,
      databasePath: db.path,
      close: async () => {},
    });
    const tier = await scenario.admin.post('/admin/tiers', {
      teacherId: scenario.teacherId,
      name: '90 min',
      sessionCount: 5,
      recurringCount: 4,
      floatingCount: 1,
      sessionMinutes: 90,
    });
    tier90 = tier.body.id;
    // A 30-day horizon holds exactly one 4-week series per slot: a loser cannot slide to later weeks.
    await scenario.admin.put(`/admin/teachers/${scenario.teacherId}`, {
      name: 'Contested',
      timezone: 'Africa/Khartoum',
      hourlyRateMinor: 500_000,
      currency: 'SDG',
      horizonDays: 30,
    });
    const small = await scenario.admin.put(`/admin/tiers/${scenario.tierId}`, {
      teacherId: scenario.teacherId,
      name: '5',
      sessionCount: 5,
      recurringCount: 4,
      floatingCount: 1,
    });
    expect(small.status).toBe(200);
  }, 90_000);

  afterAll(async () => {
    await shared?.close();
  });

  it('lets exactly one purchase win each contested slot and never double-books', async () => {
    const admin = scenario.admin;
    const students: string[] = [];
    for (let i = 0; i < 50; i++) {
      const student = await admin.post('/admin/students', { name: `Racer ${i}` });
      students.push(student.body.id);
    }
    // Five contested weekly slots; in each, ten parents want it. Half of each group buys a
    // 60-minute pack at HH:00, the other half a 90-minute pack starting 30 minutes later, so they
    // collide by overlap, not only by identical start.
    const groups = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY'];
    const requests = students.map((studentId, i) => {
      const weekday = groups[i % groups.length]!;
      const long = i % 2 === 1;
      const body = {
        ...purchaseBody(scenario, [{ weekday, time: long ? '10:30' : '10:00' }]),
        studentId,
        tierId: long ? tier90 : scenario.tierId,
      };
      const server = servers[i % 2]!;
      return { weekday, long, send: () => client(server.url).post('/packages', body) };
    });
    const responses = await Promise.all(requests.map((r) => r.send()));

    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409 || s === 422)).toBe(true);
    const winners = responses.flatMap((r, i) => (r.status === 201 ? [requests[i]!.weekday] : []));
    expect(winners.sort()).toEqual([...groups].sort());
    expect(overlaps(db.path, scenario.teacherId)).toBe(0);
    const raw = new Database(db.path, { readonly: true });
    const counts = raw
      .prepare(
        `SELECT (SELECT count(*) FROM bookings WHERE teacher_id = ?) AS bookings,
                       (SELECT count(*) FROM student_packages WHERE teacher_id = ?) AS packages,
                       (SELECT count(*) FROM escrow_ledger e JOIN student_packages p ON p.id = e.package_id
                         WHERE p.teacher_id = ?) AS holds`,
      )
      .get(scenario.teacherId, scenario.teacherId, scenario.teacherId);
    raw.close();
    // Losers left nothing behind: no package, no booking, no escrow hold.
    expect(counts).toEqual({ bookings: 20, packages: 5, holds: 5 });
    const refusedByDatabase = responses.filter((r) => r.status === 409);
    for (const conflict of refusedByDatabase) {
      expect(conflict.body.error.code).toBe('slot_taken');
      expect(conflict.body.error.details.conflicts.length).toBeGreaterThan(0);
    }
    console.info(
      `race: ${winners.length} won, ${refusedByDatabase.length} refused by the database (409), ` +
        `${statuses.filter((s) => s === 422).length} saw the slot taken at check time (422)`,
    );
  }, 120_000);
});

describe('the database refuses overlapping bookings on its own', () => {
  let target: ApiTarget;
  beforeAll(async () => {
    target = await startTarget({ now: NOW });
  });
  afterAll(async () => {
    await target.close();
  });

  it('aborts an insert that overlaps an active booking with a different start', async () => {
    const s = await buildScenario(target);
    await s.admin.post(`/admin/teachers/${s.teacherId}/bookings`, {
      startUtc: '2026-12-10T10:00:00.000Z',
      endUtc: '2026-12-10T11:30:00.000Z',
    });
    const overlapping = await s.admin.post(`/admin/teachers/${s.teacherId}/bookings`, {
      startUtc: '2026-12-10T11:00:00.000Z',
      endUtc: '2026-12-10T12:00:00.000Z',
    });
    expect(overlapping.status).toBe(409);
    expect(overlapping.body.error.code).toBe('booking_overlap');
    const adjacent = await s.admin.post(`/admin/teachers/${s.teacherId}/bookings`, {
      startUtc: '2026-12-10T11:30:00.000Z',
      endUtc: '2026-12-10T12:30:00.000Z',
    });
    expect(adjacent.status).toBe(201);

    const db = new Database(target.databasePath);
    try {
      expect(() =>
        db
          .prepare(`INSERT INTO bookings (id, teacher_id, start_utc, end_utc, kind) VALUES ('raw', ?, ?, ?, 'single')`)
          .run(s.teacherId, '2026-12-10T10:15:00.000Z', '2026-12-10T10:45:00.000Z'),
      ).toThrow(/booking_overlap/);
    } finally {
      db.close();
    }
  });

  it('rolls back the whole purchase batch (package, escrow hold, outbox) when one session overlaps', async () => {
    const s = await buildScenario(target);
    const winner = await s.api.post('/packages', purchaseBody(s, [{ weekday: 'THURSDAY', time: '12:00' }]));
    expect(winner.status).toBe(201);
    const taken = winner.body.sessions[3];
    const store = openNodeStore(target.databasePath);
    try {
      const { statements } = purchaseBatch(
        store.db,
        {
          tenantId: DEFAULT_TENANT_ID,
          id: 'loser-package',
          studentId: s.studentId,
          teacherId: s.teacherId,
          subjectId: s.subjectId,
          tierId: s.tierId,
          recurringPatterns: [{ weekday: 'THURSDAY', time: '12:30' }],
          sessionCount: 2,
          recurringSessionCount: 2,
          floatingSessionCount: 0,
          rescheduleLimit: 2,
          sessionMinutes: 60,
          firstScheduledSession: null,
          lastScheduledSession: null,
          gracePeriodEnds: null,
          priceMinor: 1000,
          currency: 'SDG',
          idempotencyKey: 'loser-key-123',
          requestHash: 'h',
          createdAt: '2026-11-30T06:00:00.000Z',
        },
        [
          // A free slot first, then one that overlaps the winner by 30 minutes.
          {
            id: 'loser-1',
            startUtc: '2027-06-01T10:00:00.000Z',
            endUtc: '2027-06-01T11:00:00.000Z',
            sessionNumber: 1,
            escrowMinor: 500,
          },
          {
            id: 'loser-2',
            startUtc: new Date(Date.parse(taken.startUtc) + 30 * 60_000).toISOString(),
            endUtc: new Date(Date.parse(taken.startUtc) + 90 * 60_000).toISOString(),
            sessionNumber: 2,
            escrowMinor: 500,
          },
        ],
      );
      const error = await store.batch(statements).catch((e: unknown) => e);
      expect(isBookingConflict(error)).toBe(true);
      const left = store.sqlite
        .prepare(
          `SELECT (SELECT count(*) FROM student_packages WHERE id = 'loser-package') AS packages,
                         (SELECT count(*) FROM bookings WHERE id LIKE 'loser-%') AS bookings,
                         (SELECT count(*) FROM escrow_ledger WHERE package_id = 'loser-package') AS holds,
                         (SELECT count(*) FROM notifications WHERE package_id = 'loser-package') AS notifications`,
        )
        .get();
      expect(left).toEqual({ packages: 0, bookings: 0, holds: 0, notifications: 0 });
    } finally {
      await store.close();
    }
  });
});
