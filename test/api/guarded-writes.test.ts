import { DEFAULT_TENANT_ID } from '../../api/contract/auth.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../api/contract/errors.js';
import { purchase } from '../../api/contract/schemas.js';
import { openNodeStore } from '../../api/db/node.js';
import { ScheduleSource } from '../../api/db/schedule-source.js';
import { sql } from 'kysely';
import type { Store } from '../../api/db/store.js';
import type { AppDeps } from '../../api/deps.js';
import { bookFloatingSession, completeSession, floatSession, rescheduleSession } from '../../api/services/lifecycle.js';
import { purchaseSmartPack } from '../../api/services/packages.js';
import { query, scenarioWithPackage } from '../support/lifecycle.js';
import { buildScenario, purchaseBody, type Scenario } from '../support/scenario.js';
import type { PackageAccess, ParentAccess } from '../../api/services/access.js';
import { startTarget, type ApiTarget } from '../support/target.js';

/*
 * Two requests racing for one package (or one idempotency key), made deterministic: the services run in this process on the
 * target's database file, and a competing change commits after our request read its context and
 * passed every check, just before its batch. Only the batch's guard can refuse then, and the reason
 * must come from the state that same batch read, not from a guess after the fact.
 */

const NOW = '2026-11-30T06:00:00.000Z';

let target: ApiTarget;
let store: ReturnType<typeof openNodeStore>;
beforeAll(async () => {
  target = await startTarget({ now: NOW });
  store = openNodeStore(target.databasePath);
});
afterAll(async () => {
  await store?.close();
  await target?.close();
});

function deps(now = NOW, s: Store = store): AppDeps {
  return {
    store: s,
    schedules: new ScheduleSource(s),
    now: () => new Date(now),
    adminApiKey: 'unused',
    corsOrigin: '*',
    defaultTenantId: DEFAULT_TENANT_ID,
    isLoopbackRequest: () => false,
  };
}

/** What the routes hand the services for a package's manage token (the secret only signs feed URLs). */
const own = (pack: { id: string }): PackageAccess => ({
  kind: 'manage',
  tenantId: DEFAULT_TENANT_ID,
  packageId: pack.id,
  secret: 'test-secret',
});
/** What the routes hand the purchase for the scenario family's parent token. */
const buyer = (s: Scenario): ParentAccess => ({
  kind: 'parent',
  tenantId: DEFAULT_TENANT_ID,
  guardianId: s.parent.guardianId,
  studentIds: s.parent.studentIds,
  exp: Math.floor(Date.parse(NOW) / 1000) + 3600,
  secret: 'test-secret',
});

/**
 * Deps whose first batch lets `competitor` commit first: the race, at its worst moment. `raced()`
 * says the competitor ran, i.e. our request passed its checks and reached its batch.
 */
function racing(competitor: () => Promise<unknown>, now = NOW): AppDeps & { raced(): boolean } {
  let raced = false;
  const wrapped: Store = {
    db: store.db,
    get statementCount() {
      return store.statementCount;
    },
    async batch(queries) {
      if (!raced) {
        raced = true;
        await competitor();
      }
      return store.batch(queries);
    },
    read: (sql, parameters) => store.read(sql, parameters),
  };
  return { ...deps(now, wrapped), raced: () => raced };
}

async function refusal(promise: Promise<unknown>): Promise<Pick<ApiError, 'status' | 'code' | 'details'>> {
  const error = await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  const { status, code, details } = error as ApiError;
  return { status, code, details };
}

