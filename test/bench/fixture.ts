/**
 * The benchmark's data set, shared by the Node and Worker targets: a "busy" teacher with a year of
 * bookings (40 % of 84 weekly slots, 26 weeks either side of BENCH_NOW), an "empty" one, and
 * BUY_TEACHERS teachers with free calendars for purchases. Rows go straight into the SQLite file,
 * so setting up is no part of what is measured.
 */
import { WEEKDAYS } from '../../api/core/types.js';
import type { Store } from '../../api/db/store.js';
import { DEFAULT_TENANT_ID } from '../../api/contract/auth.js';
import { secretOf, signToken } from '../../api/services/tokens.js';

export const BENCH_NOW = '2026-11-30T06:00:00.000Z';
export const BUY_TEACHERS = 40;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A deterministic PRNG so every run books the same year. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The data set, and the parent token of the bench's one family (guardian `bench-family`, student
 * `student`): purchases need one, as a school's page would have. Signed like `POST /auth/parent-tokens`
 * signs, at BENCH_NOW, valid for a day, so the bench never waits on that route.
 */
export async function fillBenchData(
  store: Store,
): Promise<{ bookings: number; buyers: string[]; parentToken: string }> {
  const db = store.db;
  const rules = (teacherId: string) =>
    WEEKDAYS.map((weekday, i) => ({
      id: `${teacherId}-r${i}`,
      teacher_id: teacherId,
      weekday,
      start_time: '08:00',
      end_time: '20:00',
    }));
  const teacher = (id: string) => ({
    tenant_id: DEFAULT_TENANT_ID,
    id,
    name: id,
    timezone: 'Africa/Khartoum',
    hourly_rate_minor: 500_000,
    currency: 'SDG',
  });
  const buyers = Array.from({ length: BUY_TEACHERS }, (_, i) => `buy-${i}`);
  await db
    .insertInto('subjects')
    .values({ tenant_id: DEFAULT_TENANT_ID, id: 'math', name: 'Mathematics', name_ar: null })
    .execute();
  await db
    .insertInto('teachers')
    .values([teacher('busy'), teacher('empty'), ...buyers.map(teacher)])
    .execute();
  await db
    .insertInto('teacher_subjects')
    .values(['busy', 'empty', ...buyers].map((t) => ({ teacher_id: t, subject_id: 'math' })))
    .execute();
  await db
    .insertInto('availability_rules')
    .values(['busy', 'empty', ...buyers].flatMap(rules))
    .execute();
  await db
    .insertInto('package_tiers')
    .values({
      tenant_id: DEFAULT_TENANT_ID,
      id: 'tier-10',
      teacher_id: null,
      name: '10',
      session_count: 10,
      recurring_count: 8,
      floating_count: 2,
    })
    .execute();
  await db
    .insertInto('guardians')
    .values({
      id: 'bench-guardian',
      tenant_id: DEFAULT_TENANT_ID,
      external_id: 'bench-family',
      name: 'Bench',
      email: null,
      phone: null,
    })
    .execute();
  await db
    .insertInto('students')
    .values({
      tenant_id: DEFAULT_TENANT_ID,
      id: 'student',
      name: 'Bench',
      email: null,
      phone: null,
      timezone: null,
      locale: null,
      external_id: 'bench-student',
      guardian_id: 'bench-guardian',
    })
    .execute();
  const now = () => new Date(BENCH_NOW);
  const parentToken = await signToken({ now }, await secretOf({ store }, DEFAULT_TENANT_ID), 'parent', {
    tid: DEFAULT_TENANT_ID,
    sub: 'bench-guardian',
    sids: ['student'],
    exp: Math.floor(Date.parse(BENCH_NOW) / 1000) + 86_400,
  });
  const random = mulberry32(42);
  const firstLocalMidnight = Date.UTC(2026, 4, 31) - 2 * HOUR;
  const bookings = [];
  for (let day = 0; day < 52 * 7; day++) {
    for (let hour = 8; hour < 20; hour++) {
      if (random() >= 0.4) continue;
      const start = firstLocalMidnight + day * DAY + hour * HOUR;
      bookings.push({
        tenant_id: DEFAULT_TENANT_ID,
        id: `b-${day}-${hour}`,
        package_id: null,
        teacher_id: 'busy',
        student_id: null,
        subject_id: null,
        start_utc: new Date(start).toISOString(),
        end_utc: new Date(start + HOUR).toISOString(),
        kind: 'single' as const,
        session_number: null,
        flagged_reason: null,
      });
    }
  }
  for (let i = 0; i < bookings.length; i += 500)
    await db
      .insertInto('bookings')
      .values(bookings.slice(i, i + 500))
      .execute();
  return { bookings: bookings.length, buyers, parentToken };
}

