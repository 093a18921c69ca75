/**
 * The Worker beside Node in `npm run bench`: the same data, clock and requests against `wrangler
 * dev` on workerd with a local D1 (run.ts imports this module when it exists and calls benchWorker).
 * Only the cached rows: the Worker has no `/cold` app, and its statement counter lives inside the
 * isolate, out of reach.
 */
import { rmSync } from 'node:fs';
import type { LoadResult, runLoad } from './run.js';
import { WEEKDAYS, type Weekday } from '../../api/core/types.js';
import { openNodeStore } from '../../api/db/node.js';
import { freshPersistDir, startWorkerTarget, type WorkerTarget } from '../support/worker-target.js';
import { localD1File } from '../../api/server/worker-local.js';

const NOW = '2026-11-30T06:00:00.000Z';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BUY_TEACHERS = 40;

/** A deterministic PRNG so every run books the same year (the same as run.ts). */
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
 * run.ts's data set, written into the local D1's SQLite file before workerd opens it: rows in a
 * file, not requests, so setting up is no part of what is measured.
 */
export async function fillBenchData(databasePath: string): Promise<{ bookings: number; buyers: string[] }> {
  const store = openNodeStore(databasePath);
  try {
    const db = store.db;
    const rules = (teacherId: string) =>
      WEEKDAYS.map((weekday, i) => ({ id: `${teacherId}-r${i}`, teacher_id: teacherId, weekday, start_time: '08:00', end_time: '20:00' }));
    const teacher = (id: string) => ({ id, name: id, timezone: 'Africa/Khartoum', hourly_rate_minor: 500_000, currency: 'SDG' });
    const buyers = Array.from({ length: BUY_TEACHERS }, (_, i) => `buy-${i}`);
    await db.insertInto('subjects').values({ id: 'math', name: 'Mathematics', name_ar: null }).execute();
    await db.insertInto('teachers').values([teacher('busy'), teacher('empty'), ...buyers.map(teacher)]).execute();
    await db.insertInto('teacher_subjects').values(['busy', 'empty', ...buyers].map((t) => ({ teacher_id: t, subject_id: 'math' }))).execute();
    await db.insertInto('availability_rules').values(['busy', 'empty', ...buyers].flatMap(rules)).execute();
    await db
      .insertInto('package_tiers')
      .values({ id: 'tier-10', teacher_id: null, name: '10', session_count: 10, recurring_count: 8, floating_count: 2 })
      .execute();
    await db.insertInto('students').values({ id: 'student', name: 'Bench', email: null, phone: null, timezone: null, locale: null }).execute();
    const random = mulberry32(42);
    const firstLocalMidnight = Date.UTC(2026, 4, 31) - 2 * HOUR;
    const bookings = [];
    for (let day = 0; day < 52 * 7; day++) {
      for (let hour = 8; hour < 20; hour++) {
        if (random() >= 0.4) continue;
        const start = firstLocalMidnight + day * DAY + hour * HOUR;
        bookings.push({
          id: `b-${day}-${hour}`, package_id: null, teacher_id: 'busy', student_id: null, subject_id: null,
          start_utc: new Date(start).toISOString(), end_utc: new Date(start + HOUR).toISOString(),
          kind: 'single' as const, session_number: null, flagged_reason: null,
        });
      }
    }
    for (let i = 0; i < bookings.length; i += 500) await db.insertInto('bookings').values(bookings.slice(i, i + 500)).execute();
    // Hand workerd a file with everything in the main database, nothing pending in the WAL.
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return { bookings: bookings.length, buyers };
  } finally {
    await store.close();
  }
}

export async function benchWorker(load: typeof runLoad): Promise<{ name: string; result: LoadResult }[]> {
  const persistTo = await freshPersistDir({ now: NOW });
  let worker: WorkerTarget | undefined;
  try {
    const { buyers } = await fillBenchData(localD1File(persistTo));
    worker = await startWorkerTarget({ now: NOW, adminKey: 'bench', persistTo, logLevel: 'warn' });
    const base = worker.url;
    const grid = `${base}/marketplace/teachers/busy/weekly-availability?tierId=tier-10&weeks=8`;
    const twoSlots: { weekday: Weekday; time: string }[] = [
      { weekday: 'MONDAY', time: '16:00' },
      { weekday: 'WEDNESDAY', time: '17:00' },
    ];
    const check = JSON.stringify({ teacherId: 'busy', tierId: 'tier-10', patterns: twoSlots });
    const purchases = Array.from({ length: BUY_TEACHERS * 7 * 12 }, (_, i) => {
      const slot = Math.floor(i / buyers.length);
      const hour = 8 + (Math.floor(slot / 7) % 12);
      return JSON.stringify({
        studentId: 'student', teacherId: buyers[i % buyers.length], subjectId: 'math', tierId: 'tier-10',
        recurringPatterns: [{ weekday: WEEKDAYS[slot % 7], time: `${String(hour).padStart(2, '0')}:00` }],
        idempotencyKey: `bench-worker-purchase-${i}`,
      });
    });
    // Load the schedule into the isolate's cache first, as the Node rows do with their warm-up.
    await (await fetch(grid)).arrayBuffer();
    const rows: { name: string; result: LoadResult }[] = [];
    const measure = async (name: string, job: Parameters<typeof runLoad>[0]) => rows.push({ name, result: await load(job) });
    await measure('Worker: /health (bare route)', { url: `${base}/health`, method: 'GET' });
    await measure('Worker: grid, 8 weeks, 1 year of bookings (cached)', { url: grid, method: 'GET' });
    await measure('Worker: check, 2 slots × 8 sessions (cached schedule)', {
      url: `${base}/packages/check-multi-slot-availability`, method: 'POST', bodies: [check],
    });
    await measure('Worker: purchase, 8 bookings + escrow + outbox', {
      url: `${base}/packages`, method: 'POST', bodies: purchases, maxRequests: purchases.length,
    });
    return rows;
  } finally {
    await worker?.close();
    rmSync(persistTo, { recursive: true, force: true });
  }
}