describe('a lifecycle change whose guard refuses it in a race', () => {
  it('says no floating session is left when a competitor booked the last credits first', async () => {
    const { pack } = await scenarioWithPackage(target);
    const race = racing(async () => {
      await bookFloatingSession(deps(), pack.id, { date: '2026-12-03', time: '09:00' }, own(pack));
      await bookFloatingSession(deps(), pack.id, { date: '2026-12-03', time: '10:00' }, own(pack));
    });
    const refused = await refusal(bookFloatingSession(race, pack.id, { date: '2026-12-02', time: '10:00' }, own(pack)));
    expect(race.raced()).toBe(true);
    expect(refused).toEqual({
      status: 409,
      code: 'no_floating_sessions_left',
      details: { packageId: pack.id, floatingSessionCount: 2, floatingSessionsUsed: 2 },
    });
    expect(
      query(target, "SELECT count(*) AS n FROM bookings WHERE package_id = ? AND kind = 'floating'", pack.id),
    ).toEqual([{ n: 2 }]);
  });

  it('says the package was cancelled when that happened between the check and the write', async () => {
    const { pack } = await scenarioWithPackage(target);
    const cancel = () =>
      store.db.updateTable('student_packages').set({ status: 'cancelled' }).where('id', '=', pack.id).execute();
    const booking = await refusal(
      bookFloatingSession(racing(cancel), pack.id, { date: '2026-12-02', time: '10:00' }, own(pack)),
    );
    expect([booking.status, booking.code]).toEqual([409, 'package_cancelled']);
  });

  it('says the session changed, and where it is now, when the same session was moved meanwhile', async () => {
    const { pack } = await scenarioWithPackage(target);
    const session = pack.sessions[0];
    const race = racing(() =>
      rescheduleSession(deps(), pack.id, session.id, { date: '2026-12-09', time: '10:00' }, own(pack)),
    );
    const refused = await refusal(
      rescheduleSession(race, pack.id, session.id, { date: '2026-12-10', time: '12:00' }, own(pack)),
    );
    expect(refused).toEqual({
      status: 409,
      code: 'session_changed',
      details: { packageId: pack.id, sessionId: session.id, startUtc: '2026-12-09T08:00:00.000Z' },
    });
    expect(query(target, 'SELECT start_utc, reschedule_count FROM bookings WHERE id = ?', session.id)).toEqual([
      { start_utc: '2026-12-09T08:00:00.000Z', reschedule_count: 1 },
    ]);
  });

  it('says the reschedule limit is reached when the competing move used the last one', async () => {
    const { pack } = await scenarioWithPackage(target);
    const session = pack.sessions[0];
    await rescheduleSession(deps(), pack.id, session.id, { date: '2026-12-08', time: '10:00' }, own(pack));
    const race = racing(() =>
      rescheduleSession(deps(), pack.id, session.id, { date: '2026-12-09', time: '10:00' }, own(pack)),
    );
    const refused = await refusal(
      rescheduleSession(race, pack.id, session.id, { date: '2026-12-10', time: '12:00' }, own(pack)),
    );
    expect(refused).toMatchObject({
      status: 409,
      code: 'reschedule_limit_reached',
      details: { rescheduleLimit: 2, rescheduleCount: 2 },
    });
  });

  it('says the session is no longer scheduled when it was floated meanwhile (reschedule and float)', async () => {
    const { pack } = await scenarioWithPackage(target);
    const [first, second] = pack.sessions;
    const moved = await refusal(
      rescheduleSession(
        racing(() => floatSession(deps(), pack.id, first.id, own(pack))),
        pack.id,
        first.id,
        { date: '2026-12-10', time: '12:00' },
        own(pack),
      ),
    );
    expect(moved).toMatchObject({ status: 409, code: 'session_not_scheduled', details: { status: 'cancelled' } });
    const floated = await refusal(
      floatSession(
        racing(() => floatSession(deps(), pack.id, second.id, own(pack))),
        pack.id,
        second.id,
        own(pack),
      ),
    );
    expect(floated).toMatchObject({ status: 409, code: 'session_not_scheduled', details: { status: 'cancelled' } });
    // One floating credit per floated session, not two.
    expect(query(target, 'SELECT floating_session_count AS n FROM student_packages WHERE id = ?', pack.id)).toEqual([
      { n: 4 },
    ]);
  });

  it('answers a completion that lost to a concurrent one as done already, releasing nothing', async () => {
    const { pack } = await scenarioWithPackage(target);
    const first = pack.sessions[0];
    const later = '2026-12-07T15:00:00.000Z';
    const race = racing(() => completeSession(deps(later), DEFAULT_TENANT_ID, pack.id, first.id), later);
    const outcome = await completeSession(race, DEFAULT_TENANT_ID, pack.id, first.id);
    expect(outcome).toMatchObject({
      released: false,
      releasedMinor: 0,
      session: { id: first.id, status: 'completed' },
    });
    expect(outcome.package.escrow.releasedMinor).toBe(first.escrowMinor);
    expect(
      query(
        target,
        "SELECT count(*) AS n FROM escrow_ledger WHERE booking_id = ? AND entry_type = 'release'",
        first.id,
      ),
    ).toEqual([{ n: 1 }]);
  });
});