/**
 * The scale data set, added beside fillBenchData's: `tenants` more schools with `teachersPerTenant` teachers
 * each, every one with a year of bookings like the "busy" teacher (40 % of 84 weekly slots): with the defaults
 * 1,000 teachers and about 1.75 million bookings in 10 tenants. Written with one prepared statement per table
 * in one transaction, with the bookings' triggers set aside while the generated rows (which cannot overlap:
 * one per teacher and hour) go in and put back before anything is measured: checking each row costs ~0.2 ms,
 * six minutes for the set. The indexes are the real ones.
 */
export function fillScaleData(
  store: Store & { sqlite: import('better-sqlite3').Database },
  options: { tenants?: number; teachersPerTenant?: number } = {},
): { teachers: number; bookings: number } {
  const tenants = options.tenants ?? 10;
  const perTenant = options.teachersPerTenant ?? 100;
  const sqlite = store.sqlite;
  const tenant = sqlite.prepare(
    `INSERT INTO tenants (id, name, signing_secret) VALUES (?, ?, lower(hex(randomblob(32))))`,
  );
  const teacher = sqlite.prepare(
    `INSERT INTO teachers (tenant_id, id, name, timezone, hourly_rate_minor, currency) VALUES (?, ?, ?, 'Africa/Khartoum', 500000, 'SDG')`,
  );
  const rule = sqlite.prepare(
    `INSERT INTO availability_rules (id, teacher_id, weekday, start_time, end_time) VALUES (?, ?, ?, '08:00', '20:00')`,
  );
  const booking = sqlite.prepare(
    `INSERT INTO bookings (tenant_id, id, teacher_id, start_utc, end_utc, kind) VALUES (?, ?, ?, ?, ?, 'single')`,
  );
  const random = mulberry32(7);
  const firstLocalMidnight = Date.UTC(2026, 4, 31) - 2 * HOUR;
  let bookings = 0;
  const triggers = sqlite
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('bookings', 'availability_rules')`,
    )
    .all() as { name: string; sql: string }[];
  sqlite.transaction(() => {
    for (const t of triggers) sqlite.exec(`DROP TRIGGER ${t.name}`);
    for (let t = 0; t < tenants; t++) {
      const tenantId = `scale-tenant-${t}`;
      tenant.run(tenantId, `Scale school ${t}`);
      for (let k = 0; k < perTenant; k++) {
        const teacherId = `scale-${t}-${k}`;
        teacher.run(tenantId, teacherId, teacherId);
        WEEKDAYS.forEach((weekday, i) => rule.run(`${teacherId}-r${i}`, teacherId, weekday));
        for (let day = 0; day < 52 * 7; day++) {
          for (let hour = 8; hour < 20; hour++) {
            if (random() >= 0.4) continue;
            const start = firstLocalMidnight + day * DAY + hour * HOUR;
            booking.run(
              tenantId,
              `${teacherId}-${day}-${hour}`,
              teacherId,
              new Date(start).toISOString(),
              new Date(start + HOUR).toISOString(),
            );
            bookings++;
          }
        }
      }
    }
    for (const t of triggers) sqlite.exec(t.sql);
  })();
  return { teachers: tenants * perTenant, bookings };
}