describe('a lifecycle change that applies', () => {
  it('answers from the package its own batch read: the new session, the counters and the release', async () => {
    const { pack } = await scenarioWithPackage(target);
    const booked = await bookFloatingSession(deps(), pack.id, { date: '2026-12-02', time: '10:00' }, own(pack));
    expect(booked.session).toMatchObject({ kind: 'floating', sessionNumber: 9, startUtc: '2026-12-02T08:00:00.000Z' });
    expect([booked.package.floatingSessionsUsed, booked.package.floatingSessionsLeft]).toEqual([1, 1]);
    const completed = await completeSession(
      deps('2026-12-07T15:00:00.000Z'),
      DEFAULT_TENANT_ID,
      pack.id,
      pack.sessions[0].id,
    );
    expect(completed).toMatchObject({
      released: true,
      releasedMinor: pack.sessions[0].escrowMinor,
      session: { status: 'completed' },
    });
    expect(completed.package.escrow.releasedMinor).toBe(pack.sessions[0].escrowMinor);
  });
});

describe('a purchase whose idempotency key a concurrent request took between its check and its write', () => {
  it('answers as the replay of the package that holds the key, read in the same batch', async () => {
    const s = await buildScenario(target);
    // What the route hands the service: the body as its schema validated it.
    const body = purchase.parse(purchaseBody(s, [{ weekday: 'MONDAY', time: '16:00' }]));
    let winner: { id: string } | undefined;
    const race = racing(async () => {
      winner = (await purchaseSmartPack(deps(), body, undefined, buyer(s))).view;
    });
    const outcome = await purchaseSmartPack(race, body, undefined, buyer(s));
    expect(race.raced()).toBe(true);
    expect([outcome.status, outcome.view.id]).toEqual([200, winner!.id]);
    expect(outcome.view.sessions).toHaveLength(8);
    expect(
      query(target, 'SELECT count(*) AS n FROM student_packages WHERE idempotency_key = ?', body.idempotencyKey),
    ).toEqual([{ n: 1 }]);
  });

  it('refuses with 409 when the holder was bought with a different body', async () => {
    const s = await buildScenario(target);
    const body = purchase.parse(purchaseBody(s, [{ weekday: 'MONDAY', time: '16:00' }]));
    const other = { ...body, recurringPatterns: [{ weekday: 'TUESDAY' as const, time: '16:00' }] };
    const race = racing(() => purchaseSmartPack(deps(), other, undefined, buyer(s)));
    const refused = await refusal(purchaseSmartPack(race, body, undefined, buyer(s)));
    expect(refused).toEqual({ status: 409, code: 'idempotency_key_reused', details: null });
    expect(
      query(target, "SELECT count(*) AS n FROM bookings WHERE teacher_id = ? AND status = 'scheduled'", s.teacherId),
    ).toEqual([{ n: 8 }]);
  });
});

describe('Store.batch on better-sqlite3', () => {
  it('returns a RETURNING write’s rows, counted as its changes, and a SELECT’s rows as no change', async () => {
    const subject = `subject-${process.pid}-returning`;
    const [insert, select, miss] = await store.batch([
      { compile: () => sql`INSERT INTO subjects (id, name) VALUES (${subject}, 'Art') RETURNING id`.compile(store.db) },
      { compile: () => sql`SELECT name FROM subjects WHERE id = ${subject}`.compile(store.db) },
      { compile: () => sql`UPDATE subjects SET name = 'x' WHERE id = 'ghost' RETURNING id`.compile(store.db) },
    ]);
    expect(insert).toEqual({ rows: [{ id: subject }], changes: 1 });
    expect(select).toEqual({ rows: [{ name: 'Art' }], changes: 0 });
    expect(miss).toEqual({ rows: [], changes: 0 });
  });
});
